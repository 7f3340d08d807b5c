/* backoff_jobs_set_breaker: a job type whose handler keeps failing trips its breaker; its further jobs
 * are snoozed (handed back unrun, their attempts unspent, their errors untouched) and run once the open
 * period is over, while the queue's other types keep running. */
#include "jobs_fixtures.h"

#define MS BACKOFF_MILLISECOND
#define SECOND BACKOFF_SECOND

/* Jobs of type "down" fail retryably while *down_is_down, "fatal" ones fail for good, the rest succeed. */
struct downstream {
  int down_is_down;
  int runs;
};

static int handler(int64_t *out_hint_ns, char *error, uint64_t error_size, const backoff_jobs_rows *jobs,
                   uint64_t index, void *user_data) {
  struct downstream *downstream = user_data;
  const char *type = row_text(jobs, index, BACKOFF_JOBS_FIELD_TYPE);
  (void)out_hint_ns;
  ++downstream->runs;
  if (strcmp(type, "fatal") == 0) {
    snprintf(error, (size_t)error_size, "cannot parse");
    return BACKOFF_ATTEMPT_PERMANENT;
  }
  if (strcmp(type, "down") == 0 && downstream->down_is_down) {
    snprintf(error, (size_t)error_size, "connection refused");
    return BACKOFF_ATTEMPT_RETRYABLE;
  }
  return BACKOFF_ATTEMPT_SUCCESS;
}

/* Gives the store breakers that open for `open` after 3 failures in a row; the config is freed at once
 * (the store keeps a copy). */
static void set_breaker(backoff_jobs_store *store, const char *open) {
  backoff_breaker_config *config = NULL;
  CHECK_STATUS(backoff_breaker_config_new(&config), BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_config_set_text(config, "failure_threshold", "3"), BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_config_set_text(config, "open_duration", open), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_set_breaker(store, config), BACKOFF_OK);
  backoff_breaker_config_free(config);
}

static int64_t job_i64(backoff_jobs_store *store, int64_t id, int field) {
  backoff_jobs_rows *rows = NULL;
  int64_t value = -1;
  CHECK_STATUS(backoff_jobs_get(&rows, store, id), BACKOFF_OK);
  if (rows != NULL) value = row_i64(rows, 0, field);
  backoff_jobs_rows_free(rows);
  return value;
}

static uint64_t snoozed(const backoff_jobs_store *store) {
  uint64_t count = 0;
  CHECK_STATUS(backoff_jobs_snoozed(&count, store), BACKOFF_OK);
  return count;
}

static void a_failing_type_is_snoozed_while_its_breaker_is_open_and_runs_after(void) {
  backoff_jobs_store *store = open_store();
  /* Retries wait 5 s: no retry comes due during the test, only snoozed jobs. */
  const char *queue = queue_with_policy(store, "breaker", "kind=constant initial=5s jitter=none");
  struct downstream downstream = {1, 0};
  int64_t down[5], up[2], now = 0;
  uint64_t handled = 0;
  int i;
  set_breaker(store, "1s");
  /* Claimed in this order (same priority, run_at, then id): three failures trip "down"'s breaker. */
  for (i = 0; i < 3; ++i) down[i] = enqueue_text(store, queue, "down", "", NULL);
  down[3] = enqueue_text(store, queue, "down", "", NULL);
  up[0] = enqueue_text(store, queue, "up", "", NULL);
  down[4] = enqueue_text(store, queue, "down", "", NULL);
  up[1] = enqueue_text(store, queue, "up", "", NULL);
  CHECK_STATUS(backoff_jobs_work(&handled, store, queue, 10, 30 * SECOND, 0, 300 * MS, handler, &downstream),
               BACKOFF_OK);
  CHECK_U64(handled, 5); /* three failures, two successes: the snoozed jobs did not run */
  CHECK_I64(downstream.runs, 5);
  CHECK_U64(snoozed(store), 2);
  for (i = 0; i < 3; ++i) {
    CHECK_I64(job_i64(store, down[i], BACKOFF_JOBS_FIELD_ATTEMPT), 1);
    CHECK(strcmp(job_error(store, down[i]), "connection refused") == 0);
  }
  CHECK_I64(job_state(store, up[0]), BACKOFF_JOBS_COMPLETED); /* the other type kept running */
  CHECK_I64(job_state(store, up[1]), BACKOFF_JOBS_COMPLETED);
  CHECK_STATUS(backoff_jobs_now(&now, store), BACKOFF_OK);
  for (i = 3; i < 5; ++i) {
    CHECK_I64(job_state(store, down[i]), BACKOFF_JOBS_SCHEDULED);
    CHECK_I64(job_i64(store, down[i], BACKOFF_JOBS_FIELD_ATTEMPT), 0); /* the attempt was not spent */
    CHECK(strcmp(job_error(store, down[i]), "") == 0);                 /* no error recorded */
    /* Due when the open period (1 s from the trip, a little of it gone) is over. */
    CHECK_IN_RANGE(job_i64(store, down[i], BACKOFF_JOBS_FIELD_RUN_AT_NS) - now, 1 * MS, 1 * SECOND);
  }
  /* The downstream is back: the next loop waits for the snoozed jobs, and the first one, the half-open
   * breaker's probe, closes it for the second. Each ran once. */
  downstream.down_is_down = 0;
  CHECK_STATUS(backoff_jobs_work(&handled, store, queue, 10, 30 * SECOND, 2, 10 * SECOND, handler, &downstream),
               BACKOFF_OK);
  CHECK_U64(handled, 2);
  for (i = 3; i < 5; ++i) {
    CHECK_I64(job_state(store, down[i]), BACKOFF_JOBS_COMPLETED);
    CHECK_I64(job_i64(store, down[i], BACKOFF_JOBS_FIELD_ATTEMPT), 1);
  }
  CHECK_U64(snoozed(store), 2);
}

/* Enqueues `count` jobs of `type`, then runs the loop until it has been idle 200 ms; returns the jobs it ran. */
static uint64_t enqueue_and_work(backoff_jobs_store *store, const char *queue, const char *type, int count,
                                 struct downstream *downstream) {
  uint64_t handled = 0;
  int i;
  for (i = 0; i < count; ++i) enqueue_text(store, queue, type, "", NULL);
  CHECK_STATUS(backoff_jobs_work(&handled, store, queue, 10, 30 * SECOND, 0, 200 * MS, handler, downstream),
               BACKOFF_OK);
  return handled;
}

static void permanent_failures_do_not_trip_the_breaker(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = test_queue("breaker-fatal");
  struct downstream downstream = {1, 0};
  set_breaker(store, "30s");
  CHECK_U64(enqueue_and_work(store, queue, "fatal", 5, &downstream), 5);
  CHECK_U64(snoozed(store), 0);
  CHECK_I64(count_in_state(store, queue, BACKOFF_JOBS_FAILED), 5);
}

static void removing_the_breakers_runs_every_job_again(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = queue_with_policy(store, "breaker-off", "kind=constant initial=5s jitter=none");
  struct downstream downstream = {1, 0};
  set_breaker(store, "30s");
  CHECK_U64(enqueue_and_work(store, queue, "down", 4, &downstream), 3);
  CHECK_U64(snoozed(store), 1);
  /* Without breakers, a new job of the tripped type runs at once (the snoozed one stays due in 30 s). */
  CHECK_STATUS(backoff_jobs_set_breaker(store, NULL), BACKOFF_OK);
  downstream.down_is_down = 0;
  CHECK_U64(enqueue_and_work(store, queue, "down", 1, &downstream), 1);
  CHECK_U64(snoozed(store), 1);
}

/* A handler that tries to change its store's breakers: refused, the loop's breakers stay. */
static int reentry_status;
static int set_breaker_from_handler(int64_t *out_hint_ns, char *error, uint64_t error_size,
                                    const backoff_jobs_rows *jobs, uint64_t index, void *user_data) {
  (void)out_hint_ns, (void)error, (void)error_size, (void)jobs, (void)index;
  reentry_status = backoff_jobs_set_breaker(user_data, NULL);
  return BACKOFF_ATTEMPT_SUCCESS;
}

static void bad_input_is_refused_by_name_and_changes_nothing(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = test_queue("breaker-input");
  backoff_breaker_config *config = NULL;
  uint64_t handled = 0, count = 0;
  CHECK_STATUS(backoff_breaker_config_new(&config), BACKOFF_OK);
  /* A ratio over a count window of 5 calls that waits for 10: it could never trip. */
  CHECK_STATUS(backoff_breaker_config_set_text(config, "trip", "ratio"), BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_config_set_text(config, "window", "count"), BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_config_set_text(config, "window_size", "5"), BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_config_set_text(config, "min_calls", "10"), BACKOFF_OK);
  CHECK_ERROR(backoff_jobs_set_breaker(store, config), BACKOFF_EINVAL, "min_calls");
  CHECK_ERROR(backoff_jobs_set_breaker(NULL, config), BACKOFF_ENULL, "store");
  backoff_breaker_config_free(config);
  CHECK_ERROR(backoff_jobs_snoozed(NULL, store), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_jobs_snoozed(&count, NULL), BACKOFF_ENULL, "store");
  set_breaker(store, "30s");
  enqueue_text(store, queue, "t", "", NULL);
  CHECK_STATUS(backoff_jobs_work(&handled, store, queue, 10, 30 * SECOND, 1, 0, set_breaker_from_handler, store),
               BACKOFF_OK);
  CHECK_I64(reentry_status, BACKOFF_EREENTRANT);
}

int main(int argc, char **argv) {
  jobs_fixture_init(argc, argv);
  RUN_JOBS_CASE(a_failing_type_is_snoozed_while_its_breaker_is_open_and_runs_after);
  RUN_JOBS_CASE(permanent_failures_do_not_trip_the_breaker);
  RUN_JOBS_CASE(removing_the_breakers_runs_every_job_again);
  RUN_JOBS_CASE(bad_input_is_refused_by_name_and_changes_nothing);
  return check_summary();
}
