/* jobs_fixtures.h - what the jobs tests share: the store their argument names, queue names no other run
 * uses, and short helpers over the row sets.
 *
 * argv[1] is an SQLite file (deleted first, so every run starts empty) or "postgres": then the URL is
 * BACKOFF_TEST_PG_URL, and a missing URL fails the test loudly. The PostgreSQL database is shared by
 * every test and run, so each test works in queues named after its process id. */
#ifndef JOBS_FIXTURES_H
#define JOBS_FIXTURES_H

#define _POSIX_C_SOURCE 200809L
#define BACKOFF_EXPERIMENTAL /* backoff_policy_delay_hinted: the engine the tests hold the store to */

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backoff_jobs.h"
#include "capi_check.h"

static char jobs_url[1024];

/* Sets jobs_url from argv; exits with a message if there is no usable store. */
static inline void jobs_fixture_init(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s SQLITE_FILE | postgres\n", argv[0]);
    exit(2);
  }
  if (strcmp(argv[1], "postgres") == 0) {
    const char *url = getenv("BACKOFF_TEST_PG_URL");
    if (url == NULL || *url == '\0') {
      fprintf(stderr, "FAILED: BACKOFF_TEST_PG_URL is not set: run the PostgreSQL tests through scripts/test-jobs, "
                      "which starts a server (scripts/pg-cluster)\n");
      exit(1);
    }
    snprintf(jobs_url, sizeof jobs_url, "%s", url);
  } else {
    char path[1100];
    snprintf(jobs_url, sizeof jobs_url, "sqlite://%s", argv[1]);
    unlink(argv[1]);
    snprintf(path, sizeof path, "%s-wal", argv[1]);
    unlink(path);
    snprintf(path, sizeof path, "%s-shm", argv[1]);
    unlink(path);
  }
}

static inline int jobs_on_postgres(void) { return strncmp(jobs_url, "postgres", 8) == 0; }

/* A migrated store on jobs_url; aborts the test if it cannot be had. */
static inline backoff_jobs_store *open_store(void) {
  backoff_jobs_store *store = NULL;
  if (backoff_jobs_open(&store, jobs_url) != BACKOFF_OK || backoff_jobs_migrate(NULL, store) != BACKOFF_OK) {
    fprintf(stderr, "FAILED: cannot open and migrate %s: %s\n", jobs_url, backoff_last_error());
    exit(1);
  }
  return store;
}

/* "<name>-<pid>": a queue no other test or run touches. One buffer: the name lasts until the next call. */
static char jobs_queue_name[64];
static inline const char *test_queue(const char *name) {
  snprintf(jobs_queue_name, sizeof jobs_queue_name, "%s-%ld", name, (long)getpid());
  return jobs_queue_name;
}

static inline int64_t enqueue_text(backoff_jobs_store *store, const char *queue, const char *type, const char *payload,
                            const backoff_jobs_options *options) {
  int64_t id = 0;
  CHECK_STATUS(backoff_jobs_enqueue(&id, NULL, store, queue, type, payload, strlen(payload), options), BACKOFF_OK);
  return id;
}

static inline int64_t row_i64(const backoff_jobs_rows *rows, uint64_t index, int field) {
  int64_t value = -12345;
  CHECK_STATUS(backoff_jobs_rows_get_i64(&value, rows, index, field), BACKOFF_OK);
  return value;
}

/* A bytes field as a NUL-terminated string (the library guarantees the NUL). */
static inline const char *row_text(const backoff_jobs_rows *rows, uint64_t index, int field) {
  const void *bytes = NULL;
  uint64_t size = 0;
  CHECK_STATUS(backoff_jobs_rows_get_bytes(&bytes, &size, rows, index, field), BACKOFF_OK);
  return bytes != NULL ? (const char *)bytes : "";
}

static inline uint64_t row_count(const backoff_jobs_rows *rows) {
  uint64_t count = 0;
  CHECK_STATUS(backoff_jobs_rows_count(&count, rows), BACKOFF_OK);
  return count;
}

/* Claims up to n jobs of queue with a lease; the caller frees the rows. */
static inline backoff_jobs_rows *claim(backoff_jobs_store *store, const char *queue, uint32_t n, int64_t lease_ns) {
  backoff_jobs_rows *rows = NULL;
  CHECK_STATUS(backoff_jobs_claim(&rows, store, queue, n, lease_ns, "test"), BACKOFF_OK);
  return rows;
}

/* The state of job `id`, or -1. */
static inline int64_t job_state(backoff_jobs_store *store, int64_t id) {
  backoff_jobs_rows *rows = NULL;
  int64_t state = -1;
  if (backoff_jobs_get(&rows, store, id) == BACKOFF_OK) state = row_i64(rows, 0, BACKOFF_JOBS_FIELD_STATE);
  backoff_jobs_rows_free(rows);
  return state;
}

/* The count of queue's jobs in `state`, from stats. */
static inline int64_t count_in_state(backoff_jobs_store *store, const char *queue, int state) {
  backoff_jobs_rows *rows = NULL;
  int64_t count = 0;
  uint64_t i;
  if (backoff_jobs_stats(&rows, store, queue) != BACKOFF_OK) return 0; /* an unknown queue has no jobs */
  for (i = 0; i < row_count(rows); ++i) {
    if (row_i64(rows, i, BACKOFF_JOBS_FIELD_STATE) == state) count = row_i64(rows, i, BACKOFF_JOBS_FIELD_COUNT);
  }
  backoff_jobs_rows_free(rows);
  return count;
}

/* A policy from "name=value name=value ...", libbackoff's parameter names and text values. */
static inline backoff_policy *policy_from(const char *settings) {
  char copy[256], *setting, *rest = NULL;
  backoff_config *config = NULL;
  backoff_policy *policy = NULL;
  snprintf(copy, sizeof copy, "%s", settings);
  backoff_config_new(&config);
  for (setting = strtok_r(copy, " ", &rest); setting != NULL; setting = strtok_r(NULL, " ", &rest)) {
    char *value = strchr(setting, '=');
    *value++ = '\0';
    CHECK_STATUS(backoff_config_set_text(config, setting, value), BACKOFF_OK);
  }
  CHECK_STATUS(backoff_policy_new(&policy, config), BACKOFF_OK);
  backoff_config_free(config);
  return policy;
}

/* test_queue(), with a queue policy from `settings` (policy_from's form). */
static inline const char *queue_with_policy(backoff_jobs_store *store, const char *name, const char *settings) {
  backoff_policy *policy = policy_from(settings);
  const char *queue = test_queue(name);
  CHECK_STATUS(backoff_jobs_queue_set_policy(store, queue, policy), BACKOFF_OK);
  backoff_policy_free(policy);
  return queue;
}

static inline void sleep_ms(long ms) {
  struct timespec pause;
  pause.tv_sec = ms / 1000;
  pause.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&pause, NULL);
}

/* Worker processes that log each run: the handler appends "<job id>\n" to a file opened O_APPEND (each
 * write atomic), and the parent counts the runs per job. */
static int jobs_run_log = -1;
static char jobs_run_log_path[128];

static inline int log_run(const backoff_jobs_rows *jobs, uint64_t index) {
  char line[32];
  int64_t id = 0;
  int length;
  backoff_jobs_rows_get_i64(&id, jobs, index, BACKOFF_JOBS_FIELD_ID);
  length = snprintf(line, sizeof line, "%ld\n", (long)id);
  return write(jobs_run_log, line, (size_t)length) == length ? BACKOFF_ATTEMPT_SUCCESS : BACKOFF_ATTEMPT_RETRYABLE;
}

/* A handler that sleeps *(long *)user_data ms (none if NULL), then logs its run and succeeds. */
static inline int log_run_handler(int64_t *out_hint_ns, char *error, uint64_t error_size, const backoff_jobs_rows *jobs,
                                  uint64_t index, void *user_data) {
  (void)out_hint_ns, (void)error, (void)error_size;
  if (user_data != NULL) sleep_ms(*(const long *)user_data);
  return log_run(jobs, index);
}

/* Forks `count` processes, each running backoff_jobs_work(queue, batch, lease_ns, idle_exit_ns) on a store of
 * its own with log_run_handler, its jobs taking job_ms each; opens the run log first. */
static inline void start_logged_workers(pid_t *children, int count, const char *queue, uint32_t batch,
                                        int64_t lease_ns, int64_t idle_exit_ns, long job_ms) {
  int i;
  snprintf(jobs_run_log_path, sizeof jobs_run_log_path, "/tmp/backoff-jobs-runs-%ld.log", (long)getpid());
  jobs_run_log = open(jobs_run_log_path, O_CREAT | O_TRUNC | O_WRONLY | O_APPEND, 0600);
  CHECK(jobs_run_log >= 0);
  for (i = 0; i < count; ++i) {
    children[i] = fork();
    if (children[i] == 0) {
      backoff_jobs_store *mine = open_store();
      uint64_t handled = 0;
      const int rc = backoff_jobs_work(&handled, mine, queue, batch, lease_ns, 0, idle_exit_ns, log_run_handler,
                                       job_ms > 0 ? &job_ms : NULL);
      if (rc != BACKOFF_OK) fprintf(stderr, "worker %ld: %s\n", (long)getpid(), backoff_last_error());
      backoff_jobs_close(mine);
      _exit(rc == BACKOFF_OK ? 0 : 1);
    }
  }
}

/* Waits for the workers (each must exit 0) and checks that each of the `count` jobs in `ids` (ascending,
 * as enqueued) ran exactly once and no other job ran. */
static inline void check_each_job_ran_once(const pid_t *children, int workers, const int64_t *ids, int count) {
  int *runs = calloc((size_t)count, sizeof *runs);
  int i, status;
  long id;
  FILE *log;
  for (i = 0; i < workers; ++i) {
    CHECK(waitpid(children[i], &status, 0) == children[i]);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  close(jobs_run_log);
  log = fopen(jobs_run_log_path, "r");
  CHECK(log != NULL);
  while (log != NULL && fscanf(log, "%ld", &id) == 1) {
    int lo = 0, hi = count - 1;
    while (lo < hi) { /* ids are ascending: find id's slot by bisection */
      const int mid = (lo + hi) / 2;
      if (ids[mid] < id) lo = mid + 1; else hi = mid;
    }
    CHECK_I64(ids[lo], (int64_t)id);
    if (ids[lo] == id) ++runs[lo];
  }
  if (log != NULL) fclose(log);
  unlink(jobs_run_log_path);
  for (i = 0; i < count; ++i) CHECK_I64(runs[i], 1);
  free(runs);
}


#endif /* JOBS_FIXTURES_H */
