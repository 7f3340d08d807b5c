// TokenLedger: makes a budget's deposits and withdrawals expire after a time to live (Finagle's leaky
// token bucket), without a lock.
//
// The budget keeps one atomic balance, so a withdrawal is a single compare-and-swap and can never
// overdraw. The ledger remembers, per time bucket, the net amount each bucket added to that balance, and
// subtracts it again once the bucket is older than the ttl. Every amount is subtracted exactly once, so the
// balance never drifts; the only imprecision is the bucket's width (ttl / 10): an amount expires between
// 0.9 and 1.0 ttl after it was added, as in Finagle's WindowedAdder.
#pragma once

#include <atomic>
#include <cstdint>

#include "backoff/duration.hpp"

namespace backoff {

class TokenLedger {
 public:
  static constexpr int kBuckets = 10;

  explicit TokenLedger(Duration ttl);

  // Subtracts from `balance` every amount that has outlived the ttl at `now_ns`. Cheap when nothing
  // expired since the last call: one load.
  void settle(std::int64_t now_ns, std::atomic<std::int64_t>& balance) noexcept;

  // Notes that `delta` was just added to `balance` (negative: taken from it), to be undone after the ttl.
  void add(std::int64_t now_ns, std::int64_t delta, std::atomic<std::int64_t>& balance) noexcept;

 private:
  struct Bucket {
    std::atomic<std::int64_t> epoch;
    std::atomic<std::int64_t> net{0};
  };

  std::int64_t epoch_of(std::int64_t now_ns) const noexcept;
  // Takes the bucket's net amount out of `balance` and marks the bucket `next`, unless another thread is
  // already doing so. `seen` is the epoch the caller read.
  bool expire(Bucket& bucket, std::int64_t seen, std::int64_t next, std::atomic<std::int64_t>& balance) noexcept;

  std::int64_t width_ns_;
  std::atomic<std::int64_t> settled_through_;  // the last epoch settle() has run for
  Bucket buckets_[kBuckets];
};

}  // namespace backoff
