#include "backoff/striped_balance.hpp"

#include <algorithm>
#include <optional>
#include <thread>


namespace backoff {
namespace {

// A stripe leases a few calls' worth at a time; with kKeep, its fields stay under 2^30
// (kKeep + kBatch * kMaxAmount).
constexpr std::int64_t kBatch = 4;
// A move takes a few instructions; only a thread preempted in the middle of one outlasts a few yields.
constexpr int kMaxWaits = 64;

constexpr std::int64_t tokens_of(std::uint64_t word) noexcept { return static_cast<std::int64_t>(word >> 32); }
constexpr std::int64_t room_of(std::uint64_t word) noexcept { return static_cast<std::int64_t>(word & 0xffffffffu); }
constexpr std::uint64_t pack(std::int64_t tokens, std::int64_t room) noexcept {
  return static_cast<std::uint64_t>(tokens) << 32 | static_cast<std::uint64_t>(room);
}

}  // namespace

StripedBalance::StripedBalance(std::int64_t initial, std::int64_t capacity) noexcept
    : capacity_(capacity), tokens_(initial), room_(capacity - initial) {}

std::int64_t StripedBalance::total() const noexcept {
  for (int attempt = 1;; ++attempt) {
    const std::uint64_t finished = moves_finished_.load(std::memory_order_acquire);
    std::int64_t total = tokens_.load(std::memory_order_acquire);
    for (const Stripe& stripe : stripes_) total += tokens_of(stripe.word.load(std::memory_order_acquire));
    // The loads above complete before `started` is read (as in a seqlock's reader): if no move started
    // after `finished` was read, none overlapped them, and the sum is one the balance really held.
    std::atomic_thread_fence(std::memory_order_acquire);
    if (moves_started_.load(std::memory_order_relaxed) == finished || attempt == 8) {
      return std::clamp<std::int64_t>(total, 0, capacity_);
    }
  }
}

std::int64_t StripedBalance::give_slow(std::int64_t amount) noexcept {
  if (move_local(stripes_[thread_stripe<kStripeBits>()], amount, false)) return amount;
  // Not room enough anywhere for all of it: add what room is left, straight to the centre.
  const Move move(*this);
  const std::int64_t added = lease(room_, 0, amount);
  tokens_.fetch_add(added, std::memory_order_acq_rel);
  return added;
}

bool StripedBalance::move_local(Stripe& stripe, std::int64_t amount, bool take) noexcept {
  if (amount == 0) return true;
  std::atomic<std::int64_t>& source = take ? tokens_ : room_;
  std::atomic<std::int64_t>& sink = take ? room_ : tokens_;
  bool reclaimed = false;
  int waits = 0;
  std::optional<Move> move;  // begun before the first lease or spill: see total()
  std::uint64_t word = stripe.word.load(std::memory_order_relaxed);
  for (;;) {
    std::int64_t have = take ? tokens_of(word) : room_of(word);
    std::int64_t other = take ? room_of(word) : tokens_of(word);
    std::int64_t leased = 0;
    if (have < amount) {
      if (!move) move.emplace(*this);
      // Refill from the centre; if the centre is short too, call in every stripe's lease first.
      leased = lease(source, amount - have, kBatch * amount);
      if (leased == 0 && !reclaimed) {
        reclaim(take);
        reclaimed = true;
        leased = lease(source, amount - have, kBatch * amount);
      }
      if (leased == 0) {
        // What is missing may be in another thread's hands, between the centre and its stripe: refusing
        // now (or cutting a deposit short, which would lose the tokens for good) would not be the answer
        // of one shared balance. Wait for such moves to land, a bounded number of times.
        if (waits == kMaxWaits || !others_moving()) return false;
        ++waits;
        reclaimed = false;
        std::this_thread::yield();
        word = stripe.word.load(std::memory_order_relaxed);
        continue;
      }
    }
    have += leased - amount;
    other += amount;
    // What grows past kKeep goes back to the centre, so that no stripe hoards the balance or its room.
    const std::int64_t spill_have = have > kKeep ? have - kKeep / 2 : 0;
    const std::int64_t spill_other = other > kKeep ? other - kKeep / 2 : 0;
    if ((spill_have != 0 || spill_other != 0) && !move) move.emplace(*this);
    const std::uint64_t next = take ? pack(have - spill_have, other - spill_other)
                                    : pack(other - spill_other, have - spill_have);
    if (stripe.word.compare_exchange_weak(word, next, std::memory_order_acq_rel, std::memory_order_relaxed)) {
      if (spill_have != 0) source.fetch_add(spill_have, std::memory_order_acq_rel);
      if (spill_other != 0) sink.fetch_add(spill_other, std::memory_order_acq_rel);
      return true;
    }
    // Another thread on this stripe (or a reclaim) got there first: the lease goes back, and we retry.
    if (leased != 0) source.fetch_add(leased, std::memory_order_acq_rel);
  }
}

std::int64_t StripedBalance::lease(std::atomic<std::int64_t>& from, std::int64_t least, std::int64_t most) noexcept {
  std::int64_t available = from.load(std::memory_order_relaxed);
  for (;;) {
    if (available < least || available <= 0) return 0;
    const std::int64_t got = std::min(available, most);
    if (from.compare_exchange_weak(available, available - got, std::memory_order_acq_rel,
                                   std::memory_order_relaxed)) {
      return got;
    }
  }
}

void StripedBalance::reclaim(bool tokens) noexcept {
  std::atomic<std::int64_t>& into = tokens ? tokens_ : room_;
  for (Stripe& stripe : stripes_) {
    std::uint64_t word = stripe.word.load(std::memory_order_acquire);
    std::optional<Move> move;  // only a stripe that holds something makes a move: an empty budget's
                               // refusals, during an outage, must not keep each other waiting
    for (;;) {
      const std::int64_t held = tokens ? tokens_of(word) : room_of(word);
      if (held == 0) break;
      if (!move) move.emplace(*this);
      const std::uint64_t next = tokens ? pack(0, room_of(word)) : pack(tokens_of(word), 0);
      if (stripe.word.compare_exchange_weak(word, next, std::memory_order_acq_rel, std::memory_order_acquire)) {
        into.fetch_add(held, std::memory_order_acq_rel);
        break;
      }
    }
  }
}

bool StripedBalance::others_moving() const noexcept {
  // Read in this order, the difference can only overstate the moves under way; this call's own counts 1.
  const std::uint64_t finished = moves_finished_.load(std::memory_order_acquire);
  return moves_started_.load(std::memory_order_acquire) - finished > 1;
}

}  // namespace backoff
