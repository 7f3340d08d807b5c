/* capi_check.h - the assertions of the C tests.
 *
 * A test program is a list of cases, each a `static void case_name(void)` run by RUN_CASE(case_name)
 * (or, for a table-driven test, bracketed by check_begin_case() and check_end_case()).
 * A failed CHECK prints where and why and lets the case go on, so one run shows every broken behaviour.
 * check_summary() prints "N passed, N failed" (cases, not checks) and returns the exit status: nonzero
 * when any case failed, or when no case ran at all. */
#ifndef CAPI_CHECK_H
#define CAPI_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "backoff.h"

static int check_cases_passed;
static int check_cases_failed;
static int check_case_failures; /* failed checks in the running case */
static const char *check_case_name = "";

static inline void check_fail_header(const char *file, int line) {
  ++check_case_failures;
  fprintf(stderr, "%s:%d: in %s: ", file, line, check_case_name);
}

/* Fails the running case for a reason found outside the C source, such as a line of a data file. */
static inline void check_fail_at(const char *file, int line, const char *why) {
  check_fail_header(file, line);
  fprintf(stderr, "%s\n", why);
}

static inline void check_true(int ok, const char *expression, const char *file, int line) {
  if (ok) return;
  check_fail_header(file, line);
  fprintf(stderr, "CHECK(%s) failed\n", expression);
}

static inline void check_i64(int64_t actual, int64_t expected, const char *expression, const char *file, int line) {
  if (actual == expected) return;
  check_fail_header(file, line);
  fprintf(stderr, "%s is %" PRId64 ", expected %" PRId64 "\n", expression, actual, expected);
}

static inline void check_u64(uint64_t actual, uint64_t expected, const char *expression, const char *file,
                             int line) {
  if (actual == expected) return;
  check_fail_header(file, line);
  fprintf(stderr, "%s is %" PRIu64 ", expected %" PRIu64 "\n", expression, actual, expected);
}

static inline void check_in_range(int64_t actual, int64_t lo, int64_t hi, const char *expression, const char *file,
                                  int line) {
  if (actual >= lo && actual <= hi) return;
  check_fail_header(file, line);
  fprintf(stderr, "%s is %" PRId64 ", outside [%" PRId64 ", %" PRId64 "]\n", expression, actual, lo, hi);
}

static inline void check_status(int actual, int expected, const char *call, const char *file, int line) {
  if (actual == expected) return;
  check_fail_header(file, line);
  fprintf(stderr, "%s returned %d (%s), expected %d (%s); last error: \"%s\"\n", call, actual,
          backoff_strerror(actual), expected, backoff_strerror(expected), backoff_last_error());
}

static inline int is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/* True when `text` contains `word` not glued to other word characters: "out" is in
 * "backoff_policy_new: out must not be NULL" but not in "out_ns must not be NULL". */
static inline int contains_word(const char *text, const char *word) {
  const size_t length = strlen(word);
  const char *at;
  for (at = strstr(text, word); at != NULL; at = strstr(at + 1, word)) {
    const int starts = at == text || !is_word_char(at[-1]);
    const int ends = !is_word_char(at[length]);
    if (starts && ends) return 1;
  }
  return 0;
}

static inline void check_message_names(const char *word, const char *file, int line) {
  const char *message = backoff_last_error();
  if (contains_word(message, word)) return;
  check_fail_header(file, line);
  fprintf(stderr, "last error \"%s\" does not name '%s'\n", message, word);
}

#define CHECK(condition) check_true((condition) != 0, #condition, __FILE__, __LINE__)
#define CHECK_I64(actual, expected) check_i64((actual), (expected), #actual, __FILE__, __LINE__)
#define CHECK_U64(actual, expected) check_u64((actual), (expected), #actual, __FILE__, __LINE__)
#define CHECK_IN_RANGE(actual, lo, hi) check_in_range((actual), (lo), (hi), #actual, __FILE__, __LINE__)
#define CHECK_STATUS(call, expected) check_status((call), (expected), #call, __FILE__, __LINE__)
/* The calling thread's last error names `word` (a parameter, an argument or a value). */
#define CHECK_MESSAGE_NAMES(word) check_message_names((word), __FILE__, __LINE__)

/* A call fails with `status` and the last error names `word`. */
#define CHECK_ERROR(call, status, word) \
  do { \
    CHECK_STATUS(call, status); \
    CHECK_MESSAGE_NAMES(word); \
  } while (0)

/* The contract every backoff_*_param_from_name() keeps: `known` gives `expected`; `unknown` fails with
 * BACKOFF_EUNKNOWN naming it and leaves the output as it was; NULL `out` or `name` fails naming the argument. */
static inline void check_param_from_name(int (*from_name)(int *out, const char *name), const char *known,
                                         int expected, const char *unknown) {
  int param = 12345;
  CHECK(from_name(&param, known) == BACKOFF_OK);
  CHECK(param == expected);
  param = 12345;
  CHECK_ERROR(from_name(&param, unknown), BACKOFF_EUNKNOWN, unknown);
  CHECK(param == 12345); /* outputs are written only on success */
  CHECK_ERROR(from_name(NULL, known), BACKOFF_ENULL, "out");
  CHECK_ERROR(from_name(&param, NULL), BACKOFF_ENULL, "name");
}

/* Ids just outside [0, count) have no name and no type: the tables end where the header says. */
static inline void check_param_ids_end_at(const char *(*name)(int param), int (*type)(int param), int count) {
  CHECK(name(-1) == NULL);
  CHECK(name(count) == NULL);
  CHECK(type(-1) == BACKOFF_EUNKNOWN);
  CHECK(type(count) == BACKOFF_EUNKNOWN);
}

/* Parameter `id` of a family is called `expected` and takes values of type `type`. */
static inline void check_param_is(const char *(*name)(int param), int (*type)(int param), int id, const char *expected,
                                  int expected_type) {
  CHECK(name(id) != NULL && strcmp(name(id), expected) == 0);
  CHECK(type(id) == expected_type);
}

/* check_param_is for the family whose functions start with `family` (backoff_breaker, backoff_budget). */
#define CHECK_FAMILY_PARAM_IS(family, id, expected, expected_type) \
  check_param_is(family##_param_name, family##_param_type, id, expected, expected_type)

/* A *_config_set_text(config, name, value) refuses each NULL argument with BACKOFF_ENULL, naming it. A macro,
 * since every config type has its own handle type. */
#define CHECK_SET_TEXT_REJECTS_NULL(set_text, config, name, value) \
  do { \
    CHECK_ERROR(set_text(NULL, name, value), BACKOFF_ENULL, "config"); \
    CHECK_ERROR(set_text(config, NULL, value), BACKOFF_ENULL, "name"); \
    CHECK_ERROR(set_text(config, name, NULL), BACKOFF_ENULL, "value"); \
  } while (0)

/* Cases are usually functions run by RUN_CASE; a data-driven test brackets each case by hand. */
static inline void check_begin_case(const char *name) {
  check_case_name = name;
  check_case_failures = 0;
}

static inline void check_end_case(void) {
  if (check_case_failures == 0) {
    ++check_cases_passed;
  } else {
    ++check_cases_failed;
    fprintf(stderr, "FAILED: %s\n", check_case_name);
  }
}

static inline void run_case(void (*body)(void), const char *name) {
  check_begin_case(name);
  body();
  check_end_case();
}

#define RUN_CASE(body) run_case(body, #body)

static inline int check_summary(void) {
  printf("%d passed, %d failed\n", check_cases_passed, check_cases_failed);
  return check_cases_failed == 0 && check_cases_passed > 0 ? 0 : 1;
}

/* What every config family's entry points refuse alike (capi/ writes them with one macro, so they are held
 * to one contract): a NULL out, config, name or value; an id past the family's `count`, or negative; an
 * int64 value for the real parameter `real_param`, and a double for the int64 parameter `int_param`.
 * `prefix` is the family's: backoff_breaker_ or backoff_budget_. */
#define CHECK_CONFIG_FAMILY_REJECTS(prefix, count, int_param, real_param) \
  do { \
    prefix##config *family_config = NULL; \
    char past_the_end[16]; \
    snprintf(past_the_end, sizeof past_the_end, "%d", (count)); \
    CHECK_ERROR(prefix##config_new(NULL), BACKOFF_ENULL, "out"); \
    prefix##config_free(NULL); /* a no-op, not a crash */ \
    CHECK_STATUS(prefix##config_new(&family_config), BACKOFF_OK); \
    CHECK_ERROR(prefix##config_set_i64(NULL, int_param, 1), BACKOFF_ENULL, "config"); \
    CHECK_ERROR(prefix##config_set_f64(NULL, real_param, 0.5), BACKOFF_ENULL, "config"); \
    CHECK_ERROR(prefix##config_set_i64(family_config, (count), 1), BACKOFF_EUNKNOWN, past_the_end); \
    CHECK_ERROR(prefix##config_set_f64(family_config, -1, 0.5), BACKOFF_EUNKNOWN, "-1"); \
    CHECK_ERROR(prefix##config_set_i64(family_config, real_param, 1), BACKOFF_ETYPE, prefix##param_name(real_param)); \
    CHECK_ERROR(prefix##config_set_f64(family_config, int_param, 0.5), BACKOFF_ETYPE, prefix##param_name(int_param)); \
    CHECK_SET_TEXT_REJECTS_NULL(prefix##config_set_text, family_config, prefix##param_name(int_param), "1"); \
    prefix##config_free(family_config); \
  } while (0)

#endif /* CAPI_CHECK_H */
