// Retrier: the decisions of one retried call, as a plain CPython type rather than a pybind11 class.
//
// Why: a retry loop creates one Retrier at the first failure of every failing call and calls it once per
// failed attempt. pybind11's generic machinery (instance registry, overload dispatch, std::optional caster)
// costs ~400 ns per creation and ~135 ns per call here, against ~70 ns and ~45 ns for a plain type with
// vectorcall entry points; on a call that fails four times that is most of our overhead
// (bench/python/bench_retry.py). Like the rest of the binding it only converts types: int64 nanoseconds
// in, float seconds or None (kStop) out.
#include <Python.h>

#include <cstdint>
#include <new>
#include <type_traits>

#include "backoff/retrier.hpp"
#include "bind.hpp"

namespace py = pybind11;

namespace backoff_python {
namespace {

// Trivially destructible, so dealloc only frees the memory.
static_assert(std::is_trivially_destructible<backoff::Retrier>::value, "Retrier needs a destructor call");

struct RetrierObject {
  PyObject_HEAD
  backoff::Retrier retrier;  // placement-constructed by make_retrier
};

backoff::Retrier& retrier_of(PyObject* self) { return reinterpret_cast<RetrierObject*>(self)->retrier; }

PyObject* seconds_or_none(std::int64_t delay_ns) {
  if (delay_ns == backoff::kStop) Py_RETURN_NONE;
  return PyFloat_FromDouble(static_cast<double>(delay_ns) / 1e9);
}

bool int64_arg(PyObject* arg, std::int64_t* out) {
  const long long value = PyLong_AsLongLong(arg);  // sets TypeError or OverflowError itself
  if (value == -1 && PyErr_Occurred()) return false;
  *out = value;
  return true;
}

bool check_nargs(const char* name, Py_ssize_t nargs, Py_ssize_t expected) {
  if (nargs == expected) return true;
  PyErr_Format(PyExc_TypeError, "%s() takes %zd positional arguments (%zd given)", name, expected, nargs);
  return false;
}

// Retrier(policy) or Retrier(policy, now_ns).
PyObject* make_retrier(PyObject* type, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  const Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  if ((kwnames != nullptr && PyTuple_GET_SIZE(kwnames) != 0) || nargs < 1 || nargs > 2) {
    PyErr_SetString(PyExc_TypeError, "Retrier(policy, now_ns=None, /) takes one or two positional arguments");
    return nullptr;
  }
  const backoff::Policy* policy = nullptr;
  try {
    policy = &py::cast<const backoff::Policy&>(py::handle(args[0]));
  } catch (const py::cast_error&) {
    PyErr_Format(PyExc_TypeError, "Retrier: policy must be a _core.Policy (got %R)", args[0]);
    return nullptr;
  }
  const bool at_now = nargs == 2 && args[1] != Py_None;
  std::int64_t now_ns = 0;
  if (at_now && !int64_arg(args[1], &now_ns)) return nullptr;
  PyObject* self = PyType_GenericAlloc(reinterpret_cast<PyTypeObject*>(type), 0);
  if (self == nullptr) return nullptr;
  try {
    if (at_now) {
      new (&retrier_of(self)) backoff::Retrier(*policy, now_ns);
    } else {
      new (&retrier_of(self)) backoff::Retrier(*policy);
    }
  } catch (...) {  // only the default clock could throw, and it does not; never let C++ unwind into Python
    Py_DECREF(self);
    PyErr_SetString(PyExc_RuntimeError, "Retrier: construction failed");
    return nullptr;
  }
  return self;
}

PyObject* new_retrier(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  if (kwargs != nullptr && PyDict_GET_SIZE(kwargs) != 0) {
    PyErr_SetString(PyExc_TypeError, "Retrier() takes positional arguments only");
    return nullptr;
  }
  return make_retrier(reinterpret_cast<PyObject*>(type), &PyTuple_GET_ITEM(args, 0),
                      static_cast<size_t>(PyTuple_GET_SIZE(args)), nullptr);
}

// A heap type: every instance holds a reference to it.
void free_retrier(PyObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  type->tp_free(self);
  Py_DECREF(type);
}

PyObject* on_failure_seconds(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  std::int64_t hint_ns;
  if (!check_nargs("on_failure_seconds", nargs, 1) || !int64_arg(args[0], &hint_ns)) return nullptr;
  return seconds_or_none(retrier_of(self).on_failure(hint_ns));
}

PyObject* on_failure_at_seconds(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  std::int64_t now_ns, hint_ns;
  if (!check_nargs("on_failure_at_seconds", nargs, 2) || !int64_arg(args[0], &now_ns) ||
      !int64_arg(args[1], &hint_ns)) {
    return nullptr;
  }
  return seconds_or_none(retrier_of(self).on_failure_at(now_ns, hint_ns));
}

PyObject* on_permanent_failure(PyObject* self, PyObject*) {
  retrier_of(self).on_permanent_failure();
  Py_RETURN_NONE;
}

PyObject* on_success(PyObject* self, PyObject*) {
  retrier_of(self).on_success();
  Py_RETURN_NONE;
}

PyObject* failures(PyObject* self, PyObject*) { return PyLong_FromUnsignedLongLong(retrier_of(self).failures()); }
PyObject* attempts(PyObject* self, PyObject*) { return PyLong_FromUnsignedLongLong(retrier_of(self).attempts()); }
PyObject* succeeded(PyObject* self, PyObject*) { return PyBool_FromLong(retrier_of(self).succeeded()); }
PyObject* idle_ns(PyObject* self, PyObject*) { return PyLong_FromLongLong(retrier_of(self).idle_ns()); }
PyObject* elapsed(PyObject* self, PyObject*) { return PyLong_FromLongLong(retrier_of(self).elapsed()); }

PyObject* elapsed_at(PyObject* self, PyObject* now) {
  std::int64_t now_ns;
  if (!int64_arg(now, &now_ns)) return nullptr;
  return PyLong_FromLongLong(retrier_of(self).elapsed_at(now_ns));
}

// The "name($self, ...)\n--\n\n" prefix gives each method its __text_signature__ (for stubtest).
PyMethodDef retrier_methods[] = {
    {"on_failure_seconds", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(on_failure_seconds)),
     METH_FASTCALL,
     "on_failure_seconds($self, hint_ns, /)\n--\n\n"
     "Records a failed attempt; returns the delay before the next one in seconds, or None: stop."},
    {"on_failure_at_seconds", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(on_failure_at_seconds)),
     METH_FASTCALL,
     "on_failure_at_seconds($self, now_ns, hint_ns, /)\n--\n\n"
     "As on_failure_seconds, at an explicit time."},
    {"on_permanent_failure", on_permanent_failure, METH_NOARGS,
     "on_permanent_failure($self, /)\n--\n\nRecords a failed attempt that must not be retried."},
    {"on_success", on_success, METH_NOARGS, "on_success($self, /)\n--\n\nRecords that the latest attempt succeeded."},
    {"failures", failures, METH_NOARGS, "failures($self, /)\n--\n\nFailed attempts recorded so far."},
    {"attempts", attempts, METH_NOARGS, "attempts($self, /)\n--\n\nAttempts whose outcome is known."},
    {"succeeded", succeeded, METH_NOARGS, "succeeded($self, /)\n--\n\nWhether the call ended in success."},
    {"idle_ns", idle_ns, METH_NOARGS, "idle_ns($self, /)\n--\n\nThe sum of the delays handed out."},
    {"elapsed", elapsed, METH_NOARGS, "elapsed($self, /)\n--\n\nNanoseconds since the first failure."},
    {"elapsed_at", elapsed_at, METH_O, "elapsed_at($self, now_ns, /)\n--\n\nAs elapsed, at an explicit time."},
    {nullptr, nullptr, 0, nullptr},
};

}  // namespace

void bind_retrier(py::module_& module) {
  static PyType_Slot slots[] = {
      {Py_tp_doc, const_cast<char*>("Retrier(policy, now_ns=None, /)\n--\n\n"
                                    "The decisions of one retried call, from its first failure (or now_ns) to its end.")},
      {Py_tp_new, reinterpret_cast<void*>(new_retrier)},
      {Py_tp_dealloc, reinterpret_cast<void*>(free_retrier)},
      {Py_tp_methods, retrier_methods},
      {0, nullptr},
  };
  static PyType_Spec spec = {"libbackoff._core.Retrier", static_cast<int>(sizeof(RetrierObject)), 0,
                             Py_TPFLAGS_DEFAULT, slots};
  PyObject* type = PyType_FromSpec(&spec);
  if (type == nullptr) throw py::error_already_set();
  // Calls to the type skip tp_new's argument tuple (a Py_tp_vectorcall slot exists only from 3.14 on).
  reinterpret_cast<PyTypeObject*>(type)->tp_vectorcall = make_retrier;
  module.add_object("Retrier", py::reinterpret_steal<py::object>(type));
}

}  // namespace backoff_python
