/* The retrier's pull-style entry points: every one with bad input, and a caller's own loop joined by a
 * breaker and a budget, at explicit or simulated times. Compiled as C99. The loop that runs a whole call
 * is tested in capi_retry_run_test.c. */
#define BACKOFF_EXPERIMENTAL /* also tests the experimental tier of backoff.h */
#include <limits.h>

#include "capi_retry_fixtures.h"

static void every_entry_point_rejects_a_null_retrier(void) {
  int64_t ns = 0;
  uint64_t count = 0;
  int value = 0;
  CHECK_ERROR(backoff_retrier_set_breaker(NULL, NULL), BACKOFF_ENULL, "retrier");
  CHECK_STATUS(backoff_retrier_set_budget(NULL, NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_set_clock(NULL, NULL, NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_set_sleep(NULL, NULL, NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_set_before_sleep(NULL, NULL, NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_set_on_giveup(NULL, NULL, NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_set_on_success(NULL, NULL, NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_cancel(NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_reset(NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_reset_at(NULL, 0), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_before_attempt(&ns, NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_before_attempt_at(&ns, NULL, 0), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_on_failure(&ns, NULL, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_on_failure_at(&ns, NULL, 0, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_on_success(NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_on_success_at(NULL, 0), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_on_permanent_failure(NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_on_permanent_failure_at(NULL, 0), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_get_outcome(&value, NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_attempts(&count, NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_failures(&count, NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_idle(&ns, NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_elapsed(&ns, NULL), BACKOFF_ENULL);
  CHECK_ERROR(backoff_retrier_elapsed_at(&ns, NULL, 0), BACKOFF_ENULL, "retrier");
  backoff_retrier_free(NULL);
}

static void every_entry_point_rejects_a_null_output(void) {
  backoff_policy *policy = policy_from_text(EVERY_SECOND);
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, NULL);
  CHECK_ERROR(backoff_retrier_new(NULL, policy), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_retrier_new(&retrier, NULL), BACKOFF_ENULL, "policy");
  CHECK_ERROR(backoff_retrier_before_attempt(NULL, retrier), BACKOFF_ENULL, "out_wait_ns");
  CHECK_STATUS(backoff_retrier_before_attempt_at(NULL, retrier, 0), BACKOFF_ENULL);
  CHECK_ERROR(backoff_retrier_on_failure(NULL, retrier, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_ENULL, "out_delay_ns");
  CHECK_STATUS(backoff_retrier_on_failure_at(NULL, retrier, 0, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_get_outcome(NULL, retrier), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_attempts(NULL, retrier), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_failures(NULL, retrier), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_idle(NULL, retrier), BACKOFF_ENULL);
  CHECK_STATUS(backoff_retrier_elapsed(NULL, retrier), BACKOFF_ENULL);
  CHECK_ERROR(backoff_retrier_elapsed_at(NULL, retrier, 0), BACKOFF_ENULL, "out_ns");
  CHECK_I64(retrier_attempts(retrier), 0); /* nothing above changed the call */
  backoff_retrier_free(retrier);
  backoff_policy_free(policy);
}

static void a_bad_hint_or_error_class_is_rejected_and_changes_nothing(void) {
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, NULL);
  int64_t delay_ns = 12345;
  CHECK_STATUS(backoff_retrier_on_failure_at(&delay_ns, retrier, 0, BACKOFF_ERROR_ORDINARY, -1), BACKOFF_EINVAL);
  CHECK_MESSAGE_NAMES("hint_ns");
  CHECK_MESSAGE_NAMES("-1");
  CHECK_STATUS(backoff_retrier_on_failure(&delay_ns, retrier, BACKOFF_ERROR_ORDINARY, INT64_MIN), BACKOFF_EINVAL);
  CHECK_ERROR(backoff_retrier_on_failure_at(&delay_ns, retrier, 0, 3, 0), BACKOFF_EUNKNOWN, "error_class");
  CHECK_STATUS(backoff_retrier_on_failure_at(&delay_ns, retrier, 0, -1, 0), BACKOFF_EUNKNOWN);
  CHECK_I64(delay_ns, 12345);
  CHECK_I64(retrier_attempts(retrier), 0);
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_PENDING);
  backoff_retrier_free(retrier);
}

static void a_call_counts_its_failures_and_gives_up_at_max_attempts(void) {
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND ",max_attempts=3", NULL);
  int64_t delay_ns = 0, idle_ns = 0;
  uint64_t failures = 0;
  CHECK_STATUS(backoff_retrier_on_failure_at(&delay_ns, retrier, 0, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  CHECK_I64(delay_ns, BACKOFF_SECOND);
  CHECK_STATUS(backoff_retrier_on_failure_at(&delay_ns, retrier, 0, BACKOFF_ERROR_ORDINARY,
                                             2500 * BACKOFF_MILLISECOND), BACKOFF_OK);
  CHECK_I64(delay_ns, 2500 * BACKOFF_MILLISECOND); /* at least the hint */
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_PENDING);
  CHECK_STATUS(backoff_retrier_on_failure_at(&delay_ns, retrier, 0, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  CHECK_I64(delay_ns, BACKOFF_STOP);
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_GAVE_UP);
  CHECK_STATUS(backoff_retrier_failures(&failures, retrier), BACKOFF_OK);
  CHECK_U64(failures, 3);
  CHECK_STATUS(backoff_retrier_idle(&idle_ns, retrier), BACKOFF_OK);
  CHECK_I64(idle_ns, 3500 * BACKOFF_MILLISECOND);
  /* An ended call repeats its end and counts nothing more. */
  CHECK_STATUS(backoff_retrier_on_failure_at(&delay_ns, retrier, 0, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  CHECK_I64(delay_ns, BACKOFF_STOP);
  CHECK_U64(retrier_attempts(retrier), 3);
  backoff_retrier_free(retrier);
}

static void an_ended_call_refuses_another_attempt_until_reset(void) {
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, NULL);
  int64_t wait_ns = 7;
  CHECK_STATUS(backoff_retrier_before_attempt_at(&wait_ns, retrier, 0), BACKOFF_OK);
  CHECK_I64(wait_ns, 0);
  CHECK_STATUS(backoff_retrier_on_success_at(retrier, 0), BACKOFF_OK);
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_SUCCEEDED);
  CHECK_U64(retrier_attempts(retrier), 1);
  CHECK_ERROR(backoff_retrier_before_attempt_at(&wait_ns, retrier, 0), BACKOFF_EINVAL, "succeeded");
  CHECK_STATUS(backoff_retrier_on_permanent_failure_at(retrier, 0), BACKOFF_OK); /* too late: no effect */
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_SUCCEEDED);
  CHECK_STATUS(backoff_retrier_reset_at(retrier, 0), BACKOFF_OK);
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_PENDING);
  CHECK_U64(retrier_attempts(retrier), 0);
  CHECK_STATUS(backoff_retrier_before_attempt_at(&wait_ns, retrier, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_on_permanent_failure(retrier), BACKOFF_OK);
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_PERMANENT);
  backoff_retrier_free(retrier);
}

static void elapsed_time_counts_from_the_first_failure(void) {
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND ",max_elapsed=10s", NULL);
  int64_t wait_ns = 0, delay_ns = 0, elapsed_ns = -1;
  CHECK_STATUS(backoff_retrier_reset_at(retrier, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_before_attempt_at(&wait_ns, retrier, 0), BACKOFF_OK);
  /* A first attempt of 20 s does not use up the 10 s window. */
  CHECK_STATUS(backoff_retrier_on_failure_at(&delay_ns, retrier, 20 * BACKOFF_SECOND, BACKOFF_ERROR_ORDINARY, 0),
               BACKOFF_OK);
  CHECK_I64(delay_ns, BACKOFF_SECOND);
  CHECK_STATUS(backoff_retrier_elapsed_at(&elapsed_ns, retrier, 29 * BACKOFF_SECOND), BACKOFF_OK);
  CHECK_I64(elapsed_ns, 9 * BACKOFF_SECOND);
  CHECK_STATUS(backoff_retrier_before_attempt_at(&wait_ns, retrier, 21 * BACKOFF_SECOND), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_on_failure_at(&delay_ns, retrier, 29500 * BACKOFF_MILLISECOND, BACKOFF_ERROR_ORDINARY,
                                             0), BACKOFF_OK);
  CHECK_I64(delay_ns, BACKOFF_STOP); /* 9.5 s + 1 s would pass 10 s */
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_GAVE_UP);
  backoff_retrier_free(retrier);
}

static void an_injected_clock_drives_the_forms_without_a_time(void) {
  sim_time time = {100 * BACKOFF_SECOND, 0, {0}, 0};
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND ",max_elapsed=3s", &time);
  int64_t wait_ns = 0, delay_ns = 0, elapsed_ns = 0;
  CHECK_STATUS(backoff_retrier_before_attempt(&wait_ns, retrier), BACKOFF_OK);
  time.now_ns += 5 * BACKOFF_SECOND;
  CHECK_STATUS(backoff_retrier_on_failure(&delay_ns, retrier, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  CHECK_I64(delay_ns, BACKOFF_SECOND);
  time.now_ns += 2500 * BACKOFF_MILLISECOND;
  CHECK_STATUS(backoff_retrier_elapsed(&elapsed_ns, retrier), BACKOFF_OK);
  CHECK_I64(elapsed_ns, 2500 * BACKOFF_MILLISECOND); /* since the failure, not since the attempt began */
  CHECK_STATUS(backoff_retrier_before_attempt(&wait_ns, retrier), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_on_failure(&delay_ns, retrier, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  CHECK_I64(delay_ns, BACKOFF_STOP); /* 2.5 s + 1 s would pass 3 s */
  backoff_retrier_free(retrier);
}

static void the_clock_can_go_back_to_monotonic(void) {
  sim_time time = {-5 * BACKOFF_SECOND, 0, {0}, 0};
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, &time);
  int64_t elapsed_ns = -1, start_ns, after_ns;
  CHECK_STATUS(backoff_retrier_set_clock(retrier, NULL, NULL), BACKOFF_OK);
  start_ns = backoff_monotonic_now_ns();
  CHECK_STATUS(backoff_retrier_elapsed(&elapsed_ns, retrier), BACKOFF_OK);
  after_ns = backoff_monotonic_now_ns();
  CHECK_IN_RANGE(elapsed_ns, 0, after_ns - start_ns + BACKOFF_SECOND);
  backoff_retrier_free(retrier);
}

static void an_open_breaker_refuses_the_first_attempt_without_an_error_message(void) {
  sim_time time = {0, 0, {0}, 0};
  backoff_breaker *breaker = sim_breaker(5, 30 * BACKOFF_SECOND, &time);
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, &time);
  int64_t wait_ns = 0;
  CHECK_STATUS(backoff_breaker_transition_at(breaker, 0, BACKOFF_BREAKER_OPEN), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_set_breaker(retrier, breaker), BACKOFF_OK);
  CHECK_STATUS(backoff_config_new(NULL), BACKOFF_ENULL); /* leaves a message to keep */
  CHECK_STATUS(backoff_retrier_before_attempt_at(&wait_ns, retrier, 10 * BACKOFF_SECOND), BACKOFF_EOPEN);
  CHECK_I64(wait_ns, 20 * BACKOFF_SECOND);
  CHECK_MESSAGE_NAMES("backoff_config_new");
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_CIRCUIT_OPEN);
  CHECK_U64(retrier_attempts(retrier), 0);
  CHECK_U64(breaker_count(breaker, BACKOFF_BREAKER_COUNT_REJECTED), 1);
  backoff_retrier_free(retrier);
  backoff_breaker_free(breaker);
}

static void a_breaker_opened_mid_call_ends_it_with_the_cooldown(void) {
  sim_time time = {0, 0, {0}, 0};
  backoff_breaker *breaker = sim_breaker(2, 30 * BACKOFF_SECOND, &time);
  backoff_retrier *retrier = sim_retrier_behind(EVERY_SECOND, breaker, &time);
  int64_t wait_ns = 0, delay_ns = 0;
  int state = -1;
  CHECK_STATUS(backoff_retrier_before_attempt_at(&wait_ns, retrier, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_on_failure_at(&delay_ns, retrier, 0, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  CHECK_I64(delay_ns, BACKOFF_SECOND);
  CHECK_STATUS(backoff_retrier_before_attempt_at(&wait_ns, retrier, BACKOFF_SECOND), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_on_failure_at(&delay_ns, retrier, BACKOFF_SECOND, BACKOFF_ERROR_ORDINARY, 0),
               BACKOFF_OK);
  CHECK_I64(delay_ns, BACKOFF_STOP);
  CHECK_I64(retrier_outcome(retrier), BACKOFF_RETRY_CIRCUIT_OPEN);
  CHECK_STATUS(backoff_breaker_get_state(&state, breaker), BACKOFF_OK);
  CHECK_I64(state, BACKOFF_BREAKER_OPEN);
  CHECK_U64(breaker_count(breaker, BACKOFF_BREAKER_COUNT_FAILURES), 2);
  backoff_retrier_free(retrier);
  backoff_breaker_free(breaker);
}

static void a_permanent_failure_is_ignored_by_the_breaker(void) {
  sim_time time = {0, 0, {0}, 0};
  backoff_breaker *breaker = sim_breaker(1, BACKOFF_SECOND, &time);
  backoff_retrier *retrier = sim_retrier_behind(EVERY_SECOND, breaker, &time);
  int64_t wait_ns = 0;
  CHECK_STATUS(backoff_retrier_before_attempt(&wait_ns, retrier), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_on_permanent_failure_at(retrier, 0), BACKOFF_OK);
  CHECK_U64(breaker_count(breaker, BACKOFF_BREAKER_COUNT_IGNORED), 1);
  CHECK_U64(breaker_count(breaker, BACKOFF_BREAKER_COUNT_FAILURES), 0);
  backoff_retrier_free(retrier);
  backoff_breaker_free(breaker);
}

static void a_retry_holds_its_tokens_and_a_successful_retry_gets_them_back(void) {
  budgeted_call call;
  int64_t wait_ns = 0, delay_ns = 0;
  budgeted_call_start(&call, 500);
  CHECK_STATUS(backoff_retrier_before_attempt(&wait_ns, call.retrier), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_on_failure(&delay_ns, call.retrier, BACKOFF_ERROR_TIMEOUT, 0), BACKOFF_OK);
  CHECK_I64(balance_milli(call.budget), 490000); /* a timeout's retry costs 10 */
  CHECK_STATUS(backoff_retrier_before_attempt(&wait_ns, call.retrier), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_on_success(call.retrier), BACKOFF_OK);
  CHECK_I64(balance_milli(call.budget), 500000);
  budgeted_call_free(&call);
}

static void a_refused_retry_ends_the_call_as_budget_exhausted(void) {
  budgeted_call call;
  int64_t delay_ns = 0;
  uint64_t refused = 0;
  budgeted_call_start(&call, 5);
  CHECK_STATUS(backoff_retrier_on_failure_at(&delay_ns, call.retrier, 0, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  CHECK_I64(delay_ns, BACKOFF_SECOND);
  CHECK_STATUS(backoff_retrier_on_failure_at(&delay_ns, call.retrier, 0, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  CHECK_I64(delay_ns, BACKOFF_STOP);
  CHECK_I64(retrier_outcome(call.retrier), BACKOFF_RETRY_BUDGET_EXHAUSTED);
  CHECK_STATUS(backoff_budget_get_count(&refused, call.budget, BACKOFF_BUDGET_COUNT_REFUSED), BACKOFF_OK);
  CHECK_U64(refused, 1);
  budgeted_call_free(&call);
}

static void a_budget_from_a_pool_outlives_its_handle_and_the_pool(void) {
  sim_time time = {0, 0, {0}, 0};
  backoff_budget_config *config = NULL;
  backoff_budget_pool *pool = NULL;
  backoff_budget *budget = NULL, *again = NULL;
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, &time);
  int64_t delay_ns = 0;
  CHECK_STATUS(backoff_budget_config_new(&config), BACKOFF_OK);
  CHECK_STATUS(backoff_budget_pool_new(&pool, config, 4), BACKOFF_OK);
  CHECK_STATUS(backoff_budget_pool_get(&budget, pool, "db-1"), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_set_budget(retrier, budget), BACKOFF_OK);
  backoff_budget_free(budget);
  CHECK_STATUS(backoff_retrier_on_failure_at(&delay_ns, retrier, 0, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_budget_pool_get(&again, pool, "db-1"), BACKOFF_OK);
  CHECK_I64(balance_milli(again), 495000); /* the key's budget paid for the retry */
  backoff_budget_pool_free(pool);
  CHECK_STATUS(backoff_retrier_on_success_at(retrier, 0), BACKOFF_OK); /* still alive: refunds */
  CHECK_I64(balance_milli(again), 500000);
  backoff_retrier_free(retrier);
  backoff_budget_free(again);
  backoff_budget_config_free(config);
}

static void cancelling_ends_the_call_before_its_next_attempt_and_refunds(void) {
  budgeted_call call;
  int64_t wait_ns = 9, delay_ns = 0;
  budgeted_call_start(&call, 500);
  CHECK_STATUS(backoff_retrier_on_failure(&delay_ns, call.retrier, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  CHECK_I64(balance_milli(call.budget), 495000);
  CHECK_STATUS(backoff_retrier_cancel(call.retrier), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_before_attempt(&wait_ns, call.retrier), BACKOFF_ECANCELED);
  CHECK_I64(wait_ns, 0);
  CHECK_I64(retrier_outcome(call.retrier), BACKOFF_RETRY_CANCELLED);
  CHECK_I64(balance_milli(call.budget), 500000);
  CHECK_STATUS(backoff_retrier_before_attempt(&wait_ns, call.retrier), BACKOFF_ECANCELED); /* until reset */
  CHECK_STATUS(backoff_retrier_reset(call.retrier), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_before_attempt(&wait_ns, call.retrier), BACKOFF_OK);
  budgeted_call_free(&call);
}

static void reset_and_free_give_back_what_the_call_holds(void) {
  sim_time time = {0, 0, {0}, 0};
  backoff_breaker *breaker = sim_breaker(5, BACKOFF_SECOND, &time);
  backoff_budget *budget = sim_budget(500, &time);
  backoff_retrier *retrier = sim_retrier_behind(EVERY_SECOND, breaker, &time);
  int64_t wait_ns = 0, delay_ns = 0;
  CHECK_STATUS(backoff_retrier_set_budget(retrier, budget), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_on_failure(&delay_ns, retrier, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_before_attempt(&wait_ns, retrier), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_reset(retrier), BACKOFF_OK);
  CHECK_I64(balance_milli(budget), 500000);
  CHECK_U64(breaker_count(breaker, BACKOFF_BREAKER_COUNT_RELEASED), 1);

  CHECK_STATUS(backoff_retrier_on_failure(&delay_ns, retrier, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  CHECK_I64(balance_milli(budget), 495000);
  backoff_retrier_free(retrier);
  CHECK_I64(balance_milli(budget), 500000);
  backoff_budget_free(budget);
  backoff_breaker_free(breaker);
}

static void detaching_returns_the_ticket_to_the_budget_that_issued_it(void) {
  sim_time time = {0, 0, {0}, 0};
  backoff_budget *first = sim_budget(500, &time), *second = sim_budget(500, &time);
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, &time);
  int64_t delay_ns = 0;
  CHECK_STATUS(backoff_retrier_set_budget(retrier, first), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_on_failure(&delay_ns, retrier, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  backoff_budget_free(first); /* the retrier's reference keeps it alive for the refund */
  CHECK_STATUS(backoff_retrier_set_budget(retrier, second), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_on_failure(&delay_ns, retrier, BACKOFF_ERROR_ORDINARY, 0), BACKOFF_OK);
  CHECK_I64(balance_milli(second), 495000);
  CHECK_STATUS(backoff_retrier_set_budget(retrier, NULL), BACKOFF_OK);
  CHECK_I64(balance_milli(second), 500000);
  CHECK_STATUS(backoff_retrier_set_breaker(retrier, NULL), BACKOFF_OK);
  backoff_retrier_free(retrier);
  backoff_budget_free(second);
}

int main(void) {
  RUN_CASE(every_entry_point_rejects_a_null_retrier);
  RUN_CASE(every_entry_point_rejects_a_null_output);
  RUN_CASE(a_bad_hint_or_error_class_is_rejected_and_changes_nothing);
  RUN_CASE(a_call_counts_its_failures_and_gives_up_at_max_attempts);
  RUN_CASE(an_ended_call_refuses_another_attempt_until_reset);
  RUN_CASE(elapsed_time_counts_from_the_first_failure);
  RUN_CASE(an_injected_clock_drives_the_forms_without_a_time);
  RUN_CASE(the_clock_can_go_back_to_monotonic);
  RUN_CASE(an_open_breaker_refuses_the_first_attempt_without_an_error_message);
  RUN_CASE(a_breaker_opened_mid_call_ends_it_with_the_cooldown);
  RUN_CASE(a_permanent_failure_is_ignored_by_the_breaker);
  RUN_CASE(a_retry_holds_its_tokens_and_a_successful_retry_gets_them_back);
  RUN_CASE(a_refused_retry_ends_the_call_as_budget_exhausted);
  RUN_CASE(a_budget_from_a_pool_outlives_its_handle_and_the_pool);
  RUN_CASE(cancelling_ends_the_call_before_its_next_attempt_and_refunds);
  RUN_CASE(reset_and_free_give_back_what_the_call_holds);
  RUN_CASE(detaching_returns_the_ticket_to_the_budget_that_issued_it);
  return check_summary();
}
