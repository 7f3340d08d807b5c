// backoff_jobs_rows: what claim, list, errors and stats return. A query's result plus the field each of
// its columns holds, so every row set is read through the same two getters.
#pragma once

#include <string>
#include <vector>

#include "connection.hpp"

struct backoff_jobs_rows {
  const char* kind;         // "claim", "list", "errors", "stats": named in messages
  std::vector<int> fields;  // the backoff_jobs_field of each column
  backoff::jobs::Result result;
};

namespace backoff::jobs {

// The columns of a job row, in the order kJobFields names them; `prefix` qualifies them ("j.").
std::string job_columns(const std::string& prefix = "");
extern const std::vector<int> kJobFields;
extern const std::vector<int> kErrorFields;
extern const std::vector<int> kStatsFields;

backoff_jobs_rows* new_rows(const char* kind, const std::vector<int>& fields, Result result);

// The cell of `field` in row `index`; throws naming the problem (index past the end, a field the row set
// does not carry, the wrong getter).
const Cell& field_cell(const backoff_jobs_rows& rows, std::uint64_t index, int field, bool want_bytes);

}  // namespace backoff::jobs
