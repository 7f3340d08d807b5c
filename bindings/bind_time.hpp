// The core's Duration and Instant at the Python boundary: Python passes and gets int nanoseconds (the
// Python package turns them into float seconds), the core takes types. These are the one crossing each
// way: pybind11 casters for the pybind11 classes, and two argument readers for the plain CPython ones.
#pragma once

#include <Python.h>
#include <pybind11/pybind11.h>

#include <cstdint>

#include "backoff/duration.hpp"
#include "fastcall.hpp"

namespace pybind11::detail {

// A Python int of nanoseconds <-> Duration or Instant; a negative duration is passed on for the core to judge.
template <typename Time>
struct ns_caster {
  PYBIND11_TYPE_CASTER(Time, const_name("int"));
  bool load(handle source, bool convert) {
    make_caster<std::int64_t> ns;
    if (!ns.load(source, convert)) return false;
    value = Time::from_ns(cast_op<std::int64_t>(ns));
    return true;
  }
  static handle cast(Time time, return_value_policy, handle) { return PyLong_FromLongLong(time.ns()); }
};

template <>
struct type_caster<backoff::Duration> : ns_caster<backoff::Duration> {};
template <>
struct type_caster<backoff::Instant> : ns_caster<backoff::Instant> {};

}  // namespace pybind11::detail

namespace backoff_python {

inline bool instant_arg(PyObject* arg, backoff::Instant* out) {
  std::int64_t ns;
  if (!int64_arg(arg, &ns)) return false;
  *out = backoff::Instant::from_ns(ns);
  return true;
}

// instant_arg for a step's optional time: nullptr (the object's own clock) is read as nothing, and true.
inline bool optional_instant_arg(PyObject* arg, backoff::Instant* out) {
  return arg == nullptr || instant_arg(arg, out);
}

inline bool duration_arg(PyObject* arg, backoff::Duration* out) {
  std::int64_t ns;
  if (!int64_arg(arg, &ns)) return false;
  *out = backoff::nanoseconds(ns);
  return true;
}

inline PyObject* py_ns(backoff::Duration duration) { return PyLong_FromLongLong(duration.ns()); }

}  // namespace backoff_python
