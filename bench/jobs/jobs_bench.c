/* jobs_bench - how fast libbackoff_jobs works through jobs, and how soon an idle worker starts one.
 *
 * Usage: jobs_bench URL [JOBS [WORKERS [BATCH [SAMPLES]]]]
 *        URL      a store: sqlite:///tmp/bench.db or postgresql://... (scripts/pg-cluster start prints one)
 *        JOBS     no-op jobs for the burn-down (default 100000)
 *        WORKERS  worker processes (default 4)
 *        BATCH    jobs per claim (default 100)
 *        SAMPLES  enqueue-to-start latency samples (default 200)
 *
 * 1. Burn-down: JOBS no-op jobs are inserted first (the enqueue statement, run in one transaction on a
 *    connection of our own), then WORKERS processes run backoff_jobs_work with a handler that does
 *    nothing, until the queue is empty. Throughput = JOBS / (last completion - first claim).
 * 2. Latency: WORKERS processes wait idle on an empty queue; the parent enqueues one job every 10 ms
 *    carrying its enqueue time (wall clock, same machine); the handler records now - that time.
 * 3. Memory: heap bytes one process holds for 1000 leased jobs (the claimed row set).
 * Each phase uses a fresh queue; jobs left behind are purged at the end. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <libpq-fe.h>
#include <malloc.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backoff_jobs.h"

static const char *url;

static int64_t wall_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static void die(const char *what) {
  fprintf(stderr, "jobs_bench: %s: %s\n", what, backoff_last_error());
  exit(1);
}

static backoff_jobs_store *open_store(void) {
  backoff_jobs_store *store = NULL;
  if (backoff_jobs_open(&store, url) != BACKOFF_OK) die("open");
  if (backoff_jobs_migrate(NULL, store) != BACKOFF_OK) die("migrate");
  return store;
}

/* Inserts `count` jobs in one transaction on a connection of our own, through the enqueue statement. */
static void bulk_insert(backoff_jobs_store *store, const char *queue, int count) {
  backoff_jobs_statement *statement = NULL;
  uint64_t params = 0, i;
  const void *bytes[16];
  uint64_t sizes[16];
  int64_t numbers[16];
  int types[16], n;
  if (backoff_jobs_enqueue_statement(&statement, store, BACKOFF_JOBS_PLACEHOLDER_NATIVE, queue, "noop", "", 0, NULL) !=
      BACKOFF_OK) {
    die("enqueue_statement");
  }
  backoff_jobs_statement_param_count(&params, statement);
  for (i = 0; i < params && i < 16; ++i) {
    backoff_jobs_statement_param(&types[i], &numbers[i], &bytes[i], &sizes[i], statement, i);
  }
  if (backoff_jobs_dialect_of(store) == BACKOFF_JOBS_DIALECT_POSTGRESQL) {
    PGconn *conn = PQconnectdb(url);
    char text[16][24];
    const char *values[16];
    int lengths[16], formats[16];
    for (i = 0; i < params; ++i) {
      snprintf(text[i], sizeof text[i], "%" PRId64, numbers[i]);
      values[i] = types[i] == BACKOFF_JOBS_PARAM_INT64 ? text[i] : types[i] == BACKOFF_JOBS_PARAM_NULL ? NULL : bytes[i];
      lengths[i] = (int)sizes[i];
      formats[i] = types[i] == BACKOFF_JOBS_PARAM_BLOB;
    }
    PGresult *result;
    /* Pipeline mode: the inserts go out without waiting for each reply. */
    PQclear(PQprepare(conn, "enqueue", backoff_jobs_statement_sql(statement), (int)params, NULL));
    PQenterPipelineMode(conn);
    PQsendQueryParams(conn, "BEGIN", 0, NULL, NULL, NULL, NULL, 0);
    for (n = 0; n < count; ++n) PQsendQueryPrepared(conn, "enqueue", (int)params, values, lengths, formats, 0);
    PQsendQueryParams(conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0);
    PQpipelineSync(conn);
    for (;;) {
      result = PQgetResult(conn);
      if (result == NULL) continue; /* the end of one query's results */
      if (PQresultStatus(result) == PGRES_PIPELINE_SYNC) break;
      if (PQresultStatus(result) == PGRES_FATAL_ERROR) fprintf(stderr, "insert: %s", PQresultErrorMessage(result));
      PQclear(result);
    }
    PQclear(result);
    PQfinish(conn);
  } else {
    sqlite3 *db = NULL;
    sqlite3_stmt *insert = NULL;
    sqlite3_open(url + strlen("sqlite://"), &db);
    sqlite3_busy_timeout(db, 10000);
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sqlite3_prepare_v2(db, backoff_jobs_statement_sql(statement), -1, &insert, NULL);
    for (n = 0; n < count; ++n) {
      for (i = 0; i < params; ++i) {
        const int at = (int)i + 1;
        if (types[i] == BACKOFF_JOBS_PARAM_INT64) sqlite3_bind_int64(insert, at, numbers[i]);
        if (types[i] == BACKOFF_JOBS_PARAM_TEXT) sqlite3_bind_text(insert, at, bytes[i], (int)sizes[i], SQLITE_STATIC);
        if (types[i] == BACKOFF_JOBS_PARAM_BLOB) sqlite3_bind_blob(insert, at, bytes[i], (int)sizes[i], SQLITE_STATIC);
        if (types[i] == BACKOFF_JOBS_PARAM_NULL) sqlite3_bind_null(insert, at);
      }
      sqlite3_step(insert);
      sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
  }
  backoff_jobs_statement_free(statement);
}

/* A worker's report to the parent: jobs handled, its first claim and last completion times. */
struct report {
  uint64_t handled;
  int64_t first_ns, last_ns;
  int64_t latency_ns[1024];
  int latencies;
};

static struct report mine;

static int noop(int64_t *out_hint_ns, char *error, uint64_t error_size, const backoff_jobs_rows *jobs, uint64_t index,
                void *user_data) {
  (void)out_hint_ns, (void)error, (void)error_size, (void)jobs, (void)index, (void)user_data;
  const int64_t now = wall_ns();
  if (mine.first_ns == 0) mine.first_ns = now;
  mine.last_ns = now;
  return BACKOFF_ATTEMPT_SUCCESS;
}

static int measure_start(int64_t *out_hint_ns, char *error, uint64_t error_size, const backoff_jobs_rows *jobs,
                         uint64_t index, void *user_data) {
  const void *payload = NULL;
  uint64_t size = 0;
  int64_t enqueued = 0;
  const int64_t now = wall_ns();
  (void)out_hint_ns, (void)error, (void)error_size, (void)user_data;
  backoff_jobs_rows_get_bytes(&payload, &size, jobs, index, BACKOFF_JOBS_FIELD_PAYLOAD);
  if (size == sizeof enqueued) memcpy(&enqueued, payload, sizeof enqueued);
  if (mine.latencies < 1024) mine.latency_ns[mine.latencies++] = now - enqueued;
  return BACKOFF_ATTEMPT_SUCCESS;
}

/* Forks `workers` processes running backoff_jobs_work on `queue`; returns the pipe their reports come on. */
static int start_workers(int workers, const char *queue, uint32_t batch, int64_t idle_exit_ns, backoff_jobs_handler_fn fn,
                         pid_t *children) {
  int reports[2], w;
  if (pipe(reports) != 0) exit(1);
  for (w = 0; w < workers; ++w) {
    children[w] = fork();
    if (children[w] == 0) {
      backoff_jobs_store *store = open_store();
      close(reports[0]);
      memset(&mine, 0, sizeof mine);
      if (backoff_jobs_work(&mine.handled, store, queue, batch, 60 * BACKOFF_SECOND, 0, idle_exit_ns, fn, NULL) !=
          BACKOFF_OK) {
        die("work");
      }
      if (write(reports[1], &mine, sizeof mine) != (ssize_t)sizeof mine) _exit(1);
      backoff_jobs_close(store);
      _exit(0);
    }
  }
  close(reports[1]);
  return reports[0];
}

static int compare_i64(const void *a, const void *b) {
  const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Heap bytes in use (glibc): what holding leased jobs costs, without the noise of resident pages. */
static size_t heap_in_use(void) { return mallinfo2().uordblks; }

int main(int argc, char **argv) {
  const int jobs = argc > 2 ? atoi(argv[2]) : 100000;
  const int workers = argc > 3 ? atoi(argv[3]) : 4;
  const uint32_t batch = argc > 4 ? (uint32_t)atoi(argv[4]) : 100;
  const int samples = argc > 5 ? atoi(argv[5]) : 200;
  const char *store_name;
  backoff_jobs_store *store;
  char burn[64], idle[64], held[64];
  pid_t children[256];
  struct report report;
  int64_t first = INT64_MAX, last = 0, start, *latencies;
  uint64_t handled = 0;
  int from, w, got = 0, i;
  if (argc < 2 || workers < 1 || workers > 256 || jobs < 1 || samples < 1) {
    fprintf(stderr, "usage: jobs_bench URL [JOBS [WORKERS [BATCH [SAMPLES]]]]\n");
    return 2;
  }
  url = argv[1];
  store = open_store();
  store_name = backoff_jobs_dialect_of(store) == BACKOFF_JOBS_DIALECT_POSTGRESQL ? "postgresql" : "sqlite";
  snprintf(burn, sizeof burn, "bench-burn-%ld", (long)getpid());
  snprintf(idle, sizeof idle, "bench-latency-%ld", (long)getpid());
  snprintf(held, sizeof held, "bench-memory-%ld", (long)getpid());

  /* 1. Burn-down. */
  start = wall_ns();
  bulk_insert(store, burn, jobs);
  printf("%s: inserted %d jobs in one transaction: %.0f jobs/s\n", store_name, jobs, jobs / ((wall_ns() - start) / 1e9));
  from = start_workers(workers, burn, batch, 500 * BACKOFF_MILLISECOND, noop, children);
  while (read(from, &report, sizeof report) == (ssize_t)sizeof report) {
    handled += report.handled;
    if (report.first_ns != 0 && report.first_ns < first) first = report.first_ns;
    if (report.last_ns > last) last = report.last_ns;
  }
  close(from);
  for (w = 0; w < workers; ++w) waitpid(children[w], NULL, 0);
  printf("%s: burn-down of %d no-op jobs, %d worker processes, batch %u: %.0f jobs/s (%" PRIu64 " handled)\n", store_name,
         jobs, workers, batch, handled / ((last - first) / 1e9), handled);

  /* 2. Enqueue-to-start latency with idle workers. */
  from = start_workers(workers, idle, 1, 2 * BACKOFF_SECOND, measure_start, children);
  sleep(1); /* let every worker reach its idle wait */
  for (i = 0; i < samples; ++i) {
    const int64_t now = wall_ns();
    int64_t id;
    if (backoff_jobs_enqueue(&id, NULL, store, idle, "ping", &now, sizeof now, NULL) != BACKOFF_OK) die("enqueue");
    struct timespec pause = {0, 10 * 1000000L};
    nanosleep(&pause, NULL);
  }
  latencies = calloc((size_t)workers * 1024, sizeof *latencies);
  while (read(from, &report, sizeof report) == (ssize_t)sizeof report) {
    for (i = 0; i < report.latencies; ++i) latencies[got++] = report.latency_ns[i];
  }
  close(from);
  for (w = 0; w < workers; ++w) waitpid(children[w], NULL, 0);
  qsort(latencies, (size_t)got, sizeof *latencies, compare_i64);
  if (got > 0) {
    printf("%s: enqueue-to-start latency, %d idle workers, %d samples: p50 %.2f ms, p99 %.2f ms\n", store_name, workers,
           got, latencies[got / 2] / 1e6, latencies[(got * 99) / 100 - (got * 99 % 100 == 0 && got > 1)] / 1e6);
  }
  free(latencies);

  /* 3. Heap held for 1000 leased jobs by one process. */
  {
    backoff_jobs_rows *rows = NULL;
    size_t before;
    bulk_insert(store, held, 1000);
    before = heap_in_use();
    if (backoff_jobs_claim(&rows, store, held, 1000, 60 * BACKOFF_SECOND, "bench") != BACKOFF_OK) die("claim");
    printf("%s: heap held by 1000 leased no-op jobs in one process: %.0f KiB\n", store_name,
           (double)(heap_in_use() - before) / 1024);
    backoff_jobs_rows_free(rows);
  }
  backoff_jobs_close(store);
  return 0;
}
