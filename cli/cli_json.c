/* A schedule, and the attempts of `backoff retry --log json`, as JSON. Every duration is an integer of
 * nanoseconds, as in the C API, so nothing is rounded; names are the parameters' own. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cli_format.h"
#include "cli_output.h"

static void write_policy(FILE *out, const backoff_policy *policy) {
  uint64_t seed = 0;
  backoff_policy_get_u64(&seed, policy, BACKOFF_PARAM_SEED);
  char multiplier[CLI_REAL_SIZE], factor[CLI_REAL_SIZE];
  cli_format_real(multiplier, sizeof multiplier, cli_policy_f64(policy, BACKOFF_PARAM_MULTIPLIER));
  cli_format_real(factor, sizeof factor, cli_policy_f64(policy, BACKOFF_PARAM_RANDOMIZATION_FACTOR));
  /* The choice names and the numbers are plain ASCII from fixed tables and printf: nothing to escape. */
  fprintf(out,
          "  \"policy\": {\"kind\": \"%s\", \"initial_ns\": %" PRId64 ", \"multiplier\": %s, "
          "\"increment_ns\": %" PRId64 ", \"cap_ns\": %" PRId64 ", \"jitter\": \"%s\", "
          "\"randomization_factor\": %s, \"max_attempts\": %" PRId64 ", \"max_elapsed_ns\": %" PRId64
          ", \"seed\": %" PRIu64 ", \"stop_when\": \"%s\"},\n",
          cli_kind_name(cli_policy_i64(policy, BACKOFF_PARAM_KIND)), cli_policy_i64(policy, BACKOFF_PARAM_INITIAL_NS),
          multiplier, cli_policy_i64(policy, BACKOFF_PARAM_INCREMENT_NS),
          cli_policy_i64(policy, BACKOFF_PARAM_CAP_NS), cli_jitter_name(cli_policy_i64(policy, BACKOFF_PARAM_JITTER)),
          factor, cli_policy_i64(policy, BACKOFF_PARAM_MAX_ATTEMPTS),
          cli_policy_i64(policy, BACKOFF_PARAM_MAX_ELAPSED_NS), seed,
          cli_stop_when_name(cli_policy_i64(policy, BACKOFF_PARAM_STOP_WHEN)));
}

/* The names of the row's totals that reached INT64_MAX: sums that saturated, so the true total is larger. */
static void write_saturated(FILE *out, const cli_schedule_row *row) {
  const struct {
    const char *name;
    int64_t ns;
  } totals[] = {{"total_min_ns", row->total_min_ns}, {"total_p50_ns", row->total_p50_ns},
                {"total_p95_ns", row->total_p95_ns}, {"total_max_ns", row->total_max_ns}};
  const char *separator = "";
  fputs("[", out);
  for (size_t i = 0; i < sizeof totals / sizeof totals[0]; ++i) {
    if (totals[i].ns != INT64_MAX) continue;
    fprintf(out, "%s\"%s\"", separator, totals[i].name);
    separator = ", ";
  }
  fputs("]", out);
}

static void write_row(FILE *out, const cli_schedule_row *row, const char *separator) {
  fprintf(out,
          "    {\"retry\": %" PRIu64 ", \"min_ns\": %" PRId64 ", \"p50_ns\": %" PRId64 ", \"p95_ns\": %" PRId64
          ", \"max_ns\": %" PRId64 ", \"total_min_ns\": %" PRId64 ", \"total_p50_ns\": %" PRId64
          ", \"total_p95_ns\": %" PRId64 ", \"total_max_ns\": %" PRId64 ", \"may_stop\": %s, \"saturated\": ",
          row->retry, row->min_ns, row->p50_ns, row->p95_ns, row->max_ns, row->total_min_ns, row->total_p50_ns,
          row->total_p95_ns, row->total_max_ns, row->may_stop ? "true" : "false");
  write_saturated(out, row);
  fprintf(out, "}%s\n", separator);
}

static const char *end_name(cli_schedule_end end) {
  switch (end) {
    case CLI_SCHEDULE_END_MAX_ATTEMPTS: return "max_attempts";
    case CLI_SCHEDULE_END_MAX_ELAPSED: return "max_elapsed";
    case CLI_SCHEDULE_END_UNLIMITED: return "unlimited";
    case CLI_SCHEDULE_END_ROW_LIMIT: return "row_limit";
  }
  return "unknown";
}

void cli_write_schedule_json(FILE *out, const cli_schedule *schedule, const backoff_policy *policy) {
  fputs("{\n", out);
  write_policy(out, policy);
  if (schedule->retries == UINT64_MAX) {
    fputs("  \"max_retries\": null,\n", out);
  } else {
    fprintf(out, "  \"max_retries\": %" PRIu64 ",\n", schedule->retries);
  }
  fprintf(out,
          "  \"jittered\": %s,\n  \"samples\": %d,\n  \"form\": \"%s\",\n  \"end\": \"%s\",\n"
          "  \"retries\": [\n",
          schedule->jittered ? "true" : "false", CLI_SCHEDULE_SAMPLES,
          schedule->form == CLI_SCHEDULE_CHAIN ? "chain" : "stateless", end_name(schedule->end));
  for (size_t i = 0; i < schedule->count; ++i) {
    write_row(out, &schedule->rows[i], i + 1 < schedule->count ? "," : "");
  }
  fputs("  ],\n", out);
  if (schedule->worst_total_ns < 0) {
    fputs("  \"worst_case_total_ns\": null,\n", out);
  } else {
    fprintf(out, "  \"worst_case_total_ns\": %" PRId64 ",\n", schedule->worst_total_ns);
  }
  fprintf(out, "  \"worst_case_total_saturated\": %s,\n  \"worst_case_total_is_max_elapsed\": %s\n}\n",
          schedule->worst_total_ns == INT64_MAX ? "true" : "false",
          schedule->worst_total_is_max_elapsed ? "true" : "false");
}

/* A JSON string: the quotes, and escapes for what JSON does not allow raw (strsignal's text is ASCII in
 * every libc we know, but a locale may translate it). */
static void write_string(FILE *out, const char *text) {
  fputc('"', out);
  for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; ++c) {
    if (*c == '"' || *c == '\\') {
      fprintf(out, "\\%c", *c);
    } else if (*c < 0x20) {
      fprintf(out, "\\u%04x", *c);
    } else {
      fputc(*c, out);
    }
  }
  fputc('"', out);
}

static void write_signal(FILE *out, int signal) {
  fprintf(out, "\"signal\": %d, \"signal_text\": ", signal);
  write_string(out, strsignal(signal));
}

/* A value that may be absent: the integer, or null. */
static void write_optional(FILE *out, const char *name, bool present, int64_t value) {
  if (present) {
    fprintf(out, ", \"%s\": %" PRId64, name, value);
  } else {
    fprintf(out, ", \"%s\": null", name);
  }
}

void cli_write_attempt_json(FILE *out, const cli_attempt_record *record) {
  const cli_attempt_result *result = record->result;
  fprintf(out, "{\"event\": \"attempt\", \"attempt\": %" PRIu64, record->attempt);
  write_optional(out, "max_attempts", record->max_attempts > 0, record->max_attempts);
  fprintf(out, ", \"status\": %d", result->status);
  write_optional(out, "exit_status", result->end == CLI_ATTEMPT_EXITED, result->status);
  fputs(", ", out);
  const bool signaled = result->end == CLI_ATTEMPT_SIGNALED || result->end == CLI_ATTEMPT_INTERRUPTED;
  if (signaled) {
    write_signal(out, result->signal);
  } else {
    fputs("\"signal\": null, \"signal_text\": null", out);
  }
  fprintf(out, ", \"timed_out\": %s, \"output_matched\": %s, \"duration_ns\": %" PRId64 ", \"decision\": ",
          result->end == CLI_ATTEMPT_TIMED_OUT ? "true" : "false", result->output_matched ? "true" : "false",
          record->duration_ns);
  write_string(out, record->decision);
  fputs(", \"reason\": ", out);
  if (record->reason != NULL) {
    write_string(out, record->reason);
  } else {
    fputs("null", out);
  }
  write_optional(out, "wait_ns", record->wait_ns != BACKOFF_STOP, record->wait_ns);
  fputs("}\n", out);
  fflush(out);
}

void cli_write_waiting_json(FILE *out, uint64_t attempt, const char *next_at, int64_t left_ns) {
  fprintf(out, "{\"event\": \"waiting\", \"attempt\": %" PRIu64 ", \"next_attempt_at\": ", attempt);
  write_string(out, next_at);
  fprintf(out, ", \"left_ns\": %" PRId64 "}\n", left_ns);
  fflush(out);
}

void cli_write_interrupted_json(FILE *out, uint64_t attempt, int signal) {
  fprintf(out, "{\"event\": \"interrupted\", \"attempt\": %" PRIu64 ", ", attempt);
  write_signal(out, signal);
  fputs("}\n", out);
  fflush(out);
}
