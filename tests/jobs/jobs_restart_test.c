/* PostgreSQL restarts (pg_ctl restart, as scripts/pg-cluster restart runs it) while worker processes are
 * busy: they reconnect and carry on; every job completes, none is lost, none runs twice. */
#include "jobs_fixtures.h" /* first: it sets _POSIX_C_SOURCE */

#include <fcntl.h>
#include <sys/wait.h>

#define MS BACKOFF_MILLISECOND
#define SECOND BACKOFF_SECOND
#define JOBS 600
#define WORKERS 3

static int run_log = -1;

static int slow_job(int64_t *out_hint_ns, char *error, uint64_t error_size, const backoff_jobs_rows *jobs, uint64_t index,
                    void *user_data) {
  char line[32];
  int64_t id = 0;
  int length;
  (void)out_hint_ns, (void)error, (void)error_size, (void)user_data;
  backoff_jobs_rows_get_i64(&id, jobs, index, BACKOFF_JOBS_FIELD_ID);
  sleep_ms(2);
  length = snprintf(line, sizeof line, "%ld\n", (long)id);
  return write(run_log, line, (size_t)length) == length ? BACKOFF_ATTEMPT_SUCCESS : BACKOFF_ATTEMPT_RETRYABLE;
}

static void workers_reconnect_after_a_server_restart_and_lose_nothing(void) {
  const char *restart = getenv("BACKOFF_TEST_PG_RESTART");
  backoff_jobs_store *store = open_store();
  char q[64], log_path[128];
  const char *queue = queue_named(q, sizeof q, "restart");
  static int64_t ids[JOBS];
  static int runs[JOBS];
  pid_t children[WORKERS];
  int i, status;
  long id;
  FILE *log;
  if (restart == NULL) {
    fprintf(stderr, "FAILED: BACKOFF_TEST_PG_RESTART is not set: run this test through scripts/test-jobs\n");
    exit(1);
  }
  snprintf(log_path, sizeof log_path, "/tmp/backoff-jobs-restart-%ld.log", (long)getpid());
  run_log = open(log_path, O_CREAT | O_TRUNC | O_WRONLY | O_APPEND, 0600);
  CHECK(run_log >= 0);
  for (i = 0; i < JOBS; ++i) ids[i] = enqueue_text(store, queue, "t", "x", NULL);
  for (i = 0; i < WORKERS; ++i) {
    children[i] = fork();
    if (children[i] == 0) {
      backoff_jobs_store *mine = open_store();
      uint64_t handled = 0;
      const int rc = backoff_jobs_work(&handled, mine, queue, 10, 5 * SECOND, 0, 3 * SECOND, slow_job, NULL);
      if (rc != BACKOFF_OK) fprintf(stderr, "worker %d: %s\n", (int)getpid(), backoff_last_error());
      backoff_jobs_close(mine);
      _exit(rc == BACKOFF_OK ? 0 : 1);
    }
  }
  /* Restart the server once a part of the jobs is done. */
  while (count_in_state(store, queue, BACKOFF_JOBS_COMPLETED) < JOBS / 4) sleep_ms(20);
  CHECK(system(restart) == 0);
  for (i = 0; i < WORKERS; ++i) {
    CHECK(waitpid(children[i], &status, 0) == children[i]);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  close(run_log);
  log = fopen(log_path, "r");
  while (log != NULL && fscanf(log, "%ld", &id) == 1) {
    if (id >= ids[0] && id <= ids[JOBS - 1]) ++runs[id - ids[0]];
  }
  if (log != NULL) fclose(log);
  unlink(log_path);
  CHECK_I64(count_in_state(store, queue, BACKOFF_JOBS_COMPLETED), JOBS); /* the parent's store reconnects too */
  for (i = 0; i < JOBS; ++i) CHECK_I64(runs[i], 1);
  backoff_jobs_close(store);
}

int main(int argc, char **argv) {
  jobs_fixture_init(argc, argv);
  RUN_CASE(workers_reconnect_after_a_server_restart_and_lose_nothing);
  return check_summary();
}
