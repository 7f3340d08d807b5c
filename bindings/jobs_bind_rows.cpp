// Row sets to Python: which fields a row set carries, and their types, are asked of the row set (its
// first row) rather than copied from backoff_jobs.h's table, so a field added to the library shows up.
#include <memory>

#include "jobs_bind.hpp"

namespace py = pybind11;

namespace backoff_jobs_python {
namespace {

using Field = RowReader::Field;

// The fields of this row set, in field order. Probing a field the set does not carry returns
// BACKOFF_EUNKNOWN; that is the answer, not an error.
std::vector<Field> carried_fields(const backoff_jobs_rows* rows) {
  std::vector<Field> fields;
  for (int id = 0;; ++id) {
    const char* name = backoff_jobs_name_of(BACKOFF_JOBS_ENUM_FIELD, id);
    if (name == nullptr) break;
    int64_t number = 0;
    const int status = backoff_jobs_rows_get_i64(&number, rows, 0, id);
    if (status == BACKOFF_OK || status == BACKOFF_ETYPE) fields.push_back({id, py::str(name), status == BACKOFF_ETYPE});
  }
  return fields;
}

py::dict read_row(const backoff_jobs_rows* rows, uint64_t index, const std::vector<Field>& fields) {
  py::dict row;
  for (const Field& field : fields) {
    if (field.is_bytes) {
      const void* bytes = nullptr;
      uint64_t size = 0;
      check(backoff_jobs_rows_get_bytes(&bytes, &size, rows, index, field.id));
      row[field.name] = py::bytes(static_cast<const char*>(bytes), static_cast<size_t>(size));
    } else {
      int64_t number = 0;
      check(backoff_jobs_rows_get_i64(&number, rows, index, field.id));
      row[field.name] = number;
    }
  }
  return row;
}

}  // namespace

py::list rows_to_list(backoff_jobs_rows* rows) {
  const std::unique_ptr<backoff_jobs_rows, decltype(&backoff_jobs_rows_free)> owned(rows, backoff_jobs_rows_free);
  uint64_t count = 0;
  check(backoff_jobs_rows_count(&count, rows));
  py::list list;
  if (count == 0) return list;
  const std::vector<Field> fields = carried_fields(rows);
  for (uint64_t index = 0; index < count; ++index) list.append(read_row(rows, index, fields));
  return list;
}

py::dict RowReader::read(const backoff_jobs_rows* rows, uint64_t index) {
  if (rows != rows_) {
    fields_ = carried_fields(rows);
    rows_ = rows;
  }
  return read_row(rows, index, fields_);
}

}  // namespace backoff_jobs_python
