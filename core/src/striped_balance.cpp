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
// Searches that find nothing, with no move of another thread under way or begun, before a refusal.
constexpr int kQuietSearches = 2;

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

std::int64_t StripedBalance::give_slow(Stripe& stripe, std::int64_t amount) noexcept {
  if (move_local(stripe, amount, false)) return amount;
  // Not room enough anywhere for all of it: fill what room is left, the stripe's own and the centre's.
  std::uint64_t word = stripe.word.load(std::memory_order_relaxed);
  std::int64_t added = 0;
  for (;;) {
    added = std::min(room_of(word), amount);
    if (added == 0 || stripe.word.compare_exchange_weak(word, pack(tokens_of(word) + added, room_of(word) - added),
                                                        std::memory_order_acq_rel, std::memory_order_relaxed)) {
      break;
    }
  }
  if (added == amount) return added;
  std::optional<Move> move;
  const std::int64_t from_centre = lease(room_, 0, amount - added, move);
  if (from_centre != 0) tokens_.fetch_add(from_centre, std::memory_order_acq_rel);
  return added + from_centre;
}

bool StripedBalance::move_local(Stripe& stripe, std::int64_t amount, bool take) noexcept {
  if (amount == 0) return true;
  std::atomic<std::int64_t>& source = take ? tokens_ : room_;
  std::atomic<std::int64_t>& sink = take ? room_ : tokens_;
  int waits = 0;
  int quiet_searches = 0;
  std::optional<Move> move;  // begun before the first amount leaves its place: see total()
  std::int64_t in_hand = 0;  // drawn from the centre or from other stripes for this move, in no stripe yet
  std::uint64_t word = stripe.word.load(std::memory_order_relaxed);
  for (;;) {
    std::int64_t have = take ? tokens_of(word) : room_of(word);
    std::int64_t other = take ? room_of(word) : tokens_of(word);
    if (have + in_hand < amount) {
      const bool moving_before = move.has_value();
      const std::uint64_t started = moves_started_.load(std::memory_order_acquire);
      // Refill from the centre; if the centre is short, call in the other stripes' leases, straight into
      // this move's hands: called in to the centre, they could be leased first by another thread short
      // of the same, and lie in its stripe while this one refuses (or cuts a deposit short, which loses
      // the tokens for good).
      in_hand += lease(source, amount - have - in_hand, kBatch * amount, move);
      if (have + in_hand < amount) in_hand += reclaim(stripe, take, amount - have - in_hand, move);
      if (have + in_hand < amount) {
        // Still short. What is in hand goes back first: two moves short of the same must not each hold
        // a part of it while they wait.
        if (in_hand != 0) source.fetch_add(in_hand, std::memory_order_acq_rel);
        in_hand = 0;
        const std::uint64_t own = !moving_before && move.has_value() ? 1 : 0;
        move.reset();
        // What is missing may have been in another thread's hands, between the centre and a stripe, or
        // called in to another stripe behind this search: refusing now would not be the answer of one
        // shared balance. Search again while other moves begin or are under way, a bounded number of
        // times. And a thread whose stripe changes from call to call (its call depth crossed 64 KiB, a
        // coroutine resumed on another stack) carries tokens or room from one stripe to another without a
        // move: one search can miss what moved behind it, so it takes two quiet searches to refuse.
        const bool quiet = moves_started_.load(std::memory_order_acquire) - started == own && !others_moving();
        if (quiet ? ++quiet_searches == kQuietSearches : waits == kMaxWaits) return false;
        if (!quiet) {
          ++waits;
          std::this_thread::yield();
        }
        word = stripe.word.load(std::memory_order_relaxed);
        continue;
      }
    }
    have += in_hand - amount;
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
    // Another thread on this stripe (or a reclaim) got there first: we retry with what we hold in hand.
  }
}

std::int64_t StripedBalance::lease(std::atomic<std::int64_t>& from, std::int64_t least, std::int64_t most,
                                   std::optional<Move>& move) noexcept {
  std::int64_t available = from.load(std::memory_order_relaxed);
  for (;;) {
    if (available < least || available <= 0) return 0;
    if (!move) move.emplace(*this);
    const std::int64_t got = std::min(available, most);
    if (from.compare_exchange_weak(available, available - got, std::memory_order_acq_rel,
                                   std::memory_order_relaxed)) {
      return got;
    }
  }
}

std::int64_t StripedBalance::reclaim(const Stripe& own, bool tokens, std::int64_t want,
                                     std::optional<Move>& move) noexcept {
  std::int64_t collected = 0;
  for (Stripe& stripe : stripes_) {
    if (&stripe == &own) continue;
    std::uint64_t word = stripe.word.load(std::memory_order_acquire);
    for (;;) {
      const std::int64_t held = tokens ? tokens_of(word) : room_of(word);
      // Only a stripe that holds something makes a move: an empty budget's refusals, during an outage,
      // must not keep each other waiting.
      if (held == 0) break;
      if (!move) move.emplace(*this);
      const std::uint64_t next = tokens ? pack(0, room_of(word)) : pack(tokens_of(word), 0);
      if (stripe.word.compare_exchange_weak(word, next, std::memory_order_acq_rel, std::memory_order_acquire)) {
        collected += held;
        break;
      }
    }
    if (collected >= want) break;
  }
  return collected;
}

bool StripedBalance::others_moving() const noexcept {
  // Read in this order, the difference can only overstate the moves under way. The caller has none open.
  const std::uint64_t finished = moves_finished_.load(std::memory_order_acquire);
  return moves_started_.load(std::memory_order_acquire) != finished;
}

}  // namespace backoff
