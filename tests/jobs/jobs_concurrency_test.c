/* Several worker processes on one queue: every job runs exactly once and completes. Each handler appends
 * its job id to a shared log; the parent counts the runs per job. */
#include "jobs_fixtures.h"

#define SECOND BACKOFF_SECOND
#define JOBS 400
#define WORKERS 4

static void worker_processes_never_run_a_job_twice(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = test_queue("concurrent");
  pid_t children[WORKERS];
  static int64_t ids[JOBS];
  int i;
  for (i = 0; i < JOBS; ++i) ids[i] = enqueue_text(store, queue, "t", "x", NULL);
  /* Small batches, so the workers interleave; idle for 1 s: the queue is done. */
  start_logged_workers(children, WORKERS, queue, 5, 30 * SECOND, SECOND, 0);
  check_each_job_ran_once(children, WORKERS, ids, JOBS);
  CHECK_I64(count_in_state(store, queue, BACKOFF_JOBS_COMPLETED), JOBS);
  backoff_jobs_close(store);
}

int main(int argc, char **argv) {
  jobs_fixture_init(argc, argv);
  RUN_CASE(worker_processes_never_run_a_job_twice);
  return check_summary();
}
