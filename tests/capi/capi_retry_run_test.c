/* backoff_retrier_run() and backoff_retry(): the whole loop with a scripted operation on simulated time,
 * its hooks, a breaker that opens mid-call, a budget that runs dry, re-entry from callbacks, and one short
 * real-time test of cancellation from another thread. Compiled as C99. */
#define _POSIX_C_SOURCE 200809L /* pthreads and nanosleep under -std=c99 */

#define BACKOFF_EXPERIMENTAL /* also tests the experimental tier of backoff.h */
#include <pthread.h>
#include <time.h>

#include "capi_retry_fixtures.h"

enum { max_script = 8 };

/* An operation that returns the next result of its script (then SUCCESS), with the hint beside it, and
 * takes `attempt_ns` of simulated time. */
typedef struct script {
  int results[max_script];
  int64_t hints_ns[max_script];
  int length;
  int calls;
  sim_time *time;
  int64_t attempt_ns;
} script;

static int scripted_op(int64_t *out_hint_ns, void *user_data) {
  script *s = (script *)user_data;
  const int call = s->calls++;
  CHECK_I64(*out_hint_ns, 0);
  if (s->time != NULL) s->time->now_ns += s->attempt_ns;
  if (call >= s->length) return BACKOFF_ATTEMPT_SUCCESS;
  *out_hint_ns = s->hints_ns[call];
  return s->results[call];
}

/* What the hooks saw. */
typedef struct seen {
  int giveups, giveup_status, successes, before_sleeps, cancel_in_before_sleep;
  uint64_t giveup_attempts, success_attempts, last_failures;
  int64_t last_delay_ns;
} seen;

static int record_giveup(int status, uint64_t attempts, void *user_data) {
  seen *s = (seen *)user_data;
  ++s->giveups;
  s->giveup_status = status;
  s->giveup_attempts = attempts;
  return 0;
}

static int record_success(uint64_t attempts, void *user_data) {
  seen *s = (seen *)user_data;
  ++s->successes;
  s->success_attempts = attempts;
  return 0;
}

static int record_before_sleep(uint64_t failures, int64_t delay_ns, void *user_data) {
  seen *s = (seen *)user_data;
  ++s->before_sleeps;
  s->last_failures = failures;
  s->last_delay_ns = delay_ns;
  return s->cancel_in_before_sleep;
}

/* sim_retrier() whose hooks record into `hooks`. */
static backoff_retrier *watched_retrier(const char *settings, sim_time *time, seen *hooks) {
  backoff_retrier *retrier = sim_retrier(settings, time);
  CHECK_STATUS(backoff_retrier_set_on_giveup(retrier, record_giveup, hooks), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_set_on_success(retrier, record_success, hooks), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_set_before_sleep(retrier, record_before_sleep, hooks), BACKOFF_OK);
  return retrier;
}

static void run_rejects_null_arguments(void) {
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, NULL);
  backoff_policy *policy = policy_from_text(EVERY_SECOND);
  script s = {{0}, {0}, 0, 0, NULL, 0};
  int op_status = 99;
  CHECK_ERROR(backoff_retrier_run(&op_status, NULL, scripted_op, &s), BACKOFF_ENULL, "retrier");
  CHECK_ERROR(backoff_retrier_run(&op_status, retrier, NULL, &s), BACKOFF_ENULL, "op");
  CHECK_ERROR(backoff_retrier_run(NULL, retrier, scripted_op, &s), BACKOFF_ENULL, "out_op_status");
  CHECK_ERROR(backoff_retry(&op_status, NULL, scripted_op, &s), BACKOFF_ENULL, "policy");
  CHECK_STATUS(backoff_retry(&op_status, policy, NULL, &s), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retry(NULL, policy, scripted_op, &s), BACKOFF_ENULL);
  CHECK_I64(s.calls, 0);
  CHECK_I64(op_status, 99);
  backoff_policy_free(policy);
  backoff_retrier_free(retrier);
}

static void run_retries_until_the_operation_succeeds(void) {
  sim_time time = {0, 0, {0}, 0};
  seen hooks = {0};
  backoff_retrier *retrier = watched_retrier(EVERY_SECOND, &time, &hooks);
  script s = {{BACKOFF_ATTEMPT_RETRYABLE, BACKOFF_ATTEMPT_TIMEOUT}, {0, 2500 * BACKOFF_MILLISECOND}, 2, 0, &time, 0};
  int op_status = -99;
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, scripted_op, &s), BACKOFF_OK);
  CHECK_I64(op_status, BACKOFF_ATTEMPT_SUCCESS);
  CHECK_I64(s.calls, 3);
  CHECK_I64(time.sleeps, 2);
  CHECK_I64(time.slept_ns[0], BACKOFF_SECOND);
  CHECK_I64(time.slept_ns[1], 2500 * BACKOFF_MILLISECOND); /* the hint */
  CHECK_I64(hooks.before_sleeps, 2);
  CHECK_U64(hooks.last_failures, 2);
  CHECK_I64(hooks.last_delay_ns, 2500 * BACKOFF_MILLISECOND);
  CHECK_I64(hooks.successes, 1);
  CHECK_U64(hooks.success_attempts, 3);
  CHECK_I64(hooks.giveups, 0);
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_SUCCEEDED);
  backoff_retrier_free(retrier);
}

static void run_gives_up_at_max_attempts_with_its_own_status(void) {
  sim_time time = {0, 0, {0}, 0};
  seen hooks = {0};
  backoff_retrier *retrier = watched_retrier(EVERY_SECOND ",max_attempts=3", &time, &hooks);
  script s = {{1, 1, 1, 1}, {0}, 4, 0, &time, 0};
  int op_status = -99;
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, scripted_op, &s), BACKOFF_EGAVEUP);
  CHECK_I64(op_status, BACKOFF_ATTEMPT_RETRYABLE);
  CHECK_I64(s.calls, 3);
  CHECK_I64(time.sleeps, 2);
  CHECK_I64(hooks.giveups, 1);
  CHECK_I64(hooks.giveup_status, BACKOFF_EGAVEUP);
  CHECK_U64(hooks.giveup_attempts, 3);
  CHECK_I64(hooks.successes, 0);
  CHECK(strcmp(backoff_strerror(BACKOFF_EGAVEUP), "retries exhausted") == 0);
  backoff_retrier_free(retrier);
}

static void run_stops_at_a_permanent_failure(void) {
  sim_time time = {0, 0, {0}, 0};
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, &time);
  script s = {{BACKOFF_ATTEMPT_RETRYABLE, BACKOFF_ATTEMPT_PERMANENT}, {0}, 2, 0, &time, 0};
  int op_status = -99;
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, scripted_op, &s), BACKOFF_EPERMANENT);
  CHECK_I64(op_status, BACKOFF_ATTEMPT_PERMANENT);
  CHECK_I64(time.sleeps, 1);
  CHECK_U64(retrier_attempts(retrier), 2);
  backoff_retrier_free(retrier);
}

static void each_run_starts_a_new_call(void) {
  sim_time time = {0, 0, {0}, 0};
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND ",max_attempts=2", &time);
  script first = {{1, 1}, {0}, 2, 0, &time, 0};
  script second = {{1}, {0}, 1, 0, &time, 0};
  int op_status = 0;
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, scripted_op, &first), BACKOFF_EGAVEUP);
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, scripted_op, &second), BACKOFF_OK);
  CHECK_U64(retrier_attempts(retrier), 2);
  backoff_retrier_free(retrier);
}

static void a_breaker_opening_mid_call_ends_it_and_refuses_the_next_call(void) {
  sim_time time = {0, 0, {0}, 0};
  backoff_breaker *breaker = sim_breaker(2, 30 * BACKOFF_SECOND, &time);
  seen hooks = {0};
  backoff_retrier *retrier = watched_retrier(EVERY_SECOND, &time, &hooks);
  script s = {{1, 1, 1, 1}, {0}, 4, 0, &time, 0};
  script healthy = {{0}, {0}, 0, 0, &time, 0};
  int op_status = 0, state = -1;
  CHECK_STATUS(backoff_retrier_set_breaker(retrier, breaker), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, scripted_op, &s), BACKOFF_EOPEN);
  CHECK_I64(op_status, BACKOFF_ATTEMPT_RETRYABLE);
  CHECK_I64(s.calls, 2);
  CHECK_I64(time.sleeps, 1); /* no sleep before a retry the breaker would refuse */
  CHECK_I64(hooks.giveup_status, BACKOFF_EOPEN);
  CHECK_STATUS(backoff_breaker_get_state(&state, breaker), BACKOFF_OK);
  CHECK_I64(state, BACKOFF_BREAKER_OPEN);

  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, scripted_op, &s), BACKOFF_EOPEN);
  CHECK_I64(op_status, BACKOFF_ATTEMPT_NONE); /* refused before op ran */
  CHECK_I64(s.calls, 2);
  CHECK_U64(breaker_count(breaker, BACKOFF_BREAKER_COUNT_REJECTED), 1);

  time.now_ns += 30 * BACKOFF_SECOND; /* the cooldown passes: the next call is the half-open probe */
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, scripted_op, &healthy), BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_get_state(&state, breaker), BACKOFF_OK);
  CHECK_I64(state, BACKOFF_BREAKER_CLOSED);
  backoff_retrier_free(retrier);
  backoff_breaker_free(breaker);
}

static void a_budget_running_dry_ends_the_call_as_budget_exhausted(void) {
  budgeted_call call;
  script s = {{BACKOFF_ATTEMPT_TIMEOUT, BACKOFF_ATTEMPT_RETRYABLE, BACKOFF_ATTEMPT_RETRYABLE}, {0}, 3, 0, &call.time, 0};
  int op_status = 0;
  budgeted_call_start(&call, 12);
  CHECK_STATUS(backoff_retrier_run(&op_status, call.retrier, scripted_op, &s), BACKOFF_EBUDGET);
  CHECK_I64(op_status, BACKOFF_ATTEMPT_RETRYABLE);
  CHECK_I64(s.calls, 2); /* 12 tokens: 10 for the timeout's retry, and 2 left are not the 5 of the next */
  CHECK_I64(balance_milli(call.budget), 2000);
  budgeted_call_free(&call);
}

static void a_hook_or_a_sleep_that_says_stop_cancels_and_refunds(void) {
  sim_time time = {0, 0, {0}, 0};
  backoff_budget *budget = sim_budget(500, &time);
  seen hooks = {0};
  backoff_retrier *retrier = watched_retrier(EVERY_SECOND, &time, &hooks);
  script s = {{1, 1}, {0}, 2, 0, &time, 0};
  int op_status = 0;
  hooks.cancel_in_before_sleep = 1;
  CHECK_STATUS(backoff_retrier_set_budget(retrier, budget), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, scripted_op, &s), BACKOFF_ECANCELED);
  CHECK_I64(time.sleeps, 0);
  CHECK_I64(hooks.giveup_status, BACKOFF_ECANCELED);
  CHECK_I64(balance_milli(budget), 500000);

  hooks.cancel_in_before_sleep = 0;
  time.sleep_result = 1;
  s.calls = 0;
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, scripted_op, &s), BACKOFF_ECANCELED);
  CHECK_I64(time.sleeps, 1);
  CHECK_I64(balance_milli(budget), 500000);
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_CANCELLED);
  backoff_retrier_free(retrier);
  backoff_budget_free(budget);
}

static void an_operation_breaking_its_contract_is_an_error_not_an_outcome(void) {
  sim_time time = {0, 0, {0}, 0};
  seen hooks = {0};
  backoff_retrier *retrier = watched_retrier(EVERY_SECOND, &time, &hooks);
  script unknown = {{7}, {0}, 1, 0, &time, 0};
  script negative = {{BACKOFF_ATTEMPT_THROTTLED}, {-5}, 1, 0, &time, 0};
  int op_status = 0;
  CHECK_ERROR(backoff_retrier_run(&op_status, retrier, scripted_op, &unknown), BACKOFF_EUNKNOWN, "op");
  CHECK_MESSAGE_NAMES("7");
  CHECK_I64(op_status, 7);
  CHECK_ERROR(backoff_retrier_run(&op_status, retrier, scripted_op, &negative), BACKOFF_EINVAL, "-5");
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_PERMANENT);
  CHECK_I64(hooks.giveups + hooks.successes, 0);
  CHECK_I64(time.sleeps, 0);
  backoff_retrier_free(retrier);
}

/* An operation that calls back into the retrier running it. */
typedef struct reentry {
  backoff_retrier *retrier;
  int run_status, set_status, step_status, reset_status, outcome_status;
  uint64_t failures_seen;
  int calls;
} reentry;

static int reentrant_op(int64_t *out_hint_ns, void *user_data) {
  reentry *r = (reentry *)user_data;
  int64_t delay_ns = 0;
  int outcome = 0;
  (void)out_hint_ns;
  if (r->calls++ == 0) return BACKOFF_ATTEMPT_RETRYABLE;
  r->run_status = backoff_retrier_run(&outcome, r->retrier, reentrant_op, r);
  r->set_status = backoff_retrier_set_sleep(r->retrier, NULL, NULL);
  r->step_status = backoff_retrier_on_failure(&delay_ns, r->retrier, BACKOFF_ERROR_ORDINARY, 0);
  r->reset_status = backoff_retrier_reset(r->retrier);
  r->outcome_status = backoff_retrier_get_outcome(&outcome, r->retrier);
  backoff_retrier_failures(&r->failures_seen, r->retrier);
  CHECK_STATUS(backoff_retrier_cancel(r->retrier), BACKOFF_OK);
  return BACKOFF_ATTEMPT_RETRYABLE;
}

static void callbacks_calling_back_in_get_ereentrant_but_may_read_and_cancel(void) {
  sim_time time = {0, 0, {0}, 0};
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, &time);
  reentry r = {NULL, 0, 0, 0, 0, -1, 0, 0};
  int op_status = 0;
  r.retrier = retrier;
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, reentrant_op, &r), BACKOFF_ECANCELED);
  CHECK_I64(r.run_status, BACKOFF_EREENTRANT);
  CHECK_I64(r.set_status, BACKOFF_EREENTRANT);
  CHECK_I64(r.step_status, BACKOFF_EREENTRANT);
  CHECK_I64(r.reset_status, BACKOFF_EREENTRANT);
  CHECK_MESSAGE_NAMES("backoff_retrier_reset");
  CHECK_I64(r.outcome_status, BACKOFF_OK);
  CHECK_U64(r.failures_seen, 1);
  CHECK_I64(r.calls, 2); /* the cancellation came before a third attempt */
  CHECK_STATUS(backoff_retrier_reset(retrier), BACKOFF_OK); /* allowed again once run has returned */
  backoff_retrier_free(retrier);
}

static void a_cancellation_before_the_call_is_not_lost(void) {
  sim_time time = {0, 0, {0}, 0};
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, &time);
  script s = {{0}, {0}, 0, 0, &time, 0};
  int op_status = 0;
  CHECK_STATUS(backoff_retrier_cancel(retrier), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, scripted_op, &s), BACKOFF_ECANCELED);
  CHECK_I64(op_status, BACKOFF_ATTEMPT_NONE);
  CHECK_I64(s.calls, 0);
  CHECK_STATUS(backoff_retrier_reset(retrier), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, scripted_op, &s), BACKOFF_OK);
  backoff_retrier_free(retrier);
}

static void backoff_retry_runs_a_call_with_the_defaults(void) {
  backoff_policy *policy = policy_from_text("kind=constant,initial=0,jitter=none,max_attempts=3");
  script s = {{1, BACKOFF_ATTEMPT_THROTTLED}, {0}, 2, 0, NULL, 0};
  script failing = {{1, 1, 1}, {0}, 3, 0, NULL, 0};
  int op_status = 0;
  CHECK_STATUS(backoff_retry(&op_status, policy, scripted_op, &s), BACKOFF_OK);
  CHECK_I64(s.calls, 3);
  CHECK_STATUS(backoff_retry(&op_status, policy, scripted_op, &failing), BACKOFF_EGAVEUP);
  CHECK_I64(failing.calls, 3);
  backoff_policy_free(policy);
}

/* Cancels `retrier` from another thread once it has slept a little. */
static void *cancel_soon(void *retrier) {
  const struct timespec pause = {0, 50 * 1000 * 1000};
  nanosleep(&pause, NULL);
  CHECK_STATUS(backoff_retrier_cancel((backoff_retrier *)retrier), BACKOFF_OK);
  return NULL;
}

static void a_cancellation_from_another_thread_wakes_the_default_sleep_at_once(void) {
  /* The longest possible delay: a sleep only the cancellation can end. */
  backoff_config *config = NULL;
  backoff_policy *policy = NULL;
  backoff_retrier *retrier = NULL;
  backoff_budget *budget = sim_budget(500, NULL);
  script s = {{1, 1}, {0}, 2, 0, NULL, 0};
  pthread_t thread;
  int op_status = 0;
  int64_t started_ns, took_ns;
  CHECK_STATUS(backoff_config_new(&config), BACKOFF_OK);
  CHECK_STATUS(backoff_config_set_i64(config, BACKOFF_PARAM_KIND, BACKOFF_KIND_CONSTANT), BACKOFF_OK);
  CHECK_STATUS(backoff_config_set_i64(config, BACKOFF_PARAM_JITTER, BACKOFF_JITTER_NONE), BACKOFF_OK);
  CHECK_STATUS(backoff_config_set_i64(config, BACKOFF_PARAM_INITIAL_NS, INT64_MAX), BACKOFF_OK);
  CHECK_STATUS(backoff_policy_new(&policy, config), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_new(&retrier, policy), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_set_budget(retrier, budget), BACKOFF_OK);
  CHECK(pthread_create(&thread, NULL, cancel_soon, retrier) == 0);
  started_ns = backoff_monotonic_now_ns();
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, scripted_op, &s), BACKOFF_ECANCELED);
  took_ns = backoff_monotonic_now_ns() - started_ns;
  CHECK(pthread_join(thread, NULL) == 0);
  CHECK_I64(s.calls, 1);
  CHECK_IN_RANGE(took_ns, 40 * BACKOFF_MILLISECOND, 10 * BACKOFF_SECOND);
  CHECK_I64(balance_milli(budget), 500000); /* the cancelled retry's tokens came back */
  backoff_retrier_free(retrier);
  backoff_budget_free(budget);
  backoff_policy_free(policy);
  backoff_config_free(config);
}

int main(void) {
  RUN_CASE(run_rejects_null_arguments);
  RUN_CASE(run_retries_until_the_operation_succeeds);
  RUN_CASE(run_gives_up_at_max_attempts_with_its_own_status);
  RUN_CASE(run_stops_at_a_permanent_failure);
  RUN_CASE(each_run_starts_a_new_call);
  RUN_CASE(a_breaker_opening_mid_call_ends_it_and_refuses_the_next_call);
  RUN_CASE(a_budget_running_dry_ends_the_call_as_budget_exhausted);
  RUN_CASE(a_hook_or_a_sleep_that_says_stop_cancels_and_refunds);
  RUN_CASE(an_operation_breaking_its_contract_is_an_error_not_an_outcome);
  RUN_CASE(callbacks_calling_back_in_get_ereentrant_but_may_read_and_cancel);
  RUN_CASE(a_cancellation_before_the_call_is_not_lost);
  RUN_CASE(backoff_retry_runs_a_call_with_the_defaults);
  RUN_CASE(a_cancellation_from_another_thread_wakes_the_default_sleep_at_once);
  return check_summary();
}
