/* Lease tokens fence every report: once a lease has expired and its job was claimed again, the old
 * worker's complete, fail, heartbeat and release change nothing. Heartbeats keep a lease; release hands a
 * job back unrun. */
#include "jobs_fixtures.h"

#define MS BACKOFF_MILLISECOND
#define SECOND BACKOFF_SECOND

/* A queue whose retries run at once, so a swept job is claimable in the same claim. */
static const char *immediate_queue(backoff_jobs_store *store, const char *name) {
  return queue_with_policy(store, name, "kind=constant initial=0 jitter=none max_attempts=10");
}

static void a_stale_worker_cannot_finalize_a_reclaimed_job(void) {
  backoff_jobs_store *stale = open_store(), *fresh = open_store();
  const char *queue = immediate_queue(stale, "fence");
  const int64_t id = enqueue_text(stale, queue, "t", "x", NULL);
  backoff_jobs_rows *old_claim = claim(stale, queue, 1, 50 * MS), *new_claim, *errors = NULL;
  const int64_t old_token = row_i64(old_claim, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN);
  int64_t new_token;
  sleep_ms(120); /* the lease runs out; the other worker's claim sweeps it and takes the job */
  new_claim = claim(fresh, queue, 1, 30 * SECOND);
  CHECK_U64(row_count(new_claim), 1);
  CHECK_I64(row_i64(new_claim, 0, BACKOFF_JOBS_FIELD_ID), id);
  CHECK_I64(row_i64(new_claim, 0, BACKOFF_JOBS_FIELD_ATTEMPT), 2);
  new_token = row_i64(new_claim, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN);
  CHECK(new_token != old_token);
  CHECK_ERROR(backoff_jobs_complete(stale, id, old_token), BACKOFF_JOBS_ESTALE, "lease_token");
  CHECK_ERROR(backoff_jobs_fail(NULL, NULL, stale, id, old_token, "late", 1, 0), BACKOFF_JOBS_ESTALE, "lease_token");
  CHECK_ERROR(backoff_jobs_heartbeat(NULL, stale, id, old_token, 30 * SECOND), BACKOFF_JOBS_ESTALE, "lease_token");
  CHECK_ERROR(backoff_jobs_release(stale, id, old_token), BACKOFF_JOBS_ESTALE, "lease_token");
  {
    uint64_t completed = 99;
    CHECK_STATUS(backoff_jobs_complete_many(&completed, stale, &id, &old_token, 1), BACKOFF_OK);
    CHECK_U64(completed, 0);
  }
  CHECK_I64(job_state(stale, id), BACKOFF_JOBS_RUNNING); /* still the new worker's */
  CHECK_STATUS(backoff_jobs_complete(fresh, id, new_token), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_complete(fresh, id, new_token), BACKOFF_OK); /* a repeat after a lost reply is no error */
  CHECK_I64(job_state(stale, id), BACKOFF_JOBS_COMPLETED);
  /* The lost lease counts as a failed attempt, and its error says so. */
  CHECK_STATUS(backoff_jobs_errors(&errors, stale, id), BACKOFF_OK);
  CHECK_U64(row_count(errors), 1);
  CHECK(strstr(row_text(errors, 0, BACKOFF_JOBS_FIELD_ERROR), "lease expired") != NULL);
  backoff_jobs_rows_free(errors);
  backoff_jobs_rows_free(old_claim);
  backoff_jobs_rows_free(new_claim);
  backoff_jobs_close(stale);
  backoff_jobs_close(fresh);
}

static void a_heartbeat_keeps_the_lease(void) {
  backoff_jobs_store *worker = open_store(), *other = open_store();
  const char *queue = immediate_queue(worker, "heartbeat");
  const int64_t id = enqueue_text(worker, queue, "t", "x", NULL);
  backoff_jobs_rows *held = claim(worker, queue, 1, 150 * MS), *taken;
  const int64_t token = row_i64(held, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN);
  int64_t expires = 0, now = 0;
  CHECK_STATUS(backoff_jobs_heartbeat(&expires, worker, id, token, 30 * SECOND), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_now(&now, worker), BACKOFF_OK);
  CHECK_IN_RANGE(expires - now, 29 * SECOND, 30 * SECOND);
  sleep_ms(250);
  taken = claim(other, queue, 1, 30 * SECOND);
  CHECK_U64(row_count(taken), 0);
  CHECK_STATUS(backoff_jobs_complete(worker, id, token), BACKOFF_OK);
  CHECK_ERROR(backoff_jobs_heartbeat(NULL, worker, id, token, 0), BACKOFF_EINVAL, "lease_ns");
  CHECK_ERROR(backoff_jobs_heartbeat(NULL, worker, INT64_MAX, token, SECOND), BACKOFF_JOBS_ENOTFOUND, "job_id");
  backoff_jobs_rows_free(taken);
  backoff_jobs_rows_free(held);
  backoff_jobs_close(worker);
  backoff_jobs_close(other);
}

static void an_expired_lease_nobody_took_still_completes(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = immediate_queue(store, "late");
  const int64_t id = enqueue_text(store, queue, "t", "x", NULL);
  backoff_jobs_rows *rows = claim(store, queue, 1, 20 * MS);
  sleep_ms(60);
  CHECK_STATUS(backoff_jobs_complete(store, id, row_i64(rows, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN)), BACKOFF_OK);
  CHECK_I64(job_state(store, id), BACKOFF_JOBS_COMPLETED);
  backoff_jobs_rows_free(rows);
  backoff_jobs_close(store);
}

static void release_hands_a_job_back_without_counting_the_attempt(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = immediate_queue(store, "release");
  const int64_t id = enqueue_text(store, queue, "t", "x", NULL);
  backoff_jobs_rows *rows = claim(store, queue, 1, 30 * SECOND), *again;
  const int64_t token = row_i64(rows, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN);
  CHECK_ERROR(backoff_jobs_complete(store, id, token + 1), BACKOFF_JOBS_ESTALE, "lease_token");
  CHECK_STATUS(backoff_jobs_release(store, id, token), BACKOFF_OK);
  CHECK_I64(job_state(store, id), BACKOFF_JOBS_SCHEDULED);
  again = claim(store, queue, 1, 30 * SECOND);
  CHECK_I64(row_i64(again, 0, BACKOFF_JOBS_FIELD_ATTEMPT), 1);
  CHECK(row_i64(again, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN) != token);
  backoff_jobs_rows_free(again);
  backoff_jobs_rows_free(rows);
  backoff_jobs_close(store);
}

int main(int argc, char **argv) {
  jobs_fixture_init(argc, argv);
  RUN_CASE(a_stale_worker_cannot_finalize_a_reclaimed_job);
  RUN_CASE(a_heartbeat_keeps_the_lease);
  RUN_CASE(an_expired_lease_nobody_took_still_completes);
  RUN_CASE(release_hands_a_job_back_without_counting_the_attempt);
  return check_summary();
}
