// The PostgreSQL store: one libpq connection. Statements are prepared once per connection; parameters go
// as text (integers, names) or binary (payloads), results come back binary. Idle workers LISTEN on one
// channel, backoff_jobs, whose payload is the queue name (a channel name would put the queue into SQL
// text). A connection lost to a server restart is re-established with libbackoff's own backoff.
#include <libpq-fe.h>
#include <poll.h>

#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "connection.hpp"
#include "url.hpp"

namespace backoff::jobs {
namespace {

// Type OIDs of the result columns we read (pg_type.h).
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kVarchar = 1043, kVoid = 2278;

std::int64_t big_endian(const char* bytes, int size) {
  std::uint64_t value = 0;
  for (int i = 0; i < size; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  // Sign-extend the narrower integers.
  if (size < 8 && (value & (std::uint64_t{1} << (size * 8 - 1)))) value |= ~std::uint64_t{0} << (size * 8);
  return static_cast<std::int64_t>(value);
}

std::string integer_list(const std::vector<std::int64_t>& values) {
  std::string text = "{";
  for (std::size_t i = 0; i < values.size(); ++i) text += (i ? "," : "") + std::to_string(values[i]);
  return text + "}";
}

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(const std::string& url) : url_(url) {
    conn_ = PQconnectdb(url.c_str());
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
      const std::string why = conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory";
      PQfinish(conn_);
      throw JobsError(BACKOFF_JOBS_ESTORE, "url: cannot connect to " + quoted(masked_url(url)) + ": " + trimmed(why));
    }
    quiet_notices();
  }

  ~PostgresConnection() override { PQfinish(conn_); }

  int dialect() const noexcept override { return BACKOFF_JOBS_DIALECT_POSTGRESQL; }

  Result query(const std::string& sql, const Params& params) override {
    const std::string& name = prepared(sql);
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size());
    std::vector<int> lengths(params.size()), formats(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& p = params[i];
      switch (p.kind) {
        case Value::Kind::null: values[i] = nullptr; break;
        case Value::Kind::integer: texts[i] = std::to_string(p.integer); values[i] = texts[i].c_str(); break;
        case Value::Kind::integers: texts[i] = integer_list(p.integers); values[i] = texts[i].c_str(); break;
        case Value::Kind::text: values[i] = p.bytes.c_str(); break;
        case Value::Kind::blob:
          values[i] = p.bytes.data();
          lengths[i] = static_cast<int>(p.bytes.size());
          formats[i] = 1;
          break;
      }
    }
    PGresult* raw = PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(), lengths.data(),
                                   formats.data(), 1);
    return collect(raw, sql);
  }

  void begin() override { command("BEGIN"); }
  void commit() override { command("COMMIT"); }
  void rollback() noexcept override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
  }

  void notify(std::string_view queue) override {
    query("SELECT pg_notify('backoff_jobs', $1)", {Value::text(queue)});
  }

  WaitResult wait_for_change(std::string_view queue, std::int64_t timeout_ns, int interrupt_fd) override {
    if (!listening_) {
      command("LISTEN backoff_jobs");
      listening_ = true;
    }
    const std::int64_t deadline = unix_now_ns() + timeout_ns;
    for (;;) {
      if (PQconsumeInput(conn_) == 0) throw ConnectionLost("PostgreSQL: " + trimmed(PQerrorMessage(conn_)));
      drain_notifications();
      if (notified_.erase(std::string(queue)) > 0) return WaitResult::changed;
      const std::int64_t left_ns = deadline - unix_now_ns();
      if (left_ns <= 0) return WaitResult::timeout;
      pollfd fds[2] = {{interrupt_fd, POLLIN, 0}, {PQsocket(conn_), POLLIN, 0}};
      const int wait_ms = static_cast<int>(std::min<std::int64_t>((left_ns + 999'999) / 1'000'000, 1'000'000));
      if (poll(fds, 2, wait_ms) > 0 && (fds[0].revents & POLLIN)) return WaitResult::interrupted;
    }
  }

  void reconnect(std::int64_t within_ns) override {
    prepared_.clear();
    listening_ = false;
    notified_.clear();
    backoff_state* state = retry_state();
    const std::int64_t start = unix_now_ns();
    for (;;) {
      PQreset(conn_);
      if (PQstatus(conn_) == CONNECTION_OK) {
        backoff_state_free(state);
        quiet_notices();
        return;
      }
      int64_t delay_ns = BACKOFF_STOP;
      if (state != nullptr) backoff_state_next(&delay_ns, state, 0);
      if (delay_ns == BACKOFF_STOP || unix_now_ns() - start + delay_ns > within_ns) {
        backoff_state_free(state);
        throw JobsError(BACKOFF_JOBS_ESTORE, "PostgreSQL: connection lost and not re-established within " +
                                                 std::to_string(within_ns / 1'000'000'000) +
                                                 " s: " + trimmed(PQerrorMessage(conn_)));
      }
      const timespec pause{static_cast<time_t>(delay_ns / 1'000'000'000), static_cast<long>(delay_ns % 1'000'000'000)};
      nanosleep(&pause, nullptr);
    }
  }

 private:
  // Reconnect attempts wait as libbackoff decides: 50 ms doubling to 1 s, with equal jitter.
  static backoff_state* retry_state() {
    backoff_config* config = nullptr;
    backoff_policy* policy = nullptr;
    backoff_state* state = nullptr;
    if (backoff_config_new(&config) == BACKOFF_OK && backoff_config_set_text(config, "initial", "50ms") == BACKOFF_OK &&
        backoff_config_set_text(config, "cap", "1s") == BACKOFF_OK &&
        backoff_config_set_text(config, "jitter", "equal") == BACKOFF_OK && backoff_policy_new(&policy, config) == BACKOFF_OK) {
      backoff_state_new(&state, policy);
    }
    backoff_policy_free(policy);
    backoff_config_free(config);
    return state;
  }

  static std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }

  // Migrations' "already exists, skipping" notices would otherwise go to stderr.
  void quiet_notices() {
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  }

  const std::string& prepared(const std::string& sql) {
    auto found = prepared_.find(sql);
    if (found != prepared_.end()) return found->second;
    std::string name = "backoff_jobs_" + std::to_string(++statement_count_);
    collect(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), sql);
    return prepared_.emplace(sql, std::move(name)).first->second;
  }

  void command(const char* sql) { collect(PQexec(conn_, sql), sql); }

  // libpq queues every notification it reads, during any query too: keep only the set of queues
  // notified since the last wait, so a busy worker that seldom waits holds one entry per queue.
  void drain_notifications() {
    while (PGnotify* note = PQnotifies(conn_)) {
      notified_.insert(note->extra);
      PQfreemem(note);
    }
  }

  Result collect(PGresult* raw, const std::string& sql) {
    struct Clear {
      PGresult* r;
      ~Clear() { PQclear(r); }
    } clear{raw};
    const ExecStatusType status = raw != nullptr ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const std::string why = trimmed(raw != nullptr ? PQresultErrorMessage(raw) : PQerrorMessage(conn_));
      if (PQstatus(conn_) == CONNECTION_BAD) throw ConnectionLost("PostgreSQL: " + why);
      throw JobsError(BACKOFF_JOBS_ESTORE, "PostgreSQL: " + why + " (in: " + sql.substr(0, 60) + "...)");
    }
    Result result;
    result.columns = static_cast<std::size_t>(PQnfields(raw));
    const int rows = PQntuples(raw);
    result.cells.reserve(static_cast<std::size_t>(rows) * result.columns);
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < static_cast<int>(result.columns); ++c) result.cells.push_back(cell(raw, r, c));
    }
    if (listening_) drain_notifications();
    const char* affected = PQcmdTuples(raw);
    result.affected = affected[0] != '\0' ? std::stoll(affected) : 0;
    return result;
  }

  static Cell cell(PGresult* raw, int row, int column) {
    Cell cell;
    if (PQgetisnull(raw, row, column)) return cell;
    const char* bytes = PQgetvalue(raw, row, column);
    const int size = PQgetlength(raw, row, column);
    switch (PQftype(raw, column)) {
      case kInt8: case kInt4: case kInt2: case kBool: cell.integer = big_endian(bytes, size); break;
      case kText: case kVarchar: case kBytea: cell.bytes.assign(bytes, static_cast<std::size_t>(size)); break;
      case kVoid: return cell;
      default: throw JobsError(BACKOFF_EINTERNAL, "PostgreSQL: unexpected column type " + std::to_string(PQftype(raw, column)));
    }
    cell.null = false;
    return cell;
  }

  std::string url_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;
  unsigned statement_count_ = 0;
  bool listening_ = false;
  std::unordered_set<std::string> notified_;
};

}  // namespace

std::unique_ptr<Connection> open_postgres(const std::string& url) { return std::make_unique<PostgresConnection>(url); }

}  // namespace backoff::jobs
