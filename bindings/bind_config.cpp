// Kind, Jitter, Param, Config and the core's conversion helpers.
#include <cstdint>
#include <string>
#include <string_view>

#include "backoff/config.hpp"
#include "backoff/param_table.hpp"
#include "backoff/status.hpp"
#include "bind.hpp"
#include "bind_vocabulary.hpp"
#include "fastcall.hpp"

namespace py = pybind11;

namespace backoff_python {

std::string_view text(const py::handle& value, const char* param) {
  std::string_view out;
  if (!text_arg(value.ptr(), param, &out)) throw py::error_already_set();
  return out;
}

void bind_config(py::module_& module) {
  using backoff::Config;
  using backoff::Param;

  BACKOFF_BIND_PARAM_ENUM(module, backoff::Param, "Param", BACKOFF_POLICY_PARAMS);

  // No fields: a Config changes only through its validating setters, and a Policy reads values back.
  bind_config_class<Config>(module, "Config")
      .def(py::init<const Config&>(), py::arg("other"))
      .def("set_u64", &Config::set_u64, py::arg("param"), py::arg("value"));

  module.def("param_from_name", [](const py::handle& name) { return backoff::param_from_name<backoff::Param>(text(name, "name")); },
             py::arg("name"));
  module.def("ns_from_seconds", &backoff::ns_from_seconds, py::arg("seconds"), py::arg("param"));
  module.def("parse_duration", [](const py::handle& value, const std::string& param) {
    return backoff::parse_duration(text(value, param.c_str()), param.c_str());
  }, py::arg("text"), py::arg("param"));
  module.def("parse_uint64", [](const py::handle& value, const std::string& param) {
    return backoff::parse_uint64(text(value, param.c_str()), param.c_str());
  }, py::arg("text"), py::arg("param"));
  module.def("parse_int64", [](const py::handle& value, const std::string& param) {
    return backoff::parse_int64(text(value, param.c_str()), param.c_str());
  }, py::arg("text"), py::arg("param"));
  module.def("clip_value", [](const py::handle& value) { return backoff::clip_value(text(value, "value")); },
             py::arg("value"));
}

}  // namespace backoff_python
