// Breaker: the circuit breaker, as a plain CPython type rather than a pybind11 class.
//
// Why: every call through a breaker decorator makes two calls into it, acquire() and record(), and the
// decorator's whole added cost is meant to stay under 250 ns (bench/python/bench_breaker.py); pybind11's
// dispatch alone costs about 100 ns per call. Like the rest of the binding it only converts types: permits
// are ints, times int64 nanoseconds, states, outcomes and causes the core's enum values as ints.
//
// The GIL is held through every call. The core takes its locks only for short work that never runs
// Python, never waits and never reads a clock; Python callers enter the core holding the GIL, so they
// never find its locks taken by each other, and releasing the GIL would cost more than any call here (and
// hand it to another thread, which may keep it for the whole switch interval). The one wait in the core,
// set_listener() waiting for a delivery on another thread to end, happens only at construction, when a
// first listener is installed and when the garbage collector clears an unreachable breaker, when no
// delivery can be running.
#include <Python.h>

#include <array>
#include <cstdint>
#include <exception>
#include <optional>

#include "backoff/breaker.hpp"
#include "bind.hpp"
#include "bind_time.hpp"
#include "fastcall.hpp"

namespace py = pybind11;

namespace backoff_python {
namespace {

struct BreakerObject {
  PyObject_HEAD
  backoff::Breaker* breaker;  // owned; null only if construction failed
  PyObject* listener;         // owned; the core's listener borrows it, so it lives as long as that
};

BreakerObject* as_breaker(PyObject* self) { return reinterpret_cast<BreakerObject*>(self); }
backoff::Breaker& breaker_of(PyObject* self) { return *as_breaker(self)->breaker; }

PyTypeObject* breaker_type = nullptr;  // set by bind_breaker; the module keeps it alive


// The core calls its listener on the thread that made the transition, after releasing its own locks. The
// GIL is taken here, not assumed, so that a caller that entered the core without it is served too. A
// listener that raises is reported through sys.unraisablehook and counted by the core as a listener error:
// the transition has happened, and failing the call that delivered it would strand that call's permit.
backoff::BreakerListener python_listener(PyObject* callable) {
  return [callable](const backoff::BreakerEvent& event) {
    const PyGILState_STATE gil = PyGILState_Ensure();
    PyObject* result = PyObject_CallFunction(callable, "iiiL", static_cast<int>(event.state),
                                             static_cast<int>(event.previous), static_cast<int>(event.cause),
                                             static_cast<long long>(event.at_ns));
    const int status = result == nullptr ? -1 : 0;
    if (result == nullptr) PyErr_WriteUnraisable(callable);
    Py_XDECREF(result);
    PyGILState_Release(gil);
    return status;
  };
}

PyObject* admission_tuple(const backoff::Admission& admission) {
  return pair_of(PyLong_FromUnsignedLongLong(admission.permit), py_ns(admission.wait));
}

PyObject* counts_tuple(PyObject* self, const std::optional<std::int64_t>& now_ns) {
  std::array<std::uint64_t, backoff::kBreakerCountCount> values;
  const bool read = core_call([&] {
    for (int which = 0; which < backoff::kBreakerCountCount; ++which) {
      const auto count = static_cast<backoff::BreakerCount>(which);
      values[which] =
          now_ns ? breaker_of(self).count_at(backoff::Instant::from_ns(*now_ns), count) : breaker_of(self).count(count);
    }
  });
  PyObject* counts = read ? PyTuple_New(backoff::kBreakerCountCount) : nullptr;
  for (int which = 0; counts != nullptr && which < backoff::kBreakerCountCount; ++which) {
    PyObject* item = PyLong_FromUnsignedLongLong(values[which]);
    if (item == nullptr) {
      Py_CLEAR(counts);
    } else {
      PyTuple_SET_ITEM(counts, which, item);
    }
  }
  return counts;
}

// Breaker(config, listener=None, /)
PyObject* new_breaker(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  PyObject* config_arg = nullptr;
  PyObject* listener = Py_None;
  static const char* const keywords[] = {"", "", nullptr};
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:Breaker", const_cast<char**>(keywords), &config_arg,
                                   &listener)) {
    return nullptr;
  }
  const backoff::BreakerConfig* config = nullptr;
  try {
    config = &py::cast<const backoff::BreakerConfig&>(py::handle(config_arg));
  } catch (const py::cast_error&) {
    PyErr_Format(PyExc_TypeError, "Breaker: config must be a _core.BreakerConfig (got %R)", config_arg);
    return nullptr;
  }
  if (listener != Py_None && !PyCallable_Check(listener)) {
    PyErr_Format(PyExc_TypeError, "Breaker: listener must be callable or None (got %R)", listener);
    return nullptr;
  }
  PyObject* self = type->tp_alloc(type, 0);  // zeroed: breaker and listener start null
  if (self == nullptr) return nullptr;
  const bool built = core_call([&] {
    as_breaker(self)->breaker = new backoff::Breaker(*config);
    if (listener != Py_None) {
      Py_INCREF(listener);
      as_breaker(self)->listener = listener;
      breaker_of(self).set_listener(python_listener(listener));
    }
  });
  if (built) return self;
  Py_DECREF(self);
  return nullptr;
}

// set_listener(listener, /): installs a listener on a breaker made without one, so that a breaker nobody
// listens to never makes its event queues. Once only: with no listener yet no delivery can be running, so
// the core's set_listener() returns at once instead of waiting, GIL held, for a delivery that needs the GIL.
PyObject* set_listener(PyObject* self, PyObject* listener) {
  BreakerObject* object = as_breaker(self);
  if (!PyCallable_Check(listener)) {
    PyErr_Format(PyExc_TypeError, "listener: expected a callable (got %R)", listener);
    return nullptr;
  }
  if (object->listener != nullptr) {
    PyErr_SetString(PyExc_ValueError, "listener: this breaker has one already");
    return nullptr;
  }
  Py_INCREF(listener);
  object->listener = listener;  // first: the core's listener borrows it
  if (!core_call([&] { object->breaker->set_listener(python_listener(listener)); })) {
    Py_CLEAR(object->listener);
    return nullptr;
  }
  Py_RETURN_NONE;
}

int traverse_breaker(PyObject* self, visitproc visit, void* arg) {
  Py_VISIT(Py_TYPE(self));  // a heap type: every instance holds a reference to it
  Py_VISIT(as_breaker(self)->listener);
  return 0;
}

// Breaks reference cycles through the listener (a listener that refers back to its breaker). Only the
// collector calls this, on an unreachable breaker, so no delivery is running and set_listener() cannot wait.
int clear_breaker(PyObject* self) {
  BreakerObject* object = as_breaker(self);
  if (object->listener != nullptr) {
    object->breaker->set_listener(nullptr);
    Py_CLEAR(object->listener);
  }
  return 0;
}

void free_breaker(PyObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  PyObject_GC_UnTrack(self);
  delete as_breaker(self)->breaker;  // first: its listener borrows the object released next
  Py_CLEAR(as_breaker(self)->listener);
  type->tp_free(self);
  Py_DECREF(type);
}

// The binding's explicit-time rule, the C API's: each step is written once over an optional time, `now`
// nullptr meaning the breaker's own clock; a step and its _at twin only unpack their arguments.
PyObject* admit(PyObject* self, PyObject* now) {
  backoff::Instant at;
  backoff::Admission admission;
  backoff::Breaker& breaker = breaker_of(self);
  if (!optional_instant_arg(now, &at) ||
      !core_call([&] { admission = now ? breaker.acquire_at(at) : breaker.acquire(); })) {
    return nullptr;
  }
  return admission_tuple(admission);
}

PyObject* acquire(PyObject* self, PyObject*) { return admit(self, nullptr); }
PyObject* acquire_at(PyObject* self, PyObject* now) { return admit(self, now); }

// Converts (permit, outcome, duration_ns, hint_ns) starting at args[0].
bool result_args(PyObject* const* args, std::uint64_t* permit, backoff::Outcome* outcome, backoff::Duration* took,
                 backoff::Duration* hint) {
  int outcome_value;
  constexpr int kOutcomeCount = static_cast<int>(backoff::Outcome::ignored) + 1;
  if (!uint64_arg(args[0], permit) || !enum_arg(args[1], kOutcomeCount, "outcome", &outcome_value) ||
      !duration_arg(args[2], took) || !duration_arg(args[3], hint)) {
    return false;
  }
  *outcome = static_cast<backoff::Outcome>(outcome_value);
  return true;
}

PyObject* report(PyObject* self, PyObject* now, PyObject* const* args) {
  backoff::Instant at;
  std::uint64_t permit;
  backoff::Outcome outcome;
  backoff::Duration took, hint;
  backoff::Breaker& breaker = breaker_of(self);
  if (!optional_instant_arg(now, &at) || !result_args(args, &permit, &outcome, &took, &hint) ||
      !core_call([&] {
        now ? breaker.record_at(at, permit, outcome, took, hint) : breaker.record(permit, outcome, took, hint);
      })) {
    return nullptr;
  }
  Py_RETURN_NONE;
}

PyObject* record(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  return check_nargs("record", nargs, 4) ? report(self, nullptr, args) : nullptr;
}

PyObject* record_at(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  return check_nargs("record_at", nargs, 5) ? report(self, args[0], args + 1) : nullptr;
}

PyObject* release(PyObject* self, PyObject* permit_arg) {
  std::uint64_t permit;
  if (!uint64_arg(permit_arg, &permit)) return nullptr;
  if (!core_call([&] { breaker_of(self).release(permit); })) return nullptr;
  Py_RETURN_NONE;
}

PyObject* transition(PyObject* self, PyObject* now, PyObject* state_arg) {
  backoff::Instant at;
  int state;
  backoff::Breaker& breaker = breaker_of(self);
  if (!optional_instant_arg(now, &at) || !enum_arg(state_arg, backoff::kBreakerStateCount, "state", &state)) {
    return nullptr;
  }
  const auto target = static_cast<backoff::BreakerState>(state);
  if (!core_call([&] { now ? breaker.transition_to_at(at, target) : breaker.transition_to(target); })) return nullptr;
  Py_RETURN_NONE;
}

PyObject* transition_to(PyObject* self, PyObject* state_arg) { return transition(self, nullptr, state_arg); }

PyObject* transition_to_at(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  return check_nargs("transition_to_at", nargs, 2) ? transition(self, args[0], args[1]) : nullptr;
}

PyObject* state(PyObject* self, PyObject*) { return PyLong_FromLong(static_cast<long>(breaker_of(self).state())); }

PyObject* counts(PyObject* self, PyObject*) { return counts_tuple(self, std::nullopt); }

PyObject* counts_at(PyObject* self, PyObject* now) {
  std::int64_t now_ns;
  if (!int64_arg(now, &now_ns)) return nullptr;
  return counts_tuple(self, now_ns);
}

PyObject* poll_event(PyObject* self, PyObject*) {
  std::optional<backoff::BreakerEvent> event;
  if (!core_call([&] { event = breaker_of(self).poll_event(); })) return nullptr;
  if (!event) Py_RETURN_NONE;
  return Py_BuildValue("(iiiL)", static_cast<int>(event->state), static_cast<int>(event->previous),
                       static_cast<int>(event->cause), static_cast<long long>(event->at_ns));
}

PyCFunction fastcall(PyObject* (*method)(PyObject*, PyObject* const*, Py_ssize_t)) {
  return reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(method));
}

// The "name($self, ...)\n--\n\n" prefix gives each method its __text_signature__ (for stubtest).
PyMethodDef breaker_methods[] = {
    {"acquire", acquire, METH_NOARGS,
     "acquire($self, /)\n--\n\n(permit, wait_ns): a permit, or (0, wait_ns) when the breaker refuses the call."},
    {"acquire_at", acquire_at, METH_O, "acquire_at($self, now_ns, /)\n--\n\nAs acquire, at an explicit time."},
    {"record", fastcall(record), METH_FASTCALL,
     "record($self, permit, outcome, duration_ns, hint_ns, /)\n--\n\n"
     "Reports a permit's outcome (an Outcome value), the call's duration and a server's hint (0 = none)."},
    {"record_at", fastcall(record_at), METH_FASTCALL,
     "record_at($self, now_ns, permit, outcome, duration_ns, hint_ns, /)\n--\n\nAs record, at an explicit time."},
    {"release", release, METH_O, "release($self, permit, /)\n--\n\nGives back a permit whose call was not made."},
    {"transition_to", transition_to, METH_O,
     "transition_to($self, state, /)\n--\n\nForces a state (a BreakerState value); starts a new generation."},
    {"transition_to_at", fastcall(transition_to_at), METH_FASTCALL,
     "transition_to_at($self, now_ns, state, /)\n--\n\nAs transition_to, at an explicit time."},
    {"state", state, METH_NOARGS, "state($self, /)\n--\n\nThe stored state, a BreakerState value."},
    {"counts", counts, METH_NOARGS, "counts($self, /)\n--\n\nEvery count, in BreakerCount order."},
    {"counts_at", counts_at, METH_O,
     "counts_at($self, now_ns, /)\n--\n\nAs counts, with time windows ending at now_ns."},
    {"set_listener", set_listener, METH_O,
     "set_listener($self, listener, /)\n--\n\nInstalls a listener on a breaker made without one (once only)."},
    {"poll_event", poll_event, METH_NOARGS,
     "poll_event($self, /)\n--\n\nThe oldest state change not yet polled, (state, previous, cause, at_ns), or None."},
    {nullptr, nullptr, 0, nullptr},
};

}  // namespace

backoff::Breaker* core_breaker(PyObject* object) {
  if (breaker_type == nullptr || !PyObject_TypeCheck(object, breaker_type)) {
    PyErr_Format(PyExc_TypeError, "breaker: expected a _core.Breaker (got %R)", object);
    return nullptr;
  }
  return as_breaker(object)->breaker;
}

void bind_breaker(py::module_& module) {
  static PyType_Slot slots[] = {
      {Py_tp_doc, const_cast<char*>("Breaker(config, listener=None, /)\n--\n\n"
                                    "A circuit breaker. listener(state, previous, cause, at_ns) is called at "
                                    "every state change, on the thread that caused it.")},
      {Py_tp_new, reinterpret_cast<void*>(new_breaker)},
      {Py_tp_dealloc, reinterpret_cast<void*>(free_breaker)},
      {Py_tp_traverse, reinterpret_cast<void*>(traverse_breaker)},
      {Py_tp_clear, reinterpret_cast<void*>(clear_breaker)},
      {Py_tp_methods, breaker_methods},
      {0, nullptr},
  };
  static PyType_Spec spec = {"libbackoff._core.Breaker", static_cast<int>(sizeof(BreakerObject)), 0,
                             Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, slots};
  PyObject* type = PyType_FromSpec(&spec);
  if (type == nullptr) throw py::error_already_set();
  breaker_type = reinterpret_cast<PyTypeObject*>(type);
  module.add_object("Breaker", py::reinterpret_steal<py::object>(type));
}

}  // namespace backoff_python
