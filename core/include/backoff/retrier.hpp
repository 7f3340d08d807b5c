// Retrier: the decisions of one retried call, from its first attempt (or first failure) to its end.
//
// A retry loop asks it after every failed attempt: decide_retry_at() says retry after a delay, or stop
// and why. The Retrier applies the policy's limits and a server's hint through its Backoff, and counts
// failures and the time waited, so the loop keeps no books of its own. It is the one place where a
// circuit breaker and a retry budget join the decision:
//
//   before_attempt   takes a permit from the breaker; a refusal ends the call (circuit_open), carrying
//                    the breaker's remaining cooldown. The first one also tells the budget a request
//                    started.
//   decide_retry     records the failure against the permit, then asks in turn: the policy (exhausted),
//                    the breaker (circuit_open, when it will still be open when the delay ends: waiting
//                    would only end in a refusal) and the budget, which hands out a ticket for the retry
//                    or refuses it (budget_exhausted). The ticket's tokens stay taken while the retry waits.
//   on_success       records success against the permit and settles the ticket with the budget (AWS refunds
//                    a successful retry's cost; gRPC credits every success).
//   on_permanent_failure  a failure the caller will not retry. The breaker records it as ignored: such a
//                    failure (a 400, a 404) is the request's fault and says nothing about the service's health.
//   cancel           gives back what the call holds: the permit unused, the ticket's tokens refunded.
//
// An adaptive limiter (adaptive_limiter.hpp) joins the same steps: before_attempt asks it for a send
// token first; without one it returns retry with the wait until one is there, and the caller sleeps that
// long and calls before_attempt again (the attempt goes ahead when the delay is 0); decide_retry records the failure as a throttle when its
// error_class is throttling, and on_success and on_permanent_failure record a response that was not. A
// fail-fast limiter's refusal ends the call as budget_exhausted, the delay saying when a token would be
// there: like the budget's, it is the client's own quota refusing the attempt, not the service.
//
// Why a refused permit ends the call rather than waiting the cooldown out: a breaker exists to fail fast
// and shed load. Callers that slept through the open period would all wake at its end, at the half-open
// gate that admits only a few probes; the rest would be refused again having waited for nothing. The
// outcome carries the remaining cooldown, so a caller that wants to wait can.
//
// Nothing attached, nothing paid: a Python @retry creates a Retrier at a call's first failure (a call that
// succeeds at once costs nothing), never calls before_attempt(), and finds each method as cheap as before
// the breaker and budget joined. The forms without an explicit time read the clock only when a decision
// needs it, once per step, and hand that one reading to the breaker and the budget.
//
// Elapsed time, which max_elapsed limits, counts from construction or reset_at(): the first failure when
// the loop creates the Retrier there, so that a slow first attempt does not use up the retry window
// (cenkalti/backoff#188). A call driven from its first attempt through before_attempt() gets the same
// rule: its window restarts at its first failure.
//
// A deadline bounds the whole call, its first attempt included (python-backoff#196), where max_elapsed
// bounds only the retrying: the earlier of the policy's `deadline` after the call's start (construction or
// reset_at(), or what set_call_start() says when the Retrier is created late) and the caller's own
// (set_deadline_at(): a request's timeout, a Go context's deadline). No attempt starts at or past it:
// before_attempt ends the call (deadline_exceeded). No wait runs into it either: when now + delay would
// reach it, decide_retry ends the call at once rather than sleep, since waking at the deadline only to be
// refused the attempt would waste the wait and report the end later than it is known. A policy's limits
// are asked first, so a call both would end reports exhausted.
//
// A Retrier belongs to one call, so to one thread at a time. The breaker and budget are not owned: they
// must outlive every use of the Retrier, and receive its times, so they should share its clock.
// Methods that reach them throw what they throw (std::bad_alloc); with nothing attached nothing throws.
#pragma once

#include <cstdint>

#include "backoff/adaptive_limiter.hpp"
#include "backoff/backoff.hpp"
#include "backoff/breaker.hpp"
#include "backoff/budget.hpp"
#include "backoff/clock.hpp"
#include "backoff/lazy_now.hpp"
#include "backoff/policy.hpp"
#include "backoff/vocabulary.hpp"

namespace backoff {

class RetryStats;

// Where a retried call stands. Values are the C ABI's BACKOFF_RETRY_*; every value but `retry` is final
// until reset_at().
enum class RetryOutcome : int { BACKOFF_VOCAB_RETRY_OUTCOME(BACKOFF_VOCAB_ENUM) };

// "No deadline": the latest instant, which no attempt reaches.
constexpr Instant kNoDeadline = Instant::from_ns(INT64_MAX);

struct RetryDecision {
  RetryOutcome outcome = RetryOutcome::retry;
  // retry: the delay before the next attempt (from before_attempt: the limiter's wait before asking again);
  // circuit_open: the breaker's remaining cooldown (InfiniteDuration() when isolated); budget_exhausted
  // from before_attempt: when a fail-fast limiter would have a token; otherwise zero.
  Duration delay;

  bool retrying() const noexcept { return outcome == RetryOutcome::retry; }
  Duration delay_or_stop() const noexcept { return retrying() ? delay : kStopDelay; }
};

class Retrier {
 public:
  explicit Retrier(const Policy& policy, Clock clock = Clock{}) : backoff_(policy, clock) {
    set_call_start(backoff_.started_at());
  }
  // Starts at an explicit time, for injected clocks.
  Retrier(const Policy& policy, Instant now) : backoff_(policy) {
    backoff_.reset_at(now);
    set_call_start(now);
  }

  // Attach (or, with nullptr, detach) a breaker or a budget; attach before the first attempt. A permit or
  // ticket the call holds from the one replaced is given back to it first.
  void attach_breaker(Breaker* breaker);
  void attach_budget(Budget* budget);
  void attach_limiter(AdaptiveLimiter* limiter) noexcept { limiter_ = limiter; }
  // Statistics that every later step of this Retrier records into (retry_stats.hpp): failures, retries
  // and their delays, and how each call ended; nullptr detaches. Not owned: it must outlive every use.
  void attach_stats(RetryStats* stats) noexcept { stats_ = stats; }
  RetryStats* stats() const noexcept { return stats_; }
  Breaker* breaker() const noexcept { return breaker_; }
  Budget* budget() const noexcept { return budget_; }
  AdaptiveLimiter* limiter() const noexcept { return limiter_; }

  // Before each attempt, the first included: retry with delay 0 to go ahead; retry with a delay > 0 (the
  // limiter has no token yet) to sleep that long and ask again; deadline_exceeded when the deadline has
  // come (or the limiter's wait would pass it), circuit_open with the breaker's cooldown, or
  // budget_exhausted from a fail-fast limiter, each of which ends the call. Throws Error(invalid_value)
  // once the call has ended.
  RetryDecision before_attempt() { return before_attempt_impl(LazyNow(backoff_.clock())); }
  RetryDecision before_attempt_at(Instant now) { return before_attempt_impl(LazyNow(now)); }

  // Records a failed attempt that may be retried and decides: retry after a delay, or stop (exhausted,
  // deadline_exceeded, circuit_open, budget_exhausted). `hint` is a server's "retry after" (zero: none; negative: throws
  // Error(invalid_value) and records nothing, see require_hint): the delay is at least the hint and at most
  // the policy's cap, and a breaker this failure opens stays open at
  // least that long. `error_class` is what the budget charges the retry as. Once the call has ended it
  // records nothing and repeats the end.
  RetryDecision decide_retry(Duration hint = Duration(), ErrorClass error_class = ErrorClass::ordinary) {
    return decide_retry_at(now(), hint, error_class);
  }
  RetryDecision decide_retry_at(Instant now, Duration hint, ErrorClass error_class = ErrorClass::ordinary);

  // decide_retry_at() for loops that only want the delay before the next attempt, or kStopDelay.
  Duration on_failure(Duration hint = Duration()) { return on_failure_at(now(), hint); }
  Duration on_failure_at(Instant now, Duration hint) { return decide_retry_at(now, hint).delay_or_stop(); }

  // Records a failed attempt that must not be retried (the caller classified its error as permanent):
  // it counts as a failure, and the call is over.
  void on_permanent_failure() { on_permanent_failure_impl(LazyNow(backoff_.clock())); }
  void on_permanent_failure_at(Instant now) { on_permanent_failure_impl(LazyNow(now)); }

  // Records that the latest attempt succeeded: the call is over. Inline: with nothing attached it is a
  // test and a store, as cheap as Python's @retry needs it.
  void on_success() { on_success_impl(LazyNow(backoff_.clock())); }
  void on_success_at(Instant now) { on_success_impl(LazyNow(now)); }

  // Gives the call up before its next attempt: releases the permit, refunds the ticket.
  void cancel() { cancel_impl(LazyNow(backoff_.clock())); }
  void cancel_at(Instant now) { cancel_impl(LazyNow(now)); }

  // Starts a new call at `now`: counts, outcome and elapsed window start over; whatever the old call
  // still held is given back (as cancel_at). The attachments stay.
  void reset() { reset_at(now()); }
  void reset_at(Instant now);

  // Says when the call started, for a loop that creates the Retrier after the first attempt (Python's
  // @retry does, at the first failure): the policy's deadline counts from `start`. Elapsed time does not
  // move; reset_at() starts the next call at its own time.
  void set_call_start(Instant start) noexcept {
    call_start_ = start;
    refresh_deadline();
  }
  // Sets the caller's own deadline, an instant on the Retrier's clock (kNoDeadline: none, the default).
  // It stays through reset_at() until set again, so that a loop which starts with a reset (the C API's
  // backoff_retrier_run) keeps it; a caller reusing the Retrier sets each call's before it.
  void set_deadline_at(Instant deadline) noexcept {
    caller_deadline_ = deadline;
    refresh_deadline();
  }
  // The call's deadline: the earlier of the policy's and the caller's; kNoDeadline when neither is set.
  Instant deadline() const noexcept { return deadline_; }

  RetryOutcome outcome() const noexcept { return outcome_; }
  bool succeeded() const noexcept { return outcome_ == RetryOutcome::succeeded; }
  // Failed attempts recorded so far.
  std::uint64_t failures() const noexcept { return failures_; }
  // Attempts whose outcome is known: the failures, plus the success if there was one.
  std::uint64_t attempts() const noexcept { return failures_ + (succeeded() ? 1 : 0); }
  // The sum of the delays handed out (saturating): the time the call spent waiting.
  Duration idle() const noexcept { return idle_; }

  // Time since the window started (see above); zero if the clock went backwards.
  Duration elapsed() const { return backoff_.elapsed(); }
  Duration elapsed_at(Instant now) const noexcept { return backoff_.elapsed_at(now); }

  const Backoff& backoff() const noexcept { return backoff_; }

 private:
  Instant now() const { return backoff_.clock().now(); }
  // Each step exists with an explicit time and without one; both run the same code on a LazyNow, which
  // reads the Retrier's clock the first time somebody needs the time, if anybody does.
  RetryDecision before_attempt_impl(const LazyNow& now);
  RetryDecision decide_joined(Instant now, Duration hint, ErrorClass error_class);
  void on_permanent_failure_impl(const LazyNow& now);
  void on_success_impl(const LazyNow& now) {
    if (outcome_ != RetryOutcome::retry) return;
    outcome_ = RetryOutcome::succeeded;
    if (permit_ != 0 || budget_ != nullptr || limiter_ != nullptr || stats_ != nullptr) settle_success(now);
  }
  void settle_success(const LazyNow& now);
  void cancel_impl(const LazyNow& now);
  void record_attempt(const LazyNow& now, Outcome outcome, Duration hint);
  void give_back(const LazyNow& now);
  // Saturate rather than wrap, as every counter in the core does.
  void count_failure() noexcept {
    failures_ += failures_ != UINT64_MAX;
    if (stats_ != nullptr) note_failure();
  }
  RetryDecision end(RetryOutcome outcome, Duration delay = Duration()) noexcept {
    outcome_ = outcome;
    if (stats_ != nullptr) note_end(outcome);
    return {outcome, delay};
  }
  void refresh_deadline() noexcept {
    const std::int64_t own_ns = backoff_.policy().config().deadline_ns;
    const Instant own = own_ns == 0 ? kNoDeadline : call_start_ + Duration::from_ns(own_ns);
    deadline_ = own < caller_deadline_ ? own : caller_deadline_;
  }
  // Whether an attempt starting at `at` would start at or past the deadline.
  bool reaches_deadline(Instant at) const noexcept { return deadline_ != kNoDeadline && at >= deadline_; }
  // The retry goes ahead after `delay`, which counts as time spent waiting.
  RetryDecision wait(Duration delay) noexcept {
    idle_ += delay;
    if (stats_ != nullptr) note_wait(delay);
    return {RetryOutcome::retry, delay};
  }
  // What the attached statistics record (retry_stats.cpp), out of line: only attached ones pay for it.
  void note_failure() noexcept;
  void note_wait(Duration delay) noexcept;
  void note_end(RetryOutcome outcome) noexcept;

  Backoff backoff_;
  Breaker* breaker_ = nullptr;
  Budget* budget_ = nullptr;
  AdaptiveLimiter* limiter_ = nullptr;
  RetryStats* stats_ = nullptr;
  std::uint64_t permit_ = 0;  // the breaker's permit for the attempt in flight
  std::uint64_t ticket_ = 0;  // the budget's ticket for the retry waiting or in flight
  Instant attempt_start_;  // when the attempt in flight began, if the breaker times calls
  std::uint64_t failures_ = 0;
  Duration idle_;
  Instant call_start_;                     // the policy's deadline counts from here
  Instant caller_deadline_ = kNoDeadline;  // set_deadline_at()
  Instant deadline_ = kNoDeadline;         // the earlier of the two
  RetryOutcome outcome_ = RetryOutcome::retry;
  bool started_ = false;  // before_attempt() ran for this call's first attempt
};

// "retry", "succeeded", "exhausted", ...: the outcome's name, for messages.
const char* retry_outcome_name(RetryOutcome outcome) noexcept;

}  // namespace backoff
