// Policy: the immutable schedule and its stateless form. Delays are int64 nanoseconds, kStop is -1.
#include <memory>

#include "backoff/key_hash.hpp"
#include "backoff/policy.hpp"
#include "bind.hpp"
#include "bind_time.hpp"  // delays and elapsed_ns stay ints of nanoseconds in Python

namespace py = pybind11;

namespace backoff_python {

void bind_policy(py::module_& module) {
  using backoff::Policy;

  module.attr("STOP") = backoff::kStop;
  module.def(
      "key_hash",
      [](const py::bytes& key) {
        char* data = nullptr;
        Py_ssize_t size = 0;
        PyBytes_AsStringAndSize(key.ptr(), &data, &size);  // cannot fail: pybind11 checked the type
        return backoff::key_hash(reinterpret_cast<const unsigned char*>(data), static_cast<std::size_t>(size));
      },
      py::arg("key"));

  // Held by shared_ptr, so that a Backoff shares it instead of copying it (bind_backoff.cpp).
  py::class_<Policy, std::shared_ptr<Policy>>(module, "Policy")
      .def(py::init<const backoff::Config&>(), py::arg("config"))
      .def("delay", &Policy::delay, py::arg("attempt"), py::arg("key"))
      .def("delay_within", &Policy::delay_within, py::arg("attempt"), py::arg("key"), py::arg("elapsed_ns"))
      .def("base_delay", &Policy::base_delay, py::arg("attempt"))
      .def("get_i64", &Policy::get_i64, py::arg("param"))
      .def("get_f64", &Policy::get_f64, py::arg("param"))
      .def("get_u64", &Policy::get_u64, py::arg("param"))
      .def("seeded", &Policy::seeded)
      .def("config", &Policy::config, py::return_value_policy::copy);
}

}  // namespace backoff_python
