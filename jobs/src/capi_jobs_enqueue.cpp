// Entry points: enqueue options, enqueue, and the enqueue statement for the caller's own transaction.
#include "capi_jobs.hpp"
#include "limits.hpp"
#include "policy_text.hpp"
#include "validate.hpp"
#include "vocabulary.hpp"

using namespace backoff::jobs;

extern "C" {

int backoff_jobs_options_new(backoff_jobs_options** out) {
  JOBS_REQUIRE(out);
  return jobs_guarded(__func__, [&]() -> int {
    *out = new backoff_jobs_options();
    return BACKOFF_OK;
  });
}

void backoff_jobs_options_free(backoff_jobs_options* options) { delete options; }

int backoff_jobs_options_set_i64(backoff_jobs_options* options, int option, int64_t value) {
  JOBS_REQUIRE(options);
  return jobs_guarded(__func__, [&]() -> int {
    require_member(BACKOFF_JOBS_ENUM_OPTION, option, "option");
    switch (option) {
      case BACKOFF_JOBS_OPT_PRIORITY:
        if (value < kMinPriority || value > kMaxPriority) {
          throw_invalid("priority", "must be in [" + std::to_string(kMinPriority) + ", " + std::to_string(kMaxPriority) + "]",
                        static_cast<long long>(value));
        }
        options->priority = value;
        break;
      case BACKOFF_JOBS_OPT_RUN_AT_NS:
        if (value < 0) throw_invalid("run_at", "must not be negative", static_cast<long long>(value));
        options->run_at_ns = value;
        options->delay_ns = 0;
        break;
      case BACKOFF_JOBS_OPT_DELAY_NS:
        if (value < 0) throw_invalid("delay", "must not be negative", static_cast<long long>(value));
        options->delay_ns = value;
        options->run_at_ns.reset();
        break;
      case BACKOFF_JOBS_OPT_MAX_ATTEMPTS:
        if (value < 0) throw_invalid("max_attempts", "must not be negative", static_cast<long long>(value));
        options->max_attempts = value;
        break;
      default:
        throw JobsError(BACKOFF_ETYPE, std::string("option: '") + name_of(BACKOFF_JOBS_ENUM_OPTION, option) +
                                           "' is text: set it with backoff_jobs_options_set_text");
    }
    return BACKOFF_OK;
  });
}

int backoff_jobs_options_set_text(backoff_jobs_options* options, int option, const char* value) {
  JOBS_REQUIRE(options);
  return jobs_guarded(__func__, [&]() -> int {
    require_member(BACKOFF_JOBS_ENUM_OPTION, option, "option");
    if (option != BACKOFF_JOBS_OPT_UNIQUE_KEY) {
      throw JobsError(BACKOFF_ETYPE, std::string("option: '") + name_of(BACKOFF_JOBS_ENUM_OPTION, option) +
                                         "' is an integer: set it with backoff_jobs_options_set_i64");
    }
    if (value == nullptr) {
      options->unique_key.reset();
    } else {
      options->unique_key = std::string(checked_unique_key(value));
    }
    return BACKOFF_OK;
  });
}

int backoff_jobs_options_set_policy(backoff_jobs_options* options, const backoff_policy* policy) {
  JOBS_REQUIRE(options);
  return jobs_guarded(__func__, [&]() -> int {
    if (policy == nullptr) {
      options->policy.reset();
    } else {
      options->policy = policy_text(policy);
    }
    return BACKOFF_OK;
  });
}

int backoff_jobs_enqueue(int64_t* out_id, int* out_inserted, backoff_jobs_store* store, const char* queue,
                         const char* type, const void* payload, uint64_t payload_size,
                         const backoff_jobs_options* options) {
  JOBS_REQUIRE(out_id);
  JOBS_ENTER(store);
  JOBS_REQUIRE(queue);
  JOBS_REQUIRE(type);
  return jobs_guarded(__func__, [&]() -> int {
    const backoff_jobs_statement statement = enqueue_statement(store->db->dialect(), BACKOFF_JOBS_PLACEHOLDER_NUMERIC,
                                                               false, queue, type, payload, payload_size, options);
    const Enqueued job = enqueue(*store, statement, options);
    *out_id = job.id;
    if (out_inserted != nullptr) *out_inserted = job.inserted ? 1 : 0;
    return BACKOFF_OK;
  });
}

int backoff_jobs_enqueue_statement(backoff_jobs_statement** out, backoff_jobs_store* store, int placeholder,
                                   const char* queue, const char* type, const void* payload, uint64_t payload_size,
                                   const backoff_jobs_options* options) {
  JOBS_REQUIRE(out);
  JOBS_ENTER(store);
  JOBS_REQUIRE(queue);
  JOBS_REQUIRE(type);
  return jobs_guarded(__func__, [&]() -> int {
    require_migrated(*store);
    *out = new backoff_jobs_statement(
        enqueue_statement(store->db->dialect(), placeholder, true, queue, type, payload, payload_size, options));
    return BACKOFF_OK;
  });
}

void backoff_jobs_statement_free(backoff_jobs_statement* statement) { delete statement; }

const char* backoff_jobs_statement_sql(const backoff_jobs_statement* statement) {
  return statement != nullptr ? statement->sql.c_str() : nullptr;
}

int backoff_jobs_statement_param_count(uint64_t* out, const backoff_jobs_statement* statement) {
  JOBS_REQUIRE(out);
  JOBS_REQUIRE(statement);
  *out = statement->params.size();
  return BACKOFF_OK;
}

int backoff_jobs_statement_param(int* out_type, int64_t* out_int, const void** out_bytes, uint64_t* out_size,
                                 const backoff_jobs_statement* statement, uint64_t index) {
  JOBS_REQUIRE(out_type);
  JOBS_REQUIRE(statement);
  if (index >= statement->params.size()) {
    return fail(BACKOFF_EINVAL, "index: must be less than the parameter count " + std::to_string(statement->params.size()) +
                                    " (got " + std::to_string(index) + ")");
  }
  const Value& p = statement->params[index];
  const bool bytes = p.kind == Value::Kind::text || p.kind == Value::Kind::blob;
  *out_type = p.kind == Value::Kind::null      ? BACKOFF_JOBS_PARAM_NULL
              : p.kind == Value::Kind::integer ? BACKOFF_JOBS_PARAM_INT64
              : p.kind == Value::Kind::text    ? BACKOFF_JOBS_PARAM_TEXT
                                               : BACKOFF_JOBS_PARAM_BLOB;
  if (out_int != nullptr) *out_int = p.kind == Value::Kind::integer ? p.integer : 0;
  if (out_bytes != nullptr) *out_bytes = bytes ? p.bytes.c_str() : nullptr;
  if (out_size != nullptr) *out_size = bytes ? p.bytes.size() : 0;
  return BACKOFF_OK;
}

}
