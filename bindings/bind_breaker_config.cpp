// BreakerConfig and the breaker's enums. The Python package reads the enums' names and values to map its
// own names onto the core's ints, so each has one source: core/include/backoff/breaker*.hpp.
#include "backoff/breaker.hpp"
#include "backoff/breaker_config.hpp"
#include "bind.hpp"
#include "bind_vocabulary.hpp"

namespace py = pybind11;

namespace backoff_python {

void bind_breaker_config(py::module_& module) {
  using backoff::BreakerConfig;

  BACKOFF_BIND_PARAM_ENUM(module, backoff::BreakerParam, "BreakerParam", BACKOFF_BREAKER_PARAMS);

  BACKOFF_BIND_ENUM(module, backoff::BreakerState, "BreakerState", BACKOFF_VOCAB_BREAKER_STATE);

  BACKOFF_BIND_ENUM(module, backoff::BreakerCause, "BreakerCause", BACKOFF_VOCAB_BREAKER_CAUSE);

  BACKOFF_BIND_ENUM(module, backoff::Outcome, "Outcome", BACKOFF_VOCAB_OUTCOME);

  bind_config_class<BreakerConfig>(module, "BreakerConfig")
      .def("set_open_policy", &BreakerConfig::set_open_policy, py::arg("policy"))
      .def("get_i64", &BreakerConfig::get_i64, py::arg("param"));
}

}  // namespace backoff_python
