// A job's retry policy as stored with it: every parameter of the libbackoff policy by its backoff.h
// name, "kind=2 initial=1000000000 ... seed=42", written and read through libbackoff's own parameter
// vocabulary (backoff_param_name, backoff_param_type, the typed getters and setters), so a parameter
// added to libbackoff is stored without a change here. The retry decision itself is libbackoff's:
// backoff_policy_delay_hinted on the rebuilt policy.
#pragma once

#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>

#include "backoff.h"

namespace backoff::jobs {

// The stored form of a policy handle.
std::string policy_text(const backoff_policy* policy);

// The policy of a job that names none and whose queue has none: exponential from 1 s doubling to 1 h,
// full jitter, 25 attempts. Its seed is fixed (0): the job id, the key, spreads the jitter.
const std::string& default_policy_text();

// The max_attempts a stored policy carries.
std::int64_t policy_max_attempts(const std::string& text);

// A policy handle rebuilt from its stored form, with max_attempts replaced. Throws
// JobsError(BACKOFF_EINVAL) for text libbackoff rejects. The caller frees it.
backoff_policy* policy_from_text(const std::string& text, std::int64_t max_attempts);

// Rebuilt policies, kept by text: a worker failing many jobs of one queue builds its policy once.
class PolicyCache {
 public:
  PolicyCache() = default;
  PolicyCache(const PolicyCache&) = delete;
  PolicyCache& operator=(const PolicyCache&) = delete;
  ~PolicyCache();

  // The engine's delay for retrying a job after its failed attempt `attempt` (1 = its first run):
  // backoff_policy_delay_hinted(policy, attempt - 1, key = job id, elapsed, hint), or BACKOFF_STOP.
  std::int64_t retry_delay(const std::string& text, std::int64_t max_attempts, std::int64_t attempt,
                           std::int64_t job_id, std::int64_t elapsed_ns, std::int64_t hint_ns);

 private:
  static constexpr std::size_t kCapacity = 64;
  std::list<std::string> order_;  // oldest first
  std::unordered_map<std::string, backoff_policy*> policies_;
};

}  // namespace backoff::jobs
