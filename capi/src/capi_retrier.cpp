// The retrier handle: creation, attachments, the pull-style steps of a call and its counts.
#include <cstdio>
#include <string>

#include "capi_retrier.hpp"

using backoff::RetryOutcome;

// backoff_retrier_get_outcome() hands the core's RetryOutcome out as it is: capi_vocabulary.cpp pins the values.

namespace backoff::capi {

int reentrant_call(const char* function) noexcept {
  char message[200];
  std::snprintf(message, sizeof message,
                "%s: called from a callback of backoff_retrier_run() on the same retrier", function);
  return fail(BACKOFF_EREENTRANT, message);
}

}  // namespace backoff::capi

namespace {

// The C API's explicit-time rule: each step's two entry points differ only in where the time comes from,
// the retrier's clock (now_ns nullptr, read only if the step needs it) or the caller. Both run in
// BACKOFF_CALL_IDLE, so a throw here becomes the entry point's status.
int before_attempt(backoff_retrier* retrier, const int64_t* now_ns, int64_t* out_wait_ns) {
  backoff::Retrier& core = retrier->retrier;
  if (retrier->cancel_requested.load(std::memory_order_acquire)) {
    now_ns ? core.cancel_at(at_ns(*now_ns)) : core.cancel();
    *out_wait_ns = 0;
    return BACKOFF_ECANCELED;
  }
  const backoff::RetryDecision decision = now_ns ? core.before_attempt_at(at_ns(*now_ns)) : core.before_attempt();
  *out_wait_ns = c_ns(decision.delay);
  return decision.retrying() ? BACKOFF_OK : backoff::capi::status_of(decision.outcome);
}

// A negative hint throws in the core.
void on_failure(backoff_retrier* retrier, const int64_t* now_ns, int error_class, int64_t hint_ns,
                int64_t* out_delay_ns) {
  const backoff::ErrorClass charged = backoff::capi::error_class_from_int(error_class);
  backoff::Retrier& core = retrier->retrier;
  const backoff::RetryDecision decision = now_ns ? core.decide_retry_at(at_ns(*now_ns), for_ns(hint_ns), charged)
                                                 : core.decide_retry(for_ns(hint_ns), charged);
  *out_delay_ns = c_ns(decision.delay_or_stop());
}

// Starts a new call: the core gives back what the old one held; a cancellation asked of the old call ends
// with it.
void reset(backoff_retrier* retrier, const int64_t* now_ns) {
  now_ns ? retrier->retrier.reset_at(at_ns(*now_ns)) : retrier->retrier.reset();
  retrier->cancel_requested.store(false, std::memory_order_release);
}

}  // namespace

extern "C" {

int backoff_retrier_new(backoff_retrier** out, const backoff_policy* policy) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(policy);
  return guarded([&] { *out = new backoff_retrier(policy->policy); });
}

void backoff_retrier_free(backoff_retrier* retrier) {
  if (retrier == nullptr) return;
  guarded([&] { retrier->retrier.cancel(); });  // a failure to refund must not leak the handle
  delete retrier;
}

int backoff_retrier_set_breaker(backoff_retrier* retrier, backoff_breaker* breaker) {
  BACKOFF_CALL_IDLE(retrier, retrier->retrier.attach_breaker(breaker ? &breaker->breaker : nullptr));
}

int backoff_retrier_set_budget(backoff_retrier* retrier, backoff_budget* budget) {
  // Attach first: a ticket held from the old budget is refunded while retrier->budget keeps it alive.
  BACKOFF_CALL_IDLE(retrier, retrier->retrier.attach_budget(budget ? budget_of(budget) : nullptr);
                    retrier->budget = backoff::BudgetRef::share(budget ? budget_of(budget) : nullptr));
}

int backoff_retrier_set_limiter(backoff_retrier* retrier, backoff_limiter* limiter) {
  BACKOFF_CALL_IDLE(retrier, retrier->limiter = limiter ? limiter->limiter : nullptr;
                    retrier->retrier.attach_limiter(retrier->limiter.get()));
}

int backoff_retrier_set_clock(backoff_retrier* retrier, backoff_clock_fn clock, void* user_data) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE_IDLE(retrier);
  return guarded([&] {
    reset(retrier, nullptr);  // gives back what the call holds, at the old clock's time
    backoff::Retrier& old = retrier->retrier;
    backoff::Retrier fresh(old.backoff().policy(), backoff::Clock{clock, user_data});
    fresh.attach_breaker(old.breaker());
    fresh.attach_budget(old.budget());
    fresh.attach_limiter(old.limiter());
    fresh.attach_stats(old.stats());
    old = fresh;
  });
}

int backoff_retrier_set_sleep(backoff_retrier* retrier, backoff_sleep_fn sleep, void* user_data) {
  BACKOFF_CALL_IDLE(retrier, retrier->sleep = {sleep, user_data});
}

int backoff_retrier_set_before_sleep(backoff_retrier* retrier, backoff_before_sleep_fn hook, void* user_data) {
  BACKOFF_CALL_IDLE(retrier, retrier->before_sleep = {hook, user_data});
}

int backoff_retrier_set_on_giveup(backoff_retrier* retrier, backoff_giveup_fn hook, void* user_data) {
  BACKOFF_CALL_IDLE(retrier, retrier->on_giveup = {hook, user_data});
}

int backoff_retrier_set_on_success(backoff_retrier* retrier, backoff_success_fn hook, void* user_data) {
  BACKOFF_CALL_IDLE(retrier, retrier->on_success = {hook, user_data});
}

int backoff_retrier_reset(backoff_retrier* retrier) { BACKOFF_CALL_IDLE(retrier, reset(retrier, nullptr)); }

int backoff_retrier_reset_at(backoff_retrier* retrier, int64_t now_ns) {
  BACKOFF_CALL_IDLE(retrier, reset(retrier, &now_ns));
}

int backoff_retrier_set_deadline_at(backoff_retrier* retrier, int64_t deadline_ns) {
  BACKOFF_CALL_IDLE(retrier, retrier->retrier.set_deadline_at(at_ns(deadline_ns)));
}

int backoff_retrier_deadline(int64_t* out_ns, const backoff_retrier* retrier) {
  BACKOFF_READ(out_ns, retrier, retrier->retrier.deadline().ns());
}

int backoff_retrier_before_attempt(int64_t* out_wait_ns, backoff_retrier* retrier) {
  BACKOFF_REQUIRE(out_wait_ns);
  BACKOFF_CALL_IDLE(retrier, return before_attempt(retrier, nullptr, out_wait_ns));
}

int backoff_retrier_before_attempt_at(int64_t* out_wait_ns, backoff_retrier* retrier, int64_t now_ns) {
  BACKOFF_REQUIRE(out_wait_ns);
  BACKOFF_CALL_IDLE(retrier, return before_attempt(retrier, &now_ns, out_wait_ns));
}

int backoff_retrier_on_failure(int64_t* out_delay_ns, backoff_retrier* retrier, int error_class, int64_t hint_ns) {
  BACKOFF_REQUIRE(out_delay_ns);
  BACKOFF_CALL_IDLE(retrier, on_failure(retrier, nullptr, error_class, hint_ns, out_delay_ns));
}

int backoff_retrier_on_failure_at(int64_t* out_delay_ns, backoff_retrier* retrier, int64_t now_ns, int error_class,
                                  int64_t hint_ns) {
  BACKOFF_REQUIRE(out_delay_ns);
  BACKOFF_CALL_IDLE(retrier, on_failure(retrier, &now_ns, error_class, hint_ns, out_delay_ns));
}

int backoff_retrier_on_success(backoff_retrier* retrier) { BACKOFF_CALL_IDLE(retrier, retrier->retrier.on_success()); }

int backoff_retrier_on_success_at(backoff_retrier* retrier, int64_t now_ns) {
  BACKOFF_CALL_IDLE(retrier, retrier->retrier.on_success_at(at_ns(now_ns)));
}

int backoff_retrier_on_permanent_failure(backoff_retrier* retrier) {
  BACKOFF_CALL_IDLE(retrier, retrier->retrier.on_permanent_failure());
}

int backoff_retrier_on_permanent_failure_at(backoff_retrier* retrier, int64_t now_ns) {
  BACKOFF_CALL_IDLE(retrier, retrier->retrier.on_permanent_failure_at(at_ns(now_ns)));
}

int backoff_retrier_get_outcome(int* out, const backoff_retrier* retrier) {
  BACKOFF_READ(out, retrier, static_cast<int>(retrier->retrier.outcome()));
}

int backoff_retrier_attempts(uint64_t* out, const backoff_retrier* retrier) {
  BACKOFF_READ(out, retrier, retrier->retrier.attempts());
}

int backoff_retrier_failures(uint64_t* out, const backoff_retrier* retrier) {
  BACKOFF_READ(out, retrier, retrier->retrier.failures());
}

int backoff_retrier_idle(int64_t* out_ns, const backoff_retrier* retrier) {
  BACKOFF_READ(out_ns, retrier, c_ns(retrier->retrier.idle()));
}

int backoff_retrier_elapsed(int64_t* out_ns, const backoff_retrier* retrier) {
  BACKOFF_READ(out_ns, retrier, c_ns(retrier->retrier.elapsed()));
}

int backoff_retrier_elapsed_at(int64_t* out_ns, const backoff_retrier* retrier, int64_t now_ns) {
  BACKOFF_READ(out_ns, retrier, c_ns(retrier->retrier.elapsed_at(at_ns(now_ns))));
}

}
