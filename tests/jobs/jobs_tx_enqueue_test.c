/* The enqueue statement runs in the caller's own transaction on the caller's own connection (sqlite3 or
 * libpq here, as psycopg or pgx would): commit and the job exists, roll back and it never did. */
#include "jobs_fixtures.h" /* first: it sets _POSIX_C_SOURCE */

#include <libpq-fe.h>
#include <sqlite3.h>

#define SECOND BACKOFF_SECOND

/* Runs the statement on a caller's SQLite connection, binding each parameter by its type. Returns the id. */
static int64_t run_on_sqlite(sqlite3 *db, const backoff_jobs_statement *statement) {
  sqlite3_stmt *prepared = NULL;
  uint64_t count = 0, i;
  int64_t id = -1;
  CHECK(sqlite3_prepare_v2(db, backoff_jobs_statement_sql(statement), -1, &prepared, NULL) == SQLITE_OK);
  CHECK_STATUS(backoff_jobs_statement_param_count(&count, statement), BACKOFF_OK);
  CHECK_U64(count, (uint64_t)sqlite3_bind_parameter_count(prepared));
  for (i = 0; i < count; ++i) {
    int type = -1;
    int64_t number = 0;
    const void *bytes = NULL;
    uint64_t size = 0;
    const int index = (int)i + 1;
    CHECK_STATUS(backoff_jobs_statement_param(&type, &number, &bytes, &size, statement, i), BACKOFF_OK);
    if (type == BACKOFF_JOBS_PARAM_INT64) sqlite3_bind_int64(prepared, index, number);
    if (type == BACKOFF_JOBS_PARAM_TEXT) sqlite3_bind_text(prepared, index, bytes, (int)size, SQLITE_STATIC);
    if (type == BACKOFF_JOBS_PARAM_BLOB) sqlite3_bind_blob(prepared, index, bytes, (int)size, SQLITE_STATIC);
    if (type == BACKOFF_JOBS_PARAM_NULL) sqlite3_bind_null(prepared, index);
  }
  if (sqlite3_step(prepared) == SQLITE_ROW) id = sqlite3_column_int64(prepared, 0);
  sqlite3_finalize(prepared);
  return id;
}

/* The same on a caller's libpq connection: integers and text as text, blobs as binary. */
static int64_t run_on_postgres(PGconn *conn, const backoff_jobs_statement *statement) {
  uint64_t count = 0, i;
  const char *values[32];
  int lengths[32], formats[32];
  char numbers[32][24];
  int64_t id = -1;
  PGresult *result;
  CHECK_STATUS(backoff_jobs_statement_param_count(&count, statement), BACKOFF_OK);
  CHECK(count <= 32);
  for (i = 0; i < count && i < 32; ++i) {
    int type = -1;
    int64_t number = 0;
    const void *bytes = NULL;
    uint64_t size = 0;
    CHECK_STATUS(backoff_jobs_statement_param(&type, &number, &bytes, &size, statement, i), BACKOFF_OK);
    snprintf(numbers[i], sizeof numbers[i], "%ld", (long)number);
    values[i] = type == BACKOFF_JOBS_PARAM_INT64 ? numbers[i] : type == BACKOFF_JOBS_PARAM_NULL ? NULL : bytes;
    lengths[i] = (int)size;
    formats[i] = type == BACKOFF_JOBS_PARAM_BLOB;
  }
  result = PQexecParams(conn, backoff_jobs_statement_sql(statement), (int)count, NULL, values, lengths, formats, 0);
  CHECK(PQresultStatus(result) == PGRES_TUPLES_OK);
  if (PQresultStatus(result) != PGRES_TUPLES_OK) fprintf(stderr, "%s\n", PQresultErrorMessage(result));
  if (PQntuples(result) == 1) id = atol(PQgetvalue(result, 0, 0));
  PQclear(result);
  return id;
}

static void exec_pg(PGconn *conn, const char *sql) { PQclear(PQexec(conn, sql)); }

static void the_callers_commit_makes_the_job_and_a_rollback_does_not(void) {
  backoff_jobs_store *store = open_store();
  backoff_jobs_statement *statement = NULL;
  backoff_jobs_rows *rows;
  const char *queue = test_queue("tx");
  const int style = jobs_on_postgres() ? BACKOFF_JOBS_PLACEHOLDER_NATIVE : BACKOFF_JOBS_PLACEHOLDER_QMARK;
  int64_t rolled_back, committed;
  CHECK_STATUS(backoff_jobs_enqueue_statement(&statement, store, style, queue, "invoice", "{\"n\":1}", 7, NULL), BACKOFF_OK);
  CHECK(strstr(backoff_jobs_statement_sql(statement), "{\"n\":1}") == NULL); /* values are parameters only */
  if (jobs_on_postgres()) {
    PGconn *conn = PQconnectdb(jobs_url);
    CHECK(PQstatus(conn) == CONNECTION_OK);
    exec_pg(conn, "BEGIN");
    rolled_back = run_on_postgres(conn, statement);
    exec_pg(conn, "ROLLBACK");
    CHECK_I64(job_state(store, rolled_back), -1);
    exec_pg(conn, "BEGIN");
    committed = run_on_postgres(conn, statement);
    exec_pg(conn, "COMMIT");
    PQfinish(conn);
  } else {
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(jobs_url + strlen("sqlite://"), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    rolled_back = run_on_sqlite(db, statement);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    CHECK_I64(job_state(store, rolled_back), -1);
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    committed = run_on_sqlite(db, statement);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
  }
  CHECK(rolled_back > 0);
  CHECK(committed > 0);
  CHECK_I64(job_state(store, committed), BACKOFF_JOBS_SCHEDULED);
  rows = claim(store, queue, 5, 30 * SECOND);
  CHECK_U64(row_count(rows), 1);
  CHECK(strcmp(row_text(rows, 0, BACKOFF_JOBS_FIELD_PAYLOAD), "{\"n\":1}") == 0);
  CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_MAX_ATTEMPTS), 25);
  backoff_jobs_rows_free(rows);
  backoff_jobs_statement_free(statement);
  backoff_jobs_close(store);
}

static void placeholder_styles_number_or_repeat_the_parameters(void) {
  backoff_jobs_store *store = open_store();
  backoff_jobs_statement *native = NULL, *format = NULL;
  uint64_t native_count = 0, format_count = 0;
  int type = -1;
  CHECK_STATUS(backoff_jobs_enqueue_statement(&native, store, BACKOFF_JOBS_PLACEHOLDER_NUMERIC, "q", "t", "", 0, NULL),
               BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_enqueue_statement(&format, store, BACKOFF_JOBS_PLACEHOLDER_FORMAT, "q", "t", "", 0, NULL),
               BACKOFF_OK);
  CHECK(strstr(backoff_jobs_statement_sql(native), "$11") != NULL);
  CHECK(strstr(backoff_jobs_statement_sql(format), "%s") != NULL);
  CHECK(strchr(backoff_jobs_statement_sql(format), '$') == NULL);
  backoff_jobs_statement_param_count(&native_count, native);
  backoff_jobs_statement_param_count(&format_count, format);
  CHECK_U64(native_count, 11);
  CHECK_U64(format_count, 13); /* the queue name is used three times */
  CHECK_STATUS(backoff_jobs_statement_param(&type, NULL, NULL, NULL, format, 0), BACKOFF_OK);
  CHECK_I64(type, BACKOFF_JOBS_PARAM_TEXT);
  CHECK_ERROR(backoff_jobs_statement_param(&type, NULL, NULL, NULL, format, 13), BACKOFF_EINVAL, "index");
  CHECK_ERROR(backoff_jobs_enqueue_statement(&native, store, 7, "q", "t", "", 0, NULL), BACKOFF_EUNKNOWN, "placeholder");
  backoff_jobs_statement_free(native);
  backoff_jobs_statement_free(format);
  backoff_jobs_close(store);
}

int main(int argc, char **argv) {
  jobs_fixture_init(argc, argv);
  RUN_CASE(the_callers_commit_makes_the_job_and_a_rollback_does_not);
  RUN_CASE(placeholder_styles_number_or_repeat_the_parameters);
  return check_summary();
}
