#include "backoff/budget_tickets.hpp"

#include <thread>

#include "backoff/random.hpp"
#include "backoff/thread_stripe.hpp"

namespace backoff {
namespace {

constexpr unsigned kGenBits = 64 - BudgetTickets::kStripeBits - BudgetTickets::kSlotBits - 2;
constexpr std::uint64_t kGenMask = (std::uint64_t{1} << kGenBits) - 1;
// A slot holds a ticket, or a free word: the generation of the slot's last ticket, with class bits 0. An
// eviction parks the placeholder there while it works; it is neither.
constexpr std::uint64_t kPlaceholder = std::uint64_t{1} << 63;

struct Fields {
  unsigned stripe;
  unsigned slot;
  std::uint64_t gen;
  int class_bits;  // error class + 1; 0 in a free word
};

constexpr std::uint64_t pack(const Fields& f) noexcept {
  return std::uint64_t{f.stripe} << (64 - BudgetTickets::kStripeBits) | std::uint64_t{f.slot} << (kGenBits + 2) |
         (f.gen & kGenMask) << 2 | static_cast<std::uint64_t>(f.class_bits);
}

constexpr Fields unpack(std::uint64_t word) noexcept {
  return {static_cast<unsigned>(word >> (64 - BudgetTickets::kStripeBits)),
          static_cast<unsigned>(word >> (kGenBits + 2)) & (BudgetTickets::kSlots - 1), word >> 2 & kGenMask,
          static_cast<int>(word & 3)};
}

constexpr std::uint64_t free_word(std::uint64_t gen) noexcept { return (gen & kGenMask) << 2; }
constexpr bool is_free(std::uint64_t word) noexcept { return (word & 3) == 0 && word != kPlaceholder; }

}  // namespace

struct alignas(64) BudgetTickets::Stripe {
  Stripe() {
    for (unsigned slot = 0; slot < kSlots; ++slot) slots[slot].store(free_word(first(slot)), std::memory_order_relaxed);
  }

  // A random first generation per slot: a number made up by a caller, or kept from another budget (of the
  // same pool, say), matches a ticket that is out with odds of about 2^-49.
  std::uint64_t first(unsigned slot) const noexcept { return mix64(seed + slot) & kGenMask; }
  // Generations are compared as distances from the slot's first one, so that their wrap is harmless.
  std::uint64_t age(unsigned slot, std::uint64_t gen) const noexcept { return (gen - first(slot)) & kGenMask; }

  const std::uint64_t seed = fresh_seed();
  // Where the next search for a free slot starts: a hint, so plain loads and stores (no read-modify-write
  // on the hot path); threads that race on it only search a little longer.
  std::atomic<unsigned> cursor{0};
  std::atomic<bool> full{false};  // every slot was taken at the last search
  alignas(64) std::atomic<std::uint64_t> slots[kSlots];
  // Per slot: every generation below it (as an age) may have been evicted rather than settled.
  std::atomic<std::uint64_t> evicted_below[kSlots] = {};
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
  const unsigned start = own.cursor.load(std::memory_order_relaxed);
  // The first free slot from the cursor on: with few tickets out it is the first one tried. A stripe found
  // full stays marked so until a ticket is settled, so that a caller who drops every ticket (and so keeps
  // the stripe full) pays for one search, not one per withdrawal.
  if (!own.full.load(std::memory_order_relaxed)) {
    for (unsigned probe = 0; probe < kSlots; ++probe) {
      const unsigned slot = (start + probe) & (kSlots - 1);
      std::uint64_t word = own.slots[slot].load(std::memory_order_relaxed);
      if (!is_free(word)) continue;
      const std::uint64_t ticket = pack({index, slot, unpack(word).gen + 1, error_class + 1});
      if (own.slots[slot].compare_exchange_strong(word, ticket, std::memory_order_acq_rel)) {
        own.cursor.store(slot + 1, std::memory_order_relaxed);
        return ticket;
      }
    }
    own.full.store(true, std::memory_order_relaxed);
  }
  // Every slot taken: evict the cursor's, the one filled longest ago in the cursor's round.
  for (unsigned probe = 0;; ++probe) {
    const unsigned slot = (start + probe) & (kSlots - 1);
    const std::uint64_t evicted = own.slots[slot].exchange(kPlaceholder, std::memory_order_acq_rel);
    if (evicted == kPlaceholder) continue;  // another thread is evicting this one
    const Fields old = unpack(evicted);
    if (!is_free(evicted)) {
      // Raised before the new ticket is stored, which a redeemer of the evicted ticket finds (see redeem()).
      own.evicted_below[slot].store(own.age(slot, old.gen) + 1, std::memory_order_release);
    }
    const std::uint64_t ticket = pack({index, slot, old.gen + 1, error_class + 1});
    own.slots[slot].store(ticket, std::memory_order_release);
    own.cursor.store(slot + 1, std::memory_order_relaxed);
    return ticket;
  }
}

BudgetTickets::Redeemed BudgetTickets::redeem(std::uint64_t ticket, int* error_class) noexcept {
  const Fields fields = unpack(ticket);
  Stripe* own = stripes_[fields.stripe].load(std::memory_order_acquire);
  if (fields.class_bits == 0 || own == nullptr) return Redeemed::invalid;
  std::atomic<std::uint64_t>& slot = own->slots[fields.slot];
  std::uint64_t expected = ticket;
  while (!slot.compare_exchange_strong(expected, free_word(fields.gen), std::memory_order_acq_rel)) {
    if (expected == kPlaceholder) {  // an eviction is between its two stores: let it finish
      std::this_thread::yield();
      expected = ticket;
      continue;
    }
    // Settled already, never issued, or evicted: the slot has moved on. An eviction raised the watermark
    // before it stored what the failed exchange read (with acquire).
    const std::uint64_t age = own->age(fields.slot, fields.gen);
    const bool issued = age != 0 && age <= own->age(fields.slot, unpack(expected).gen);
    const bool evicted = age < own->evicted_below[fields.slot].load(std::memory_order_acquire);
    return issued && evicted ? Redeemed::expired : Redeemed::invalid;
  }
  if (own->full.load(std::memory_order_relaxed)) own->full.store(false, std::memory_order_relaxed);
  // The next ticket takes this slot again: its line is in this core's cache, where a fresh one is not.
  own->cursor.store(fields.slot, std::memory_order_relaxed);
  *error_class = fields.class_bits - 1;
  return Redeemed::honoured;
}

std::uint64_t BudgetTickets::issued() const noexcept {
  std::uint64_t total = 0;
  for (const std::atomic<Stripe*>& stripe : stripes_) {
    const Stripe* own = stripe.load(std::memory_order_acquire);
    if (own == nullptr) continue;
    for (unsigned slot = 0; slot < kSlots; ++slot) {
      const std::uint64_t word = own->slots[slot].load(std::memory_order_relaxed);
      // A slot under eviction has issued one more than it shows: its next ticket is nearly stored.
      if (word != kPlaceholder) total += own->age(slot, unpack(word).gen);
    }
  }
  return total;
}

}  // namespace backoff
