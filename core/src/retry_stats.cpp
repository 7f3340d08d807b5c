// RetryStats, and the Retrier's side of it: what each step of a call records when statistics are attached.
#include "backoff/retry_stats.hpp"

namespace backoff {

void RetryStats::record_retry(Duration delay) noexcept {
  add(kRetries);
  counters_[kSleptNs / kPerLine].add_saturating(kSleptNs % kPerLine, static_cast<std::uint64_t>(non_negative(delay).ns()));
}

void RetryStats::record_end(RetryOutcome outcome, bool by_max_elapsed) noexcept {
  add(kEnds + static_cast<int>(outcome));
  if (outcome == RetryOutcome::exhausted && by_max_elapsed) add(kMaxElapsed);
}

RetryStatsSnapshot RetryStats::snapshot() const noexcept {
  RetryStatsSnapshot snapshot;
  snapshot.failures = sum(kFailures);
  snapshot.retries = sum(kRetries);
  snapshot.slept_ns = sum(kSleptNs);
  snapshot.max_elapsed = sum(kMaxElapsed);
  for (int outcome = 0; outcome < kRetryOutcomeCount; ++outcome) snapshot.ends[outcome] = sum(kEnds + outcome);
  return snapshot;
}

void Retrier::note_failure() noexcept { stats_->record_failure(); }

void Retrier::note_wait(Duration delay) noexcept { stats_->record_retry(delay); }

void Retrier::note_end(RetryOutcome outcome) noexcept {
  // The policy stops on max_attempts before it draws a delay and on max_elapsed after: if the attempts
  // are not used up, elapsed time stopped it.
  const bool by_max_elapsed = !backoff_.policy().attempts_exhausted(backoff_.attempt());
  stats_->record_end(outcome, by_max_elapsed);
}

}  // namespace backoff
