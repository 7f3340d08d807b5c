#include "backoff/object_snapshots.hpp"

namespace backoff {

BreakerSnapshot snapshot_at(const Breaker& breaker, Instant now) {
  BreakerSnapshot snapshot;
  snapshot.state = breaker.state();
  for (int which = 0; which < kBreakerCountCount; ++which) {
    snapshot.counts[which] = breaker.count_at(now, static_cast<BreakerCount>(which));
  }
  for (int from = 0; from < kBreakerStateCount; ++from) {
    for (int to = 0; to < kBreakerStateCount; ++to) {
      snapshot.transitions[from][to] = breaker.transitions(static_cast<BreakerState>(from), static_cast<BreakerState>(to));
    }
  }
  return snapshot;
}

BudgetSnapshot snapshot_at(Budget& budget, Instant now) {
  BudgetSnapshot snapshot;
  snapshot.balance_milli = budget.balance_milli_at(now);
  snapshot.granted = budget.granted();
  snapshot.refused = budget.refused();
  return snapshot;
}

}  // namespace backoff
