#include "enqueue_statement.hpp"

#include "policy_text.hpp"
#include "validate.hpp"
#include "vocabulary.hpp"

namespace backoff::jobs {
namespace {

// $1 queue, $2 type, $3 payload, $4 priority, $5 max_attempts (or NULL: the queue's, else $6 the default),
// $7 run_at (or NULL: now + $8 delay), $9 unique key (or NULL), $10 policy (or NULL: the queue's, else $11).
constexpr const char* kValues =
    "INSERT INTO backoff_jobs (queue, type, payload, priority, max_attempts, run_at, created_at, unique_key, policy) "
    "VALUES ($1, $2, $3, $4, COALESCE($5, (SELECT max_attempts FROM backoff_jobs_queues WHERE name = $1), $6), "
    "COALESCE($7, backoff_jobs_now_ns() + $8), backoff_jobs_now_ns(), $9, "
    "COALESCE($10, (SELECT policy FROM backoff_jobs_queues WHERE name = $1), $11)) "
    "ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL DO NOTHING ";

// The clock in plain SQLite SQL, whole milliseconds: julianday('now') is fixed for one statement.
constexpr const char* kSqliteClock = "(CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) * 1000000)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Rewrites $N placeholders: `native` keeps the numbers (as ?N for SQLite); QMARK and FORMAT number by
// position, so every occurrence becomes its own parameter, in order.
backoff_jobs_statement with_placeholders(const std::string& sql, const Params& params, int dialect, int style) {
  backoff_jobs_statement out;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != '$' || i + 1 >= sql.size() || sql[i + 1] < '0' || sql[i + 1] > '9') {
      out.sql += sql[i];
      continue;
    }
    std::size_t end = i + 1;
    while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') ++end;
    const std::string number = sql.substr(i + 1, end - i - 1);
    switch (style) {
      case BACKOFF_JOBS_PLACEHOLDER_QMARK: out.sql += "?"; break;
      case BACKOFF_JOBS_PLACEHOLDER_FORMAT: out.sql += "%s"; break;
      case BACKOFF_JOBS_PLACEHOLDER_NATIVE: out.sql += (dialect == BACKOFF_JOBS_DIALECT_SQLITE ? "?" : "$") + number; break;
      default: out.sql += "$" + number;
    }
    if (style == BACKOFF_JOBS_PLACEHOLDER_QMARK || style == BACKOFF_JOBS_PLACEHOLDER_FORMAT) {
      out.params.push_back(params.at(std::stoul(number) - 1));
    }
    i = end - 1;
  }
  if (out.params.empty()) out.params = params;
  return out;
}

Value optional_int(const std::optional<std::int64_t>& value) {
  return value ? Value::of(*value) : Value::null_value();
}

}  // namespace

backoff_jobs_statement enqueue_statement(int dialect, int placeholder, bool portable, const char* queue,
                                         const char* type, const void* payload, std::uint64_t payload_size,
                                         const backoff_jobs_options* options) {
  require_member(BACKOFF_JOBS_ENUM_PLACEHOLDER, placeholder, "placeholder");
  static const backoff_jobs_options kDefaults;
  const backoff_jobs_options& o = options != nullptr ? *options : kDefaults;
  const std::string_view queue_name = checked_name("queue", queue);
  const std::string_view type_name = checked_name("type", type);
  const std::string_view bytes = checked_payload(payload, payload_size);
  // A job's own policy brings its own max_attempts unless the options name one.
  std::optional<std::int64_t> max_attempts = o.max_attempts;
  if (!max_attempts && o.policy) max_attempts = policy_max_attempts(*o.policy);
  const Params params = {Value::text(queue_name),
                         Value::text(type_name),
                         Value::blob(bytes),
                         Value::of(o.priority),
                         optional_int(max_attempts),
                         Value::of(policy_max_attempts(default_policy_text())),
                         optional_int(o.run_at_ns),
                         Value::of(o.delay_ns),
                         o.unique_key ? Value::text(*o.unique_key) : Value::null_value(),
                         o.policy ? Value::text(*o.policy) : Value::null_value(),
                         Value::text(default_policy_text())};
  std::string sql = kValues;
  if (dialect == BACKOFF_JOBS_DIALECT_POSTGRESQL) {
    sql = "WITH job AS (" + sql + "RETURNING id, queue) SELECT id, pg_notify('backoff_jobs', queue) FROM job";
  } else {
    sql += "RETURNING id";
    if (portable) sql = replaced(sql, "backoff_jobs_now_ns()", kSqliteClock);
  }
  return with_placeholders(sql, params, dialect, placeholder);
}

}  // namespace backoff::jobs
