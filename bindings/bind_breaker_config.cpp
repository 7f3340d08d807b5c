// BreakerConfig and the breaker's enums. The Python package reads the enums' names and values to map its
// own names onto the core's ints, so each has one source: core/include/backoff/breaker*.hpp.
#include "backoff/breaker.hpp"
#include "backoff/breaker_config.hpp"
#include "bind.hpp"

namespace py = pybind11;

namespace backoff_python {

void bind_breaker_config(py::module_& module) {
  using backoff::BreakerCause;
  using backoff::BreakerConfig;
  using backoff::BreakerParam;
  using backoff::BreakerState;
  using backoff::Outcome;

  py::enum_<BreakerParam>(module, "BreakerParam")
      .value("trip", BreakerParam::trip)
      .value("failure_threshold", BreakerParam::failure_threshold)
      .value("failure_ratio", BreakerParam::failure_ratio)
      .value("window", BreakerParam::window)
      .value("window_size", BreakerParam::window_size)
      .value("window_duration", BreakerParam::window_duration)
      .value("window_buckets", BreakerParam::window_buckets)
      .value("min_calls", BreakerParam::min_calls)
      .value("slow_call_duration", BreakerParam::slow_call_duration)
      .value("slow_call_ratio", BreakerParam::slow_call_ratio)
      .value("open_duration", BreakerParam::open_duration)
      .value("half_open_probes", BreakerParam::half_open_probes)
      .value("half_open_successes", BreakerParam::half_open_successes)
      .value("half_open_max_duration", BreakerParam::half_open_max_duration)
      .value("permit_lease", BreakerParam::permit_lease)
      .value("max_hint_open", BreakerParam::max_hint_open);

  py::enum_<BreakerState>(module, "BreakerState")
      .value("closed", BreakerState::closed)
      .value("open", BreakerState::open)
      .value("half_open", BreakerState::half_open)
      .value("isolated", BreakerState::isolated)
      .value("disabled", BreakerState::disabled);

  py::enum_<BreakerCause>(module, "BreakerCause")
      .value("failures", BreakerCause::failures)
      .value("failure_ratio", BreakerCause::failure_ratio)
      .value("slow_calls", BreakerCause::slow_calls)
      .value("probe_failed", BreakerCause::probe_failed)
      .value("half_open_timeout", BreakerCause::half_open_timeout)
      .value("open_elapsed", BreakerCause::open_elapsed)
      .value("probes_succeeded", BreakerCause::probes_succeeded)
      .value("manual", BreakerCause::manual);

  py::enum_<Outcome>(module, "Outcome")
      .value("success", Outcome::success)
      .value("failure", Outcome::failure)
      .value("ignored", Outcome::ignored);

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
