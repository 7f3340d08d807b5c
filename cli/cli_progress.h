/* cli_progress.h - progress on stderr, and the wait between attempts with its live countdown.
 *
 * Every line starts with "backoff: attempt N/MAX" (or "attempt N" without max_attempts). When stderr is a
 * terminal, the wait before the next attempt counts down in place; otherwise it is one plain line, so logs
 * stay readable, and a wait longer than CLI_STILL_WAITING_EVERY_NS says every that often that it is still
 * waiting and when the next attempt starts (a CI log that stays silent for long looks hung).
 *
 * With --log json the text lines give way to one JSON object per line: one per attempt, one per "still
 * waiting" (docs/cli.md lists the fields). */
#ifndef BACKOFF_CLI_PROGRESS_H
#define BACKOFF_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "backoff.h"
#include "cli_child.h"

/* A wait longer than this prints "still waiting" this often when stderr is not a terminal. */
#define CLI_STILL_WAITING_EVERY_NS (5 * BACKOFF_SECOND)

typedef struct cli_progress {
  bool quiet;           /* print nothing */
  bool json;            /* --log json: JSON lines in place of the text lines */
  bool live;            /* stderr is a terminal (and the log is text): count down in place */
  int64_t max_attempts; /* for "N/MAX"; 0 = unlimited */
} cli_progress;

/* How one attempt ended and what follows it, for its JSON line. */
typedef struct cli_attempt_record {
  uint64_t attempt;                 /* 1 = the first */
  int64_t max_attempts;             /* 0 = unlimited */
  const cli_attempt_result *result; /* its end, status and signal */
  int64_t duration_ns;              /* from its start to its end, on the monotonic clock */
  const char *decision;             /* "retry", "succeeded", "not_retried", "gave_up" or "interrupted" */
  const char *reason;               /* why not retried or given up ("max_attempts", ...), or NULL */
  int64_t wait_ns;                  /* the wait before the next attempt; BACKOFF_STOP when none follows */
} cli_attempt_record;

void cli_progress_init(cli_progress *progress, bool quiet, bool json, int64_t max_attempts);

/* Prints "backoff: attempt N/MAX <message>" as one line, unless quiet or json. */
void cli_progress_report(const cli_progress *progress, uint64_t attempt, const char *format, ...);

/* Prints the JSON line of an attempt when the log is json (and not quiet). */
void cli_progress_attempt(const cli_progress *progress, const cli_attempt_record *record);

/* Prints the JSON line of a stop signal that ended the wait after attempt `attempt`, when the log is json. */
void cli_progress_interrupted(const cli_progress *progress, uint64_t attempt, int signal);

/* Prints "backoff: attempt N/MAX <outcome>; retrying in <delay>" (text) and waits `delay_ns` on the
 * monotonic clock. Returns 0 once waited, or the stop signal (SIGINT, SIGTERM, SIGHUP) that ended the wait. */
int cli_progress_wait(const cli_progress *progress, uint64_t attempt, const char *outcome, int64_t delay_ns);

#endif
