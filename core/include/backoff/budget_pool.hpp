// BudgetPool: one retry budget per key (a host, a partition, a tenant), in bounded memory.
//
// A service that talks to many backends wants one budget per backend: a failing backend must not spend
// the retries of a healthy one (aws-c-io's partition_id). The pool creates a key's budget on first use,
// all from one configuration, and holds at most `max_keys` of them; when a new key needs room, the budget
// used least recently is dropped from the pool. Callers that still hold it keep a valid budget (shared
// ownership); the key simply starts afresh, with a full bucket, the next time it is asked for.
//
// Keys are kept as 64-bit hashes, so memory does not depend on key length. Two keys whose hashes collide
// (odds about n^2 / 2^65 for n keys) would share a budget.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "backoff/budget.hpp"

namespace backoff {

class BudgetPool {
 public:
  // Throws Error(invalid_value) for max_keys < 1 or a configuration that fails BudgetConfig::validate().
  BudgetPool(const BudgetConfig& config, std::int64_t max_keys, Clock clock = Clock{});

  // The budget for `key`, created on first use. Thread-safe; takes the pool's lock.
  std::shared_ptr<Budget> get(std::string_view key);

  std::size_t size() const;
  std::int64_t max_keys() const noexcept { return max_keys_; }

 private:
  using Entry = std::pair<std::uint64_t, std::shared_ptr<Budget>>;

  const BudgetConfig config_;
  const Clock clock_;
  const std::int64_t max_keys_;
  mutable std::mutex mutex_;
  std::list<Entry> recent_;  // most recently used first
  std::unordered_map<std::uint64_t, std::list<Entry>::iterator> by_hash_;
};

// The 64-bit hash the pool keys budgets by: FNV-1a over the bytes, then a SplitMix64 finaliser to spread
// FNV's weak high bits. Stable across platforms and releases.
std::uint64_t budget_key_hash(std::string_view key) noexcept;

}  // namespace backoff
