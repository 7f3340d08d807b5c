// Observability: retry statistics, objects' names and the snapshots exporters read (backoff.h,
// "Observability"). Each snapshot is copied out through fill_sized(), the one place that applies the
// structs' size protocol.
#include <algorithm>
#include <cstring>
#include <string>

#include "backoff/object_snapshots.hpp"
#include "backoff/retry_stats.hpp"
#include "capi_retrier.hpp"

struct backoff_retry_stats {
  backoff::RetryStats stats;
};

namespace {

// The core's enums must fit the room the structs keep for them; a value added beyond it is a compile error
// here, and the header's room has to grow with a new struct version.
static_assert(backoff::kRetryOutcomeCount <= BACKOFF_SNAPSHOT_OUTCOMES, "grow backoff_retry_stats_snapshot");
static_assert(backoff::kBreakerCountCount <= BACKOFF_SNAPSHOT_BREAKER_COUNTS, "grow backoff_breaker_snapshot");
static_assert(backoff::kBreakerStateCount <= BACKOFF_SNAPSHOT_BREAKER_STATES, "grow backoff_breaker_snapshot");

// The sizes of the structs' first version: a caller's `size` below them is a bug, not an older caller.
constexpr uint64_t kFirstSize[] = {168, 784, 32};
static_assert(sizeof(backoff_retry_stats_snapshot) == kFirstSize[0], "the first version's layout is fixed");
static_assert(sizeof(backoff_breaker_snapshot) == kFirstSize[1], "the first version's layout is fixed");
static_assert(sizeof(backoff_budget_snapshot) == kFirstSize[2], "the first version's layout is fixed");

// Copies `full` into `out` as far as out->size allows, and tells the caller how far that was.
template <class Snapshot>
int fill_sized(Snapshot* out, Snapshot full, uint64_t first_size, const char* function) {
  if (out->size < first_size) {
    return backoff::capi::fail(BACKOFF_EINVAL, (std::string(function) + ": out->size must be at least " +
                                                std::to_string(first_size) + " (got " + std::to_string(out->size) + ")")
                                                   .c_str());
  }
  full.size = std::min<uint64_t>(out->size, sizeof full);
  std::memcpy(out, &full, static_cast<size_t>(full.size));
  return BACKOFF_OK;
}

backoff_retry_stats_snapshot c_snapshot(const backoff::RetryStatsSnapshot& core) {
  backoff_retry_stats_snapshot c{0, core.failures, core.retries, core.slept_ns, core.max_elapsed, {}};
  std::copy(std::begin(core.ends), std::end(core.ends), c.ends);
  return c;
}

backoff_breaker_snapshot c_snapshot(const backoff::BreakerSnapshot& core) {
  backoff_breaker_snapshot c{};
  c.state = static_cast<int64_t>(core.state);
  std::copy(std::begin(core.counts), std::end(core.counts), c.counts);
  for (int from = 0; from < backoff::kBreakerStateCount; ++from) {
    std::copy(std::begin(core.transitions[from]), std::end(core.transitions[from]), c.transitions[from]);
  }
  return c;
}

backoff_budget_snapshot c_snapshot(const backoff::BudgetSnapshot& core) {
  return {0, core.balance_milli, core.granted, core.refused};
}

// The three objects' names, one body: checks the arguments, then sets or reads the ObjectName.
#define BACKOFF_SET_NAME(handle, object_name, name) \
  do { \
    BACKOFF_REQUIRE(name); \
    BACKOFF_CALL(handle, (object_name).set(name)); \
  } while (0)

}  // namespace

int backoff_retry_stats_new(backoff_retry_stats** out) {
  BACKOFF_REQUIRE(out);
  return guarded([&] { *out = new backoff_retry_stats(); });
}

void backoff_retry_stats_free(backoff_retry_stats* stats) { delete stats; }

int backoff_retrier_set_stats(backoff_retrier* retrier, backoff_retry_stats* stats) {
  BACKOFF_CALL_IDLE(retrier, retrier->retrier.attach_stats(stats ? &stats->stats : nullptr));
}

int backoff_retry_stats_get_snapshot(backoff_retry_stats_snapshot* out, const backoff_retry_stats* stats) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(stats);
  return fill_sized(out, c_snapshot(stats->stats.snapshot()), kFirstSize[0], __func__);
}

int backoff_breaker_get_snapshot(backoff_breaker_snapshot* out, const backoff_breaker* breaker) {
  BACKOFF_REQUIRE(out);
  BACKOFF_CALL(breaker, return fill_sized(out, c_snapshot(backoff::snapshot(breaker->breaker)), kFirstSize[1], __func__));
}

int backoff_breaker_get_snapshot_at(backoff_breaker_snapshot* out, const backoff_breaker* breaker, int64_t now_ns) {
  BACKOFF_REQUIRE(out);
  BACKOFF_CALL(breaker, return fill_sized(out, c_snapshot(backoff::snapshot_at(breaker->breaker, at_ns(now_ns))),
                                          kFirstSize[1], "backoff_breaker_get_snapshot_at"));
}

int backoff_budget_get_snapshot(backoff_budget_snapshot* out, backoff_budget* budget) {
  BACKOFF_REQUIRE(out);
  BACKOFF_CALL(budget, return fill_sized(out, c_snapshot(backoff::snapshot(*budget_of(budget))), kFirstSize[2],
                                         "backoff_budget_get_snapshot"));
}

int backoff_budget_get_snapshot_at(backoff_budget_snapshot* out, backoff_budget* budget, int64_t now_ns) {
  BACKOFF_REQUIRE(out);
  BACKOFF_CALL(budget, return fill_sized(out, c_snapshot(backoff::snapshot_at(*budget_of(budget), at_ns(now_ns))),
                                         kFirstSize[2], "backoff_budget_get_snapshot_at"));
}

int backoff_retry_stats_set_name(backoff_retry_stats* stats, const char* name) {
  BACKOFF_SET_NAME(stats, stats->stats.name(), name);
}

int backoff_breaker_set_name(backoff_breaker* breaker, const char* name) {
  BACKOFF_SET_NAME(breaker, breaker->breaker.name(), name);
}

int backoff_budget_set_name(backoff_budget* budget, const char* name) {
  BACKOFF_SET_NAME(budget, budget_of(budget)->name(), name);
}

int backoff_retry_stats_get_name(const char** out, const backoff_retry_stats* stats) {
  BACKOFF_READ(out, stats, stats->stats.name().get());
}

int backoff_breaker_get_name(const char** out, const backoff_breaker* breaker) {
  BACKOFF_READ(out, breaker, breaker->breaker.name().get());
}

int backoff_budget_get_name(const char** out, const backoff_budget* budget) {
  BACKOFF_READ(out, budget, budget_of(budget)->name().get());
}
