// Saturating nanosecond arithmetic: sums and products clamp to INT64_MAX instead of wrapping, and doubles
// round to the nearest nanosecond without ever converting an out-of-range value.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include "backoff/saturating.hpp"

using backoff::kMaxNs;
using backoff::saturating_round;
using backoff::saturating_add;
using backoff::saturating_mul;

namespace {

// Edge values and their neighbours: where wrapping bugs live.
std::vector<std::int64_t> edge_values() {
  std::vector<std::int64_t> values = {0, 1, 2, 3, 7, 1'000'000'000, 3'037'000'499, 3'037'000'500,
                                      kMaxNs / 2, kMaxNs / 2 + 1, kMaxNs / 3, kMaxNs - 1, kMaxNs};
  for (int bit = 0; bit < 63; ++bit) {
    const std::int64_t power = std::int64_t{1} << bit;
    values.insert(values.end(), {power - 1, power, power + 1});
  }
  return values;
}

}  // namespace

TEST_CASE("adding past INT64_MAX saturates", "[saturating]") {
  static_assert(saturating_add(kMaxNs, 1) == kMaxNs, "usable at compile time");
  CHECK(saturating_add(0, 0) == 0);
  CHECK(saturating_add(2, 3) == 5);
  CHECK(saturating_add(kMaxNs - 5, 5) == kMaxNs);
  CHECK(saturating_add(kMaxNs - 5, 6) == kMaxNs);
  CHECK(saturating_add(kMaxNs, kMaxNs) == kMaxNs);
  CHECK(saturating_add(0, kMaxNs) == kMaxNs);
}

TEST_CASE("a sum is exact below INT64_MAX and INT64_MAX above, for every pair of edge values", "[saturating]") {
  const std::vector<std::int64_t> values = edge_values();
  for (std::int64_t a : values) {
    for (std::int64_t b : values) {
      // Two int64 values >= 0 add without wrapping in uint64: an independent oracle.
      const std::uint64_t exact = static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b);
      const std::int64_t expected =
          exact > static_cast<std::uint64_t>(kMaxNs) ? kMaxNs : static_cast<std::int64_t>(exact);
      CAPTURE(a, b);
      CHECK(saturating_add(a, b) == expected);
    }
  }
}

TEST_CASE("multiplying past INT64_MAX saturates", "[saturating]") {
  static_assert(saturating_mul(3'000'000'000, std::uint64_t{1} << 40) == kMaxNs, "usable at compile time");
  CHECK(saturating_mul(0, UINT64_MAX) == 0);
  CHECK(saturating_mul(kMaxNs, 0) == 0);
  CHECK(saturating_mul(1, UINT64_MAX) == kMaxNs);
  CHECK(saturating_mul(kMaxNs, 1) == kMaxNs);
  CHECK(saturating_mul(kMaxNs / 7, 7) == kMaxNs / 7 * 7);
  CHECK(saturating_mul(kMaxNs / 7, 8) == kMaxNs);
  CHECK(saturating_mul(std::int64_t{1} << 31, std::uint64_t{1} << 31) == std::int64_t{1} << 62);
  CHECK(saturating_mul(std::int64_t{1} << 32, std::uint64_t{1} << 31) == kMaxNs);
  CHECK(saturating_mul(2, std::uint64_t{1} << 63) == kMaxNs);  // the uint64 factor alone exceeds INT64_MAX
}

TEST_CASE("a product is exact below INT64_MAX and INT64_MAX above, for every pair of edge values",
          "[saturating]") {
  const std::vector<std::int64_t> values = edge_values();
  std::vector<std::uint64_t> factors(values.begin(), values.end());
  factors.insert(factors.end(), {std::uint64_t{1} << 63, UINT64_MAX - 1, UINT64_MAX});
  for (std::int64_t a : values) {
    for (std::uint64_t n : factors) {
      std::int64_t exact = 0;
      const bool overflows = __builtin_mul_overflow(a, n, &exact);  // the compiler's checked multiply
      CAPTURE(a, n);
      CHECK(saturating_mul(a, n) == (overflows ? kMaxNs : exact));
    }
  }
}

// saturating_round is the library's one double -> nanoseconds rule: the policy's growth and jitter, hints
// and every binding's seconds go through it.
TEST_CASE("doubles round to the nearest nanosecond, halves away from zero", "[saturating]") {
  CHECK(saturating_round(0.0) == 0);
  CHECK(saturating_round(0.49999999999999994) == 0);  // adding 0.5 first would give 1
  CHECK(saturating_round(0.5) == 1);
  CHECK(saturating_round(1.5) == 2);
  CHECK(saturating_round(2.5) == 3);
  CHECK(saturating_round(-2.5) == -3);
  CHECK(saturating_round(1e9) == 1'000'000'000);
  CHECK(saturating_round(4503599627370497.0) == 4503599627370497);  // 2^52 + 1: adding 0.5 would give + 2
  CHECK(saturating_round(9007199254740992.0) == 9007199254740992);  // 2^53
}

TEST_CASE("doubles outside int64 clamp instead of converting", "[saturating]") {
  const double two_pow_63 = 9223372036854775808.0;
  CHECK(saturating_round(std::numeric_limits<double>::quiet_NaN()) == 0);
  CHECK(saturating_round(-0.0) == 0);
  CHECK(saturating_round(1e-300) == 0);
  CHECK(saturating_round(std::numeric_limits<double>::infinity()) == kMaxNs);
  CHECK(saturating_round(1e300) == kMaxNs);
  CHECK(saturating_round(two_pow_63) == kMaxNs);  // double(INT64_MAX) itself
  CHECK(saturating_round(std::nextafter(two_pow_63, 0.0)) == kMaxNs - 1023);  // the last double below 2^63
  CHECK(saturating_round(-two_pow_63) == std::numeric_limits<std::int64_t>::min());  // exactly INT64_MIN fits
  CHECK(saturating_round(-std::numeric_limits<double>::infinity()) == std::numeric_limits<std::int64_t>::min());
}
