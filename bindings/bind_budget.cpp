// Budget, BudgetConfig and their enums. Tickets are ints, balances int64 milli-tokens, times int64
// nanoseconds or None (the core's monotonic clock); the Python package gives them their units and raises
// RetryBudgetExhausted.
//
// Budget is a plain CPython type, as Breaker is (bind_breaker.cpp), for the same two reasons: a budget
// exists per key by the hundred thousand, and the core budget lives in the Python object's own memory
// (plain_type.hpp), so a RetryBudget (which subclasses it with __slots__) is one allocation with no
// pybind11 instance, registry entry or shared_ptr control block beside it (docs/scale.md); and each call
// costs a vectorcall instead of pybind11's dispatch, about 100 ns less. The methods' names start with an
// underscore because the subclass's public ones raise and convert units; these speak the core's ints.
//
// The GIL is held through every call: a budget is lock-free, so no call here can wait on another Python
// thread. A RetryBudgetPool keeps its per-key budgets in a KeyedObjects (bind_keyed_objects.cpp), each
// made from its template's _config().
#include <Python.h>

#include <cstdint>
#include <exception>
#include <optional>

#include "backoff/budget.hpp"
#include "backoff/budget_config.hpp"
#include "bind.hpp"
#include "bind_vocabulary.hpp"
#include "bind_time.hpp"  // now_ns stays an int of nanoseconds in Python
#include "fastcall.hpp"
#include "plain_type.hpp"

namespace py = pybind11;

namespace backoff_python {
namespace {

struct BudgetObject {
  PyObject_HEAD
  backoff::Budget* budget;  // into `storage`; null only if construction failed
  Embedded<backoff::Budget> storage;
};

BudgetObject* as_budget(PyObject* self) { return reinterpret_cast<BudgetObject*>(self); }
backoff::Budget& budget_of(PyObject* self) { return *as_budget(self)->budget; }

PyTypeObject* budget_type = nullptr;  // set by bind_budget; the module keeps it alive

constexpr int kErrorClassCount = static_cast<int>(backoff::ErrorClass::throttling) + 1;

// Budget(config, /): the configuration is checked (by the core) before the object is made.
PyObject* new_budget(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  static const char* const keywords[] = {"", nullptr};  // positional only
  PyObject* config_arg = nullptr;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:Budget", const_cast<char**>(keywords), &config_arg)) {
    return nullptr;
  }
  const auto* config = bound_arg<backoff::BudgetConfig>(config_arg, "Budget: config must be a _core.BudgetConfig");
  if (config == nullptr) return nullptr;
  PyObject* self = type->tp_alloc(type, 0);  // zeroed: budget starts null
  if (self == nullptr) return nullptr;
  BudgetObject* object = as_budget(self);
  if (!core_call([&] { object->budget = new (object->storage.place()) backoff::Budget(*config); })) {
    Py_DECREF(self);
    return nullptr;
  }
  return self;
}

// Also the base step of a subclass's dealloc, which frees the object with its own tp_free. The type
// holds no Python references, so it takes no part in garbage collection (a subclass with slots does).
void free_budget(PyObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  BudgetObject* object = as_budget(self);
  if (object->budget != nullptr) object->budget->~Budget();
  type->tp_free(self);
  Py_DECREF(type);
}

// A now_ns argument: int nanoseconds on the budget's Python clock, or None, std::nullopt: the core then
// reads its own monotonic clock, and only if the calibration needs the time (Finagle), so that a budget
// on the monotonic clock runs no Python to read it.
bool now_arg(PyObject* arg, std::optional<backoff::Instant>* out) {
  if (arg == Py_None) {
    out->reset();
    return true;
  }
  std::int64_t now_ns;
  if (!int64_arg(arg, &now_ns)) return false;
  *out = backoff::Instant::from_ns(now_ns);
  return true;
}

// _config(): a copy of the configuration, which a RetryBudgetPool gives each key's budget.
PyObject* config(PyObject* self, PyObject*) {
  PyObject* copy = nullptr;
  try {
    copy = py::cast(budget_of(self).config()).release().ptr();
  } catch (py::error_already_set& error) {
    error.restore();
  } catch (const std::exception& error) {  // std::bad_alloc: nothing may unwind into Python
    PyErr_SetString(PyExc_RuntimeError, error.what());
  }
  return copy;
}

PyObject* record_request_at(PyObject* self, PyObject* now_arg_object) {
  std::optional<backoff::Instant> now;
  backoff::Budget& budget = budget_of(self);
  if (!now_arg(now_arg_object, &now) ||
      !core_call([&] { now ? budget.record_request_at(*now) : budget.record_request(); })) {
    return nullptr;
  }
  Py_RETURN_NONE;
}

PyObject* record_failure(PyObject* self, PyObject*) {
  budget_of(self).record_failure();
  Py_RETURN_NONE;
}

// _withdraw_at(now_ns, error_class): a ticket, or 0 when the budget refuses the retry.
PyObject* withdraw_at(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  std::optional<backoff::Instant> now;
  int error_class;
  std::uint64_t ticket = 0;
  if (!check_nargs("_withdraw_at", nargs, 2) || !now_arg(args[0], &now) ||
      !enum_arg(args[1], kErrorClassCount, "error_class", &error_class) ||
      !core_call([&] {
        backoff::Budget& budget = budget_of(self);
        const auto which = static_cast<backoff::ErrorClass>(error_class);
        ticket = now ? budget.withdraw_at(*now, which) : budget.withdraw(which);
      })) {
    return nullptr;
  }
  return PyLong_FromUnsignedLongLong(ticket);
}

// _record_success_at(now_ns, ticket) and _refund_at(now_ns, ticket): the two ways to settle a ticket.
constexpr char kRecordSuccessAt[] = "_record_success_at";
constexpr char kRefundAt[] = "_refund_at";

template <const char* kName, void (backoff::Budget::*kAt)(backoff::Instant, std::uint64_t),
          void (backoff::Budget::*kNow)(std::uint64_t)>
PyObject* settle(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  std::optional<backoff::Instant> now;
  std::uint64_t ticket;
  backoff::Budget& budget = budget_of(self);
  if (!check_nargs(kName, nargs, 2) || !now_arg(args[0], &now) || !uint64_arg(args[1], &ticket) ||
      !core_call([&] { now ? (budget.*kAt)(*now, ticket) : (budget.*kNow)(ticket); })) {
    return nullptr;
  }
  Py_RETURN_NONE;
}

PyObject* balance_milli_at(PyObject* self, PyObject* now_arg_object) {
  std::optional<backoff::Instant> now;
  std::int64_t balance = 0;
  backoff::Budget& budget = budget_of(self);
  if (!now_arg(now_arg_object, &now) ||
      !core_call([&] { balance = now ? budget.balance_milli_at(*now) : budget.balance_milli(); })) {
    return nullptr;
  }
  return PyLong_FromLongLong(balance);
}

PyObject* granted(PyObject* self, PyObject*) { return PyLong_FromUnsignedLongLong(budget_of(self).granted()); }

PyObject* refused(PyObject* self, PyObject*) { return PyLong_FromUnsignedLongLong(budget_of(self).refused()); }

PyObject* calibration(PyObject* self, PyObject*) {
  return PyLong_FromLongLong(budget_of(self).config().get_i64(backoff::BudgetParam::calibration));
}

// The "name($self, ...)\n--\n\n" prefix gives each method its __text_signature__ (for stubtest).
PyMethodDef budget_methods[] = {
    {"_config", config, METH_NOARGS, "_config($self, /)\n--\n\nA copy of the budget's configuration."},
    {"_record_request_at", record_request_at, METH_O,
     "_record_request_at($self, now_ns, /)\n--\n\n"
     "Notes that a logical request starts; now_ns None, here and below: the core's monotonic clock."},
    {"_record_failure", record_failure, METH_NOARGS, "_record_failure($self, /)\n--\n\nNotes a retryable failure."},
    {"_withdraw_at", fastcall(withdraw_at), METH_FASTCALL,
     "_withdraw_at($self, now_ns, error_class, /)\n--\n\n"
     "A ticket for a retry after a failure of error_class (an ErrorClass value), or 0 when refused."},
    {"_record_success_at",
     fastcall(settle<kRecordSuccessAt, &backoff::Budget::record_success_at, &backoff::Budget::record_success>),
     METH_FASTCALL,
     "_record_success_at($self, now_ns, ticket, /)\n--\n\nNotes a success: the retry's ticket, or 0 for a first "
     "attempt."},
    {"_refund_at", fastcall(settle<kRefundAt, &backoff::Budget::refund_at, &backoff::Budget::refund>), METH_FASTCALL,
     "_refund_at($self, now_ns, ticket, /)\n--\n\nGives back the tokens of a retry abandoned before it ran."},
    {"_balance_milli_at", balance_milli_at, METH_O,
     "_balance_milli_at($self, now_ns, /)\n--\n\nThe balance in milli-tokens."},
    {"_granted", granted, METH_NOARGS, "_granted($self, /)\n--\n\nWithdrawals that passed."},
    {"_refused", refused, METH_NOARGS, "_refused($self, /)\n--\n\nWithdrawals refused."},
    {"_calibration", calibration, METH_NOARGS, "_calibration($self, /)\n--\n\nThe Calibration value."},
    {nullptr, nullptr, 0, nullptr},
};

}  // namespace

backoff::Budget* core_budget(PyObject* object) {
  BudgetObject* budget = instance_of<BudgetObject>(object, budget_type, "budget", "_core.Budget");
  return budget != nullptr ? budget->budget : nullptr;
}

void bind_budget(py::module_& module) {
  using backoff::BudgetConfig;

  BACKOFF_BIND_ENUM(module, backoff::Calibration, "Calibration", BACKOFF_VOCAB_CALIBRATION);

  BACKOFF_BIND_ENUM(module, backoff::ErrorClass, "ErrorClass", BACKOFF_VOCAB_ERROR_CLASS);

  BACKOFF_BIND_PARAM_ENUM(module, backoff::BudgetParam, "BudgetParam", BACKOFF_BUDGET_PARAMS);

  bind_config_class<BudgetConfig>(module, "BudgetConfig")
      .def("get_i64", &BudgetConfig::get_i64, py::arg("param"));

  budget_type = add_type(module, {"libbackoff._core.Budget", static_cast<int>(sizeof(BudgetObject)),
                                  Py_TPFLAGS_BASETYPE,
                                  "Budget(config, /)\n--\n\nA retry budget made from a BudgetConfig.", new_budget,
                                  free_budget, nullptr, nullptr, budget_methods});
}

}  // namespace backoff_python
