/* cli_progress.h - progress on stderr, and the wait between attempts with its live countdown.
 *
 * Every line starts with "backoff: attempt N/MAX" (or "attempt N" without max_attempts). When stderr is a
 * terminal, the wait before the next attempt counts down in place; otherwise it is one plain line, so logs
 * stay readable. */
#ifndef BACKOFF_CLI_PROGRESS_H
#define BACKOFF_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct cli_progress {
  bool quiet;           /* print nothing */
  bool live;            /* stderr is a terminal: count down in place */
  int64_t max_attempts; /* for "N/MAX"; 0 = unlimited */
} cli_progress;

void cli_progress_init(cli_progress *progress, bool quiet, int64_t max_attempts);

/* Prints "backoff: attempt N/MAX <message>" as one line, unless quiet. */
void cli_progress_report(const cli_progress *progress, uint64_t attempt, const char *format, ...);

/* Prints "backoff: attempt N/MAX <outcome>; retrying in <delay>" and waits `delay_ns` on the monotonic
 * clock. Returns 0 once waited, or the stop signal (SIGINT, SIGTERM, SIGHUP) that ended the wait. */
int cli_progress_wait(const cli_progress *progress, uint64_t attempt, const char *outcome, int64_t delay_ns);

#endif
