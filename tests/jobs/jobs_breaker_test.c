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

/* Claims job `id` (alone in its queue) and asks its type's breaker; returns the permit, or 0 if refused. */
static uint64_t claim_and_admit(backoff_jobs_store *store, const char *queue, claimed_job *job, int64_t *snooze_ns) {
  const backoff_jobs_rows *rows = claim(store, queue, 1, 30 * SECOND);
  uint64_t permit = 7;
  CHECK_U64(row_count(rows), 1);
  job->id = row_i64(rows, 0, BACKOFF_JOBS_FIELD_ID);
  job->lease_token = row_i64(rows, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN);
  CHECK_STATUS(backoff_jobs_breaker_admit(&permit, snooze_ns, store, "down", job->id, job->lease_token), BACKOFF_OK);
  return permit;
}

/* A worker with a loop of its own (Python's asyncio worker) asks and tells the breakers one job at a
 * time, by the rules of backoff_jobs_work(): a permanent failure counts as neither success nor failure,
 * and a refused job is snoozed with its attempt unspent. */
static void a_loop_of_its_own_admits_records_and_snoozes_by_the_loop_s_rules(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = queue_with_policy(store, "breaker-own", "kind=constant initial=5s jitter=none");
  const int results[] = {BACKOFF_ATTEMPT_RETRYABLE, BACKOFF_ATTEMPT_RETRYABLE, BACKOFF_ATTEMPT_PERMANENT,
                         BACKOFF_ATTEMPT_RETRYABLE};
  claimed_job job;
  int64_t snooze_ns = -1, now = 0;
  uint64_t permit;
  int i;
  /* Without breakers every job is admitted without a permit, and recording permit 0 does nothing. */
  enqueue_text(store, queue, "down", "", NULL);
  CHECK_U64(claim_and_admit(store, queue, &job, &snooze_ns), 0);
  CHECK_I64(snooze_ns, 0);
  CHECK_STATUS(backoff_jobs_breaker_record(store, "down", 0, BACKOFF_ATTEMPT_RETRYABLE, 0, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_complete(store, job.id, job.lease_token), BACKOFF_OK);
  /* Three failures in a row trip it: two retryable, a permanent one that does not count (were it a
   * failure, the fourth job would be refused; were it a success, the count would start again), and a
   * retryable one. */
  set_breaker(store, "30s");
  for (i = 0; i < 4; ++i) {
    enqueue_text(store, queue, "down", "", NULL);
    permit = claim_and_admit(store, queue, &job, &snooze_ns);
    CHECK(permit != 0);
    CHECK_I64(snooze_ns, 0);
    CHECK_STATUS(backoff_jobs_breaker_record(store, "down", permit, results[i], 0, 1 * MS), BACKOFF_OK);
    CHECK_I64(fail_claimed(store, job, "refused", results[i] == BACKOFF_ATTEMPT_PERMANENT),
              results[i] == BACKOFF_ATTEMPT_PERMANENT ? BACKOFF_JOBS_FAILED : BACKOFF_JOBS_SCHEDULED);
  }
  CHECK_U64(snoozed(store), 0);
  /* Open: the next job is refused and already snoozed, due at the end of the open period. */
  enqueue_text(store, queue, "down", "", NULL);
  CHECK_U64(claim_and_admit(store, queue, &job, &snooze_ns), 0);
  CHECK_IN_RANGE(snooze_ns, 29 * SECOND, 30 * SECOND);
  CHECK_U64(snoozed(store), 1);
  CHECK_STATUS(backoff_jobs_now(&now, store), BACKOFF_OK);
  CHECK_I64(job_state(store, job.id), BACKOFF_JOBS_SCHEDULED);
  CHECK_I64(job_i64(store, job.id, BACKOFF_JOBS_FIELD_ATTEMPT), 0);
  CHECK_IN_RANGE(job_i64(store, job.id, BACKOFF_JOBS_FIELD_RUN_AT_NS) - now, 29 * SECOND, 30 * SECOND);
  CHECK_STATUS(backoff_jobs_complete(store, job.id, job.lease_token), BACKOFF_JOBS_ESTALE); /* its lease is gone */
  /* Another type is admitted meanwhile. */
  CHECK_STATUS(backoff_jobs_breaker_admit(&permit, &snooze_ns, store, "up", job.id, job.lease_token), BACKOFF_OK);
  CHECK(permit != 0);
  CHECK_I64(snooze_ns, 0);
}

static void bad_calls_to_admit_and_record_are_refused_by_name_and_change_nothing(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = test_queue("breaker-own-input");
  claimed_job job = enqueue_and_claim(store, queue, "", 30 * SECOND);
  uint64_t permit = 0;
  int64_t snooze_ns = 0;
  int i;
  set_breaker(store, "30s");
  CHECK_ERROR(backoff_jobs_breaker_admit(NULL, &snooze_ns, store, "t", job.id, job.lease_token), BACKOFF_ENULL,
              "out_permit");
  CHECK_ERROR(backoff_jobs_breaker_admit(&permit, NULL, store, "t", job.id, job.lease_token), BACKOFF_ENULL,
              "out_snooze_ns");
  CHECK_ERROR(backoff_jobs_breaker_admit(&permit, &snooze_ns, NULL, "t", job.id, job.lease_token), BACKOFF_ENULL,
              "store");
  CHECK_ERROR(backoff_jobs_breaker_admit(&permit, &snooze_ns, store, NULL, job.id, job.lease_token), BACKOFF_ENULL,
              "type");
  CHECK_ERROR(backoff_jobs_breaker_admit(&permit, &snooze_ns, store, "", job.id, job.lease_token), BACKOFF_EINVAL,
              "type");
  CHECK_ERROR(backoff_jobs_breaker_record(NULL, "t", 1, BACKOFF_ATTEMPT_SUCCESS, 0, 0), BACKOFF_ENULL, "store");
  CHECK_ERROR(backoff_jobs_breaker_record(store, NULL, 1, BACKOFF_ATTEMPT_SUCCESS, 0, 0), BACKOFF_ENULL, "type");
  CHECK_ERROR(backoff_jobs_breaker_record(store, "t", 1, BACKOFF_ATTEMPT_RETRYABLE, -1, 0), BACKOFF_EINVAL, "hint_ns");
  CHECK_ERROR(backoff_jobs_breaker_record(store, "t", 1, BACKOFF_ATTEMPT_RETRYABLE, 0, -1), BACKOFF_EINVAL,
              "duration_ns");
  /* None of it counted: three failures still trip the breaker, not fewer. */
  for (i = 0; i < 3; ++i) {
    CHECK_STATUS(backoff_jobs_breaker_admit(&permit, &snooze_ns, store, "t", job.id, job.lease_token), BACKOFF_OK);
    CHECK(permit != 0);
    CHECK_STATUS(backoff_jobs_breaker_record(store, "t", permit, BACKOFF_ATTEMPT_RETRYABLE, 0, 0), BACKOFF_OK);
  }
  /* Refused with a token that is not the job's: BACKOFF_JOBS_ESTALE, the job left as it is. */
  CHECK_STATUS(backoff_jobs_breaker_admit(&permit, &snooze_ns, store, "t", job.id, job.lease_token + 1),
               BACKOFF_JOBS_ESTALE);
  CHECK_I64(job_state(store, job.id), BACKOFF_JOBS_RUNNING);
  CHECK_U64(snoozed(store), 0);
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
  RUN_JOBS_CASE(a_loop_of_its_own_admits_records_and_snoozes_by_the_loop_s_rules);
  RUN_JOBS_CASE(bad_calls_to_admit_and_record_are_refused_by_name_and_change_nothing);
  return check_summary();
}
