/* The state handle, the stateful form: next / reset / elapsed / attempt, on an injected clock and with
 * the explicit-time (_at) variants, server hints, and the stops by attempts and by elapsed time. */
#include "capi_check.h"
#include "capi_fixtures.h"

#define MS BACKOFF_MILLISECOND
#define SECOND BACKOFF_SECOND

/* A clock the test moves by hand; counts how often the library reads it. */
typedef struct {
  int64_t now_ns;
  int reads;
} manual_clock;

static int64_t read_manual_clock(void *user_data) {
  manual_clock *clock = user_data;
  ++clock->reads;
  return clock->now_ns;
}

static backoff_state *state_on(const backoff_policy *policy, manual_clock *clock) {
  backoff_state *state = NULL;
  CHECK_STATUS(backoff_state_new_with_clock(&state, policy, read_manual_clock, clock), BACKOFF_OK);
  return state;
}

/* A state of the policy `settings` describe (see capi_fixtures.h), on `clock`. The state shares the
 * policy, which lives on after its handle is freed here (valgrind and ASan watch that it does). */
static backoff_state *state_from_text(const char *settings, manual_clock *clock) {
  backoff_policy *policy = policy_from_text(settings);
  backoff_state *state = state_on(policy, clock);
  backoff_policy_free(policy);
  return state;
}

static int64_t next_at(backoff_state *state, int64_t now_ns, int64_t hint_ns) {
  int64_t delay = -12345;
  CHECK_STATUS(backoff_state_next_at(&delay, state, now_ns, hint_ns), BACKOFF_OK);
  return delay;
}

static uint64_t attempt_of(const backoff_state *state) {
  uint64_t attempt = 12345;
  CHECK_STATUS(backoff_state_attempt(&attempt, state), BACKOFF_OK);
  return attempt;
}

static void state_calls_reject_null(void) {
  backoff_policy *policy = policy_from_text("");
  backoff_state *state = NULL;
  manual_clock clock = {0, 0};
  int64_t ns = -12345;
  uint64_t attempt = 12345;
  CHECK_ERROR(backoff_state_new(NULL, policy), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_state_new(&state, NULL), BACKOFF_ENULL, "policy");
  CHECK_ERROR(backoff_state_new_with_clock(NULL, policy, read_manual_clock, &clock), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_state_new_with_clock(&state, NULL, read_manual_clock, &clock), BACKOFF_ENULL, "policy");
  CHECK_ERROR(backoff_state_new_with_clock(&state, policy, NULL, &clock), BACKOFF_ENULL, "clock");
  CHECK(state == NULL);

  CHECK_ERROR(backoff_state_next(&ns, NULL, 0), BACKOFF_ENULL, "state");
  CHECK_ERROR(backoff_state_next_at(&ns, NULL, 0, 0), BACKOFF_ENULL, "state");
  CHECK_ERROR(backoff_state_reset(NULL), BACKOFF_ENULL, "state");
  CHECK_ERROR(backoff_state_reset_at(NULL, 0), BACKOFF_ENULL, "state");
  CHECK_ERROR(backoff_state_elapsed(&ns, NULL), BACKOFF_ENULL, "state");
  CHECK_ERROR(backoff_state_elapsed_at(&ns, NULL, 0), BACKOFF_ENULL, "state");
  CHECK_ERROR(backoff_state_attempt(&attempt, NULL), BACKOFF_ENULL, "state");

  state = state_on(policy, &clock);
  CHECK_ERROR(backoff_state_next(NULL, state, 0), BACKOFF_ENULL, "out_ns");
  CHECK_ERROR(backoff_state_next_at(NULL, state, 0, 0), BACKOFF_ENULL, "out_ns");
  CHECK_ERROR(backoff_state_elapsed(NULL, state), BACKOFF_ENULL, "out_ns");
  CHECK_ERROR(backoff_state_elapsed_at(NULL, state, 0), BACKOFF_ENULL, "out_ns");
  CHECK_ERROR(backoff_state_attempt(NULL, state), BACKOFF_ENULL, "out");
  CHECK_I64(ns, -12345);
  CHECK_U64(attempt, 12345);
  CHECK_U64(attempt_of(state), 0); /* none of the failed calls counted an attempt */
  backoff_state_free(state);
  backoff_state_free(NULL); /* a no-op, not a crash */
  backoff_policy_free(policy);
}

static void next_follows_the_schedule_and_counts_attempts(void) {
  manual_clock clock = {0, 0};
  backoff_state *state = state_from_text("jitter=none,cap=1s", &clock);
  const int64_t expected[] = {100 * MS, 200 * MS, 400 * MS, 800 * MS, SECOND, SECOND};
  int64_t delay;
  size_t n;
  for (n = 0; n < sizeof expected / sizeof expected[0]; ++n) {
    CHECK_STATUS(backoff_state_next(&delay, state, 0), BACKOFF_OK);
    CHECK_I64(delay, expected[n]);
    CHECK_U64(attempt_of(state), n + 1);
  }
  backoff_state_free(state);
}

static void seeded_state_replays_the_stateless_delays_of_key_zero(void) {
  const char *const policies[] = {"seed=42", "seed=42,jitter=equal", "seed=7,kind=linear,increment=1s"};
  size_t p;
  for (p = 0; p < sizeof policies / sizeof policies[0]; ++p) {
    backoff_policy *policy = policy_from_text(policies[p]);
    backoff_state *state = NULL;
    uint64_t n;
    CHECK_STATUS(backoff_state_new(&state, policy), BACKOFF_OK);
    for (n = 0; n < 30; ++n) {
      int64_t stateless = -1;
      CHECK_STATUS(backoff_policy_delay(&stateless, policy, n, 0), BACKOFF_OK);
      CHECK_I64(next_at(state, 0, 0), stateless);
    }
    backoff_state_free(state);
    backoff_policy_free(policy);
  }
}

static void unseeded_states_draw_independent_streams(void) {
  backoff_policy *policy = policy_from_text("cap=1h");
  backoff_state *a = NULL, *b = NULL;
  int same = 0, n;
  CHECK_STATUS(backoff_state_new(&a, policy), BACKOFF_OK);
  CHECK_STATUS(backoff_state_new(&b, policy), BACKOFF_OK);
  for (n = 0; n < 20; ++n) same += next_at(a, 0, 0) == next_at(b, 0, 0);
  CHECK(same < 5);
  backoff_state_free(a);
  backoff_state_free(b);
  backoff_policy_free(policy);
}

static void max_attempts_stops_until_reset_replays(void) {
  manual_clock clock = {0, 0};
  backoff_state *state = state_from_text("max_attempts=3,seed=5", &clock);
  const int64_t first = next_at(state, 0, 0), second = next_at(state, 0, 0);
  CHECK(first >= 0 && second >= 0);
  CHECK_I64(next_at(state, 0, 0), BACKOFF_STOP);
  CHECK_I64(next_at(state, 0, 0), BACKOFF_STOP); /* stays stopped */
  CHECK_U64(attempt_of(state), 2);                /* a stop counts no attempt */
  CHECK_STATUS(backoff_state_reset(state), BACKOFF_OK);
  CHECK_U64(attempt_of(state), 0);
  CHECK_I64(next_at(state, 0, 0), first);
  CHECK_I64(next_at(state, 0, 0), second);
  backoff_state_free(state);
}

static void hint_is_a_floor_below_the_cap(void) {
  manual_clock clock = {0, 0};
  backoff_state *state = state_from_text("kind=constant,initial=100ms,cap=2s,jitter=none", &clock);
  int64_t delay = -12345;
  CHECK_I64(next_at(state, 0, 1500 * MS), 1500 * MS); /* wait at least the server's Retry-After */
  CHECK_I64(next_at(state, 0, 10 * SECOND), 2 * SECOND); /* but never past the cap */
  CHECK_I64(next_at(state, 0, INT64_MAX), 2 * SECOND);
  CHECK_I64(next_at(state, 0, 1), 100 * MS);             /* a smaller hint changes nothing */
  CHECK_STATUS(backoff_state_next(&delay, state, 10 * SECOND), BACKOFF_OK);
  CHECK_I64(delay, 2 * SECOND);
  CHECK_U64(attempt_of(state), 5);
  CHECK_ERROR(backoff_state_next_at(&delay, state, 0, -5), BACKOFF_EINVAL, "hint_ns");
  CHECK_MESSAGE_NAMES("-5");
  CHECK_ERROR(backoff_state_next(&delay, state, INT64_MIN), BACKOFF_EINVAL, "hint_ns");
  CHECK_I64(delay, 2 * SECOND); /* untouched by the rejected calls */
  CHECK_U64(attempt_of(state), 5);
  backoff_state_free(state);
}

static void injected_clock_drives_elapsed_time_and_max_elapsed(void) {
  manual_clock clock = {5 * SECOND, 0};
  backoff_state *state = state_from_text("kind=constant,initial=400ms,jitter=none,max_elapsed=1s", &clock);
  int64_t elapsed = -1, delay = -1;
  CHECK(clock.reads >= 1); /* creation reads the start time */
  clock.now_ns += 250 * MS;
  CHECK_STATUS(backoff_state_elapsed(&elapsed, state), BACKOFF_OK);
  CHECK_I64(elapsed, 250 * MS);
  CHECK_STATUS(backoff_state_next(&delay, state, 0), BACKOFF_OK);
  CHECK_I64(delay, 400 * MS);
  clock.now_ns += 350 * MS; /* 600 ms + 400 ms reaches 1 s exactly: still allowed */
  CHECK_STATUS(backoff_state_next(&delay, state, 0), BACKOFF_OK);
  CHECK_I64(delay, 400 * MS);
  clock.now_ns += 1; /* 600 ms + 1 ns + 400 ms passes it */
  CHECK_STATUS(backoff_state_next(&delay, state, 0), BACKOFF_OK);
  CHECK_I64(delay, BACKOFF_STOP);
  CHECK_U64(attempt_of(state), 2); /* a stop counts no attempt */
  CHECK_STATUS(backoff_state_reset(state), BACKOFF_OK); /* elapsed time restarts at the clock's now */
  CHECK_STATUS(backoff_state_elapsed(&elapsed, state), BACKOFF_OK);
  CHECK_I64(elapsed, 0);
  CHECK_STATUS(backoff_state_next(&delay, state, 0), BACKOFF_OK);
  CHECK_I64(delay, 400 * MS);
  backoff_state_free(state);
}

static void explicit_time_variants_ignore_the_clock(void) {
  manual_clock clock = {0, 0};
  backoff_state *state = state_from_text("kind=constant,initial=400ms,jitter=none,max_elapsed=1s", &clock);
  int reads;
  int64_t elapsed = -1;
  CHECK_STATUS(backoff_state_reset_at(state, 10 * SECOND), BACKOFF_OK);
  reads = clock.reads;
  CHECK_STATUS(backoff_state_elapsed_at(&elapsed, state, 10 * SECOND + 300 * MS), BACKOFF_OK);
  CHECK_I64(elapsed, 300 * MS);
  CHECK_I64(next_at(state, 10 * SECOND + 600 * MS, 0), 400 * MS);
  CHECK_I64(next_at(state, 10 * SECOND + 601 * MS, 0), BACKOFF_STOP);
  CHECK_I64(clock.reads, reads);
  backoff_state_free(state);
}

static void elapsed_is_never_negative_and_saturates(void) {
  manual_clock clock = {0, 0};
  backoff_state *state = state_from_text("", &clock);
  int64_t elapsed = -1;
  CHECK_STATUS(backoff_state_reset_at(state, 1000), BACKOFF_OK);
  CHECK_STATUS(backoff_state_elapsed_at(&elapsed, state, 10), BACKOFF_OK); /* the clock went backwards */
  CHECK_I64(elapsed, 0);
  CHECK_STATUS(backoff_state_reset_at(state, INT64_MIN), BACKOFF_OK);
  CHECK_STATUS(backoff_state_elapsed_at(&elapsed, state, INT64_MAX), BACKOFF_OK);
  CHECK_I64(elapsed, INT64_MAX);
  backoff_state_free(state);
}

static void decorrelated_state_grows_from_its_previous_delay(void) {
  /* AWS: each delay is U(initial, min(cap, previous * 3)), the first previous being initial. */
  backoff_policy *policy = policy_from_text("kind=decorrelated,multiplier=3,initial=10ms,cap=5s,seed=11");
  manual_clock clock = {0, 0};
  backoff_state *state = state_on(policy, &clock);
  int64_t previous = 10 * MS;
  int n;
  for (n = 0; n < 200; ++n) {
    const int64_t delay = next_at(state, 0, 0);
    const int64_t upper = previous * 3 < 5 * SECOND ? previous * 3 : 5 * SECOND;
    CHECK_IN_RANGE(delay, 10 * MS, upper);
    previous = delay;
  }
  backoff_state_free(state);
  backoff_policy_free(policy);
}

static void state_outlives_its_policy(void) {
  backoff_policy *policy = policy_from_text("jitter=none");
  backoff_state *state = NULL;
  CHECK_STATUS(backoff_state_new(&state, policy), BACKOFF_OK);
  backoff_policy_free(policy); /* the state holds its own copy */
  CHECK_I64(next_at(state, 0, 0), 100 * MS);
  CHECK_I64(next_at(state, 0, 0), 200 * MS);
  backoff_state_free(state);
}

int main(void) {
  RUN_CASE(state_calls_reject_null);
  RUN_CASE(next_follows_the_schedule_and_counts_attempts);
  RUN_CASE(seeded_state_replays_the_stateless_delays_of_key_zero);
  RUN_CASE(unseeded_states_draw_independent_streams);
  RUN_CASE(max_attempts_stops_until_reset_replays);
  RUN_CASE(hint_is_a_floor_below_the_cap);
  RUN_CASE(injected_clock_drives_elapsed_time_and_max_elapsed);
  RUN_CASE(explicit_time_variants_ignore_the_clock);
  RUN_CASE(elapsed_is_never_negative_and_saturates);
  RUN_CASE(decorrelated_state_grows_from_its_previous_delay);
  RUN_CASE(state_outlives_its_policy);
  return check_summary();
}
