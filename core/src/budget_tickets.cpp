#include "backoff/budget_tickets.hpp"

#include <thread>

#include "backoff/random.hpp"
#include "backoff/thread_stripe.hpp"

namespace backoff {
namespace {

constexpr unsigned kTagBits = 64 - BudgetTickets::kStripeBits - BudgetTickets::kSlotBits - 2;
constexpr std::uint64_t kTagMask = (std::uint64_t{1} << kTagBits) - 1;
constexpr std::uint64_t kPlaceholder = 1u << 2;  // a slot being evicted; class bits 0: no ticket

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
  std::atomic<bool> full{false};  // every slot was taken at the last search
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
  // The first free slot from the tag on: with few tickets out it is the first one tried. A stripe found
  // full stays marked so until a ticket is settled, so that a caller who drops every ticket (and so keeps
  // the stripe full) pays for one search, not one per withdrawal.
  if (!own.full.load(std::memory_order_relaxed)) {
    for (unsigned probe = 0; probe < kSlots; ++probe) {
      const unsigned slot = static_cast<unsigned>(tag + probe) & (kSlots - 1);
      std::uint64_t empty = 0;
      if (own.slots[slot].load(std::memory_order_relaxed) != 0) continue;
      const std::uint64_t ticket = pack({index, slot, tag, error_class + 1});
      if (own.slots[slot].compare_exchange_strong(empty, ticket, std::memory_order_acq_rel)) return ticket;
    }
    own.full.store(true, std::memory_order_relaxed);
  }
  // Every slot taken: evict the tag's own slot. Slots fill in tag order, so its ticket is about kSlots
  // tickets old, among the oldest of the stripe.
  const unsigned slot = static_cast<unsigned>(tag) & (kSlots - 1);
  const std::uint64_t ticket = pack({index, slot, tag, error_class + 1});
  // Marked taken by a placeholder that matches no ticket (class bits 0) until the watermark says that every
  // tag up to the evicted one's may be missing without having been settled; only then is the slot's new
  // ticket stored, which is what a redeemer of the evicted ticket finds (see redeem()).
  const std::uint64_t evicted = own.slots[slot].exchange(kPlaceholder, std::memory_order_acq_rel);
  if (evicted != 0 && evicted != kPlaceholder) {
    const std::uint64_t evicted_age = age(unpack(evicted).tag, own.first);
    std::uint64_t below = own.evicted_below.load(std::memory_order_relaxed);
    while (below <= evicted_age &&
           !own.evicted_below.compare_exchange_weak(below, evicted_age + 1, std::memory_order_acq_rel)) {
    }
  }
  own.slots[slot].store(ticket, std::memory_order_release);
  return ticket;
}

std::uint64_t BudgetTickets::issued() const noexcept {
  std::uint64_t total = 0;
  for (const std::atomic<Stripe*>& stripe : stripes_) {
    const Stripe* own = stripe.load(std::memory_order_acquire);
    if (own != nullptr) total += age(own->next.load(std::memory_order_relaxed), own->first);
  }
  return total;
}

BudgetTickets::Redeemed BudgetTickets::redeem(std::uint64_t ticket, int* error_class) noexcept {
  const Fields fields = unpack(ticket);
  Stripe* own = stripes_[fields.stripe].load(std::memory_order_acquire);
  if (fields.class_bits == 0 || own == nullptr) return Redeemed::invalid;
  std::uint64_t expected = ticket;
  while (!own->slots[fields.slot].compare_exchange_strong(expected, 0, std::memory_order_acq_rel)) {
    // Settled already, never issued, or evicted. An eviction raises the watermark before it stores the
    // slot's new ticket, and the failed exchange read that store with acquire; while the eviction is
    // between the two, the slot holds the placeholder: wait for it to finish.
    if (expected != kPlaceholder) {
      const std::uint64_t ticket_age = age(fields.tag, own->first);
      const std::uint64_t issued = age(own->next.load(std::memory_order_relaxed), own->first);
      const bool evicted =
          ticket_age < issued && ticket_age < own->evicted_below.load(std::memory_order_acquire);
      return evicted ? Redeemed::expired : Redeemed::invalid;
    }
    std::this_thread::yield();
    expected = ticket;
  }
  if (own->full.load(std::memory_order_relaxed)) own->full.store(false, std::memory_order_relaxed);
  *error_class = fields.class_bits - 1;
  return Redeemed::honoured;
}

}  // namespace backoff
