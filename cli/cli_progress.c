/* Progress on stderr, and the wait between attempts. */
#include "cli_progress.h"

#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "backoff.h"
#include "cli_format.h"
#include "cli_signals.h"

/* The live countdown redraws this often. */
static const int64_t tick_ns = 100 * BACKOFF_MILLISECOND;

void cli_progress_init(cli_progress *progress, bool quiet, int64_t max_attempts) {
  progress->quiet = quiet;
  progress->live = !quiet && isatty(STDERR_FILENO);
  progress->max_attempts = max_attempts;
}

static void print_prefix(const cli_progress *progress, uint64_t attempt) {
  if (progress->max_attempts > 0) {
    fprintf(stderr, "backoff: attempt %llu/%lld ", (unsigned long long)attempt,
            (long long)progress->max_attempts);
  } else {
    fprintf(stderr, "backoff: attempt %llu ", (unsigned long long)attempt);
  }
}

void cli_progress_report(const cli_progress *progress, uint64_t attempt, const char *format, ...) {
  if (progress->quiet) return;
  va_list values;
  va_start(values, format);
  print_prefix(progress, attempt);
  vfprintf(stderr, format, values);
  fputc('\n', stderr);
  va_end(values);
}

/* "\r" and "erase to the end of the line": the countdown rewrites its own line. */
static void draw_countdown(const cli_progress *progress, uint64_t attempt, const char *outcome,
                           int64_t left_ns) {
  const int64_t tenths = (left_ns + tick_ns - 1) / tick_ns;
  fputs("\r\033[K", stderr);
  print_prefix(progress, attempt);
  fprintf(stderr, "%s; retrying in %lld.%llds", outcome, (long long)(tenths / 10), (long long)(tenths % 10));
  fflush(stderr);
}

/* Sleeps until `until_ns` or a signal's wake-up, whichever is first. */
static void sleep_until(int64_t until_ns) {
  const int64_t left_ns = until_ns - backoff_monotonic_now_ns();
  if (left_ns <= 0) return;
  const int64_t left_ms = (left_ns + BACKOFF_MILLISECOND - 1) / BACKOFF_MILLISECOND;
  struct pollfd wake = {cli_signals_fd(), POLLIN, 0};
  if (poll(&wake, 1, left_ms > INT_MAX ? INT_MAX : (int)left_ms) > 0) cli_signals_drain();
}

int cli_progress_wait(const cli_progress *progress, uint64_t attempt, const char *outcome, int64_t delay_ns) {
  char delay[CLI_DURATION_SIZE];
  cli_format_duration(delay, sizeof delay, delay_ns);
  const int64_t start = backoff_monotonic_now_ns();
  const int64_t end = start > INT64_MAX - delay_ns ? INT64_MAX : start + delay_ns;
  if (!progress->live) cli_progress_report(progress, attempt, "%s; retrying in %s", outcome, delay);
  for (int64_t now = start; now < end && cli_signals_stop_count() == 0; now = backoff_monotonic_now_ns()) {
    if (progress->live) {
      draw_countdown(progress, attempt, outcome, end - now);
      sleep_until(end - now > tick_ns ? now + tick_ns : end);
    } else {
      sleep_until(end);
    }
  }
  if (progress->live) {
    /* Leave the line as a log would show it. */
    fputs("\r\033[K", stderr);
    cli_progress_report(progress, attempt, "%s; retrying in %s", outcome, delay);
  }
  return cli_signals_stop_signal();
}
