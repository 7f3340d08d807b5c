/* backoff_jobs_work: the handler's verdict completes, retries or fails each job; the loop stops at its
 * limits or on an interrupt; a handler may heartbeat its store but not re-enter it otherwise. */
#include "jobs_fixtures.h"

#define MS BACKOFF_MILLISECOND
#define SECOND BACKOFF_SECOND

struct seen {
  backoff_jobs_store *store;
  int runs;
  int reentry_status;
  int heartbeat_status;
  int interrupt_after;
};

/* Acts on the payload: "ok" succeeds, "retry" fails retryably with a hint, "fatal" fails for good,
 * "odd" returns a value that is no backoff_attempt. */
static int handler(int64_t *out_hint_ns, char *error, uint64_t error_size, const backoff_jobs_rows *jobs, uint64_t index,
                   void *user_data) {
  struct seen *seen = user_data;
  const char *payload = row_text(jobs, index, BACKOFF_JOBS_FIELD_PAYLOAD);
  backoff_jobs_rows *ignored = NULL;
  ++seen->runs;
  seen->reentry_status = backoff_jobs_claim(&ignored, seen->store, "x", 1, SECOND, NULL);
  seen->heartbeat_status = backoff_jobs_heartbeat(NULL, seen->store, row_i64(jobs, index, BACKOFF_JOBS_FIELD_ID),
                                                  row_i64(jobs, index, BACKOFF_JOBS_FIELD_LEASE_TOKEN), 10 * SECOND);
  if (seen->interrupt_after > 0 && seen->runs == seen->interrupt_after) backoff_jobs_interrupt(seen->store);
  if (strcmp(payload, "retry") == 0) {
    *out_hint_ns = 5 * SECOND;
    snprintf(error, (size_t)error_size, "upstream busy");
    return BACKOFF_ATTEMPT_RETRYABLE;
  }
  if (strcmp(payload, "fatal") == 0) {
    snprintf(error, (size_t)error_size, "cannot parse");
    return BACKOFF_ATTEMPT_PERMANENT;
  }
  return strcmp(payload, "odd") == 0 ? 42 : BACKOFF_ATTEMPT_SUCCESS;
}

/* A queue whose retries wait 2 s: none comes due before a loop idle for 300 ms returns. */
static const char *slow_retry_queue(backoff_jobs_store *store, const char *name) {
  return queue_with_policy(store, name, "kind=constant initial=2s jitter=none");
}

static void each_verdict_completes_retries_or_fails_the_job(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = slow_retry_queue(store, "loop");
  struct seen seen = {NULL, 0, 0, 0, 0};
  const int64_t ok = enqueue_text(store, queue, "t", "ok", NULL);
  const int64_t retry = enqueue_text(store, queue, "t", "retry", NULL);
  const int64_t fatal = enqueue_text(store, queue, "t", "fatal", NULL);
  const int64_t odd = enqueue_text(store, queue, "t", "odd", NULL);
  uint64_t handled = 0;
  backoff_jobs_rows *rows = NULL;
  int64_t now = 0;
  seen.store = store;
  CHECK_STATUS(backoff_jobs_work(&handled, store, queue, 10, 30 * SECOND, 0, 300 * MS, handler, &seen), BACKOFF_OK);
  CHECK_U64(handled, 4);
  CHECK_I64(seen.runs, 4);
  CHECK_I64(seen.reentry_status, BACKOFF_EREENTRANT);
  CHECK_I64(seen.heartbeat_status, BACKOFF_OK);
  CHECK_I64(job_state(store, ok), BACKOFF_JOBS_COMPLETED);
  CHECK_I64(job_state(store, fatal), BACKOFF_JOBS_FAILED);
  CHECK_I64(job_state(store, odd), BACKOFF_JOBS_SCHEDULED);
  CHECK_I64(job_state(store, retry), BACKOFF_JOBS_SCHEDULED);
  /* The hint (5 s) raised the policy's 2 s. */
  CHECK_STATUS(backoff_jobs_get(&rows, store, retry), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_now(&now, store), BACKOFF_OK);
  CHECK_IN_RANGE(row_i64(rows, 0, BACKOFF_JOBS_FIELD_RUN_AT_NS) - now, 4 * SECOND, 5 * SECOND);
  CHECK(strcmp(row_text(rows, 0, BACKOFF_JOBS_FIELD_ERROR), "upstream busy") == 0);
  backoff_jobs_rows_free(rows);
  CHECK_STATUS(backoff_jobs_get(&rows, store, odd), BACKOFF_OK);
  CHECK(strcmp(row_text(rows, 0, BACKOFF_JOBS_FIELD_ERROR), "handler returned 42") == 0);
  backoff_jobs_rows_free(rows);
  backoff_jobs_close(store);
}

/* Runs the loop over `jobs` successful jobs with max_jobs and an interrupt from the handler's run number
 * `interrupt_after` (0: none); checks the status, and that two were completed and the rest handed back. */
static void loop_stops_after_two(const char *name, int jobs, uint64_t max_jobs, int interrupt_after, int expected) {
  backoff_jobs_store *store = open_store();
  const char *queue = test_queue(name);
  struct seen seen = {NULL, 0, 0, 0, 0};
  uint64_t handled = 0;
  int i;
  seen.store = store;
  seen.interrupt_after = interrupt_after;
  for (i = 0; i < jobs; ++i) enqueue_text(store, queue, "t", "ok", NULL);
  CHECK_STATUS(backoff_jobs_work(&handled, store, queue, (uint32_t)jobs, 30 * SECOND, max_jobs, 0, handler, &seen),
               expected);
  CHECK_U64(handled, 2);
  CHECK_I64(count_in_state(store, queue, BACKOFF_JOBS_COMPLETED), 2);
  CHECK_I64(count_in_state(store, queue, BACKOFF_JOBS_SCHEDULED), jobs - 2); /* released, not left leased */
  CHECK_I64(count_in_state(store, queue, BACKOFF_JOBS_RUNNING), 0);
  backoff_jobs_close(store);
}

static void the_loop_stops_at_max_jobs_and_hands_back_the_rest(void) { loop_stops_after_two("max-jobs", 5, 2, 0, BACKOFF_OK); }

static void an_interrupt_ends_the_loop_with_canceled(void) {
  backoff_jobs_store *store = open_store();
  loop_stops_after_two("interrupt", 4, 0, 2, BACKOFF_ECANCELED);
  CHECK_MESSAGE_NAMES("interrupted");
  /* An interrupt before a wait ends the wait. */
  backoff_jobs_interrupt(store);
  CHECK_ERROR(backoff_jobs_wait(NULL, store, "empty-queue", 10 * SECOND), BACKOFF_ECANCELED, "interrupted");
  backoff_jobs_close(store);
}

static void an_idle_wait_times_out_without_work(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = test_queue("idle");
  int woken = -1;
  int64_t before = 0, after = 0;
  CHECK_STATUS(backoff_jobs_now(&before, store), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_wait(&woken, store, queue, 200 * MS), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_now(&after, store), BACKOFF_OK);
  CHECK_I64(woken, 0);
  CHECK_IN_RANGE(after - before, 190 * MS, 2 * SECOND);
  enqueue_text(store, queue, "t", "ok", NULL);
  CHECK_STATUS(backoff_jobs_wait(&woken, store, queue, 0), BACKOFF_OK);
  CHECK_I64(woken, 1);
  backoff_jobs_close(store);
}

int main(int argc, char **argv) {
  jobs_fixture_init(argc, argv);
  RUN_CASE(each_verdict_completes_retries_or_fails_the_job);
  RUN_CASE(the_loop_stops_at_max_jobs_and_hands_back_the_rest);
  RUN_CASE(an_interrupt_ends_the_loop_with_canceled);
  RUN_CASE(an_idle_wait_times_out_without_work);
  return check_summary();
}
