// BudgetOwner: which thread stripe (thread_stripe.hpp) owns a budget's inline state, decided once per call
// for all of its lazily striped parts.
//
// A per-key budget is mostly driven by one thread at a time, so its three parts that threads could contend
// on (the striped balance, the refusal count and the ticket slots) each keep a small inline state for the
// first stripe that calls, and spread to per-stripe lines only when another stripe shows up. One owner word
// serves the three: a call reads it once and hands the answer to each part it touches (an AWS withdrawal
// touches the balance and the tickets, a refusal the balance and the count), instead of each part keeping
// and checking an owner of its own.
//
// The first stripe to call owns the inline state; the first call of any other stripe makes the budget
// shared for good, and from then on every stripe, the first included, uses the striped parts (each made
// when first needed). Ownership never moves to another stripe, so no hand-over can race with the owner's
// own calls: each part moves its inline state to its stripes, or reads it there, safely against an owner
// call that read the word just before it changed (striped_balance.hpp, budget_tickets.hpp,
// budget_refusals.hpp). Size: 4 B.
#pragma once

#include <atomic>

namespace backoff {

class BudgetOwner {
 public:
  // The bits of the stripe index that thread_stripe() gives every part: the parts have 2^kStripeBits
  // stripes each.
  static constexpr unsigned kStripeBits = 5;

  // True while `stripe` owns the inline state: it was the first to ask and no other stripe has asked since.
  // One relaxed load once decided.
  bool owns(unsigned stripe) noexcept {
    const unsigned owner = owner_.load(std::memory_order_relaxed);
    return owner == stripe + 1 || (owner != kShared && decide(stripe));
  }

 private:
  // The owner word once a second stripe has called.
  static constexpr unsigned kShared = ~0u;

  // Out of line, so that the hot paths inline only the load: claims the inline state for the first stripe,
  // or marks the budget shared at another stripe's first call.
  bool decide(unsigned stripe) noexcept;

  std::atomic<unsigned> owner_{0};  // 0 before the first call, the owning stripe + 1, or kShared
};

}  // namespace backoff
