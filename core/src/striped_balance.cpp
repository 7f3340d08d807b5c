#include "backoff/striped_balance.hpp"

#include <algorithm>
#include <mutex>
#include <new>

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

void StripedBalance::Spread::call_in(Stripe& stripe) noexcept {
  // Only a stripe that holds something is written: an empty budget's refusals, during an outage, must
  // not bounce every stripe's line.
  if (stripe.word.load(std::memory_order_relaxed) == 0) return;
  const std::uint64_t word = stripe.word.exchange(0, std::memory_order_acq_rel);
  tokens += tokens_of(word);
  room += room_of(word);
}

std::int64_t StripedBalance::Spread::move_slow(Stripe& stripe, std::int64_t amount, bool take) noexcept {
  const std::lock_guard<std::mutex> lock(mutex);
  // Another thread on this stripe may have leased it enough while this one waited.
  if (move_in_lease(stripe, amount, take)) return amount;
  std::int64_t& source = take ? tokens : room;
  // The stripe's own lease first (it may hold past kKeep after the move, or a part of the amount), then
  // the others', whole, until the centre holds the amount. Only sweeps move value between stripes and
  // only one runs at a time, so when every lease is in, the centre holds the whole balance.
  call_in(stripe);
  for (Stripe& other : stripes) {
    if (source >= amount) break;
    call_in(other);
  }
  if (source < amount) {
    // Every stripe is empty and the centre holds the whole balance, short of the amount: a take is
    // refused, a give is cut short at the capacity.
    if (take) return 0;
    const std::int64_t added = room;
    room = 0;
    tokens += added;
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

std::int64_t StripedBalance::Spread::total() noexcept {
  const std::lock_guard<std::mutex> lock(mutex);
  std::int64_t total = tokens;
  for (const Stripe& stripe : stripes) total += tokens_of(stripe.word.load(std::memory_order_acquire));
  return total;
}

StripedBalance::~StripedBalance() { delete spread_.load(std::memory_order_acquire); }

StripedBalance::Spread* StripedBalance::spread_out(std::int64_t capacity) noexcept {
  Spread* current = spread_.load(std::memory_order_acquire);
  if (current != nullptr) return current;
  auto* made = new (std::nothrow) Spread(capacity);
  if (made == nullptr) return nullptr;
  // Locked before it is published, so that no stripe leases from the centre until the inline balance is
  // in it: a refusal then would not see the whole balance.
  std::unique_lock<std::mutex> lock(made->mutex);
  if (!spread_.compare_exchange_strong(current, made, std::memory_order_acq_rel, std::memory_order_acquire)) {
    lock.unlock();
    delete made;  // another stripe made them first
    return current;
  }
  const std::int64_t moved = inline_.exchange(kMoved, std::memory_order_acq_rel);
  made->tokens += moved;
  made->room -= moved;
  return made;
}

std::int64_t StripedBalance::total(std::int64_t capacity) const noexcept {
  const std::int64_t balance = inline_.load(std::memory_order_acquire);
  if (balance != kMoved) return balance;
  // A thread whose stripe changes between the loads can be counted on both sides of one call.
  return std::clamp<std::int64_t>(spread_.load(std::memory_order_acquire)->total(), 0, capacity);
}

}  // namespace backoff
