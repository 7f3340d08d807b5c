// Retried: what @retry returns for a plain (not async) function, as a plain CPython type.
//
// Why a type and not a Python closure: a call that succeeds at once must cost little over the function
// itself, and a Python frame between the caller and the function costs most of that (~100 ns at load);
// a method bound by a Python descriptor costs ~500 ns more (bench/python/bench_retry.py). A vectorcall
// type calls the function directly, and it is a method descriptor (Py_TPFLAGS_METHOD_DESCRIPTOR), so
// `obj.method(1)` calls it with `obj` first without binding anything, as for a Python function.
//
// What it drives, the decisions being the core Retrier's:
//   * a call that succeeds at once: records the success in the core statistics and returns;
//   * the plain loop (exception classes, the exceptions' own retry_after, the monotonic clock, no hooks
//     but the log lines): the whole loop here, one plain_step (bind_retrier.cpp) per failed attempt,
//     the waits by the Python sleep given or time.sleep unless testing mode turned waiting off;
//   * everything else: `resume(failure, *args, **kwargs)`, the Python driver (python/libbackoff/
//     retrying.py), from the start (failure None: the call needs a breaker, a budget, a deadline...) or
//     after the first failure (the loop needs Python steps, testing mode caps the call's attempts, or
//     libbackoff.tracing, instrumented since, traces a logged loop's calls).
// No C++ exception crosses the loop: errors are Python's, set and passed on as the C API does.
//
// `obj.method` (attribute access, not a call) is a BoundRetried: the Retried with `obj` first, whose
// retry_with keeps `obj`. Everything else about a wrapper (`__name__`, `__doc__`, `__wrapped__`...) lives
// in the instance's __dict__, which functools.update_wrapper fills.
#include <Python.h>
#include <structmember.h>

#include <cstdint>

#include "backoff/retrier.hpp"
#include "backoff/retry_stats.hpp"
#include "bind.hpp"
#include "fastcall.hpp"
#include "plain_type.hpp"
#include "retrier_object.hpp"

namespace py = pybind11;

namespace backoff_python {
namespace {

struct RetriedObject {
  PyObject_HEAD
  vectorcallfunc vectorcall;
  PyObject* fn;          // the function retried
  PyObject* retrying;    // the Retrying: .retry, and its copy for retry_with
  PyObject* statistics;  // .statistics: its _last is the latest call's Retrier (None: succeeded at once)
  PyObject* resume;      // the Python driver, resume(failure, *args, **kwargs)
  PyObject* stats_owner;          // the _core.RetryStats a call that succeeds at once records into
  backoff::RetryStats* stats;     // inside stats_owner; null: the call is not quick, resume makes it all
  PyObject* policy;      // the plain loop's _core.Policy; null: no plain loop, resume takes over at a failure
  PyObject* retryable;   // the plain loop's exception classes
  PyObject* hint_ns;     // the plain loop's converter of a retry_after hint to int ns
  PyObject* sleep;       // the plain loop's sleep, or None: time.sleep, unless testing mode is on
  PyObject* testing;     // libbackoff.testing's switch: its `waiting` and `attempts`
  PyObject* log_retry;   // log_retry(attempt, wait, exc, True), or None: no log line
  PyObject* log_give_up; // log_give_up(attempt, exc, True, "policy" | "permanent"), or None
  PyObject* traced;      // None, or what hands a call to resume when its `observer` is set (_call_events)
  PyObject* dict;
  PyObject* weakrefs;
};

struct BoundObject {
  PyObject_HEAD
  vectorcallfunc vectorcall;
  PyObject* retried;   // a Retried
  PyObject* instance;  // the first argument of every call
};

RetriedObject* as_retried(PyObject* self) { return reinterpret_cast<RetriedObject*>(self); }
BoundObject* as_bound(PyObject* self) { return reinterpret_cast<BoundObject*>(self); }

PyObject* time_sleep = nullptr;   // time.sleep, looked up once
PyTypeObject* bound_type = nullptr;

// Interned attribute names, made once when the module is made.
PyObject* name_last = nullptr;
PyObject* name_attempts = nullptr;
PyObject* name_observer = nullptr;
PyObject* name_waiting = nullptr;
PyObject* name_copy = nullptr;
PyObject* name_wraps = nullptr;
PyObject* name_policy = nullptr;     // the give-up reasons of the log lines (_logging.GIVE_UP_TEXT)
PyObject* name_permanent = nullptr;

// The exception being raised, taken out of the error indicator: normalized, its traceback attached, as
// an `except` clause sees it.
PyObject* take_exception() {
#if PY_VERSION_HEX >= 0x030C0000
  return PyErr_GetRaisedException();
#else
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  if (traceback != nullptr) PyException_SetTraceback(value, traceback);
  Py_XDECREF(type);
  Py_XDECREF(traceback);
  return value;
#endif
}

// Raises `exc` (stolen) again as it was taken: its traceback and context unchanged.
void raise_again(PyObject* exc) {
#if PY_VERSION_HEX >= 0x030C0000
  PyErr_SetRaisedException(exc);
#else
  PyErr_Restore(Py_NewRef(reinterpret_cast<PyObject*>(Py_TYPE(exc))), exc, PyException_GetTraceback(exc));
#endif
}

// callable(first, *args, **kwargs) for vectorcall arguments, as a bound method calls its function: the
// caller's spare slot before args holds `first` when it lends one (PY_VECTORCALL_ARGUMENTS_OFFSET).
PyObject* call_with_first(PyObject* callable, PyObject* first, PyObject* const* args, size_t nargsf,
                          PyObject* kwnames) {
  const Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  if (nargsf & PY_VECTORCALL_ARGUMENTS_OFFSET) {
    PyObject** slot = const_cast<PyObject**>(args) - 1;
    PyObject* lent = *slot;
    *slot = first;
    PyObject* result = PyObject_Vectorcall(callable, slot, static_cast<size_t>(nargs) + 1, kwnames);
    *slot = lent;
    return result;
  }
  const Py_ssize_t count = nargs + (kwnames == nullptr ? 0 : PyTuple_GET_SIZE(kwnames));
  PyObject* small[8];
  PyObject** all = count < 8 ? small : static_cast<PyObject**>(PyMem_Malloc((count + 1) * sizeof(PyObject*)));
  if (all == nullptr) return PyErr_NoMemory();
  all[0] = first;
  for (Py_ssize_t i = 0; i < count; ++i) all[i + 1] = args[i];
  PyObject* result = PyObject_Vectorcall(callable, all, static_cast<size_t>(nargs) + 1, kwnames);
  if (all != small) PyMem_Free(all);
  return result;
}

// The truth of the testing switch's attribute `name`: 1, 0, or -1 with an error set.
int switch_is_on(PyObject* testing, PyObject* name) {
  PyObject* value = PyObject_GetAttr(testing, name);
  if (value == nullptr) return -1;
  const int on = PyObject_IsTrue(value);
  Py_DECREF(value);
  return on;
}

// The wait before a retry: the sleep given, else time.sleep unless testing mode turned waiting off.
bool pause(RetriedObject* self, double seconds) {
  PyObject* sleep = self->sleep;
  if (sleep == Py_None) {
    const int waiting = switch_is_on(self->testing, name_waiting);
    if (waiting <= 0) return waiting == 0;
    sleep = time_sleep;  // releases the GIL; a KeyboardInterrupt ends it at once
  }
  PyObject* wait = PyFloat_FromDouble(seconds);
  PyObject* result = wait == nullptr ? nullptr : PyObject_CallOneArg(sleep, wait);
  Py_XDECREF(wait);
  Py_XDECREF(result);
  return result != nullptr;
}

// Calls a log callable with (attempt, second, third, fourth), all but the attempt's number borrowed; true
// unless it raised.
bool logged(PyObject* log, std::uint64_t attempt, PyObject* second, PyObject* third, PyObject* fourth) {
  PyObject* number = PyLong_FromUnsignedLongLong(attempt);
  if (number == nullptr) return false;
  PyObject* const args[] = {number, second, third, fourth};
  PyObject* result = PyObject_Vectorcall(log, args, 4, nullptr);
  Py_DECREF(number);
  Py_XDECREF(result);
  return result != nullptr;
}

// The attempts after the first failure `failure` (stolen) of a plain call, until the core's Retrier
// ends the call: the result, or nullptr with the last exception (or an error of the loop's own) raised.
PyObject* plain_loop(RetriedObject* self, PyObject* failure, PyObject* const* args, size_t nargsf,
                     PyObject* kwnames) {
  PyObject* retrier = new_plain_retrier(self->policy, self->retryable, self->hint_ns, self->stats_owner);
  if (retrier == nullptr || PyObject_SetAttr(self->statistics, name_last, retrier) < 0) {
    Py_XDECREF(retrier);
    Py_DECREF(failure);
    return nullptr;
  }
  PyObject* result = nullptr;
  while (true) {
    backoff::Duration delay;
    const PlainStep step = plain_step(retrier, failure, &delay);
    if (step == PlainStep::error) break;
    const std::uint64_t attempt = core_retrier(retrier).failures();
    if (step != PlainStep::retry) {
      // A first attempt's permanent error was never retried: not a retry given up, nothing to log.
      const bool silent = self->log_give_up == Py_None || (step == PlainStep::permanent && attempt <= 1);
      PyObject* give_up = step == PlainStep::permanent ? name_permanent : name_policy;
      if (silent || logged(self->log_give_up, attempt, failure, Py_True, give_up)) {
        raise_again(failure);
        failure = nullptr;
      }
      break;
    }
    const double seconds = static_cast<double>(delay.ns()) / 1e9;
    if (self->log_retry != Py_None) {
      PyObject* wait = PyFloat_FromDouble(seconds);
      const bool done = wait != nullptr && logged(self->log_retry, attempt, wait, failure, Py_True);
      Py_XDECREF(wait);
      if (!done) break;
    }
    Py_CLEAR(failure);
    if (!pause(self, seconds)) break;
    result = PyObject_Vectorcall(self->fn, args, nargsf, kwnames);
    if (result != nullptr) {
      if (!core_call([&] { core_retrier(retrier).on_success(); })) Py_CLEAR(result);
      break;
    }
    if (!PyErr_ExceptionMatches(PyExc_Exception)) break;  // KeyboardInterrupt, SystemExit: at once
    failure = take_exception();
  }
  Py_XDECREF(failure);
  Py_DECREF(retrier);
  return result;
}

// Whether a call that failed once goes on in Python (resume): 1, 0, or -1 with an error set.
int hands_over(RetriedObject* self) {
  if (self->policy == nullptr) return 1;
  const int capped = switch_is_on(self->testing, name_attempts);
  if (capped != 0 || self->traced == Py_None) return capped;
  PyObject* observer = PyObject_GetAttr(self->traced, name_observer);
  if (observer == nullptr) return -1;
  Py_DECREF(observer);
  return observer != Py_None;
}

PyObject* call_retried(PyObject* callable, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  RetriedObject* self = as_retried(callable);
  if (self->fn == nullptr) {  // cleared by the garbage collector, in a cycle being freed
    PyErr_SetString(PyExc_RuntimeError, "Retried: called after it was cleared");
    return nullptr;
  }
  if (self->stats == nullptr) return call_with_first(self->resume, Py_None, args, nargsf, kwnames);
  if (PyObject_SetAttr(self->statistics, name_last, Py_None) < 0) return nullptr;
  PyObject* result = PyObject_Vectorcall(self->fn, args, nargsf, kwnames);
  if (result != nullptr) {
    self->stats->record_end(backoff::RetryOutcome::succeeded, false);  // no core Retrier saw this call
    return result;
  }
  if (!PyErr_ExceptionMatches(PyExc_Exception)) return nullptr;  // KeyboardInterrupt, SystemExit: at once
  PyObject* failure = take_exception();
  const int handed_over = hands_over(self);
  if (handed_over < 0) {
    Py_DECREF(failure);
    return nullptr;
  }
  if (handed_over == 0) return plain_loop(self, failure, args, nargsf, kwnames);
  result = call_with_first(self->resume, failure, args, nargsf, kwnames);
  Py_DECREF(failure);
  return result;
}

// A required callable argument, or TypeError naming it.
bool callable_arg(PyObject* value, const char* param, bool none_allowed) {
  if (PyCallable_Check(value) || (none_allowed && value == Py_None)) return true;
  PyErr_Format(PyExc_TypeError, "Retried: %s must be callable%s (got %R)", param, none_allowed ? " or None" : "",
               value);
  return false;
}

PyObject* new_retried(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  static const char* keywords[] = {"fn",        "retrying", "statistics", "resume",  "stats",     "policy",
                                   "retryable", "hint_ns",  "sleep",      "testing", "log_retry", "log_give_up",
                                   "traced",    nullptr};
  PyObject *fn, *retrying, *statistics, *resume, *stats = Py_None, *policy = Py_None, *retryable = Py_None,
                                                  *hint_ns = Py_None, *sleep = Py_None, *testing = Py_None,
                                                  *log_retry = Py_None, *log_give_up = Py_None, *traced = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOO|O$OOOOOOOO:Retried", const_cast<char**>(keywords), &fn,
                                   &retrying, &statistics, &resume, &stats, &policy, &retryable, &hint_ns, &sleep,
                                   &testing, &log_retry, &log_give_up, &traced)) {
    return nullptr;
  }
  if (!callable_arg(fn, "fn", false) || !callable_arg(resume, "resume", false) ||
      !callable_arg(sleep, "sleep", true) || !callable_arg(log_retry, "log_retry", true) ||
      !callable_arg(log_give_up, "log_give_up", true)) {
    return nullptr;
  }
  backoff::RetryStats* core_stats = nullptr;
  if (stats != Py_None && (core_stats = core_retry_stats(stats)) == nullptr) return nullptr;
  if (policy != Py_None &&
      (core_stats == nullptr || retryable == Py_None || !PyCallable_Check(hint_ns) || testing == Py_None)) {
    PyErr_SetString(PyExc_TypeError, "Retried: the plain loop (policy=) needs stats, retryable, hint_ns and testing");
    return nullptr;
  }
  PyObject* self = type->tp_alloc(type, 0);
  if (self == nullptr) return nullptr;
  RetriedObject* object = as_retried(self);
  object->vectorcall = call_retried;
  object->fn = Py_NewRef(fn);
  object->retrying = Py_NewRef(retrying);
  object->statistics = Py_NewRef(statistics);
  object->resume = Py_NewRef(resume);
  object->stats_owner = Py_NewRef(stats);
  object->stats = core_stats;
  object->policy = policy == Py_None ? nullptr : Py_NewRef(policy);
  object->retryable = Py_NewRef(retryable);
  object->hint_ns = Py_NewRef(hint_ns);
  object->sleep = Py_NewRef(sleep);
  object->testing = Py_NewRef(testing);
  object->log_retry = Py_NewRef(log_retry);
  object->log_give_up = Py_NewRef(log_give_up);
  object->traced = Py_NewRef(traced);
  return self;
}

// The references a Retried holds, for the garbage collector.
PyObject* RetriedObject::* const kReferences[] = {
    &RetriedObject::fn,      &RetriedObject::retrying,  &RetriedObject::statistics, &RetriedObject::resume,
    &RetriedObject::stats_owner, &RetriedObject::policy, &RetriedObject::retryable, &RetriedObject::hint_ns,
    &RetriedObject::sleep,   &RetriedObject::testing,   &RetriedObject::log_retry,  &RetriedObject::log_give_up,
    &RetriedObject::traced,  &RetriedObject::dict,
};

int traverse_retried(PyObject* self, visitproc visit, void* arg) {
  Py_VISIT(Py_TYPE(self));
  for (PyObject* RetriedObject::* reference : kReferences) Py_VISIT(as_retried(self)->*reference);
  return 0;
}

int clear_retried(PyObject* self) {
  as_retried(self)->stats = nullptr;
  for (PyObject* RetriedObject::* reference : kReferences) Py_CLEAR(as_retried(self)->*reference);
  return 0;
}

void free_retried(PyObject* self) {
  PyObject_GC_UnTrack(self);
  if (as_retried(self)->weakrefs != nullptr) PyObject_ClearWeakRefs(self);
  clear_retried(self);
  PyTypeObject* type = Py_TYPE(self);
  type->tp_free(self);
  Py_DECREF(type);
}

// obj.method: the Retried itself through the class, else a BoundRetried for `instance`.
PyObject* retried_get(PyObject* self, PyObject* instance, PyObject*) {
  if (instance == nullptr || instance == Py_None) return Py_NewRef(self);
  PyObject* bound = bound_type->tp_alloc(bound_type, 0);
  if (bound == nullptr) return nullptr;
  as_bound(bound)->retried = Py_NewRef(self);
  as_bound(bound)->instance = Py_NewRef(instance);
  as_bound(bound)->vectorcall = [](PyObject* callable, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
    return call_with_first(as_bound(callable)->retried, as_bound(callable)->instance, args, nargsf, kwnames);
  };
  return bound;
}

// retry_with(**changes): the same function through a copy of the Retrying, `changes` applied.
PyObject* retry_with(PyObject* self, PyObject* args, PyObject* changes) {
  if (PyTuple_GET_SIZE(args) != 0) {
    PyErr_SetString(PyExc_TypeError, "retry_with() takes keyword arguments only");
    return nullptr;
  }
  PyObject* copy_method = PyObject_GetAttr(as_retried(self)->retrying, name_copy);
  PyObject* copy = copy_method == nullptr ? nullptr : PyObject_Call(copy_method, args, changes);
  Py_XDECREF(copy_method);
  PyObject* wrapped = copy == nullptr ? nullptr : PyObject_CallMethodOneArg(copy, name_wraps, as_retried(self)->fn);
  Py_XDECREF(copy);
  return wrapped;
}

// Pickled by name, as the function it replaces (multiprocessing sends module-level functions so).
PyObject* reduce_retried(PyObject* self, PyObject*) { return PyObject_GetAttrString(self, "__qualname__"); }

PyObject* repr_retried(PyObject* self) { return PyUnicode_FromFormat("<retried %R>", as_retried(self)->fn); }

PyMethodDef retried_methods[] = {
    {"retry_with", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(retry_with)),
     METH_VARARGS | METH_KEYWORDS,
     "retry_with($self, /, **changes)\n--\n\n"
     "The same function with a copy of its retrying object, ``changes`` applied."},
    {"__reduce__", reduce_retried, METH_NOARGS, "__reduce__($self, /)\n--\n\nPickled by qualified name."},
    {nullptr, nullptr, 0, nullptr},
};

PyMemberDef retried_members[] = {
    {"retry", T_OBJECT_EX, offsetof(RetriedObject, retrying), READONLY, "The Retrying that drives the calls."},
    {"statistics", T_OBJECT_EX, offsetof(RetriedObject, statistics), READONLY, "The latest call's Statistics."},
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(RetriedObject, vectorcall), READONLY, nullptr},
    {"__dictoffset__", T_PYSSIZET, offsetof(RetriedObject, dict), READONLY, nullptr},
    {"__weaklistoffset__", T_PYSSIZET, offsetof(RetriedObject, weakrefs), READONLY, nullptr},
    {nullptr, 0, 0, 0, nullptr},
};

PyGetSetDef retried_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

// BoundRetried: its own attributes, else the Retried's (__name__, __wrapped__...), as a bound method's.
PyObject* bound_getattro(PyObject* self, PyObject* name) {
  // __doc__ and __module__ are the type's own entries; a wrapper's are the function's.
  if (PyUnicode_CompareWithASCIIString(name, "__doc__") != 0 &&
      PyUnicode_CompareWithASCIIString(name, "__module__") != 0) {
    PyObject* value = PyObject_GenericGetAttr(self, name);
    if (value != nullptr || !PyErr_ExceptionMatches(PyExc_AttributeError)) return value;
    PyErr_Clear();
  }
  return PyObject_GetAttr(as_bound(self)->retried, name);
}

PyObject* bound_retry(PyObject* self, void*) { return Py_NewRef(as_retried(as_bound(self)->retried)->retrying); }
PyObject* bound_statistics(PyObject* self, void*) {
  return Py_NewRef(as_retried(as_bound(self)->retried)->statistics);
}
PyObject* bound_func(PyObject* self, void*) { return Py_NewRef(as_bound(self)->retried); }
PyObject* bound_self(PyObject* self, void*) { return Py_NewRef(as_bound(self)->instance); }

// inspect.signature(obj.method): that of a bound method, without the first parameter.
PyObject* bound_signature(PyObject* self, void*) {
  PyObject* inspect = PyImport_ImportModule("inspect");
  PyObject* method = inspect == nullptr ? nullptr : PyMethod_New(as_bound(self)->retried, as_bound(self)->instance);
  PyObject* signature = method == nullptr ? nullptr : PyObject_CallMethod(inspect, "signature", "O", method);
  Py_XDECREF(method);
  Py_XDECREF(inspect);
  return signature;
}

// retry_with(**changes) on obj.method: the copy, bound to the same instance.
PyObject* bound_retry_with(PyObject* self, PyObject* args, PyObject* changes) {
  PyObject* copy = retry_with(as_bound(self)->retried, args, changes);
  if (copy == nullptr) return nullptr;
  PyObject* bound = Py_TYPE(copy)->tp_descr_get == nullptr
                        ? Py_NewRef(copy)
                        : Py_TYPE(copy)->tp_descr_get(copy, as_bound(self)->instance,
                                                      reinterpret_cast<PyObject*>(Py_TYPE(as_bound(self)->instance)));
  Py_DECREF(copy);
  return bound;
}

PyObject* repr_bound(PyObject* self) {
  return PyUnicode_FromFormat("<bound retried %R of %R>", as_retried(as_bound(self)->retried)->fn,
                              as_bound(self)->instance);
}

int traverse_bound(PyObject* self, visitproc visit, void* arg) {
  Py_VISIT(Py_TYPE(self));
  Py_VISIT(as_bound(self)->retried);
  Py_VISIT(as_bound(self)->instance);
  return 0;
}

int clear_bound(PyObject* self) {
  Py_CLEAR(as_bound(self)->retried);
  Py_CLEAR(as_bound(self)->instance);
  return 0;
}

void free_bound(PyObject* self) {
  PyObject_GC_UnTrack(self);
  clear_bound(self);
  PyTypeObject* type = Py_TYPE(self);
  type->tp_free(self);
  Py_DECREF(type);
}

PyMethodDef bound_methods[] = {
    {"retry_with", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(bound_retry_with)),
     METH_VARARGS | METH_KEYWORDS,
     "retry_with($self, /, **changes)\n--\n\nThe bound method of a copy with ``changes``, for the same instance."},
    {nullptr, nullptr, 0, nullptr},
};

PyMemberDef bound_members[] = {
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(BoundObject, vectorcall), READONLY, nullptr},
    {nullptr, 0, 0, 0, nullptr},
};

PyGetSetDef bound_getset[] = {
    {"retry", bound_retry, nullptr, "The Retrying that drives the calls.", nullptr},
    {"statistics", bound_statistics, nullptr, "The latest call's Statistics.", nullptr},
    {"__func__", bound_func, nullptr, "The Retried.", nullptr},
    {"__self__", bound_self, nullptr, "The instance.", nullptr},
    {"__signature__", bound_signature, nullptr, "The signature, without the first parameter.", nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

PyObject* interned(const char* text) {
  PyObject* name = PyUnicode_InternFromString(text);
  if (name == nullptr) throw py::error_already_set();
  return name;
}

}  // namespace

void bind_retried(py::module_& module) {
  name_last = interned("_last");
  name_attempts = interned("attempts");
  name_observer = interned("observer");
  name_waiting = interned("waiting");
  name_copy = interned("copy");
  name_wraps = interned("wraps");
  name_policy = interned("policy");
  name_permanent = interned("permanent");
  time_sleep = py::object(py::module_::import("time").attr("sleep")).release().ptr();

  // Both types are called through vectorcall (PyVectorcall_Call serves tp_call) and collected by the GC.
  constexpr unsigned long kCallable = Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL;
  bound_type = add_type(module, {"libbackoff._core.BoundRetried", static_cast<int>(sizeof(BoundObject)), kCallable,
                                 "obj.method of a retried method: the Retried with obj first.",
                                 nullptr, free_bound, traverse_bound, clear_bound, bound_methods, bound_getset,
                                 bound_members, nullptr, bound_getattro, repr_bound, PyVectorcall_Call});
  add_type(module, {"libbackoff._core.Retried", static_cast<int>(sizeof(RetriedObject)),
                    kCallable | Py_TPFLAGS_METHOD_DESCRIPTOR,
                    "Retried(fn, retrying, statistics, resume, stats=None, /, *, policy=None, retryable=None, "
                    "hint_ns=None, sleep=None, testing=None, log_retry=None, log_give_up=None, traced=None)\n--\n\n"
                    "A plain function wrapped in its retry loop (python/libbackoff/retrying.py, wraps).",
                    new_retried, free_retried, traverse_retried, clear_retried, retried_methods, retried_getset,
                    retried_members, retried_get, nullptr, repr_retried, PyVectorcall_Call});
}

}  // namespace backoff_python
