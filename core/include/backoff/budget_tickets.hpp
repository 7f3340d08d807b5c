// BudgetTickets: the tickets a budget has out, so that each is honoured once and no other is.
//
// A ticket is the budget's receipt for the tokens a retry holds; settling it (a successful retry's refund,
// a cancelled retry's refund) gives tokens back. Were a ticket only an encoded amount, any number would
// credit tokens (refund(12345)) and one ticket settled twice would credit twice: a buggy caller could
// refill the budget that exists to stop an outage's retries. So every ticket is recorded when issued and
// erased when settled:
//
//   ticket = stripe (3 bits) | slot (10 bits) | generation (49 bits) | error class + 1 (2 bits)
//
// Each stripe (one per thread, thread_stripe.hpp) has kSlots slots; a slot holds its ticket while it is
// out, and its generation, which the next ticket there counts on from a random start, while it is free.
// Issuing is one compare-and-swap of a free slot to the ticket, redeeming one compare-and-swap back: it
// succeeds for exactly one caller, and only for a ticket that is out. No lock, no shared counter, and
// withdrawals on different threads touch different cache lines. A stripe's slots are allocated by the
// first ticket it issues (16 KiB), so a budget that never grants a retry, or one thread's, stays small.
// 1024 slots a thread: an asyncio program holds all its retries' tickets on one thread, and AWS's default
// bucket (500 tokens at 5 a retry) can have at most 100 out.
//
// Memory is bounded, so a new ticket that finds every slot of its stripe taken evicts one of the oldest. A
// ticket is out until it is settled or forfeited (a retry that failed spent its tokens; the Retrier
// forfeits its ticket, callers of the bare budget may simply drop it), so only a caller who drops tickets,
// or holds more than kSlots on one thread, sees evictions. Redeeming an evicted ticket reports `expired`:
// it credits nothing, like a breaker's stale permit; its tokens stay spent, which errs on the side the
// budget exists for. (Once a slot has evicted, an older ticket of that slot settled twice also reads as
// expired: it cannot be told from an evicted one. It changes nothing either way.)
#pragma once

#include <atomic>
#include <cstdint>

namespace backoff {

class BudgetTickets {
 public:
  static constexpr unsigned kStripeBits = 3;
  static constexpr unsigned kStripes = 1u << kStripeBits;
  static constexpr unsigned kSlotBits = 10;
  static constexpr unsigned kSlots = 1u << kSlotBits;

  enum class Redeemed { honoured, expired, invalid };

  BudgetTickets() = default;
  ~BudgetTickets();
  BudgetTickets(const BudgetTickets&) = delete;
  BudgetTickets& operator=(const BudgetTickets&) = delete;

  // A new ticket (never 0) for a retry charged as `error_class` (0, 1 or 2). Throws std::bad_alloc only
  // when a stripe's first ticket cannot allocate its slots.
  std::uint64_t issue(int error_class);

  // Settles `ticket`: honoured once for a ticket that is out (its error class in *error_class), expired
  // for one that was evicted, invalid for any other number, a ticket settled already included.
  Redeemed redeem(std::uint64_t ticket, int* error_class) noexcept;

  // Tickets issued so far: a sum over every slot, for statistics, not for a hot path.
  std::uint64_t issued() const noexcept;

 private:
  struct Stripe;
  Stripe& stripe(unsigned index);

  std::atomic<Stripe*> stripes_[kStripes] = {};
};

}  // namespace backoff
