// Argument conversion for the plain CPython types of the binding (bind_breaker.cpp).
//
// Types on a hot path are written against the C API with METH_FASTCALL entry points instead of pybind11's
// generic dispatch, which costs about 100 ns per call (see bind_retrier.cpp for the measurements). These
// helpers keep their argument checks short: each converts one argument or sets a Python exception and
// returns false.
#pragma once

#include <Python.h>

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include "backoff/status.hpp"

namespace backoff_python {

// The core's Error as Python sees it: TypeError for a parameter given the wrong type, ValueError
// otherwise, with the core's message unchanged. pybind11's exception translator (module.cpp) and the
// plain types share it.
inline void set_error_from_core(const backoff::Error& error) {
  PyErr_SetString(error.status() == backoff::Status::wrong_type ? PyExc_TypeError : PyExc_ValueError, error.what());
}

// The tuple (first, second), stealing both references; nullptr, with both released, when either is nullptr
// (its error set) or the tuple cannot be made. Built by hand: Py_BuildValue would parse its format string on
// every call, which costs as much as the rest of a step.
inline PyObject* pair_of(PyObject* first, PyObject* second) {
  PyObject* pair = first != nullptr && second != nullptr ? PyTuple_New(2) : nullptr;
  if (pair == nullptr) {
    Py_XDECREF(first);
    Py_XDECREF(second);
    return nullptr;
  }
  PyTuple_SET_ITEM(pair, 0, first);
  PyTuple_SET_ITEM(pair, 1, second);
  return pair;
}

// Runs a core call. A backoff::Error (or any other C++ exception: a bug, std::bad_alloc) becomes a Python
// exception and false: nothing may unwind into Python.
template <class Call>
bool core_call(Call&& call) {
  try {
    call();
    return true;
  } catch (const backoff::Error& error) {
    set_error_from_core(error);
  } catch (const std::exception& error) {
    PyErr_SetString(PyExc_RuntimeError, error.what());
  }
  return false;
}

// repr(value) as an error message quotes it: clipped by the core's rule (backoff::clip_value). repr
// escapes lone surrogates, so the result is always valid UTF-8.
inline std::string shown(PyObject* value) {
  PyObject* repr = PyObject_Repr(value);
  const char* text = repr ? PyUnicode_AsUTF8(repr) : nullptr;
  std::string result = text ? backoff::clip_value(text) : std::string("<unprintable>");
  if (!text) PyErr_Clear();
  Py_XDECREF(repr);
  return result;
}

// A str argument as UTF-8 for the core, valid while `arg` lives. A str holding a lone surrogate
// ('\ud800') has no UTF-8 form: ValueError naming `param`, where pybind11's own conversion would report
// its signature table instead. Anything but a str: TypeError naming `param`.
inline bool text_arg(PyObject* arg, const char* param, std::string_view* out) {
  if (!PyUnicode_Check(arg)) {
    PyErr_Format(PyExc_TypeError, "%s: expected a str (got %s)", param, shown(arg).c_str());
    return false;
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(arg, &size);
  if (data == nullptr) {
    PyErr_Clear();
    PyErr_Format(PyExc_ValueError, "%s: is not valid text, it holds a lone surrogate (got %s)", param,
                 shown(arg).c_str());
    return false;
  }
  *out = std::string_view(data, static_cast<std::size_t>(size));
  return true;
}

inline bool int64_arg(PyObject* arg, std::int64_t* out) {
  const long long value = PyLong_AsLongLong(arg);  // sets TypeError or OverflowError itself
  if (value == -1 && PyErr_Occurred()) return false;
  *out = value;
  return true;
}

inline bool uint64_arg(PyObject* arg, std::uint64_t* out) {
  // PyLong_AsUnsignedLongLong accepts only ints (no __index__) and raises OverflowError for negatives.
  const unsigned long long value = PyLong_AsUnsignedLongLong(arg);
  if (value == static_cast<unsigned long long>(-1) && PyErr_Occurred()) return false;
  *out = value;
  return true;
}

// An int64 that must name one of `count` enumerators 0 .. count - 1: ValueError naming `what` otherwise.
inline bool enum_arg(PyObject* arg, int count, const char* what, int* out) {
  std::int64_t value;
  if (!int64_arg(arg, &value)) return false;
  if (value < 0 || value >= count) {
    PyErr_Format(PyExc_ValueError, "%s: unknown value %lld", what, static_cast<long long>(value));
    return false;
  }
  *out = static_cast<int>(value);
  return true;
}

inline bool check_nargs(const char* name, Py_ssize_t nargs, Py_ssize_t expected) {
  if (nargs == expected) return true;
  PyErr_Format(PyExc_TypeError, "%s() takes %zd positional arguments (%zd given)", name, expected, nargs);
  return false;
}

}  // namespace backoff_python
