// Retrier: the decisions of one retried call, as a plain CPython type rather than a pybind11 class.
//
// Why: a retry loop creates one Retrier at the first failure of every failing call and calls it once per
// failed attempt. pybind11's generic machinery (instance registry, overload dispatch, std::optional caster)
// costs ~400 ns per creation and ~135 ns per call here, against ~70 ns and ~45 ns for a plain type with
// vectorcall entry points; on a call that fails four times that is most of our overhead
// (bench/python/bench_retry.py). Like the rest of the binding it only converts types: int64 nanoseconds
// in, float seconds or None (kStop) out.
//
// The plain retry loop (exception classes, the exceptions' own retry_after, no hooks; python/libbackoff/
// _retried_call.py) takes each failed attempt in one call, raised(exc): the isinstance test, the hint
// attribute read and the decision together cost ~90 ns, against ~170 ns as three steps in Python (both
// measured at load 15), and the steps are most of a failing call's overhead. The classes and the hint's
// converter (server_hints.hint_ns) are the Python layer's, handed over at construction; the binding only
// applies them.
//
// A breaker and a budget join the decisions through attach(): the Retrier holds a reference to their
// Python objects, so the core objects it points to outlive it. Their steps (before_attempt, decide_retry)
// return (outcome, delay_ns) with the core's RetryOutcome values. An object dropped while its call is
// still under way (a KeyboardInterrupt in a wait, an abandoned `for attempt` loop) cancels the call, so
// no permit or ticket is stranded.
#include <Python.h>

#include <cstdint>
#include <exception>
#include <new>
#include <type_traits>

#include "backoff/adaptive_limiter.hpp"
#include "backoff/budget.hpp"
#include "backoff/retrier.hpp"
#include "backoff/server_hint.hpp"
#include "bind.hpp"
#include "bind_vocabulary.hpp"
#include "bind_time.hpp"
#include "fastcall.hpp"
#include "plain_type.hpp"
#include "retrier_object.hpp"

namespace py = pybind11;

namespace backoff_python {
namespace {

// Trivially destructible, so dealloc only frees the memory.
static_assert(std::is_trivially_destructible<backoff::Retrier>::value, "Retrier needs a destructor call");

struct RetrierObject {
  PyObject_HEAD
  backoff::Retrier retrier;  // placement-constructed by make_retrier
  PyObject* breaker_owner;   // owned: the _core.Breaker attached, or null
  PyObject* budget_owner;    // owned: the _core.Budget attached, or null
  PyObject* limiter_owner;   // owned: the _core.AdaptiveLimiter attached, or null
  PyObject* retryable;       // owned: raised()'s exception class or tuple of them, or null
  PyObject* hint_ns;         // owned: raised()'s converter of a retry_after attribute to int ns, or null
  PyObject* stats_owner;     // owned: the _core.RetryStats attached, or null
};

RetrierObject* as_retrier(PyObject* self) { return reinterpret_cast<RetrierObject*>(self); }

backoff::Retrier& retrier_of(PyObject* self) { return reinterpret_cast<RetrierObject*>(self)->retrier; }

PyObject* seconds_or_none(backoff::Duration delay) {
  if (delay == backoff::kStopDelay) Py_RETURN_NONE;
  return PyFloat_FromDouble(static_cast<double>(delay.ns()) / 1e9);
}


PyObject* decision_tuple(const backoff::RetryDecision& decision) {
  return pair_of(PyLong_FromLong(static_cast<long>(decision.outcome)), py_ns(decision.delay));
}

// Retrier(policy), Retrier(policy, now_ns), Retrier(policy, now_ns, retryable, hint_ns) or, with statistics
// to record into, Retrier(policy, now_ns, retryable, hint_ns, stats).
PyObject* make_retrier(PyObject* type, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  const Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  if ((kwnames != nullptr && PyTuple_GET_SIZE(kwnames) != 0) || nargs < 1 || nargs == 3 || nargs > 5) {
    PyErr_SetString(PyExc_TypeError,
                    "Retrier(policy, now_ns=None, retryable=None, hint_ns=None, stats=None, /) takes one, two, four or "
                    "five positional arguments");
    return nullptr;
  }
  if (nargs >= 4 && args[3] != Py_None && !PyCallable_Check(args[3])) {
    PyErr_Format(PyExc_TypeError, "Retrier: hint_ns must be callable (got %R)", args[3]);
    return nullptr;
  }
  const backoff::Policy* policy = nullptr;
  try {
    policy = &py::cast<const backoff::Policy&>(py::handle(args[0]));
  } catch (const py::cast_error&) {
    PyErr_Format(PyExc_TypeError, "Retrier: policy must be a _core.Policy (got %R)", args[0]);
    return nullptr;
  }
  backoff::RetryStats* stats = nullptr;
  if (nargs == 5 && args[4] != Py_None && (stats = core_retry_stats(args[4])) == nullptr) return nullptr;
  const bool at_now = nargs == 2 && args[1] != Py_None;
  backoff::Instant now;
  if (at_now && !instant_arg(args[1], &now)) return nullptr;
  PyObject* self = PyType_GenericAlloc(reinterpret_cast<PyTypeObject*>(type), 0);
  if (self == nullptr) return nullptr;
  as_retrier(self)->breaker_owner = nullptr;
  as_retrier(self)->budget_owner = nullptr;
  as_retrier(self)->limiter_owner = nullptr;
  as_retrier(self)->hint_ns = nargs >= 4 && args[3] != Py_None ? Py_NewRef(args[3]) : nullptr;
  as_retrier(self)->retryable = nargs >= 4 && args[2] != Py_None ? Py_NewRef(args[2]) : nullptr;
  as_retrier(self)->stats_owner = stats == nullptr ? nullptr : Py_NewRef(args[4]);
  try {
    if (at_now) {
      new (&retrier_of(self)) backoff::Retrier(*policy, now);
    } else {
      new (&retrier_of(self)) backoff::Retrier(*policy);
    }
  } catch (...) {  // only the default clock could throw, and it does not; never let C++ unwind into Python
    Py_DECREF(self);
    PyErr_SetString(PyExc_RuntimeError, "Retrier: construction failed");
    return nullptr;
  }
  retrier_of(self).attach_stats(stats);
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
  RetrierObject* object = as_retrier(self);
  if (object->breaker_owner != nullptr || object->budget_owner != nullptr) {
    // A call dropped while under way gives back its permit and ticket. Nothing may unwind out of here.
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    if (!core_call([&] { object->retrier.cancel(); })) PyErr_WriteUnraisable(self);
    PyErr_Restore(type, value, traceback);
    Py_CLEAR(object->breaker_owner);
    Py_CLEAR(object->budget_owner);
  }
  Py_CLEAR(object->limiter_owner);
  Py_CLEAR(object->retryable);
  Py_CLEAR(object->hint_ns);
  Py_CLEAR(object->stats_owner);
  PyTypeObject* type = Py_TYPE(self);
  type->tp_free(self);
  Py_DECREF(type);
}

// attach(breaker, budget[, limiter]): each a _core.Breaker / _core.Budget / _core.AdaptiveLimiter, or None
// to detach.
PyObject* attach(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  if (nargs != 3 && !check_nargs("attach", nargs, 2)) return nullptr;
  backoff::AdaptiveLimiter* limiter = nullptr;
  if (nargs == 3 && args[2] != Py_None) {
    try {
      limiter = &py::cast<backoff::AdaptiveLimiter&>(py::handle(args[2]));
    } catch (const py::cast_error&) {
      PyErr_Format(PyExc_TypeError, "limiter: expected a _core.AdaptiveLimiter (got %R)", args[2]);
      return nullptr;
    }
  }
  backoff::Breaker* breaker = nullptr;
  if (args[0] != Py_None && (breaker = core_breaker(args[0])) == nullptr) return nullptr;
  backoff::Budget* budget = nullptr;
  if (args[1] != Py_None && (budget = core_budget(args[1])) == nullptr) return nullptr;
  RetrierObject* object = as_retrier(self);
  if (!core_call([&] {
        object->retrier.attach_breaker(breaker);
        object->retrier.attach_budget(budget);
        object->retrier.attach_limiter(limiter);
      })) {
    return nullptr;
  }
  Py_XSETREF(object->limiter_owner, limiter == nullptr ? nullptr : Py_NewRef(args[2]));
  Py_XSETREF(object->breaker_owner, breaker == nullptr ? nullptr : Py_NewRef(args[0]));
  Py_XSETREF(object->budget_owner, budget == nullptr ? nullptr : Py_NewRef(args[1]));
  Py_RETURN_NONE;
}

// attach_stats(stats): a _core.RetryStats that every later step records into, or None to detach.
PyObject* attach_stats(PyObject* self, PyObject* stats_object) {
  backoff::RetryStats* stats = nullptr;
  if (stats_object != Py_None && (stats = core_retry_stats(stats_object)) == nullptr) return nullptr;
  RetrierObject* object = as_retrier(self);
  object->retrier.attach_stats(stats);
  Py_XSETREF(object->stats_owner, stats == nullptr ? nullptr : Py_NewRef(stats_object));
  Py_RETURN_NONE;
}

PyObject* before_attempt(PyObject* self, PyObject*) {
  backoff::RetryDecision decision;
  if (!core_call([&] { decision = retrier_of(self).before_attempt(); })) return nullptr;
  return decision_tuple(decision);
}

PyObject* before_attempt_at(PyObject* self, PyObject* now) {
  backoff::Instant at;
  backoff::RetryDecision decision;
  if (!instant_arg(now, &at) || !core_call([&] { decision = retrier_of(self).before_attempt_at(at); })) {
    return nullptr;
  }
  return decision_tuple(decision);
}

PyObject* decide_retry(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  backoff::Duration hint;
  int error_class;
  backoff::RetryDecision decision;
  if (!check_nargs("decide_retry", nargs, 2) || !duration_arg(args[0], &hint) ||
      !enum_arg(args[1], 3, "error_class", &error_class) || !core_call([&] {
        decision = retrier_of(self).decide_retry(hint, static_cast<backoff::ErrorClass>(error_class));
      })) {
    return nullptr;
  }
  return decision_tuple(decision);
}

PyObject* decide_retry_at(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  backoff::Instant now;
  backoff::Duration hint;
  int error_class;
  backoff::RetryDecision decision;
  if (!check_nargs("decide_retry_at", nargs, 3) || !instant_arg(args[0], &now) || !duration_arg(args[1], &hint) ||
      !enum_arg(args[2], 3, "error_class", &error_class) || !core_call([&] {
        decision = retrier_of(self).decide_retry_at(now, hint, static_cast<backoff::ErrorClass>(error_class));
      })) {
    return nullptr;
  }
  return decision_tuple(decision);
}

PyObject* on_permanent_failure_at(PyObject* self, PyObject* now) {
  backoff::Instant at;
  if (!instant_arg(now, &at) || !core_call([&] { retrier_of(self).on_permanent_failure_at(at); })) {
    return nullptr;
  }
  Py_RETURN_NONE;
}

PyObject* on_success_at(PyObject* self, PyObject* now) {
  backoff::Instant at;
  if (!instant_arg(now, &at) || !core_call([&] { retrier_of(self).on_success_at(at); })) return nullptr;
  Py_RETURN_NONE;
}

PyObject* cancel(PyObject* self, PyObject*) {
  if (!core_call([&] { retrier_of(self).cancel(); })) return nullptr;
  Py_RETURN_NONE;
}

PyObject* cancel_at(PyObject* self, PyObject* now) {
  backoff::Instant at;
  if (!instant_arg(now, &at) || !core_call([&] { retrier_of(self).cancel_at(at); })) return nullptr;
  Py_RETURN_NONE;
}

// set_call_start(now_ns): the call began before the Retrier (at its first attempt); its deadline counts
// from there.
PyObject* set_call_start(PyObject* self, PyObject* now) {
  backoff::Instant at;
  if (!instant_arg(now, &at)) return nullptr;
  retrier_of(self).set_call_start(at);
  Py_RETURN_NONE;
}

PyObject* outcome(PyObject* self, PyObject*) { return PyLong_FromLong(static_cast<long>(retrier_of(self).outcome())); }

PyObject* on_failure_seconds(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  backoff::Duration hint;
  backoff::Duration delay;
  if (!check_nargs("on_failure_seconds", nargs, 1) || !duration_arg(args[0], &hint) ||
      !core_call([&] { delay = retrier_of(self).on_failure(hint); })) {  // a negative hint throws
    return nullptr;
  }
  return seconds_or_none(delay);
}

PyObject* on_failure_at_seconds(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  backoff::Instant now;
  backoff::Duration hint;
  if (!check_nargs("on_failure_at_seconds", nargs, 2) || !instant_arg(args[0], &now) || !duration_arg(args[1], &hint)) {
    return nullptr;
  }
  backoff::Duration delay;
  if (!core_call([&] { delay = retrier_of(self).on_failure_at(now, hint); })) return nullptr;
  return seconds_or_none(delay);
}

PyObject* on_permanent_failure(PyObject* self, PyObject*) {
  if (!core_call([&] { retrier_of(self).on_permanent_failure(); })) return nullptr;
  Py_RETURN_NONE;
}

PyObject* on_success(PyObject* self, PyObject*) {
  if (!core_call([&] { retrier_of(self).on_success(); })) return nullptr;
  Py_RETURN_NONE;
}

// Raises `exc` again, its traceback kept, as `raise exc` does.
PyObject* reraise(PyObject* exc) {
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc)), exc);
  return nullptr;
}

// exc.retry_after, or null with no error when it is missing; null with an error when reading it raised.
PyObject* retry_after_of(PyObject* exc) {
  static PyObject* const name = PyUnicode_InternFromString("retry_after");
  if (name == nullptr) return nullptr;
  PyObject* value = nullptr;
#if PY_VERSION_HEX >= 0x030D0000
  if (PyObject_GetOptionalAttr(exc, name, &value) < 0) return nullptr;
#else
  if (_PyObject_LookupAttr(exc, name, &value) < 0) return nullptr;
#endif
  return value;
}

}  // namespace

PlainStep plain_step(PyObject* self, PyObject* exc, backoff::Duration* delay) {
  RetrierObject* object = as_retrier(self);
  const int retryable = PyObject_IsInstance(exc, object->retryable);
  if (retryable < 0) return PlainStep::error;
  if (retryable == 0) {
    return core_call([&] { object->retrier.on_permanent_failure(); }) ? PlainStep::permanent : PlainStep::error;
  }
  backoff::Duration hint;
  PyObject* value = retry_after_of(exc);
  if (value == nullptr && PyErr_Occurred()) return PlainStep::error;
  if (value != nullptr && value != Py_None) {
    PyObject* ns = PyObject_CallOneArg(object->hint_ns, value);
    const bool converted = ns != nullptr && duration_arg(ns, &hint);
    Py_XDECREF(ns);
    if (!converted) {
      Py_DECREF(value);
      return PlainStep::error;
    }
  }
  Py_XDECREF(value);
  if (!core_call([&] { *delay = object->retrier.on_failure(hint); })) return PlainStep::error;
  return *delay == backoff::kStopDelay ? PlainStep::stopped : PlainStep::retry;
}

backoff::Retrier& core_retrier(PyObject* retrier) { return retrier_of(retrier); }

namespace {

// raised(exc): a failed attempt of the plain loop. A permanent one (not an instance of `retryable`) and
// one the policy stops after are raised again; otherwise the wait in seconds, at least the exception's
// retry_after hint.
PyObject* raised(PyObject* self, PyObject* exc) {
  if (!PyExceptionInstance_Check(exc)) {
    PyErr_Format(PyExc_TypeError, "raised: exc must be an exception (got %R)", exc);
    return nullptr;
  }
  if (as_retrier(self)->retryable == nullptr || as_retrier(self)->hint_ns == nullptr) {
    PyErr_SetString(PyExc_TypeError, "raised: this Retrier was made without retryable and hint_ns");
    return nullptr;
  }
  backoff::Duration delay;
  switch (plain_step(self, exc, &delay)) {
    case PlainStep::retry:
      return PyFloat_FromDouble(static_cast<double>(delay.ns()) / 1e9);
    case PlainStep::error:
      return nullptr;
    default:
      return reraise(exc);
  }
}

// returned(value): the plain loop retries no result, so an attempt that returned succeeded.
PyObject* returned(PyObject* self, PyObject*) {
  if (!core_call([&] { retrier_of(self).on_success(); })) return nullptr;
  Py_RETURN_NONE;
}

PyObject* failures(PyObject* self, PyObject*) { return PyLong_FromUnsignedLongLong(retrier_of(self).failures()); }
PyObject* attempts(PyObject* self, PyObject*) { return PyLong_FromUnsignedLongLong(retrier_of(self).attempts()); }
PyObject* succeeded(PyObject* self, PyObject*) { return PyBool_FromLong(retrier_of(self).succeeded()); }
PyObject* idle_ns(PyObject* self, PyObject*) { return py_ns(retrier_of(self).idle()); }
PyObject* elapsed(PyObject* self, PyObject*) { return py_ns(retrier_of(self).elapsed()); }

PyObject* elapsed_at(PyObject* self, PyObject* now) {
  backoff::Instant at;
  if (!instant_arg(now, &at)) return nullptr;
  return py_ns(retrier_of(self).elapsed_at(at));
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
    {"raised", raised, METH_O,
     "raised($self, exc, /)\n--\n\n"
     "A failed attempt of the plain loop: the wait in seconds, or raises exc again (permanent, or the end)."},
    {"returned", returned, METH_O,
     "returned($self, value, /)\n--\n\nAn attempt of the plain loop returned: records the success; None."},
    {"attach", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(attach)), METH_FASTCALL,
     "attach($self, breaker, budget, limiter=None, /)\n--\n\n"
     "Attaches a _core.Breaker, a _core.Budget and a _core.AdaptiveLimiter (None: none) before the first attempt."},
    {"attach_stats", attach_stats, METH_O,
     "attach_stats($self, stats, /)\n--\n\n"
     "Attaches a _core.RetryStats (None: none) that every later step records into."},
    {"before_attempt", before_attempt, METH_NOARGS,
     "before_attempt($self, /)\n--\n\n"
     "Before each attempt, the first included: (RetryOutcome, delay_ns); circuit_open carries the cooldown."},
    {"before_attempt_at", before_attempt_at, METH_O,
     "before_attempt_at($self, now_ns, /)\n--\n\nAs before_attempt, at an explicit time."},
    {"decide_retry", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(decide_retry)), METH_FASTCALL,
     "decide_retry($self, hint_ns, error_class, /)\n--\n\n"
     "Records a failed attempt and decides: (RetryOutcome, delay_ns)."},
    {"decide_retry_at", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(decide_retry_at)), METH_FASTCALL,
     "decide_retry_at($self, now_ns, hint_ns, error_class, /)\n--\n\nAs decide_retry, at an explicit time."},
    {"on_permanent_failure_at", on_permanent_failure_at, METH_O,
     "on_permanent_failure_at($self, now_ns, /)\n--\n\nAs on_permanent_failure, at an explicit time."},
    {"on_success_at", on_success_at, METH_O,
     "on_success_at($self, now_ns, /)\n--\n\nAs on_success, at an explicit time."},
    {"cancel", cancel, METH_NOARGS,
     "cancel($self, /)\n--\n\nGives the call up before its next attempt: releases the permit, refunds the ticket."},
    {"cancel_at", cancel_at, METH_O, "cancel_at($self, now_ns, /)\n--\n\nAs cancel, at an explicit time."},
    {"set_call_start", set_call_start, METH_O,
     "set_call_start($self, now_ns, /)\n--\n\n"
     "Says when the call started, before this Retrier: the policy's deadline counts from now_ns."},
    {"outcome", outcome, METH_NOARGS, "outcome($self, /)\n--\n\nWhere the call stands, a RetryOutcome value."},
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

// The _core.Retrier type, set when the module is made; new_plain_retrier makes its instances.
PyObject* retrier_type = nullptr;

}  // namespace

PyObject* new_plain_retrier(PyObject* policy, PyObject* retryable, PyObject* hint_ns, PyObject* stats) {
  PyObject* const args[] = {policy, Py_None, retryable, hint_ns, stats};
  return make_retrier(retrier_type, args, 5, nullptr);
}

void bind_retrier(py::module_& module) {
  BACKOFF_BIND_ENUM(module, backoff::RetryOutcome, "RetryOutcome", BACKOFF_VOCAB_RETRY_OUTCOME);

  PyTypeObject* type =
      add_type(module, {"libbackoff._core.Retrier", static_cast<int>(sizeof(RetrierObject)), 0,
                        "Retrier(policy, now_ns=None, retryable=None, hint_ns=None, stats=None, /)\n--\n\n"
                        "The decisions of one retried call, from its first failure (or now_ns) to its end.",
                        new_retrier, free_retrier, nullptr, nullptr, retrier_methods});
  // Calls to the type skip tp_new's argument tuple (a Py_tp_vectorcall slot exists only from 3.14 on).
  type->tp_vectorcall = make_retrier;
  retrier_type = reinterpret_cast<PyObject*>(type);  // the module's reference keeps it
  // A server's hint in seconds, saturating where a setting would be rejected (server_hint.hpp).
  module.def("hint_ns_from_seconds", &backoff::hint_ns_from_seconds, py::arg("seconds"), py::arg("param"));
}

}  // namespace backoff_python
