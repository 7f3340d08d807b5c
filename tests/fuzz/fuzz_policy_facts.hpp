// What a policy says about itself through its getters, and the documented rules its delays must obey.
//
// The fuzz targets judge every delay against backoff.h's documentation, not against the engine's code:
// the bounds of each jitter mode, the schedule formula of each kind (within the rounding the header
// allows), the stop rules of MAX_ATTEMPTS and MAX_ELAPSED combined as STOP_WHEN says, and 0 <= delay <= cap.
#pragma once

#include <cstdint>

#include "backoff.h"

namespace backoff_fuzz {

struct PolicyFacts {
  std::int64_t kind = 0;
  std::int64_t initial_ns = 0;
  std::int64_t increment_ns = 0;
  std::int64_t cap_ns = 0;
  std::int64_t jitter = 0;
  std::int64_t max_attempts = 0;
  std::int64_t max_elapsed_ns = 0;
  std::int64_t stop_when = 0;
  double multiplier = 0;
  double randomization_factor = 0;
  std::uint64_t seed = 0;
};

// Reads every parameter back, checking that each getter works, that the wrong getter is refused, and
// that the values are inside their documented domains (cap >= initial, multiplier >= 1, ...).
PolicyFacts read_policy_facts(const backoff_policy* policy);

// Every parameter equal; the seed only when `compare_seed` (unseeded policies draw their own).
bool same_facts(const PolicyFacts& a, const PolicyFacts& b, bool compare_seed);

// True when MAX_ATTEMPTS stops retry number `attempt` whatever the elapsed time: it is reached (it counts
// the first call: retry `attempt`, 0-based, is the (attempt + 2)-th call) and, under STOP_WHEN all,
// MAX_ELAPSED is not set.
bool attempts_exhausted(const PolicyFacts& facts, std::uint64_t attempt);

// True when waiting `delay_ns` after `elapsed_ns` (negative counts as 0) would pass MAX_ELAPSED and, under
// STOP_WHEN all, MAX_ATTEMPTS (when set) is reached at retry `attempt` too.
bool passes_max_elapsed(const PolicyFacts& facts, std::uint64_t attempt, std::int64_t elapsed_ns,
                        std::int64_t delay_ns);

// Checks backoff_policy_base_delay() for `attempt` against the kind's formula and returns it.
std::int64_t check_base_delay(const PolicyFacts& facts, const backoff_policy* policy, std::uint64_t attempt);

// The values a draw may take for the base delay `base_ns`, widened by the rounding the engine may do.
// For a decorrelated policy the draw is U(initial, base): pass the upper end as base.
struct DrawRange {
  long double lowest;
  long double highest;
  bool contains(std::int64_t delay_ns) const { return delay_ns >= lowest && delay_ns <= highest; }
};
DrawRange draw_range(const PolicyFacts& facts, long double base_ns);

}  // namespace backoff_fuzz
