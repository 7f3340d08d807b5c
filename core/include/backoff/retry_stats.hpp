// RetryStats: lifetime counters of every call made by the Retriers attached to it, shared between threads.
//
// One RetryStats usually stands for one retried operation ("fetch_user"): each call's Retrier records into
// it (Retrier::attach_stats), from any thread at once, and an exporter reads a snapshot whenever it scrapes.
// The counters sit on StripedCounters, so recording takes no lock and threads do not fight over a cache
// line; a snapshot sums the stripes (kFields x 33 loads at most). Every counter only grows, and saturates
// at UINT64_MAX rather than wrap.
//
// What a Retrier records, and when:
//   failures        each failed attempt, retried or not (permanent ones included)
//   retries         each retry decided; its delay adds to slept_ns
//   ends[outcome]   each call's end, indexed by RetryOutcome: ends[succeeded] is both the calls that
//                   succeeded and the attempts that did (a call succeeds once); every other final outcome
//                   is a give-up reason. An outcome added to the vocabulary gets its slot here unasked.
//   max_elapsed     the part of ends[exhausted] that max_elapsed stopped; the rest ran out of max_attempts
//
// Size: 168 bytes, and 2 KiB per 8 counters once a second thread records (striped_counters.hpp).
#pragma once

#include <cstdint>

#include "backoff/duration.hpp"
#include "backoff/object_name.hpp"
#include "backoff/retrier.hpp"
#include "backoff/striped_counters.hpp"

namespace backoff {

constexpr int kRetryOutcomeCount = BACKOFF_VOCAB_RETRY_OUTCOME(BACKOFF_VOCAB_COUNT) 0;

struct RetryStatsSnapshot {
  std::uint64_t failures = 0;
  std::uint64_t retries = 0;
  std::uint64_t slept_ns = 0;
  std::uint64_t max_elapsed = 0;
  std::uint64_t ends[kRetryOutcomeCount] = {};
};

class RetryStats {
 public:
  RetryStats() = default;
  RetryStats(const RetryStats&) = delete;
  RetryStats& operator=(const RetryStats&) = delete;

  void record_failure() noexcept { add(kFailures); }
  void record_retry(Duration delay) noexcept;
  // `by_max_elapsed`: for exhausted, max_elapsed stopped the call, not max_attempts.
  void record_end(RetryOutcome outcome, bool by_max_elapsed) noexcept;

  // Sums the stripes of every counter; any thread, while others record. Each counter is exact once the
  // writers are done; a snapshot taken while they write may see one counter's event before another's.
  RetryStatsSnapshot snapshot() const noexcept;

  ObjectName& name() noexcept { return name_; }
  const ObjectName& name() const noexcept { return name_; }

 private:
  enum Field : int { kFailures, kRetries, kSleptNs, kMaxElapsed, kEnds };
  static constexpr int kFields = kEnds + kRetryOutcomeCount;
  static constexpr int kPerLine = StripedCounters::kFields;

  void add(int field) noexcept { counters_[field / kPerLine].add(field % kPerLine); }
  std::uint64_t sum(int field) const noexcept { return counters_[field / kPerLine].sum(field % kPerLine); }

  StripedCounters counters_[(kFields + kPerLine - 1) / kPerLine];
  ObjectName name_;
};

}  // namespace backoff
