/* The circuit breaker's C entry points: every one with bad input, and the state machine through the ABI
 * with an injected clock. Compiled as C99. */
#define BACKOFF_EXPERIMENTAL /* also tests the experimental tier of backoff.h */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "backoff.h"
#include "capi_check.h"
#include "capi_fixtures.h"


static const int64_t kSecond = BACKOFF_SECOND;

/* A clock the test moves by hand. */
static int64_t manual_clock(void *user_data) { return *(const int64_t *)user_data; }

static backoff_breaker *new_breaker(int64_t threshold, int64_t open_ns, int64_t *clock) {
  backoff_breaker_config *config = NULL;
  backoff_breaker *breaker = NULL;
  CHECK(backoff_breaker_config_new(&config) == BACKOFF_OK);
  CHECK(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_FAILURE_THRESHOLD, threshold) == BACKOFF_OK);
  CHECK(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_OPEN_DURATION_NS, open_ns) == BACKOFF_OK);
  CHECK(backoff_breaker_new_with_clock(&breaker, config, manual_clock, clock) == BACKOFF_OK);
  backoff_breaker_config_free(config);
  return breaker;
}

static void test_parameter_lookup(void) {
  check_param_from_name(backoff_breaker_param_from_name, "min_calls", BACKOFF_BREAKER_PARAM_MIN_CALLS,
                        "minimum_calls");
  check_param_ids_end_at(backoff_breaker_param_name, backoff_breaker_param_type, 16);
  CHECK_FAMILY_PARAM_IS(backoff_breaker, BACKOFF_BREAKER_PARAM_PERMIT_LEASE_NS, "permit_lease", BACKOFF_TYPE_DURATION);
  CHECK_FAMILY_PARAM_IS(backoff_breaker, BACKOFF_BREAKER_PARAM_MAX_HINT_OPEN_NS, "max_hint_open",
                        BACKOFF_TYPE_DURATION);
  CHECK_FAMILY_PARAM_IS(backoff_breaker, BACKOFF_BREAKER_PARAM_FAILURE_RATIO, "failure_ratio", BACKOFF_TYPE_REAL);
  CHECK_FAMILY_PARAM_IS(backoff_breaker, BACKOFF_BREAKER_PARAM_WINDOW, "window", BACKOFF_TYPE_CHOICE);
  CHECK(strcmp(backoff_strerror(BACKOFF_EOPEN), "circuit open") == 0);
}

static void test_config_rejects_bad_input(void) {
  backoff_breaker_config *config = NULL;
  backoff_config *policy_config = NULL;
  backoff_policy *stopping = NULL;
  CHECK_CONFIG_FAMILY_REJECTS(backoff_breaker_, 16, BACKOFF_BREAKER_PARAM_MIN_CALLS, BACKOFF_BREAKER_PARAM_FAILURE_RATIO);
  CHECK(backoff_breaker_config_new(&config) == BACKOFF_OK);
  CHECK_ERROR(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_OPEN_DURATION_NS, -1), BACKOFF_EINVAL,
              "open_duration");
  CHECK_ERROR(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_WINDOW, 2), BACKOFF_EUNKNOWN, "window");
  CHECK_ERROR(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_HALF_OPEN_PROBES, 0), BACKOFF_EINVAL,
              "half_open_probes");

  CHECK_ERROR(backoff_breaker_config_set_f64(config, BACKOFF_BREAKER_PARAM_FAILURE_RATIO, NAN), BACKOFF_EINVAL,
                                             "NaN");
  CHECK_ERROR(backoff_breaker_config_set_f64(config, BACKOFF_BREAKER_PARAM_SLOW_CALL_RATIO, 1.5), BACKOFF_EINVAL,
              "slow_call_ratio");

  CHECK_ERROR(backoff_breaker_config_set_text(config, "tripwire", "ratio"), BACKOFF_EUNKNOWN, "tripwire");
  CHECK_ERROR(backoff_breaker_config_set_text(config, "open_duration", "30"), BACKOFF_EINVAL, "unit");
  CHECK(backoff_breaker_config_set_text(config, "open_duration", "30s") == BACKOFF_OK);

  CHECK_ERROR(backoff_breaker_config_set_open_policy(NULL, NULL), BACKOFF_ENULL, "config");
  CHECK(backoff_config_new(&policy_config) == BACKOFF_OK);
  CHECK(backoff_config_set_i64(policy_config, BACKOFF_PARAM_MAX_ATTEMPTS, 4) == BACKOFF_OK);
  CHECK(backoff_policy_new(&stopping, policy_config) == BACKOFF_OK);
  CHECK_ERROR(backoff_breaker_config_set_open_policy(config, stopping), BACKOFF_EINVAL, "max_attempts");
  CHECK(backoff_breaker_config_set_open_policy(config, NULL) == BACKOFF_OK);

  backoff_policy_free(stopping);
  backoff_config_free(policy_config);
  backoff_breaker_config_free(config);
}

static void test_new_rejects_bad_input(void) {
  backoff_breaker_config *config = NULL;
  backoff_breaker *breaker = NULL;
  int64_t now = 0;
  CHECK(backoff_breaker_config_new(&config) == BACKOFF_OK);
  CHECK_ERROR(backoff_breaker_new(NULL, config), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_breaker_new(&breaker, NULL), BACKOFF_ENULL, "config");
  CHECK_ERROR(backoff_breaker_new_with_clock(&breaker, config, NULL, &now), BACKOFF_ENULL, "clock");
  CHECK(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_TRIP, BACKOFF_BREAKER_TRIP_RATIO) == BACKOFF_OK);
  CHECK(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_WINDOW,
                                       BACKOFF_BREAKER_WINDOW_COUNT) == BACKOFF_OK);
  CHECK(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_WINDOW_SIZE, 5) == BACKOFF_OK);
  CHECK(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_MIN_CALLS, 8) == BACKOFF_OK);
  CHECK_ERROR(backoff_breaker_new(&breaker, config), BACKOFF_EINVAL, "min_calls");
  CHECK(breaker == NULL);
  backoff_breaker_free(NULL);
  backoff_breaker_config_free(config);
}

static void test_calls_reject_bad_input(void) {
  int64_t now = 0;
  backoff_breaker *breaker = new_breaker(1, kSecond, &now);
  uint64_t permit = 0, count = 0;
  int64_t wait_ns = 0, value = 0;
  double real = 0;
  int state = 0, previous = 0, cause = 0;

  CHECK_ERROR(backoff_breaker_acquire(&permit, &wait_ns, NULL), BACKOFF_ENULL, "breaker");
  CHECK_ERROR(backoff_breaker_acquire(NULL, &wait_ns, breaker), BACKOFF_ENULL, "out_permit");
  CHECK_ERROR(backoff_breaker_acquire(&permit, NULL, breaker), BACKOFF_ENULL, "out_wait_ns");
  CHECK_ERROR(backoff_breaker_acquire_at(&permit, &wait_ns, NULL, 0), BACKOFF_ENULL, "breaker");
  CHECK_ERROR(backoff_breaker_acquire_at(NULL, &wait_ns, breaker, 0), BACKOFF_ENULL, "out_permit");
  CHECK_ERROR(backoff_breaker_acquire_at(&permit, NULL, breaker, 0), BACKOFF_ENULL, "out_wait_ns");
  CHECK(backoff_breaker_acquire(&permit, &wait_ns, breaker) == BACKOFF_OK);

  CHECK_ERROR(backoff_breaker_record(NULL, permit, BACKOFF_OUTCOME_SUCCESS, 0, 0), BACKOFF_ENULL, "breaker");
  CHECK_ERROR(backoff_breaker_record(breaker, 0, BACKOFF_OUTCOME_SUCCESS, 0, 0), BACKOFF_EINVAL, "permit");
  CHECK_ERROR(backoff_breaker_record(breaker, permit, 3, 0, 0), BACKOFF_EUNKNOWN, "outcome");
  CHECK_ERROR(backoff_breaker_record(breaker, permit, -1, 0, 0), BACKOFF_EUNKNOWN, "outcome");
  CHECK_ERROR(backoff_breaker_record(breaker, permit, BACKOFF_OUTCOME_FAILURE, -5, 0), BACKOFF_EINVAL, "duration_ns");
  CHECK_ERROR(backoff_breaker_record(breaker, permit, BACKOFF_OUTCOME_FAILURE, 0, -5), BACKOFF_EINVAL, "hint_ns");
  CHECK_ERROR(backoff_breaker_record_at(NULL, 0, permit, BACKOFF_OUTCOME_SUCCESS, 0, 0), BACKOFF_ENULL, "breaker");
  CHECK_ERROR(backoff_breaker_record_at(breaker, 0, 0, BACKOFF_OUTCOME_SUCCESS, 0, 0), BACKOFF_EINVAL, "permit");
  CHECK_ERROR(backoff_breaker_record_at(breaker, 0, permit, 7, 0, 0), BACKOFF_EUNKNOWN, "outcome");
  CHECK_ERROR(backoff_breaker_release(NULL, permit), BACKOFF_ENULL, "breaker");
  CHECK_ERROR(backoff_breaker_release(breaker, 0), BACKOFF_EINVAL, "permit");
  CHECK(backoff_breaker_release(breaker, permit) == BACKOFF_OK);

  CHECK_ERROR(backoff_breaker_transition(NULL, BACKOFF_BREAKER_CLOSED), BACKOFF_ENULL, "breaker");
  CHECK_ERROR(backoff_breaker_transition(breaker, BACKOFF_BREAKER_NONE), BACKOFF_EUNKNOWN, "state");
  CHECK_ERROR(backoff_breaker_transition(breaker, 5), BACKOFF_EUNKNOWN, "state");
  CHECK_ERROR(backoff_breaker_transition_at(NULL, 0, BACKOFF_BREAKER_CLOSED), BACKOFF_ENULL, "breaker");
  CHECK_ERROR(backoff_breaker_transition_at(breaker, 0, 9), BACKOFF_EUNKNOWN, "state");

  CHECK_ERROR(backoff_breaker_get_state(&state, NULL), BACKOFF_ENULL, "breaker");
  CHECK_ERROR(backoff_breaker_get_state(NULL, breaker), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_breaker_get_count(&count, NULL, BACKOFF_BREAKER_COUNT_ADMITTED), BACKOFF_ENULL, "breaker");
  CHECK_ERROR(backoff_breaker_get_count(NULL, breaker, BACKOFF_BREAKER_COUNT_ADMITTED), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_breaker_get_count(&count, breaker, 17), BACKOFF_EUNKNOWN, "17");
  CHECK_ERROR(backoff_breaker_get_count(&count, breaker, -1), BACKOFF_EUNKNOWN, "-1");
  CHECK_ERROR(backoff_breaker_get_count_at(&count, NULL, 0, BACKOFF_BREAKER_COUNT_ADMITTED), BACKOFF_ENULL,
                                           "breaker");
  CHECK_ERROR(backoff_breaker_get_count_at(&count, breaker, 0, 99), BACKOFF_EUNKNOWN, "99");
  CHECK_ERROR(backoff_breaker_get_count_at(NULL, breaker, 0, BACKOFF_BREAKER_COUNT_ADMITTED), BACKOFF_ENULL, "out");

  CHECK_ERROR(backoff_breaker_get_i64(&value, NULL, BACKOFF_BREAKER_PARAM_MIN_CALLS), BACKOFF_ENULL, "breaker");
  CHECK_ERROR(backoff_breaker_get_i64(NULL, breaker, BACKOFF_BREAKER_PARAM_MIN_CALLS), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_breaker_get_i64(&value, breaker, BACKOFF_BREAKER_PARAM_FAILURE_RATIO), BACKOFF_ETYPE,
                                      "failure_ratio");
  CHECK_ERROR(backoff_breaker_get_i64(&value, breaker, 40), BACKOFF_EUNKNOWN, "40");
  CHECK(backoff_breaker_get_i64(&value, breaker, BACKOFF_BREAKER_PARAM_OPEN_DURATION_NS) == BACKOFF_OK);
  CHECK(value == kSecond);
  CHECK_ERROR(backoff_breaker_get_f64(&real, NULL, BACKOFF_BREAKER_PARAM_FAILURE_RATIO), BACKOFF_ENULL, "breaker");
  CHECK_ERROR(backoff_breaker_get_f64(NULL, breaker, BACKOFF_BREAKER_PARAM_FAILURE_RATIO), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_breaker_get_f64(&real, breaker, BACKOFF_BREAKER_PARAM_TRIP), BACKOFF_ETYPE, "trip");
  CHECK(backoff_breaker_get_f64(&real, breaker, BACKOFF_BREAKER_PARAM_FAILURE_RATIO) == BACKOFF_OK);
  CHECK(real == 0.5);

  CHECK_ERROR(backoff_breaker_set_listener(NULL, NULL, NULL), BACKOFF_ENULL, "breaker");
  CHECK_ERROR(backoff_breaker_poll_event(&state, &previous, &cause, &now, NULL), BACKOFF_ENULL, "breaker");
  CHECK_ERROR(backoff_breaker_poll_event(NULL, &previous, &cause, &now, breaker), BACKOFF_ENULL, "out_state");
  CHECK_ERROR(backoff_breaker_poll_event(&state, NULL, &cause, &now, breaker), BACKOFF_ENULL, "out_previous");
  CHECK_ERROR(backoff_breaker_poll_event(&state, &previous, NULL, &now, breaker), BACKOFF_ENULL, "out_cause");
  CHECK_ERROR(backoff_breaker_poll_event(&state, &previous, &cause, NULL, breaker), BACKOFF_ENULL, "out_at_ns");
  backoff_breaker_free(breaker);
}

struct recorded_events {
  int count;
  int states[8];
  int causes[8];
  int64_t times[8];
};

static int remember_event(int state, int previous, int cause, int64_t at_ns, void *user_data) {
  struct recorded_events *events = (struct recorded_events *)user_data;
  (void)previous;
  if (events->count < 8) {
    events->states[events->count] = state;
    events->causes[events->count] = cause;
    events->times[events->count] = at_ns;
  }
  ++events->count;
  return 0;
}

static void test_trip_probe_and_close_through_the_abi(void) {
  int64_t now = 100 * kSecond;
  backoff_breaker *breaker = new_breaker(2, 10 * kSecond, &now);
  struct recorded_events events;
  uint64_t permit = 0, probe = 0, count = 0;
  int64_t wait_ns = -1, at_ns = 0;
  int state = -2, previous = -2, cause = -2;
  memset(&events, 0, sizeof events);
  CHECK(backoff_breaker_set_listener(breaker, remember_event, &events) == BACKOFF_OK);

  CHECK(backoff_breaker_poll_event(&state, &previous, &cause, &at_ns, breaker) == BACKOFF_OK);
  CHECK(state == BACKOFF_BREAKER_NONE);

  CHECK(backoff_breaker_acquire(&permit, &wait_ns, breaker) == BACKOFF_OK);
  CHECK(permit != 0 && wait_ns == 0);
  CHECK(backoff_breaker_record(breaker, permit, BACKOFF_OUTCOME_FAILURE, 0, 0) == BACKOFF_OK);
  CHECK(backoff_breaker_acquire(&permit, &wait_ns, breaker) == BACKOFF_OK);
  CHECK(backoff_breaker_record(breaker, permit, BACKOFF_OUTCOME_FAILURE, 0, 0) == BACKOFF_OK);
  CHECK(backoff_breaker_get_state(&state, breaker) == BACKOFF_OK);
  CHECK(state == BACKOFF_BREAKER_OPEN);

  /* A rejection is a decision: both outputs written, the last error untouched. */
  CHECK_ERROR(backoff_breaker_release(breaker, 0), BACKOFF_EINVAL, "permit");
  now += 4 * kSecond;
  permit = 77;
  CHECK(backoff_breaker_acquire(&permit, &wait_ns, breaker) == BACKOFF_EOPEN);
  CHECK(permit == 0);
  CHECK(wait_ns == 6 * kSecond);
  CHECK(strstr(backoff_last_error(), "permit") != NULL);

  now += 6 * kSecond;
  CHECK(backoff_breaker_acquire(&probe, &wait_ns, breaker) == BACKOFF_OK);
  CHECK(backoff_breaker_acquire_at(&permit, &wait_ns, breaker, now) == BACKOFF_EOPEN); /* the one slot is taken */
  CHECK(wait_ns == 0);
  CHECK(backoff_breaker_record_at(breaker, now, probe, BACKOFF_OUTCOME_SUCCESS, 0, 0) == BACKOFF_OK);
  CHECK(backoff_breaker_get_state(&state, breaker) == BACKOFF_OK);
  CHECK(state == BACKOFF_BREAKER_CLOSED);

  CHECK(events.count == 3);
  CHECK(events.states[0] == BACKOFF_BREAKER_OPEN && events.causes[0] == BACKOFF_BREAKER_CAUSE_FAILURES);
  CHECK(events.times[0] == 100 * kSecond);
  CHECK(events.states[1] == BACKOFF_BREAKER_HALF_OPEN && events.causes[1] == BACKOFF_BREAKER_CAUSE_OPEN_ELAPSED);
  CHECK(events.states[2] == BACKOFF_BREAKER_CLOSED && events.causes[2] == BACKOFF_BREAKER_CAUSE_PROBES_SUCCEEDED);

  CHECK(backoff_breaker_poll_event(&state, &previous, &cause, &at_ns, breaker) == BACKOFF_OK);
  CHECK(state == BACKOFF_BREAKER_OPEN && previous == BACKOFF_BREAKER_CLOSED);
  CHECK(cause == BACKOFF_BREAKER_CAUSE_FAILURES && at_ns == 100 * kSecond);

  CHECK(backoff_breaker_get_count(&count, breaker, BACKOFF_BREAKER_COUNT_REJECTED) == BACKOFF_OK);
  CHECK(count == 2);
  CHECK(backoff_breaker_get_count_at(&count, breaker, now, BACKOFF_BREAKER_COUNT_TRIPS) == BACKOFF_OK);
  CHECK(count == 1);

  CHECK(backoff_breaker_set_listener(breaker, NULL, NULL) == BACKOFF_OK);
  CHECK(backoff_breaker_transition(breaker, BACKOFF_BREAKER_ISOLATED) == BACKOFF_OK);
  CHECK(events.count == 3);
  CHECK(backoff_breaker_acquire(&permit, &wait_ns, breaker) == BACKOFF_EOPEN);
  CHECK(wait_ns == INT64_MAX);
  CHECK(backoff_breaker_transition_at(breaker, now, BACKOFF_BREAKER_DISABLED) == BACKOFF_OK);
  CHECK(backoff_breaker_acquire(&permit, &wait_ns, breaker) == BACKOFF_OK);
  backoff_breaker_free(breaker);
}

static void test_open_policy_through_the_abi(void) {
  backoff_policy *policy = policy_from_text("initial=3s,jitter=none");
  backoff_breaker_config *config = NULL;
  backoff_breaker *breaker = NULL;
  uint64_t permit = 0;
  int64_t wait_ns = 0;
  CHECK(backoff_breaker_config_new(&config) == BACKOFF_OK);
  CHECK(backoff_breaker_config_set_text(config, "failure_threshold", "1") == BACKOFF_OK);
  CHECK(backoff_breaker_config_set_open_policy(config, policy) == BACKOFF_OK);
  backoff_policy_free(policy); /* the config holds a copy */
  CHECK(backoff_breaker_new(&breaker, config) == BACKOFF_OK);
  CHECK(backoff_breaker_acquire_at(&permit, &wait_ns, breaker, 0) == BACKOFF_OK);
  CHECK(backoff_breaker_record_at(breaker, 0, permit, BACKOFF_OUTCOME_FAILURE, 0, 0) == BACKOFF_OK);
  CHECK(backoff_breaker_acquire_at(&permit, &wait_ns, breaker, 0) == BACKOFF_EOPEN);
  CHECK(wait_ns == 3 * kSecond);
  CHECK(backoff_breaker_acquire_at(&permit, &wait_ns, breaker, 3 * kSecond) == BACKOFF_OK);
  CHECK(backoff_breaker_record_at(breaker, 3 * kSecond, permit, BACKOFF_OUTCOME_FAILURE, 0, 0) == BACKOFF_OK);
  CHECK(backoff_breaker_acquire_at(&permit, &wait_ns, breaker, 3 * kSecond) == BACKOFF_EOPEN);
  CHECK(wait_ns == 6 * kSecond);
  backoff_breaker_free(breaker);
  backoff_breaker_config_free(config);
}

/* One response asking for 292 years holds the breaker open for max_hint_open, an hour by default. */
static void test_a_hint_opens_the_breaker_for_at_most_max_hint_open(void) {
  int64_t now = 0, wait_ns = -1;
  uint64_t permit = 0;
  backoff_breaker_config *config = NULL;
  backoff_breaker *breaker = new_breaker(1, kSecond, &now);
  CHECK(backoff_breaker_acquire(&permit, &wait_ns, breaker) == BACKOFF_OK);
  CHECK(backoff_breaker_record(breaker, permit, BACKOFF_OUTCOME_FAILURE, 0, INT64_MAX) == BACKOFF_OK);
  CHECK(backoff_breaker_acquire(&permit, &wait_ns, breaker) == BACKOFF_EOPEN);
  CHECK(permit == 0 && wait_ns == 3600 * kSecond);
  backoff_breaker_free(breaker);

  CHECK(backoff_breaker_config_new(&config) == BACKOFF_OK);
  CHECK_ERROR(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_MAX_HINT_OPEN_NS, -1), BACKOFF_EINVAL,
              "max_hint_open");
  CHECK(backoff_breaker_config_set_text(config, "max_hint_open", "2m") == BACKOFF_OK);
  CHECK(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_FAILURE_THRESHOLD, 1) == BACKOFF_OK);
  CHECK(backoff_breaker_new_with_clock(&breaker, config, manual_clock, &now) == BACKOFF_OK);
  backoff_breaker_config_free(config);
  CHECK(backoff_breaker_acquire(&permit, &wait_ns, breaker) == BACKOFF_OK);
  CHECK(backoff_breaker_record(breaker, permit, BACKOFF_OUTCOME_FAILURE, 0, 9200000000 * kSecond) == BACKOFF_OK);
  CHECK(backoff_breaker_acquire(&permit, &wait_ns, breaker) == BACKOFF_EOPEN);
  CHECK(permit == 0 && wait_ns == 120 * kSecond);
  backoff_breaker_free(breaker);
}

int main(void) {
  RUN_CASE(test_parameter_lookup);
  RUN_CASE(test_config_rejects_bad_input);
  RUN_CASE(test_new_rejects_bad_input);
  RUN_CASE(test_calls_reject_bad_input);
  RUN_CASE(test_trip_probe_and_close_through_the_abi);
  RUN_CASE(test_open_policy_through_the_abi);
  RUN_CASE(test_a_hint_opens_the_breaker_for_at_most_max_hint_open);
  return check_summary();
}
