// Saturating arithmetic on int64 nanoseconds.
//
// Every duration in the core is a non-negative int64 count of nanoseconds. A sum or product that would
// pass INT64_MAX clamps to INT64_MAX instead of wrapping: wrapping is how cenkalti/backoff and others
// produced negative delays. Callers then clamp to the policy's cap.
//
//   saturating_add(INT64_MAX, 1)            -> INT64_MAX
//   saturating_mul(3'000'000'000, 1ull<<40) -> INT64_MAX
//   time_between(-5, INT64_MAX)             -> INT64_MAX
//   saturating_round(2.5)                   -> 3
//   saturating_round(1e300)                 -> INT64_MAX
//   saturating_round(NaN)                   -> 0        (callers validate before; this is the last guard)
#pragma once

#include <cstdint>
#include <limits>

namespace backoff {

constexpr std::int64_t kMaxNs = std::numeric_limits<std::int64_t>::max();

// a + b for a, b >= 0.
constexpr std::int64_t saturating_add(std::int64_t a, std::int64_t b) noexcept {
  return a > kMaxNs - b ? kMaxNs : a + b;
}

// to - from: the time from one clock reading to a later one; 0 if the clock went backwards (to <= from),
// INT64_MAX if the difference does not fit (from negative, to near INT64_MAX).
constexpr std::int64_t time_between(std::int64_t from, std::int64_t to) noexcept {
  if (to <= from) return 0;
  return from < 0 && to > kMaxNs + from ? kMaxNs : to - from;
}

// a * n for a >= 0.
constexpr std::int64_t saturating_mul(std::int64_t a, std::uint64_t n) noexcept {
  if (a == 0 || n == 0) return 0;
  return n > static_cast<std::uint64_t>(kMaxNs / a) ? kMaxNs : a * static_cast<std::int64_t>(n);
}

// Rounds a double to the nearest int64, halves away from zero, clamping to [INT64_MIN, INT64_MAX]; NaN
// gives 0. The one rule by which a double becomes nanoseconds (delays, hints, Python's seconds, Duration's
// products) or milli-tokens. The bounds are compared as doubles with `<` and `>=` because double(INT64_MAX)
// rounds up to 2^63, which does not fit: converting it would be undefined behaviour. The fraction is
// compared rather than adding 0.5 and truncating, which is inexact: 2^52 + 1 plus 0.5 is a tie that rounds
// to 2^52 + 2, and 0.49999999999999994 plus 0.5 rounds to 1.
constexpr std::int64_t saturating_round(double x) noexcept {
  if (x >= 0.0) {  // delays, hints and tokens: the path the policy takes on every draw, kept short
    if (!(x < 9223372036854775808.0)) return kMaxNs;
    const std::int64_t whole = static_cast<std::int64_t>(x);  // truncates; every double from 2^52 on is whole
    return whole + (x - static_cast<double>(whole) >= 0.5 ? 1 : 0);  // the subtraction is exact
  }
  if (!(x >= -9223372036854775808.0)) return x == x ? std::numeric_limits<std::int64_t>::min() : 0;  // NaN: 0
  const std::int64_t whole = static_cast<std::int64_t>(x);
  return whole - (static_cast<double>(whole) - x >= 0.5 ? 1 : 0);
}

}  // namespace backoff
