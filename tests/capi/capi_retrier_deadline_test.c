/* The retrier's deadline through the C API: the policy's DEADLINE, counted from the call's start, and the
 * caller's own (backoff_retrier_set_deadline_at), in backoff_retrier_run() and in a caller's own loop, on
 * simulated time. Compiled as C99. */
#define BACKOFF_EXPERIMENTAL /* the shared fixtures attach budgets */
#include <limits.h>

#include "capi_retry_fixtures.h"

/* An operation that always fails and takes `attempt_ns` of simulated time. */
typedef struct failing_op {
  sim_time *time;
  int64_t attempt_ns;
  int calls;
} failing_op;

static int always_fails(int64_t *out_hint_ns, void *user_data) {
  failing_op *op = (failing_op *)user_data;
  (void)out_hint_ns;
  ++op->calls;
  op->time->now_ns += op->attempt_ns;
  return BACKOFF_ATTEMPT_RETRYABLE;
}

static int giveup_status;

static int remember_giveup(int status, uint64_t attempts, void *user_data) {
  (void)attempts;
  (void)user_data;
  giveup_status = status;
  return 0;
}

static int64_t retrier_deadline(const backoff_retrier *retrier) {
  int64_t deadline_ns = -1;
  CHECK_STATUS(backoff_retrier_deadline(&deadline_ns, retrier), BACKOFF_OK);
  return deadline_ns;
}

/* Runs a call whose every attempt fails after `attempt_ns`, checks that it ended at its deadline, and
 * returns how many attempts it made. */
static int attempts_until_the_deadline(backoff_retrier *retrier, sim_time *time, int64_t attempt_ns) {
  failing_op op = {NULL, 0, 0};
  int op_status = 0;
  op.time = time;
  op.attempt_ns = attempt_ns;
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, always_fails, &op), BACKOFF_EDEADLINE);
  CHECK_I64(op_status, BACKOFF_ATTEMPT_RETRYABLE);
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_DEADLINE_EXCEEDED);
  return op.calls;
}

static void the_deadline_functions_reject_null_arguments(void) {
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, NULL);
  int64_t ns = 0;
  CHECK_ERROR(backoff_retrier_set_deadline_at(NULL, 0), BACKOFF_ENULL, "retrier");
  CHECK_ERROR(backoff_retrier_deadline(&ns, NULL), BACKOFF_ENULL, "retrier");
  CHECK_ERROR(backoff_retrier_deadline(NULL, retrier), BACKOFF_ENULL, "out_ns");
  backoff_retrier_free(retrier);
}

static void a_negative_deadline_parameter_is_rejected_naming_it(void) {
  backoff_config *config = NULL;
  CHECK_STATUS(backoff_config_new(&config), BACKOFF_OK);
  CHECK_ERROR(backoff_config_set_i64(config, BACKOFF_PARAM_DEADLINE_NS, -1), BACKOFF_EINVAL, "deadline");
  CHECK_ERROR(backoff_config_set_text(config, "deadline", "soon"), BACKOFF_EINVAL, "deadline");
  CHECK_STATUS(backoff_config_set_text(config, "deadline", "2.5s"), BACKOFF_OK);
  backoff_config_free(config);
}

/* Attempts take 1 s and fail, waits are 1 s: the second attempt ends at 3 s, when waiting 1 s more would
 * pass the 3.5 s deadline, so the call ends there without that wait. */
static void run_ends_the_call_when_a_wait_would_reach_the_deadline(void) {
  sim_time time = {0, 0, {0}, 0};
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND ",deadline=3500ms", &time);
  CHECK_STATUS(backoff_retrier_set_on_giveup(retrier, remember_giveup, NULL), BACKOFF_OK);
  giveup_status = 0;
  CHECK_I64(attempts_until_the_deadline(retrier, &time, 1000000000), 2);
  CHECK_I64(time.sleeps, 1);
  CHECK_I64(time.now_ns, 3000000000);
  CHECK_I64(giveup_status, BACKOFF_EDEADLINE);
  CHECK_I64(retrier_deadline(retrier), 3500000000);
  backoff_retrier_free(retrier);
}

/* The caller's deadline stays through run's own reset; the earlier of it and the policy's counts. */
static void run_keeps_the_callers_deadline_and_takes_the_earlier(void) {
  sim_time time = {10000000000, 0, {0}, 0};
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND ",deadline=1h", &time);
  CHECK_STATUS(backoff_retrier_set_deadline_at(retrier, 12500000000), BACKOFF_OK);
  /* At 10 s, 11 s and 12 s; the wait to 13 s would pass 12.5 s. */
  CHECK_I64(attempts_until_the_deadline(retrier, &time, 0), 3);
  CHECK_I64(retrier_deadline(retrier), 12500000000);
  CHECK_STATUS(backoff_retrier_set_deadline_at(retrier, INT64_MAX), BACKOFF_OK);
  CHECK_I64(retrier_deadline(retrier), 10000000000 + 3600000000000); /* the policy's, from run's start */
  backoff_retrier_free(retrier);
}

static void a_callers_loop_is_refused_an_attempt_past_the_deadline(void) {
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, NULL);
  int64_t wait_ns = -1, delay_ns = -1;
  CHECK_I64(retrier_deadline(retrier), INT64_MAX);
  CHECK_STATUS(backoff_retrier_reset_at(retrier, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_set_deadline_at(retrier, 5000000000), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_before_attempt_at(&wait_ns, retrier, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_on_failure_at(&delay_ns, retrier, 3000000000, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  CHECK_I64(delay_ns, 1000000000);
  /* The caller slept past the deadline: the attempt is not made. */
  CHECK_STATUS(backoff_retrier_before_attempt_at(&wait_ns, retrier, 6000000000), BACKOFF_EDEADLINE);
  CHECK_I64(wait_ns, 0);
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_DEADLINE_EXCEEDED);
  CHECK_I64(retrier_attempts(retrier), 1);
  backoff_retrier_free(retrier);
}

static void the_outcome_and_status_have_names(void) {
  CHECK(strcmp(backoff_name_of(BACKOFF_ENUM_RETRY_OUTCOME, BACKOFF_RETRY_DEADLINE_EXCEEDED), "deadline_exceeded") == 0);
  CHECK(strcmp(backoff_strerror(BACKOFF_EDEADLINE), "deadline exceeded") == 0);
}

int main(void) {
  RUN_CASE(the_deadline_functions_reject_null_arguments);
  RUN_CASE(a_negative_deadline_parameter_is_rejected_naming_it);
  RUN_CASE(run_ends_the_call_when_a_wait_would_reach_the_deadline);
  RUN_CASE(run_keeps_the_callers_deadline_and_takes_the_earlier);
  RUN_CASE(a_callers_loop_is_refused_an_attempt_past_the_deadline);
  RUN_CASE(the_outcome_and_status_have_names);
  return check_summary();
}
