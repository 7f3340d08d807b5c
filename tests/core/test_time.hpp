// Most core tests count time in int64 nanoseconds (kSecond, kMs); the core takes Instant and Duration.
// These two turn a count into either, so a test reads `acquire_at(at(2 * kSecond))`.
#pragma once

#include <cstdint>

#include "backoff/duration.hpp"

namespace backoff_test {

// The clock reading `now_ns` nanoseconds after the clock's zero.
constexpr backoff::Instant at(std::int64_t now_ns) { return backoff::Instant::from_ns(now_ns); }
// A length of `count` nanoseconds.
constexpr backoff::Duration ns(std::int64_t count) { return backoff::nanoseconds(count); }

}  // namespace backoff_test
