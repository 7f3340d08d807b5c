// BudgetTickets: the tickets a budget has out, so that each is honoured once and no other is.
//
// A ticket is the budget's receipt for the tokens a retry holds; settling it (a successful retry's refund,
// a cancelled retry's refund) gives tokens back. Were a ticket only an encoded amount, any number would
// credit tokens (refund(12345)) and one ticket settled twice would credit twice: a buggy caller could
// refill the budget that exists to stop an outage's retries. So every ticket is recorded when issued and
// erased when settled:
//
//   ticket = stripe (5 bits) | slot (10 bits) | inline (1 bit) | generation (46 bits) | error class + 1 (2 bits)
//
// Each stripe (one per thread, thread_stripe.hpp; 32, so that two threads share one with odds 1/32) has
// kSlots slots; a slot holds its ticket while it is
// out, and its generation, which the next ticket there counts on from a random start, while it is free.
// Issuing is one compare-and-swap of a free slot to the ticket, redeeming one compare-and-swap back: it
// succeeds for exactly one caller, and only for a ticket that is out. No lock, no shared counter, and
// withdrawals on different threads touch different cache lines. A stripe's slots are allocated by the
// first ticket it issues (16 KiB), so a budget that never grants a retry stays small.
//
// A per-key budget is mostly driven by one thread holding one ticket at a time (a retry loop's), so the
// budget's owner (budget_owner.hpp) also has kInline slots inside the object, tried before its table
// stripe until another stripe calls the budget (the owner then leaves them, since they share their line
// with what every thread reads): such a budget never allocates. Inline slots follow the same rules (random first
// generation, one compare-and-swap to issue and to settle) but are never evicted: when they are all out,
// tickets come from the stripes. A dropped inline ticket keeps its slot for good, which only sends the
// owner's tickets to its stripe from then on.
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

#include "backoff/budget_owner.hpp"

// GCC's size heuristics leave issue() out of line once it tries the owner's slot too, and the call costs
// a tenth of a withdrawal (bench/bench_breaker.cpp); it has one caller, Budget::withdraw_impl.
#if defined(__GNUC__)
#define BACKOFF_TICKETS_INLINE [[gnu::always_inline]] inline
#else
#define BACKOFF_TICKETS_INLINE inline
#endif

namespace backoff {

class BudgetTickets {
 public:
  static constexpr unsigned kStripeBits = BudgetOwner::kStripeBits;
  static constexpr unsigned kStripes = 1u << kStripeBits;
  static constexpr unsigned kSlotBits = 10;
  static constexpr unsigned kSlots = 1u << kSlotBits;
  static constexpr unsigned kInline = 2;  // the owner's slots inside the object

  enum class Redeemed { honoured, expired, invalid };

  BudgetTickets() noexcept;
  ~BudgetTickets();
  BudgetTickets(const BudgetTickets&) = delete;
  BudgetTickets& operator=(const BudgetTickets&) = delete;

  // A new ticket (never 0) for a retry charged as `error_class` (0, 1 or 2), issued on `stripe` (the
  // caller's thread_stripe(), taken modulo kStripes); `owner` is BudgetOwner::owns(stripe) for this call.
  // Throws std::bad_alloc only when a stripe's first ticket cannot allocate its slots. Inline: the
  // owner's first inline slot, or the slot at the stripe's cursor, taken by one compare-and-swap; anything
  // else (the other inline slots included) goes the long way.
  BACKOFF_TICKETS_INLINE std::uint64_t issue(unsigned stripe, bool owner, int error_class) {
    const unsigned index = stripe % kStripes;
    if (owner) {
      std::uint64_t word = inline_[0].load(std::memory_order_relaxed);
      const std::uint64_t ticket = pack(0, 0, (word >> 2) + 1, error_class + 1) | kInlineFlag;
      if (is_free(word) && inline_[0].compare_exchange_strong(word, ticket, std::memory_order_acq_rel)) return ticket;
    }
    Head* own = head(index);
    if (own != nullptr && !own->full.load(std::memory_order_relaxed)) {
      const unsigned slot = own->cursor.load(std::memory_order_relaxed) & (kSlots - 1);
      std::uint64_t word = own->slots[slot].load(std::memory_order_relaxed);
      const std::uint64_t ticket = pack(index, slot, (word >> 2) + 1, error_class + 1);
      if (is_free(word) &&
          own->slots[slot].compare_exchange_strong(word, ticket, std::memory_order_acq_rel)) {
        own->cursor.store(slot + 1, std::memory_order_relaxed);
        return ticket;
      }
    }
    return issue_slow(index, owner, error_class);
  }

  // Settles `ticket`: honoured once for a ticket that is out (its error class in *error_class), expired
  // for one that was evicted, invalid for any other number, a ticket settled already included. Inline:
  // one compare-and-swap settles a ticket that is out; the rest goes the long way.
  Redeemed redeem(std::uint64_t ticket, int* error_class) noexcept {
    const unsigned slot = static_cast<unsigned>(ticket >> (kGenBits + 3)) & (kSlots - 1);
    std::uint64_t expected = ticket;
    if ((ticket & 3) == 0) return Redeemed::invalid;
    if ((ticket & kInlineFlag) != 0) {  // never evicted: out, or invalid
      if (slot >= kInline || ticket >> (64 - kStripeBits) != 0 ||
          !inline_[slot].compare_exchange_strong(expected, ticket & kGenField, std::memory_order_acq_rel)) {
        return Redeemed::invalid;
      }
    } else {
      Head* own = head(static_cast<unsigned>(ticket >> (64 - kStripeBits)));
      if (own == nullptr ||
          !own->slots[slot].compare_exchange_strong(expected, (ticket & kGenField), std::memory_order_acq_rel)) {
        return redeem_slow(ticket, error_class);
      }
      settled(*own, slot);
    }
    *error_class = static_cast<int>(ticket & 3) - 1;
    return Redeemed::honoured;
  }

  // Tickets issued so far: a sum over every slot, for statistics, not for a hot path.
  std::uint64_t issued() const noexcept;

 private:
  static constexpr unsigned kGenBits = 64 - kStripeBits - kSlotBits - 1 - 2;
  static constexpr std::uint64_t kGenMask = (std::uint64_t{1} << kGenBits) - 1;
  static constexpr std::uint64_t kInlineFlag = std::uint64_t{1} << (kGenBits + 2);  // an inline slot's ticket
  static constexpr std::uint64_t kGenField = kGenMask << 2;  // a ticket's generation, in place: its free word
  // A slot holds a ticket, or a free word: the generation of the slot's last ticket, with class bits 0. An
  // eviction parks the placeholder there while it works; it is neither.
  static constexpr std::uint64_t kPlaceholder = std::uint64_t{1} << 63;

  static constexpr std::uint64_t pack(unsigned stripe, unsigned slot, std::uint64_t gen, int class_bits) noexcept {
    return std::uint64_t{stripe} << (64 - kStripeBits) | std::uint64_t{slot} << (kGenBits + 3) |
           (gen & kGenMask) << 2 | static_cast<std::uint64_t>(class_bits);
  }
  static constexpr bool is_free(std::uint64_t word) noexcept { return (word & 3) == 0 && word != kPlaceholder; }

  // What the inline paths touch; the rest of a stripe is in budget_tickets.cpp.
  struct Head {
    // Where the next search for a free slot starts: a hint, so plain loads and stores (no
    // read-modify-write on the hot path); threads that race on it only search a little longer.
    std::atomic<unsigned> cursor{0};
    std::atomic<bool> full{false};  // every slot was taken at the last search
    alignas(64) std::atomic<std::uint64_t> slots[kSlots];
  };
  struct Stripe;
  // The stripes' heads, made with the first stripe (256 B).
  struct Table {
    std::atomic<Head*> heads[kStripes] = {};
  };

  Head* head(unsigned index) const noexcept {
    const Table* table = table_.load(std::memory_order_acquire);
    return table == nullptr ? nullptr : table->heads[index].load(std::memory_order_acquire);
  }
  static void settled(Head& own, unsigned slot) noexcept {
    if (own.full.load(std::memory_order_relaxed)) own.full.store(false, std::memory_order_relaxed);
    // The next ticket takes this slot again: its line is in this core's cache, where a fresh one is not.
    own.cursor.store(slot, std::memory_order_relaxed);
  }
  Stripe& stripe(unsigned index);
  std::uint64_t issue_slow(unsigned index, bool owner, int error_class);
  Redeemed redeem_slow(std::uint64_t ticket, int* error_class) noexcept;

  // The owner's slots: a ticket, or the free word of the last one (a random generation at first).
  std::atomic<std::uint64_t> inline_[kInline];
  std::uint64_t inline_first_;  // the first generation of inline slot 0 (slot i: + i), to count tickets
  std::atomic<Table*> table_{nullptr};
};

}  // namespace backoff
