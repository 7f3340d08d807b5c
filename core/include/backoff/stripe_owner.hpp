// StripeOwner: which thread stripe (thread_stripe.hpp) owns an object's inline state.
//
// Per-key objects are mostly driven by one thread at a time, and padding each for many threads would
// multiply their size by ten (a cache line per stripe). So a lazily striped object keeps a small inline
// state for the first stripe that uses it, and spreads to per-stripe lines only when another stripe shows
// up (striped_counters.hpp, striped_balance.hpp, budget_tickets.hpp). The first stripe owns the inline
// state for good: ownership never moves, so no hand-over can race with the owner's own calls.
#pragma once

#include <atomic>

namespace backoff {

class StripeOwner {
 public:
  // True for the owning stripe; the first stripe to ask becomes the owner. One relaxed load once owned.
  bool owns(unsigned stripe) noexcept {
    const unsigned owner = owner_.load(std::memory_order_relaxed);
    return owner == stripe + 1 || (owner == 0 && claim(stripe));
  }

 private:
  // Out of line, so that the hot paths inline only the load: the first call claims ownership, once.
  bool claim(unsigned stripe) noexcept;

  std::atomic<unsigned> owner_{0};  // the owning stripe + 1; 0 before the first call
};

}  // namespace backoff
