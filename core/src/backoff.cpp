#include "backoff/backoff.hpp"

#include <algorithm>

#include "backoff/random.hpp"
#include "backoff/saturating.hpp"

namespace backoff {

Backoff::Backoff(const Policy& policy, Clock clock)
    : policy_(policy),
      clock_(clock),
      // Seeded: every Backoff replays stream 0, like the stateless form with key 0. Unseeded: a fresh
      // stream per Backoff, so two clients started together do not retry in lockstep.
      stream_(stream_of(policy.seed(), policy.seeded() ? 0 : fresh_seed())) {
  reset_at(clock_.now());
}

std::int64_t Backoff::next_at(std::int64_t now_ns, std::int64_t hint_ns) noexcept {
  if (stopped_ || policy_.attempts_exhausted(attempt_)) return kStop;
  const std::uint64_t bits = draw(stream_, attempt_);
  std::int64_t delay_ns;
  if (policy_.kind() == Kind::decorrelated) {
    // AWS: sleep = min(cap, U(base, previous sleep * 3)); growth follows the actual previous delay.
    delay_ns = policy_.decorrelated_step(ns_from_double(static_cast<double>(previous_ns_) * policy_.multiplier()), bits);
  } else {
    delay_ns = policy_.jittered(policy_.base_delay(attempt_), bits);
  }
  // A server hint is a floor: wait at least that long, but never past the cap.
  if (hint_ns > delay_ns) delay_ns = std::min(hint_ns, policy_.cap_ns());
  if (policy_.elapsed_exhausted(elapsed_at(now_ns), delay_ns)) {
    stopped_ = true;
    return kStop;
  }
  previous_ns_ = delay_ns;
  ++attempt_;
  return delay_ns;
}

void Backoff::reset_at(std::int64_t now_ns) noexcept {
  attempt_ = 0;
  start_ns_ = now_ns;
  previous_ns_ = policy_.initial_ns();
  stopped_ = false;
}

std::int64_t Backoff::elapsed_at(std::int64_t now_ns) const noexcept {
  // Clocks handed in by users may go backwards or jump; a negative elapsed time would extend max_elapsed.
  if (now_ns <= start_ns_) return 0;
  if (start_ns_ < 0 && now_ns > kMaxNs + start_ns_) return kMaxNs;
  return now_ns - start_ns_;
}

}  // namespace backoff
