// Entry points: reading row sets.
#include "capi_jobs.hpp"

using namespace backoff::jobs;

extern "C" {

void backoff_jobs_rows_free(backoff_jobs_rows* rows) { delete rows; }

int backoff_jobs_rows_count(uint64_t* out, const backoff_jobs_rows* rows) {
  return plain_entry(__func__, {{"out", out}, {"rows", rows}}, [&] { *out = rows->result.rows(); });
}

int backoff_jobs_rows_get_i64(int64_t* out, const backoff_jobs_rows* rows, uint64_t index, int field) {
  return plain_entry(__func__, {{"out", out}, {"rows", rows}},
                     [&] { *out = field_cell(*rows, index, field, false).integer; });
}

int backoff_jobs_rows_get_bytes(const void** out, uint64_t* out_size, const backoff_jobs_rows* rows, uint64_t index,
                                int field) {
  return plain_entry(__func__, {{"out", out}, {"out_size", out_size}, {"rows", rows}}, [&] {
    const Cell& cell = field_cell(*rows, index, field, true);
    *out = cell.bytes.c_str();
    *out_size = cell.bytes.size();
  });
}

}
