// LazyNow: the current time, read from the clock only if a decision needs it.
//
// A closed breaker's fast path and an AWS or gRPC budget never look at the time; reading a clock would cost
// more than everything else they do. Every entry point that also has an explicit-time form (`*_at(now_ns)`)
// builds a LazyNow from either the explicit time or the object's clock.
#pragma once

#include <cstdint>

#include "backoff/clock.hpp"

namespace backoff {

class LazyNow {
 public:
  explicit LazyNow(const Clock& clock) noexcept : clock_(&clock) {}
  explicit LazyNow(std::int64_t now_ns) noexcept : clock_(nullptr), now_ns_(now_ns) {}

  // Reads the clock on first use; callers resolve it before taking a lock, so that a user's clock
  // callback never runs under one.
  std::int64_t get() {
    if (clock_ != nullptr) {
      now_ns_ = clock_->now();
      clock_ = nullptr;
    }
    return now_ns_;
  }

 private:
  const Clock* clock_;
  std::int64_t now_ns_ = 0;
};

}  // namespace backoff
