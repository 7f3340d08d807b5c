// StripedBalance: a token balance between 0 and a capacity that threads can draw on and pay into at once
// without sharing a cache line, and without losing or inventing a milli-token.
//
// One atomic balance makes every withdrawal and deposit a compare-and-swap on one line, which then moves
// between cores on every call: two threads on one budget were slower per call than one thread, and slower
// than a mutex (bench/bench_breaker.cpp). Here each thread stripe (thread_stripe.hpp) leases a few calls'
// worth from a central pool and works on its own line:
//
//   tokens  what may be withdrawn; a stripe withdraws from its own lease, and refills it from the centre
//   room    capacity - tokens: what may still be deposited; a deposit uses the stripe's room the same way
//
// Every milli-token is in exactly one place (the centre's tokens or room, or one stripe's), so that
//   central tokens + central room + the stripes' tokens and room == capacity, always, and
//   a withdrawal passes only with tokens in hand: never more than the balance allows in total.
// A stripe that runs short calls in what the others lease, into its own hands (through the centre, another
// thread short of the same could lease it first and keep it in its stripe), before it refuses a withdrawal
// or cuts a deposit short at the capacity; it searches again while other moves begin or are under way,
// and refuses only after two searches with none: a thread whose stripe changes between calls carries
// tokens or room across stripes without a move, which one search can miss. So the answers are those of
// one shared balance, which matters for exactness, not only for fairness: a deposit cut short while
// room exists loses its tokens for good. Only a thread preempted in the middle of a move for longer than
// 64 yields, or stripe-changing threads racing both searches, can make another refuse (or cap) as if that
// lease were not there; never the other way.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>

#include "backoff/thread_stripe.hpp"

namespace backoff {

class StripedBalance {
 public:
  // The largest amount a stripe handles (2^27 milli-tokens, 134 218 tokens); budgets whose costs or
  // credits are larger keep one central balance instead.
  static constexpr std::int64_t kMaxAmount = std::int64_t{1} << 27;

  StripedBalance(std::int64_t initial, std::int64_t capacity) noexcept;
  StripedBalance(const StripedBalance&) = delete;
  StripedBalance& operator=(const StripedBalance&) = delete;

  // Takes `amount` (in [0, kMaxAmount]) if the balance holds it; false, changing nothing, if not.
  bool take(std::int64_t amount) noexcept { return take_on(thread_stripe<kStripeBits>(), amount); }
  // Adds `amount` (in [0, kMaxAmount]), cut short at the capacity; returns what was added.
  std::int64_t give(std::int64_t amount) noexcept { return give_on(thread_stripe<kStripeBits>(), amount); }
  // take() and give() on a stripe the caller names (taken modulo kStripes) instead of the calling
  // thread's. For tests: they make threads share and swap stripes, as more than kStripes threads, or
  // ASan's fake stacks, do; the answers and the accounting must not change.
  bool take_on(unsigned stripe_index, std::int64_t amount) noexcept {
    Stripe& stripe = stripes_[stripe_index % kStripes];
    return move_in_lease(stripe, amount, true) || move_local(stripe, amount, true);
  }
  std::int64_t give_on(unsigned stripe_index, std::int64_t amount) noexcept {
    Stripe& stripe = stripes_[stripe_index % kStripes];
    return move_in_lease(stripe, amount, false) ? amount : give_slow(stripe, amount);
  }
  // The balance, exact: a sum taken while no lease was moving. A reader that keeps meeting moving leases
  // (8 tries) settles for its last sum, held within [0, capacity]. Lock-free; cheap only to read now and
  // then (one load per stripe).
  std::int64_t total() const noexcept;

 private:
  static constexpr unsigned kStripeBits = 5;
  static constexpr unsigned kStripes = 1u << kStripeBits;
  struct alignas(64) Stripe {
    std::atomic<std::uint64_t> word{0};  // tokens << 32 | room, each under 2^31
  };

  // Moves `amount` of the stripe's tokens to its room (take) or back (give), leasing more from the centre,
  // or calling in the other stripes' leases, when the stripe has too little.
  bool move_local(Stripe& stripe, std::int64_t amount, bool take) noexcept;
  std::int64_t give_slow(Stripe& stripe, std::int64_t amount) noexcept;
  // The hot path, inline: the stripe's lease covers the amount and nothing spills. One compare-and-swap.
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
  // A stripe gives back what grows past kKeep, so that its fields stay under 2^30 and an idle one holds little.
  static constexpr std::int64_t kKeep = std::int64_t{1} << 29;
  // Brackets every move of an amount between the centre and a stripe, so that total() can tell a sum taken
  // while something was in between (counted twice, or not at all) from a true one. The hot path, a stripe
  // working from its own lease, moves nothing and pays nothing.
  class Move {
   public:
    explicit Move(const StripedBalance& balance) noexcept : balance_(balance) {
      balance_.moves_started_.fetch_add(1, std::memory_order_acq_rel);
    }
    ~Move() { balance_.moves_finished_.fetch_add(1, std::memory_order_release); }
    Move(const Move&) = delete;
    Move& operator=(const Move&) = delete;

   private:
    const StripedBalance& balance_;
  };

  // Takes between `least` and `most` from `from`, or nothing if it holds less than `least`; begins `move`
  // before anything leaves the centre.
  std::int64_t lease(std::atomic<std::int64_t>& from, std::int64_t least, std::int64_t most,
                     std::optional<Move>& move) noexcept;
  // Calls in what the stripes other than `own` lease (their tokens, or their room), stripe by stripe until
  // it has `want`; returns what it took, which is then in the caller's hands. Begins `move` before taking.
  std::int64_t reclaim(const Stripe& own, bool tokens, std::int64_t want, std::optional<Move>& move) noexcept;
  // Whether a move is under way; the caller has none open.
  bool others_moving() const noexcept;

  const std::int64_t capacity_;
  alignas(64) std::atomic<std::int64_t> tokens_;
  std::atomic<std::int64_t> room_;
  mutable std::atomic<std::uint64_t> moves_started_{0};
  mutable std::atomic<std::uint64_t> moves_finished_{0};
  Stripe stripes_[kStripes];
};

}  // namespace backoff
