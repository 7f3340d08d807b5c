// Budget, BudgetConfig and their enums. Tickets are ints, balances int64 milli-tokens, times int64
// nanoseconds; the Python package gives them their units and raises RetryBudgetExhausted.
//
// The GIL is held through every call: a budget is lock-free, so no call here can wait on another Python
// thread. A RetryBudgetPool keeps its per-key budgets in a KeyedObjects (bind_keyed_objects.cpp), each
// made from its template's _config().
#include <memory>
#include <string>

#include "backoff/budget.hpp"
#include "backoff/budget_config.hpp"
#include "bind.hpp"
#include "bind_vocabulary.hpp"
#include "bind_time.hpp"  // now_ns stays an int of nanoseconds in Python

namespace py = pybind11;

namespace backoff_python {

void bind_budget(py::module_& module) {
  using backoff::Budget;
  using backoff::BudgetConfig;
  using backoff::BudgetParam;

  BACKOFF_BIND_ENUM(module, backoff::Calibration, "Calibration", BACKOFF_VOCAB_CALIBRATION);

  BACKOFF_BIND_ENUM(module, backoff::ErrorClass, "ErrorClass", BACKOFF_VOCAB_ERROR_CLASS);

  BACKOFF_BIND_PARAM_ENUM(module, backoff::BudgetParam, "BudgetParam", BACKOFF_BUDGET_PARAMS);

  bind_config_class<BudgetConfig>(module, "BudgetConfig")
      .def("get_i64", &BudgetConfig::get_i64, py::arg("param"));

  // Held by shared_ptr. libbackoff.RetryBudget subclasses it, so that a Python budget is one object over
  // the core's: the methods' names start with an underscore because the subclass's public ones raise and
  // convert units.
  py::class_<Budget, std::shared_ptr<Budget>>(module, "Budget")
      // make_shared: the budget and its share count in one allocation.
      .def(py::init([](const BudgetConfig& config) { return std::make_shared<Budget>(config); }), py::arg("config"))
      // A copy of the configuration, which a RetryBudgetPool gives each key's budget.
      .def("_config", [](const Budget& budget) { return budget.config(); })
      .def("_record_request_at", &Budget::record_request_at, py::arg("now_ns"))
      .def("_record_failure", &Budget::record_failure)
      .def("_withdraw_at", &Budget::withdraw_at, py::arg("now_ns"), py::arg("error_class"))
      .def("_record_success_at", &Budget::record_success_at, py::arg("now_ns"), py::arg("ticket"))
      .def("_refund_at", &Budget::refund_at, py::arg("now_ns"), py::arg("ticket"))
      .def("_balance_milli_at", &Budget::balance_milli_at, py::arg("now_ns"))
      .def("_granted", &Budget::granted)
      .def("_refused", &Budget::refused)
      .def("_calibration", [](const Budget& budget) { return budget.config().get_i64(BudgetParam::calibration); });
}

}  // namespace backoff_python
