/* cli_output.h - a schedule for machines (JSON) and for eyes (SVG). */
#ifndef BACKOFF_CLI_OUTPUT_H
#define BACKOFF_CLI_OUTPUT_H

#include <stdio.h>

#include "backoff.h"
#include "cli_schedule.h"

/* Writes one JSON object: the policy as applied, each retry's statistics in nanoseconds, and the
 * worst-case total. docs/cli.md describes every field. */
void cli_write_schedule_json(FILE *out, const cli_schedule *schedule, const backoff_policy *policy);

/* Writes an SVG file: per retry, the shape of the wait's distribution, its p50 and p95. Returns 0, or -1
 * with errno set when the file cannot be written. */
int cli_write_schedule_svg(const char *path, const cli_schedule *schedule, const backoff_policy *policy);

#endif
