/* backoff_breaker_pool through the C API: a breaker per key, least recently used eviction, stale permits of
 * dropped keys, permits given back unused, and bad input. */
#define BACKOFF_EXPERIMENTAL /* the pool is in the experimental tier of backoff.h */
#include <stdint.h>

#include "backoff.h"
#include "capi_check.h"

static backoff_breaker_pool *new_pool(int64_t max_keys) {
  backoff_breaker_config *config = NULL;
  backoff_breaker_pool *pool = NULL;
  CHECK(backoff_breaker_config_new(&config) == BACKOFF_OK);
  CHECK(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_FAILURE_THRESHOLD, 1) == BACKOFF_OK);
  CHECK(backoff_breaker_pool_new(&pool, config, max_keys) == BACKOFF_OK);
  backoff_breaker_config_free(config); /* the pool holds a copy */
  return pool;
}

static void trip(backoff_breaker_pool *pool, const char *key) {
  uint64_t permit = 0;
  int64_t wait_ns = 0;
  CHECK(backoff_breaker_pool_acquire_at(&permit, &wait_ns, pool, key, 0) == BACKOFF_OK);
  CHECK(backoff_breaker_pool_record_at(pool, key, 0, permit, BACKOFF_OUTCOME_FAILURE, 0, 0) == BACKOFF_OK);
}

static int state_of(backoff_breaker_pool *pool, const char *key) {
  int state = -1;
  CHECK(backoff_breaker_pool_state(&state, pool, key) == BACKOFF_OK);
  return state;
}

static void test_each_key_has_its_own_breaker(void) {
  backoff_breaker_pool *pool = new_pool(8);
  uint64_t permit = 0;
  int64_t wait_ns = 0, size = 0;
  trip(pool, "db-1");
  CHECK(state_of(pool, "db-1") == BACKOFF_BREAKER_OPEN);
  CHECK(backoff_breaker_pool_acquire_at(&permit, &wait_ns, pool, "db-1", 0) == BACKOFF_EOPEN);
  CHECK(permit == 0 && wait_ns == 30 * (int64_t)1000000000);
  CHECK(backoff_breaker_pool_acquire_at(&permit, &wait_ns, pool, "db-2", 0) == BACKOFF_OK);
  CHECK(state_of(pool, "db-2") == BACKOFF_BREAKER_CLOSED);
  CHECK(state_of(pool, "never-seen") == BACKOFF_BREAKER_CLOSED); /* asking adds no key */
  CHECK(backoff_breaker_pool_size(&size, pool) == BACKOFF_OK);
  CHECK(size == 2);
  backoff_breaker_pool_free(pool);
}

static void test_the_least_recently_used_key_makes_room(void) {
  backoff_breaker_pool *pool = new_pool(2);
  uint64_t permit = 0;
  int64_t wait_ns = 0, size = 0;
  trip(pool, "a");
  trip(pool, "b");
  CHECK(backoff_breaker_pool_acquire_at(&permit, &wait_ns, pool, "a", 0) == BACKOFF_EOPEN); /* "b" is now oldest */
  CHECK(backoff_breaker_pool_acquire_at(&permit, &wait_ns, pool, "c", 0) == BACKOFF_OK);
  CHECK(backoff_breaker_pool_size(&size, pool) == BACKOFF_OK);
  CHECK(size == 2);
  CHECK(state_of(pool, "a") == BACKOFF_BREAKER_OPEN);   /* kept */
  CHECK(state_of(pool, "b") == BACKOFF_BREAKER_CLOSED); /* dropped: it comes back closed */
  backoff_breaker_pool_free(pool);
}

static void test_a_permit_of_a_dropped_key_is_stale(void) {
  backoff_breaker_pool *pool = new_pool(1);
  uint64_t permit = 0, fresh = 0;
  int64_t wait_ns = 0;
  CHECK(backoff_breaker_pool_acquire_at(&permit, &wait_ns, pool, "a", 0) == BACKOFF_OK);
  CHECK(backoff_breaker_pool_acquire_at(&fresh, &wait_ns, pool, "b", 0) == BACKOFF_OK); /* drops "a" */
  CHECK(backoff_breaker_pool_acquire_at(&fresh, &wait_ns, pool, "a", 0) == BACKOFF_OK); /* "a" made again */
  /* the old permit would trip a threshold of 1, were it taken for the new breaker's */
  CHECK(backoff_breaker_pool_record_at(pool, "a", 0, permit, BACKOFF_OUTCOME_FAILURE, 0, 0) == BACKOFF_OK);
  CHECK(state_of(pool, "a") == BACKOFF_BREAKER_CLOSED);
  backoff_breaker_pool_free(pool);
}

/* Trips `key` at 0 and takes its one half-open probe slot when the default 30 s open period is over. */
static uint64_t probe(backoff_breaker_pool *pool, const char *key) {
  const int64_t half_open_at = 30 * (int64_t)1000000000;
  uint64_t permit = 0;
  int64_t wait_ns = -1;
  trip(pool, key);
  CHECK(backoff_breaker_pool_acquire_at(&permit, &wait_ns, pool, key, half_open_at) == BACKOFF_OK);
  CHECK(state_of(pool, key) == BACKOFF_BREAKER_HALF_OPEN);
  return permit;
}

/* Whether the key's half-open breaker admits a probe now: its slot is free. */
static int admits_a_probe(backoff_breaker_pool *pool, const char *key) {
  uint64_t permit = 0;
  int64_t wait_ns = -1;
  const int status = backoff_breaker_pool_acquire_at(&permit, &wait_ns, pool, key, 30 * (int64_t)1000000000);
  CHECK(status == BACKOFF_OK || (status == BACKOFF_EOPEN && wait_ns == 0)); /* refused: every slot taken */
  return status == BACKOFF_OK;
}

static void test_a_released_probe_frees_its_slot_at_once(void) {
  backoff_breaker_pool *pool = new_pool(4);
  const uint64_t permit = probe(pool, "a");
  CHECK(!admits_a_probe(pool, "a")); /* its one slot is taken, and would be for the 60 s of its lease */
  CHECK(backoff_breaker_pool_release(pool, "a", permit) == BACKOFF_OK);
  CHECK(admits_a_probe(pool, "a"));
  CHECK(state_of(pool, "a") == BACKOFF_BREAKER_HALF_OPEN); /* a release is no result */
  backoff_breaker_pool_free(pool);
}

static void test_releasing_a_stale_permit_changes_nothing(void) {
  backoff_breaker_pool *pool = new_pool(4);
  const uint64_t permit = probe(pool, "a");
  CHECK(backoff_breaker_pool_release(pool, "a", permit) == BACKOFF_OK);
  CHECK(admits_a_probe(pool, "a")); /* a new probe holds the slot */
  CHECK(backoff_breaker_pool_release(pool, "a", permit) == BACKOFF_OK); /* released already: stale */
  CHECK(!admits_a_probe(pool, "a"));
  backoff_breaker_pool_free(pool);
}

static void test_releasing_a_permit_of_a_dropped_key_changes_nothing(void) {
  backoff_breaker_pool *pool = new_pool(1);
  uint64_t permit = 0, other = 0;
  int64_t wait_ns = 0, size = 0;
  permit = probe(pool, "a");
  CHECK(backoff_breaker_pool_acquire_at(&other, &wait_ns, pool, "b", 0) == BACKOFF_OK); /* drops "a" */
  (void)probe(pool, "a"); /* "a" made again, tripped, and its new probe holds the slot */
  CHECK(backoff_breaker_pool_release(pool, "a", permit) == BACKOFF_OK);
  CHECK(!admits_a_probe(pool, "a"));
  CHECK(backoff_breaker_pool_size(&size, pool) == BACKOFF_OK);
  CHECK(size == 1);
  backoff_breaker_pool_free(pool);
}

static void test_bad_input_is_refused(void) {
  backoff_breaker_config *config = NULL;
  backoff_breaker_pool *pool = NULL;
  uint64_t permit = 0;
  int64_t wait_ns = 0, size = 0;
  int state = 0;
  CHECK(backoff_breaker_config_new(&config) == BACKOFF_OK);
  CHECK_ERROR(backoff_breaker_pool_new(NULL, config, 4), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_breaker_pool_new(&pool, NULL, 4), BACKOFF_ENULL, "config");
  CHECK_ERROR(backoff_breaker_pool_new(&pool, config, 0), BACKOFF_EINVAL, "max_keys");
  CHECK_ERROR(backoff_breaker_pool_new(&pool, config, ((int64_t)1 << 20) + 1), BACKOFF_EINVAL, "1048577");
  CHECK(pool == NULL);
  backoff_breaker_config_free(config);
  pool = new_pool(4);
  CHECK_ERROR(backoff_breaker_pool_acquire(&permit, &wait_ns, NULL, "a"), BACKOFF_ENULL, "pool");
  CHECK_ERROR(backoff_breaker_pool_acquire(&permit, &wait_ns, pool, NULL), BACKOFF_ENULL, "key");
  CHECK_ERROR(backoff_breaker_pool_acquire(NULL, &wait_ns, pool, "a"), BACKOFF_ENULL, "out_permit");
  CHECK_ERROR(backoff_breaker_pool_record(pool, "a", 0, BACKOFF_OUTCOME_SUCCESS, 0, 0), BACKOFF_EINVAL, "permit");
  CHECK(backoff_breaker_pool_acquire(&permit, &wait_ns, pool, "a") == BACKOFF_OK);
  CHECK_ERROR(backoff_breaker_pool_record(pool, "a", permit, 99, 0, 0), BACKOFF_EUNKNOWN, "outcome");
  CHECK_ERROR(backoff_breaker_pool_record(pool, "a", permit, BACKOFF_OUTCOME_SUCCESS, -1, 0), BACKOFF_EINVAL,
              "duration_ns");
  CHECK(backoff_breaker_pool_record(pool, "a", permit, BACKOFF_OUTCOME_SUCCESS, 0, 0) == BACKOFF_OK);
  CHECK_ERROR(backoff_breaker_pool_release(NULL, "a", permit), BACKOFF_ENULL, "pool");
  CHECK_ERROR(backoff_breaker_pool_release(pool, NULL, permit), BACKOFF_ENULL, "key");
  CHECK_ERROR(backoff_breaker_pool_release(pool, "a", 0), BACKOFF_EINVAL, "permit");
  CHECK_ERROR(backoff_breaker_pool_state(NULL, pool, "a"), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_breaker_pool_state(&state, pool, NULL), BACKOFF_ENULL, "key");
  CHECK_ERROR(backoff_breaker_pool_size(&size, NULL), BACKOFF_ENULL, "pool");
  backoff_breaker_pool_free(pool);
  backoff_breaker_pool_free(NULL);
}

int main(void) {
  RUN_CASE(test_each_key_has_its_own_breaker);
  RUN_CASE(test_the_least_recently_used_key_makes_room);
  RUN_CASE(test_a_permit_of_a_dropped_key_is_stale);
  RUN_CASE(test_a_released_probe_frees_its_slot_at_once);
  RUN_CASE(test_releasing_a_stale_permit_changes_nothing);
  RUN_CASE(test_releasing_a_permit_of_a_dropped_key_changes_nothing);
  RUN_CASE(test_bad_input_is_refused);
  return check_summary();
}
