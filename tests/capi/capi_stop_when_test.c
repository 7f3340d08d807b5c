/* BACKOFF_PARAM_STOP_WHEN through the C API's typed setter and its name: under ANY the first of
 * MAX_ATTEMPTS and MAX_ELAPSED reached stops, under ALL only both. Compiled as C99. */
#include "capi_check.h"
#include "capi_fixtures.h"

/* One second between attempts, no jitter, three attempts or ten seconds, combined by `stop_when`
 * (a backoff_stop_when) set through the typed setter. */
static backoff_policy *three_attempts_or_ten_seconds(int64_t stop_when) {
  backoff_config *config = NULL;
  backoff_policy *policy = NULL;
  CHECK_STATUS(backoff_config_new(&config), BACKOFF_OK);
  CHECK_STATUS(config_apply_text(config, "kind=constant,initial=1s,jitter=none,max_attempts=3,max_elapsed=10s"),
               BACKOFF_OK);
  CHECK_STATUS(backoff_config_set_i64(config, BACKOFF_PARAM_STOP_WHEN, stop_when), BACKOFF_OK);
  CHECK_STATUS(backoff_policy_new(&policy, config), BACKOFF_OK);
  backoff_config_free(config);
  return policy;
}

static void any_stops_at_the_first_limit_all_at_the_last(void) {
  backoff_policy *any = three_attempts_or_ten_seconds(BACKOFF_STOP_WHEN_ANY);
  backoff_policy *all = three_attempts_or_ten_seconds(BACKOFF_STOP_WHEN_ALL);
  const int64_t late = 9500 * BACKOFF_MILLISECOND; /* MAX_ELAPSED is reached: a 1 s wait would pass it */
  const struct {
    const backoff_policy *policy;
    uint64_t attempt; /* retry 2 follows the third attempt: MAX_ATTEMPTS is reached */
    int64_t elapsed_ns, expected_ns;
  } cases[] = {{any, 2, 0, BACKOFF_STOP},    {all, 2, 0, BACKOFF_SECOND},   {any, 1, late, BACKOFF_STOP},
               {all, 1, late, BACKOFF_SECOND}, {all, 2, late, BACKOFF_STOP}};
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    int64_t delay = -12345;
    CHECK_STATUS(backoff_policy_delay_within(&delay, cases[i].policy, cases[i].attempt, 0, cases[i].elapsed_ns),
                 BACKOFF_OK);
    CHECK_I64(delay, cases[i].expected_ns);
  }
  backoff_policy_free(any);
  backoff_policy_free(all);
}

static void a_state_under_all_stops_once_both_are_reached(void) {
  backoff_policy *all = three_attempts_or_ten_seconds(BACKOFF_STOP_WHEN_ALL);
  backoff_state *state = NULL;
  int64_t delay = -12345, now = 0;
  int waits = 0;
  CHECK_STATUS(backoff_state_new(&state, all), BACKOFF_OK);
  CHECK_STATUS(backoff_state_reset_at(state, 0), BACKOFF_OK);
  for (;;) {
    CHECK_STATUS(backoff_state_next_at(&delay, state, now, 0), BACKOFF_OK);
    if (delay == BACKOFF_STOP || waits > 100) break;
    ++waits;
    now += delay;
  }
  CHECK_I64(waits, 10); /* past the three attempts, until the ten seconds are spent */
  backoff_state_free(state);
  backoff_policy_free(all);
}

static void the_rule_reads_back_and_has_names(void) {
  backoff_policy *all = three_attempts_or_ten_seconds(BACKOFF_STOP_WHEN_ALL);
  backoff_policy *by_name = policy_from_text("max_attempts=3,stop_when=all");
  int64_t value = -1;
  int named = -1;
  CHECK_STATUS(backoff_policy_get_i64(&value, all, BACKOFF_PARAM_STOP_WHEN), BACKOFF_OK);
  CHECK_I64(value, BACKOFF_STOP_WHEN_ALL);
  CHECK_STATUS(backoff_policy_get_i64(&value, by_name, BACKOFF_PARAM_STOP_WHEN), BACKOFF_OK);
  CHECK_I64(value, BACKOFF_STOP_WHEN_ALL);
  CHECK(strcmp(backoff_name_of(BACKOFF_ENUM_STOP_WHEN, BACKOFF_STOP_WHEN_ANY), "any") == 0);
  CHECK_STATUS(backoff_value_of(&named, BACKOFF_ENUM_STOP_WHEN, "all"), BACKOFF_OK);
  CHECK_I64(named, BACKOFF_STOP_WHEN_ALL);
  CHECK(strcmp(backoff_param_info(BACKOFF_ENUM_PARAM, BACKOFF_PARAM_STOP_WHEN, BACKOFF_FIELD_DEFAULT), "any") == 0);
  backoff_policy_free(all);
  backoff_policy_free(by_name);
}

static void a_bad_rule_is_refused_naming_it(void) {
  backoff_config *config = NULL;
  backoff_policy *policy = NULL;
  int64_t value = -1;
  CHECK_STATUS(backoff_config_new(&config), BACKOFF_OK);
  CHECK_ERROR(backoff_config_set_i64(config, BACKOFF_PARAM_STOP_WHEN, 2), BACKOFF_EUNKNOWN, "stop_when");
  CHECK_ERROR(backoff_config_set_text(config, "stop_when", "both"), BACKOFF_EUNKNOWN, "both");
  CHECK_STATUS(backoff_policy_new(&policy, config), BACKOFF_OK);
  CHECK_STATUS(backoff_policy_get_i64(&value, policy, BACKOFF_PARAM_STOP_WHEN), BACKOFF_OK);
  CHECK_I64(value, BACKOFF_STOP_WHEN_ANY); /* refused values changed nothing */
  backoff_policy_free(policy);
  backoff_config_free(config);
}

int main(void) {
  RUN_CASE(any_stops_at_the_first_limit_all_at_the_last);
  RUN_CASE(a_state_under_all_stops_once_both_are_reached);
  RUN_CASE(the_rule_reads_back_and_has_names);
  RUN_CASE(a_bad_rule_is_refused_naming_it);
  return check_summary();
}
