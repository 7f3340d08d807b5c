/* Bad input gets a clear error naming the parameter and the value, and changes nothing: URLs, names,
 * payload sizes, options, ranges, unknown queues and states, a store at a newer schema version. */
#include "jobs_fixtures.h" /* first: it sets _POSIX_C_SOURCE */

#include <libpq-fe.h>
#include <sqlite3.h>

#define SECOND BACKOFF_SECOND

static void bad_urls_are_refused_naming_the_url(void) {
  backoff_jobs_store *store = NULL;
  CHECK_ERROR(backoff_jobs_open(NULL, "x.db"), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_jobs_open(&store, NULL), BACKOFF_ENULL, "url");
  CHECK_ERROR(backoff_jobs_open(&store, ""), BACKOFF_EINVAL, "url");
  CHECK_ERROR(backoff_jobs_open(&store, "mysql://db/jobs"), BACKOFF_EINVAL, "mysql");
  CHECK_ERROR(backoff_jobs_open(&store, "sqlite://"), BACKOFF_EINVAL, "url");
  CHECK_ERROR(backoff_jobs_open(&store, "sqlite:///tmp/jobs.db?mode=ro"), BACKOFF_EINVAL, "parameters");
  CHECK_ERROR(backoff_jobs_open(&store, "sqlite:///no/such/dir/jobs.db"), BACKOFF_JOBS_ESTORE, "url");
  /* An unreachable server: the message names it, with the password masked. */
  CHECK_ERROR(backoff_jobs_open(&store, "postgresql://user:hunter2@127.0.0.1:1/jobs?connect_timeout=2"),
              BACKOFF_JOBS_ESTORE, "url");
  CHECK(strstr(backoff_last_error(), "hunter2") == NULL);
  CHECK(strstr(backoff_last_error(), "user:***@127.0.0.1") != NULL);
  CHECK(store == NULL);
}

static void bad_enqueues_name_the_parameter_and_insert_nothing(void) {
  backoff_jobs_store *store = open_store();
  char long_name[200];
  const char *queue = test_queue("input");
  static char big[1048577];
  int64_t id = -7;
  backoff_jobs_rows *rows = NULL;
  enqueue_text(store, queue, "t", "first", NULL); /* the queue exists, with one job */
  CHECK_ERROR(backoff_jobs_enqueue(&id, NULL, store, queue, "t", big, sizeof big, NULL), BACKOFF_EINVAL, "payload_size");
  CHECK(strstr(backoff_last_error(), "1048576") != NULL);
  CHECK_ERROR(backoff_jobs_enqueue(&id, NULL, store, "", "t", "x", 1, NULL), BACKOFF_EINVAL, "queue");
  memset(long_name, 'q', sizeof long_name - 1);
  long_name[sizeof long_name - 1] = '\0';
  CHECK_ERROR(backoff_jobs_enqueue(&id, NULL, store, long_name, "t", "x", 1, NULL), BACKOFF_EINVAL, "queue");
  CHECK_ERROR(backoff_jobs_enqueue(&id, NULL, store, queue, "bad\ttype", "x", 1, NULL), BACKOFF_EINVAL, "type");
  CHECK_ERROR(backoff_jobs_enqueue(&id, NULL, store, queue, "\xff\xfe", "x", 1, NULL), BACKOFF_EINVAL, "type");
  CHECK_ERROR(backoff_jobs_enqueue(&id, NULL, store, queue, "t", NULL, 5, NULL), BACKOFF_ENULL, "payload");
  CHECK_ERROR(backoff_jobs_enqueue(NULL, NULL, store, queue, "t", "x", 1, NULL), BACKOFF_ENULL, "out_id");
  CHECK_I64(id, -7); /* outputs are written only on success */
  CHECK_STATUS(backoff_jobs_list(&rows, store, queue, -1, 0, 100), BACKOFF_OK);
  CHECK_U64(row_count(rows), 1); /* nothing was enqueued */
  backoff_jobs_rows_free(rows);
  backoff_jobs_close(store);
}

static void options_check_each_value(void) {
  backoff_jobs_options *options = NULL;
  CHECK_STATUS(backoff_jobs_options_new(&options), BACKOFF_OK);
  CHECK_ERROR(backoff_jobs_options_set_i64(options, BACKOFF_JOBS_OPT_PRIORITY, 40000), BACKOFF_EINVAL, "priority");
  CHECK(strstr(backoff_last_error(), "40000") != NULL);
  CHECK_ERROR(backoff_jobs_options_set_i64(options, BACKOFF_JOBS_OPT_DELAY_NS, -1), BACKOFF_EINVAL, "delay");
  CHECK_ERROR(backoff_jobs_options_set_i64(options, BACKOFF_JOBS_OPT_MAX_ATTEMPTS, -3), BACKOFF_EINVAL, "max_attempts");
  CHECK_ERROR(backoff_jobs_options_set_i64(options, 99, 1), BACKOFF_EUNKNOWN, "option");
  CHECK_ERROR(backoff_jobs_options_set_i64(options, BACKOFF_JOBS_OPT_UNIQUE_KEY, 1), BACKOFF_ETYPE, "unique_key");
  CHECK_ERROR(backoff_jobs_options_set_text(options, BACKOFF_JOBS_OPT_PRIORITY, "1"), BACKOFF_ETYPE, "priority");
  CHECK_ERROR(backoff_jobs_options_set_text(options, BACKOFF_JOBS_OPT_UNIQUE_KEY, ""), BACKOFF_EINVAL, "unique_key");
  CHECK_ERROR(backoff_jobs_options_set_i64(NULL, BACKOFF_JOBS_OPT_PRIORITY, 1), BACKOFF_ENULL, "options");
  backoff_jobs_options_free(options);
  backoff_jobs_options_free(NULL);
}

static void out_of_range_calls_name_the_parameter(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = test_queue("ranges");
  const int64_t id = enqueue_text(store, queue, "t", "x", NULL);
  backoff_jobs_rows *rows = NULL;
  uint64_t count = 0;
  int64_t value;
  CHECK_ERROR(backoff_jobs_claim(&rows, store, queue, 0, SECOND, NULL), BACKOFF_EINVAL, "max_jobs");
  CHECK_ERROR(backoff_jobs_claim(&rows, store, queue, 1001, SECOND, NULL), BACKOFF_EINVAL, "max_jobs");
  CHECK_ERROR(backoff_jobs_claim(&rows, store, queue, 1, 0, NULL), BACKOFF_EINVAL, "lease_ns");
  CHECK_ERROR(backoff_jobs_list(&rows, store, "never-seen-queue", -1, 0, 10), BACKOFF_EUNKNOWN, "never-seen-queue");
  CHECK_ERROR(backoff_jobs_stats(&rows, store, "never-seen-queue"), BACKOFF_EUNKNOWN, "queue");
  CHECK_ERROR(backoff_jobs_requeue_failed(&count, store, "never-seen-queue"), BACKOFF_EUNKNOWN, "queue");
  CHECK_ERROR(backoff_jobs_list(&rows, store, queue, 9, 0, 10), BACKOFF_EUNKNOWN, "state");
  CHECK_ERROR(backoff_jobs_purge(&count, store, queue, BACKOFF_JOBS_SCHEDULED, 0), BACKOFF_EINVAL, "state");
  CHECK_ERROR(backoff_jobs_purge(&count, store, queue, BACKOFF_JOBS_COMPLETED, -1), BACKOFF_EINVAL, "older_than_ns");
  CHECK_ERROR(backoff_jobs_wait(NULL, store, queue, -1), BACKOFF_EINVAL, "timeout_ns");
  CHECK_ERROR(backoff_jobs_limit_get(&value, 42), BACKOFF_EUNKNOWN, "limit");
  rows = claim(store, queue, 1, 30 * SECOND);
  CHECK_ERROR(backoff_jobs_fail(NULL, NULL, store, id, row_i64(rows, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN), "e", 0, -1),
              BACKOFF_EINVAL, "hint_ns");
  CHECK_I64(job_state(store, id), BACKOFF_JOBS_RUNNING); /* the bad report changed nothing */
  CHECK_ERROR(backoff_jobs_complete(NULL, id, 1), BACKOFF_ENULL, "store");
  backoff_jobs_rows_free(rows);
  backoff_jobs_close(store);
}

static void an_unmigrated_store_asks_for_a_migration(void) {
  char path[128], url[160];
  backoff_jobs_store *store = NULL;
  int64_t id;
  int version = -1, library = -1;
  if (jobs_on_postgres()) return; /* the shared database is migrated; SQLite shows the rule */
  snprintf(path, sizeof path, "/tmp/backoff-jobs-unmigrated-%ld.db", (long)getpid());
  unlink(path);
  snprintf(url, sizeof url, "sqlite://%s", path);
  CHECK_STATUS(backoff_jobs_open(&store, url), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_schema_version(&version, &library, store), BACKOFF_OK);
  CHECK_I64(version, 0);
  CHECK_I64(library, 1);
  CHECK_ERROR(backoff_jobs_enqueue(&id, NULL, store, "q", "t", "x", 1, NULL), BACKOFF_JOBS_ESCHEMA, "backoff_jobs_migrate");
  CHECK_STATUS(backoff_jobs_migrate(&version, store), BACKOFF_OK);
  CHECK_I64(version, 1);
  CHECK_STATUS(backoff_jobs_migrate(&version, store), BACKOFF_OK); /* again: nothing to do */
  CHECK_STATUS(backoff_jobs_enqueue(&id, NULL, store, "q", "t", "x", 1, NULL), BACKOFF_OK);
  backoff_jobs_close(store);
  unlink(path);
}

/* Runs one SQL command on the test's database outside the library (libpq or sqlite3). */
static void run_sql(const char *url_or_path, const char *sql) {
  if (jobs_on_postgres()) {
    PGconn *conn = PQconnectdb(url_or_path);
    PGresult *result = PQexec(conn, sql);
    CHECK(PQresultStatus(result) == PGRES_COMMAND_OK);
    PQclear(result);
    PQfinish(conn);
  } else {
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(url_or_path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
  }
}

static void a_store_at_a_newer_schema_is_refused_and_left_alone(void) {
  char url[1300], path[200], sql[200], schema[64];
  const char *target = path; /* what run_sql opens: the URL or the file */
  backoff_jobs_store *store = NULL;
  int version = 0;
  /* A store of its own: a file, or a PostgreSQL schema first on the search path. */
  snprintf(schema, sizeof schema, "backoff_newer_%ld", (long)getpid());
  if (jobs_on_postgres()) {
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
    run_sql(jobs_url, sql);
    snprintf(url, sizeof url, "%s%soptions=-csearch_path%%3D%s", jobs_url, strchr(jobs_url, '?') ? "&" : "?", schema);
    target = url;
  } else {
    snprintf(path, sizeof path, "/tmp/%s.db", schema);
    unlink(path);
    snprintf(url, sizeof url, "sqlite://%s", path);
  }
  CHECK_STATUS(backoff_jobs_open(&store, url), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_migrate(&version, store), BACKOFF_OK);
  backoff_jobs_close(store);
  store = NULL;
  run_sql(target, "INSERT INTO backoff_jobs_schema (version) VALUES (99)");
  CHECK_ERROR(backoff_jobs_open(&store, url), BACKOFF_JOBS_ESCHEMA, "99");
  CHECK(store == NULL);
  run_sql(target, "DELETE FROM backoff_jobs_schema WHERE version = 99");
  CHECK_STATUS(backoff_jobs_open(&store, url), BACKOFF_OK); /* the refusal changed nothing */
  run_sql(target, "INSERT INTO backoff_jobs_schema (version) VALUES (99)");
  CHECK_ERROR(backoff_jobs_migrate(&version, store), BACKOFF_JOBS_ESCHEMA, "99");
  backoff_jobs_close(store);
  if (jobs_on_postgres()) {
    snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", schema);
    run_sql(jobs_url, sql);
  } else {
    unlink(path);
  }
}

static void a_stored_policy_libbackoff_cannot_rebuild_fails_its_job_saying_why(void) {
  backoff_jobs_store *store = open_store();
  char sql[200];
  const char *queue = test_queue("bad-policy");
  const int64_t id = enqueue_text(store, queue, "t", "x", NULL);
  backoff_jobs_rows *rows = claim(store, queue, 1, 30 * SECOND), *job = NULL;
  int state = -1;
  /* As a newer libbackoff might have written it: a parameter this one does not know. */
  snprintf(sql, sizeof sql, "UPDATE backoff_jobs SET policy = 'kind=2 warp=9' WHERE id = %ld", (long)id);
  run_sql(jobs_on_postgres() ? jobs_url : jobs_url + strlen("sqlite://"), sql);
  CHECK_STATUS(backoff_jobs_fail(&state, NULL, store, id, row_i64(rows, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN), "timeout", 0, 0),
               BACKOFF_OK);
  CHECK_I64(state, BACKOFF_JOBS_FAILED);
  CHECK_STATUS(backoff_jobs_get(&job, store, id), BACKOFF_OK);
  CHECK(strstr(row_text(job, 0, BACKOFF_JOBS_FIELD_ERROR), "timeout (not retried: its policy cannot be rebuilt") != NULL);
  CHECK(strstr(row_text(job, 0, BACKOFF_JOBS_FIELD_ERROR), "warp") != NULL);
  backoff_jobs_rows_free(job);
  backoff_jobs_rows_free(rows);
  backoff_jobs_close(store);
}

int main(int argc, char **argv) {
  jobs_fixture_init(argc, argv);
  RUN_CASE(bad_urls_are_refused_naming_the_url);
  RUN_CASE(bad_enqueues_name_the_parameter_and_insert_nothing);
  RUN_CASE(options_check_each_value);
  RUN_CASE(out_of_range_calls_name_the_parameter);
  RUN_CASE(an_unmigrated_store_asks_for_a_migration);
  RUN_CASE(a_store_at_a_newer_schema_is_refused_and_left_alone);
  RUN_CASE(a_stored_policy_libbackoff_cannot_rebuild_fails_its_job_saying_why);
  return check_summary();
}
