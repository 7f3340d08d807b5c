/* Several worker processes on one queue: every job runs exactly once and completes. Each handler appends
 * its job id to a shared log (O_APPEND writes are atomic); the parent counts the runs per job. */
#include "jobs_fixtures.h" /* first: it sets _POSIX_C_SOURCE */

#include <fcntl.h>
#include <sys/wait.h>

#define SECOND BACKOFF_SECOND
#define JOBS 400
#define WORKERS 4

static int run_log = -1;

static int record_run(int64_t *out_hint_ns, char *error, uint64_t error_size, const backoff_jobs_rows *jobs,
                      uint64_t index, void *user_data) {
  char line[32];
  int64_t id = 0;
  int length;
  (void)out_hint_ns, (void)error, (void)error_size, (void)user_data;
  backoff_jobs_rows_get_i64(&id, jobs, index, BACKOFF_JOBS_FIELD_ID);
  length = snprintf(line, sizeof line, "%ld\n", (long)id);
  return write(run_log, line, (size_t)length) == length ? BACKOFF_ATTEMPT_SUCCESS : BACKOFF_ATTEMPT_RETRYABLE;
}

static void worker_processes_never_run_a_job_twice(void) {
  backoff_jobs_store *store = open_store();
  char q[64], log_path[128];
  const char *queue = queue_named(q, sizeof q, "concurrent");
  static int64_t ids[JOBS];
  static int runs[JOBS];
  pid_t children[WORKERS];
  int i, status;
  FILE *log;
  long id;
  snprintf(log_path, sizeof log_path, "/tmp/backoff-jobs-runs-%ld.log", (long)getpid());
  run_log = open(log_path, O_CREAT | O_TRUNC | O_WRONLY | O_APPEND, 0600);
  CHECK(run_log >= 0);
  for (i = 0; i < JOBS; ++i) ids[i] = enqueue_text(store, queue, "t", "x", NULL);
  for (i = 0; i < WORKERS; ++i) {
    children[i] = fork();
    if (children[i] == 0) {
      backoff_jobs_store *mine = open_store();
      uint64_t handled = 0;
      /* Small batches, so the workers interleave; idle for 1 s: the queue is done. */
      const int rc = backoff_jobs_work(&handled, mine, queue, 5, 30 * SECOND, 0, SECOND, record_run, NULL);
      if (rc != BACKOFF_OK) fprintf(stderr, "worker: %s\n", backoff_last_error());
      backoff_jobs_close(mine);
      _exit(rc == BACKOFF_OK ? 0 : 1);
    }
  }
  for (i = 0; i < WORKERS; ++i) {
    CHECK(waitpid(children[i], &status, 0) == children[i]);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  close(run_log);
  log = fopen(log_path, "r");
  CHECK(log != NULL);
  while (log != NULL && fscanf(log, "%ld", &id) == 1) {
    CHECK_IN_RANGE(id, ids[0], ids[JOBS - 1]);
    if (id >= ids[0] && id <= ids[JOBS - 1]) ++runs[id - ids[0]];
  }
  if (log != NULL) fclose(log);
  unlink(log_path);
  for (i = 0; i < JOBS; ++i) CHECK_I64(runs[i], 1);
  CHECK_I64(count_in_state(store, queue, BACKOFF_JOBS_COMPLETED), JOBS);
  backoff_jobs_close(store);
}

int main(int argc, char **argv) {
  jobs_fixture_init(argc, argv);
  RUN_CASE(worker_processes_never_run_a_job_twice);
  return check_summary();
}
