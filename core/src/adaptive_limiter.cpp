#include "backoff/adaptive_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "backoff/saturating.hpp"
#include "backoff/status.hpp"

namespace backoff {
namespace {

constexpr double kBeta = 0.7;
constexpr double kScale = 0.4;  // CUBIC's C
constexpr double kSmoothing = 0.8;
constexpr std::int64_t kTimeBucketNs = 500'000'000;
constexpr double kTimeBucketSeconds = 0.5;
constexpr double kMinFillRate = 0.5;
constexpr double kMinCapacity = 1;
constexpr double kMaxRateOverMeasured = 2;
constexpr double kAttemptCost = 1;

double seconds_between(Instant earlier, Instant later) noexcept {
  return static_cast<double>((later - earlier).ns()) / 1e9;
}

// The index of the half-second bucket holding `t`: floor(2·t) in integers, exact for any time, negative
// ones included (an injected clock may start below zero).
std::int64_t bucket_of(Instant t) noexcept {
  const std::int64_t ns = t.ns();
  return ns / kTimeBucketNs - (ns % kTimeBucketNs < 0 ? 1 : 0);
}

// How long `rate` takes to add `missing` tokens, rounded up to the next nanosecond and never zero: a
// caller told to wait 0 ns for a token still missing would ask again at the same time, forever.
Duration time_to_fill(double missing, double rate) noexcept {
  return std::max(Duration::from_ns(saturating_round(std::ceil(missing / rate * 1e9))), Duration::from_ns(1));
}

}  // namespace

bool LimiterConfig::flag(std::int64_t value, const char* name) {
  if (value != 0 && value != 1) throw_invalid(name, "must be 0 or 1", std::to_string(value));
  return value == 1;
}

Duration AdaptiveLimiter::acquire_impl(const LazyNow& now) {
  const Instant t = now.get();  // before the lock: a user's clock never runs under it
  std::lock_guard<std::mutex> lock(mutex_);
  advance(t);
  if (!enabled_) return Duration();
  refill(last_seen_);
  if (tokens_ < kAttemptCost) return time_to_fill(kAttemptCost - tokens_, fill_rate_);
  tokens_ -= kAttemptCost;
  return Duration();
}

void AdaptiveLimiter::record_impl(const LazyNow& now, bool throttled) {
  const Instant t = now.get();
  std::lock_guard<std::mutex> lock(mutex_);
  const Instant at = advance(t);
  update_measured_rate(at);
  const double rate = next_rate(at, throttled);
  refill(at);  // at the old rate, up to now
  set_rate(std::min(rate, kMaxRateOverMeasured * measured_rate_));
}

LimiterState AdaptiveLimiter::state() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return snapshot();
}

LimiterState AdaptiveLimiter::state_at(Instant now) {
  std::lock_guard<std::mutex> lock(mutex_);
  refill(advance(now));
  return snapshot();
}

Instant AdaptiveLimiter::advance(Instant now) {
  if (!started_) {
    started_ = true;
    last_seen_ = refilled_at_ = last_throttle_ = now;
    last_bucket_ = bucket_of(now);
  }
  last_seen_ = std::max(last_seen_, now);
  return last_seen_;
}

void AdaptiveLimiter::refill(Instant now) {
  tokens_ = std::min(capacity_, tokens_ + seconds_between(refilled_at_, now) * fill_rate_);
  refilled_at_ = now;
}

void AdaptiveLimiter::update_measured_rate(Instant now) {
  bucket_count_ += 1;
  const std::int64_t bucket = bucket_of(now);
  if (bucket <= last_bucket_) return;
  const double span = static_cast<double>(bucket - last_bucket_) * kTimeBucketSeconds;
  measured_rate_ = kSmoothing * (bucket_count_ / span) + (1 - kSmoothing) * measured_rate_;
  bucket_count_ = 0;
  last_bucket_ = bucket;
}

double AdaptiveLimiter::next_rate(Instant now, bool throttled) {
  if (throttled) {
    // Until the first throttle the fill rate says nothing about what the service takes: use what the
    // client was measured to send.
    w_max_ = enabled_ ? std::min(measured_rate_, fill_rate_) : measured_rate_;
    k_ = std::cbrt(w_max_ * (1 - kBeta) / kScale);
    last_throttle_ = now;
    enabled_ = true;
    return w_max_ * kBeta;
  }
  const double t = seconds_between(last_throttle_, now) - k_;
  return kScale * t * t * t + w_max_;
}

void AdaptiveLimiter::set_rate(double rate) {
  fill_rate_ = std::max(rate, kMinFillRate);
  capacity_ = std::max(rate, kMinCapacity);
  tokens_ = std::min(tokens_, capacity_);
}

LimiterState AdaptiveLimiter::snapshot() const {
  return {fill_rate_, measured_rate_, capacity_, tokens_, enabled_};
}

}  // namespace backoff
