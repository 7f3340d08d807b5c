#include "backoff/token_ledger.hpp"

#include <limits>
#include <thread>

namespace backoff {
namespace {

constexpr std::int64_t kClaimed = std::numeric_limits<std::int64_t>::min();  // being expired right now
constexpr std::int64_t kEmpty = kClaimed + 1;
constexpr std::int64_t kFirstEpoch = kClaimed + 2;

// True when `epoch` is at least a whole ttl (kBuckets buckets) before `current`; exact in uint64.
bool outlived(std::int64_t epoch, std::int64_t current) noexcept {
  return epoch <= current &&
         static_cast<std::uint64_t>(current) - static_cast<std::uint64_t>(epoch) >= TokenLedger::kBuckets;
}

}  // namespace

TokenLedger::TokenLedger(Duration ttl)
    : width_ns_(ttl.ns() / kBuckets + (ttl.ns() % kBuckets != 0)), settled_through_(kFirstEpoch) {
  for (Bucket& bucket : buckets_) bucket.epoch.store(kEmpty, std::memory_order_relaxed);
}

std::int64_t TokenLedger::epoch_of(std::int64_t now_ns) const noexcept {
  std::int64_t epoch = now_ns / width_ns_;
  if (now_ns % width_ns_ != 0 && now_ns < 0) --epoch;
  return epoch < kFirstEpoch ? kFirstEpoch : epoch;
}

bool TokenLedger::expire(Bucket& bucket, std::int64_t seen, std::int64_t next,
                         std::atomic<std::int64_t>& balance) noexcept {
  // Claimed first, so that no thread adds to the bucket between the exchange and the new epoch.
  if (!bucket.epoch.compare_exchange_strong(seen, kClaimed, std::memory_order_acq_rel)) return false;
  if (seen != kEmpty) balance.fetch_sub(bucket.net.exchange(0, std::memory_order_acq_rel), std::memory_order_acq_rel);
  bucket.epoch.store(next, std::memory_order_release);
  return true;
}

void TokenLedger::settle(std::int64_t now_ns, std::atomic<std::int64_t>& balance) noexcept {
  const std::int64_t current = epoch_of(now_ns);
  std::int64_t settled = settled_through_.load(std::memory_order_relaxed);
  if (current <= settled) return;
  // One thread settles each new epoch; the others go on with their own call.
  if (!settled_through_.compare_exchange_strong(settled, current, std::memory_order_relaxed)) return;
  for (Bucket& bucket : buckets_) {
    const std::int64_t epoch = bucket.epoch.load(std::memory_order_acquire);
    if (epoch >= kFirstEpoch && outlived(epoch, current)) expire(bucket, epoch, kEmpty, balance);
  }
}

void TokenLedger::add(std::int64_t now_ns, std::int64_t delta, std::atomic<std::int64_t>& balance) noexcept {
  const std::int64_t target = epoch_of(now_ns);
  std::int64_t index = target % kBuckets;
  if (index < 0) index += kBuckets;
  Bucket& bucket = buckets_[index];
  for (unsigned spins = 1;; ++spins) {
    const std::int64_t epoch = bucket.epoch.load(std::memory_order_acquire);
    if (epoch == kClaimed) {
      // Another thread is between two stores; if it was preempted there, let it run.
      if (spins % 64 == 0) std::this_thread::yield();
      continue;
    }
    // The bucket's own epoch, or a later one when this caller's time lags behind another's: the amount
    // then expires with that later epoch, a little late but exactly once.
    if (epoch >= target) {
      bucket.net.fetch_add(delta, std::memory_order_acq_rel);
      return;
    }
    // An empty bucket, or one an epoch that has outlived the ttl (same slot, earlier epoch): take it over.
    if (expire(bucket, epoch, target, balance)) {
      bucket.net.fetch_add(delta, std::memory_order_acq_rel);
      return;
    }
  }
}

}  // namespace backoff
