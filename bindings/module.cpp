// libbackoff._core: the C++ core, seen from Python.
//
// CLASSES
//   Param                 the policy parameters of core/include/backoff/config.hpp
//   Config                the mutable parameter set; every setter validates (bind_config.cpp)
//   Policy                the immutable schedule, stateless delay(attempt, key) (bind_policy.cpp)
//   Backoff               the stateful form, next(hint_ns) (bind_backoff.cpp)
//   Retrier               the decisions of one retried call (bind_retrier.cpp)
//   Retried, BoundRetried what @retry returns for a plain function, and its bound method (bind_retried.cpp)
//   BreakerConfig         a breaker's parameters, and the breaker's enums (bind_breaker_config.cpp)
//   Breaker               the circuit breaker (bind_breaker.cpp)
//   BudgetConfig, Budget  the retry budget and its parameters (bind_budget.cpp)
//   KeyedObjects          Python objects per key in bounded memory, lock-free look-ups (bind_keyed_objects.cpp)
//
// FUNCTIONS
//   parse_retry_after     the HTTP Retry-After parser (bind_retry_after.cpp)
//   enum_names, param_table
//                         the vocabulary: every enum's names, every parameter's metadata (bind_vocabulary.cpp)
//
// Errors: backoff::Error becomes TypeError for a parameter given the wrong type, ValueError otherwise,
// with the core's message unchanged ("multiplier: must be at least 1 (got 0.5)").
#include <Python.h>
#include <pybind11/pybind11.h>

#include <string>

#include "backoff/status.hpp"
#include "backoff/version.hpp"
#include "bind.hpp"
#include "bind_vocabulary.hpp"
#include "fastcall.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, module) {
  module.doc() = "The libbackoff C++ core. Private: use the libbackoff package.";
  module.attr("BACKOFF_VERSION_STRING") = std::string(backoff::version::kString);

  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const backoff::Error& e) {
      backoff_python::set_error_from_core(e);
    }
  });

  backoff_python::bind_config(module);
  backoff_python::bind_vocabulary(module);
  backoff_python::bind_policy(module);
  backoff_python::bind_backoff(module);
  backoff_python::bind_retrier(module);
  backoff_python::bind_retried(module);
  backoff_python::bind_retry_after(module);
  backoff_python::bind_breaker_config(module);
  backoff_python::bind_breaker(module);
  backoff_python::bind_budget(module);
  backoff_python::bind_adaptive(module);
  backoff_python::bind_keyed_objects(module);
  backoff_python::bind_observe(module);
}
