// What the plain CPython types over one core object share (bind_breaker.cpp, bind_budget.cpp,
// bind_backoff.cpp): the core object lives in the Python object's own memory, and the time comes from an
// optional Python clock.
//
// Why embedded: a per-key object exists by the hundred thousand (docs/scale.md), and a core object
// allocated on its own costs a second allocation, its malloc header and a pointer. The public Python
// classes subclass these types (`class CircuitBreaker(_core.Breaker)` with __slots__), so one Python
// object, one allocation, holds the public object and the core one.
#pragma once

#include <Python.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstring>
#include <cstdint>
#include <new>
#include <optional>
#include <vector>

#include "backoff/clock.hpp"
#include "fastcall.hpp"

namespace backoff_python {

// Storage for one T inside a CPython object. CPython hands out objects aligned to 16 bytes (pymalloc and
// malloc alike); a T that asks for more (the breaker's cache-line-aligned counters) is placed at the first
// address aligned for it, within `kSlack` spare bytes.
template <class T>
class Embedded {
 public:
  static constexpr std::size_t kObjectAlign = 16;
  static constexpr std::size_t kSlack = alignof(T) > kObjectAlign ? alignof(T) - kObjectAlign : 0;

  // Where the T goes: construct it there with placement new, destroy it with ~T().
  void* place() noexcept {
    const auto address = reinterpret_cast<std::uintptr_t>(bytes_);
    return reinterpret_cast<void*>((address + alignof(T) - 1) & ~static_cast<std::uintptr_t>(alignof(T) - 1));
  }

 private:
  alignas(alignof(T) < kObjectAlign ? alignof(T) : kObjectAlign) unsigned char bytes_[sizeof(T) + kSlack];
};

// The time now on `clock` (a Python callable returning int nanoseconds), or std::nullopt for a null clock:
// the core then reads its own monotonic clock. False, with the Python exception set, when the clock
// raises or returns something else than an int64.
inline bool clock_now(PyObject* clock, std::optional<backoff::Instant>* out) {
  if (clock == nullptr) {
    out->reset();
    return true;
  }
  PyObject* now = PyObject_CallNoArgs(clock);
  if (now == nullptr) return false;
  std::int64_t now_ns;
  const bool read = int64_arg(now, &now_ns);
  Py_DECREF(now);
  if (read) *out = backoff::Instant::from_ns(now_ns);
  return read;
}

// The `clock` argument of a type's constructor: None (the core's clock) as null, else a callable, borrowed.
inline bool clock_arg(PyObject* arg, PyObject** out) {
  if (arg == Py_None) {
    *out = nullptr;
    return true;
  }
  if (!PyCallable_Check(arg)) {
    PyErr_Format(PyExc_TypeError, "clock: expected a callable returning int nanoseconds, or None (got %R)", arg);
    return false;
  }
  *out = arg;
  return true;
}

// The arguments of a constructor `Name(first, clock=None, /)`: `format` is "O|O:Name"; `first` borrowed,
// unchecked; the clock as clock_arg reads it. False, with the Python exception set, when they do not parse.
inline bool first_and_clock_args(PyObject* args, PyObject* kwargs, const char* format, PyObject** first,
                                 PyObject** clock) {
  static const char* const keywords[] = {"", "", nullptr};  // both positional only
  PyObject* clock_option = Py_None;
  return PyArg_ParseTupleAndKeywords(args, kwargs, format, const_cast<char**>(keywords), first, &clock_option) &&
         clock_arg(clock_option, clock);
}

// `object` as the struct of the plain type `type` (a subclass's instance too), or nullptr with the
// TypeError "<param>: expected a <expected> (got ...)" when it is not one.
template <class Plain>
Plain* instance_of(PyObject* object, PyTypeObject* type, const char* param, const char* expected) {
  if (type == nullptr || !PyObject_TypeCheck(object, type)) {
    PyErr_Format(PyExc_TypeError, "%s: expected a %s (got %R)", param, expected, object);
    return nullptr;
  }
  return reinterpret_cast<Plain*>(object);
}

// `object` as the pybind11 class T an argument must be (a configuration), borrowed, or nullptr with the
// TypeError "<what> (got ...)" when it is not one.
template <class T>
const T* bound_arg(PyObject* object, const char* what) {
  try {
    return &pybind11::cast<const T&>(pybind11::handle(object));
  } catch (const pybind11::cast_error&) {
    PyErr_Format(PyExc_TypeError, "%s (got %R)", what, object);
    return nullptr;
  }
}

// A METH_FASTCALL method as the PyCFunction its PyMethodDef holds.
inline PyCFunction fastcall(PyObject* (*method)(PyObject*, PyObject* const*, Py_ssize_t)) {
  return reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(method));
}

// What a plain type is made of. Fields after `doc` are optional: a null one is left out of the type.
// Py_TPFLAGS_DEFAULT is always set; `flags` adds to it (BASETYPE, HAVE_GC, HAVE_VECTORCALL, ...).
struct TypeParts {
  const char* name;  // dotted: the module adds the type under its last part
  int size;
  unsigned long flags;
  const char* doc;
  newfunc make = nullptr;
  destructor dealloc = nullptr;
  traverseproc traverse = nullptr;
  inquiry clear = nullptr;
  PyMethodDef* methods = nullptr;
  PyGetSetDef* getset = nullptr;
  PyMemberDef* members = nullptr;
  descrgetfunc bind = nullptr;
  getattrofunc getattro = nullptr;
  reprfunc repr = nullptr;
  ternaryfunc call = nullptr;
};

// Makes the type `parts` describes and adds it to `module` under the last part of its dotted name.
// Returns the type, borrowed: the module keeps it alive. Throws pybind11::error_already_set if CPython
// refuses it.
inline PyTypeObject* add_type(pybind11::module_& module, const TypeParts& parts) {
  std::vector<PyType_Slot> slots = {{Py_tp_doc, const_cast<char*>(parts.doc)}};
  const auto add = [&slots](int slot, auto* value) {
    if (value != nullptr) slots.push_back({slot, reinterpret_cast<void*>(value)});
  };
  add(Py_tp_new, parts.make);
  add(Py_tp_dealloc, parts.dealloc);
  add(Py_tp_traverse, parts.traverse);
  add(Py_tp_clear, parts.clear);
  add(Py_tp_methods, parts.methods);
  add(Py_tp_getset, parts.getset);
  add(Py_tp_members, parts.members);
  add(Py_tp_descr_get, parts.bind);
  add(Py_tp_getattro, parts.getattro);
  add(Py_tp_repr, parts.repr);
  add(Py_tp_call, parts.call);
  slots.push_back({0, nullptr});
  PyType_Spec spec = {parts.name, parts.size, 0, static_cast<unsigned int>(Py_TPFLAGS_DEFAULT | parts.flags),
                      slots.data()};
  PyObject* type = PyType_FromSpec(&spec);  // copies the slots and the doc; keeps the name, a literal
  if (type == nullptr) throw pybind11::error_already_set();
  module.add_object(std::strrchr(parts.name, '.') + 1, pybind11::reinterpret_steal<pybind11::object>(type));
  return reinterpret_cast<PyTypeObject*>(type);
}

}  // namespace backoff_python
