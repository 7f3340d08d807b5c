/* PostgreSQL restarts (pg_ctl restart, as scripts/pg-cluster restart runs it) while worker processes are
 * busy: they reconnect and carry on; every job completes, none is lost, none runs twice. */
#include "jobs_fixtures.h"

#define MS BACKOFF_MILLISECOND
#define SECOND BACKOFF_SECOND
#define JOBS 600
#define WORKERS 3

static void workers_reconnect_after_a_server_restart_and_lose_nothing(void) {
  const char *restart = getenv("BACKOFF_TEST_PG_RESTART");
  backoff_jobs_store *store = open_store();
  const char *queue = test_queue("restart");
  pid_t children[WORKERS];
  static int64_t ids[JOBS];
  int i;
  if (restart == NULL) {
    fprintf(stderr, "FAILED: BACKOFF_TEST_PG_RESTART is not set: run this test through scripts/test-jobs\n");
    exit(1);
  }
  for (i = 0; i < JOBS; ++i) ids[i] = enqueue_text(store, queue, "t", "x", NULL);
  start_logged_workers(children, WORKERS, queue, 10, 5 * SECOND, 3 * SECOND, 2);
  /* Restart the server once a part of the jobs is done. */
  while (count_in_state(store, queue, BACKOFF_JOBS_COMPLETED) < JOBS / 4) sleep_ms(20);
  CHECK(system(restart) == 0);
  check_each_job_ran_once(children, WORKERS, ids, JOBS);
  CHECK_I64(count_in_state(store, queue, BACKOFF_JOBS_COMPLETED), JOBS); /* the parent's store reconnects too */
  backoff_jobs_close(store);
}

int main(int argc, char **argv) {
  jobs_fixture_init(argc, argv);
  RUN_CASE(workers_reconnect_after_a_server_restart_and_lose_nothing);
  return check_summary();
}
