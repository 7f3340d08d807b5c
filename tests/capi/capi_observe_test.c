/* Observability: retry statistics recorded by retriers, names, and the breaker's and budget's snapshots,
 * through the C API, with the snapshot structs' size protocol. Compiled as C99. */
#define BACKOFF_EXPERIMENTAL /* the observability surface is in the experimental tier */
#include <string.h>

#include "capi_retry_fixtures.h"

/* An operation that fails `failures` times, then succeeds (or fails on, with failures < 0). */
typedef struct flaky {
  int failures;
  int calls;
} flaky;

static int flaky_op(int64_t *out_hint_ns, void *user_data) {
  flaky *op = (flaky *)user_data;
  *out_hint_ns = 0;
  ++op->calls;
  return op->failures < 0 || op->calls <= op->failures ? BACKOFF_ATTEMPT_RETRYABLE : BACKOFF_ATTEMPT_SUCCESS;
}

static backoff_retry_stats_snapshot stats_now(const backoff_retry_stats *stats) {
  backoff_retry_stats_snapshot snapshot;
  memset(&snapshot, 0, sizeof snapshot);
  snapshot.size = sizeof snapshot;
  CHECK_STATUS(backoff_retry_stats_get_snapshot(&snapshot, stats), BACKOFF_OK);
  CHECK_U64(snapshot.size, sizeof snapshot);
  return snapshot;
}

static void every_entry_point_rejects_null(void) {
  backoff_retry_stats_snapshot stats_snapshot;
  backoff_breaker_snapshot breaker_snapshot;
  backoff_budget_snapshot budget_snapshot;
  const char *name = NULL;
  backoff_retry_stats *stats = NULL;
  CHECK_ERROR(backoff_retry_stats_new(NULL), BACKOFF_ENULL, "out");
  CHECK_STATUS(backoff_retry_stats_new(&stats), BACKOFF_OK);
  CHECK_ERROR(backoff_retrier_set_stats(NULL, stats), BACKOFF_ENULL, "retrier");
  CHECK_ERROR(backoff_retry_stats_get_snapshot(NULL, stats), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_retry_stats_get_snapshot(&stats_snapshot, NULL), BACKOFF_ENULL, "stats");
  CHECK_ERROR(backoff_breaker_get_snapshot(&breaker_snapshot, NULL), BACKOFF_ENULL, "breaker");
  CHECK_STATUS(backoff_breaker_get_snapshot_at(NULL, NULL, 0), BACKOFF_ENULL);
  CHECK_ERROR(backoff_budget_get_snapshot(&budget_snapshot, NULL), BACKOFF_ENULL, "budget");
  CHECK_STATUS(backoff_budget_get_snapshot_at(NULL, NULL, 0), BACKOFF_ENULL);
  CHECK_ERROR(backoff_retry_stats_set_name(stats, NULL), BACKOFF_ENULL, "name");
  CHECK_ERROR(backoff_retry_stats_set_name(NULL, "x"), BACKOFF_ENULL, "stats");
  CHECK_STATUS(backoff_breaker_set_name(NULL, "x"), BACKOFF_ENULL);
  CHECK_STATUS(backoff_budget_set_name(NULL, "x"), BACKOFF_ENULL);
  CHECK_ERROR(backoff_retry_stats_get_name(NULL, stats), BACKOFF_ENULL, "out");
  CHECK_STATUS(backoff_breaker_get_name(&name, NULL), BACKOFF_ENULL);
  CHECK_STATUS(backoff_budget_get_name(&name, NULL), BACKOFF_ENULL);
  backoff_retry_stats_free(stats);
  backoff_retry_stats_free(NULL);
}

static void retriers_record_every_call_into_shared_stats(void) {
  sim_time time = {0};
  backoff_retry_stats *stats = NULL;
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND ",max_attempts=3", &time);
  flaky succeeds_third = {2, 0}, never = {-1, 0};
  int op_status = 0;
  CHECK_STATUS(backoff_retry_stats_new(&stats), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_set_stats(retrier, stats), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, flaky_op, &succeeds_third), BACKOFF_OK);
  /* A new clock keeps the statistics attached. */
  CHECK_STATUS(backoff_retrier_set_clock(retrier, sim_clock, &time), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, flaky_op, &never), BACKOFF_EGAVEUP);
  {
    const backoff_retry_stats_snapshot snapshot = stats_now(stats);
    CHECK_U64(snapshot.failures, 2 + 3);
    CHECK_U64(snapshot.retries, 2 + 2);
    CHECK_U64(snapshot.slept_ns, 4 * BACKOFF_SECOND);
    CHECK_U64(snapshot.ends[BACKOFF_RETRY_SUCCEEDED], 1);
    CHECK_U64(snapshot.ends[BACKOFF_RETRY_GAVE_UP], 1);
    CHECK_U64(snapshot.max_elapsed, 0); /* max_attempts stopped it */
    CHECK_U64(snapshot.ends[BACKOFF_RETRY_PENDING], 0);
  }
  CHECK_STATUS(backoff_retrier_set_stats(retrier, NULL), BACKOFF_OK);
  never.calls = 0;
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, flaky_op, &never), BACKOFF_EGAVEUP);
  CHECK_U64(stats_now(stats).failures, 5); /* detached: nothing more */
  backoff_retrier_free(retrier);
  backoff_retry_stats_free(stats);
}

static void a_snapshot_fills_what_fits_and_says_how_much(void) {
  struct newer { /* a caller built against a later header with one more field */
    backoff_retry_stats_snapshot known;
    uint64_t later_field;
  } newer;
  backoff_retry_stats *stats = NULL;
  backoff_retry_stats_snapshot too_small;
  CHECK_STATUS(backoff_retry_stats_new(&stats), BACKOFF_OK);
  memset(&newer, 0, sizeof newer);
  newer.known.size = sizeof newer;
  newer.known.failures = 99;
  newer.later_field = 7;
  CHECK_STATUS(backoff_retry_stats_get_snapshot(&newer.known, stats), BACKOFF_OK);
  CHECK_U64(newer.known.size, sizeof newer.known);
  CHECK_U64(newer.known.failures, 0);
  CHECK_U64(newer.later_field, 7); /* left as it was */

  memset(&too_small, 0, sizeof too_small);
  too_small.size = 8;
  too_small.failures = 99;
  CHECK_ERROR(backoff_retry_stats_get_snapshot(&too_small, stats), BACKOFF_EINVAL, "size");
  CHECK(strstr(backoff_last_error(), "at least 168 (got 8)") != NULL);
  CHECK_U64(too_small.failures, 99); /* nothing written */
  backoff_retry_stats_free(stats);
}

static void a_breaker_snapshot_has_its_transitions_and_rejections(void) {
  sim_time time = {0};
  backoff_breaker *breaker = sim_breaker(1, BACKOFF_SECOND, &time);
  backoff_breaker_snapshot snapshot;
  uint64_t permit = 0;
  int64_t wait_ns = 0;
  const char *name = NULL;
  CHECK_STATUS(backoff_breaker_acquire_at(&permit, &wait_ns, breaker, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_record_at(breaker, 0, permit, BACKOFF_OUTCOME_FAILURE, 0, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_acquire_at(&permit, &wait_ns, breaker, 1), BACKOFF_EOPEN);
  memset(&snapshot, 0, sizeof snapshot);
  snapshot.size = sizeof snapshot;
  CHECK_STATUS(backoff_breaker_get_snapshot(&snapshot, breaker), BACKOFF_OK);
  CHECK_I64(snapshot.state, BACKOFF_BREAKER_OPEN);
  CHECK_U64(snapshot.transitions[BACKOFF_BREAKER_CLOSED][BACKOFF_BREAKER_OPEN], 1);
  CHECK_U64(snapshot.transitions[BACKOFF_BREAKER_OPEN][BACKOFF_BREAKER_CLOSED], 0);
  CHECK_U64(snapshot.counts[BACKOFF_BREAKER_COUNT_REJECTED], 1);
  CHECK_U64(snapshot.counts[BACKOFF_BREAKER_COUNT_TRIPS], 1);
  CHECK_U64(snapshot.counts[BACKOFF_BREAKER_COUNT_LISTENER_ERRORS + 1], 0); /* room past the enum */
  time.now_ns = 2 * BACKOFF_SECOND;
  CHECK_STATUS(backoff_breaker_get_snapshot_at(&snapshot, breaker, 2 * BACKOFF_SECOND), BACKOFF_OK);
  CHECK_I64(snapshot.state, BACKOFF_BREAKER_OPEN); /* stored state: no call has observed the end yet */

  CHECK_STATUS(backoff_breaker_get_name(&name, breaker), BACKOFF_OK);
  CHECK(strcmp(name, "") == 0);
  CHECK_STATUS(backoff_breaker_set_name(breaker, "payments"), BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_get_name(&name, breaker), BACKOFF_OK);
  CHECK(strcmp(name, "payments") == 0);
  backoff_breaker_free(breaker);
}

static void a_budget_snapshot_has_its_balance_grants_and_refusals(void) {
  sim_time time = {0};
  backoff_budget *budget = sim_budget(10, &time); /* two retries of 5 */
  backoff_budget_snapshot snapshot;
  uint64_t ticket = 0;
  const char *name = NULL;
  int i;
  for (i = 0; i < 3; ++i) (void)backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_ORDINARY);
  memset(&snapshot, 0, sizeof snapshot);
  snapshot.size = sizeof snapshot;
  CHECK_STATUS(backoff_budget_get_snapshot_at(&snapshot, budget, 0), BACKOFF_OK);
  CHECK_I64(snapshot.balance_milli, 0);
  CHECK_U64(snapshot.granted, 2);
  CHECK_U64(snapshot.refused, 1);
  CHECK_STATUS(backoff_budget_set_name(budget, "search"), BACKOFF_OK);
  CHECK_STATUS(backoff_budget_get_name(&name, budget), BACKOFF_OK);
  CHECK(strcmp(name, "search") == 0);
  backoff_budget_free(budget);
}

int main(void) {
  RUN_CASE(every_entry_point_rejects_null);
  RUN_CASE(retriers_record_every_call_into_shared_stats);
  RUN_CASE(a_snapshot_fills_what_fits_and_says_how_much);
  RUN_CASE(a_breaker_snapshot_has_its_transitions_and_rejections);
  RUN_CASE(a_budget_snapshot_has_its_balance_grants_and_refusals);
  return check_summary();
}
