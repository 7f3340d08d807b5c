#include "backoff/budget_pool.hpp"

namespace backoff {

BudgetPool::BudgetPool(const BudgetConfig& config, std::int64_t max_keys, Clock clock)
    : config_(config), clock_(clock), budgets_(max_keys) {
  config_.validate();
}

BudgetRef BudgetPool::get(std::string_view key) {
  return budgets_.visit(
      key, [this] { return Budget::make(config_, clock_); }, [](const BudgetRef& budget) { return budget; });
}

}  // namespace backoff
