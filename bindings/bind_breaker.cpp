// Breaker: the circuit breaker, as a plain CPython type rather than a pybind11 class.
//
// Why: every call through a breaker decorator makes two calls into it, acquire() and record(), and the
// decorator's whole added cost is meant to stay under 250 ns (bench/python/bench_breaker.py); pybind11's
// dispatch alone costs about 100 ns per call. Like the rest of the binding it only converts types: permits
// are ints, times int64 nanoseconds, states, outcomes and causes the core's enum values as ints.
//
// One object per breaker: the core breaker lives in the object's memory (plain_type.hpp), and the public
// CircuitBreaker subclasses this type with __slots__, so a breaker is one allocation and no wrapper. The
// methods' names start with an underscore because the subclass's public ones (acquire, record, state)
// raise and convert units; these speak the core's ints.
//
// Time: a breaker made with a clock (a Python callable returning int nanoseconds, for tests) reads it in
// each step that needs the time, and hands the core the _at form; without one the core reads its own
// monotonic clock, and no Python runs per call.
//
// The GIL is held through every call. The core takes its locks only for short work that never runs
// Python, never waits and never reads a clock; Python callers enter the core holding the GIL, so they
// never find its locks taken by each other, and releasing the GIL would cost more than any call here (and
// hand it to another thread, which may keep it for the whole switch interval). The one wait in the core,
// set_listener() waiting for a delivery on another thread to end, happens only when a first listener is
// installed and when the garbage collector clears an unreachable breaker, when no delivery can be running.
#include <Python.h>

#include <array>
#include <cstdint>
#include <exception>
#include <optional>

#include "backoff/breaker.hpp"
#include "bind.hpp"
#include "bind_time.hpp"
#include "fastcall.hpp"
#include "plain_type.hpp"

namespace py = pybind11;

namespace backoff_python {
namespace {

struct BreakerObject {
  PyObject_HEAD
  backoff::Breaker* breaker;  // into `storage`; null only if construction failed
  PyObject* listener;         // owned, or null; the core's listener borrows it, so it lives as long as that
  PyObject* clock;            // owned, or null: the core's monotonic clock
  Embedded<backoff::Breaker> storage;
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

PyObject* counts_tuple(PyObject* self) {
  std::optional<backoff::Instant> now;
  std::array<std::uint64_t, backoff::kBreakerCountCount> values;
  if (!clock_now(as_breaker(self)->clock, &now) || !core_call([&] {
        for (int which = 0; which < backoff::kBreakerCountCount; ++which) {
          const auto count = static_cast<backoff::BreakerCount>(which);
          values[which] = now ? breaker_of(self).count_at(*now, count) : breaker_of(self).count(count);
        }
      })) {
    return nullptr;
  }
  PyObject* counts = PyTuple_New(backoff::kBreakerCountCount);
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

// Breaker(config, clock=None, /): every argument is checked before the object is made.
PyObject* new_breaker(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  PyObject* config_arg = nullptr;
  PyObject* clock = nullptr;
  if (!first_and_clock_args(args, kwargs, "O|O:Breaker", &config_arg, &clock)) return nullptr;
  const auto* config = bound_arg<backoff::BreakerConfig>(config_arg, "Breaker: config must be a _core.BreakerConfig");
  if (config == nullptr) return nullptr;
  PyObject* self = type->tp_alloc(type, 0);  // zeroed: breaker, listener and clock start null
  if (self == nullptr) return nullptr;
  BreakerObject* object = as_breaker(self);
  if (!core_call([&] { object->breaker = new (object->storage.place()) backoff::Breaker(*config); })) {
    Py_DECREF(self);
    return nullptr;
  }
  Py_XINCREF(clock);
  object->clock = clock;
  return self;
}

// _set_listener(listener, /): installs the listener, so that a breaker nobody listens to never makes its
// event queues. Once only: with no listener yet no delivery can be running, so the core's set_listener()
// returns at once instead of waiting, GIL held, for a delivery that needs the GIL.
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

// A heap type's instances hold a reference to it; the subclasses' own slots are visited by CPython.
int traverse_breaker(PyObject* self, visitproc visit, void* arg) {
  Py_VISIT(Py_TYPE(self));
  Py_VISIT(as_breaker(self)->listener);
  Py_VISIT(as_breaker(self)->clock);
  return 0;
}

// Breaks reference cycles through the listener (a listener that refers back to its breaker) and the clock.
// Only the collector calls this, on an unreachable breaker, so no delivery is running and set_listener()
// cannot wait; a breaker whose clock is gone reads the core's clock, as one made without.
int clear_breaker(PyObject* self) {
  BreakerObject* object = as_breaker(self);
  if (object->listener != nullptr) {
    object->breaker->set_listener(nullptr);
    Py_CLEAR(object->listener);
  }
  Py_CLEAR(object->clock);
  return 0;
}

// Also the base step of a subclass's dealloc, which frees the object with its own tp_free.
void free_breaker(PyObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  BreakerObject* object = as_breaker(self);
  PyObject_GC_UnTrack(self);
  if (object->breaker != nullptr) object->breaker->~Breaker();  // first: its listener borrows the next
  Py_CLEAR(object->listener);
  Py_CLEAR(object->clock);
  type->tp_free(self);
  Py_DECREF(type);
}

// _acquire(): (permit, wait_ns), permit 0 when the breaker refuses the call.
PyObject* acquire(PyObject* self, PyObject*) {
  std::optional<backoff::Instant> now;
  backoff::Admission admission;
  backoff::Breaker& breaker = breaker_of(self);
  if (!clock_now(as_breaker(self)->clock, &now) ||
      !core_call([&] { admission = now ? breaker.acquire_at(*now) : breaker.acquire(); })) {
    return nullptr;
  }
  return pair_of(PyLong_FromUnsignedLongLong(admission.permit), py_ns(admission.wait));
}

// _record(permit, outcome, duration_ns, hint_ns).
PyObject* record(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  std::uint64_t permit;
  int outcome;
  backoff::Duration took, hint;
  constexpr int kOutcomeCount = static_cast<int>(backoff::Outcome::ignored) + 1;
  if (!check_nargs("_record", nargs, 4) || !uint64_arg(args[0], &permit) ||
      !enum_arg(args[1], kOutcomeCount, "outcome", &outcome) || !duration_arg(args[2], &took) ||
      !duration_arg(args[3], &hint)) {
    return nullptr;
  }
  std::optional<backoff::Instant> now;
  if (!clock_now(as_breaker(self)->clock, &now)) return nullptr;
  // A Python clock may step back between a call's start and its end (a test sets it): such a call was
  // not slow, where the core would refuse the negative duration as a caller's bug.
  if (now && took < backoff::Duration()) took = backoff::Duration();
  backoff::Breaker& breaker = breaker_of(self);
  const auto result = static_cast<backoff::Outcome>(outcome);
  if (!core_call([&] {
        now ? breaker.record_at(*now, permit, result, took, hint) : breaker.record(permit, result, took, hint);
      })) {
    return nullptr;
  }
  Py_RETURN_NONE;
}

PyObject* release(PyObject* self, PyObject* permit_arg) {
  std::uint64_t permit;
  if (!uint64_arg(permit_arg, &permit)) return nullptr;
  if (!core_call([&] { breaker_of(self).release(permit); })) return nullptr;
  Py_RETURN_NONE;
}

PyObject* transition_to(PyObject* self, PyObject* state_arg) {
  int state;
  std::optional<backoff::Instant> now;
  backoff::Breaker& breaker = breaker_of(self);
  if (!enum_arg(state_arg, backoff::kBreakerStateCount, "state", &state) ||
      !clock_now(as_breaker(self)->clock, &now)) {
    return nullptr;
  }
  const auto target = static_cast<backoff::BreakerState>(state);
  if (!core_call([&] { now ? breaker.transition_to_at(*now, target) : breaker.transition_to(target); })) {
    return nullptr;
  }
  Py_RETURN_NONE;
}

PyObject* state(PyObject* self, PyObject*) { return PyLong_FromLong(static_cast<long>(breaker_of(self).state())); }

PyObject* counts(PyObject* self, PyObject*) { return counts_tuple(self); }

PyObject* poll_event(PyObject* self, PyObject*) {
  std::optional<backoff::BreakerEvent> event;
  if (!core_call([&] { event = breaker_of(self).poll_event(); })) return nullptr;
  if (!event) Py_RETURN_NONE;
  return Py_BuildValue("(iiiL)", static_cast<int>(event->state), static_cast<int>(event->previous),
                       static_cast<int>(event->cause), static_cast<long long>(event->at_ns));
}

// _listener: the listener installed, or None.
PyObject* listener(PyObject* self, void*) {
  PyObject* installed = as_breaker(self)->listener;
  return Py_NewRef(installed != nullptr ? installed : Py_None);
}

// The "name($self, ...)\n--\n\n" prefix gives each method its __text_signature__ (for stubtest).
PyMethodDef breaker_methods[] = {
    {"_acquire", acquire, METH_NOARGS,
     "_acquire($self, /)\n--\n\n(permit, wait_ns): a permit, or (0, wait_ns) when the breaker refuses the call."},
    {"_record", fastcall(record), METH_FASTCALL,
     "_record($self, permit, outcome, duration_ns, hint_ns, /)\n--\n\n"
     "Reports a permit's outcome (an Outcome value), the call's duration and a server's hint (0 = none)."},
    {"_release", release, METH_O, "_release($self, permit, /)\n--\n\nGives back a permit whose call was not made."},
    {"_transition_to", transition_to, METH_O,
     "_transition_to($self, state, /)\n--\n\nForces a state (a BreakerState value); starts a new generation."},
    {"_state", state, METH_NOARGS, "_state($self, /)\n--\n\nThe stored state, a BreakerState value."},
    {"_counts", counts, METH_NOARGS,
     "_counts($self, /)\n--\n\nEvery count, in BreakerCount order, with time windows ending now."},
    {"_set_listener", set_listener, METH_O,
     "_set_listener($self, listener, /)\n--\n\nInstalls listener(state, previous, cause, at_ns), called at every "
     "state change on the thread that caused it (once only)."},
    {"_poll_event", poll_event, METH_NOARGS,
     "_poll_event($self, /)\n--\n\nThe oldest state change not yet polled, (state, previous, cause, at_ns), or None."},
    {nullptr, nullptr, 0, nullptr},
};

PyGetSetDef breaker_getset[] = {
    {"_listener", listener, nullptr, "The listener installed, or None.", nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

}  // namespace

backoff::Breaker* core_breaker(PyObject* object) {
  BreakerObject* breaker = instance_of<BreakerObject>(object, breaker_type, "breaker", "_core.Breaker");
  return breaker != nullptr ? breaker->breaker : nullptr;
}

void bind_breaker(py::module_& module) {
  breaker_type = add_type(module, {"libbackoff._core.Breaker", static_cast<int>(sizeof(BreakerObject)),
                                   Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
                                   "Breaker(config, clock=None, /)\n--\n\n"
                                   "A circuit breaker; clock() returns the time in int nanoseconds (None: the "
                                   "core's monotonic clock).",
                                   new_breaker, free_breaker, traverse_breaker, clear_breaker, breaker_methods,
                                   breaker_getset});
}

}  // namespace backoff_python
