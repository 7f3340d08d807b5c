// Most core tests count time in int64 nanoseconds (kSecond, kMs); the core takes Instant and Duration.
// These two turn a count into either, so a test reads `acquire_at(at(2 * kSecond))`; and a failed CHECK
// prints a Duration or an Instant as its nanoseconds. Every test file that compares them includes this.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>

#include "backoff/duration.hpp"

namespace backoff_test {

// Counts of nanoseconds, and the ends of their range.
constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

// The clock reading `now_ns` nanoseconds after the clock's zero.
constexpr backoff::Instant at(std::int64_t now_ns) { return backoff::Instant::from_ns(now_ns); }
// A length of `count` nanoseconds.
constexpr backoff::Duration ns(std::int64_t count) { return backoff::nanoseconds(count); }

}  // namespace backoff_test

namespace Catch {

template <>
struct StringMaker<backoff::Duration> {
  static std::string convert(backoff::Duration d) { return std::to_string(d.ns()) + " ns"; }
};
template <>
struct StringMaker<backoff::Instant> {
  static std::string convert(backoff::Instant t) { return "t=" + std::to_string(t.ns()) + " ns"; }
};

}  // namespace Catch
