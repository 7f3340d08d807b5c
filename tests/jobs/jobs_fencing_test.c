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

/* Two workers, each on a store of its own, at one immediate queue; the first holds a job of it. */
typedef struct two_workers {
  backoff_jobs_store *first, *second;
  const char *queue;
  claimed_job job; /* the first worker's, claimed with the lease asked for */
} two_workers;

static two_workers two_workers_one_claimed(const char *name, int64_t lease_ns) {
  two_workers workers;
  workers.first = open_store();
  workers.second = open_store();
  workers.queue = immediate_queue(workers.first, name);
  workers.job = enqueue_and_claim(workers.first, workers.queue, "x", lease_ns);
  return workers;
}

static void a_stale_worker_cannot_finalize_a_reclaimed_job(void) {
  const two_workers workers = two_workers_one_claimed("fence", 50 * MS);
  backoff_jobs_store *stale = workers.first, *fresh = workers.second;
  const int64_t id = workers.job.id, old_token = workers.job.lease_token;
  const backoff_jobs_rows *new_claim;
  int64_t new_token;
  sleep_ms(120); /* the lease runs out; the other worker's claim sweeps it and takes the job */
  new_claim = claim(fresh, workers.queue, 1, 30 * SECOND);
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
  check_one_error(stale, id, "lease expired");
}

static void a_heartbeat_keeps_the_lease(void) {
  const two_workers workers = two_workers_one_claimed("heartbeat", 150 * MS);
  backoff_jobs_store *worker = workers.first;
  const int64_t id = workers.job.id, token = workers.job.lease_token;
  int64_t expires = 0, now = 0;
  CHECK_STATUS(backoff_jobs_heartbeat(&expires, worker, id, token, 30 * SECOND), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_now(&now, worker), BACKOFF_OK);
  CHECK_IN_RANGE(expires - now, 29 * SECOND, 30 * SECOND);
  sleep_ms(250);
  CHECK_U64(row_count(claim(workers.second, workers.queue, 1, 30 * SECOND)), 0);
  CHECK_STATUS(backoff_jobs_complete(worker, id, token), BACKOFF_OK);
  CHECK_ERROR(backoff_jobs_heartbeat(NULL, worker, id, token, 0), BACKOFF_EINVAL, "lease_ns");
  CHECK_ERROR(backoff_jobs_heartbeat(NULL, worker, INT64_MAX, token, SECOND), BACKOFF_JOBS_ENOTFOUND, "job_id");
}

static void an_expired_lease_nobody_took_still_completes(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = immediate_queue(store, "late");
  const claimed_job job = enqueue_and_claim(store, queue, "x", 20 * MS);
  sleep_ms(60);
  CHECK_STATUS(backoff_jobs_complete(store, job.id, job.lease_token), BACKOFF_OK);
  CHECK_I64(job_state(store, job.id), BACKOFF_JOBS_COMPLETED);
}

static void release_hands_a_job_back_without_counting_the_attempt(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = immediate_queue(store, "release");
  const claimed_job job = enqueue_and_claim(store, queue, "x", 30 * SECOND);
  const int64_t id = job.id, token = job.lease_token;
  backoff_jobs_rows *again;
  CHECK_ERROR(backoff_jobs_complete(store, id, token + 1), BACKOFF_JOBS_ESTALE, "lease_token");
  CHECK_STATUS(backoff_jobs_release(store, id, token), BACKOFF_OK);
  CHECK_I64(job_state(store, id), BACKOFF_JOBS_SCHEDULED);
  again = claim(store, queue, 1, 30 * SECOND);
  CHECK_I64(row_i64(again, 0, BACKOFF_JOBS_FIELD_ATTEMPT), 1);
  CHECK(row_i64(again, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN) != token);
}

int main(int argc, char **argv) {
  jobs_fixture_init(argc, argv);
  RUN_JOBS_CASE(a_stale_worker_cannot_finalize_a_reclaimed_job);
  RUN_JOBS_CASE(a_heartbeat_keeps_the_lease);
  RUN_JOBS_CASE(an_expired_lease_nobody_took_still_completes);
  RUN_JOBS_CASE(release_hands_a_job_back_without_counting_the_attempt);
  return check_summary();
}
