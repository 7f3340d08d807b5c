// RetryStats, objects' names and snapshots: what libbackoff's `stats()` methods and its metrics exporters
// read. Snapshots cross as plain tuples of ints (the Python layer names the fields in frozen dataclasses);
// the breaker's and budget's are free functions, so their classes' bindings stay as they are.
//
// One entry point is made for speed: success_counter(stats) returns a builtin function of one argument
// that records a call's success into the core and returns the argument. @retry wraps the result of every
// call that succeeds at once in it (`return succeeded(fn(*args))`: no extra store, load or branch), the
// path it promises to keep within 20 ns of an undecorated call (bench/python/bench_retry.py). A METH_O
// builtin bound to a capsule costs a vectorcall and a striped increment, ~20 ns; a pybind11 method would
// cost ~100 ns of dispatch, and a counter kept in Python (an int += 1) costs as much as the call and is
// not thread-safe without the GIL.
#include <Python.h>

#include <memory>
#include <string>

#include "backoff/object_snapshots.hpp"
#include "backoff/retry_stats.hpp"
#include "bind.hpp"
#include "bind_time.hpp"

namespace py = pybind11;

namespace backoff_python {
namespace {

using backoff::RetryOutcome;
using backoff::RetryStats;

py::tuple stats_tuple(const backoff::RetryStatsSnapshot& snapshot) {
  py::tuple ends(backoff::kRetryOutcomeCount);
  for (int outcome = 0; outcome < backoff::kRetryOutcomeCount; ++outcome) ends[outcome] = snapshot.ends[outcome];
  return py::make_tuple(snapshot.failures, snapshot.retries, snapshot.slept_ns, snapshot.max_elapsed, ends);
}

py::tuple breaker_tuple(const backoff::BreakerSnapshot& snapshot) {
  py::tuple counts(backoff::kBreakerCountCount);
  for (int which = 0; which < backoff::kBreakerCountCount; ++which) counts[which] = snapshot.counts[which];
  py::tuple transitions(backoff::kBreakerStateCount);
  for (int from = 0; from < backoff::kBreakerStateCount; ++from) {
    py::tuple row(backoff::kBreakerStateCount);
    for (int to = 0; to < backoff::kBreakerStateCount; ++to) row[to] = snapshot.transitions[from][to];
    transitions[from] = row;
  }
  return py::make_tuple(static_cast<int>(snapshot.state), counts, transitions);
}

// The core object's name, whichever of the named objects `object` is. (A Python budget's name is its
// RetryBudget's alone: nothing in Python reads a core budget's.)
backoff::ObjectName& name_of_object(const py::handle& object) {
  if (backoff::Breaker* breaker = core_breaker(object.ptr())) return breaker->name();
  PyErr_Clear();  // not a breaker: try the pybind11 class
  if (py::isinstance<RetryStats>(object)) return py::cast<RetryStats&>(object).name();
  throw py::type_error("expected a _core.RetryStats or Breaker (got " + std::string(py::repr(object)) + ")");
}

PyObject* record_success(PyObject* capsule, PyObject* result) {
  static_cast<RetryStats*>(PyCapsule_GetPointer(capsule, nullptr))->record_end(RetryOutcome::succeeded, false);
  return Py_NewRef(result);
}

PyMethodDef record_success_def = {
    "succeeded", record_success, METH_O,
    "succeeded(result, /)\n--\n\nRecords a call that succeeded at its first attempt; returns result."};

// The capsule holds the RetryStats pointer and, as its context, a reference to the Python object that
// owns it, dropped with the capsule.
void drop_owner(PyObject* capsule) { Py_XDECREF(static_cast<PyObject*>(PyCapsule_GetContext(capsule))); }

py::object success_counter(const py::object& stats) {
  RetryStats& core = py::cast<RetryStats&>(stats);
  py::object capsule = py::reinterpret_steal<py::object>(PyCapsule_New(&core, nullptr, drop_owner));
  if (!capsule || PyCapsule_SetContext(capsule.ptr(), Py_NewRef(stats.ptr())) != 0) throw py::error_already_set();
  PyObject* function = PyCFunction_New(&record_success_def, capsule.ptr());
  if (function == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(function);
}

}  // namespace

backoff::RetryStats* core_retry_stats(PyObject* object) {
  try {
    return &py::cast<RetryStats&>(py::handle(object));
  } catch (const py::cast_error&) {
    PyErr_Format(PyExc_TypeError, "stats: expected a _core.RetryStats (got %R)", object);
    return nullptr;
  }
}

void bind_observe(py::module_& module) {
  // Held by shared_ptr: the Python object may go while a capsule or a Retrier still holds it.
  py::class_<RetryStats, std::shared_ptr<RetryStats>>(module, "RetryStats")
      .def(py::init<>())
      .def("snapshot", [](const RetryStats& stats) { return stats_tuple(stats.snapshot()); },
           "(failures, retries, slept_ns, max_elapsed, ends by RetryOutcome value)");
  module.def("success_counter", &success_counter, py::arg("stats"));
  module.def(
      "breaker_snapshot",
      [](const py::handle& breaker_object, const py::object& now_ns) {
        backoff::Breaker* breaker = core_breaker(breaker_object.ptr());
        if (breaker == nullptr) throw py::error_already_set();
        return breaker_tuple(now_ns.is_none() ? backoff::snapshot(*breaker)
                                              : backoff::snapshot_at(*breaker, backoff::Instant::from_ns(now_ns.cast<std::int64_t>())));
      },
      py::arg("breaker"), py::arg("now_ns") = py::none(), "(state, counts by BreakerCount, transitions[from][to])");
  module.def(
      "budget_snapshot",
      [](const py::handle& budget_object, const py::object& now_ns) {
        backoff::Budget* budget = core_budget(budget_object.ptr());
        if (budget == nullptr) throw py::error_already_set();
        const backoff::BudgetSnapshot snapshot =
            now_ns.is_none() ? backoff::snapshot(*budget)
                             : backoff::snapshot_at(*budget, backoff::Instant::from_ns(now_ns.cast<std::int64_t>()));
        return py::make_tuple(snapshot.balance_milli, snapshot.granted, snapshot.refused);
      },
      py::arg("budget"), py::arg("now_ns") = py::none(), "(balance_milli, granted, refused)");
  module.def(
      "set_name", [](const py::handle& object, const std::string& name) { name_of_object(object).set(name); },
      py::arg("object"), py::arg("name"));
  module.def(
      "get_name", [](const py::handle& object) { return std::string(name_of_object(object).get()); }, py::arg("object"));
}

}  // namespace backoff_python
