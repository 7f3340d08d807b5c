// Backoff: the stateful form of a policy (cenkalti's NextBackOff / Reset), and the retry decision.
//
// It counts attempts, remembers when the retrying started, and asks its Policy for each delay. It never
// dangles: it holds the policy, in one of two ways, the same code for both (BasicBackoff):
//
//   Backoff        a copy of the policy (344 B). What a Retrier embeds: made per call from a policy the
//                  caller holds, with no allocation, and trivially destructible.
//   SharedBackoff  a share of an immutable policy (72 B): the policy lives as long as its last state. What
//                  a long-lived state per key or per request wants (the C API's backoff_state, Python's
//                  BackoffState), where the policy is made once and states by the thousand.
//
// A Backoff belongs to one thread at a time, like a zstd context; the Policy it came from stays shareable.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>

#include "backoff/clock.hpp"
#include "backoff/duration.hpp"
#include "backoff/policy.hpp"
#include "backoff/random.hpp"

namespace backoff {

// A server's "retry after" is a wait from now, Duration() for none. A negative one is a caller's bug (a
// subtraction taken the wrong way round), never "no hint": throws Error(invalid_value) naming hint_ns,
// before anything changes. Every path that takes a hint checks it here, so the core, C and Python reject
// it alike.
[[noreturn]] void reject_negative_hint(Duration hint);
inline void require_hint(Duration hint) {
  if (hint < Duration()) reject_negative_hint(hint);
}

// PolicyHolder: Policy (a copy) or std::shared_ptr<const Policy> (a share, never null).
template <class PolicyHolder>
class BasicBackoff {
 public:
  // A seeded policy gives every Backoff the same sequence (stream key 0); an unseeded one gives each
  // Backoff an independent stream, which a fork child salts again (fork_salt), so that a state built
  // before fork() draws differently in every child. The clock defaults to the monotonic clock.
  explicit BasicBackoff(const PolicyHolder& policy, Clock clock = Clock{});

  // The delay before the next retry, or kStopDelay. `hint` is a server's "retry after" (zero = none): the
  // delay is at least the hint, and still at most the cap. A negative hint throws (require_hint).
  Duration next(Duration hint = Duration()) { return next_at(clock_.now(), hint); }
  Duration next_at(Instant now, Duration hint = Duration());

  // Starts over: attempt 0, elapsed time measured from now.
  void reset() { reset_at(clock_.now()); }
  void reset_at(Instant now) noexcept;

  // Time since construction or the last reset; zero if the clock went backwards.
  Duration elapsed() const { return elapsed_at(clock_.now()); }
  Duration elapsed_at(Instant now) const noexcept;

  // When the elapsed time started: construction or the last reset.
  Instant started_at() const noexcept { return start_; }

  // How many delays next() has handed out since the last reset.
  std::uint64_t attempt() const noexcept { return attempt_; }

  const Policy& policy() const noexcept { return holds(policy_); }
  const Clock& clock() const noexcept { return clock_; }

 private:
  static const Policy& holds(const Policy& policy) noexcept { return policy; }
  static const Policy& holds(const std::shared_ptr<const Policy>& policy) noexcept { return *policy; }

  PolicyHolder policy_;
  Clock clock_;
  std::uint64_t stream_;
  std::uint64_t attempt_ = 0;
  Instant start_;
  std::int64_t previous_ns_ = 0;  // decorrelated jitter grows from the last delay
  bool stopped_ = false;          // a stop is final until reset, whatever the next hint or clock reading
};

using Backoff = BasicBackoff<Policy>;
using SharedBackoff = BasicBackoff<std::shared_ptr<const Policy>>;
extern template class BasicBackoff<Policy>;
extern template class BasicBackoff<std::shared_ptr<const Policy>>;

// next_at runs once per retry; inline, so the C ABI's backoff_state_next_at compiles into one function.
template <class PolicyHolder>
inline Duration BasicBackoff<PolicyHolder>::next_at(Instant now, Duration hint) {
  require_hint(hint);
  const Policy& policy = holds(policy_);
  // A stop is the rare path; the hint keeps it out of the straight line (GCC placed it inline once the
  // result became a Duration, which cost the C ABI's next_at 1-2 ns).
  if (__builtin_expect(stopped_ || policy.attempts_exhausted(attempt_), 0)) return kStopDelay;
  const std::uint64_t bits = draw(stream_ ^ (fork_salt() & salt_mask(policy.seeded())), attempt_);
  std::int64_t delay_ns;
  if (policy.kind() == Kind::decorrelated) {
    // AWS: sleep = min(cap, U(base, previous sleep * 3)); growth follows the actual previous delay.
    delay_ns = policy.decorrelated_step(policy.grow_previous(previous_ns_), bits);
  } else {
    delay_ns = policy.jittered(policy.base_delay(attempt_), bits);
  }
  delay_ns = policy.with_hint(delay_ns, hint.ns());
  if (__builtin_expect(policy.elapsed_exhausted(attempt_, elapsed_at(now).ns(), delay_ns), 0)) {
    stopped_ = true;
    return kStopDelay;
  }
  previous_ns_ = delay_ns;
  ++attempt_;
  return nanoseconds(delay_ns);
}

template <class PolicyHolder>
inline Duration BasicBackoff<PolicyHolder>::elapsed_at(Instant now) const noexcept {
  // Clocks handed in by users may go backwards or jump; a negative elapsed time would extend max_elapsed.
  return non_negative(now - start_);
}

}  // namespace backoff
