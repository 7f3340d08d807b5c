// AdaptiveLimiter: the AWS adaptive retry mode's rate limiter. Times are int64 nanoseconds; the Python
// package (python/libbackoff/adaptive.py) gives them their units, sleeps, and raises RateLimitExceeded.
//
// The GIL is held through every call: the limiter's mutex guards a few dozen floating-point operations
// and never runs Python, so no call here can wait on another Python thread.
#include <memory>

#include "backoff/adaptive_limiter.hpp"
#include "bind.hpp"
#include "bind_time.hpp"  // now_ns stays an int of nanoseconds in Python

namespace py = pybind11;

namespace backoff_python {

void bind_adaptive(py::module_& module) {
  using backoff::AdaptiveLimiter;
  using backoff::LimiterState;

  py::class_<LimiterState>(module, "LimiterState")
      .def_readonly("fill_rate", &LimiterState::fill_rate)
      .def_readonly("measured_rate", &LimiterState::measured_rate)
      .def_readonly("capacity", &LimiterState::capacity)
      .def_readonly("tokens", &LimiterState::tokens)
      .def_readonly("enabled", &LimiterState::enabled);

  // Held by shared_ptr: the Retriers it is attached to hold the Python object, which holds this.
  py::class_<AdaptiveLimiter, std::shared_ptr<AdaptiveLimiter>>(module, "AdaptiveLimiter")
      .def(py::init([](bool fail_fast) { return std::make_shared<AdaptiveLimiter>(backoff::LimiterConfig{fail_fast}); }),
           py::arg("fail_fast"))
      .def("acquire_at", &AdaptiveLimiter::acquire_at, py::arg("now_ns"))
      .def("record_at", &AdaptiveLimiter::record_at, py::arg("now_ns"), py::arg("throttled"))
      .def("state", &AdaptiveLimiter::state)
      .def("fail_fast", [](const AdaptiveLimiter& limiter) { return limiter.config().fail_fast; });
}

}  // namespace backoff_python
