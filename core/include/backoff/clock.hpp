// An injectable clock: a plain function pointer plus user data, so the C ABI can pass its callback
// straight through and tests can drive time by hand.
#pragma once

#include <cstdint>

#include "backoff/duration.hpp"

namespace backoff {

// Nanoseconds from the monotonic clock (std::chrono::steady_clock). Never the wall clock: a wall-clock
// step would stretch or cut every wait.
std::int64_t monotonic_now_ns() noexcept;

// The callback speaks int64 nanoseconds, as the C ABI does; now() hands the core an Instant.
struct Clock {
  using NowFn = std::int64_t (*)(void* user_data);

  NowFn now_fn = nullptr;  // nullptr = the monotonic clock
  void* user_data = nullptr;

  Instant now() const { return Instant::from_ns(now_fn ? now_fn(user_data) : monotonic_now_ns()); }
};

}  // namespace backoff
