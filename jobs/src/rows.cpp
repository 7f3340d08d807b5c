#include "rows.hpp"

#include <algorithm>

#include "vocabulary.hpp"

namespace backoff::jobs {

const std::vector<int> kJobFields = {
    BACKOFF_JOBS_FIELD_ID,           BACKOFF_JOBS_FIELD_QUEUE,       BACKOFF_JOBS_FIELD_TYPE,
    BACKOFF_JOBS_FIELD_PAYLOAD,      BACKOFF_JOBS_FIELD_STATE,       BACKOFF_JOBS_FIELD_PRIORITY,
    BACKOFF_JOBS_FIELD_ATTEMPT,      BACKOFF_JOBS_FIELD_MAX_ATTEMPTS, BACKOFF_JOBS_FIELD_LEASE_TOKEN,
    BACKOFF_JOBS_FIELD_RUN_AT_NS,    BACKOFF_JOBS_FIELD_CREATED_AT_NS, BACKOFF_JOBS_FIELD_LEASE_EXPIRES_AT_NS,
    BACKOFF_JOBS_FIELD_FINISHED_AT_NS, BACKOFF_JOBS_FIELD_UNIQUE_KEY, BACKOFF_JOBS_FIELD_POLICY,
    BACKOFF_JOBS_FIELD_ERROR,        BACKOFF_JOBS_FIELD_WORKER};
const std::vector<int> kErrorFields = {BACKOFF_JOBS_FIELD_ID, BACKOFF_JOBS_FIELD_ATTEMPT, BACKOFF_JOBS_FIELD_ERROR_AT_NS,
                                       BACKOFF_JOBS_FIELD_ERROR};
const std::vector<int> kStatsFields = {BACKOFF_JOBS_FIELD_QUEUE, BACKOFF_JOBS_FIELD_STATE, BACKOFF_JOBS_FIELD_COUNT};

std::string job_columns(const std::string& prefix) {
  std::string columns;
  for (const char* column : {"id", "queue", "type", "payload", "state", "priority", "attempt", "max_attempts",
                             "lease_token", "run_at", "created_at", "lease_expires_at", "finished_at"}) {
    columns += prefix + column + ", ";
  }
  return columns + "COALESCE(" + prefix + "unique_key, ''), " + prefix + "policy, " + prefix + "last_error, " + prefix +
         "worker";
}

backoff_jobs_rows* new_rows(const char* kind, const std::vector<int>& fields, Result result) {
  return new backoff_jobs_rows{kind, fields, std::move(result)};
}

namespace {

bool is_bytes_field(int field) {
  switch (field) {
    case BACKOFF_JOBS_FIELD_QUEUE: case BACKOFF_JOBS_FIELD_TYPE: case BACKOFF_JOBS_FIELD_PAYLOAD:
    case BACKOFF_JOBS_FIELD_UNIQUE_KEY: case BACKOFF_JOBS_FIELD_POLICY: case BACKOFF_JOBS_FIELD_ERROR:
    case BACKOFF_JOBS_FIELD_WORKER:
      return true;
    default: return false;
  }
}

}  // namespace

const Cell& field_cell(const backoff_jobs_rows& rows, std::uint64_t index, int field, bool want_bytes) {
  require_member(BACKOFF_JOBS_ENUM_FIELD, field, "field");
  const std::string name = name_of(BACKOFF_JOBS_ENUM_FIELD, field);
  const auto column = std::find(rows.fields.begin(), rows.fields.end(), field);
  if (column == rows.fields.end()) {
    throw JobsError(BACKOFF_EUNKNOWN, "field: '" + name + "' is not in " + rows.kind + " rows");
  }
  if (is_bytes_field(field) != want_bytes) {
    throw JobsError(BACKOFF_ETYPE, "field: '" + name + "' is " + (want_bytes ? "an integer" : "bytes") +
                                       ": read it with backoff_jobs_rows_get_" + (want_bytes ? "i64" : "bytes"));
  }
  if (index >= rows.result.rows()) {
    throw JobsError(BACKOFF_EINVAL, "index: must be less than the row count " + std::to_string(rows.result.rows()) +
                                        " (got " + std::to_string(index) + ")");
  }
  return rows.result.at(static_cast<std::size_t>(index), static_cast<std::size_t>(column - rows.fields.begin()));
}

}  // namespace backoff::jobs
