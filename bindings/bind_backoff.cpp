// Backoff: the stateful form. Python drives time through the *_at methods when a test injects a clock;
// otherwise the core reads its monotonic clock itself, which keeps a failed attempt to one call.
#include <memory>
#include <utility>

#include "backoff/backoff.hpp"
#include "bind.hpp"
#include "bind_time.hpp"  // now_ns, hint_ns and the results stay int nanoseconds in Python

namespace py = pybind11;

namespace backoff_python {

void bind_backoff(py::module_& module) {
  // The shared form: a state per request or per key holds the Python Policy's C++ object, not a copy.
  using Backoff = backoff::SharedBackoff;

  py::class_<Backoff>(module, "Backoff")
      .def(py::init([](std::shared_ptr<backoff::Policy> policy) { return Backoff(std::move(policy)); }),
           py::arg("policy"))
      // No default for hint_ns: pybind11 resolves defaults on every call, and next() is the hot path.
      .def("next", &Backoff::next, py::arg("hint_ns"))
      .def("next_at", &Backoff::next_at, py::arg("now_ns"), py::arg("hint_ns"))
      .def("reset", &Backoff::reset)
      .def("reset_at", &Backoff::reset_at, py::arg("now_ns"))
      .def("elapsed", &Backoff::elapsed)
      .def("elapsed_at", &Backoff::elapsed_at, py::arg("now_ns"))
      .def("attempt", &Backoff::attempt);
}

}  // namespace backoff_python
