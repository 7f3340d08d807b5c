// BudgetTickets: the tickets a budget has handed out, so that each is honoured once and no other is.
//
// A ticket is the budget's receipt for the tokens a retry holds; settling it (a successful retry's refund,
// a cancelled retry's refund) gives tokens back. Were a ticket only an encoded amount, any number would
// credit tokens (refund(12345)) and one ticket settled twice would credit twice, and a buggy caller could
// refill a budget that exists to stop an outage's retries. So every ticket is recorded when issued and
// erased when settled:
//
//   ticket = stripe (3 bits) | sequence number (59 bits) | error class + 1 (2 bits)
//
// Each stripe (one per thread, thread_stripe.hpp) numbers its tickets from a random start and keeps the
// last kSlots in a ring, slot = sequence % kSlots. Redeeming is one compare-and-swap of the slot from the
// ticket to 0: it succeeds for exactly one caller, and only for a ticket that is out. No lock, no
// allocation after construction, and withdrawals on different threads touch different cache lines.
//
// Memory is bounded, so a ticket lives for the next kSlots withdrawals of its stripe: callers drop the
// tickets of retries that failed (their tokens are spent), and those must not pile up. A ticket older than
// that has expired: redeeming it reports `expired` and credits nothing, like a breaker's stale permit. Its
// tokens stay spent, which errs on the side the budget exists for.
#pragma once

#include <atomic>
#include <cstdint>

namespace backoff {

class BudgetTickets {
 public:
  static constexpr unsigned kStripeBits = 3;
  static constexpr unsigned kStripes = 1u << kStripeBits;
  static constexpr std::uint64_t kSlots = 256;  // per stripe: 8 x 256 x 8 bytes = 16 KiB per budget

  enum class Redeemed { honoured, expired, invalid };

  BudgetTickets();
  BudgetTickets(const BudgetTickets&) = delete;
  BudgetTickets& operator=(const BudgetTickets&) = delete;

  // A new ticket (never 0) for a retry charged as `error_class` (0, 1 or 2).
  std::uint64_t issue(int error_class) noexcept;

  // Settles `ticket`: honoured once for a ticket that is out (its error class in *error_class), expired
  // for one issued so long ago that its slot was reused, invalid for any other number, a ticket settled
  // already included.
  Redeemed redeem(std::uint64_t ticket, int* error_class) noexcept;

 private:
  struct alignas(64) Stripe {
    std::atomic<std::uint64_t> next{0};  // the sequence number of the stripe's next ticket
    std::uint64_t first = 0;              // the first one it issued
    std::atomic<std::uint64_t> slots[kSlots] = {};
  };
  Stripe stripes_[kStripes];
};

}  // namespace backoff
