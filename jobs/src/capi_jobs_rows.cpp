// Entry points: reading row sets.
#include "capi_jobs.hpp"

using namespace backoff::jobs;

extern "C" {

void backoff_jobs_rows_free(backoff_jobs_rows* rows) { delete rows; }

int backoff_jobs_rows_count(uint64_t* out, const backoff_jobs_rows* rows) {
  JOBS_REQUIRE(out);
  JOBS_REQUIRE(rows);
  *out = rows->result.rows();
  return BACKOFF_OK;
}

int backoff_jobs_rows_get_i64(int64_t* out, const backoff_jobs_rows* rows, uint64_t index, int field) {
  JOBS_REQUIRE(out);
  JOBS_REQUIRE(rows);
  return jobs_guarded(__func__, [&]() -> int {
    *out = field_cell(*rows, index, field, false).integer;
    return BACKOFF_OK;
  });
}

int backoff_jobs_rows_get_bytes(const void** out, uint64_t* out_size, const backoff_jobs_rows* rows, uint64_t index,
                                int field) {
  JOBS_REQUIRE(out);
  JOBS_REQUIRE(out_size);
  JOBS_REQUIRE(rows);
  return jobs_guarded(__func__, [&]() -> int {
    const Cell& cell = field_cell(*rows, index, field, true);
    *out = cell.bytes.c_str();
    *out_size = cell.bytes.size();
    return BACKOFF_OK;
  });
}

}
