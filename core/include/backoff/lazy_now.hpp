// LazyNow: the current time, read from the clock only if a decision needs it.
//
// A closed breaker's fast path and an AWS or gRPC budget never look at the time; reading a clock would cost
// more than everything else they do.
//
// The one explicit-time rule of the core: every step that needs the time has one implementation taking a
// const LazyNow&, and two public forms of one line each, `step(...)` on the object's clock and
// `step_at(now, ...)` at an explicit time, which only build the LazyNow. They are defined beside the
// implementation, so that the LazyNow stays in registers through the inlined step. A Retrier hands the
// LazyNow of its own step on to its breaker and budget, so a step reads the clock once at most.
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
  Instant get() const {
    if (clock_ != nullptr) {
      now_ = clock_->now();
      clock_ = nullptr;
    }
    return now_;
  }

 private:
  // A cache: get() is const because reading the clock once does not change which time this is.
  mutable const Clock* clock_;
  mutable Instant now_;
};

}  // namespace backoff
