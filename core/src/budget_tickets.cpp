#include "backoff/budget_tickets.hpp"

#include "backoff/random.hpp"
#include "backoff/thread_stripe.hpp"

namespace backoff {
namespace {

constexpr unsigned kSequenceBits = 64 - BudgetTickets::kStripeBits - 2;
constexpr std::uint64_t kSequenceMask = (std::uint64_t{1} << kSequenceBits) - 1;

constexpr std::uint64_t make_ticket(unsigned stripe, std::uint64_t sequence, int error_class) noexcept {
  return std::uint64_t{stripe} << (kSequenceBits + 2) | (sequence & kSequenceMask) << 2 |
         static_cast<std::uint64_t>(error_class + 1);
}

}  // namespace

BudgetTickets::BudgetTickets() {
  // A random start per stripe: a number made up by a caller, or kept from another budget (of the same
  // pool, say), matches a ticket that is out with odds of about kSlots / 2^59.
  for (Stripe& stripe : stripes_) {
    stripe.first = fresh_seed() & kSequenceMask;
    stripe.next.store(stripe.first, std::memory_order_relaxed);
  }
}

std::uint64_t BudgetTickets::issue(int error_class) noexcept {
  const unsigned index = thread_stripe<kStripeBits>();
  Stripe& stripe = stripes_[index];
  const std::uint64_t sequence = stripe.next.fetch_add(1, std::memory_order_relaxed) & kSequenceMask;
  const std::uint64_t ticket = make_ticket(index, sequence, error_class);
  // Release: a redeemer that finds this ticket gone also sees `next` moved past it (see redeem()).
  stripe.slots[sequence % kSlots].store(ticket, std::memory_order_release);
  return ticket;
}

BudgetTickets::Redeemed BudgetTickets::redeem(std::uint64_t ticket, int* error_class) noexcept {
  const int class_bits = static_cast<int>(ticket & 3);
  if (class_bits == 0) return Redeemed::invalid;
  Stripe& stripe = stripes_[ticket >> (kSequenceBits + 2)];
  const std::uint64_t sequence = ticket >> 2 & kSequenceMask;
  std::uint64_t expected = ticket;
  if (stripe.slots[sequence % kSlots].compare_exchange_strong(expected, 0, std::memory_order_acq_rel)) {
    *error_class = class_bits - 1;
    return Redeemed::honoured;
  }
  // Not in its slot: settled already, never issued, or pushed out by a later ticket. The slot is reused
  // only after `next` has moved kSlots past the ticket, and the failed exchange read the reuse with
  // acquire, so `next` read now tells the last case apart. Sequence numbers wrap, hence the masks.
  const std::uint64_t next = stripe.next.load(std::memory_order_relaxed);
  const std::uint64_t age = (next - sequence) & kSequenceMask;         // 1 for the newest ticket
  const std::uint64_t issued = (next - stripe.first) & kSequenceMask;  // tickets issued so far
  return age > kSlots && age <= issued ? Redeemed::expired : Redeemed::invalid;
}

}  // namespace backoff
