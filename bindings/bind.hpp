// The pieces of the libbackoff._core module, one per core header. Each only converts types: C++ names,
// int64 nanoseconds and uint64 attempts pass through unchanged; Python units live in python/libbackoff.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <string_view>

#include "backoff/breaker.hpp"
#include "backoff/budget.hpp"
#include "backoff/retry_stats.hpp"

namespace backoff_python {

void bind_config(pybind11::module_& module);   // Param, Config and the free helpers
void bind_policy(pybind11::module_& module);   // Policy: the stateless form
void bind_backoff(pybind11::module_& module);  // Backoff: the stateful form
void bind_retrier(pybind11::module_& module);  // Retrier: the decisions of one retried call
void bind_retried(pybind11::module_& module);  // Retried: what @retry returns for a plain function
void bind_retry_after(pybind11::module_& module);  // parse_retry_after: the HTTP Retry-After parser
void bind_breaker_config(pybind11::module_& module);  // BreakerConfig and the breaker's enums
void bind_breaker(pybind11::module_& module);         // Breaker: the circuit breaker
void bind_budget(pybind11::module_& module);          // Budget, BudgetConfig and their enums
void bind_adaptive(pybind11::module_& module);        // AdaptiveLimiter: AWS adaptive retry mode
void bind_keyed_objects(pybind11::module_& module);   // KeyedObjects: Python objects per key
void bind_observe(pybind11::module_& module);         // RetryStats, names, snapshots (bind_observe.cpp)

// The core breaker inside a _core.Breaker, for the Retrier to attach; nullptr with TypeError set if
// `object` is not one. Borrowed: it lives as long as `object`.
backoff::Breaker* core_breaker(PyObject* object);

// The core budget inside a _core.Budget, as core_breaker().
backoff::Budget* core_budget(PyObject* object);

// The core statistics inside a _core.RetryStats, as core_breaker(). Held alive by `object`.
backoff::RetryStats* core_retry_stats(PyObject* object);

// A str argument as UTF-8 for the core, valid while `value` lives; otherwise throws the TypeError or
// ValueError (a lone surrogate such as '\ud800') of fastcall.hpp's text_arg, naming `param`. Text
// arguments take any object so that this, not pybind11's overload table, reports a bad one.
std::string_view text(const pybind11::handle& value, const char* param);

// The set_text(name, value) of every configuration (Config, BreakerConfig, BudgetConfig): the value's
// errors name the parameter it was meant for.
template <class Config>
void set_text(Config& config, const pybind11::handle& name, const pybind11::handle& value) {
  const std::string param(text(name, "name"));
  config.set_text(param, text(value, param.c_str()));
}

// The class of a configuration with what all three have: a default constructor and the validating typed
// setters. The caller adds what its family alone has (Config's copy and seed, the breaker's open policy).
template <class Config>
pybind11::class_<Config> bind_config_class(pybind11::module_& module, const char* name) {
  namespace py = pybind11;
  // No fields: a config changes only through its validating setters.
  return py::class_<Config>(module, name)
      .def(py::init<>())
      .def("set_i64", &Config::set_i64, py::arg("param"), py::arg("value"))
      .def("set_f64", &Config::set_f64, py::arg("param"), py::arg("value"))
      .def("set_text", &set_text<Config>, py::arg("name"), py::arg("value"));
}

}  // namespace backoff_python
