/* cli_format.h - durations and policies written for people: "1.5s", "exponential, full jitter: ...". */
#ifndef BACKOFF_CLI_FORMAT_H
#define BACKOFF_CLI_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "backoff.h"

/* Room for any duration cli_format_duration() writes ("2562047h47m16.855s"). */
enum { CLI_DURATION_SIZE = 32 };

/* Writes `ns` (>= 0) with the largest unit that keeps it readable, to the nearest thousandth of that
 * unit, trailing zeros dropped: "0s", "750ns", "12.5us", "100ms", "1.5s", "2m30s", "1h0m5s". */
void cli_format_duration(char *out, size_t size, int64_t ns);

/* Room for any number cli_format_real() writes. */
enum { CLI_REAL_SIZE = 32 };

/* Writes a finite double with the fewest digits that read back as the same value: 0.1 gives "0.1". */
void cli_format_real(char *out, size_t size, double value);

/* The name of a backoff_kind, backoff_jitter or backoff_stop_when value, as the command line spells it. */
const char *cli_kind_name(int64_t kind);
const char *cli_jitter_name(int64_t jitter);
const char *cli_stop_when_name(int64_t stop_when);

/* One parameter of `policy`. Only valid parameter ids are passed, so the status is not needed; a
 * failed read gives 0. */
int64_t cli_policy_i64(const backoff_policy *policy, int param);
double cli_policy_f64(const backoff_policy *policy, int param);

/* One line that says what `policy` does: "exponential, full jitter: initial 100ms, multiplier 2, cap 60s,
 * max_attempts 5". Only the parameters that affect the schedule are named. */
void cli_describe_policy(char *out, size_t size, const backoff_policy *policy);

#endif
