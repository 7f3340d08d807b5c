#include "backoff/striped_balance.hpp"

#include <algorithm>
#include <mutex>

namespace backoff {
namespace {

// A stripe leases a few calls' worth at a time, so that it takes the mutex once in a few calls.
constexpr std::int64_t kBatch = 4;

constexpr std::int64_t tokens_of(std::uint64_t word) noexcept { return static_cast<std::int64_t>(word >> 32); }
constexpr std::int64_t room_of(std::uint64_t word) noexcept { return static_cast<std::int64_t>(word & 0xffffffffu); }
constexpr std::uint64_t pack(std::int64_t tokens, std::int64_t room) noexcept {
  return static_cast<std::uint64_t>(tokens) << 32 | static_cast<std::uint64_t>(room);
}

}  // namespace

StripedBalance::StripedBalance(std::int64_t initial, std::int64_t capacity) noexcept
    : capacity_(capacity), tokens_(initial), room_(capacity - initial) {}

std::int64_t StripedBalance::total() const noexcept {
  const std::lock_guard<std::mutex> lock(mutex_);
  std::int64_t total = tokens_;
  for (const Stripe& stripe : stripes_) total += tokens_of(stripe.word.load(std::memory_order_acquire));
  // A thread whose stripe changes between the loads can be counted on both sides of one call.
  return std::clamp<std::int64_t>(total, 0, capacity_);
}

void StripedBalance::call_in(Stripe& stripe) noexcept {
  // Only a stripe that holds something is written: an empty budget's refusals, during an outage, must
  // not bounce every stripe's line.
  if (stripe.word.load(std::memory_order_relaxed) == 0) return;
  const std::uint64_t word = stripe.word.exchange(0, std::memory_order_acq_rel);
  tokens_ += tokens_of(word);
  room_ += room_of(word);
}

std::int64_t StripedBalance::move_slow(Stripe& stripe, std::int64_t amount, bool take) noexcept {
  const std::lock_guard<std::mutex> lock(mutex_);
  // Another thread on this stripe may have leased it enough while this one waited.
  if (move_in_lease(stripe, amount, take)) return amount;
  std::int64_t& source = take ? tokens_ : room_;
  // The stripe's own lease first (it may hold past kKeep after the move, or a part of the amount), then
  // the others', whole, until the centre holds the amount. Only sweeps move value between stripes and
  // only one runs at a time, so when every lease is in, the centre holds the whole balance.
  call_in(stripe);
  for (Stripe& other : stripes_) {
    if (source >= amount) break;
    call_in(other);
  }
  if (source < amount) {
    // Every stripe is empty and the centre holds the whole balance, short of the amount: a take is
    // refused, a give is cut short at the capacity.
    if (take) return 0;
    const std::int64_t added = room_;
    room_ = 0;
    tokens_ += added;
    return added;
  }
  // The move happens in the stripe, with a lease of a few calls' worth: moved in the centre, it would
  // leave the stripe's room (or tokens) there, and the next call, the other way, would come back here.
  // The stripe has been empty since call_in(), and no one else fills it while this thread holds the
  // mutex; both fields stay within kKeep (kBatch * kMaxAmount).
  const std::int64_t leased = std::min(source, kBatch * amount);
  source -= leased;
  stripe.word.store(take ? pack(leased - amount, amount) : pack(amount, leased - amount), std::memory_order_release);
  return amount;
}

}  // namespace backoff
