/* cli_schedule.h - the statistics `backoff schedule` shows: per retry, the wait's exact bounds, its
 * percentiles and histogram from samples of what `backoff retry` waits, the totals so far, and the worst
 * case.
 *
 * Bounds come from backoff_policy_delay_bounds(), so min, max and the worst-case total are exact. p50, p95
 * and the histogram come from CLI_SCHEDULE_SAMPLES samples of the wait `backoff retry` makes, in one of two
 * forms, both computed by the library:
 *   - stateless: backoff_policy_delay() over keys 0..CLI_SCHEDULE_SAMPLES-1. A state draws exactly these
 *     (key 0 is the state's), so this is what `retry` waits for every kind but decorrelated.
 *   - chain: a decorrelated state draws each wait from the one before, so its distribution is not the
 *     stateless one. Sample k walks the chain of a backoff_state whose policy has seed S + k (S: the
 *     policy's seed), which is the chain `backoff retry --seed S+k` follows.
 * The seed is fixed, so the same options always print the same numbers. Attempts are taken to last no
 * time. */
#ifndef BACKOFF_CLI_SCHEDULE_H
#define BACKOFF_CLI_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backoff.h"

enum {
  CLI_SCHEDULE_SAMPLES = 10000,      /* draws per retry for the percentiles */
  CLI_SCHEDULE_BINS = 24,            /* histogram bins per retry, over [min, max] */
  CLI_SCHEDULE_MAX_ROWS = 200,       /* retries shown at most */
  CLI_SCHEDULE_UNLIMITED_ROWS = 50   /* ... and without max_attempts, unless the cap is reached first */
};

typedef struct cli_schedule_row {
  uint64_t retry;                     /* 1: the wait after the first failed attempt */
  int64_t min_ns, p50_ns, p95_ns, max_ns;
  int64_t total_min_ns, total_p50_ns, total_p95_ns, total_max_ns; /* waited in all, through this retry */
  bool may_stop;                      /* max_elapsed may end the retrying before this wait */
  uint32_t histogram[CLI_SCHEDULE_BINS];
} cli_schedule_row;

/* Why the rows end where they do. */
typedef enum cli_schedule_end {
  CLI_SCHEDULE_END_MAX_ATTEMPTS, /* every retry that max_attempts allows is shown */
  CLI_SCHEDULE_END_MAX_ELAPSED,  /* the next retry's shortest wait would already pass max_elapsed */
  CLI_SCHEDULE_END_UNLIMITED,    /* max_attempts is 0: retries go on, at the last row's wait once capped */
  CLI_SCHEDULE_END_ROW_LIMIT     /* more retries follow than CLI_SCHEDULE_MAX_ROWS */
} cli_schedule_end;

/* Which waits p50, p95, the histogram and the sampled totals describe (see the top of this file). */
typedef enum cli_schedule_form { CLI_SCHEDULE_STATELESS, CLI_SCHEDULE_CHAIN } cli_schedule_form;

typedef struct cli_schedule {
  cli_schedule_row *rows;
  size_t count;
  uint64_t retries;              /* max_attempts - 1; UINT64_MAX when unlimited */
  cli_schedule_end end;
  bool jittered;                 /* some wait is random (min < max) */
  bool capped;                   /* the last row's base delay is the cap */
  int64_t worst_total_ns;        /* the longest possible total wait; -1 when unbounded or not computed */
  bool worst_total_is_max_elapsed; /* max_elapsed bounds it, not the sum of the waits */
  uint64_t seed;                 /* the percentiles' seed */
  cli_schedule_form form;
} cli_schedule;

/* Computes the schedule of a seeded policy; `config` is the configuration it was built from, which the
 * chain form reuses (with other seeds) and leaves changed. Returns 0, or -1 out of memory. */
int cli_schedule_compute(cli_schedule *out, const backoff_policy *policy, backoff_config *config);
void cli_schedule_free(cli_schedule *schedule);

#endif
