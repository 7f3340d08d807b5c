// Snapshots of a breaker and a budget: every number an exporter reads, taken in one call.
//
// A scrape reads these, never the hot path: a snapshot costs what reading each count does. For a breaker,
// the sums of its 8 striped counters (up to 33 loads each), the window's totals, three short holds of its
// lock, and one of its event lock per state pair (transitions are counted where events are queued); for a budget,
// its balance (AWS: a sum over stripes; Finagle: expiring the ledger's old deposits) and two counters.
// Counts read while other threads write are each exact at some moment of the call, not all at one moment.
#pragma once

#include <cstdint>

#include "backoff/breaker.hpp"
#include "backoff/budget.hpp"

namespace backoff {

struct BreakerSnapshot {
  BreakerState state = BreakerState::closed;
  std::uint64_t counts[kBreakerCountCount] = {};  // by BreakerCount
  std::uint64_t transitions[kBreakerStateCount][kBreakerStateCount] = {};  // [from][to]
};

struct BudgetSnapshot {
  std::int64_t balance_milli = 0;
  std::uint64_t granted = 0;  // withdrawals the budget allowed
  std::uint64_t refused = 0;  // withdrawals it refused
};

// The breaker at `now` (its time window ends there); snapshot() reads the breaker's clock once.
BreakerSnapshot snapshot_at(const Breaker& breaker, Instant now);
inline BreakerSnapshot snapshot(const Breaker& breaker) { return snapshot_at(breaker, breaker.clock().now()); }

// The budget at `now` (Finagle's balance expires deposits older than the ttl); snapshot() reads its clock.
BudgetSnapshot snapshot_at(Budget& budget, Instant now);
inline BudgetSnapshot snapshot(Budget& budget) { return snapshot_at(budget, budget.clock().now()); }

}  // namespace backoff
