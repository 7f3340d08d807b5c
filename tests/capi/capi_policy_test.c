/* The policy handle and the stateless form: construction checks, schedules computed by hand from the
 * header's formulas, the cap under every jitter, saturation at extreme inputs, determinism, read-back. */
#define BACKOFF_EXPERIMENTAL /* also tests backoff_policy_delay_hinted */
#include "capi_check.h"
#include "capi_fixtures.h"

#define MS BACKOFF_MILLISECOND
#define SECOND BACKOFF_SECOND

static int64_t delay_of(const backoff_policy *policy, uint64_t attempt, uint64_t key) {
  int64_t delay = -12345;
  CHECK_STATUS(backoff_policy_delay(&delay, policy, attempt, key), BACKOFF_OK);
  return delay;
}

static int64_t delay_within_of(const backoff_policy *policy, uint64_t attempt, int64_t elapsed_ns) {
  int64_t delay = -12345;
  CHECK_STATUS(backoff_policy_delay_within(&delay, policy, attempt, 0, elapsed_ns), BACKOFF_OK);
  return delay;
}

static void policy_new_and_free_handle_null(void) {
  backoff_config *config = NULL;
  backoff_policy *policy = NULL;
  CHECK_STATUS(backoff_config_new(&config), BACKOFF_OK);
  CHECK_ERROR(backoff_policy_new(NULL, config), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_policy_new(&policy, NULL), BACKOFF_ENULL, "config");
  CHECK(policy == NULL);
  backoff_policy_free(NULL); /* a no-op, not a crash */
  backoff_config_free(config);
}

static void cap_below_initial_is_rejected_naming_both(void) {
  backoff_config *config = NULL;
  backoff_policy *policy = NULL;
  CHECK_STATUS(backoff_config_new(&config), BACKOFF_OK);
  CHECK_STATUS(config_apply_text(config, "initial=10s,cap=5s"), BACKOFF_OK);
  CHECK_STATUS(backoff_policy_new(&policy, config), BACKOFF_EINVAL);
  CHECK(policy == NULL);
  CHECK_MESSAGE_NAMES("cap");
  CHECK_MESSAGE_NAMES("initial");
  CHECK_MESSAGE_NAMES("5000000000");
  CHECK_MESSAGE_NAMES("10000000000");
  backoff_config_free(config);
}

static void growing_kinds_reject_zero_initial(void) {
  const char *const zero_initial[] = {"kind=exponential,initial=0", "kind=decorrelated,initial=0"};
  size_t i;
  for (i = 0; i < 2; ++i) {
    backoff_config *config = NULL;
    backoff_policy *policy = NULL;
    CHECK_STATUS(backoff_config_new(&config), BACKOFF_OK);
    CHECK_STATUS(config_apply_text(config, zero_initial[i]), BACKOFF_OK);
    CHECK_ERROR(backoff_policy_new(&policy, config), BACKOFF_EINVAL, "initial");
    backoff_config_free(config);
  }
}

static void stateless_calls_reject_null(void) {
  backoff_policy *policy = policy_from_text("");
  int64_t delay = -12345;
  CHECK_ERROR(backoff_policy_delay(&delay, NULL, 0, 0), BACKOFF_ENULL, "policy");
  CHECK_ERROR(backoff_policy_delay(NULL, policy, 0, 0), BACKOFF_ENULL, "out_ns");
  CHECK_ERROR(backoff_policy_delay_within(&delay, NULL, 0, 0, 0), BACKOFF_ENULL, "policy");
  CHECK_ERROR(backoff_policy_delay_within(NULL, policy, 0, 0, 0), BACKOFF_ENULL, "out_ns");
  CHECK_ERROR(backoff_policy_base_delay(&delay, NULL, 0), BACKOFF_ENULL, "policy");
  CHECK_ERROR(backoff_policy_base_delay(NULL, policy, 0), BACKOFF_ENULL, "out_ns");
  CHECK_I64(delay, -12345);
  backoff_policy_free(policy);
}

static void default_exponential_schedule_doubles_up_to_the_cap(void) {
  /* The header's table: 0.1 s doubling, capped at 60 s. */
  const int64_t expected[] = {100 * MS, 200 * MS, 400 * MS, 800 * MS, 1600 * MS, 3200 * MS,
                              6400 * MS, 12800 * MS, 25600 * MS, 51200 * MS, 60 * SECOND};
  backoff_policy *policy = policy_from_text("jitter=none");
  uint64_t n;
  for (n = 0; n < sizeof expected / sizeof expected[0]; ++n) CHECK_I64(delay_of(policy, n, 0), expected[n]);
  CHECK_I64(delay_of(policy, 1000, 0), 60 * SECOND);
  CHECK_I64(delay_of(policy, (uint64_t)1 << 63, 0), 60 * SECOND);
  CHECK_I64(delay_of(policy, UINT64_MAX, 0), 60 * SECOND);
  backoff_policy_free(policy);
}

static void linear_and_constant_schedules(void) {
  backoff_policy *linear = policy_from_text("kind=linear,initial=1s,increment=500ms,cap=3s,jitter=none");
  backoff_policy *constant = policy_from_text("kind=constant,initial=250ms,jitter=none");
  backoff_policy *zero = policy_from_text("kind=constant,initial=0");
  CHECK_I64(delay_of(linear, 0, 0), 1000 * MS);
  CHECK_I64(delay_of(linear, 1, 0), 1500 * MS);
  CHECK_I64(delay_of(linear, 3, 0), 2500 * MS);
  CHECK_I64(delay_of(linear, 4, 0), 3000 * MS);
  CHECK_I64(delay_of(linear, UINT64_MAX, 0), 3000 * MS); /* increment * attempt saturates, never wraps */
  CHECK_I64(delay_of(constant, 0, 0), 250 * MS);
  CHECK_I64(delay_of(constant, UINT64_MAX, 0), 250 * MS);
  CHECK_I64(delay_of(zero, 0, 9), 0); /* "zero backoff", whatever the jitter */
  CHECK_I64(delay_of(zero, UINT64_MAX, 9), 0);
  backoff_policy_free(linear);
  backoff_policy_free(constant);
  backoff_policy_free(zero);
}

static void max_attempts_counts_the_first_call(void) {
  /* 3 attempts: the first call and two retries, so retry delays exist for attempts 0 and 1 only. */
  backoff_policy *policy = policy_from_text("max_attempts=3,jitter=none");
  CHECK_I64(delay_of(policy, 0, 0), 100 * MS);
  CHECK_I64(delay_of(policy, 1, 0), 200 * MS);
  CHECK_I64(delay_of(policy, 2, 0), BACKOFF_STOP);
  CHECK_I64(delay_of(policy, UINT64_MAX, 0), BACKOFF_STOP);
  backoff_policy_free(policy);
}

static void jitter_stays_within_its_range(void) {
  /* Attempt 3 has base delay 800 ms; each mode's documented range, over many keys. */
  const struct {
    const char *settings;
    int64_t lo, hi;
  } modes[] = {{"jitter=full,seed=1", 0, 800 * MS},
               {"jitter=equal,seed=1", 400 * MS, 800 * MS},
               {"jitter=randomization,randomization_factor=0.25,seed=1", 600 * MS, 1000 * MS},
               {"kind=decorrelated,multiplier=3,seed=1", 100 * MS, 8100 * MS}};
  size_t m;
  for (m = 0; m < sizeof modes / sizeof modes[0]; ++m) {
    backoff_policy *policy = policy_from_text(modes[m].settings);
    int64_t lowest = INT64_MAX, highest = -1;
    uint64_t key;
    for (key = 0; key < 2000; ++key) {
      const int64_t delay = delay_of(policy, 3, key);
      lowest = delay < lowest ? delay : lowest;
      highest = delay > highest ? delay : highest;
    }
    CHECK_IN_RANGE(lowest, modes[m].lo, modes[m].hi);
    CHECK_IN_RANGE(highest, modes[m].lo, modes[m].hi);
    /* The draws spread over the range rather than sitting at one value. */
    CHECK(highest - lowest > (modes[m].hi - modes[m].lo) / 2);
    backoff_policy_free(policy);
  }
}

static void no_delay_exceeds_the_cap_at_any_attempt(void) {
  const char *const policies[] = {
      "cap=1s,jitter=none",
      "cap=1s,jitter=full",
      "cap=1s,jitter=equal",
      "cap=1s,jitter=randomization,randomization_factor=1",
      "kind=linear,initial=500ms,increment=1h,cap=1s,jitter=randomization,randomization_factor=1",
      "kind=decorrelated,multiplier=3,cap=1s",
      "multiplier=1e300,initial=1ns,cap=1s,jitter=randomization,randomization_factor=1"};
  const uint64_t attempts[] = {0, 1, 2, 10, 63, 64, 1000, (uint64_t)1 << 62, (uint64_t)1 << 63, UINT64_MAX - 1,
                               UINT64_MAX};
  size_t p, a;
  for (p = 0; p < sizeof policies / sizeof policies[0]; ++p) {
    backoff_policy *policy = policy_from_text(policies[p]);
    for (a = 0; a < sizeof attempts / sizeof attempts[0]; ++a) {
      uint64_t key;
      for (key = 0; key < 50; ++key) {
        CHECK_IN_RANGE(delay_of(policy, attempts[a], key), 0, SECOND);
      }
    }
    backoff_policy_free(policy);
  }
}

static void extreme_configurations_saturate(void) {
  /* multiplier 1e300 with initial = cap = INT64_MAX: nothing overflows, the delay is the cap. */
  backoff_config *config = NULL;
  backoff_policy *policy = NULL;
  backoff_policy *huge_growth = policy_from_text("multiplier=1e300,initial=1ns,jitter=none,cap=1h");
  CHECK_STATUS(backoff_config_new(&config), BACKOFF_OK);
  CHECK_STATUS(backoff_config_set_f64(config, BACKOFF_PARAM_MULTIPLIER, 1e300), BACKOFF_OK);
  CHECK_STATUS(backoff_config_set_i64(config, BACKOFF_PARAM_INITIAL_NS, INT64_MAX), BACKOFF_OK);
  CHECK_STATUS(backoff_config_set_i64(config, BACKOFF_PARAM_CAP_NS, INT64_MAX), BACKOFF_OK);
  CHECK_STATUS(backoff_config_set_i64(config, BACKOFF_PARAM_JITTER, BACKOFF_JITTER_NONE), BACKOFF_OK);
  CHECK_STATUS(backoff_policy_new(&policy, config), BACKOFF_OK);
  CHECK_I64(delay_of(policy, 0, 0), INT64_MAX);
  CHECK_I64(delay_of(policy, UINT64_MAX, 0), INT64_MAX);
  CHECK_I64(delay_within_of(policy, UINT64_MAX, INT64_MAX), INT64_MAX); /* max_elapsed 0: unlimited */
  CHECK_I64(delay_of(huge_growth, 0, 0), 1);
  CHECK_I64(delay_of(huge_growth, 1, 0), 3600 * SECOND);
  CHECK_I64(delay_of(huge_growth, UINT64_MAX, 0), 3600 * SECOND);
  backoff_policy_free(policy);
  backoff_policy_free(huge_growth);
  backoff_config_free(config);
}

static void delay_within_stops_past_max_elapsed(void) {
  backoff_policy *policy = policy_from_text("kind=constant,initial=100ms,jitter=none,max_elapsed=1s");
  CHECK_I64(delay_within_of(policy, 0, 0), 100 * MS);
  CHECK_I64(delay_within_of(policy, 5, 900 * MS), 100 * MS); /* reaching max_elapsed exactly is allowed */
  CHECK_I64(delay_within_of(policy, 5, 900 * MS + 1), BACKOFF_STOP);
  CHECK_I64(delay_within_of(policy, 5, INT64_MAX), BACKOFF_STOP);
  CHECK_I64(delay_within_of(policy, 5, -5 * SECOND), 100 * MS); /* negative elapsed counts as 0 */
  CHECK_I64(delay_of(policy, 5, 0), 100 * MS);                  /* the plain form ignores elapsed time */
  backoff_policy_free(policy);
}

static void delay_hinted_floors_the_delay_and_rejects_a_negative_hint(void) {
  backoff_policy *policy = policy_from_text("kind=constant,initial=100ms,cap=2s,jitter=none,max_elapsed=10s");
  int64_t delay = -12345;
  CHECK_STATUS(backoff_policy_delay_hinted(&delay, policy, 0, 0, 0, 0), BACKOFF_OK);
  CHECK_I64(delay, 100 * MS);
  CHECK_STATUS(backoff_policy_delay_hinted(&delay, policy, 0, 0, 0, SECOND), BACKOFF_OK);
  CHECK_I64(delay, SECOND);
  CHECK_STATUS(backoff_policy_delay_hinted(&delay, policy, 0, 0, 0, 60 * SECOND), BACKOFF_OK);
  CHECK_I64(delay, 2 * SECOND); /* capped */
  CHECK_STATUS(backoff_policy_delay_hinted(&delay, policy, 0, 0, 9 * SECOND, 2 * SECOND), BACKOFF_OK);
  CHECK_I64(delay, BACKOFF_STOP); /* the hinted wait passes max_elapsed */
  delay = -12345;
  CHECK_ERROR(backoff_policy_delay_hinted(&delay, policy, 0, 0, 0, -1), BACKOFF_EINVAL, "hint_ns");
  CHECK_ERROR(backoff_policy_delay_hinted(&delay, NULL, 0, 0, 0, 0), BACKOFF_ENULL, "policy");
  CHECK_I64(delay, -12345);
  backoff_policy_free(policy);
}

static void base_delay_is_the_capped_spine_before_jitter(void) {
  backoff_policy *full = policy_from_text("jitter=full,cap=1s");
  backoff_policy *decorrelated = policy_from_text("kind=decorrelated,multiplier=3,cap=1s");
  int64_t base = -12345;
  CHECK_STATUS(backoff_policy_base_delay(&base, full, 2), BACKOFF_OK);
  CHECK_I64(base, 400 * MS);
  CHECK_STATUS(backoff_policy_base_delay(&base, full, UINT64_MAX), BACKOFF_OK);
  CHECK_I64(base, SECOND);
  /* Decorrelated: the upper bound of draw n is min(cap, initial * multiplier^n) * multiplier, capped. */
  CHECK_STATUS(backoff_policy_base_delay(&base, decorrelated, 0), BACKOFF_OK);
  CHECK_I64(base, 300 * MS);
  CHECK_STATUS(backoff_policy_base_delay(&base, decorrelated, 1), BACKOFF_OK);
  CHECK_I64(base, 900 * MS);
  CHECK_STATUS(backoff_policy_base_delay(&base, decorrelated, 2), BACKOFF_OK);
  CHECK_I64(base, SECOND);
  backoff_policy_free(full);
  backoff_policy_free(decorrelated);
}

static void key_hash_is_fnv1a_then_splitmix_and_rejects_null(void) {
  uint64_t key = 12345;
  /* Values from tools/gen_vectors.py's independent model. */
  CHECK_STATUS(backoff_key_hash(&key, "job-42", 6), BACKOFF_OK);
  CHECK_U64(key, UINT64_C(0x43244671ff95eb28));
  CHECK_STATUS(backoff_key_hash(&key, NULL, 0), BACKOFF_OK); /* no bytes: the empty key */
  CHECK_U64(key, UINT64_C(0xf52a15e9a9b5e89b));
  CHECK_STATUS(backoff_key_hash(&key, "", 0), BACKOFF_OK);
  CHECK_U64(key, UINT64_C(0xf52a15e9a9b5e89b));
  CHECK_STATUS(backoff_key_hash(&key, "job-42\0", 7), BACKOFF_OK); /* every byte counts, NUL included */
  CHECK(key != UINT64_C(0x43244671ff95eb28));
  CHECK_ERROR(backoff_key_hash(NULL, "job-42", 6), BACKOFF_ENULL, "out");
  key = 7;
  CHECK_ERROR(backoff_key_hash(&key, NULL, 1), BACKOFF_ENULL, "bytes");
  CHECK_U64(key, 7); /* untouched on failure */
}

static void same_seed_gives_same_delays_and_keys_differ(void) {
  backoff_policy *a = policy_from_text("seed=42");
  backoff_policy *b = policy_from_text("seed=42");
  backoff_policy *other_seed = policy_from_text("seed=43");
  int differs_by_key = 0, differs_by_seed = 0;
  uint64_t attempt;
  for (attempt = 0; attempt < 40; ++attempt) {
    CHECK_I64(delay_of(a, attempt, 7), delay_of(b, attempt, 7));
    differs_by_key += delay_of(a, attempt, 7) != delay_of(a, attempt, 8);
    differs_by_seed += delay_of(a, attempt, 7) != delay_of(other_seed, attempt, 7);
  }
  CHECK(differs_by_key > 30);
  CHECK(differs_by_seed > 30);
  backoff_policy_free(a);
  backoff_policy_free(b);
  backoff_policy_free(other_seed);
}

static void getters_read_back_the_applied_values(void) {
  backoff_policy *policy = policy_from_text("initial=100s,multiplier=1.5,seed=9");
  backoff_policy *unseeded = policy_from_text("");
  backoff_policy *unseeded_too = policy_from_text("");
  int64_t cap = -1, untouched = -12345;
  double multiplier = 0;
  uint64_t seed = 0, drawn_seed = 0, drawn_seed_too = 0;
  CHECK_STATUS(backoff_policy_get_i64(&cap, policy, BACKOFF_PARAM_CAP_NS), BACKOFF_OK);
  CHECK_I64(cap, 100 * SECOND); /* an unset cap is raised to initial */
  CHECK_STATUS(backoff_policy_get_f64(&multiplier, policy, BACKOFF_PARAM_MULTIPLIER), BACKOFF_OK);
  CHECK(multiplier == 1.5);
  CHECK_STATUS(backoff_policy_get_u64(&seed, policy, BACKOFF_PARAM_SEED), BACKOFF_OK);
  CHECK_U64(seed, 9);
  CHECK_STATUS(backoff_policy_get_u64(&drawn_seed, unseeded, BACKOFF_PARAM_SEED), BACKOFF_OK);
  CHECK_STATUS(backoff_policy_get_u64(&drawn_seed_too, unseeded_too, BACKOFF_PARAM_SEED), BACKOFF_OK);
  CHECK(drawn_seed != drawn_seed_too); /* each unseeded policy draws its own */

  CHECK_ERROR(backoff_policy_get_i64(&untouched, policy, BACKOFF_PARAM_MULTIPLIER), BACKOFF_ETYPE, "multiplier");
  CHECK_STATUS(backoff_policy_get_f64(&multiplier, policy, BACKOFF_PARAM_CAP_NS), BACKOFF_ETYPE);
  CHECK_STATUS(backoff_policy_get_u64(&seed, policy, BACKOFF_PARAM_INITIAL_NS), BACKOFF_ETYPE);
  CHECK_ERROR(backoff_policy_get_i64(&untouched, policy, 99), BACKOFF_EUNKNOWN, "99");
  CHECK_ERROR(backoff_policy_get_i64(&untouched, NULL, BACKOFF_PARAM_CAP_NS), BACKOFF_ENULL, "policy");
  CHECK_ERROR(backoff_policy_get_f64(NULL, policy, BACKOFF_PARAM_MULTIPLIER), BACKOFF_ENULL, "out");
  CHECK_STATUS(backoff_policy_get_u64(&seed, NULL, BACKOFF_PARAM_SEED), BACKOFF_ENULL);
  CHECK_I64(untouched, -12345);
  CHECK(multiplier == 1.5);
  CHECK_U64(seed, 9);
  backoff_policy_free(policy);
  backoff_policy_free(unseeded);
  backoff_policy_free(unseeded_too);
}

int main(void) {
  RUN_CASE(policy_new_and_free_handle_null);
  RUN_CASE(cap_below_initial_is_rejected_naming_both);
  RUN_CASE(growing_kinds_reject_zero_initial);
  RUN_CASE(stateless_calls_reject_null);
  RUN_CASE(default_exponential_schedule_doubles_up_to_the_cap);
  RUN_CASE(linear_and_constant_schedules);
  RUN_CASE(max_attempts_counts_the_first_call);
  RUN_CASE(jitter_stays_within_its_range);
  RUN_CASE(no_delay_exceeds_the_cap_at_any_attempt);
  RUN_CASE(extreme_configurations_saturate);
  RUN_CASE(delay_within_stops_past_max_elapsed);
  RUN_CASE(delay_hinted_floors_the_delay_and_rejects_a_negative_hint);
  RUN_CASE(base_delay_is_the_capped_spine_before_jitter);
  RUN_CASE(same_seed_gives_same_delays_and_keys_differ);
  RUN_CASE(key_hash_is_fnv1a_then_splitmix_and_rejects_null);
  RUN_CASE(getters_read_back_the_applied_values);
  return check_summary();
}
