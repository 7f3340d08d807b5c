// The Retrier's joined half: every step that involves the breaker or the budget, each run on a LazyNow so
// that the clock is read at most once per step, and only if one of them needs the time.
#include <string>
#include <utility>

#include "backoff/retrier.hpp"
#include "backoff/status.hpp"

namespace backoff {

void Retrier::attach_breaker(Breaker* breaker) {
  if (permit_ != 0) breaker_->release(std::exchange(permit_, 0));
  breaker_ = breaker;
}

void Retrier::attach_budget(Budget* budget) {
  if (ticket_ != 0) budget_->refund(std::exchange(ticket_, 0));
  budget_ = budget;
}

RetryDecision Retrier::before_attempt_impl(const LazyNow& now) {
  if (outcome_ != RetryOutcome::retry) {
    throw Error(Status::invalid_value, std::string("retrier: the call has ended (") + retry_outcome_name(outcome_) +
                                           "); reset it to start another");
  }
  if (deadline_ != kNoDeadline && reaches_deadline(now.get())) {  // tested first: reads no clock without one
    give_back(now);  // the ticket of a retry that will not run
    return end(RetryOutcome::deadline_exceeded);
  }
  if (limiter_ != nullptr) {
    // After the deadline, so that a call past it takes no token; before the breaker, so that an attempt
    // told to wait holds no permit while it sleeps (a breaker refusal after the token was taken costs
    // the limiter one token).
    const Duration wait = limiter_->acquire_impl(now);
    if (wait > Duration()) {
      const bool late = reaches_deadline(now.get() + wait);  // a wait never runs past the deadline
      if (!late && !limiter_->config().fail_fast) return {RetryOutcome::retry, wait};
      give_back(now);  // the ticket of a retry that will not run
      return late ? end(RetryOutcome::deadline_exceeded) : end(RetryOutcome::budget_exhausted, wait);
    }
  }
  if (breaker_ != nullptr) {
    if (permit_ != 0) breaker_->release(std::exchange(permit_, 0));  // an attempt that never reported
    const Admission admission = breaker_->acquire_impl(now);
    if (!admission.admitted()) {
      give_back(now);  // the ticket of a retry that will not run
      return end(RetryOutcome::circuit_open, admission.wait);
    }
    permit_ = admission.permit;
    // Only the slow-call rule looks at how long a call took: time the attempt only for it.
    if (breaker_->config().slow_call_duration > Duration()) attempt_start_ = now.get();
  }
  // Once per logical request, and only for one the breaker let through: Finagle deposits here.
  if (!started_ && failures_ == 0 && budget_ != nullptr) budget_->record_request_impl(now);
  started_ = true;
  return {RetryOutcome::retry, Duration()};
}

RetryDecision Retrier::decide_joined(Instant now, Duration hint, ErrorClass error_class) {
  if (outcome_ != RetryOutcome::retry) return {outcome_, Duration()};
  if (failures_ == 0 && started_) backoff_.reset_at(now);  // the window starts at the first failure
  count_failure();
  LazyNow lazy_now(now);
  if (limiter_ != nullptr) limiter_->record_impl(lazy_now, error_class == ErrorClass::throttling);
  if (permit_ != 0) record_attempt(lazy_now, Outcome::failure, hint);
  // The retry that just failed spent its tokens: budgets refund only a retry that succeeds.
  if (ticket_ != 0) budget_->forfeit(std::exchange(ticket_, 0));
  if (budget_ != nullptr) budget_->record_failure();

  const Duration delay = backoff_.next_at(now, hint);
  if (delay == kStopDelay) return end(RetryOutcome::exhausted);
  // Before the breaker and the budget: a retry that would start past the deadline takes nothing.
  if (reaches_deadline(now + delay)) return end(RetryOutcome::deadline_exceeded);
  if (breaker_ != nullptr) {
    // Checked before the budget, so that no tokens are taken for a retry the breaker would refuse.
    const Duration cooldown = breaker_->cooldown_at(now);
    if (cooldown > delay) return end(RetryOutcome::circuit_open, cooldown);
  }
  if (budget_ != nullptr) {
    ticket_ = budget_->withdraw_impl(lazy_now, error_class);
    if (ticket_ == 0) return end(RetryOutcome::budget_exhausted);
  }
  return wait(delay);
}

void Retrier::on_permanent_failure_impl(const LazyNow& now) {
  if (outcome_ != RetryOutcome::retry) return;
  count_failure();
  outcome_ = RetryOutcome::permanent;
  if (limiter_ != nullptr) limiter_->record_impl(now, false);  // a response, and not a throttle
  if (stats_ != nullptr) note_end(RetryOutcome::permanent);
  if (ticket_ != 0) budget_->forfeit(std::exchange(ticket_, 0));  // spent, as for any failed retry
  if (permit_ != 0) record_attempt(now, Outcome::ignored, Duration());
}

void Retrier::settle_success(const LazyNow& now) {
  if (limiter_ != nullptr) limiter_->record_impl(now, false);
  if (stats_ != nullptr) note_end(RetryOutcome::succeeded);
  if (permit_ != 0) record_attempt(now, Outcome::success, Duration());
  // A ticket of 0 is a first attempt's success, which AWS and gRPC credit too.
  if (budget_ != nullptr) budget_->record_success_impl(now, std::exchange(ticket_, 0));
}

void Retrier::cancel_impl(const LazyNow& now) {
  if (outcome_ != RetryOutcome::retry) return;
  outcome_ = RetryOutcome::cancelled;
  if (stats_ != nullptr) note_end(RetryOutcome::cancelled);
  give_back(now);
}

void Retrier::reset_at(Instant now) {
  LazyNow lazy_now(now);
  give_back(lazy_now);  // only a call still going holds anything
  backoff_.reset_at(now);
  set_call_start(now);
  attempt_start_ = Instant();
  failures_ = 0;
  idle_ = Duration();
  outcome_ = RetryOutcome::retry;
  started_ = false;
}

void Retrier::record_attempt(const LazyNow& now, Outcome outcome, Duration hint) {
  // A clock that went backwards measured nothing: zero, "not measured, never slow".
  const Duration took = breaker_->config().slow_call_duration > Duration() ? non_negative(now.get() - attempt_start_) : Duration();
  breaker_->record_impl(now, std::exchange(permit_, 0), outcome, took, non_negative(hint));
}

void Retrier::give_back(const LazyNow& now) {
  if (permit_ != 0) breaker_->release(std::exchange(permit_, 0));
  if (ticket_ != 0) budget_->refund_impl(now, std::exchange(ticket_, 0));
}

}  // namespace backoff
