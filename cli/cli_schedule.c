/* The statistics `backoff schedule` shows. */
#include "cli_schedule.h"

#include <stdlib.h>
#include <string.h>

/* How many bounds the worst-case total may add up beyond the rows shown before it gives up: the sum is
 * exact, so a policy of billions of distinct waits gets no total rather than a wrong one. */
static const uint64_t total_budget = 10000000;

static int64_t saturating_add(int64_t a, int64_t b) { return a > INT64_MAX - b ? INT64_MAX : a + b; }

static int64_t saturating_mul(int64_t a, uint64_t n) {
  if (a == 0 || n == 0) return 0;
  return n > (uint64_t)(INT64_MAX / a) ? INT64_MAX : a * (int64_t)n;
}

static int compare_ns(const void *a, const void *b) {
  const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* The nearest-rank percentile of sorted values: the smallest value with at least p% of them at or below. */
static int64_t percentile(const int64_t *sorted, size_t count, unsigned p) {
  const size_t rank = (count * p + 99) / 100;
  return sorted[rank == 0 ? 0 : rank - 1];
}

static void sorted_percentiles(int64_t *scratch, const int64_t *values, size_t count, int64_t *p50,
                               int64_t *p95) {
  memcpy(scratch, values, count * sizeof *values);
  qsort(scratch, count, sizeof *scratch, compare_ns);
  *p50 = percentile(scratch, count, 50);
  *p95 = percentile(scratch, count, 95);
}

static void fill_histogram(cli_schedule_row *row, const int64_t *draws, size_t count) {
  if (row->max_ns == row->min_ns) {
    row->histogram[0] = (uint32_t)count;
    return;
  }
  const double width = (double)(row->max_ns - row->min_ns) + 1.0;
  for (size_t i = 0; i < count; ++i) {
    /* A chain's draw may lie a few nanoseconds outside the bounds (backoff.h, delay_bounds note 1). */
    const double offset = draws[i] > row->min_ns ? (double)(draws[i] - row->min_ns) : 0.0;
    size_t bin = (size_t)(offset / width * CLI_SCHEDULE_BINS);
    row->histogram[bin < CLI_SCHEDULE_BINS ? bin : CLI_SCHEDULE_BINS - 1]++;
  }
}

/* The largest total wait over `retries` retries: the sum of every retry's max. Base delays never shrink
 * from one attempt to the next and the bounds depend on the base alone, so once the base equals the last
 * retry's, every remaining retry has the last one's bounds. Returns -1 past the budget. */
static int64_t worst_total(const backoff_policy *policy, uint64_t retries) {
  if (retries == 0) return 0;
  int64_t last_base, last_min, last_max, total = 0;
  backoff_policy_base_delay(&last_base, policy, retries - 1);
  backoff_policy_delay_bounds(&last_min, &last_max, policy, retries - 1);
  for (uint64_t n = 0; n < retries; ++n) {
    int64_t base, min, max;
    backoff_policy_base_delay(&base, policy, n);
    if (base == last_base) return saturating_add(total, saturating_mul(last_max, retries - n));
    if (n >= total_budget) return -1;
    backoff_policy_delay_bounds(&min, &max, policy, n);
    total = saturating_add(total, max);
  }
  return total;
}

static void set_worst_total(cli_schedule *out, const backoff_policy *policy, int64_t max_elapsed_ns,
                            uint64_t elapsed_from) {
  out->worst_total_ns = out->retries == UINT64_MAX ? -1 : worst_total(policy, out->retries);
  /* Retrying stops before a wait that would end past max_elapsed, so no total exceeds it... */
  if (max_elapsed_ns != 0 && (out->worst_total_ns < 0 || out->worst_total_ns > max_elapsed_ns)) {
    out->worst_total_ns = max_elapsed_ns;
    out->worst_total_is_max_elapsed = true;
  }
  /* ...except the waits made before max_elapsed applies (--stop-when all). */
  if (elapsed_from == 0) return;
  const int64_t before = worst_total(policy, elapsed_from);
  if (before < 0 || before > out->worst_total_ns) {
    out->worst_total_ns = before;
    out->worst_total_is_max_elapsed = false;
  }
}

/* The chains of CLI_SCHEDULE_SAMPLES decorrelated states, sample k's of seed `seed` + k; NULL out of
 * memory. Neither max_attempts nor max_elapsed may end a walk early: the rows apply them. */
static backoff_state **start_chains(backoff_config *config, uint64_t seed) {
  backoff_state **chains = calloc(CLI_SCHEDULE_SAMPLES, sizeof *chains);
  if (chains == NULL) return NULL;
  backoff_config_set_i64(config, BACKOFF_PARAM_MAX_ATTEMPTS, 0);
  backoff_config_set_i64(config, BACKOFF_PARAM_MAX_ELAPSED_NS, 0);
  for (size_t k = 0; k < CLI_SCHEDULE_SAMPLES; ++k) {
    backoff_policy *walk = NULL;
    backoff_config_set_u64(config, BACKOFF_PARAM_SEED, seed + k);
    const int status = backoff_policy_new(&walk, config);
    if (status == BACKOFF_OK) backoff_state_new(&chains[k], walk);
    backoff_policy_free(walk);
    if (chains[k] == NULL) {
      for (size_t i = 0; i < k; ++i) backoff_state_free(chains[i]);
      free(chains);
      return NULL;
    }
  }
  return chains;
}

static void free_chains(backoff_state **chains) {
  if (chains == NULL) return;
  for (size_t k = 0; k < CLI_SCHEDULE_SAMPLES; ++k) backoff_state_free(chains[k]);
  free(chains);
}

/* Samples CLI_SCHEDULE_SAMPLES waits for retry n (the next step of each chain, or the stateless delay for
 * each key), adds them to the running totals, and fills the row. */
static void sample_row(cli_schedule_row *row, const backoff_policy *policy, backoff_state **chains, uint64_t n,
                       int64_t *draws, int64_t *totals, int64_t *scratch) {
  for (size_t key = 0; key < CLI_SCHEDULE_SAMPLES; ++key) {
    if (chains != NULL) {
      backoff_state_next_at(&draws[key], chains[key], 0, 0);
    } else {
      backoff_policy_delay(&draws[key], policy, n, key);
    }
    totals[key] = saturating_add(totals[key], draws[key]);
  }
  sorted_percentiles(scratch, draws, CLI_SCHEDULE_SAMPLES, &row->p50_ns, &row->p95_ns);
  sorted_percentiles(scratch, totals, CLI_SCHEDULE_SAMPLES, &row->total_p50_ns, &row->total_p95_ns);
  fill_histogram(row, draws, CLI_SCHEDULE_SAMPLES);
}

int cli_schedule_compute(cli_schedule *out, const backoff_policy *policy, backoff_config *config) {
  memset(out, 0, sizeof *out);
  int64_t max_attempts = 0, max_elapsed_ns = 0, cap_ns = 0, kind = 0;
  backoff_policy_get_i64(&kind, policy, BACKOFF_PARAM_KIND);
  backoff_policy_get_i64(&max_attempts, policy, BACKOFF_PARAM_MAX_ATTEMPTS);
  backoff_policy_get_i64(&max_elapsed_ns, policy, BACKOFF_PARAM_MAX_ELAPSED_NS);
  backoff_policy_get_i64(&cap_ns, policy, BACKOFF_PARAM_CAP_NS);
  backoff_policy_get_u64(&out->seed, policy, BACKOFF_PARAM_SEED);
  /* Under --stop-when all with both limits set, max_attempts ends nothing by itself: the rows go on as
   * without it, and max_elapsed may end them only from retry max_attempts on (elapsed_from, 0-based). */
  int64_t stop_when = BACKOFF_STOP_WHEN_ANY;
  backoff_policy_get_i64(&stop_when, policy, BACKOFF_PARAM_STOP_WHEN);
  const bool all_limits = stop_when == BACKOFF_STOP_WHEN_ALL && max_attempts != 0 && max_elapsed_ns != 0;
  const uint64_t elapsed_from = all_limits ? (uint64_t)max_attempts - 1 : 0;
  if (all_limits) max_attempts = 0;
  out->retries = max_attempts == 0 ? UINT64_MAX : (uint64_t)max_attempts - 1;
  uint64_t row_limit = max_attempts == 0 ? CLI_SCHEDULE_UNLIMITED_ROWS
                       : out->retries < CLI_SCHEDULE_MAX_ROWS ? out->retries : CLI_SCHEDULE_MAX_ROWS;
  if (elapsed_from >= row_limit) row_limit = elapsed_from < CLI_SCHEDULE_MAX_ROWS ? elapsed_from + 1 : CLI_SCHEDULE_MAX_ROWS;
  out->end = max_attempts == 0 ? CLI_SCHEDULE_END_UNLIMITED
             : out->retries > row_limit ? CLI_SCHEDULE_END_ROW_LIMIT : CLI_SCHEDULE_END_MAX_ATTEMPTS;
  out->rows = calloc(row_limit ? row_limit : 1, sizeof *out->rows);
  int64_t *draws = malloc(2 * CLI_SCHEDULE_SAMPLES * sizeof *draws); /* and the sort's scratch */
  int64_t *totals = calloc(CLI_SCHEDULE_SAMPLES, sizeof *totals);
  out->form = kind == BACKOFF_KIND_DECORRELATED ? CLI_SCHEDULE_CHAIN : CLI_SCHEDULE_STATELESS;
  backoff_state **chains = out->form == CLI_SCHEDULE_CHAIN ? start_chains(config, out->seed) : NULL;
  const bool no_chains = out->form == CLI_SCHEDULE_CHAIN && chains == NULL;
  if (out->rows == NULL || draws == NULL || totals == NULL || no_chains) {
    free(draws);
    free(totals);
    free_chains(chains);
    cli_schedule_free(out);
    return -1;
  }
  int64_t total_min = 0, total_max = 0;
  for (uint64_t n = 0; n < row_limit; ++n) {
    int64_t min, max, base;
    backoff_policy_delay_bounds(&min, &max, policy, n);
    const bool elapsed_applies = max_elapsed_ns != 0 && n >= elapsed_from;
    if (elapsed_applies && saturating_add(total_min, min) > max_elapsed_ns) {
      out->end = CLI_SCHEDULE_END_MAX_ELAPSED;
      break;
    }
    cli_schedule_row *row = &out->rows[out->count++];
    row->retry = n + 1;
    row->min_ns = min;
    row->max_ns = max;
    row->total_min_ns = total_min = saturating_add(total_min, min);
    row->total_max_ns = total_max = saturating_add(total_max, max);
    row->may_stop = elapsed_applies && total_max > max_elapsed_ns;
    out->jittered = out->jittered || min != max;
    sample_row(row, policy, chains, n, draws, totals, draws + CLI_SCHEDULE_SAMPLES);
    backoff_policy_base_delay(&base, policy, n);
    out->capped = base == cap_ns;
    /* Unlimited: past the cap every row repeats this one, so stop, unless max_elapsed is still to end
     * the retrying and this row is not yet where it may. */
    if (max_attempts == 0 && out->capped && (max_elapsed_ns == 0 || row->may_stop)) break;
  }
  free(draws);
  free(totals);
  free_chains(chains);
  set_worst_total(out, policy, max_elapsed_ns, elapsed_from);
  return 0;
}

void cli_schedule_free(cli_schedule *schedule) {
  free(schedule->rows);
  schedule->rows = NULL;
  schedule->count = 0;
}
