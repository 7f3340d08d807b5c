// The pieces of the libbackoff._jobs module: libbackoff_jobs's C API (backoff_jobs.h), seen from Python.
// Each only converts types: statuses become _jobs.Error, row sets become lists of dicts keyed by the
// library's field names, nanoseconds stay ints. Every database call runs with the GIL released.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <vector>

#include "backoff_jobs.h"

namespace backoff_jobs_python {

// Raises _jobs.Error(status, name, message) for a failed status: the status's name as the library gives
// it ("stale_lease", "invalid_value") and backoff_last_error(), read on the thread that made the call.
void raise_status(int status);

// Calls raise_status() unless status is BACKOFF_OK. For calls made with the GIL released: it takes the
// message first, then the GIL.
inline void check(int status) {
  if (status != BACKOFF_OK) raise_status(status);
}

// A row set as a list of dicts {field name: int or bytes}, holding the fields that this kind of row set
// carries (backoff_jobs.h's table), asked of the row set itself. Frees `rows`.
pybind11::list rows_to_list(backoff_jobs_rows* rows);

// Reads one row at a time as such a dict, for the worker loop's handler. It learns the fields of a row
// set once, at its first row, not once per job.
class RowReader {
 public:
  pybind11::dict read(const backoff_jobs_rows* rows, uint64_t index);

  struct Field {
    int id;
    pybind11::str name;
    bool is_bytes;
  };

 private:
  const backoff_jobs_rows* rows_ = nullptr;
  std::vector<Field> fields_;
};

void bind_store(pybind11::module_& module);  // Store: one connection, every store call
void bind_names(pybind11::module_& module);  // name_of, value_of, limit, the enum family ids

}  // namespace backoff_jobs_python
