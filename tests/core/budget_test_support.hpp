// What the budget's test files share: a configuration of one calibration with its upstream defaults.
#pragma once

#include <cstdint>

#include "backoff/budget_config.hpp"

namespace budget_test {

inline backoff::BudgetConfig calibrated(backoff::Calibration calibration) {
  backoff::BudgetConfig config;
  config.set_i64(backoff::BudgetParam::calibration, static_cast<std::int64_t>(calibration));
  return config;
}

}  // namespace budget_test
