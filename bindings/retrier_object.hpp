// What bind_retried.cpp's driver needs of a _core.Retrier (bind_retrier.cpp): making one for the plain
// loop and taking its steps, without Python calls in between.
#pragma once

#include <Python.h>

#include "backoff/retrier.hpp"

namespace backoff_python {

// A new _core.Retrier, as _core.Retrier(policy, None, retryable, hint_ns, stats) makes it; nullptr with an
// error set when an argument is wrong.
PyObject* new_plain_retrier(PyObject* policy, PyObject* retryable, PyObject* hint_ns, PyObject* stats);

// The core Retrier inside a _core.Retrier object (unchecked: `retrier` must be one).
backoff::Retrier& core_retrier(PyObject* retrier);

// How a failed attempt of the plain loop ends.
enum class PlainStep {
  retry,      // retried after *delay
  permanent,  // not retried: the exception is not of the retried classes
  stopped,    // not retried: the policy gives up
  error,      // a Python error is set (reading the hint, a bad hint, the core)
};

// One failed attempt of the plain loop, the exception `exc`: the retried classes' test, the exception's
// retry_after hint and the core's decision, recorded in `retrier` (made by new_plain_retrier).
PlainStep plain_step(PyObject* retrier, PyObject* exc, backoff::Duration* delay);

}  // namespace backoff_python
