#include "backoff/budget_tickets.hpp"

#include <memory>
#include <thread>

#include "backoff/random.hpp"

namespace backoff {

struct alignas(64) BudgetTickets::Stripe : Head {
  Stripe() {
    for (unsigned slot = 0; slot < kSlots; ++slot) slots[slot].store(free_word(first(slot)), std::memory_order_relaxed);
  }

  // A random first generation per slot: a number made up by a caller, or kept from another budget (of the
  // same pool, say), matches a ticket that is out with odds of about 2^-46.
  std::uint64_t first(unsigned slot) const noexcept { return mix64(seed + slot) & kGenMask; }
  // Generations are compared as distances from the slot's first one, so that their wrap is harmless.
  std::uint64_t age(unsigned slot, std::uint64_t gen) const noexcept { return (gen - first(slot)) & kGenMask; }
  static constexpr std::uint64_t free_word(std::uint64_t gen) noexcept { return (gen & kGenMask) << 2; }
  static constexpr std::uint64_t gen_of(std::uint64_t word) noexcept { return word >> 2 & kGenMask; }

  const std::uint64_t seed = fresh_seed();
  // Per slot: every generation below it (as an age) may have been evicted rather than settled.
  std::atomic<std::uint64_t> evicted_below[kSlots] = {};
};

BudgetTickets::BudgetTickets() noexcept : inline_first_(fresh_seed() & kGenMask) {
  // Random first generations, as for a stripe's slots (see Stripe::first).
  for (unsigned slot = 0; slot < kInline; ++slot) {
    inline_[slot].store(Stripe::free_word(inline_first_ + slot), std::memory_order_relaxed);
  }
}

BudgetTickets::~BudgetTickets() {
  Table* table = table_.load(std::memory_order_acquire);
  if (table == nullptr) return;
  for (std::atomic<Head*>& head : table->heads) delete static_cast<Stripe*>(head.load(std::memory_order_relaxed));
  delete table;
}

BudgetTickets::Stripe& BudgetTickets::stripe(unsigned index) {
  Table* table = table_.load(std::memory_order_acquire);
  if (table == nullptr) {
    auto made = std::make_unique<Table>();
    if (table_.compare_exchange_strong(table, made.get(), std::memory_order_acq_rel)) table = made.release();
    // else another thread installed one first, and `made` goes
  }
  Head* current = table->heads[index].load(std::memory_order_acquire);
  if (current != nullptr) return *static_cast<Stripe*>(current);
  Stripe* made = new Stripe;
  if (table->heads[index].compare_exchange_strong(current, made, std::memory_order_acq_rel)) return *made;
  delete made;  // another thread installed one first
  return *static_cast<Stripe*>(current);
}

std::uint64_t BudgetTickets::issue_slow(unsigned index, bool owner, int error_class) {
  for (unsigned slot = 1; owner && slot < kInline; ++slot) {
    std::uint64_t word = inline_[slot].load(std::memory_order_relaxed);
    const std::uint64_t ticket = pack(0, slot, Stripe::gen_of(word) + 1, error_class + 1) | kInlineFlag;
    if (is_free(word) && inline_[slot].compare_exchange_strong(word, ticket, std::memory_order_acq_rel)) return ticket;
  }
  Stripe& own = stripe(index);
  const unsigned start = own.cursor.load(std::memory_order_relaxed);
  // The first free slot from the cursor on. A stripe found full stays marked so until a ticket is settled,
  // so that a caller who drops every ticket (and so keeps the stripe full) pays for one search, not one
  // per withdrawal.
  if (!own.full.load(std::memory_order_relaxed)) {
    for (unsigned probe = 0; probe < kSlots; ++probe) {
      const unsigned slot = (start + probe) & (kSlots - 1);
      std::uint64_t word = own.slots[slot].load(std::memory_order_relaxed);
      if (!is_free(word)) continue;
      const std::uint64_t ticket = pack(index, slot, Stripe::gen_of(word) + 1, error_class + 1);
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
    const std::uint64_t gen = Stripe::gen_of(evicted);
    if (!is_free(evicted)) {
      // Raised before the new ticket is stored, which a redeemer of the evicted ticket finds (see below).
      own.evicted_below[slot].store(own.age(slot, gen) + 1, std::memory_order_release);
    }
    const std::uint64_t ticket = pack(index, slot, gen + 1, error_class + 1);
    own.slots[slot].store(ticket, std::memory_order_release);
    own.cursor.store(slot + 1, std::memory_order_relaxed);
    return ticket;
  }
}

BudgetTickets::Redeemed BudgetTickets::redeem_slow(std::uint64_t ticket, int* error_class) noexcept {
  const int class_bits = static_cast<int>(ticket & 3);
  Head* found = head(static_cast<unsigned>(ticket >> (64 - kStripeBits)));
  if (class_bits == 0 || found == nullptr) return Redeemed::invalid;
  Stripe& own = *static_cast<Stripe*>(found);
  const unsigned slot = static_cast<unsigned>(ticket >> (kGenBits + 3)) & (kSlots - 1);
  const std::uint64_t gen = Stripe::gen_of(ticket);
  std::uint64_t expected = ticket;
  while (!own.slots[slot].compare_exchange_strong(expected, Stripe::free_word(gen), std::memory_order_acq_rel)) {
    if (expected == kPlaceholder) {  // an eviction is between its two stores: let it finish
      std::this_thread::yield();
      expected = ticket;
      continue;
    }
    // Settled already, never issued, or evicted: the slot has moved on. An eviction raised the watermark
    // before it stored what the failed exchange read (with acquire).
    const std::uint64_t age = own.age(slot, gen);
    const bool issued = age != 0 && age <= own.age(slot, Stripe::gen_of(expected));
    const bool evicted = age < own.evicted_below[slot].load(std::memory_order_acquire);
    return issued && evicted ? Redeemed::expired : Redeemed::invalid;
  }
  settled(own, slot);
  *error_class = class_bits - 1;
  return Redeemed::honoured;
}

std::uint64_t BudgetTickets::issued() const noexcept {
  std::uint64_t total = 0;
  for (unsigned slot = 0; slot < kInline; ++slot) {
    total += (Stripe::gen_of(inline_[slot].load(std::memory_order_relaxed)) - inline_first_ - slot) & kGenMask;
  }
  const Table* table = table_.load(std::memory_order_acquire);
  if (table == nullptr) return total;
  for (const std::atomic<Head*>& head : table->heads) {
    const auto* own = static_cast<const Stripe*>(head.load(std::memory_order_acquire));
    if (own == nullptr) continue;
    for (unsigned slot = 0; slot < kSlots; ++slot) {
      const std::uint64_t word = own->slots[slot].load(std::memory_order_relaxed);
      // A slot under eviction has issued one more than it shows: its next ticket is nearly stored.
      if (word != kPlaceholder) total += own->age(slot, Stripe::gen_of(word));
    }
  }
  return total;
}

}  // namespace backoff
