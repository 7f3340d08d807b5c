// Time in the sequence targets (state, breaker, budget, retrier): int64 nanoseconds that saturate rather
// than wrap, and the injected clock they drive through the `_with_clock` constructors.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "fuzz_input.hpp"

namespace backoff_fuzz {

constexpr std::int64_t kMaxNs = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMinNs = std::numeric_limits<std::int64_t>::min();

// a + b, clamped to [kMinNs, kMaxNs]: a run's times creep and jump without overflowing.
inline std::int64_t plus(std::int64_t a, std::int64_t b) {
  std::int64_t sum;
  return __builtin_add_overflow(a, b, &sum) ? (b > 0 ? kMaxNs : kMinNs) : sum;
}

// A clock that reads whatever the run last set; backoff_clock_fn's `self` is the FuzzClock.
struct FuzzClock {
  std::int64_t now_ns = 0;
  static std::int64_t read(void* self) { return static_cast<FuzzClock*>(self)->now_ns; }
};

// Moves a run's step to `now`: sets the injected clock, raises `latest` (the latest time the run has
// seen), and draws whether the step reads the clock (one in four) or is handed `now` explicitly.
inline bool step_to(FuzzInput& input, std::int64_t now, FuzzClock* clock, std::int64_t* latest) {
  const bool on_clock = input.below(4) == 0;
  clock->now_ns = now;
  *latest = std::max(*latest, now);
  return on_clock;
}

}  // namespace backoff_fuzz
