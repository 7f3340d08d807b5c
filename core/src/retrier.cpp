// The Retrier's plain half: the decision after a failure when no breaker or budget takes part, the path
// Python's @retry takes on every failure. It lives apart from the rest (retrier_joined.cpp) so that the
// compiler cannot inline the joined path into it and make every call pay that path's stack frame.
#include "backoff/retrier.hpp"

namespace backoff {

const char* retry_outcome_name(RetryOutcome outcome) noexcept {
  const char* name = name_of(VocabFamily::retry_outcome, static_cast<std::int64_t>(outcome));
  return name != nullptr ? name : "unknown";
}

RetryDecision Retrier::decide_retry_at(Instant now, Duration hint, ErrorClass error_class) {
  require_hint(hint);  // before the failure is counted: bad input changes nothing
  // Python's @retry comes this way on every failure: nothing attached, created at the first failure. It
  // pays for the breaker and the budget with this one test.
  if (breaker_ != nullptr || budget_ != nullptr || limiter_ != nullptr || started_ || outcome_ != RetryOutcome::retry) {
    return decide_joined(now, hint, error_class);
  }
  count_failure();
  const Duration delay = backoff_.next_at(now, hint);
  if (delay == kStopDelay) return end(RetryOutcome::exhausted);
  return reaches_deadline(now + delay) ? end(RetryOutcome::deadline_exceeded) : wait(delay);
}

}  // namespace backoff
