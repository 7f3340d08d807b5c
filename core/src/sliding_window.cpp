#include "backoff/sliding_window.hpp"

#include <limits>

namespace backoff {
namespace {

// Two epochs no position maps to (epoch_of clamps above them): a bucket being zeroed, and an empty one.
constexpr std::int64_t kResetting = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kEmpty = kResetting + 1;
constexpr std::int64_t kFirstEpoch = kResetting + 2;

// A writer that finds a bucket being zeroed waits this many reloads (a handful of stores on the other
// side) before it drops its sample rather than spin behind a preempted thread.
constexpr int kClaimAttempts = 64;

}  // namespace

SlidingWindow::SlidingWindow(std::int64_t width, std::int64_t buckets)
    : width_(width), count_(buckets), buckets_(new Bucket[static_cast<std::size_t>(buckets)]) {
  for (std::int64_t i = 0; i < count_; ++i) buckets_[i].epoch.store(kEmpty, std::memory_order_relaxed);
}

std::int64_t SlidingWindow::epoch_of(std::int64_t position) const noexcept {
  // Floor division, so that negative positions (explicit times before the clock's origin) still fall in
  // consecutive epochs.
  std::int64_t epoch = position / width_;
  if (position % width_ != 0 && position < 0) --epoch;
  return epoch < kFirstEpoch ? kFirstEpoch : epoch;
}

SlidingWindow::Bucket& SlidingWindow::slot(std::int64_t epoch) const noexcept {
  std::int64_t index = epoch % count_;
  if (index < 0) index += count_;
  return buckets_[index];
}

void SlidingWindow::add(std::int64_t position, bool failure, bool slow) noexcept {
  const std::int64_t target = epoch_of(position);
  Bucket& bucket = slot(target);
  for (int attempt = 0; attempt < kClaimAttempts; ++attempt) {
    std::int64_t epoch = bucket.epoch.load(std::memory_order_acquire);
    if (epoch == kResetting) continue;
    // A sample older than the bucket's epoch belongs to a bucket already reused: out of the window.
    if (epoch != kEmpty && epoch > target) return;
    if (epoch != target) {
      if (!bucket.epoch.compare_exchange_weak(epoch, kResetting, std::memory_order_acq_rel)) continue;
      bucket.calls.store(0, std::memory_order_relaxed);
      bucket.failures.store(0, std::memory_order_relaxed);
      bucket.slow.store(0, std::memory_order_relaxed);
      // Release: a writer that sees the new epoch adds after the zeroing, never before it.
      bucket.epoch.store(target, std::memory_order_release);
    }
    bucket.calls.fetch_add(1, std::memory_order_relaxed);
    if (failure) bucket.failures.fetch_add(1, std::memory_order_relaxed);
    if (slow) bucket.slow.fetch_add(1, std::memory_order_relaxed);
    return;
  }
}

SlidingWindow::Totals SlidingWindow::totals(std::int64_t position) const noexcept {
  const std::int64_t current = epoch_of(position);
  Totals totals;
  for (std::int64_t i = 0; i < count_; ++i) {
    const Bucket& bucket = buckets_[i];
    const std::int64_t epoch = bucket.epoch.load(std::memory_order_acquire);
    if (epoch < kFirstEpoch || epoch > current) continue;
    // The distance in uint64: epoch <= current, so it is exact even when `current - epoch` would
    // overflow int64.
    const std::uint64_t age = static_cast<std::uint64_t>(current) - static_cast<std::uint64_t>(epoch);
    if (age >= static_cast<std::uint64_t>(count_)) continue;
    totals.calls += bucket.calls.load(std::memory_order_relaxed);
    totals.failures += bucket.failures.load(std::memory_order_relaxed);
    totals.slow += bucket.slow.load(std::memory_order_relaxed);
  }
  return totals;
}

void SlidingWindow::clear() noexcept {
  // Zeroing happens when a writer next claims the bucket.
  for (std::int64_t i = 0; i < count_; ++i) buckets_[i].epoch.store(kEmpty, std::memory_order_release);
}

}  // namespace backoff
