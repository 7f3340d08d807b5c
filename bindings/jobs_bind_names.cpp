// The library's names, enum values and limits, so that libbackoff.jobs keeps no table of its own.
#include <cstdint>
#include <string>

#include "jobs_bind.hpp"

namespace py = pybind11;

namespace backoff_jobs_python {

void bind_names(py::module_& module) {
  // The enum families of backoff_jobs.h whose names libbackoff.jobs asks for.
  module.attr("ENUM_STATE") = static_cast<int>(BACKOFF_JOBS_ENUM_STATE);
  module.attr("ENUM_PLACEHOLDER") = static_cast<int>(BACKOFF_JOBS_ENUM_PLACEHOLDER);
  // What a handler of Store.work returns: backoff.h's attempt results.
  module.attr("ATTEMPT_SUCCESS") = static_cast<int>(BACKOFF_ATTEMPT_SUCCESS);
  module.attr("ATTEMPT_RETRYABLE") = static_cast<int>(BACKOFF_ATTEMPT_RETRYABLE);
  module.attr("ATTEMPT_PERMANENT") = static_cast<int>(BACKOFF_ATTEMPT_PERMANENT);

  module.def("name_of", [](int family, int value) -> py::object {
    const char* name = backoff_jobs_name_of(family, value);
    return name != nullptr ? py::object(py::str(name)) : py::object(py::none());
  }, py::arg("family"), py::arg("value"));
  module.def("value_of", [](int family, const std::string& name) {
    int value = 0;
    check(backoff_jobs_value_of(&value, family, name.c_str()));
    return value;
  }, py::arg("family"), py::arg("name"));
  module.def("limit", [](const std::string& name) {
    int limit = 0;
    check(backoff_jobs_value_of(&limit, BACKOFF_JOBS_ENUM_LIMIT, name.c_str()));
    int64_t value = 0;
    check(backoff_jobs_limit_get(&value, limit));
    return value;
  }, py::arg("name"));
}

}  // namespace backoff_jobs_python
