// BudgetPool: one retry budget per key (a host, a partition, a tenant), in bounded memory.
//
// A service that talks to many backends wants one budget per backend: a failing backend must not spend
// the retries of a healthy one (aws-c-io's partition_id). The pool creates a key's budget on first use,
// all from one configuration, and holds at most `max_keys` of them; when a new key needs room, the budget
// used least recently is dropped from the pool. Callers that still hold it keep a valid budget (each
// holds a counted reference, budget.hpp's BudgetRef); the key simply starts afresh, with a full bucket, the next time it is asked for.
//
// Look-ups of keys already there are lock-free (keyed_pool.hpp, which also says how keys are hashed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backoff/budget.hpp"
#include "backoff/keyed_pool.hpp"

namespace backoff {

class BudgetPool {
 public:
  // Throws Error(invalid_value) for max_keys outside [1, kMaxPoolKeys] or a configuration that fails
  // BudgetConfig::validate().
  BudgetPool(const BudgetConfig& config, std::int64_t max_keys, Clock clock = Clock{});

  // A reference to the budget for `key`, created on first use. Thread-safe; lock-free for a key already
  // there, where it allocates nothing and writes only the budget's reference count.
  BudgetRef get(std::string_view key);

  std::size_t size() const noexcept { return budgets_.size(); }
  std::int64_t max_keys() const noexcept { return budgets_.max_keys(); }

 private:
  const BudgetConfig config_;
  const Clock clock_;
  KeyedPool<BudgetRef> budgets_;
};

}  // namespace backoff
