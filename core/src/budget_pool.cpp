#include "backoff/budget_pool.hpp"

#include <string>

#include "backoff/random.hpp"
#include "backoff/status.hpp"

namespace backoff {
namespace {

// At most this many budgets per pool: each takes about 5 KiB, so the bound is about 5 GB, plus 16 KiB of
// tickets per thread that drew on a budget (budget_tickets.hpp).
constexpr std::int64_t kMaxPoolKeys = std::int64_t{1} << 20;

const BudgetConfig& validated(const BudgetConfig& config, std::int64_t max_keys) {
  if (max_keys < 1 || max_keys > kMaxPoolKeys) {
    throw_invalid("max_keys", ("must be in [1, " + std::to_string(kMaxPoolKeys) + "]").c_str(),
                  std::to_string(max_keys));
  }
  config.validate();
  return config;
}

}  // namespace

std::uint64_t budget_key_hash(std::string_view key) noexcept {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (const char c : key) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  return mix64(hash);
}

BudgetPool::BudgetPool(const BudgetConfig& config, std::int64_t max_keys, Clock clock)
    : config_(validated(config, max_keys)), clock_(clock), max_keys_(max_keys) {}

std::shared_ptr<Budget> BudgetPool::get(std::string_view key) {
  const std::uint64_t hash = budget_key_hash(key);
  std::shared_ptr<Budget> evicted;  // released after the lock: a budget's last owner frees it
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = by_hash_.find(hash);
  if (found != by_hash_.end()) {
    recent_.splice(recent_.begin(), recent_, found->second);
    return found->second->second;
  }
  if (static_cast<std::int64_t>(recent_.size()) == max_keys_) {
    evicted = std::move(recent_.back().second);
    by_hash_.erase(recent_.back().first);
    recent_.pop_back();
  }
  recent_.emplace_front(hash, std::make_shared<Budget>(config_, clock_));
  by_hash_.emplace(hash, recent_.begin());
  return recent_.front().second;
}

std::size_t BudgetPool::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return recent_.size();
}

}  // namespace backoff
