/* Progress on stderr, and the wait between attempts. */
#include "cli_progress.h"

#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "backoff.h"
#include "cli_format.h"
#include "cli_output.h"
#include "cli_signals.h"

/* The live countdown redraws this often. */
static const int64_t tick_ns = 100 * BACKOFF_MILLISECOND;

void cli_progress_init(cli_progress *progress, bool quiet, bool json, int64_t max_attempts) {
  progress->quiet = quiet;
  progress->json = json;
  progress->live = !quiet && !json && isatty(STDERR_FILENO);
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
  if (progress->quiet || progress->json) return;
  va_list values;
  va_start(values, format);
  print_prefix(progress, attempt);
  vfprintf(stderr, format, values);
  fputc('\n', stderr);
  va_end(values);
}

void cli_progress_attempt(const cli_progress *progress, const cli_attempt_record *record) {
  if (progress->json && !progress->quiet) cli_write_attempt_json(stderr, record);
}

void cli_progress_interrupted(const cli_progress *progress, uint64_t attempt, int signal) {
  if (progress->json && !progress->quiet) cli_write_interrupted_json(stderr, attempt, signal);
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

/* The local wall-clock time `delay_ns` from now, as "HH:MM:SS" (to the nearest second), for people
 * reading a log; every decision stays on the monotonic clock. */
static void format_wall_time_in(char *out, size_t size, int64_t delay_ns) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  /* Rounded to the nearest second; a wait near INT64_MAX ns saturates rather than wraps. */
  const int64_t half = BACKOFF_SECOND / 2;
  const int64_t ahead_ns = delay_ns > INT64_MAX - now.tv_nsec - half ? INT64_MAX : delay_ns + now.tv_nsec + half;
  const time_t at = now.tv_sec + (time_t)(ahead_ns / BACKOFF_SECOND);
  struct tm local;
  if (localtime_r(&at, &local) == NULL || strftime(out, size, "%H:%M:%S", &local) == 0) snprintf(out, size, "?");
}

/* "still waiting": a wait longer than CLI_STILL_WAITING_EVERY_NS says so that often, when stderr is not a
 * terminal (a terminal has the countdown). */
static void report_still_waiting(const cli_progress *progress, uint64_t attempt, const char *next_at,
                                 int64_t left_ns) {
  if (progress->quiet) return;
  if (progress->json) {
    cli_write_waiting_json(stderr, attempt, next_at, left_ns);
  } else {
    fprintf(stderr, "backoff: still waiting, next attempt at %s\n", next_at);
  }
}

int cli_progress_wait(const cli_progress *progress, uint64_t attempt, const char *outcome, int64_t delay_ns) {
  char delay[CLI_DURATION_SIZE], next_at[16];
  cli_format_duration(delay, sizeof delay, delay_ns);
  format_wall_time_in(next_at, sizeof next_at, delay_ns);
  const int64_t start = backoff_monotonic_now_ns();
  const int64_t end = start > INT64_MAX - delay_ns ? INT64_MAX : start + delay_ns;
  int64_t notice = start > INT64_MAX - CLI_STILL_WAITING_EVERY_NS ? INT64_MAX : start + CLI_STILL_WAITING_EVERY_NS;
  if (!progress->live) cli_progress_report(progress, attempt, "%s; retrying in %s", outcome, delay);
  for (int64_t now = start; now < end && cli_signals_stop_count() == 0; now = backoff_monotonic_now_ns()) {
    if (progress->live) {
      draw_countdown(progress, attempt, outcome, end - now);
      sleep_until(end - now > tick_ns ? now + tick_ns : end);
    } else if (now >= notice) {
      report_still_waiting(progress, attempt, next_at, end - now);
      notice = notice > INT64_MAX - CLI_STILL_WAITING_EVERY_NS ? INT64_MAX : notice + CLI_STILL_WAITING_EVERY_NS;
    } else {
      sleep_until(notice < end ? notice : end);
    }
  }
  if (progress->live) {
    /* Leave the line as a log would show it. */
    fputs("\r\033[K", stderr);
    cli_progress_report(progress, attempt, "%s; retrying in %s", outcome, delay);
  }
  return cli_signals_stop_signal();
}
