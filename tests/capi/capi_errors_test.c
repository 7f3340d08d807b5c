/* The library-wide entry points: version, status strings, the thread-local last error, the stop value
 * and the monotonic clock. */
#define _POSIX_C_SOURCE 200809L /* pthreads and nanosleep under -std=c99 */
#define BACKOFF_EXPERIMENTAL    /* backoff_last_error_set */

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "capi_check.h"

/* Runs first, before this thread has seen any failure. */
static void last_error_is_empty_before_any_failure(void) {
  CHECK(backoff_last_error() != NULL);
  CHECK(strcmp(backoff_last_error(), "") == 0);
}

static void version_functions_match_macros(void) {
  char expected[32];
  CHECK_U64(backoff_version_number(), BACKOFF_VERSION_NUMBER);
  CHECK(strcmp(backoff_version_string(), BACKOFF_VERSION_STRING) == 0);
  snprintf(expected, sizeof expected, "%d.%d.%d", BACKOFF_VERSION_MAJOR, BACKOFF_VERSION_MINOR,
           BACKOFF_VERSION_PATCH);
  CHECK(strcmp(BACKOFF_VERSION_STRING, expected) == 0);
  CHECK_U64(BACKOFF_VERSION_NUMBER,
            BACKOFF_VERSION_MAJOR * 10000u + BACKOFF_VERSION_MINOR * 100u + BACKOFF_VERSION_PATCH);
}

static void stop_function_matches_macro(void) {
  CHECK_I64(backoff_stop(), BACKOFF_STOP);
  CHECK_I64(BACKOFF_STOP, -1);
}

static const int every_status[] = {BACKOFF_OK,        BACKOFF_EINVAL,    BACKOFF_ENULL,
                                   BACKOFF_EUNKNOWN,  BACKOFF_ETYPE,     BACKOFF_ENOMEM,
                                   BACKOFF_EINTERNAL, BACKOFF_EREENTRANT, BACKOFF_ECANCELED,
                                   BACKOFF_EOPEN, BACKOFF_EBUDGET,    BACKOFF_EGAVEUP,
                                   BACKOFF_EPERMANENT, BACKOFF_EDEADLINE};
enum { status_count = sizeof every_status / sizeof every_status[0] };

static void status_values_are_fixed(void) {
  /* The ABI promises these numbers forever; a renumbering breaks every compiled caller. */
  int i;
  for (i = 0; i < status_count; ++i) CHECK_I64(every_status[i], -i);
}

static void strerror_describes_each_status_differently(void) {
  const char *unknown = backoff_strerror(1);
  int i, j;
  for (i = 0; i < status_count; ++i) {
    const char *text = backoff_strerror(every_status[i]);
    CHECK(text != NULL && text[0] != '\0');
    CHECK(text != NULL && strcmp(text, unknown) != 0);
    for (j = 0; j < i; ++j) CHECK(text != NULL && strcmp(text, backoff_strerror(every_status[j])) != 0);
  }
}

static void strerror_of_unknown_status_is_one_static_string(void) {
  const int unknown[] = {1, -14, 100, INT_MAX, INT_MIN};
  size_t i;
  CHECK(backoff_strerror(1) != NULL && backoff_strerror(1)[0] != '\0');
  for (i = 0; i < sizeof unknown / sizeof unknown[0]; ++i) {
    CHECK(backoff_strerror(unknown[i]) != NULL && strcmp(backoff_strerror(unknown[i]), backoff_strerror(1)) == 0);
  }
}

static void last_error_names_parameter_and_value(void) {
  backoff_config *config = NULL;
  CHECK_STATUS(backoff_config_new(&config), BACKOFF_OK);
  CHECK_ERROR(backoff_config_set_f64(config, BACKOFF_PARAM_MULTIPLIER, 0.5), BACKOFF_EINVAL, "multiplier");
  CHECK_MESSAGE_NAMES("0.5");
  backoff_config_free(config);
}

static void last_error_quotes_a_huge_value_by_a_short_prefix(void) {
  enum { huge = 1 << 20 };
  backoff_config *config = NULL;
  char *text = malloc(huge + 2);
  CHECK(text != NULL);
  memset(text, '9', huge);
  strcpy(text + huge, "y"); /* no unit: rejected, quoted */
  CHECK_STATUS(backoff_config_new(&config), BACKOFF_OK);
  CHECK_ERROR(backoff_config_set_text(config, "initial", text), BACKOFF_EINVAL, "initial");
  CHECK(strstr(backoff_last_error(), "...' (1048577 bytes)") != NULL);
  CHECK(strlen(backoff_last_error()) < 200);
  backoff_config_free(config);
  free(text);
}

static void successful_calls_keep_the_last_error(void) {
  backoff_config *config = NULL;
  char before[256];
  CHECK_STATUS(backoff_config_new(NULL), BACKOFF_ENULL);
  snprintf(before, sizeof before, "%s", backoff_last_error());
  CHECK(before[0] != '\0');
  CHECK_STATUS(backoff_config_new(&config), BACKOFF_OK);
  CHECK_STATUS(backoff_config_set_i64(config, BACKOFF_PARAM_MAX_ATTEMPTS, 3), BACKOFF_OK);
  CHECK(strcmp(backoff_last_error(), before) == 0);
  backoff_config_free(config);
}

static void a_companion_library_reports_through_last_error_set(void) {
  CHECK_I64(backoff_last_error_set(-100, "queue: unknown queue 'x'"), -100);
  CHECK(strcmp(backoff_last_error(), "queue: unknown queue 'x'") == 0);
  CHECK_I64(backoff_last_error_set(BACKOFF_EINVAL, NULL), BACKOFF_EINVAL);
  CHECK(strcmp(backoff_last_error(), "") == 0);
}

static void *fail_on_other_thread(void *seen_before) {
  snprintf(seen_before, 256, "%s", backoff_last_error());
  backoff_param_from_name(NULL, "seed"); /* this thread's own failure */
  return NULL;
}

static void last_error_is_thread_local(void) {
  pthread_t thread;
  char seen_by_thread[256] = "not run";
  CHECK_ERROR(backoff_config_set_i64(NULL, BACKOFF_PARAM_CAP_NS, 1), BACKOFF_ENULL, "config");
  CHECK(pthread_create(&thread, NULL, fail_on_other_thread, seen_by_thread) == 0);
  CHECK(pthread_join(thread, NULL) == 0);
  CHECK(strcmp(seen_by_thread, "") == 0);  /* the new thread did not see this thread's message */
  CHECK_MESSAGE_NAMES("config");           /* nor did its failure replace it */
  CHECK(!contains_word(backoff_last_error(), "out"));
}

static void monotonic_clock_advances_with_real_time(void) {
  const struct timespec one_millisecond = {0, 1000000};
  const int64_t start = backoff_monotonic_now_ns();
  int64_t previous = start, now;
  int i;
  for (i = 0; i < 1000; ++i) {
    now = backoff_monotonic_now_ns();
    CHECK(now >= previous);
    previous = now;
  }
  nanosleep(&one_millisecond, NULL);
  CHECK(backoff_monotonic_now_ns() - start >= BACKOFF_MILLISECOND);
}

int main(void) {
  RUN_CASE(last_error_is_empty_before_any_failure);
  RUN_CASE(version_functions_match_macros);
  RUN_CASE(stop_function_matches_macro);
  RUN_CASE(status_values_are_fixed);
  RUN_CASE(strerror_describes_each_status_differently);
  RUN_CASE(strerror_of_unknown_status_is_one_static_string);
  RUN_CASE(last_error_names_parameter_and_value);
  RUN_CASE(last_error_quotes_a_huge_value_by_a_short_prefix);
  RUN_CASE(successful_calls_keep_the_last_error);
  RUN_CASE(a_companion_library_reports_through_last_error_set);
  RUN_CASE(last_error_is_thread_local);
  RUN_CASE(monotonic_clock_advances_with_real_time);
  return check_summary();
}
