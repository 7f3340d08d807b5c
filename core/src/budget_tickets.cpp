#include "backoff/budget_tickets.hpp"

#include "backoff/random.hpp"
#include "backoff/thread_stripe.hpp"

namespace backoff {
namespace {

constexpr unsigned kTagBits = 64 - BudgetTickets::kStripeBits - BudgetTickets::kSlotBits - 2;
constexpr std::uint64_t kTagMask = (std::uint64_t{1} << kTagBits) - 1;

struct Fields {
  unsigned stripe;
  unsigned slot;
  std::uint64_t tag;
  int class_bits;  // error class + 1; 0 in no ticket
};

constexpr std::uint64_t pack(const Fields& f) noexcept {
  return std::uint64_t{f.stripe} << (64 - BudgetTickets::kStripeBits) | std::uint64_t{f.slot} << (kTagBits + 2) |
         (f.tag & kTagMask) << 2 | static_cast<std::uint64_t>(f.class_bits);
}

constexpr Fields unpack(std::uint64_t ticket) noexcept {
  return {static_cast<unsigned>(ticket >> (64 - BudgetTickets::kStripeBits)),
          static_cast<unsigned>(ticket >> (kTagBits + 2)) & (BudgetTickets::kSlots - 1), ticket >> 2 & kTagMask,
          static_cast<int>(ticket & 3)};
}

// Tags are compared as distances from the stripe's first one, so that their wrap at 2^49 is harmless.
constexpr std::uint64_t age(std::uint64_t tag, std::uint64_t first) noexcept { return (tag - first) & kTagMask; }

}  // namespace

struct alignas(64) BudgetTickets::Stripe {
  // A random first tag: a number made up by a caller, or kept from another budget (of the same pool,
  // say), matches a ticket that is out with odds of about 2^-49.
  const std::uint64_t first = fresh_seed() & kTagMask;
  std::atomic<std::uint64_t> next{first};  // the tag of the stripe's next ticket
  // Every tag below it (as an age) that is no longer in a slot may have been evicted rather than settled.
  std::atomic<std::uint64_t> evicted_below{0};
  alignas(64) std::atomic<std::uint64_t> slots[kSlots] = {};
};

BudgetTickets::~BudgetTickets() {
  for (std::atomic<Stripe*>& stripe : stripes_) delete stripe.load(std::memory_order_relaxed);
}

BudgetTickets::Stripe& BudgetTickets::stripe(unsigned index) {
  Stripe* current = stripes_[index].load(std::memory_order_acquire);
  if (current != nullptr) return *current;
  Stripe* made = new Stripe;
  if (stripes_[index].compare_exchange_strong(current, made, std::memory_order_acq_rel)) return *made;
  delete made;  // another thread installed one first
  return *current;
}

std::uint64_t BudgetTickets::issue(int error_class) {
  const unsigned index = thread_stripe<kStripeBits>();
  Stripe& own = stripe(index);
  const std::uint64_t tag = own.next.fetch_add(1, std::memory_order_relaxed) & kTagMask;
  // Look for a free slot from the tag on: with few tickets out the first one tried is free.
  for (unsigned probe = 0; probe < kSlots; ++probe) {
    const unsigned slot = static_cast<unsigned>(tag + probe) & (kSlots - 1);
    const std::uint64_t ticket = pack({index, slot, tag, error_class + 1});
    std::uint64_t empty = 0;
    if (own.slots[slot].compare_exchange_strong(empty, ticket, std::memory_order_acq_rel)) return ticket;
  }
  const unsigned slot = evict_oldest(own);
  const std::uint64_t ticket = pack({index, slot, tag, error_class + 1});
  own.slots[slot].store(ticket, std::memory_order_release);
  return ticket;
}

unsigned BudgetTickets::evict_oldest(Stripe& own) noexcept {
  // Rare: only a stripe whose every slot holds a ticket comes here. Take the oldest one's slot, and say
  // that every tag up to it is gone, so that redeeming it, or anything older, reads as expired.
  for (;;) {
    unsigned oldest = 0;
    std::uint64_t oldest_ticket = 0, oldest_age = ~std::uint64_t{0};
    for (unsigned candidate = 0; candidate < kSlots; ++candidate) {
      const std::uint64_t ticket = own.slots[candidate].load(std::memory_order_acquire);
      if (ticket == 0) continue;
      const std::uint64_t candidate_age = age(unpack(ticket).tag, own.first);
      if (candidate_age < oldest_age) oldest = candidate, oldest_ticket = ticket, oldest_age = candidate_age;
    }
    std::uint64_t expected = oldest_ticket;  // 0 if every slot was freed meanwhile: slot 0 will do
    // Marked taken with a placeholder (class bits 0: no ticket matches it) until the caller stores its own.
    if (!own.slots[oldest].compare_exchange_strong(expected, 1u << 2, std::memory_order_acq_rel)) continue;
    if (oldest_ticket == 0) return oldest;
    std::uint64_t below = own.evicted_below.load(std::memory_order_relaxed);
    while (below <= oldest_age &&
           !own.evicted_below.compare_exchange_weak(below, oldest_age + 1, std::memory_order_release)) {
    }
    return oldest;
  }
}

BudgetTickets::Redeemed BudgetTickets::redeem(std::uint64_t ticket, int* error_class) noexcept {
  const Fields fields = unpack(ticket);
  Stripe* own = stripes_[fields.stripe].load(std::memory_order_acquire);
  if (fields.class_bits == 0 || own == nullptr) return Redeemed::invalid;
  std::uint64_t expected = ticket;
  if (own->slots[fields.slot].compare_exchange_strong(expected, 0, std::memory_order_acq_rel)) {
    *error_class = fields.class_bits - 1;
    return Redeemed::honoured;
  }
  // Settled already, never issued, or evicted. Eviction publishes its watermark before the slot is reused
  // by its new ticket, and the failed exchange read that reuse with acquire.
  const std::uint64_t ticket_age = age(fields.tag, own->first);
  const std::uint64_t issued = age(own->next.load(std::memory_order_relaxed), own->first);
  const bool evicted = ticket_age < issued && ticket_age < own->evicted_below.load(std::memory_order_acquire);
  return evicted ? Redeemed::expired : Redeemed::invalid;
}

}  // namespace backoff
