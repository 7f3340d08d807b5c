// The retrier handle: creation, attachments, the pull-style steps of a call and its counts.
#include <cstdio>
#include <string>

#include "capi_retrier.hpp"

using backoff::RetryOutcome;
using backoff::capi::at_ns;
using backoff::capi::c_ns;
using backoff::capi::for_ns;
using backoff::capi::guarded;

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

// The two forms of each step differ only in where the time comes from: the retrier's clock, read only if
// the step needs it, or the caller.
int before_attempt(backoff_retrier* retrier, const int64_t* now_ns, int64_t* out_wait_ns) {
  int status = BACKOFF_OK;
  const int failed = guarded([&] {
    backoff::Retrier& core = retrier->retrier;
    if (retrier->cancel_requested.load(std::memory_order_acquire)) {
      now_ns ? core.cancel_at(at_ns(*now_ns)) : core.cancel();
      *out_wait_ns = 0;
      status = BACKOFF_ECANCELED;
      return;
    }
    const backoff::RetryDecision decision = now_ns ? core.before_attempt_at(at_ns(*now_ns)) : core.before_attempt();
    *out_wait_ns = decision.retrying() ? 0 : c_ns(decision.delay);
    status = decision.retrying() ? BACKOFF_OK : BACKOFF_EOPEN;
  });
  return failed != BACKOFF_OK ? failed : status;
}

int on_failure(backoff_retrier* retrier, const int64_t* now_ns, int error_class, int64_t hint_ns,
               int64_t* out_delay_ns) {
  return guarded([&] {  // a negative hint throws in the core
    const backoff::ErrorClass charged = backoff::capi::error_class_from_int(error_class);
    backoff::Retrier& core = retrier->retrier;
    const backoff::RetryDecision decision =
        now_ns ? core.decide_retry_at(at_ns(*now_ns), for_ns(hint_ns), charged)
               : core.decide_retry(for_ns(hint_ns), charged);
    *out_delay_ns = c_ns(decision.delay_or_stop());
  });
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
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE_IDLE(retrier);
  return guarded([&] { retrier->retrier.attach_breaker(breaker ? &breaker->breaker : nullptr); });
}

int backoff_retrier_set_budget(backoff_retrier* retrier, backoff_budget* budget) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE_IDLE(retrier);
  return guarded([&] {
    // Attach first: a ticket held from the old budget is refunded while retrier->budget keeps it alive.
    retrier->retrier.attach_budget(budget ? budget->budget.get() : nullptr);
    retrier->budget = budget ? budget->budget : nullptr;
  });
}

int backoff_retrier_set_clock(backoff_retrier* retrier, backoff_clock_fn clock, void* user_data) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE_IDLE(retrier);
  return guarded([&] {
    backoff::Retrier& old = retrier->retrier;
    old.reset();  // gives back what the call holds, at the old clock's time
    backoff::Retrier fresh(old.backoff().policy(), backoff::Clock{clock, user_data});
    fresh.attach_breaker(old.breaker());
    fresh.attach_budget(old.budget());
    old = fresh;
    retrier->cancel_requested.store(false, std::memory_order_release);
  });
}

int backoff_retrier_set_sleep(backoff_retrier* retrier, backoff_sleep_fn sleep, void* user_data) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE_IDLE(retrier);
  retrier->sleep = {sleep, user_data};
  return BACKOFF_OK;
}

int backoff_retrier_set_before_sleep(backoff_retrier* retrier, backoff_before_sleep_fn hook, void* user_data) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE_IDLE(retrier);
  retrier->before_sleep = {hook, user_data};
  return BACKOFF_OK;
}

int backoff_retrier_set_on_giveup(backoff_retrier* retrier, backoff_giveup_fn hook, void* user_data) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE_IDLE(retrier);
  retrier->on_giveup = {hook, user_data};
  return BACKOFF_OK;
}

int backoff_retrier_set_on_success(backoff_retrier* retrier, backoff_success_fn hook, void* user_data) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE_IDLE(retrier);
  retrier->on_success = {hook, user_data};
  return BACKOFF_OK;
}

int backoff_retrier_reset(backoff_retrier* retrier) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE_IDLE(retrier);
  return guarded([&] {
    retrier->retrier.reset();
    retrier->cancel_requested.store(false, std::memory_order_release);
  });
}

int backoff_retrier_reset_at(backoff_retrier* retrier, int64_t now_ns) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE_IDLE(retrier);
  return guarded([&] {
    retrier->retrier.reset_at(at_ns(now_ns));
    retrier->cancel_requested.store(false, std::memory_order_release);
  });
}

int backoff_retrier_before_attempt(int64_t* out_wait_ns, backoff_retrier* retrier) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE(out_wait_ns);
  BACKOFF_REQUIRE_IDLE(retrier);
  return before_attempt(retrier, nullptr, out_wait_ns);
}

int backoff_retrier_before_attempt_at(int64_t* out_wait_ns, backoff_retrier* retrier, int64_t now_ns) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE(out_wait_ns);
  BACKOFF_REQUIRE_IDLE(retrier);
  return before_attempt(retrier, &now_ns, out_wait_ns);
}

int backoff_retrier_on_failure(int64_t* out_delay_ns, backoff_retrier* retrier, int error_class, int64_t hint_ns) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE(out_delay_ns);
  BACKOFF_REQUIRE_IDLE(retrier);
  return on_failure(retrier, nullptr, error_class, hint_ns, out_delay_ns);
}

int backoff_retrier_on_failure_at(int64_t* out_delay_ns, backoff_retrier* retrier, int64_t now_ns, int error_class,
                                  int64_t hint_ns) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE(out_delay_ns);
  BACKOFF_REQUIRE_IDLE(retrier);
  return on_failure(retrier, &now_ns, error_class, hint_ns, out_delay_ns);
}

int backoff_retrier_on_success(backoff_retrier* retrier) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE_IDLE(retrier);
  return guarded([&] { retrier->retrier.on_success(); });
}

int backoff_retrier_on_success_at(backoff_retrier* retrier, int64_t now_ns) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE_IDLE(retrier);
  return guarded([&] { retrier->retrier.on_success_at(at_ns(now_ns)); });
}

int backoff_retrier_on_permanent_failure(backoff_retrier* retrier) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE_IDLE(retrier);
  return guarded([&] { retrier->retrier.on_permanent_failure(); });
}

int backoff_retrier_on_permanent_failure_at(backoff_retrier* retrier, int64_t now_ns) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE_IDLE(retrier);
  return guarded([&] { retrier->retrier.on_permanent_failure_at(at_ns(now_ns)); });
}

int backoff_retrier_get_outcome(int* out, const backoff_retrier* retrier) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE(out);
  *out = static_cast<int>(retrier->retrier.outcome());
  return BACKOFF_OK;
}

int backoff_retrier_attempts(uint64_t* out, const backoff_retrier* retrier) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE(out);
  *out = retrier->retrier.attempts();
  return BACKOFF_OK;
}

int backoff_retrier_failures(uint64_t* out, const backoff_retrier* retrier) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE(out);
  *out = retrier->retrier.failures();
  return BACKOFF_OK;
}

int backoff_retrier_idle(int64_t* out_ns, const backoff_retrier* retrier) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE(out_ns);
  *out_ns = c_ns(retrier->retrier.idle());
  return BACKOFF_OK;
}

int backoff_retrier_elapsed(int64_t* out_ns, const backoff_retrier* retrier) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE(out_ns);
  return guarded([&] { *out_ns = c_ns(retrier->retrier.elapsed()); });
}

int backoff_retrier_elapsed_at(int64_t* out_ns, const backoff_retrier* retrier, int64_t now_ns) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE(out_ns);
  *out_ns = c_ns(retrier->retrier.elapsed_at(at_ns(now_ns)));
  return BACKOFF_OK;
}

}
