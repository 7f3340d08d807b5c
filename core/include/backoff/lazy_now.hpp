// LazyNow: the current time, read from the clock only if a decision needs it.
//
// A closed breaker's fast path and an AWS or gRPC budget never look at the time; reading a clock would cost
// more than everything else they do. Every entry point that also has an explicit-time form (`*_at(now)`)
// builds a LazyNow from either the explicit time or the object's clock.
#pragma once

#include "backoff/clock.hpp"
#include "backoff/duration.hpp"

namespace backoff {

class LazyNow {
 public:
  explicit LazyNow(const Clock& clock) noexcept : clock_(&clock) {}
  explicit LazyNow(Instant now) noexcept : clock_(nullptr), now_(now) {}

  // Reads the clock on first use; callers resolve it before taking a lock, so that a user's clock
  // callback never runs under one.
  Instant get() {
    if (clock_ != nullptr) {
      now_ = clock_->now();
      clock_ = nullptr;
    }
    return now_;
  }

 private:
  const Clock* clock_;
  Instant now_;
};

}  // namespace backoff
