// BreakerConfig and the breaker's enums. The Python package reads the enums' names and values to map its
// own names onto the core's ints, so each has one source: core/include/backoff/breaker*.hpp.
#include "backoff/breaker.hpp"
#include "backoff/breaker_config.hpp"
#include "bind.hpp"
#include "bind_vocabulary.hpp"

namespace py = pybind11;

namespace backoff_python {

void bind_breaker_config(py::module_& module) {
  using backoff::BreakerCause;
  using backoff::BreakerConfig;
  using backoff::BreakerParam;
  using backoff::BreakerState;
  using backoff::Outcome;

  BACKOFF_BIND_PARAM_ENUM(module, backoff::BreakerParam, "BreakerParam", BACKOFF_BREAKER_PARAMS);

  BACKOFF_BIND_ENUM(module, backoff::BreakerState, "BreakerState", BACKOFF_VOCAB_BREAKER_STATE);

  BACKOFF_BIND_ENUM(module, backoff::BreakerCause, "BreakerCause", BACKOFF_VOCAB_BREAKER_CAUSE);

  BACKOFF_BIND_ENUM(module, backoff::Outcome, "Outcome", BACKOFF_VOCAB_OUTCOME);

  // No fields: a config changes only through its validating setters.
  py::class_<BreakerConfig>(module, "BreakerConfig")
      .def(py::init<>())
      .def("set_i64", &BreakerConfig::set_i64, py::arg("param"), py::arg("value"))
      .def("set_f64", &BreakerConfig::set_f64, py::arg("param"), py::arg("value"))
      .def("set_text", &set_text<BreakerConfig>, py::arg("name"), py::arg("value"))
      .def("set_open_policy", &BreakerConfig::set_open_policy, py::arg("policy"))
      .def("get_i64", &BreakerConfig::get_i64, py::arg("param"));
}

}  // namespace backoff_python
