// Policy, the stateless form: schedules against hand-computed values, max attempts and max elapsed,
// determinism, and reading parameters back. Jitter is in jitter_test.cpp, extremes in overflow_test.cpp.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "backoff/policy.hpp"
#include "backoff/status.hpp"
#include "config_text.hpp"
#include "test_time.hpp"

using backoff_test::kMs;
using backoff_test::kSecond;
using backoff::kStop;
using backoff::Policy;
using backoff_test::policy_from_text;

namespace {

constexpr std::uint64_t kHugeAttempts[] = {1'000'000'000'000ull, 1ull << 63, UINT64_MAX};

std::vector<std::int64_t> delays(const Policy& policy, std::uint64_t key, std::uint64_t count) {
  std::vector<std::int64_t> result;
  for (std::uint64_t attempt = 0; attempt < count; ++attempt) result.push_back(policy.delay(attempt, key).ns());
  return result;
}

// The first waits of an unjittered policy are `expected`, and every later retry, however far, waits the last.
void check_schedule(const char* text, const std::vector<std::int64_t>& expected) {
  const Policy policy = policy_from_text(text);
  CHECK(delays(policy, 0, expected.size()) == expected);
  for (std::uint64_t attempt : kHugeAttempts) CHECK(policy.delay(attempt, 0).ns() == expected.back());
}

int count_differences(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  int differences = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differences += a[i] != b[i];
  return differences;
}

}  // namespace

TEST_CASE("a constant policy waits the same every time", "[policy][schedule]") {
  check_schedule("kind=constant,initial=250ms,jitter=none", std::vector<std::int64_t>(5, 250 * kMs));
}

TEST_CASE("zero backoff waits 0 with every jitter mode", "[policy][schedule]") {
  for (const char* jitter : {"none", "full", "equal", "randomization"}) {
    CAPTURE(jitter);
    const Policy policy = policy_from_text(std::string("kind=constant,initial=0,seed=1,jitter=") + jitter);
    CHECK(delays(policy, 3, 100) == std::vector<std::int64_t>(100, 0));
    CHECK(policy.delay(UINT64_MAX, 3).ns() == 0);
  }
}

TEST_CASE("a linear policy adds the increment until the cap", "[policy][schedule]") {
  check_schedule("kind=linear,initial=1s,increment=500ms,cap=4s,jitter=none",
                 {1000 * kMs, 1500 * kMs, 2000 * kMs, 2500 * kMs, 3000 * kMs, 3500 * kMs, 4000 * kMs, 4000 * kMs});
}

TEST_CASE("an exponential policy doubles 100ms until the cap", "[policy][schedule]") {
  check_schedule("kind=exponential,initial=100ms,multiplier=2,cap=10s,jitter=none",
                 {100 * kMs, 200 * kMs, 400 * kMs, 800 * kMs, 1600 * kMs, 3200 * kMs, 6400 * kMs, 10000 * kMs});
}

TEST_CASE("the default exponential schedule is the one the header's table shows", "[policy][schedule]") {
  const Policy policy = policy_from_text("jitter=none");
  const std::vector<std::int64_t> expected = {100 * kMs,   200 * kMs,   400 * kMs,   800 * kMs,
                                              1600 * kMs,  3200 * kMs,  6400 * kMs,  12800 * kMs,
                                              25600 * kMs, 51200 * kMs, 60000 * kMs, 60000 * kMs};
  CHECK(delays(policy, 0, 12) == expected);
}

TEST_CASE("a fractional multiplier grows exactly", "[policy][schedule]") {
  const Policy policy = policy_from_text("initial=1s,multiplier=1.5,cap=1h,jitter=none");
  const std::vector<std::int64_t> expected = {1'000'000'000, 1'500'000'000, 2'250'000'000, 3'375'000'000,
                                              5'062'500'000, 7'593'750'000, 11'390'625'000};
  CHECK(delays(policy, 0, 7) == expected);
}

TEST_CASE("multiplier 1 keeps an exponential policy constant", "[policy][schedule]") {
  const Policy policy = policy_from_text("initial=300ms,multiplier=1,cap=1h,jitter=none");
  CHECK(delays(policy, 0, 64) == std::vector<std::int64_t>(64, 300 * kMs));
  for (std::uint64_t attempt : kHugeAttempts) CHECK(policy.delay(attempt, 0).ns() == 300 * kMs);
}

TEST_CASE("the base delay is the schedule before jitter", "[policy][schedule]") {
  const Policy jittered = policy_from_text("initial=100ms,cap=10s,jitter=full,seed=1");
  const Policy plain = policy_from_text("initial=100ms,cap=10s,jitter=none");
  for (std::uint64_t attempt = 0; attempt < 80; ++attempt) {
    CHECK(jittered.base_delay(attempt) == plain.delay(attempt, 0).ns());
  }
  // A decorrelated policy's base delay is the envelope initial * multiplier^(n+1), capped.
  const Policy decorrelated = policy_from_text("kind=decorrelated,initial=100ms,multiplier=3,cap=20s,seed=1");
  const std::vector<std::int64_t> envelope = {300 * kMs, 900 * kMs, 2700 * kMs, 8100 * kMs, 20000 * kMs};
  for (std::uint64_t attempt = 0; attempt < envelope.size(); ++attempt) {
    CHECK(decorrelated.base_delay(attempt) == envelope[attempt]);
  }
  CHECK(decorrelated.base_delay(UINT64_MAX) == 20 * kSecond);
}

TEST_CASE("max_attempts counts the first call and stops the retries after it", "[policy][stop]") {
  const Policy three = policy_from_text("kind=constant,initial=1s,jitter=none,max_attempts=3");
  CHECK(three.delay(0, 0).ns() == 1 * kSecond);
  CHECK(three.delay(1, 0).ns() == 1 * kSecond);
  CHECK(three.delay(2, 0).ns() == kStop);
  CHECK(three.delay(UINT64_MAX, 0).ns() == kStop);
  CHECK(policy_from_text("kind=constant,initial=1s,max_attempts=1").delay(0, 0).ns() == kStop);
  CHECK(policy_from_text("kind=constant,initial=1s,jitter=none,max_attempts=0").delay(UINT64_MAX, 0).ns() == 1 * kSecond);
  const Policy most = policy_from_text("kind=constant,initial=1s,jitter=none,max_attempts=9223372036854775807");
  CHECK(most.delay(9223372036854775805ull, 0).ns() == 1 * kSecond);
  CHECK(most.delay(9223372036854775806ull, 0).ns() == kStop);
}

TEST_CASE("delay_within stops when the wait would pass max_elapsed", "[policy][stop]") {
  const Policy policy = policy_from_text("kind=constant,initial=3s,jitter=none,max_elapsed=10s");
  CHECK(policy.delay_within(0, 0, backoff::nanoseconds(7 * kSecond)).ns() == 3 * kSecond);  // ends exactly at max_elapsed: allowed
  CHECK(policy.delay_within(0, 0, backoff::nanoseconds(7 * kSecond + 1)).ns() == kStop);
  CHECK(policy.delay_within(0, 0, backoff::nanoseconds(-5 * kSecond)).ns() == 3 * kSecond);  // a negative elapsed time counts as 0
  CHECK(policy.delay_within(0, 0, backoff::nanoseconds(std::numeric_limits<std::int64_t>::max())).ns() == kStop);
  const Policy unlimited = policy_from_text("kind=constant,initial=3s,jitter=none");
  CHECK(unlimited.delay_within(UINT64_MAX, 0, backoff::nanoseconds(std::numeric_limits<std::int64_t>::max())).ns() == 3 * kSecond);
  const Policy both = policy_from_text("kind=constant,initial=3s,jitter=none,max_elapsed=10s,max_attempts=2");
  CHECK(both.delay_within(1, 0, backoff::nanoseconds(0)).ns() == kStop);
}

TEST_CASE("delay_hinted floors the stateless delay with the hint, as the stateful form does", "[policy][hint]") {
  const Policy policy = policy_from_text("kind=exponential,initial=100ms,cap=10s,jitter=none,max_elapsed=30s,max_attempts=4");
  const auto hinted = [&](std::uint64_t attempt, std::int64_t elapsed_ns, std::int64_t hint_ns) {
    return policy.delay_hinted(attempt, 7, backoff::nanoseconds(elapsed_ns), backoff::nanoseconds(hint_ns)).ns();
  };
  CHECK(hinted(0, 0, 0) == 100 * kMs);         // no hint: delay_within
  CHECK(hinted(0, 0, 2 * kSecond) == 2 * kSecond);       // raised to the hint
  CHECK(hinted(1, 0, 3600 * kSecond) == 10 * kSecond);   // the hint, capped
  CHECK(hinted(2, 0, 1 * kMs) == 400 * kMs);   // a smaller hint changes nothing
  CHECK(hinted(0, 25 * kSecond, 5 * kSecond) == 5 * kSecond);  // ends exactly at max_elapsed: allowed
  CHECK(hinted(0, 25 * kSecond, 6 * kSecond) == kStop);  // the hint carries the wait past max_elapsed
  CHECK(hinted(3, 0, 0) == kStop);             // max_attempts
  CHECK_THROWS_AS(hinted(0, 0, -1), backoff::Error);
}

TEST_CASE("the same seed gives the same delays, bit for bit", "[policy][determinism]") {
  const char* const config = "initial=10ms,multiplier=1.7,cap=1h,jitter=full,seed=123456789";
  const Policy first = policy_from_text(config);
  const Policy second = policy_from_text(config);
  const Policy copy = first;
  for (std::uint64_t key : {std::uint64_t{0}, std::uint64_t{77}, UINT64_MAX}) {
    CHECK(delays(first, key, 200) == delays(second, key, 200));
    CHECK(delays(first, key, 200) == delays(copy, key, 200));
    CHECK(delays(first, key, 200) == delays(first, key, 200));
  }
}

TEST_CASE("different keys and different seeds draw different delays", "[policy][determinism]") {
  const Policy seed_1 = policy_from_text("kind=constant,initial=1s,jitter=full,seed=1");
  const Policy seed_2 = policy_from_text("kind=constant,initial=1s,jitter=full,seed=2");
  CHECK(count_differences(delays(seed_1, 0, 100), delays(seed_1, 1, 100)) >= 99);
  CHECK(count_differences(delays(seed_1, 0, 100), delays(seed_2, 0, 100)) >= 99);
  CHECK(count_differences(delays(seed_1, 5, 100), delays(seed_2, 5, 100)) >= 99);
}

TEST_CASE("unseeded policies draw different seeds, and a reported seed replays the delays",
          "[policy][determinism]") {
  const backoff::Config config = backoff_test::config_from_text("kind=constant,initial=1s,jitter=full");
  const Policy first(config), second(config);
  CHECK_FALSE(first.seeded());
  CHECK(first.seed() != second.seed());
  CHECK(count_differences(delays(first, 0, 100), delays(second, 0, 100)) >= 99);
  backoff::Config replay = config;
  replay.set_u64(backoff::Param::seed, first.get_u64(backoff::Param::seed));
  CHECK(delays(Policy(replay), 0, 100) == delays(first, 0, 100));
}

TEST_CASE("a policy reads its parameters back as it applies them", "[policy]") {
  const Policy policy = policy_from_text(
      "kind=linear,initial=2m,increment=1s,jitter=equal,randomization_factor=0.25,multiplier=3,"
      "max_attempts=4,max_elapsed=1h,seed=99");
  using backoff::Param;
  CHECK(policy.get_i64(Param::kind) == 1);
  CHECK(policy.get_i64(Param::initial) == 120 * kSecond);
  CHECK(policy.get_i64(Param::increment) == 1 * kSecond);
  CHECK(policy.get_i64(Param::cap) == 120 * kSecond);  // unset: raised to initial
  CHECK(policy.get_i64(Param::jitter) == 2);
  CHECK(policy.get_i64(Param::max_attempts) == 4);
  CHECK(policy.get_i64(Param::max_elapsed) == 3600 * kSecond);
  CHECK(policy.get_f64(Param::multiplier) == 3.0);
  CHECK(policy.get_f64(Param::randomization_factor) == 0.25);
  CHECK(policy.get_u64(Param::seed) == 99);
  CHECK_THROWS_AS(policy.get_i64(Param::multiplier), backoff::Error);
  CHECK_THROWS_AS(policy.get_f64(Param::initial), backoff::Error);
  CHECK_THROWS_AS(policy.get_u64(Param::cap), backoff::Error);
}
