// The overflow matrix: for every kind, jitter mode and extreme shape, and for attempts from 0 to 2^64 - 1,
// every delay lies in [0, cap], never wraps, and the schedule before jitter never shrinks.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include "backoff/config.hpp"
#include "backoff/policy.hpp"
#include "test_time.hpp"

using backoff_test::kMax;
using backoff_test::kSecond;
using backoff::Config;
using backoff::Kind;
using backoff::Jitter;
using backoff::Param;
using backoff::Policy;

namespace {


struct Shape {
  std::int64_t initial_ns;
  double multiplier;
  std::int64_t increment_ns;
  std::int64_t cap_ns;
};

// Shapes at the edges of every parameter's domain.
constexpr Shape kShapes[] = {
    {1, 2.0, 1, kMax},                         // growth all the way to INT64_MAX
    {kMax, 2.0, kMax, kMax},                   // initial = cap = INT64_MAX
    {1, 1e300, kMax, kMax},                    // the first multiplication passes every cap
    {kSecond / 10, 2.0, kSecond, 60 * kSecond},               // an ordinary schedule
    {kSecond, 1.0000000000000002, 1, kMax},         // the smallest multiplier above 1
    {kMax - 1, 1.0000001, 1, kMax},            // one step from INT64_MAX
    {7, 3.0, 0, 7},                            // initial = cap, small
    {3, 1.0, kMax / 2 + 1, kMax},              // no growth by multiplying; linear passes INT64_MAX at once
};

// Attempts 0..130, every power of two and its neighbours, and the largest values.
std::vector<std::uint64_t> attempts() {
  std::vector<std::uint64_t> result;
  for (std::uint64_t n = 0; n <= 130; ++n) result.push_back(n);
  for (int bit = 1; bit < 64; ++bit) {
    const std::uint64_t power = std::uint64_t{1} << bit;
    result.insert(result.end(), {power - 1, power, power + 1});
  }
  result.insert(result.end(), {1'000'000'000'000ull, 1'000'000'000'000'000ull, 1'000'000'000'000'000'000ull,
                               UINT64_MAX - 1, UINT64_MAX});
  std::sort(result.begin(), result.end());
  result.erase(std::unique(result.begin(), result.end()), result.end());
  return result;
}

Policy make_policy(Kind kind, Jitter jitter, const Shape& shape, double factor) {
  Config config;
  config.set_i64(Param::kind, static_cast<std::int64_t>(kind));
  config.set_i64(Param::jitter, static_cast<std::int64_t>(jitter));
  config.set_i64(Param::initial, shape.initial_ns);
  config.set_f64(Param::multiplier, shape.multiplier);
  config.set_i64(Param::increment, shape.increment_ns);
  config.set_i64(Param::cap, shape.cap_ns);
  config.set_f64(Param::randomization_factor, factor);
  config.set_i64(Param::max_elapsed, kMax);
  config.set_u64(Param::seed, 0x5eed);
  return Policy(config);
}

}  // namespace

TEST_CASE("every delay lies in [0, cap] for every configuration and attempt up to 2^64 - 1", "[overflow]") {
  const std::vector<std::uint64_t> all_attempts = attempts();
  const std::uint64_t keys[] = {0, 1, UINT64_MAX};
  long checked = 0;
  for (Kind kind : {Kind::constant, Kind::linear, Kind::exponential, Kind::decorrelated}) {
    for (Jitter jitter : {Jitter::none, Jitter::full, Jitter::equal, Jitter::randomization}) {
      for (const Shape& shape : kShapes) {
        for (double factor : {0.5, 1.0}) {
          const Policy policy = make_policy(kind, jitter, shape, factor);
          const std::int64_t floor = kind == Kind::decorrelated ? shape.initial_ns : 0;
          for (std::uint64_t attempt : all_attempts) {
            for (std::uint64_t key : keys) {
              const std::int64_t delay = policy.delay(attempt, key).ns();
              if (delay < floor || delay > shape.cap_ns) {
                FAIL("kind " << int(kind) << " jitter " << int(jitter) << " initial " << shape.initial_ns
                             << " multiplier " << shape.multiplier << " cap " << shape.cap_ns << " attempt "
                             << attempt << " key " << key << ": delay " << delay);
              }
              // max_elapsed is INT64_MAX: elapsed INT64_MAX - 1 plus the delay must saturate and stop for
              // any delay above 1 ns, not wrap into a negative sum that lets the retry through.
              if (policy.delay_within(attempt, key, backoff::nanoseconds(kMax - 1)).ns() != (delay > 1 ? backoff::kStop : delay)) {
                FAIL("delay_within at elapsed INT64_MAX - 1, attempt " << attempt << ", delay " << delay);
              }
              ++checked;
            }
          }
        }
      }
    }
  }
  CHECK(checked == 4L * 4 * 8 * 2 * static_cast<long>(all_attempts.size()) * 3);
}

TEST_CASE("the schedule before jitter never shrinks as the attempt grows", "[overflow]") {
  const std::vector<std::uint64_t> all_attempts = attempts();  // sorted
  for (Kind kind : {Kind::constant, Kind::linear, Kind::exponential, Kind::decorrelated}) {
    for (const Shape& shape : kShapes) {
      const Policy policy = make_policy(kind, Jitter::none, shape, 0.5);
      std::int64_t previous = 0;
      for (std::uint64_t attempt : all_attempts) {
        const std::int64_t base = policy.base_delay(attempt);
        CAPTURE(int(kind), shape.initial_ns, shape.multiplier, attempt);
        REQUIRE(base >= previous);
        REQUIRE(base <= shape.cap_ns);
        previous = base;
      }
    }
  }
}

TEST_CASE("growing schedules reach the cap by attempt 2^64 - 1", "[overflow]") {
  for (const Shape& shape : kShapes) {
    CAPTURE(shape.initial_ns, shape.multiplier);
    if (shape.multiplier > 1.0) {
      CHECK(make_policy(Kind::exponential, Jitter::none, shape, 0.5).delay(UINT64_MAX, 0).ns() == shape.cap_ns);
    }
    if (shape.increment_ns > 0) {
      CHECK(make_policy(Kind::linear, Jitter::none, shape, 0.5).delay(UINT64_MAX, 0).ns() == shape.cap_ns);
    }
  }
}

TEST_CASE("multiplier 1e300 saturates at the cap from the second attempt", "[overflow]") {
  const Policy policy = make_policy(Kind::exponential, Jitter::none, {1, 1e300, 0, kMax}, 0.5);
  CHECK(policy.delay(0, 0).ns() == 1);
  CHECK(policy.delay(1, 0).ns() == kMax);
  CHECK(policy.delay(2, 0).ns() == kMax);
  CHECK(policy.delay(UINT64_MAX, 0).ns() == kMax);
}

TEST_CASE("initial = cap = INT64_MAX gives INT64_MAX for every kind and attempt", "[overflow]") {
  for (Kind kind : {Kind::constant, Kind::linear, Kind::exponential, Kind::decorrelated}) {
    const Policy policy = make_policy(kind, Jitter::none, {kMax, 2.0, kMax, kMax}, 0.5);
    for (std::uint64_t attempt : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{64}, UINT64_MAX}) {
      CAPTURE(int(kind), attempt);
      CHECK(policy.delay(attempt, 0).ns() == kMax);
    }
  }
}
