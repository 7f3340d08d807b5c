/* Enqueue, claim, complete: the round trip, what a claim hands out, the order of claims, delays, unique
 * keys, and the listings the command-line tool reads. */
#include "jobs_fixtures.h"

#define SECOND BACKOFF_SECOND

static void a_job_goes_from_enqueue_through_claim_to_completed(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = test_queue("roundtrip");
  const char payload[] = {'a', '\0', 'b', (char)0xff}; /* bytes, NUL and all */
  int64_t id = 0, now = 0;
  int inserted = -1;
  backoff_jobs_rows *rows;
  const void *bytes = NULL;
  uint64_t size = 0;
  CHECK_STATUS(backoff_jobs_enqueue(&id, &inserted, store, queue, "send_mail", payload, sizeof payload, NULL), BACKOFF_OK);
  CHECK(id > 0);
  CHECK_I64(inserted, 1);
  CHECK_I64(job_state(store, id), BACKOFF_JOBS_SCHEDULED);
  CHECK_STATUS(backoff_jobs_now(&now, store), BACKOFF_OK);

  rows = claim(store, queue, 10, 30 * SECOND);
  CHECK_U64(row_count(rows), 1);
  CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_ID), id);
  CHECK(strcmp(row_text(rows, 0, BACKOFF_JOBS_FIELD_TYPE), "send_mail") == 0);
  CHECK(strcmp(row_text(rows, 0, BACKOFF_JOBS_FIELD_QUEUE), queue) == 0);
  CHECK(strcmp(row_text(rows, 0, BACKOFF_JOBS_FIELD_WORKER), "test") == 0);
  CHECK_STATUS(backoff_jobs_rows_get_bytes(&bytes, &size, rows, 0, BACKOFF_JOBS_FIELD_PAYLOAD), BACKOFF_OK);
  CHECK_U64(size, sizeof payload);
  CHECK(memcmp(bytes, payload, sizeof payload) == 0);
  CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_ATTEMPT), 1);
  CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_STATE), BACKOFF_JOBS_RUNNING);
  CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_MAX_ATTEMPTS), 25); /* the store default */
  CHECK(row_i64(rows, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN) > 0);
  /* The lease runs on the database clock: about now + 30 s. */
  CHECK_IN_RANGE(row_i64(rows, 0, BACKOFF_JOBS_FIELD_LEASE_EXPIRES_AT_NS), now + 29 * SECOND, now + 35 * SECOND);
  CHECK_I64(job_state(store, id), BACKOFF_JOBS_RUNNING);

  /* A claimed job is nobody else's. */
  {
    backoff_jobs_rows *again = claim(store, queue, 10, 30 * SECOND);
    CHECK_U64(row_count(again), 0);
    backoff_jobs_rows_free(again);
  }
  CHECK_STATUS(backoff_jobs_complete(store, id, row_i64(rows, 0, BACKOFF_JOBS_FIELD_LEASE_TOKEN)), BACKOFF_OK);
  CHECK_I64(job_state(store, id), BACKOFF_JOBS_COMPLETED);
  CHECK_I64(count_in_state(store, queue, BACKOFF_JOBS_COMPLETED), 1);
  backoff_jobs_rows_free(rows);
  backoff_jobs_close(store);
}

static void claims_take_the_lowest_priority_number_first_then_the_oldest(void) {
  backoff_jobs_store *store = open_store();
  backoff_jobs_options *urgent = NULL, *late = NULL;
  const char *queue = test_queue("priority");
  int64_t normal, first, last;
  backoff_jobs_rows *rows;
  backoff_jobs_options_new(&urgent);
  backoff_jobs_options_new(&late);
  CHECK_STATUS(backoff_jobs_options_set_i64(urgent, BACKOFF_JOBS_OPT_PRIORITY, -5), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_options_set_i64(late, BACKOFF_JOBS_OPT_PRIORITY, 7), BACKOFF_OK);
  last = enqueue_text(store, queue, "t", "late", late);
  normal = enqueue_text(store, queue, "t", "normal", NULL);
  first = enqueue_text(store, queue, "t", "urgent", urgent);
  rows = claim(store, queue, 1, 30 * SECOND);
  CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_ID), first);
  CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_PRIORITY), -5);
  backoff_jobs_rows_free(rows);
  rows = claim(store, queue, 5, 30 * SECOND);
  CHECK_U64(row_count(rows), 2);
  CHECK(row_i64(rows, 0, BACKOFF_JOBS_FIELD_ID) == normal || row_i64(rows, 1, BACKOFF_JOBS_FIELD_ID) == normal);
  CHECK(row_i64(rows, 0, BACKOFF_JOBS_FIELD_ID) == last || row_i64(rows, 1, BACKOFF_JOBS_FIELD_ID) == last);
  backoff_jobs_rows_free(rows);
  backoff_jobs_options_free(urgent);
  backoff_jobs_options_free(late);
  backoff_jobs_close(store);
}

static void a_delayed_job_is_not_claimed_before_its_time(void) {
  backoff_jobs_store *store = open_store();
  backoff_jobs_options *options = NULL;
  const char *queue = test_queue("delayed");
  int64_t id, now = 0;
  backoff_jobs_rows *rows;
  backoff_jobs_options_new(&options);
  CHECK_STATUS(backoff_jobs_options_set_i64(options, BACKOFF_JOBS_OPT_DELAY_NS, 300 * BACKOFF_MILLISECOND), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_now(&now, store), BACKOFF_OK);
  id = enqueue_text(store, queue, "t", "later", options);
  rows = backoff_jobs_get(&rows, store, id) == BACKOFF_OK ? rows : NULL;
  CHECK_IN_RANGE(row_i64(rows, 0, BACKOFF_JOBS_FIELD_RUN_AT_NS) - now, 300 * BACKOFF_MILLISECOND, 2 * SECOND);
  backoff_jobs_rows_free(rows);
  rows = claim(store, queue, 1, 30 * SECOND);
  CHECK_U64(row_count(rows), 0);
  backoff_jobs_rows_free(rows);
  sleep_ms(400);
  rows = claim(store, queue, 1, 30 * SECOND);
  CHECK_U64(row_count(rows), 1);
  backoff_jobs_rows_free(rows);
  /* A run time in the past means now. */
  CHECK_STATUS(backoff_jobs_options_set_i64(options, BACKOFF_JOBS_OPT_RUN_AT_NS, 1), BACKOFF_OK);
  enqueue_text(store, queue, "t", "past", options);
  rows = claim(store, queue, 1, 30 * SECOND);
  CHECK_U64(row_count(rows), 1);
  backoff_jobs_rows_free(rows);
  backoff_jobs_options_free(options);
  backoff_jobs_close(store);
}

static void a_taken_unique_key_returns_the_job_that_holds_it(void) {
  backoff_jobs_store *store = open_store();
  backoff_jobs_options *options = NULL;
  char key[64];
  const char *queue = test_queue("unique");
  int64_t first = 0, second = 0;
  int inserted = -1;
  backoff_jobs_options_new(&options);
  snprintf(key, sizeof key, "invoice-%ld", (long)getpid());
  CHECK_STATUS(backoff_jobs_options_set_text(options, BACKOFF_JOBS_OPT_UNIQUE_KEY, key), BACKOFF_OK);
  CHECK_STATUS(backoff_jobs_enqueue(&first, &inserted, store, queue, "t", "x", 1, options), BACKOFF_OK);
  CHECK_I64(inserted, 1);
  CHECK_STATUS(backoff_jobs_enqueue(&second, &inserted, store, queue, "t", "y", 1, options), BACKOFF_OK);
  CHECK_I64(inserted, 0);
  CHECK_I64(second, first);
  CHECK_I64(count_in_state(store, queue, BACKOFF_JOBS_SCHEDULED), 1);
  backoff_jobs_options_free(options);
  backoff_jobs_close(store);
}

static void list_pages_newest_first_and_stats_count_per_state(void) {
  backoff_jobs_store *store = open_store();
  const char *queue = test_queue("listing");
  int64_t ids[5];
  int i;
  backoff_jobs_rows *rows = NULL, *running;
  for (i = 0; i < 5; ++i) ids[i] = enqueue_text(store, queue, "t", "p", NULL);
  running = claim(store, queue, 2, 30 * SECOND);
  CHECK_STATUS(backoff_jobs_list(&rows, store, queue, -1, 0, 3), BACKOFF_OK);
  CHECK_U64(row_count(rows), 3);
  CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_ID), ids[4]);
  CHECK_I64(row_i64(rows, 2, BACKOFF_JOBS_FIELD_ID), ids[2]);
  backoff_jobs_rows_free(rows);
  CHECK_STATUS(backoff_jobs_list(&rows, store, queue, -1, ids[2], 3), BACKOFF_OK);
  CHECK_U64(row_count(rows), 2);
  CHECK_I64(row_i64(rows, 0, BACKOFF_JOBS_FIELD_ID), ids[1]);
  backoff_jobs_rows_free(rows);
  CHECK_STATUS(backoff_jobs_list(&rows, store, queue, BACKOFF_JOBS_RUNNING, 0, 10), BACKOFF_OK);
  CHECK_U64(row_count(rows), 2);
  backoff_jobs_rows_free(rows);
  CHECK_I64(count_in_state(store, queue, BACKOFF_JOBS_RUNNING), 2);
  CHECK_I64(count_in_state(store, queue, BACKOFF_JOBS_SCHEDULED), 3);
  /* Stats rows carry queue, state and count, and nothing else. */
  CHECK_STATUS(backoff_jobs_stats(&rows, store, queue), BACKOFF_OK);
  {
    int64_t ignored;
    CHECK_ERROR(backoff_jobs_rows_get_i64(&ignored, rows, 0, BACKOFF_JOBS_FIELD_ID), BACKOFF_EUNKNOWN, "stats");
    CHECK_ERROR(backoff_jobs_rows_get_i64(&ignored, rows, 0, BACKOFF_JOBS_FIELD_QUEUE), BACKOFF_ETYPE, "queue");
    CHECK_ERROR(backoff_jobs_rows_get_i64(&ignored, rows, 99, BACKOFF_JOBS_FIELD_COUNT), BACKOFF_EINVAL, "index");
  }
  backoff_jobs_rows_free(rows);
  backoff_jobs_rows_free(running);
  backoff_jobs_close(store);
}

static void the_vocabulary_names_every_state_and_limit(void) {
  int value = -1;
  int64_t limit = 0;
  CHECK(strcmp(backoff_jobs_name_of(BACKOFF_JOBS_ENUM_STATE, BACKOFF_JOBS_FAILED), "failed") == 0);
  CHECK_STATUS(backoff_jobs_value_of(&value, BACKOFF_JOBS_ENUM_STATE, "cancelled"), BACKOFF_OK);
  CHECK_I64(value, BACKOFF_JOBS_CANCELLED);
  CHECK_ERROR(backoff_jobs_value_of(&value, BACKOFF_JOBS_ENUM_STATE, "done"), BACKOFF_EUNKNOWN, "done");
  CHECK_STATUS(backoff_jobs_limit_get(&limit, BACKOFF_JOBS_LIMIT_MAX_PAYLOAD), BACKOFF_OK);
  CHECK_I64(limit, 1048576);
  CHECK(strcmp(backoff_jobs_strerror(BACKOFF_JOBS_ESTALE), "stale lease") == 0);
  CHECK(strcmp(backoff_jobs_strerror(BACKOFF_EINVAL), backoff_strerror(BACKOFF_EINVAL)) == 0);
}

int main(int argc, char **argv) {
  jobs_fixture_init(argc, argv);
  RUN_CASE(a_job_goes_from_enqueue_through_claim_to_completed);
  RUN_CASE(claims_take_the_lowest_priority_number_first_then_the_oldest);
  RUN_CASE(a_delayed_job_is_not_claimed_before_its_time);
  RUN_CASE(a_taken_unique_key_returns_the_job_that_holds_it);
  RUN_CASE(list_pages_newest_first_and_stats_count_per_state);
  RUN_CASE(the_vocabulary_names_every_state_and_limit);
  return check_summary();
}
