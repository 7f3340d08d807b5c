/* A worker killed with SIGKILL in the middle of a job: the job is not lost. After its lease it comes back
 * as a failed attempt ("lease expired"), runs again on another worker, and completes. */
#include "jobs_fixtures.h" /* first: it sets _POSIX_C_SOURCE */

#include <signal.h>
#include <sys/wait.h>

#define MS BACKOFF_MILLISECOND
#define SECOND BACKOFF_SECOND

static void a_killed_workers_job_runs_again_after_its_lease(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = test_queue("crash");
  const int64_t id = enqueue_text(store, queue, "t", "x", NULL);
  int ready[2];
  pid_t child;
  char byte = 0;
  backoff_jobs_rows *rows = NULL, *errors = NULL;
  int64_t started, now = 0;
  CHECK(pipe(ready) == 0);
  child = fork();
  if (child == 0) {
    /* The doomed worker: claims the job with a 300 ms lease, says so, and "works" until it is killed. */
    backoff_jobs_store *doomed = open_store();
    backoff_jobs_rows *mine = NULL;
    if (backoff_jobs_claim(&mine, doomed, queue, 1, 300 * MS, "doomed") != BACKOFF_OK) _exit(3);
    if (write(ready[1], "c", 1) != 1) _exit(4);
    for (;;) pause();
  }
  CHECK(read(ready[0], &byte, 1) == 1);
  CHECK_I64(job_state(store, id), BACKOFF_JOBS_RUNNING);
  CHECK(kill(child, SIGKILL) == 0);
  waitpid(child, NULL, 0);
  CHECK_STATUS(backoff_jobs_now(&started, store), BACKOFF_OK);

  /* Another worker waits for work: the expired lease wakes it, its job is swept back and claimed. The
   * default policy retries the lost attempt after at most 1 s (full jitter on 1 s). */
  for (now = started; now - started < 10 * SECOND;) {
    int woken = 0;
    CHECK_STATUS(backoff_jobs_wait(&woken, store, queue, 2 * SECOND), BACKOFF_OK);
    backoff_jobs_rows_free(rows);
    rows = claim(store, queue, 1, 30 * SECOND);
    if (row_count(rows) == 1) break;
    CHECK_STATUS(backoff_jobs_now(&now, store), BACKOFF_OK);
  }
  CHECK_U64(row_count(rows), 1);
  CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_ID), id);
  CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_ATTEMPT), 2);
  CHECK_STATUS(backoff_jobs_complete(store, id, row_i64(rows, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN)), BACKOFF_OK);
  CHECK_I64(job_state(store, id), BACKOFF_JOBS_COMPLETED);
  CHECK_STATUS(backoff_jobs_errors(&errors, store, id), BACKOFF_OK);
  CHECK_U64(row_count(errors), 1);
  CHECK(strstr(row_text(errors, 0, BACKOFF_JOBS_FIELD_ERROR), "doomed") != NULL);
  backoff_jobs_rows_free(errors);
  backoff_jobs_rows_free(rows);
  backoff_jobs_close(store);
}

int main(int argc, char **argv) {
  jobs_fixture_init(argc, argv);
  RUN_CASE(a_killed_workers_job_runs_again_after_its_lease);
  return check_summary();
}
