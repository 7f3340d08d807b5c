/* capi_retry_fixtures.h - what the retrier's C tests share: simulated time (a clock and a sleep that moves
 * it), breakers and budgets on that clock, and retriers built from policy text. */
#ifndef CAPI_RETRY_FIXTURES_H
#define CAPI_RETRY_FIXTURES_H

#include "capi_check.h"
#include "capi_fixtures.h"

enum { max_recorded_sleeps = 16 };

/* Time that passes only when a sleep or an attempt says so. */
typedef struct sim_time {
  int64_t now_ns;
  int sleeps;
  int64_t slept_ns[max_recorded_sleeps];
  int sleep_result; /* what each sleep returns: nonzero cancels the call */
} sim_time;

static inline int64_t sim_clock(void *user_data) { return ((const sim_time *)user_data)->now_ns; }

static inline int sim_sleep(int64_t delay_ns, void *user_data) {
  sim_time *time = (sim_time *)user_data;
  if (time->sleeps < max_recorded_sleeps) time->slept_ns[time->sleeps] = delay_ns;
  ++time->sleeps;
  time->now_ns += delay_ns;
  return time->sleep_result;
}

/* A consecutive-failures breaker on `time`. */
static inline backoff_breaker *sim_breaker(int64_t threshold, int64_t open_ns, sim_time *time) {
  backoff_breaker_config *config = NULL;
  backoff_breaker *breaker = NULL;
  CHECK_STATUS(backoff_breaker_config_new(&config), BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_FAILURE_THRESHOLD, threshold),
                                              BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_OPEN_DURATION_NS, open_ns), BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_new_with_clock(&breaker, config, sim_clock, time), BACKOFF_OK);
  backoff_breaker_config_free(config);
  return breaker;
}

/* An AWS budget of `capacity` tokens on `time` (if not NULL), every retry costing 5 (timeouts 10, if they
 * fit). */
static inline backoff_budget *sim_budget(double capacity, sim_time *time) {
  backoff_budget_config *config = NULL;
  backoff_budget *budget = NULL;
  CHECK_STATUS(backoff_budget_config_new(&config), BACKOFF_OK);
  CHECK_STATUS(backoff_budget_config_set_f64(config, BACKOFF_BUDGET_PARAM_CAPACITY, capacity), BACKOFF_OK);
  if (capacity < 10) {
    CHECK_STATUS(backoff_budget_config_set_f64(config, BACKOFF_BUDGET_PARAM_TIMEOUT_COST, capacity), BACKOFF_OK);
  }
  CHECK_STATUS(time != NULL ? backoff_budget_new_with_clock(&budget, config, sim_clock, time)
                            : backoff_budget_new(&budget, config),
               BACKOFF_OK);
  backoff_budget_config_free(config);
  return budget;
}

static inline int64_t balance_milli(backoff_budget *budget) {
  int64_t milli = -1;
  CHECK_STATUS(backoff_budget_balance(&milli, budget), BACKOFF_OK);
  return milli;
}

/* A retrier for the policy `settings` describe, on `time`'s clock and sleep (if `time` is not NULL). */
static inline backoff_retrier *sim_retrier(const char *settings, sim_time *time) {
  backoff_policy *policy = policy_from_text(settings);
  backoff_retrier *retrier = NULL;
  CHECK(policy != NULL);
  CHECK_STATUS(backoff_retrier_new(&retrier, policy), BACKOFF_OK);
  backoff_policy_free(policy);
  if (retrier != NULL && time != NULL) {
    CHECK_STATUS(backoff_retrier_set_clock(retrier, sim_clock, time), BACKOFF_OK);
    CHECK_STATUS(backoff_retrier_set_sleep(retrier, sim_sleep, time), BACKOFF_OK);
  }
  return retrier;
}

/* sim_retrier() that spends retries from `budget`. */
static inline backoff_retrier *sim_retrier_spending(const char *settings, backoff_budget *budget, sim_time *time) {
  backoff_retrier *retrier = sim_retrier(settings, time);
  CHECK_STATUS(backoff_retrier_set_budget(retrier, budget), BACKOFF_OK);
  return retrier;
}

/* sim_retrier() whose attempts `breaker` admits and counts. */
static inline backoff_retrier *sim_retrier_behind(const char *settings, backoff_breaker *breaker, sim_time *time) {
  backoff_retrier *retrier = sim_retrier(settings, time);
  CHECK_STATUS(backoff_retrier_set_breaker(retrier, breaker), BACKOFF_OK);
  return retrier;
}

static inline int retrier_outcome(const backoff_retrier *retrier) {
  int outcome = -1;
  CHECK_STATUS(backoff_retrier_get_outcome(&outcome, retrier), BACKOFF_OK);
  return outcome;
}

static inline uint64_t retrier_attempts(const backoff_retrier *retrier) {
  uint64_t attempts = 0;
  CHECK_STATUS(backoff_retrier_attempts(&attempts, retrier), BACKOFF_OK);
  return attempts;
}

static inline uint64_t breaker_count(const backoff_breaker *breaker, int which) {
  uint64_t count = 0;
  CHECK_STATUS(backoff_breaker_get_count(&count, breaker, which), BACKOFF_OK);
  return count;
}

/* One second between attempts, no jitter, so every delay is known exactly. */
#define EVERY_SECOND "kind=constant,initial=1s,jitter=none"

/* A call on simulated time, one second between attempts, that spends its retries from its own budget of
 * `capacity` tokens (sim_budget). Started in place: the budget and the retrier keep time's address. */
typedef struct {
  sim_time time;
  backoff_budget *budget;
  backoff_retrier *retrier;
} budgeted_call;

static inline void budgeted_call_start(budgeted_call *call, double capacity) {
  const sim_time start = {0, 0, {0}, 0};
  call->time = start;
  call->budget = sim_budget(capacity, &call->time);
  call->retrier = sim_retrier_spending(EVERY_SECOND, call->budget, &call->time);
}

static inline void budgeted_call_free(budgeted_call *call) {
  backoff_retrier_free(call->retrier);
  backoff_budget_free(call->budget);
}

#endif /* CAPI_RETRY_FIXTURES_H */
