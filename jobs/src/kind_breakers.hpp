// The worker loop's circuit breakers, one per job type (backoff_jobs_set_breaker): a type whose handler
// keeps failing (its downstream is down) is held off for the breaker's open period, while the other
// types of the queue keep running. The breakers are libbackoff's keyed pool (backoff_breaker_pool, from
// the caller's own backoff_breaker_config), bounded to kMaxBreakerKinds types: the type used least
// recently makes room and starts afresh, closed, if it comes back.
#pragma once

#include <cstdint>
#include <memory>

#include "backoff_jobs.h"

namespace backoff::jobs {

// At most this many job types keep a breaker per store.
inline constexpr std::int64_t kMaxBreakerKinds = 1024;

class KindBreakers {
 public:
  // Copies `config`; throws libbackoff's own error (BACKOFF_EINVAL naming the parameters) for a
  // configuration backoff_breaker_new() would refuse.
  explicit KindBreakers(const backoff_breaker_config& config);

  // A permit to run a job of `type`, or 0 and how long its breaker stays open (0 when half-open with
  // its probe taken; INT64_MAX when isolated).
  struct Admission {
    std::uint64_t permit;
    std::int64_t wait_ns;
  };
  Admission admit(const char* type);

  // Reports a handler's result (a backoff_attempt) under its permit: success closes the circuit, a
  // retryable failure counts against it, and a permanent failure counts as neither (a job that cannot
  // succeed, such as a bad payload, says nothing about the health of what its type calls). took_ns and
  // hint_ns are >= 0.
  void record(const char* type, std::uint64_t permit, int attempt, std::int64_t took_ns, std::int64_t hint_ns);

 private:
  std::unique_ptr<backoff_breaker_pool, void (*)(backoff_breaker_pool*)> pool_;
};

}  // namespace backoff::jobs
