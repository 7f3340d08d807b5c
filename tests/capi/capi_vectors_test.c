/* The shared test vectors (tests/vectors/delays.tsv), checked through the C API: the same seeds give the
 * same delays here as in C++, Python and every FFI.
 *
 * Format: '#' comments and blank lines are ignored; every other line has 5 TAB-separated fields:
 *   name    a label for messages
 *   config  comma-separated name=value pairs for backoff_config_set_text ("" for the defaults)
 *   form    "delay": the stateless backoff_policy_delay(attempt, key);
 *           "next":  a fresh state (clock at 0), backoff_state_next_at(now 0, hint 0) repeatedly
 *   key     for "delay": a decimal uint64, or "bytes:" and the key's bytes in hex, which
 *           backoff_key_hash() turns into the uint64 key; "-" for "next"
 *   expect  "delay": comma-separated attempt:delay_ns pairs; "next": comma-separated delays in order.
 *           -1 is BACKOFF_STOP.
 * A missing or unreadable file, a malformed line and a file without cases all fail the test.
 *
 * Usage: capi_vectors_test [FILE]; FILE defaults to BACKOFF_VECTORS_FILE, set by the build. */
#include <errno.h>
#include <stdlib.h>

#include "capi_check.h"
#include "capi_fixtures.h"

#ifndef BACKOFF_VECTORS_FILE
#error "BACKOFF_VECTORS_FILE must name the vector file"
#endif

enum { field_count = 5, max_line = 1 << 16 };

/* Cuts the next `separator`-terminated item off *cursor; NULL when nothing is left. */
static char *next_item(char **cursor, char separator) {
  char *item = *cursor, *end;
  if (item == NULL) return NULL;
  end = strchr(item, separator);
  if (end != NULL) *end = '\0';
  *cursor = end != NULL ? end + 1 : NULL;
  return item;
}

/* Decimal digits only, no sign, no overflow. */
static int parse_u64(const char *text, uint64_t *out) {
  char *end;
  unsigned long long value;
  if (*text < '0' || *text > '9') return 0;
  errno = 0;
  value = strtoull(text, &end, 10);
  if (*end != '\0' || errno == ERANGE) return 0;
  *out = value;
  return 1;
}

/* A delay in nanoseconds, or -1 for BACKOFF_STOP. */
static int parse_delay(const char *text, int64_t *out) {
  uint64_t magnitude;
  if (strcmp(text, "-1") == 0) {
    *out = BACKOFF_STOP;
    return 1;
  }
  if (!parse_u64(text, &magnitude) || magnitude > INT64_MAX) return 0;
  *out = (int64_t)magnitude;
  return 1;
}

/* "bytes:" and pairs of hex digits, hashed by backoff_key_hash(). */
static int parse_bytes_key(const char *text, uint64_t *out) {
  static const char prefix[] = "bytes:";
  unsigned char bytes[1024];
  size_t size = 0;
  if (strncmp(text, prefix, sizeof prefix - 1) != 0) return 0;
  for (text += sizeof prefix - 1; *text != '\0'; text += 2) {
    unsigned value;
    if (text[1] == '\0' || size == sizeof bytes || sscanf(text, "%2x", &value) != 1) return 0;
    bytes[size++] = (unsigned char)value;
  }
  return backoff_key_hash(out, bytes, size) == BACKOFF_OK;
}

static int64_t clock_at_zero(void *user_data) {
  (void)user_data;
  return 0;
}

static const char *vectors_path;

/* A malformed line fails its case, so a vector can never pass by being skipped. */
static void malformed(int line, const char *why) { check_fail_at(vectors_path, line, why); }

static void mismatch(int line, const char *what, int64_t got, int64_t want) {
  char why[160];
  snprintf(why, sizeof why, "%s: got %" PRId64 ", expected %" PRId64, what, got, want);
  check_fail_at(vectors_path, line, why);
}

static void check_stateless(const backoff_policy *policy, const char *key_text, char *expected, int line) {
  uint64_t key, attempt;
  int64_t want, got;
  char *pair, what[80];
  if (!parse_u64(key_text, &key) && !parse_bytes_key(key_text, &key)) {
    malformed(line, "the key of a delay vector must be a decimal uint64 or bytes:HEX");
    return;
  }
  while ((pair = next_item(&expected, ',')) != NULL) {
    char *delay_text = strchr(pair, ':');
    if (delay_text == NULL) {
      malformed(line, "expected attempt:delay_ns pairs");
      return;
    }
    *delay_text++ = '\0';
    if (!parse_u64(pair, &attempt) || !parse_delay(delay_text, &want)) {
      malformed(line, "an attempt or a delay is not a number");
      return;
    }
    got = -12345;
    CHECK_STATUS(backoff_policy_delay(&got, policy, attempt, key), BACKOFF_OK);
    if (got != want) {
      snprintf(what, sizeof what, "delay(attempt %" PRIu64 ", key %" PRIu64 ")", attempt, key);
      mismatch(line, what, got, want);
    }
  }
}

static void check_stateful(const backoff_policy *policy, const char *key_text, char *expected, int line) {
  backoff_state *state = NULL;
  char *delay_text, what[40];
  int64_t want, got;
  int call = 0;
  if (strcmp(key_text, "-") != 0) {
    malformed(line, "the key of a next vector must be '-'");
    return;
  }
  CHECK_STATUS(backoff_state_new_with_clock(&state, policy, clock_at_zero, NULL), BACKOFF_OK);
  while (state != NULL && (delay_text = next_item(&expected, ',')) != NULL) {
    if (!parse_delay(delay_text, &want)) {
      malformed(line, "a delay is not a number");
      break;
    }
    got = -12345;
    CHECK_STATUS(backoff_state_next_at(&got, state, 0, 0), BACKOFF_OK);
    ++call;
    if (got != want) {
      snprintf(what, sizeof what, "call %d of next", call);
      mismatch(line, what, got, want);
    }
  }
  backoff_state_free(state);
}

/* Checks one vector line, split in place into its fields. */
static void check_vector(char *text, int line) {
  char *fields[field_count], *cursor = text;
  backoff_policy *policy;
  int count = 0;
  while (count < field_count && cursor != NULL) fields[count++] = next_item(&cursor, '\t');
  check_begin_case(count > 0 ? fields[0] : "?");
  if (count != field_count || cursor != NULL) {
    malformed(line, "expected 5 TAB-separated fields");
  } else if ((policy = policy_from_text(fields[1])) == NULL) {
    malformed(line, "the config was rejected");
  } else {
    if (strcmp(fields[2], "delay") == 0) {
      check_stateless(policy, fields[3], fields[4], line);
    } else if (strcmp(fields[2], "next") == 0) {
      check_stateful(policy, fields[3], fields[4], line);
    } else {
      malformed(line, "the form must be 'delay' or 'next'");
    }
    backoff_policy_free(policy);
  }
  check_end_case();
}

int main(int argc, char **argv) {
  static char text[max_line];
  int line = 0;
  FILE *file;
  vectors_path = argc > 1 ? argv[1] : BACKOFF_VECTORS_FILE;
  printf("vectors: %s\n", vectors_path);
  file = fopen(vectors_path, "r");
  if (file == NULL) {
    fprintf(stderr, "cannot open the vector file %s\n", vectors_path);
    return 1;
  }
  while (fgets(text, sizeof text, file) != NULL) {
    size_t length = strlen(text);
    ++line;
    if (length == sizeof text - 1 && text[length - 1] != '\n' && !feof(file)) {
      fprintf(stderr, "%s:%d: line longer than %d bytes\n", vectors_path, line, max_line - 2);
      fclose(file);
      return 1;
    }
    while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == '\r')) text[--length] = '\0';
    if (length == 0 || text[0] == '#' || strspn(text, " \t") == length) continue;
    check_vector(text, line);
  }
  fclose(file);
  if (check_cases_passed + check_cases_failed == 0) fprintf(stderr, "no vector in %s\n", vectors_path);
  return check_summary();
}
