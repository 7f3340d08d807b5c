// Jitter: every draw within its mode's bounds, the cap applied after jitter, and the distributions'
// shape over 100k draws. The seeds are fixed, so these statistical checks cannot flake.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "backoff/policy.hpp"
#include "config_text.hpp"
#include "test_time.hpp"

using backoff_test::kMs;
using backoff_test::kSecond;
using backoff::Policy;
using backoff_test::policy_from_text;

namespace {

constexpr int kDraws = 100'000;

struct Summary {
  double mean = 0;
  double below_quarter = 0;  // the share of draws below lo + (hi - lo) / 4
  std::int64_t min = INT64_MAX, max = 0;
};

// Summarises kDraws delays of `policy` at `attempt`, one per key: the stateless form's random axis.
Summary summarise_keys(const Policy& policy, std::uint64_t attempt, std::int64_t lo, std::int64_t hi) {
  Summary summary;
  for (std::uint64_t key = 0; key < kDraws; ++key) {
    const std::int64_t delay = policy.delay(attempt, key).ns();
    summary.mean += static_cast<double>(delay) / kDraws;
    summary.below_quarter += delay < lo + (hi - lo) / 4 ? 1.0 / kDraws : 0.0;
    summary.min = std::min(summary.min, delay);
    summary.max = std::max(summary.max, delay);
  }
  return summary;
}

}  // namespace

TEST_CASE("every jittered delay lies within its mode's bounds", "[jitter]") {
  const std::string shape = "initial=100ms,multiplier=2,cap=10s,seed=42,randomization_factor=0.5,jitter=";
  const Policy full = policy_from_text(shape + "full");
  const Policy equal = policy_from_text(shape + "equal");
  const Policy randomized = policy_from_text(shape + "randomization");
  for (std::uint64_t attempt = 0; attempt < 12; ++attempt) {
    const std::int64_t base = full.base_delay(attempt);  // a multiple of 100 ms: bounds are exact
    for (std::uint64_t key = 0; key < 2'000; ++key) {
      CAPTURE(attempt, key, base);
      const std::int64_t f = full.delay(attempt, key).ns(), e = equal.delay(attempt, key).ns();
      const std::int64_t r = randomized.delay(attempt, key).ns();
      REQUIRE((0 <= f && f <= base));
      REQUIRE((base / 2 <= e && e <= base));
      REQUIRE((base / 2 <= r && r <= std::min(10 * kSecond, base * 3 / 2)));
    }
  }
}

TEST_CASE("decorrelated delays lie between initial and the envelope", "[jitter]") {
  const Policy policy = policy_from_text("kind=decorrelated,initial=100ms,multiplier=3,cap=20s,seed=7");
  std::int64_t uncapped = 100 * kMs;
  for (std::uint64_t attempt = 0; attempt < 10; ++attempt) {
    uncapped *= 3;
    const std::int64_t envelope = std::min(20 * kSecond, uncapped);
    for (std::uint64_t key = 0; key < 2'000; ++key) {
      const std::int64_t delay = policy.delay(attempt, key).ns();
      CAPTURE(attempt, key);
      REQUIRE((100 * kMs <= delay && delay <= envelope));
    }
  }
}

TEST_CASE("the cap applies after jitter: a randomized delay never exceeds it", "[jitter][cap]") {
  // U(0.5 s, 1.5 s) cut at the 1.2 s cap: uniform on [0.5 s, 1.2 s], not a pile of draws at the cap.
  const Policy policy = policy_from_text("kind=constant,initial=1s,cap=1200ms,jitter=randomization,seed=3");
  std::int64_t max = 0;
  int above_base = 0, at_cap = 0;
  for (std::uint64_t key = 0; key < kDraws; ++key) {
    const std::int64_t delay = policy.delay(0, key).ns();
    REQUIRE(delay <= 1200 * kMs);
    REQUIRE(delay >= 500 * kMs);
    max = std::max(max, delay);
    above_base += delay > 1 * kSecond;
    at_cap += delay == 1200 * kMs;
  }
  CHECK(max > 1199 * kMs);
  CHECK(above_base / double(kDraws) == Approx(0.2 / 0.7).margin(0.01));
  CHECK(at_cap < 10);
}

TEST_CASE("full jitter's mean is within 2% of d/2 over 100k draws", "[jitter][distribution]") {
  const Policy policy = policy_from_text("kind=constant,initial=1s,jitter=full,seed=42");
  const Summary summary = summarise_keys(policy, 3, 0, 1 * kSecond);
  CHECK(summary.mean == Approx(0.5 * kSecond).epsilon(0.02));
  CHECK(summary.below_quarter == Approx(0.25).margin(0.01));
  CHECK(summary.min < 1 * kMs);
  CHECK(summary.max > 999 * kMs);
}

TEST_CASE("full jitter is uniform along the attempts of one key too", "[jitter][distribution]") {
  const Policy policy = policy_from_text("kind=constant,initial=1s,jitter=full,seed=42");
  double mean = 0;
  for (std::uint64_t attempt = 0; attempt < kDraws; ++attempt) {
    mean += static_cast<double>(policy.delay(attempt, 0).ns()) / kDraws;
  }
  CHECK(mean == Approx(0.5 * kSecond).epsilon(0.02));
}

TEST_CASE("equal jitter's mean is about 3d/4", "[jitter][distribution]") {
  const Policy policy = policy_from_text("kind=constant,initial=1s,jitter=equal,seed=42");
  const Summary summary = summarise_keys(policy, 0, 500 * kMs, 1 * kSecond);
  CHECK(summary.mean == Approx(0.75 * kSecond).epsilon(0.02));
  CHECK(summary.below_quarter == Approx(0.25).margin(0.01));
  CHECK(summary.min >= 500 * kMs);
  CHECK(summary.min < 501 * kMs);
}

TEST_CASE("a randomization factor keeps the mean at d and spreads by the factor", "[jitter][distribution]") {
  for (double factor : {0.1, 0.5, 1.0}) {
    CAPTURE(factor);
    const Policy policy = policy_from_text("kind=constant,initial=1s,cap=1h,jitter=randomization,seed=9,"
                                           "randomization_factor=" + std::to_string(factor));
    const std::int64_t lo = std::llround((1 - factor) * kSecond), hi = std::llround((1 + factor) * kSecond);
    const Summary summary = summarise_keys(policy, 0, lo, hi);
    CHECK(summary.mean == Approx(1.0 * kSecond).epsilon(0.02));
    CHECK(summary.below_quarter == Approx(0.25).margin(0.01));
    CHECK(summary.min >= lo);
    CHECK(summary.max <= hi);
  }
  const Policy no_spread =
      policy_from_text("kind=constant,initial=1s,jitter=randomization,randomization_factor=0,seed=9");
  for (std::uint64_t key = 0; key < 1'000; ++key) REQUIRE(no_spread.delay(0, key).ns() == 1 * kSecond);
}

TEST_CASE("at the cap, randomization factor 1 spreads over [0, cap]", "[jitter][cap]") {
  const Policy policy = policy_from_text("initial=1s,cap=1s,jitter=randomization,randomization_factor=1,seed=5");
  const Summary summary = summarise_keys(policy, 10, 0, 1 * kSecond);
  CHECK(summary.mean == Approx(0.5 * kSecond).epsilon(0.02));
  CHECK(summary.max <= 1 * kSecond);
}
