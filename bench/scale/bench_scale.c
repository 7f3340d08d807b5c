/* Cost curves of the C API as the work grows: resident bytes per object and per pool key, pool look-ups on
 * a hot and on a new key, and a breaker's cost against its window's size, each for 1k, 100k and 1M.
 *
 * Memory is the growth of the resident set (malloc's overhead and slack included) over N live objects,
 * measured in a child process of its own, so that no measurement reuses memory another one freed.
 * Times are the best of a few rounds, in nanoseconds of this thread's CPU time per call, so that other
 * processes on a loaded machine do not count (as bench/python/timing.py does).
 *
 * Output: one tab-separated row per measurement, "measure<TAB>impl<TAB>n<TAB>value"; bench/scale/run
 * gathers these rows from every language into one table. Usage: backoff_bench_scale [max_mib]
 * (default 4096: a memory measurement whose objects would take more is skipped and reported as "-"). */
#define BACKOFF_EXPERIMENTAL
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backoff.h"

#define IMPL "libbackoff (C)"

static const int64_t kSizes[] = {1000, 100000, 1000000};

static void check(int status, const char *what) {
  if (status != BACKOFF_OK) {
    fprintf(stderr, "bench_scale: %s: %s (%s)\n", what, backoff_strerror(status), backoff_last_error());
    exit(1);
  }
}

static int64_t resident_bytes(void) {
  long pages = 0, resident = 0;
  FILE *statm = fopen("/proc/self/statm", "r");
  if (statm == NULL || fscanf(statm, "%ld %ld", &pages, &resident) != 2) exit(1);
  fclose(statm);
  return (int64_t)resident * sysconf(_SC_PAGESIZE);
}

static int64_t cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- the objects ---- */

static backoff_breaker_config *breaker_config(const char *trip, const char *window, int64_t window_size) {
  backoff_breaker_config *config = NULL;
  check(backoff_breaker_config_new(&config), "breaker config");
  if (trip != NULL) check(backoff_breaker_config_set_text(config, "trip", trip), "trip");
  if (window != NULL) check(backoff_breaker_config_set_text(config, "window", window), "window");
  if (window_size > 0) check(backoff_breaker_config_set_i64(config, BACKOFF_BREAKER_PARAM_WINDOW_SIZE, window_size), "window_size");
  return config;
}

static backoff_budget_config *budget_config(void) {
  backoff_budget_config *config = NULL;
  check(backoff_budget_config_new(&config), "budget config");
  return config;
}

static backoff_policy *default_policy(void) {
  backoff_config *config = NULL;
  backoff_policy *policy = NULL;
  check(backoff_config_new(&config), "config");
  check(backoff_policy_new(&policy, config), "policy");
  backoff_config_free(config);
  return policy;
}

/* Makes object number i of a kind; returns it as a pointer to keep it alive. */
typedef void *(*make_fn)(void *shared, int64_t i);

static void *make_breaker(void *config, int64_t i) {
  backoff_breaker *breaker = NULL;
  (void)i;
  check(backoff_breaker_new(&breaker, config), "breaker");
  return breaker;
}

static void *make_budget(void *config, int64_t i) {
  backoff_budget *budget = NULL;
  (void)i;
  check(backoff_budget_new(&budget, config), "budget");
  return budget;
}

/* A budget that has granted and settled a retry, as one thread's retry loop leaves it: its ticket and
 * balance machinery is in use, not only made. */
static void *make_used_budget(void *config, int64_t i) {
  backoff_budget *budget = make_budget(config, i);
  uint64_t ticket = 0;
  check(backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_ORDINARY), "withdraw");
  check(backoff_budget_record_success(budget, ticket), "record success");
  return budget;
}

static void *make_state(void *policy, int64_t i) {
  backoff_state *state = NULL;
  (void)i;
  check(backoff_state_new(&state, policy), "state");
  return state;
}

static void key_of(char *key, int64_t i) { snprintf(key, 48, "host-%lld.example", (long long)i); }

static void *add_budget_key(void *pool, int64_t i) {
  char key[48];
  backoff_budget *budget = NULL;
  key_of(key, i);
  check(backoff_budget_pool_get(&budget, pool, key), "budget pool get");
  backoff_budget_free(budget); /* the pool keeps it */
  return NULL;
}

static void *add_breaker_key(void *pool, int64_t i) {
  char key[48];
  uint64_t permit = 0;
  int64_t wait_ns = 0;
  key_of(key, i);
  check(backoff_breaker_pool_acquire(&permit, &wait_ns, pool, key), "breaker pool acquire");
  check(backoff_breaker_pool_record(pool, key, permit, BACKOFF_OUTCOME_SUCCESS, 0, 0), "breaker pool record");
  return NULL;
}

/* Bytes per object: the resident growth over n objects made by make(shared, i). */
static double bytes_per_object(make_fn make, void *shared, int64_t n) {
  void **kept = calloc((size_t)n, sizeof *kept);
  memset(kept, 1, (size_t)n * sizeof *kept); /* resident before the baseline */
  const int64_t before = resident_bytes();
  for (int64_t i = 0; i < n; ++i) kept[i] = make(shared, i);
  return (double)(resident_bytes() - before) / (double)n;
}

/* ---- timed loops ---- */

typedef void (*step_fn)(void *shared, int64_t i);

static double best_ns_per_call(step_fn step, void *shared, int64_t calls) {
  double best = 1e300;
  for (int round = 0; round < 5; ++round) {
    const int64_t start = cpu_ns();
    for (int64_t i = 0; i < calls; ++i) step(shared, i);
    const double per_call = (double)(cpu_ns() - start) / (double)calls;
    if (per_call < best) best = per_call;
  }
  return best;
}

static void breaker_step(void *breaker, int64_t i) {
  uint64_t permit = 0;
  int64_t wait_ns = 0;
  backoff_breaker_acquire(&permit, &wait_ns, breaker);
  /* one failure in 64: the window is read at every failure, never enough to trip at 50 % */
  backoff_breaker_record(breaker, permit, (i & 63) == 0 ? BACKOFF_OUTCOME_FAILURE : BACKOFF_OUTCOME_SUCCESS, 0, 0);
}

static void budget_hot_step(void *pool, int64_t i) {
  backoff_budget *budget = NULL;
  (void)i;
  backoff_budget_pool_get(&budget, pool, "host-0.example");
  backoff_budget_free(budget);
}

static void breaker_hot_step(void *pool, int64_t i) {
  uint64_t permit = 0;
  int64_t wait_ns = 0;
  (void)i;
  backoff_breaker_pool_acquire(&permit, &wait_ns, pool, "host-0.example");
  backoff_breaker_pool_record(pool, "host-0.example", permit, BACKOFF_OUTCOME_SUCCESS, 0, 0);
}

/* One look-up alone: the state of a held key (no breaker call beyond reading its state word). */
static void breaker_lookup_step(void *pool, int64_t i) {
  int state = 0;
  (void)i;
  backoff_breaker_pool_state(&state, pool, "host-0.example");
}

/* New keys only: every call evicts the key used least recently. */
static int64_t next_new_key;
static void budget_cold_step(void *pool, int64_t i) { (void)i; add_budget_key(pool, next_new_key++); }
static void breaker_cold_step(void *pool, int64_t i) { (void)i; add_breaker_key(pool, next_new_key++); }

/* ---- the measurements ---- */

static void row(const char *measure, int64_t n, double value) {
  printf("%s\t%s\t%lld\t%.1f\n", measure, IMPL, (long long)n, value);
  fflush(stdout);
}

enum { BREAKER_CONSECUTIVE, BREAKER_WINDOWED, BUDGET, USED_BUDGET, STATE, BUDGET_POOL_KEY, BREAKER_POOL_KEY, KINDS };
static const char *const kMemoryMeasures[KINDS] = {
    "breaker, consecutive rule (B/object)", "breaker, ratio rule, time window (B/object)",
    "retry budget, AWS (B/object)", "retry budget, AWS, after one retry granted and settled (B/object)",
    "backoff state (B/object)", "budget pool (B/key, object included)", "breaker pool (B/key, object included)"};

static double measure_kind(int kind, int64_t n) {
  switch (kind) {
    case BREAKER_CONSECUTIVE: return bytes_per_object(make_breaker, breaker_config(NULL, NULL, 0), n);
    case BREAKER_WINDOWED: return bytes_per_object(make_breaker, breaker_config("ratio", NULL, 0), n);
    case BUDGET: return bytes_per_object(make_budget, budget_config(), n);
    case USED_BUDGET: return bytes_per_object(make_used_budget, budget_config(), n);
    case STATE: return bytes_per_object(make_state, default_policy(), n);
    case BUDGET_POOL_KEY: {
      backoff_budget_pool *pool = NULL;
      check(backoff_budget_pool_new(&pool, budget_config(), n), "budget pool");
      return bytes_per_object(add_budget_key, pool, n);
    }
    default: {
      backoff_breaker_pool *pool = NULL;
      check(backoff_breaker_pool_new(&pool, breaker_config(NULL, NULL, 0), n), "breaker pool");
      return bytes_per_object(add_breaker_key, pool, n);
    }
  }
}

/* Runs one memory measurement in a child process and returns its result (negative on failure). */
static double in_child(int kind, int64_t n) {
  int fds[2];
  double value = -1;
  if (pipe(fds) != 0) return -1;
  const pid_t child = fork();
  if (child == 0) {
    value = measure_kind(kind, n);
    if (write(fds[1], &value, sizeof value) != sizeof value) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  if (read(fds[0], &value, sizeof value) != sizeof value) value = -1;
  close(fds[0]);
  waitpid(child, NULL, 0);
  return value;
}

static void memory_rows(double max_bytes) {
  for (int kind = 0; kind < KINDS; ++kind) {
    double last = 0;
    for (size_t s = 0; s < sizeof kSizes / sizeof kSizes[0]; ++s) {
      const int64_t n = kSizes[s];
      if (last * (double)n > max_bytes) {
        printf("%s\t%s\t%lld\t-\n", kMemoryMeasures[kind], IMPL, (long long)n);
        continue;
      }
      last = in_child(kind, n);
      row(kMemoryMeasures[kind], n, last);
    }
  }
}

static void lookup_rows(void) {
  for (size_t s = 0; s < sizeof kSizes / sizeof kSizes[0]; ++s) {
    const int64_t n = kSizes[s];
    backoff_budget_pool *budgets = NULL;
    backoff_breaker_pool *breakers = NULL;
    check(backoff_budget_pool_new(&budgets, budget_config(), n), "budget pool");
    check(backoff_breaker_pool_new(&breakers, breaker_config(NULL, NULL, 0), n), "breaker pool");
    for (int64_t i = 0; i < n; ++i) {
      add_budget_key(budgets, i);
      add_breaker_key(breakers, i);
    }
    next_new_key = n;
    row("budget pool: get a hot key (ns)", n, best_ns_per_call(budget_hot_step, budgets, 1000000));
    row("budget pool: get a new key, evicting (ns)", n, best_ns_per_call(budget_cold_step, budgets, 200000));
    row("breaker pool: acquire + record on a hot key (ns)", n, best_ns_per_call(breaker_hot_step, breakers, 1000000));
    row("breaker pool: state of a hot key, one look-up (ns)", n,
        best_ns_per_call(breaker_lookup_step, breakers, 1000000));
    row("breaker pool: acquire + record on a new key, evicting (ns)", n,
        best_ns_per_call(breaker_cold_step, breakers, 200000));
    backoff_budget_pool_free(budgets);
    backoff_breaker_pool_free(breakers);
  }
}

static void window_rows(void) {
  for (size_t s = 0; s < sizeof kSizes / sizeof kSizes[0]; ++s) {
    const int64_t n = kSizes[s];
    backoff_breaker *breaker = NULL;
    backoff_breaker_config *config = breaker_config("ratio", "count", n);
    check(backoff_breaker_new(&breaker, config), "windowed breaker");
    for (int64_t i = 0; i < n; ++i) breaker_step(breaker, i); /* a full window */
    row("breaker, ratio rule, count window of n calls: acquire + record (ns)", n,
        best_ns_per_call(breaker_step, breaker, 1000000));
    backoff_breaker_free(breaker);
    backoff_breaker_config_free(config);
  }
}

/* The closed path of one breaker with the consecutive rule (the default), beside gobreaker's Execute. */
static void closed_path_row(void) {
  backoff_breaker *breaker = NULL;
  backoff_breaker_config *config = breaker_config(NULL, NULL, 0);
  check(backoff_breaker_new(&breaker, config), "breaker");
  row("breaker, consecutive rule: acquire + record (ns)", 1, best_ns_per_call(breaker_step, breaker, 1000000));
  backoff_breaker_free(breaker);
  backoff_breaker_config_free(config);
}

int main(int argc, char **argv) {
  const double max_mib = argc > 1 ? atof(argv[1]) : 4096;
  memory_rows(max_mib * 1024 * 1024);
  lookup_rows();
  window_rows();
  closed_path_row();
  return 0;
}
