// StripedBalance: a token balance between 0 and a capacity that threads can draw on and pay into at once
// without sharing a cache line, and without losing or inventing a milli-token.
//
// One atomic balance makes every withdrawal and deposit a compare-and-swap on one line, which then moves
// between cores on every call: two threads on one budget were slower per call than one thread, and slower
// than a mutex (bench/bench_breaker.cpp). Here each thread stripe (thread_stripe.hpp) holds a lease from a
// central pool and works on its own line:
//
//   tokens  what may be withdrawn; a withdrawal turns the stripe's tokens into its room
//   room    what may still be deposited; a deposit turns the stripe's room back into tokens
//
// Every milli-token is in exactly one place (the centre's tokens or room, or one stripe's), so that
//   central tokens + central room + the stripes' tokens and room == capacity, always, and
//   a withdrawal passes only with tokens in hand: never more than the balance allows in total.
//
// The hot path is one compare-and-swap on the caller's stripe, and it moves value only within that
// stripe (tokens <-> room). Everything that moves value between stripes or the centre (returning a
// stripe's lease, leasing from the centre, calling in the other stripes' leases) runs under one mutex,
// and so does every refusal or deposit cut short at the capacity. A short stripe returns its lease and
// calls in the others' whole leases (tokens and room), one stripe at a time, until the centre holds
// enough; only after all of them are in, with every stripe empty, does it refuse or cut a deposit
// short. An emptied stripe cannot take or give on its hot path, so its callers wait on the mutex: no
// value can hide in a stripe already swept (as it could from a lock-free sweep, when a thread whose
// stripe changes between calls turns room into tokens in an unswept stripe and tokens into room in a
// swept one), and the answer is exactly that of one shared balance. That matters for exactness, not
// only for fairness: a deposit cut short while room exists loses its tokens for good. The mutex costs
// little: it is taken only when a stripe runs out of its lease (once in a few calls) or at the edges,
// empty or full, where every call must see the whole balance anyway.
//
// The stripes take 2.2 KiB, wasted on a per-key budget that one thread drives. So they are made lazily:
// while the budget's owner (budget_owner.hpp) is its only caller, it works on one inline atomic balance,
// exact by itself, and the stripes are made by the first call of another stripe, or by the owner's first
// call once the budget is shared. The thread that makes them moves the inline balance into the centre and
// marks it moved, all under the new stripes' mutex, so no call is answered by a part of the balance: an
// owner's call lands before the move (and moves with it) or sees the mark and goes to the stripes, whose
// calls wait for the mutex until the centre holds the whole balance.
//
// The caller passes what the balance does not keep: the stripe and the owner's answer (decided once per
// budget call for all of the budget's parts) and the capacity (in the budget's shared rules). A budget
// whose steps need the whole balance (gRPC's floor, Finagle's ledger) never spreads it and works on the
// inline atomic directly (central()).
// Size: 16 B inline, and 2.2 KiB more once spread.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>


namespace backoff {

class StripedBalance {
 public:
  // The largest amount a stripe handles (2^27 milli-tokens, 134 218 tokens); budgets whose costs or
  // credits are larger keep one central balance instead.
  static constexpr std::int64_t kMaxAmount = std::int64_t{1} << 27;

  explicit StripedBalance(std::int64_t initial) noexcept : inline_(initial) {}
  ~StripedBalance();
  StripedBalance(const StripedBalance&) = delete;
  StripedBalance& operator=(const StripedBalance&) = delete;

  // Takes `amount` (in [0, kMaxAmount]) if the balance holds it; false, changing nothing, if not. `stripe`
  // is the caller's thread_stripe() (taken modulo the stripes: tests name others, to make threads share
  // and swap stripes as more threads than stripes, or ASan's fake stacks, do); `owns()` says whether that
  // stripe owns the inline state (BudgetOwner::owns), asked only until the balance is spread, since the
  // budget is shared from then on; `capacity` is the balance's, the same on every call.
  template <class Owns>
  bool take(unsigned stripe, Owns&& owns, std::int64_t amount, std::int64_t capacity) noexcept {
    Spread* spread = spread_.load(std::memory_order_acquire);
    if (spread == nullptr && (owns() || (spread = spread_out(capacity)) == nullptr)) {
      const std::int64_t taken = move_inline(amount, true, capacity);
      if (taken != kMoved) return taken == amount;
      spread = spread_.load(std::memory_order_acquire);
    }
    return spread->take(stripe % kStripes, amount);
  }
  // Adds `amount` (in [0, kMaxAmount]), cut short at the capacity; returns what was added. The rest as
  // for take().
  template <class Owns>
  std::int64_t give(unsigned stripe, Owns&& owns, std::int64_t amount, std::int64_t capacity) noexcept {
    Spread* spread = spread_.load(std::memory_order_acquire);
    if (spread == nullptr && (owns() || (spread = spread_out(capacity)) == nullptr)) {
      const std::int64_t given = move_inline(amount, false, capacity);
      if (given != kMoved) return given;
      spread = spread_.load(std::memory_order_acquire);
    }
    return spread->give(stripe % kStripes, amount);
  }
  // The balance: the inline one, or the centre's tokens and each stripe's as it is read, while no lease
  // moves (under the mutex); calls on the stripes' hot paths meanwhile count as done or not. Cheap only
  // to read now and then once spread (the mutex and one load per stripe).
  std::int64_t total(std::int64_t capacity) const noexcept;

  // The inline balance, for a budget that never calls take(), give() or total(): its one atomic balance,
  // which may then hold any value (Finagle's goes negative; kMoved is only a mark for those three).
  std::atomic<std::int64_t>& central() noexcept { return inline_; }

 private:
  static constexpr unsigned kStripes = 32;  // thread_stripe<5>(): BudgetOwner::kStripeBits
  // The inline balance's mark once it moved to the stripes (a balance is never negative).
  static constexpr std::int64_t kMoved = -1;
  // No stripe field grows past kKeep (a call that would make it goes to the slow path, which returns
  // the lease), so that the fields stay under 2^31 and an idle stripe holds little.
  static constexpr std::int64_t kKeep = std::int64_t{1} << 29;

  // The centre and the stripes, as described at the top.
  struct Spread {
    struct alignas(64) Stripe {
      std::atomic<std::uint64_t> word{0};  // tokens << 32 | room, each at most kKeep
    };

    explicit Spread(std::int64_t capacity) noexcept : room(capacity) {}

    bool take(unsigned index, std::int64_t amount) noexcept {
      Stripe& stripe = stripes[index];
      return move_in_lease(stripe, amount, true) || move_slow(stripe, amount, true) == amount;
    }
    std::int64_t give(unsigned index, std::int64_t amount) noexcept {
      Stripe& stripe = stripes[index];
      return move_in_lease(stripe, amount, false) ? amount : move_slow(stripe, amount, false);
    }
    // The hot path, inline: the stripe's lease covers the amount. One compare-and-swap, within the stripe.
    static bool move_in_lease(Stripe& stripe, std::int64_t amount, bool take) noexcept {
      if (amount == 0) return true;
      std::uint64_t word = stripe.word.load(std::memory_order_relaxed);
      const std::int64_t tokens = static_cast<std::int64_t>(word >> 32);
      const std::int64_t room = static_cast<std::int64_t>(word & 0xffffffffu);
      const std::int64_t have = take ? tokens : room;
      const std::int64_t other = take ? room : tokens;
      if (have < amount || other + amount > kKeep) return false;
      const std::uint64_t moved = static_cast<std::uint64_t>(amount);
      const std::uint64_t next = take ? word - (moved << 32) + moved : word + (moved << 32) - moved;
      return stripe.word.compare_exchange_strong(word, next, std::memory_order_acq_rel, std::memory_order_relaxed);
    }
    // The slow path, under the mutex: returns the stripe's lease to the centre, calls in the other
    // stripes' leases if the centre is short, moves what it can of `amount` (a take all of it or nothing,
    // a give up to the capacity) in the centre, and leases the stripe a few calls' worth. Returns what
    // it moved.
    std::int64_t move_slow(Stripe& stripe, std::int64_t amount, bool take) noexcept;
    // Moves the stripe's whole lease into the centre; the caller holds the mutex.
    void call_in(Stripe& stripe) noexcept;
    // The centre's tokens and the stripes', under the mutex.
    std::int64_t total() noexcept;

    std::mutex mutex;
    std::int64_t tokens = 0;  // the centre's, under the mutex
    std::int64_t room;        // the centre's, under the mutex
    Stripe stripes[kStripes];
  };

  // The owner's step: what it moved (a take all of `amount` or 0, a give up to the capacity), or kMoved.
  std::int64_t move_inline(std::int64_t amount, bool take, std::int64_t capacity) noexcept {
    // Acquire: a caller that reads kMoved must see the stripes it was moved to.
    std::int64_t balance = inline_.load(std::memory_order_acquire);
    std::int64_t next;
    do {
      if (balance == kMoved) return kMoved;
      if (take && balance < amount) return 0;
      next = take ? balance - amount : (balance > capacity - amount ? capacity : balance + amount);
      if (next == balance) return 0;  // a full balance (or an amount of 0): nothing to write
    } while (!inline_.compare_exchange_weak(balance, next, std::memory_order_acq_rel, std::memory_order_acquire));
    return take ? amount : next - balance;
  }
  // Makes the stripes and moves the inline balance into their centre, or returns the stripes another
  // thread made first; null if memory ran out (the inline balance then serves every stripe, exact and
  // only slower). Once they are made, every call goes to them, even the owner's: the inline balance is in
  // the centre, or on its way there under the centre's mutex.
  Spread* spread_out(std::int64_t capacity) noexcept;

  std::atomic<std::int64_t> inline_;  // the balance until the stripes are made, then kMoved
  std::atomic<Spread*> spread_{nullptr};
};

}  // namespace backoff
