/* Parameters and the config handle: lookup by name and id, and every setter with good and bad input.
 * A value is read back through a policy built from the config, since a config has no getters. */
#include <limits.h>
#include <math.h>

#include "capi_check.h"
#include "capi_fixtures.h"

/* The names and types the header's parameter table documents, indexed by backoff_param. */
static const char *const documented_names[] = {"kind", "initial", "multiplier", "increment",
                                               "cap", "jitter", "randomization_factor", "max_attempts",
                                               "max_elapsed", "seed", "deadline", "stop_when"};
static const int documented_types[] = {BACKOFF_TYPE_CHOICE, BACKOFF_TYPE_DURATION, BACKOFF_TYPE_REAL,
                                       BACKOFF_TYPE_DURATION, BACKOFF_TYPE_DURATION, BACKOFF_TYPE_CHOICE,
                                       BACKOFF_TYPE_REAL, BACKOFF_TYPE_COUNT, BACKOFF_TYPE_DURATION,
                                       BACKOFF_TYPE_SEED, BACKOFF_TYPE_DURATION, BACKOFF_TYPE_CHOICE};
enum { param_count = sizeof documented_names / sizeof documented_names[0] };

static backoff_config *new_config(void) {
  backoff_config *config = NULL;
  CHECK_STATUS(backoff_config_new(&config), BACKOFF_OK);
  return config;
}

/* The value `param` takes in a policy built from `config`, read by the getter its type calls for; the
 * other field keeps -12345. */
typedef struct {
  int64_t i64;
  double f64;
} applied_value;

static applied_value applied(const backoff_config *config, int param) {
  backoff_policy *policy = NULL;
  applied_value value = {-12345, -12345};
  CHECK_STATUS(backoff_policy_new(&policy, config), BACKOFF_OK);
  if (policy != NULL && backoff_param_type(param) == BACKOFF_TYPE_REAL) {
    CHECK_STATUS(backoff_policy_get_f64(&value.f64, policy, param), BACKOFF_OK);
  } else if (policy != NULL) {
    CHECK_STATUS(backoff_policy_get_i64(&value.i64, policy, param), BACKOFF_OK);
  }
  backoff_policy_free(policy);
  return value;
}

static int64_t applied_i64(const backoff_config *config, int param) { return applied(config, param).i64; }
static double applied_f64(const backoff_config *config, int param) { return applied(config, param).f64; }

static void param_names_and_ids_round_trip(void) {
  int id;
  for (id = 0; id < param_count; ++id) {
    int found = -1;
    CHECK(backoff_param_name(id) != NULL && strcmp(backoff_param_name(id), documented_names[id]) == 0);
    CHECK_STATUS(backoff_param_from_name(&found, documented_names[id]), BACKOFF_OK);
    CHECK_I64(found, id);
    CHECK_I64(backoff_param_type(id), documented_types[id]);
  }
}

static void unknown_param_ids_have_no_name_or_type(void) {
  const int unknown[] = {-1, param_count, 1000, INT_MAX, INT_MIN};
  size_t i;
  for (i = 0; i < sizeof unknown / sizeof unknown[0]; ++i) {
    CHECK(backoff_param_name(unknown[i]) == NULL);
    CHECK_I64(backoff_param_type(unknown[i]), BACKOFF_EUNKNOWN);
  }
}

static void param_from_name_rejects_unknown_names(void) {
  const char *const unknown[] = {"", "cap ", "initial_ns", "multiplyer"};
  size_t i;
  for (i = 0; i < sizeof unknown / sizeof unknown[0]; ++i) {
    int found = -7;
    CHECK_STATUS(backoff_param_from_name(&found, unknown[i]), BACKOFF_EUNKNOWN);
    CHECK_I64(found, -7); /* out-parameters are written only on success */
  }
  CHECK_MESSAGE_NAMES("multiplyer");
}

static void param_from_name_rejects_null_arguments(void) {
  int found = -7;
  CHECK_ERROR(backoff_param_from_name(NULL, "seed"), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_param_from_name(&found, NULL), BACKOFF_ENULL, "name");
  CHECK_I64(found, -7);
}

static void config_new_and_free_handle_null(void) {
  CHECK_ERROR(backoff_config_new(NULL), BACKOFF_ENULL, "out");
  backoff_config_free(NULL); /* a no-op, not a crash */
}

static void setters_reject_null_config(void) {
  backoff_config *config = new_config();
  CHECK_ERROR(backoff_config_set_i64(NULL, BACKOFF_PARAM_CAP_NS, 1), BACKOFF_ENULL, "config");
  CHECK_ERROR(backoff_config_set_f64(NULL, BACKOFF_PARAM_MULTIPLIER, 2.0), BACKOFF_ENULL, "config");
  CHECK_ERROR(backoff_config_set_u64(NULL, BACKOFF_PARAM_SEED, 1), BACKOFF_ENULL, "config");
  CHECK_SET_TEXT_REJECTS_NULL(backoff_config_set_text, config, "cap", "1s");
  backoff_config_free(config);
}

static void setters_reject_unknown_param_ids(void) {
  backoff_config *config = new_config();
  CHECK_ERROR(backoff_config_set_i64(config, param_count, 1), BACKOFF_EUNKNOWN, "12");
  CHECK_ERROR(backoff_config_set_i64(config, -1, 1), BACKOFF_EUNKNOWN, "-1");
  CHECK_STATUS(backoff_config_set_f64(config, INT_MAX, 2.0), BACKOFF_EUNKNOWN);
  CHECK_STATUS(backoff_config_set_u64(config, INT_MIN, 1), BACKOFF_EUNKNOWN);
  backoff_config_free(config);
}

static void setters_reject_params_of_another_type(void) {
  backoff_config *config = new_config();
  CHECK_ERROR(backoff_config_set_i64(config, BACKOFF_PARAM_MULTIPLIER, 2), BACKOFF_ETYPE, "multiplier");
  CHECK_ERROR(backoff_config_set_i64(config, BACKOFF_PARAM_SEED, 2), BACKOFF_ETYPE, "seed");
  CHECK_ERROR(backoff_config_set_f64(config, BACKOFF_PARAM_INITIAL_NS, 1e6), BACKOFF_ETYPE, "initial");
  CHECK_STATUS(backoff_config_set_f64(config, BACKOFF_PARAM_SEED, 1.0), BACKOFF_ETYPE);
  CHECK_ERROR(backoff_config_set_u64(config, BACKOFF_PARAM_MAX_ATTEMPTS, 3), BACKOFF_ETYPE, "max_attempts");
  CHECK_STATUS(backoff_config_set_u64(config, BACKOFF_PARAM_RANDOMIZATION_FACTOR, 0), BACKOFF_ETYPE);
  backoff_config_free(config);
}

static void set_i64_rejects_negative_values(void) {
  const int params[] = {BACKOFF_PARAM_INITIAL_NS, BACKOFF_PARAM_INCREMENT_NS, BACKOFF_PARAM_CAP_NS,
                        BACKOFF_PARAM_MAX_ATTEMPTS, BACKOFF_PARAM_MAX_ELAPSED_NS, BACKOFF_PARAM_KIND};
  backoff_config *config = new_config();
  size_t i;
  for (i = 0; i < sizeof params / sizeof params[0]; ++i) {
    CHECK_ERROR(backoff_config_set_i64(config, params[i], -1), BACKOFF_EINVAL, backoff_param_name(params[i]));
    CHECK_MESSAGE_NAMES("-1");
    CHECK_ERROR(backoff_config_set_i64(config, params[i], INT64_MIN), BACKOFF_EINVAL, "-9223372036854775808");
  }
  backoff_config_free(config);
}

static void set_i64_rejects_unknown_enum_values(void) {
  backoff_config *config = new_config();
  /* Far past the last value, so that a kind or jitter mode added to the library keeps these unknown. */
  CHECK_STATUS(backoff_config_set_i64(config, BACKOFF_PARAM_KIND, 1000), BACKOFF_EUNKNOWN);
  CHECK_MESSAGE_NAMES("kind");
  CHECK_MESSAGE_NAMES("1000");
  CHECK_STATUS(backoff_config_set_i64(config, BACKOFF_PARAM_KIND, INT64_MAX), BACKOFF_EUNKNOWN);
  CHECK_STATUS(backoff_config_set_i64(config, BACKOFF_PARAM_JITTER, 1000), BACKOFF_EUNKNOWN);
  CHECK_MESSAGE_NAMES("jitter");
  CHECK_I64(applied_i64(config, BACKOFF_PARAM_KIND), BACKOFF_KIND_EXPONENTIAL); /* the defaults stand */
  CHECK_I64(applied_i64(config, BACKOFF_PARAM_JITTER), BACKOFF_JITTER_FULL);
  backoff_config_free(config);
}

static void set_f64_rejects_nan_and_infinities(void) {
  const int params[] = {BACKOFF_PARAM_MULTIPLIER, BACKOFF_PARAM_RANDOMIZATION_FACTOR};
  backoff_config *config = new_config();
  size_t i;
  for (i = 0; i < 2; ++i) {
    CHECK_ERROR(backoff_config_set_f64(config, params[i], NAN), BACKOFF_EINVAL, backoff_param_name(params[i]));
    CHECK_MESSAGE_NAMES("NaN");
    CHECK_ERROR(backoff_config_set_f64(config, params[i], INFINITY), BACKOFF_EINVAL, "inf");
    CHECK_ERROR(backoff_config_set_f64(config, params[i], -INFINITY), BACKOFF_EINVAL, "-inf");
  }
  backoff_config_free(config);
}

static void multiplier_below_one_is_rejected(void) {
  const double below_one[] = {0.5, 0.999999, 0.0, -2.0};
  backoff_config *config = new_config();
  size_t i;
  for (i = 0; i < sizeof below_one / sizeof below_one[0]; ++i) {
    CHECK_ERROR(backoff_config_set_f64(config, BACKOFF_PARAM_MULTIPLIER, below_one[i]), BACKOFF_EINVAL, "multiplier");
  }
  CHECK_MESSAGE_NAMES("-2");
  CHECK_STATUS(backoff_config_set_f64(config, BACKOFF_PARAM_MULTIPLIER, 1.0), BACKOFF_OK);
  CHECK(applied_f64(config, BACKOFF_PARAM_MULTIPLIER) == 1.0);
  CHECK_STATUS(backoff_config_set_f64(config, BACKOFF_PARAM_MULTIPLIER, 1e300), BACKOFF_OK);
  backoff_config_free(config);
}

static void randomization_factor_must_be_within_zero_and_one(void) {
  const double outside[] = {-0.001, 1.000001, 2.0, -1.0};
  const double inside[] = {0.0, 0.25, 1.0};
  backoff_config *config = new_config();
  size_t i;
  for (i = 0; i < sizeof outside / sizeof outside[0]; ++i) {
    CHECK_STATUS(backoff_config_set_f64(config, BACKOFF_PARAM_RANDOMIZATION_FACTOR, outside[i]), BACKOFF_EINVAL);
    CHECK_MESSAGE_NAMES("randomization_factor");
  }
  CHECK_MESSAGE_NAMES("-1");
  for (i = 0; i < sizeof inside / sizeof inside[0]; ++i) {
    CHECK_STATUS(backoff_config_set_f64(config, BACKOFF_PARAM_RANDOMIZATION_FACTOR, inside[i]), BACKOFF_OK);
    CHECK(applied_f64(config, BACKOFF_PARAM_RANDOMIZATION_FACTOR) == inside[i]);
  }
  backoff_config_free(config);
}

static void rejected_value_leaves_config_unchanged(void) {
  backoff_config *config = new_config();
  CHECK_STATUS(backoff_config_set_f64(config, BACKOFF_PARAM_MULTIPLIER, 3.0), BACKOFF_OK);
  CHECK_STATUS(backoff_config_set_f64(config, BACKOFF_PARAM_MULTIPLIER, 0.5), BACKOFF_EINVAL);
  CHECK(applied_f64(config, BACKOFF_PARAM_MULTIPLIER) == 3.0);
  CHECK_STATUS(backoff_config_set_i64(config, BACKOFF_PARAM_INITIAL_NS, 7), BACKOFF_OK);
  CHECK_STATUS(backoff_config_set_text(config, "initial", "7"), BACKOFF_EINVAL);
  CHECK_I64(applied_i64(config, BACKOFF_PARAM_INITIAL_NS), 7);
  backoff_config_free(config);
}

static void set_text_reads_durations_with_units(void) {
  const struct {
    const char *text;
    int64_t ns;
  } durations[] = {{"250ms", 250 * BACKOFF_MILLISECOND}, {"1.5s", 1500 * BACKOFF_MILLISECOND},
                   {"2m", 120 * BACKOFF_SECOND},         {"1h", 3600 * BACKOFF_SECOND},
                   {"100us", 100 * BACKOFF_MICROSECOND},  {"10ns", 10},
                   {"0", 0}};
  backoff_config *config = new_config();
  size_t i;
  CHECK_STATUS(backoff_config_set_text(config, "kind", "constant"), BACKOFF_OK); /* allows initial 0 */
  for (i = 0; i < sizeof durations / sizeof durations[0]; ++i) {
    CHECK_STATUS(backoff_config_set_text(config, "initial", durations[i].text), BACKOFF_OK);
    CHECK_I64(applied_i64(config, BACKOFF_PARAM_INITIAL_NS), durations[i].ns);
  }
  backoff_config_free(config);
}

static void set_text_reads_choices_numbers_and_seeds(void) {
  backoff_config *config = new_config();
  backoff_policy *policy = NULL;
  uint64_t seed = 0;
  CHECK_STATUS(backoff_config_set_text(config, "kind", "linear"), BACKOFF_OK);
  CHECK_I64(applied_i64(config, BACKOFF_PARAM_KIND), BACKOFF_KIND_LINEAR);
  CHECK_STATUS(backoff_config_set_text(config, "jitter", "equal"), BACKOFF_OK);
  CHECK_I64(applied_i64(config, BACKOFF_PARAM_JITTER), BACKOFF_JITTER_EQUAL);
  CHECK_STATUS(backoff_config_set_text(config, "multiplier", "1.5"), BACKOFF_OK);
  CHECK(applied_f64(config, BACKOFF_PARAM_MULTIPLIER) == 1.5);
  CHECK_STATUS(backoff_config_set_text(config, "max_attempts", "042"), BACKOFF_OK); /* decimal, not octal */
  CHECK_I64(applied_i64(config, BACKOFF_PARAM_MAX_ATTEMPTS), 42);
  CHECK_STATUS(backoff_config_set_text(config, "seed", "18446744073709551615"), BACKOFF_OK);
  CHECK_STATUS(backoff_policy_new(&policy, config), BACKOFF_OK);
  CHECK_STATUS(backoff_policy_get_u64(&seed, policy, BACKOFF_PARAM_SEED), BACKOFF_OK);
  CHECK_U64(seed, UINT64_MAX);
  backoff_policy_free(policy);
  backoff_config_free(config);
}

static void set_text_rejects_bad_text(void) {
  const struct {
    const char *name, *value;
    int status;
    const char *named;
  } bad[] = {{"maximum", "1s", BACKOFF_EUNKNOWN, "maximum"},   {"kind", "quadratic", BACKOFF_EUNKNOWN, "quadratic"},
             {"jitter", "half", BACKOFF_EUNKNOWN, "half"},       {"initial", "5", BACKOFF_EINVAL, "initial"},
             {"initial", "abc", BACKOFF_EINVAL, "initial"},      {"initial", "-1s", BACKOFF_EINVAL, "initial"},
             {"cap", "nans", BACKOFF_EINVAL, "cap"},             {"cap", "1e300h", BACKOFF_EINVAL, "cap"},
             {"max_attempts", "-3", BACKOFF_EINVAL, "max_attempts"}, {"max_attempts", "1.5", BACKOFF_EINVAL, "1.5"},
             {"multiplier", "0.5", BACKOFF_EINVAL, "0.5"},       {"multiplier", "two", BACKOFF_EINVAL, "multiplier"},
             {"seed", "", BACKOFF_EINVAL, "seed"},               {"seed", "-1", BACKOFF_EINVAL, "seed"}};
  backoff_config *config = new_config();
  size_t i;
  for (i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    CHECK_STATUS(backoff_config_set_text(config, bad[i].name, bad[i].value), bad[i].status);
    CHECK_MESSAGE_NAMES(bad[i].named);
  }
  backoff_config_free(config);
}

int main(void) {
  RUN_CASE(param_names_and_ids_round_trip);
  RUN_CASE(unknown_param_ids_have_no_name_or_type);
  RUN_CASE(param_from_name_rejects_unknown_names);
  RUN_CASE(param_from_name_rejects_null_arguments);
  RUN_CASE(config_new_and_free_handle_null);
  RUN_CASE(setters_reject_null_config);
  RUN_CASE(setters_reject_unknown_param_ids);
  RUN_CASE(setters_reject_params_of_another_type);
  RUN_CASE(set_i64_rejects_negative_values);
  RUN_CASE(set_i64_rejects_unknown_enum_values);
  RUN_CASE(set_f64_rejects_nan_and_infinities);
  RUN_CASE(multiplier_below_one_is_rejected);
  RUN_CASE(randomization_factor_must_be_within_zero_and_one);
  RUN_CASE(rejected_value_leaves_config_unchanged);
  RUN_CASE(set_text_reads_durations_with_units);
  RUN_CASE(set_text_reads_choices_numbers_and_seeds);
  RUN_CASE(set_text_rejects_bad_text);
  return check_summary();
}
