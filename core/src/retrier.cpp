#include "backoff/retrier.hpp"

#include <string>
#include <utility>

#include "backoff/saturating.hpp"
#include "backoff/status.hpp"

namespace backoff {

const char* retry_outcome_name(RetryOutcome outcome) noexcept {
  switch (outcome) {
    case RetryOutcome::retry: return "retry";
    case RetryOutcome::succeeded: return "succeeded";
    case RetryOutcome::exhausted: return "exhausted";
    case RetryOutcome::permanent: return "permanent";
    case RetryOutcome::budget_exhausted: return "budget_exhausted";
    case RetryOutcome::circuit_open: return "circuit_open";
    case RetryOutcome::cancelled: return "cancelled";
  }
  return "unknown";
}

void Retrier::attach_breaker(Breaker* breaker) {
  if (permit_ != 0) breaker_->release(std::exchange(permit_, 0));
  breaker_ = breaker;
}

void Retrier::attach_budget(Budget* budget) {
  if (ticket_ != 0) budget_->refund(std::exchange(ticket_, 0));
  budget_ = budget;
}

RetryDecision Retrier::before_attempt_at(std::int64_t now_ns) {
  if (outcome_ != RetryOutcome::retry) {
    throw Error(Status::invalid_value, std::string("retrier: the call has ended (") + retry_outcome_name(outcome_) +
                                           "); reset it to start another");
  }
  if (breaker_ != nullptr) {
    if (permit_ != 0) breaker_->release(std::exchange(permit_, 0));  // an attempt that never reported
    const Admission admission = breaker_->acquire_at(now_ns);
    if (!admission.admitted()) {
      give_back(now_ns);  // the ticket of a retry that will not run
      return end(RetryOutcome::circuit_open, admission.wait_ns);
    }
    permit_ = admission.permit;
  }
  // Once per logical request, and only for one the breaker let through: Finagle deposits here.
  if (!started_ && failures_ == 0 && budget_ != nullptr) budget_->record_request_at(now_ns);
  started_ = true;
  attempt_start_ns_ = now_ns;
  return {RetryOutcome::retry, 0};
}

RetryDecision Retrier::decide_retry_at(std::int64_t now_ns, std::int64_t hint_ns, ErrorClass error_class) {
  if (outcome_ != RetryOutcome::retry) return {outcome_, 0};
  if (failures_ == 0 && started_) backoff_.reset_at(now_ns);  // the window starts at the first failure
  count_failure();
  if (permit_ != 0) record_attempt(now_ns, Outcome::failure, hint_ns);
  ticket_ = 0;  // the retry that just failed spent its tokens: budgets refund only a retry that succeeds
  if (budget_ != nullptr) budget_->record_failure();

  const std::int64_t delay_ns = backoff_.next_at(now_ns, hint_ns);
  if (delay_ns == kStop) return end(RetryOutcome::exhausted);
  if (breaker_ != nullptr) {
    // Checked before the budget, so that no tokens are taken for a retry the breaker would refuse.
    const std::int64_t cooldown_ns = breaker_->cooldown_at(now_ns);
    if (cooldown_ns > delay_ns) return end(RetryOutcome::circuit_open, cooldown_ns);
  }
  if (budget_ != nullptr) {
    ticket_ = budget_->withdraw_at(now_ns, error_class);
    if (ticket_ == 0) return end(RetryOutcome::budget_exhausted);
  }
  idle_ns_ = saturating_add(idle_ns_, delay_ns);
  return {RetryOutcome::retry, delay_ns};
}

void Retrier::on_permanent_failure_at(std::int64_t now_ns) {
  if (outcome_ != RetryOutcome::retry) return;
  count_failure();
  outcome_ = RetryOutcome::permanent;
  ticket_ = 0;  // spent, as for any failed retry
  if (permit_ != 0) record_attempt(now_ns, Outcome::ignored, 0);
}

void Retrier::settle_success(std::int64_t now_ns) {
  if (permit_ != 0) record_attempt(now_ns, Outcome::success, 0);
  // A ticket of 0 is a first attempt's success, which AWS and gRPC credit too.
  if (budget_ != nullptr) budget_->record_success_at(now_ns, std::exchange(ticket_, 0));
}

void Retrier::cancel_at(std::int64_t now_ns) {
  if (outcome_ != RetryOutcome::retry) return;
  outcome_ = RetryOutcome::cancelled;
  give_back(now_ns);
}

void Retrier::reset_at(std::int64_t now_ns) {
  give_back(now_ns);  // only a call still going holds anything
  backoff_.reset_at(now_ns);
  attempt_start_ns_ = 0;
  failures_ = 0;
  idle_ns_ = 0;
  outcome_ = RetryOutcome::retry;
  started_ = false;
}

void Retrier::record_attempt(std::int64_t now_ns, Outcome outcome, std::int64_t hint_ns) {
  // The duration feeds the breaker's slow-call rule.
  breaker_->record_at(now_ns, std::exchange(permit_, 0), outcome, time_between(attempt_start_ns_, now_ns),
                      hint_ns > 0 ? hint_ns : 0);
}

void Retrier::give_back(std::int64_t now_ns) {
  if (permit_ != 0) breaker_->release(std::exchange(permit_, 0));
  if (ticket_ != 0) budget_->refund_at(now_ns, std::exchange(ticket_, 0));
}

}  // namespace backoff
