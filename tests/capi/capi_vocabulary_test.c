/* The vocabulary: every enum name and every parameter's metadata, asked through the ABI. */
#include <stdlib.h>

#include "capi_check.h"

static void names_round_trip_through_value_of(void) {
  int family = 0;
  for (family = 0; backoff_name_of(BACKOFF_ENUM_FAMILY, family) != NULL; ++family) {
    int value = 0;
    int seen = 0;
    for (value = -20; value < 64; ++value) {
      const char *name = backoff_name_of(family, value);
      int back = -999;
      if (name == NULL) continue;
      ++seen;
      CHECK_STATUS(backoff_value_of(&back, family, name), BACKOFF_OK);
      CHECK_I64(back, value);
    }
    CHECK(seen > 0);
  }
  CHECK_I64(family, BACKOFF_ENUM_STOP_WHEN + 1);
}

static void names_are_the_documented_ones(void) {
  int value = -1;
  CHECK(strcmp(backoff_name_of(BACKOFF_ENUM_JITTER, BACKOFF_JITTER_FULL), "full") == 0);
  CHECK(strcmp(backoff_name_of(BACKOFF_ENUM_KIND, BACKOFF_KIND_DECORRELATED), "decorrelated") == 0);
  CHECK(strcmp(backoff_name_of(BACKOFF_ENUM_STATUS, BACKOFF_EINVAL), "invalid_value") == 0);
  CHECK(strcmp(backoff_name_of(BACKOFF_ENUM_BREAKER_STATE, BACKOFF_BREAKER_HALF_OPEN), "half_open") == 0);
  CHECK(strcmp(backoff_name_of(BACKOFF_ENUM_RETRY_OUTCOME, BACKOFF_RETRY_GAVE_UP), "gave_up") == 0);
  CHECK(strcmp(backoff_name_of(BACKOFF_ENUM_PARAM, BACKOFF_PARAM_INITIAL_NS), "initial") == 0);
  CHECK(strcmp(backoff_name_of(BACKOFF_ENUM_FAMILY, BACKOFF_ENUM_BUDGET_CALIBRATION), "calibration") == 0);
  CHECK_STATUS(backoff_value_of(&value, BACKOFF_ENUM_BREAKER_TRIP, "ratio"), BACKOFF_OK);
  CHECK_I64(value, BACKOFF_BREAKER_TRIP_RATIO);
}

static void unknown_families_and_values_have_no_name(void) {
  CHECK(backoff_name_of(-1, 0) == NULL);
  CHECK(backoff_name_of(BACKOFF_ENUM_STOP_WHEN + 1, 0) == NULL);
  CHECK(backoff_name_of(BACKOFF_ENUM_BREAKER_WINDOW, 2) == NULL);
  CHECK(backoff_name_of(BACKOFF_ENUM_BREAKER_STATE, BACKOFF_BREAKER_NONE) == NULL);
  CHECK(backoff_name_of(BACKOFF_ENUM_ATTEMPT, BACKOFF_ATTEMPT_NONE) == NULL);
}

static void value_of_rejects_unknown_names_and_leaves_out_alone(void) {
  int value = 77;
  CHECK_ERROR(backoff_value_of(&value, BACKOFF_ENUM_BUDGET_CALIBRATION, "aws2"), BACKOFF_EUNKNOWN, "calibration");
  CHECK(strcmp(backoff_last_error(), "calibration: unknown value 'aws2' (known: aws, grpc, finagle)") == 0);
  CHECK_ERROR(backoff_value_of(&value, 42, "full"), BACKOFF_EUNKNOWN, "42");
  CHECK_ERROR(backoff_value_of(NULL, BACKOFF_ENUM_JITTER, "full"), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_value_of(&value, BACKOFF_ENUM_JITTER, NULL), BACKOFF_ENULL, "name");
  CHECK_I64(value, 77);
}

static const int param_families[] = {BACKOFF_ENUM_PARAM, BACKOFF_ENUM_BREAKER_PARAM, BACKOFF_ENUM_BUDGET_PARAM};

/* Every parameter's name and type agree with the per-family lookups, and its default is text that the
 * family's set_text accepts. */
static void param_info_agrees_with_the_lookups(void) {
  size_t f = 0;
  for (f = 0; f < sizeof param_families / sizeof param_families[0]; ++f) {
    const int family = param_families[f];
    int param = 0;
    for (param = 0; backoff_param_info(family, param, BACKOFF_FIELD_NAME) != NULL; ++param) {
      const char *type = backoff_param_info(family, param, BACKOFF_FIELD_TYPE);
      int type_value = -1;
      CHECK(strcmp(backoff_param_info(family, param, BACKOFF_FIELD_NAME), backoff_name_of(family, param)) == 0);
      CHECK_STATUS(backoff_value_of(&type_value, BACKOFF_ENUM_VALUE_TYPE, type), BACKOFF_OK);
      if (family == BACKOFF_ENUM_PARAM) CHECK_I64(type_value, backoff_param_type(param));
      if (family == BACKOFF_ENUM_BREAKER_PARAM) CHECK_I64(type_value, backoff_breaker_param_type(param));
      if (family == BACKOFF_ENUM_BUDGET_PARAM) CHECK_I64(type_value, backoff_budget_param_type(param));
      CHECK(backoff_param_info(family, param, BACKOFF_FIELD_UNIT) != NULL);
      CHECK(strlen(backoff_param_info(family, param, BACKOFF_FIELD_DOMAIN)) > 0);
      CHECK((type_value == BACKOFF_TYPE_CHOICE) == (strlen(backoff_param_info(family, param, BACKOFF_FIELD_CHOICES)) > 0));
    }
    CHECK(param > 0);
    CHECK(backoff_param_info(family, param, BACKOFF_FIELD_NAME) == NULL);
  }
}

static void policy_defaults_parse_back_to_the_default_policy(void) {
  backoff_config *config = NULL;
  backoff_policy *defaults = NULL, *reset = NULL;
  int param = 0;
  CHECK_STATUS(backoff_config_new(&config), BACKOFF_OK);
  CHECK_STATUS(backoff_policy_new(&defaults, config), BACKOFF_OK);
  for (param = 0; param < BACKOFF_PARAM_SEED; ++param) {
    CHECK_STATUS(backoff_config_set_text(config, backoff_name_of(BACKOFF_ENUM_PARAM, param),
                                         backoff_param_info(BACKOFF_ENUM_PARAM, param, BACKOFF_FIELD_DEFAULT)),
                 BACKOFF_OK);
  }
  CHECK_STATUS(backoff_policy_new(&reset, config), BACKOFF_OK);
  for (param = 0; param < BACKOFF_PARAM_SEED; ++param) {
    int64_t a = -1, b = -2;
    double x = -1, y = -2;
    if (backoff_param_type(param) == BACKOFF_TYPE_REAL) {
      CHECK_STATUS(backoff_policy_get_f64(&x, defaults, param), BACKOFF_OK);
      CHECK_STATUS(backoff_policy_get_f64(&y, reset, param), BACKOFF_OK);
      CHECK(x == y);
    } else {
      CHECK_STATUS(backoff_policy_get_i64(&a, defaults, param), BACKOFF_OK);
      CHECK_STATUS(backoff_policy_get_i64(&b, reset, param), BACKOFF_OK);
      CHECK_I64(a, b);
    }
  }
  CHECK(strcmp(backoff_param_info(BACKOFF_ENUM_PARAM, BACKOFF_PARAM_SEED, BACKOFF_FIELD_DEFAULT), "unseeded") == 0);
  backoff_policy_free(reset);
  backoff_policy_free(defaults);
  backoff_config_free(config);
}

/* A retry loop given no stop: the stop parameters' values, "" for every other parameter and family; set
 * on a config, they give a policy that allows 5 attempts (4 waits) and no more. */
static void retry_defaults_bound_the_attempts_of_a_loop_given_no_stop(void) {
  backoff_config *config = NULL;
  backoff_policy *policy = NULL;
  int64_t delay = 0, attempts = -1;
  int param = 0, stops = 0;
  CHECK(strcmp(backoff_param_info(BACKOFF_ENUM_PARAM, BACKOFF_PARAM_MAX_ATTEMPTS, BACKOFF_FIELD_RETRY_DEFAULT), "5") == 0);
  CHECK(strcmp(backoff_param_info(BACKOFF_ENUM_PARAM, BACKOFF_PARAM_MAX_ELAPSED_NS, BACKOFF_FIELD_RETRY_DEFAULT), "0") == 0);
  CHECK(strcmp(backoff_param_info(BACKOFF_ENUM_PARAM, BACKOFF_PARAM_DEADLINE_NS, BACKOFF_FIELD_RETRY_DEFAULT), "0") == 0);
  CHECK(strcmp(backoff_param_info(BACKOFF_ENUM_PARAM, BACKOFF_PARAM_CAP_NS, BACKOFF_FIELD_RETRY_DEFAULT), "") == 0);
  CHECK(strcmp(backoff_param_info(BACKOFF_ENUM_BREAKER_PARAM, 0, BACKOFF_FIELD_RETRY_DEFAULT), "") == 0);
  CHECK(strcmp(backoff_name_of(BACKOFF_ENUM_PARAM_FIELD, BACKOFF_FIELD_RETRY_DEFAULT), "retry_default") == 0);
  CHECK_STATUS(backoff_config_new(&config), BACKOFF_OK);
  for (param = 0; backoff_param_name(param) != NULL; ++param) {
    const char *text = backoff_param_info(BACKOFF_ENUM_PARAM, param, BACKOFF_FIELD_RETRY_DEFAULT);
    if (text[0] == '\0') continue;
    ++stops;
    CHECK_STATUS(backoff_config_set_text(config, backoff_param_name(param), text), BACKOFF_OK);
  }
  CHECK_I64(stops, 3);
  CHECK_STATUS(backoff_policy_new(&policy, config), BACKOFF_OK);
  CHECK_STATUS(backoff_policy_get_i64(&attempts, policy, BACKOFF_PARAM_MAX_ATTEMPTS), BACKOFF_OK);
  CHECK_I64(attempts, 5);
  CHECK_STATUS(backoff_policy_delay(&delay, policy, 3, 0), BACKOFF_OK);
  CHECK(delay >= 0);
  CHECK_STATUS(backoff_policy_delay(&delay, policy, 4, 0), BACKOFF_OK);
  CHECK_I64(delay, BACKOFF_STOP);
  backoff_policy_free(policy);
  backoff_config_free(config);
}

static void param_info_rejects_other_families_params_and_fields(void) {
  CHECK(backoff_param_info(BACKOFF_ENUM_JITTER, 0, BACKOFF_FIELD_NAME) == NULL);
  CHECK(backoff_param_info(-1, 0, BACKOFF_FIELD_NAME) == NULL);
  CHECK(backoff_param_info(99, 0, BACKOFF_FIELD_NAME) == NULL);
  CHECK(backoff_param_info(BACKOFF_ENUM_PARAM, -1, BACKOFF_FIELD_NAME) == NULL);
  CHECK(backoff_param_info(BACKOFF_ENUM_PARAM, 0, BACKOFF_FIELD_RETRY_DEFAULT + 1) == NULL);
  CHECK(backoff_param_info(BACKOFF_ENUM_PARAM, 0, -1) == NULL);
  CHECK(strcmp(backoff_param_info(BACKOFF_ENUM_BREAKER_PARAM, BACKOFF_BREAKER_PARAM_WINDOW, BACKOFF_FIELD_CHOICES),
               "count, time") == 0);
  CHECK(strcmp(backoff_param_info(BACKOFF_ENUM_PARAM, BACKOFF_PARAM_INITIAL_NS, BACKOFF_FIELD_DEFAULT), "100ms") == 0);
}

int main(void) {
  RUN_CASE(names_round_trip_through_value_of);
  RUN_CASE(names_are_the_documented_ones);
  RUN_CASE(unknown_families_and_values_have_no_name);
  RUN_CASE(value_of_rejects_unknown_names_and_leaves_out_alone);
  RUN_CASE(param_info_agrees_with_the_lookups);
  RUN_CASE(policy_defaults_parse_back_to_the_default_policy);
  RUN_CASE(retry_defaults_bound_the_attempts_of_a_loop_given_no_stop);
  RUN_CASE(param_info_rejects_other_families_params_and_fields);
  return check_summary();
}
