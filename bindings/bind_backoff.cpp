// Backoff: the stateful form, as a plain CPython type whose memory holds the core's state (72 B), so that a
// Python Backoff (python/libbackoff/backoff_state.py subclasses it) is one object and one allocation.
//
// The state holds the Python Policy's C++ object, a share, not a copy. Time: a state made with a clock (a
// Python callable returning int nanoseconds, for tests) reads it in each step that needs the time; without
// one the core reads its own monotonic clock, which keeps a failed attempt to one call. The methods' names
// start with an underscore: the subclass's public ones (next, reset, elapsed) convert units.
#include <Python.h>

#include <memory>
#include <new>
#include <optional>

#include "backoff/backoff.hpp"
#include "bind.hpp"
#include "bind_time.hpp"
#include "fastcall.hpp"
#include "plain_type.hpp"

namespace py = pybind11;

namespace backoff_python {
namespace {

struct BackoffObject {
  PyObject_HEAD
  backoff::SharedBackoff* state;  // into `storage`; null only if construction failed
  PyObject* clock;                // owned, or null: the core's monotonic clock
  Embedded<backoff::SharedBackoff> storage;
};

BackoffObject* as_backoff(PyObject* self) { return reinterpret_cast<BackoffObject*>(self); }

// Backoff(policy, clock=None, /): every argument is checked before the object is made; the elapsed time
// starts now, on the state's clock.
PyObject* new_backoff(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  PyObject* policy_arg = nullptr;
  PyObject* clock = nullptr;
  if (!first_and_clock_args(args, kwargs, "O|O:Backoff", &policy_arg, &clock)) return nullptr;
  std::shared_ptr<const backoff::Policy> policy;
  try {
    policy = py::cast<std::shared_ptr<backoff::Policy>>(py::handle(policy_arg));
  } catch (const py::cast_error&) {
    PyErr_Format(PyExc_TypeError, "Backoff: policy must be a _core.Policy (got %R)", policy_arg);
    return nullptr;
  }
  std::optional<backoff::Instant> now;
  if (!clock_now(clock, &now)) return nullptr;
  PyObject* self = type->tp_alloc(type, 0);  // zeroed: state and clock start null
  if (self == nullptr) return nullptr;
  BackoffObject* object = as_backoff(self);
  if (!core_call([&] { object->state = new (object->storage.place()) backoff::SharedBackoff(policy); })) {
    Py_DECREF(self);
    return nullptr;
  }
  if (now) object->state->reset_at(*now);
  Py_XINCREF(clock);
  object->clock = clock;
  return self;
}

// A heap type's instances hold a reference to it; the subclass's own slots are visited by CPython.
int traverse_backoff(PyObject* self, visitproc visit, void* arg) {
  Py_VISIT(Py_TYPE(self));
  Py_VISIT(as_backoff(self)->clock);
  return 0;
}

// Breaks a cycle through the clock (a test's clock that refers back to the state); a state whose clock is
// gone reads the core's, as one made without.
int clear_backoff(PyObject* self) {
  Py_CLEAR(as_backoff(self)->clock);
  return 0;
}

// Also the base step of a subclass's dealloc, which frees the object with its own tp_free.
void free_backoff(PyObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  BackoffObject* object = as_backoff(self);
  PyObject_GC_UnTrack(self);
  if (object->state != nullptr) std::destroy_at(object->state);
  Py_CLEAR(object->clock);
  type->tp_free(self);
  Py_DECREF(type);
}

// _next(hint_ns): the delay in nanoseconds, or STOP.
PyObject* next(PyObject* self, PyObject* hint_arg) {
  backoff::Duration hint, delay;
  std::optional<backoff::Instant> now;
  backoff::SharedBackoff& state = *as_backoff(self)->state;
  if (!duration_arg(hint_arg, &hint) || !clock_now(as_backoff(self)->clock, &now) ||
      !core_call([&] { delay = now ? state.next_at(*now, hint) : state.next(hint); })) {
    return nullptr;
  }
  return py_ns(delay);
}

PyObject* reset(PyObject* self, PyObject*) {
  std::optional<backoff::Instant> now;
  if (!clock_now(as_backoff(self)->clock, &now)) return nullptr;
  backoff::SharedBackoff& state = *as_backoff(self)->state;
  now ? state.reset_at(*now) : state.reset();
  Py_RETURN_NONE;
}

PyObject* elapsed(PyObject* self, PyObject*) {
  std::optional<backoff::Instant> now;
  if (!clock_now(as_backoff(self)->clock, &now)) return nullptr;
  const backoff::SharedBackoff& state = *as_backoff(self)->state;
  return py_ns(now ? state.elapsed_at(*now) : state.elapsed());
}

PyObject* attempt(PyObject* self, PyObject*) { return PyLong_FromUnsignedLongLong(as_backoff(self)->state->attempt()); }

// The "name($self, ...)\n--\n\n" prefix gives each method its __text_signature__ (for stubtest).
PyMethodDef backoff_methods[] = {
    {"_next", next, METH_O,
     "_next($self, hint_ns, /)\n--\n\nThe delay before the next retry in nanoseconds, or STOP; at least hint_ns."},
    {"_reset", reset, METH_NOARGS, "_reset($self, /)\n--\n\nStarts over: attempt 0, elapsed time from now."},
    {"_elapsed", elapsed, METH_NOARGS, "_elapsed($self, /)\n--\n\nNanoseconds since construction or the last reset."},
    {"_attempt", attempt, METH_NOARGS, "_attempt($self, /)\n--\n\nDelays handed out since the last reset."},
    {nullptr, nullptr, 0, nullptr},
};

}  // namespace

void bind_backoff(py::module_& module) {
  add_type(module, {"libbackoff._core.Backoff", static_cast<int>(sizeof(BackoffObject)),
                    Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
                    "Backoff(policy, clock=None, /)\n--\n\n"
                    "The stateful form of a policy; clock() returns the time in int nanoseconds (None: the core's "
                    "monotonic clock).",
                    new_backoff, free_backoff, traverse_backoff, clear_backoff, backoff_methods});
}

}  // namespace backoff_python
