// AdaptiveLimiter: the AWS SDKs' "adaptive" retry mode, a client-side rate limiter that learns how fast a
// throttling service will take requests and holds every attempt, the first included, to that rate.
//
// A token bucket pays for each attempt (one token an attempt). Its fill rate follows TCP CUBIC's window
// curve: cut to β times the rate at a throttling response, then grown back along C·(t − K)³ + w_max, which
// returns to the rate that was throttled (w_max) K seconds after the cut and probes above it after that.
// The fill rate is never set above twice the rate the client is measured to send at, so a quiet client
// cannot bank a burst. The constants are those of botocore (retries/adaptive.py, bucket.py,
// throttling.py) and aws-sdk-go-v2 (aws/retry/adaptive_*.go), which agree:
//
//   β (cut factor)                0.7          minimum fill rate      0.5 tokens/s
//   C (CUBIC scale)               0.4          minimum capacity       1 token
//   measured-rate smoothing       0.8          fill-rate cap          2 × measured rate
//   measured-rate time bucket     0.5 s        cost of an attempt     1 token
//
// They are fixed, not parameters: AWS standardizes them across its SDKs and neither SDK exposes them, and
// they are tuned together (β and C fix how long recovery takes); the parity tests pin them.
//
// After every response (record): the measured rate is updated, counting responses in half-second buckets
// (bucket = floor(2·now)/2; on entering a later bucket, measured = 0.8·count/(bucket − last) + 0.2·measured);
// then a throttle cuts (w_max = the measured rate, or min(measured, fill rate) once enabled; K =
// ∛(w_max·(1 − β)/C); the new rate is β·w_max; gating is enabled) and anything else grows the rate along
// the curve from the last cut. The bucket refills at its old rate up to now, then takes fill rate
// max(min(rate, 2·measured), 0.5) and capacity max(min(rate, 2·measured), 1), tokens clipped to it.
//
// Before every attempt (acquire): nothing until the first throttle (gating off: a service that never
// throttles never waits); then the bucket refills and the attempt takes a token if one is there. If not,
// it takes nothing and is told how long until one will be, (1 − tokens)/fill rate: the caller sleeps
// that long (a thread, asyncio, a C event loop: the limiter parks nobody) and asks again, as botocore's
// and go-v2's acquire loops do. Asking again, rather than reserving a token ahead, matters: a cut while
// callers sleep applies to them when they wake, so one burst of throttles is not followed by a second
// from callers whose turn was booked at the old rate (the simulation in tests/core shows the difference:
// reserved turns turned 4 throttles a cycle into collapses to the 0.5/s floor). In fail-fast mode
// (aws-sdk-go-v2's FailOnNoAttemptTokens) a caller gives the attempt up instead of waiting.
//
// Initial state: the bucket is empty with fill rate 0.5 and capacity 1, and the curve starts at w_max = 0
// (botocore's start). The limiter's clock starts at its first acquire or record (botocore's starts at
// client creation, normally the first request's time): the first response sets the measured-rate bucket
// and the curve's origin.
//
// Thread safety: one limiter is shared by every caller of a throttling scope (a service endpoint, as an
// AWS client is); every method may be called from any thread. A small mutex guards the state, as
// botocore's lock does: each acquire and record takes it once, for a few dozen floating-point operations
// (bench/bench_adaptive.cpp: 42 ns of CPU for an acquire and a record at explicit times, 79-107 ns
// with two monotonic clock reads), and the clock is read before it is taken, never under it. A
// reading older than the limiter's last time (a thread that read the clock, then waited for the lock)
// counts as that last time: time never runs backwards inside the limiter.
#pragma once

#include <cstdint>
#include <mutex>

#include "backoff/clock.hpp"
#include "backoff/duration.hpp"
#include "backoff/lazy_now.hpp"

namespace backoff {

class Retrier;

struct LimiterConfig {
  // An attempt that finds no token is given up instead of waiting for one (the Retrier ends the call).
  bool fail_fast = false;

  // `value` as a flag, for callers that hand one in as an integer (the C ABI): 0 or 1, or
  // Error(invalid_value) "<name>: must be 0 or 1 (got 7)".
  static bool flag(std::int64_t value, const char* name);
};

// A snapshot of the limiter's state, as of the last time it saw (rates in tokens, or attempts, per second).
struct LimiterState {
  double fill_rate;      // tokens a second the bucket gains
  double measured_rate;  // smoothed responses a second
  double capacity;       // the most tokens the bucket holds
  double tokens;         // the balance, in [0, capacity]
  bool enabled;          // gating is on: a throttle has been seen
};

class AdaptiveLimiter {
 public:
  explicit AdaptiveLimiter(const LimiterConfig& config = LimiterConfig{}, Clock clock = Clock{}) noexcept
      : config_(config), clock_(clock) {}
  AdaptiveLimiter(const AdaptiveLimiter&) = delete;
  AdaptiveLimiter& operator=(const AdaptiveLimiter&) = delete;

  // Asks to send an attempt (every attempt, the first included): zero when the attempt took a token and
  // may go now; otherwise nothing was taken, and the wait (at least 1 ns) is how long until a token will
  // be there at the current fill rate: wait, then ask again (or, in fail-fast mode, give the attempt up).
  Duration acquire() { return acquire_impl(LazyNow(clock_)); }
  Duration acquire_at(Instant now) { return acquire_impl(LazyNow(now)); }

  // Records the response to an attempt: `throttled` when the service said to slow down (HTTP 429,
  // AWS's Throttling codes), false for anything else, a success or another failure.
  void record(bool throttled) { record_impl(LazyNow(clock_), throttled); }
  void record_at(Instant now, bool throttled) { record_impl(LazyNow(now), throttled); }

  // The state as of the last acquire or record; state_at() first refills the bucket up to `now`.
  LimiterState state() const;
  LimiterState state_at(Instant now);

  const LimiterConfig& config() const noexcept { return config_; }
  const Clock& clock() const noexcept { return clock_; }

 private:
  // A Retrier hands the time it read for a step (LazyNow), so a step reads the clock once at most.
  friend class Retrier;
  Duration acquire_impl(const LazyNow& now);
  void record_impl(const LazyNow& now, bool throttled);

  // Under mutex_. Moves the limiter's time to `now` (never backwards) and returns it; the first call
  // starts the clock.
  Instant advance(Instant now);
  void refill(Instant now);
  void update_measured_rate(Instant now);
  // The rate the CUBIC curve gives at `now`, after a throttle (cutting it) or another response.
  double next_rate(Instant now, bool throttled);
  void set_rate(double rate);
  LimiterState snapshot() const;

  const LimiterConfig config_;
  const Clock clock_;
  mutable std::mutex mutex_;
  bool started_ = false;
  Instant last_seen_;  // the latest time the limiter has seen
  // The token bucket.
  double fill_rate_ = 0.5;
  double capacity_ = 1;
  double tokens_ = 0;
  Instant refilled_at_;
  bool enabled_ = false;
  // The measured rate.
  double measured_rate_ = 0;
  std::int64_t last_bucket_ = 0;  // index of the half-second bucket last closed
  double bucket_count_ = 0;       // responses counted since
  // The CUBIC curve.
  double w_max_ = 0;
  double k_ = 0;
  Instant last_throttle_;
};

}  // namespace backoff
