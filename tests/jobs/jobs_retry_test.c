/* Retries as the engine decides them: a failed job runs again at now + backoff_policy_delay_hinted(policy,
 * attempt - 1, key = job id, ...), its policy the job's own or its queue's; permanent failures and spent
 * attempts end in failed with every attempt's error; requeue, cancel and purge. */
#include "jobs_fixtures.h"

#define MS BACKOFF_MILLISECOND
#define SECOND BACKOFF_SECOND

/* Fails the running job and checks that its next run is the engine's delay for (attempt, id) from the
 * database's now at the failure. Returns the state the job went to. */
static int fail_and_check_schedule(backoff_jobs_store *store, const backoff_policy *policy, const backoff_jobs_rows *rows,
                                   const char *error, int64_t hint_ns) {
  const int64_t id = row_i64(rows, 0, BACKOFF_JOBS_FIELD_ID);
  const int64_t attempt = row_i64(rows, 0, BACKOFF_JOBS_FIELD_ATTEMPT);
  int64_t before = 0, after = 0, run_at = -1, expected = -2;
  int state = -1;
  CHECK_STATUS(backoff_jobs_now(&before, store), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_fail(&state, &run_at, store, id, row_i64(rows, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN), error, 0,
                                 hint_ns),
               BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_now(&after, store), BACKOFF_OK);
  CHECK_STATUS(backoff_policy_delay_hinted(&expected, policy, (uint64_t)(attempt - 1), (uint64_t)id, 0, hint_ns), BACKOFF_OK);
  if (expected == BACKOFF_STOP) {
    CHECK_I64(state, BACKOFF_JOBS_FAILED);
    CHECK_I64(run_at, 0);
  } else {
    CHECK_I64(state, BACKOFF_JOBS_SCHEDULED);
    /* The database's now at the failure lies between our two readings (PostgreSQL: the transaction's start). */
    CHECK_IN_RANGE(run_at - expected, before - 5 * MS, after);
  }
  return state;
}

/* Waits for the queue's next due job and claims it. */
static backoff_jobs_rows *claim_when_due(backoff_jobs_store *store, const char *queue) {
  int woken = 0;
  CHECK_STATUS(backoff_jobs_wait(&woken, store, queue, 5 * SECOND), BACKOFF_OK);
  CHECK_I64(woken, 1);
  return claim(store, queue, 1, 30 * SECOND);
}

static void a_queue_policy_schedules_each_retry_until_attempts_are_spent(void) {
  backoff_policy *policy = policy_from("kind=exponential initial=40ms cap=200ms jitter=full max_attempts=4 seed=42");
  backoff_policy *read_back = NULL;
  backoff_jobs_store *store = open_store();
  char text[64];
  const char *queue = test_queue("retry");
  backoff_jobs_rows *rows, *errors;
  int64_t id, attempt;
  uint64_t i;
  CHECK_STATUS(backoff_jobs_queue_set_policy(store, queue, policy), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_queue_policy(&read_back, store, queue), BACKOFF_OK);
  id = enqueue_text(store, queue, "flaky", "{}", NULL);
  rows = claim(store, queue, 1, 30 * SECOND);
  CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_MAX_ATTEMPTS), 4);
  for (attempt = 1; attempt <= 4; ++attempt) {
    CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_ATTEMPT), attempt);
    snprintf(text, sizeof text, "timeout on attempt %d", (int)attempt);
    /* The schedule is the engine's for the stored policy, which equals the queue's policy read back. */
    if (fail_and_check_schedule(store, read_back, rows, text, 0) == BACKOFF_JOBS_FAILED) break;
    backoff_jobs_rows_free(rows);
    rows = claim_when_due(store, queue);
  }
  backoff_jobs_rows_free(rows);
  CHECK_I64(attempt, 4);
  CHECK_I64(job_state(store, id), BACKOFF_JOBS_FAILED);
  /* Every attempt's error is kept, in order. */
  CHECK_STATUS(backoff_jobs_errors(&errors, store, id), BACKOFF_OK);
  CHECK_U64(row_count(errors), 4);
  for (i = 0; i < row_count(errors); ++i) {
    snprintf(text, sizeof text, "timeout on attempt %d", (int)i + 1);
    CHECK_I64(row_i64(errors, i, BACKOFF_JOBS_FIELD_ATTEMPT), (int64_t)i + 1);
    CHECK(strcmp(row_text(errors, i, BACKOFF_JOBS_FIELD_ERROR), text) == 0);
  }
  backoff_jobs_rows_free(errors);
  /* Requeue: a new run, its errors gone. */
  CHECK_STATUS(backoff_jobs_requeue(store, id), BACKOFF_OK);
  CHECK_I64(job_state(store, id), BACKOFF_JOBS_SCHEDULED);
  CHECK_STATUS(backoff_jobs_errors(&errors, store, id), BACKOFF_OK);
  CHECK_U64(row_count(errors), 0);
  backoff_jobs_rows_free(errors);
  rows = claim(store, queue, 1, 30 * SECOND);
  CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_ATTEMPT), 1);
  backoff_jobs_rows_free(rows);
  CHECK_ERROR(backoff_jobs_requeue(store, id), BACKOFF_JOBS_ESTATE, "running");
  CHECK_ERROR(backoff_jobs_requeue(store, INT64_MAX), BACKOFF_JOBS_ENOTFOUND, "job_id");
  backoff_policy_free(read_back);
  backoff_policy_free(policy);
  backoff_jobs_close(store);
}

static void a_job_policy_and_a_hint_override_the_queue(void) {
  backoff_policy *policy = policy_from("kind=constant initial=20ms cap=300ms jitter=none max_attempts=9");
  /* What the job runs by: its own policy with the max_attempts of its options. */
  backoff_policy *stored = policy_from("kind=constant initial=20ms cap=300ms jitter=none max_attempts=3");
  backoff_jobs_store *store = open_store();
  backoff_jobs_options *options = NULL;
  const char *queue = test_queue("own-policy");
  backoff_jobs_rows *rows;
  backoff_jobs_options_new(&options);
  CHECK_STATUS(backoff_jobs_options_set_policy(options, policy), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_options_set_i64(options, BACKOFF_JOBS_OPT_MAX_ATTEMPTS, 3), BACKOFF_OK);
  enqueue_text(store, queue, "t", "{}", options);
  rows = claim(store, queue, 1, 30 * SECOND);
  CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_MAX_ATTEMPTS), 3); /* the option outranks the policy's 9 */
  fail_and_check_schedule(store, stored, rows, "503", 0);
  backoff_jobs_rows_free(rows);
  rows = claim_when_due(store, queue);
  /* A hint of 10 s raises the 20 ms delay; the engine still caps it at 300 ms. */
  CHECK_I64(fail_and_check_schedule(store, stored, rows, "429 Retry-After", 10 * SECOND), BACKOFF_JOBS_SCHEDULED);
  backoff_jobs_rows_free(rows);
  rows = claim_when_due(store, queue);
  CHECK_I64(fail_and_check_schedule(store, stored, rows, "429 Retry-After", 250 * MS), BACKOFF_JOBS_FAILED);
  backoff_jobs_rows_free(rows);
  backoff_policy_free(stored);
  backoff_jobs_options_free(options);
  backoff_policy_free(policy);
  backoff_jobs_close(store);
}

static void a_permanent_failure_fails_the_job_at_once(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = test_queue("permanent");
  const int64_t id = enqueue_text(store, queue, "t", "not json", NULL);
  backoff_jobs_rows *rows = claim(store, queue, 1, 30 * SECOND), *errors = NULL, *job = NULL;
  int state = -1;
  uint64_t requeued = 0;
  CHECK_STATUS(backoff_jobs_fail(&state, NULL, store, id, row_i64(rows, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN), "bad payload",
                                 1, 0),
               BACKOFF_OK);
  CHECK_I64(state, BACKOFF_JOBS_FAILED);
  CHECK_STATUS(backoff_jobs_errors(&errors, store, id), BACKOFF_OK);
  CHECK_U64(row_count(errors), 1);
  CHECK_STATUS(backoff_jobs_get(&job, store, id), BACKOFF_OK);
  CHECK(strcmp(row_text(job, 0, BACKOFF_JOBS_FIELD_ERROR), "bad payload") == 0);
  CHECK(row_i64(job, 0, BACKOFF_JOBS_FIELD_FINISHED_AT_NS) > 0);
  CHECK_STATUS(backoff_jobs_requeue_failed(&requeued, store, queue), BACKOFF_OK);
  CHECK_U64(requeued, 1);
  CHECK_I64(job_state(store, id), BACKOFF_JOBS_SCHEDULED);
  backoff_jobs_rows_free(job);
  backoff_jobs_rows_free(errors);
  backoff_jobs_rows_free(rows);
  backoff_jobs_close(store);
}

static void cancel_stops_a_scheduled_or_running_job(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = test_queue("cancel");
  const int64_t waiting = enqueue_text(store, queue, "t", "a", NULL);
  int64_t running;
  backoff_jobs_rows *rows;
  CHECK_STATUS(backoff_jobs_cancel(store, waiting), BACKOFF_OK);
  CHECK_I64(job_state(store, waiting), BACKOFF_JOBS_CANCELLED);
  CHECK_ERROR(backoff_jobs_cancel(store, waiting), BACKOFF_JOBS_ESTATE, "cancelled");
  enqueue_text(store, queue, "t", "b", NULL);
  rows = claim(store, queue, 1, 30 * SECOND);
  running = row_i64(rows, 0, BACKOFF_JOBS_FIELD_ID);
  CHECK_STATUS(backoff_jobs_cancel(store, running), BACKOFF_OK);
  /* Its worker finds out when it reports. */
  CHECK_ERROR(backoff_jobs_complete(store, running, row_i64(rows, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN)), BACKOFF_JOBS_ESTALE,
              "lease_token");
  CHECK_I64(job_state(store, running), BACKOFF_JOBS_CANCELLED);
  CHECK_STATUS(backoff_jobs_requeue(store, running), BACKOFF_OK); /* cancelled jobs can be given another run */
  backoff_jobs_rows_free(rows);
  backoff_jobs_close(store);
}

static void purge_deletes_finished_jobs_past_their_age(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = test_queue("purge");
  int64_t done_id;
  uint64_t purged = 99;
  backoff_jobs_rows *rows, *errors = NULL;
  int i;
  for (i = 0; i < 3; ++i) enqueue_text(store, queue, "t", "x", NULL);
  rows = claim(store, queue, 2, 30 * SECOND);
  done_id = row_i64(rows, 0, BACKOFF_JOBS_FIELD_ID);
  CHECK_STATUS(backoff_jobs_complete(store, done_id, row_i64(rows, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN)), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_fail(NULL, NULL, store, row_i64(rows, 1, BACKOFF_JOBS_FIELD_ID),
                                 row_i64(rows, 1, BACKOFF_JOBS_FIELD_LEASE_TOKEN), "boom", 1, 0),
               BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_purge(&purged, store, queue, BACKOFF_JOBS_COMPLETED, 3600 * SECOND), BACKOFF_OK);
  CHECK_U64(purged, 0); /* finished just now: younger than an hour */
  CHECK_STATUS(backoff_jobs_purge(&purged, store, queue, BACKOFF_JOBS_COMPLETED, 0), BACKOFF_OK);
  CHECK_U64(purged, 1);
  CHECK_I64(job_state(store, done_id), -1);
  CHECK_STATUS(backoff_jobs_purge(&purged, store, queue, BACKOFF_JOBS_FAILED, 0), BACKOFF_OK);
  CHECK_U64(purged, 1);
  CHECK_ERROR(backoff_jobs_errors(&errors, store, row_i64(rows, 1, BACKOFF_JOBS_FIELD_ID)), BACKOFF_JOBS_ENOTFOUND, "job_id");
  CHECK_I64(count_in_state(store, queue, BACKOFF_JOBS_SCHEDULED), 1); /* unfinished jobs stay */
  backoff_jobs_rows_free(rows);
  backoff_jobs_close(store);
}

int main(int argc, char **argv) {
  jobs_fixture_init(argc, argv);
  RUN_CASE(a_queue_policy_schedules_each_retry_until_attempts_are_spent);
  RUN_CASE(a_job_policy_and_a_hint_override_the_queue);
  RUN_CASE(a_permanent_failure_fails_the_job_at_once);
  RUN_CASE(cancel_stops_a_scheduled_or_running_job);
  RUN_CASE(purge_deletes_finished_jobs_past_their_age);
  return check_summary();
}
