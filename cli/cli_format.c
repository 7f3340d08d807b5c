/* Durations and policies written for people. */
#include "cli_format.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NS_PER_US = 1000, NS_PER_MS = 1000000 };
static const int64_t ns_per_s = 1000000000;

/* Writes whole.fraction, the fraction in thousandths with its trailing zeros dropped. */
static void write_thousandths(char *out, size_t size, int64_t thousandths, const char *unit) {
  int64_t fraction = thousandths % 1000;
  int digits = 3;
  while (fraction != 0 && fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  if (fraction == 0) {
    snprintf(out, size, "%lld%s", (long long)(thousandths / 1000), unit);
  } else {
    snprintf(out, size, "%lld.%0*lld%s", (long long)(thousandths / 1000), digits, (long long)fraction, unit);
  }
}

/* Rounds ns to the nearest thousandth of `unit_ns` (a multiple of 1000), without overflow near INT64_MAX. */
static int64_t thousandths_of(int64_t ns, int64_t unit_ns) {
  const int64_t step = unit_ns / 1000;
  return ns / step + (ns % step >= step - step / 2 ? 1 : 0);
}

void cli_format_duration(char *out, size_t size, int64_t ns) {
  if (ns < NS_PER_US) {
    snprintf(out, size, ns == 0 ? "0s" : "%lldns", (long long)ns);
    return;
  }
  /* Round first, then pick the unit, so that 999.9999ms reads "1s" and not "1000ms". */
  if (thousandths_of(ns, NS_PER_MS) < 1000 * 1000) {
    const int64_t unit = thousandths_of(ns, NS_PER_US) < 1000 * 1000 ? NS_PER_US : NS_PER_MS;
    write_thousandths(out, size, thousandths_of(ns, unit), unit == NS_PER_US ? "us" : "ms");
    return;
  }
  const int64_t ms = thousandths_of(ns, ns_per_s);
  if (ms < 60 * 1000) {
    write_thousandths(out, size, ms, "s");
    return;
  }
  const int64_t hours = ms / (3600 * 1000), minutes = ms / (60 * 1000) % 60, second_ms = ms % (60 * 1000);
  char seconds[CLI_DURATION_SIZE] = "";
  if (second_ms != 0) write_thousandths(seconds, sizeof seconds, second_ms, "s");
  if (hours != 0) {
    snprintf(out, size, "%lldh%lldm%s", (long long)hours, (long long)minutes, seconds);
  } else {
    snprintf(out, size, "%lldm%s", (long long)minutes, seconds);
  }
}

void cli_format_real(char *out, size_t size, double value) {
  for (int digits = 1; digits <= 17; ++digits) {
    snprintf(out, size, "%.*g", digits, value);
    if (strtod(out, NULL) == value) return;
  }
}

/* The library names every value; the command line never keeps a table of its own. */
static const char *name_or_unknown(int family, int64_t value) {
  const char *name = value >= INT_MIN && value <= INT_MAX ? backoff_name_of(family, (int)value) : NULL;
  return name != NULL ? name : "unknown";
}

const char *cli_kind_name(int64_t kind) { return name_or_unknown(BACKOFF_ENUM_KIND, kind); }
const char *cli_jitter_name(int64_t jitter) { return name_or_unknown(BACKOFF_ENUM_JITTER, jitter); }
const char *cli_stop_when_name(int64_t stop_when) { return name_or_unknown(BACKOFF_ENUM_STOP_WHEN, stop_when); }

int64_t cli_policy_i64(const backoff_policy *policy, int param) {
  int64_t value = 0;
  backoff_policy_get_i64(&value, policy, param);
  return value;
}

double cli_policy_f64(const backoff_policy *policy, int param) {
  double value = 0;
  backoff_policy_get_f64(&value, policy, param);
  return value;
}

/* Appends to out[*used..size), keeping the string terminated when it runs out of room. */
static void append(char *out, size_t size, size_t *used, const char *text) {
  const size_t room = size - *used - 1;
  size_t length = strlen(text);
  if (length > room) length = room;
  memcpy(out + *used, text, length);
  *used += length;
  out[*used] = '\0';
}

/* Appends `label` and the duration: label ", cap " gives ", cap 60s". */
static void append_duration(char *out, size_t size, size_t *used, const char *label, int64_t ns) {
  char value[CLI_DURATION_SIZE];
  cli_format_duration(value, sizeof value, ns);
  append(out, size, used, label);
  append(out, size, used, value);
}

void cli_describe_policy(char *out, size_t size, const backoff_policy *policy) {
  const int64_t kind = cli_policy_i64(policy, BACKOFF_PARAM_KIND);
  const int64_t jitter = cli_policy_i64(policy, BACKOFF_PARAM_JITTER);
  char item[96];
  size_t used = 0;
  out[0] = '\0';
  /* Decorrelated draws carry their own randomness; the jitter parameter does not apply to them. */
  if (kind == BACKOFF_KIND_DECORRELATED) {
    snprintf(item, sizeof item, "%s:", cli_kind_name(kind));
  } else {
    snprintf(item, sizeof item, jitter == BACKOFF_JITTER_NONE ? "%s, no jitter:" : "%s, %s jitter:",
             cli_kind_name(kind), cli_jitter_name(jitter));
  }
  append(out, size, &used, item);
  append_duration(out, size, &used, " initial ", cli_policy_i64(policy, BACKOFF_PARAM_INITIAL_NS));
  if (kind == BACKOFF_KIND_LINEAR) {
    append_duration(out, size, &used, ", increment ", cli_policy_i64(policy, BACKOFF_PARAM_INCREMENT_NS));
  } else if (kind != BACKOFF_KIND_CONSTANT) {
    cli_format_real(item, sizeof item, cli_policy_f64(policy, BACKOFF_PARAM_MULTIPLIER));
    append(out, size, &used, ", multiplier ");
    append(out, size, &used, item);
  }
  append_duration(out, size, &used, ", cap ", cli_policy_i64(policy, BACKOFF_PARAM_CAP_NS));
  if (kind != BACKOFF_KIND_DECORRELATED && jitter == BACKOFF_JITTER_RANDOMIZATION) {
    cli_format_real(item, sizeof item, cli_policy_f64(policy, BACKOFF_PARAM_RANDOMIZATION_FACTOR));
    append(out, size, &used, ", randomization_factor ");
    append(out, size, &used, item);
  }
  const int64_t max_attempts = cli_policy_i64(policy, BACKOFF_PARAM_MAX_ATTEMPTS);
  snprintf(item, sizeof item, max_attempts == 0 ? ", max_attempts 0 (unlimited)" : ", max_attempts %lld",
           (long long)max_attempts);
  append(out, size, &used, item);
  const int64_t max_elapsed = cli_policy_i64(policy, BACKOFF_PARAM_MAX_ELAPSED_NS);
  if (max_elapsed != 0) append_duration(out, size, &used, ", max_elapsed ", max_elapsed);
  if (cli_policy_i64(policy, BACKOFF_PARAM_STOP_WHEN) != BACKOFF_STOP_WHEN_ANY) {
    append(out, size, &used, ", stop_when ");
    append(out, size, &used, cli_stop_when_name(cli_policy_i64(policy, BACKOFF_PARAM_STOP_WHEN)));
  }
}
