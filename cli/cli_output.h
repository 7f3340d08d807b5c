/* cli_output.h - a schedule for machines (JSON) and for eyes (SVG); the attempts of `backoff retry` as
 * JSON lines. */
#ifndef BACKOFF_CLI_OUTPUT_H
#define BACKOFF_CLI_OUTPUT_H

#include <stdio.h>

#include "backoff.h"
#include "cli_progress.h"
#include "cli_schedule.h"

/* Writes one JSON object: the policy as applied, each retry's statistics in nanoseconds, and the
 * worst-case total. docs/cli.md describes every field. */
void cli_write_schedule_json(FILE *out, const cli_schedule *schedule, const backoff_policy *policy);

/* Writes an SVG file: per retry, the shape of the wait's distribution, its p50 and p95. Returns 0, or -1
 * with errno set when the file cannot be written. */
int cli_write_schedule_svg(const char *path, const cli_schedule *schedule, const backoff_policy *policy);

/* Writes one attempt of `backoff retry --log json` as one line: {"event": "attempt", ...}. Durations are
 * integers of nanoseconds, as in the schedule; docs/cli.md describes every field. */
void cli_write_attempt_json(FILE *out, const cli_attempt_record *record);

/* Writes one "still waiting" line: {"event": "waiting", "attempt": N, "next_attempt_at": "HH:MM:SS",
 * "left_ns": ...}; `next_at` is the local wall-clock time of the next attempt. */
void cli_write_waiting_json(FILE *out, uint64_t attempt, const char *next_at, int64_t left_ns);

/* Writes one "interrupted while waiting" line: {"event": "interrupted", "attempt": N, "signal": S, ...}. */
void cli_write_interrupted_json(FILE *out, uint64_t attempt, int signal);

#endif
