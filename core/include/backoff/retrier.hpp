// Retrier: the decisions of one retried call, from its first failure to its end.
//
// A retry loop (Python's @retry, Retrying and AsyncRetrying) creates one when an attempt first fails, so a
// call that succeeds at once costs nothing, and asks it after every failed attempt: on_failure() returns the
// delay before the next attempt or kStop. The Retrier applies the policy's limits and a server's hint
// through its Backoff, and counts failures and the time waited, so the loop keeps no books of its own. It is
// the one place where later checks on a retry (a retry budget, a circuit breaker) join the decision.
//
// Elapsed time, which max_elapsed limits, counts from construction: the first failure, not the start of the
// call, so a slow first attempt does not use up the retry window (cenkalti/backoff#188).
//
// A Retrier belongs to one call, so to one thread at a time.
#pragma once

#include <cstdint>

#include "backoff/backoff.hpp"
#include "backoff/clock.hpp"
#include "backoff/policy.hpp"

namespace backoff {

class Retrier {
 public:
  explicit Retrier(const Policy& policy, Clock clock = Clock{}) : backoff_(policy, clock) {}
  // Starts at an explicit time, for injected clocks.
  Retrier(const Policy& policy, std::int64_t now_ns) : backoff_(policy) { backoff_.reset_at(now_ns); }

  // Records a failed attempt and returns the delay before the next one, or kStop. `hint_ns` is a server's
  // "retry after" (0 = none): the delay is at least the hint and at most the policy's cap.
  std::int64_t on_failure(std::int64_t hint_ns = 0) { return on_failure_at(backoff_.clock().now(), hint_ns); }
  std::int64_t on_failure_at(std::int64_t now_ns, std::int64_t hint_ns) noexcept;

  // Records a failed attempt that must not be retried (the caller classified its error as permanent):
  // it counts as a failure, and the call is over.
  void on_permanent_failure() noexcept { count_failure(); }

  // Records that the latest attempt succeeded: the call is over.
  void on_success() noexcept { succeeded_ = true; }

  // Failed attempts recorded so far.
  std::uint64_t failures() const noexcept { return failures_; }
  // Attempts whose outcome is known: the failures, plus the success if there was one.
  std::uint64_t attempts() const noexcept { return failures_ + (succeeded_ ? 1 : 0); }
  bool succeeded() const noexcept { return succeeded_; }
  // The sum of the delays handed out (saturating): the time the call spent waiting.
  std::int64_t idle_ns() const noexcept { return idle_ns_; }

  // Time since the first failure; 0 if the clock went backwards.
  std::int64_t elapsed() const { return backoff_.elapsed(); }
  std::int64_t elapsed_at(std::int64_t now_ns) const noexcept { return backoff_.elapsed_at(now_ns); }

  const Backoff& backoff() const noexcept { return backoff_; }

 private:
  // Saturate rather than wrap, as every counter in the core does.
  void count_failure() noexcept { failures_ += failures_ != UINT64_MAX; }

  Backoff backoff_;
  std::uint64_t failures_ = 0;
  std::int64_t idle_ns_ = 0;
  bool succeeded_ = false;
};

}  // namespace backoff
