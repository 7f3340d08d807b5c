// The Retrier's joined half: every step that involves the breaker or the budget, each run on a LazyNow so
// that the clock is read at most once per step, and only if one of them needs the time.
#include <string>
#include <utility>

#include "backoff/retrier.hpp"
#include "backoff/saturating.hpp"
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

RetryDecision Retrier::before_attempt() {
  LazyNow now(backoff_.clock());
  return before_attempt_impl(now);
}

RetryDecision Retrier::before_attempt_at(std::int64_t now_ns) {
  LazyNow now(now_ns);
  return before_attempt_impl(now);
}

RetryDecision Retrier::before_attempt_impl(LazyNow& now) {
  if (outcome_ != RetryOutcome::retry) {
    throw Error(Status::invalid_value, std::string("retrier: the call has ended (") + retry_outcome_name(outcome_) +
                                           "); reset it to start another");
  }
  if (breaker_ != nullptr) {
    if (permit_ != 0) breaker_->release(std::exchange(permit_, 0));  // an attempt that never reported
    const Admission admission = breaker_->acquire_impl(now);
    if (!admission.admitted()) {
      give_back(now);  // the ticket of a retry that will not run
      return end(RetryOutcome::circuit_open, admission.wait_ns);
    }
    permit_ = admission.permit;
    // Only the slow-call rule looks at how long a call took: time the attempt only for it.
    if (breaker_->config().slow_call_ns > 0) attempt_start_ns_ = now.get();
  }
  // Once per logical request, and only for one the breaker let through: Finagle deposits here.
  if (!started_ && failures_ == 0 && budget_ != nullptr) budget_->record_request_impl(now);
  started_ = true;
  return {RetryOutcome::retry, 0};
}

RetryDecision Retrier::decide_joined(std::int64_t now_ns, std::int64_t hint_ns, ErrorClass error_class) {
  if (outcome_ != RetryOutcome::retry) return {outcome_, 0};
  if (failures_ == 0 && started_) backoff_.reset_at(now_ns);  // the window starts at the first failure
  count_failure();
  LazyNow now(now_ns);
  if (permit_ != 0) record_attempt(now, Outcome::failure, hint_ns);
  // The retry that just failed spent its tokens: budgets refund only a retry that succeeds.
  if (ticket_ != 0) budget_->forfeit(std::exchange(ticket_, 0));
  if (budget_ != nullptr) budget_->record_failure();

  const std::int64_t delay_ns = backoff_.next_at(now_ns, hint_ns);
  if (delay_ns == kStop) return end(RetryOutcome::exhausted);
  if (breaker_ != nullptr) {
    // Checked before the budget, so that no tokens are taken for a retry the breaker would refuse.
    const std::int64_t cooldown_ns = breaker_->cooldown_at(now_ns);
    if (cooldown_ns > delay_ns) return end(RetryOutcome::circuit_open, cooldown_ns);
  }
  if (budget_ != nullptr) {
    ticket_ = budget_->withdraw_impl(now, error_class);
    if (ticket_ == 0) return end(RetryOutcome::budget_exhausted);
  }
  return wait(delay_ns);
}

void Retrier::on_permanent_failure() {
  LazyNow now(backoff_.clock());
  on_permanent_failure_impl(now);
}

void Retrier::on_permanent_failure_at(std::int64_t now_ns) {
  LazyNow now(now_ns);
  on_permanent_failure_impl(now);
}

void Retrier::on_permanent_failure_impl(LazyNow& now) {
  if (outcome_ != RetryOutcome::retry) return;
  count_failure();
  outcome_ = RetryOutcome::permanent;
  if (ticket_ != 0) budget_->forfeit(std::exchange(ticket_, 0));  // spent, as for any failed retry
  if (permit_ != 0) record_attempt(now, Outcome::ignored, 0);
}

void Retrier::settle_success(LazyNow& now) {
  if (permit_ != 0) record_attempt(now, Outcome::success, 0);
  // A ticket of 0 is a first attempt's success, which AWS and gRPC credit too.
  if (budget_ != nullptr) budget_->record_success_impl(now, std::exchange(ticket_, 0));
}

void Retrier::cancel() {
  LazyNow now(backoff_.clock());
  cancel_impl(now);
}

void Retrier::cancel_at(std::int64_t now_ns) {
  LazyNow now(now_ns);
  cancel_impl(now);
}

void Retrier::cancel_impl(LazyNow& now) {
  if (outcome_ != RetryOutcome::retry) return;
  outcome_ = RetryOutcome::cancelled;
  give_back(now);
}

void Retrier::reset_at(std::int64_t now_ns) {
  LazyNow now(now_ns);
  give_back(now);  // only a call still going holds anything
  backoff_.reset_at(now_ns);
  attempt_start_ns_ = 0;
  failures_ = 0;
  idle_ns_ = 0;
  outcome_ = RetryOutcome::retry;
  started_ = false;
}

void Retrier::record_attempt(LazyNow& now, Outcome outcome, std::int64_t hint_ns) {
  const std::int64_t duration_ns =
      breaker_->config().slow_call_ns > 0 ? time_between(attempt_start_ns_, now.get()) : 0;
  breaker_->record_impl(now, std::exchange(permit_, 0), outcome, duration_ns, hint_ns > 0 ? hint_ns : 0);
}

void Retrier::give_back(LazyNow& now) {
  if (permit_ != 0) breaker_->release(std::exchange(permit_, 0));
  if (ticket_ != 0) budget_->refund_impl(now, std::exchange(ticket_, 0));
}

}  // namespace backoff
