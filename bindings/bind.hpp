// The pieces of the libbackoff._core module, one per core header. Each only converts types: C++ names,
// int64 nanoseconds and uint64 attempts pass through unchanged; Python units live in python/libbackoff.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <string_view>

#include "backoff/breaker.hpp"

namespace backoff_python {

void bind_config(pybind11::module_& module);   // Param, Config and the free helpers
void bind_policy(pybind11::module_& module);   // Policy: the stateless form
void bind_backoff(pybind11::module_& module);  // Backoff: the stateful form
void bind_retrier(pybind11::module_& module);  // Retrier: the decisions of one retried call
void bind_retry_after(pybind11::module_& module);  // parse_retry_after: the HTTP Retry-After parser
void bind_breaker_config(pybind11::module_& module);  // BreakerConfig and the breaker's enums
void bind_breaker(pybind11::module_& module);         // Breaker: the circuit breaker
void bind_budget(pybind11::module_& module);          // Budget, BudgetConfig, BudgetPool

// The core breaker inside a _core.Breaker, for the Retrier to attach; nullptr with TypeError set if
// `object` is not one. Borrowed: it lives as long as `object`.
backoff::Breaker* core_breaker(PyObject* object);

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

}  // namespace backoff_python
