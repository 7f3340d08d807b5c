// A server's hint and the breaker: it lengthens the open period up to max_hint_open, and a saturated hint
// (the Retry-After parser's INT64_MAX) caps instead of failing, alone and through a Retrier.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>

#include "backoff/breaker.hpp"
#include "backoff/retrier.hpp"
#include "backoff/retry_after.hpp"
#include "backoff/server_hint.hpp"
#include "backoff/status.hpp"
#include "breaker_test_support.hpp"
#include "config_text.hpp"
#include "test_time.hpp"

using backoff::Retrier;
using backoff::RetryOutcome;
using namespace breaker_test;
using backoff_test::kMax;

namespace {

constexpr std::int64_t kHour = 3600 * kSecond;

std::int64_t open_period_after_hint(const BreakerConfig& config, std::int64_t hint_ns) {
  Breaker breaker(config);
  const backoff::Admission admission = breaker.acquire_at(at(0));
  breaker.record_at(at(0), admission.permit, Outcome::failure, ns(0), ns(hint_ns));
  REQUIRE(breaker.state() == BreakerState::open);
  return breaker.cooldown_at(at(0)).ns();
}

}  // namespace

TEST_CASE("by default a hint holds the breaker open for at most an hour") {
  CHECK(BreakerConfig().get_i64(BreakerParam::max_hint_open) == kHour);
  CHECK(open_period_after_hint(consecutive(1, kSecond), 9'200'000'000 * kSecond) == kHour);
  CHECK(open_period_after_hint(consecutive(1, kSecond), kMax) == kHour);
  CHECK(open_period_after_hint(consecutive(1, kSecond), 20 * 60 * kSecond) == 20 * 60 * kSecond);
}

TEST_CASE("max_hint_open bounds the hint, never the breaker's own open period") {
  BreakerConfig config = consecutive(1, 30 * kSecond);
  config.set_i64(BreakerParam::max_hint_open, 10 * kSecond);
  CHECK(open_period_after_hint(config, 60 * kSecond) == 30 * kSecond);
  config.set_i64(BreakerParam::max_hint_open, 0);  // hints never extend the open period
  CHECK(open_period_after_hint(config, kHour) == 30 * kSecond);
  config.set_i64(BreakerParam::max_hint_open, kMax);  // every hint honoured, saturating
  CHECK(open_period_after_hint(config, kMax) == kMax);
}

TEST_CASE("max_hint_open is a breaker parameter: by name, as text, never negative") {
  BreakerConfig config;
  CHECK(backoff::param_from_name<backoff::BreakerParam>("max_hint_open") == BreakerParam::max_hint_open);
  config.set_text("max_hint_open", "5m");
  CHECK(config.get_i64(BreakerParam::max_hint_open) == 300 * kSecond);
  CHECK_THROWS_WITH(config.set_i64(BreakerParam::max_hint_open, -1),
                    Catch::Contains("max_hint_open") && Catch::Contains("-1"));
  CHECK(config.get_i64(BreakerParam::max_hint_open) == 300 * kSecond);
}

TEST_CASE("the parser's saturated Retry-After caps the wait and opens the breaker for max_hint_open") {
  const backoff::Duration hint = backoff::parse_retry_after("99999999999", 0).value();
  REQUIRE(hint == backoff::InfiniteDuration());
  Breaker breaker(consecutive(1, kSecond));
  Retrier retrier(backoff_test::policy_from_text("kind=constant,initial=1s,cap=10s,jitter=none"), at(0));
  retrier.attach_breaker(&breaker);
  retrier.before_attempt_at(at(0));
  const backoff::RetryDecision decision = retrier.decide_retry_at(at(0), hint);
  CHECK(decision.outcome == RetryOutcome::circuit_open);  // open longer than the capped wait
  CHECK(decision.delay.ns() == kHour);
  CHECK(breaker.count_at(at(0), backoff::BreakerCount::failures) == 1);
}

TEST_CASE("a hint in seconds saturates where a setting would be rejected") {
  CHECK(backoff::hint_ns_from_seconds(1.5, "retry_after") == 1'500'000'000);
  CHECK(backoff::hint_ns_from_seconds(1e12, "retry_after") == kMax);
  CHECK(backoff::hint_ns_from_seconds(std::numeric_limits<double>::infinity(), "retry_after") == kMax);
  CHECK(backoff::hint_ns_from_seconds(static_cast<double>(kMax) / 1e9, "retry_after") == kMax);
  CHECK_THROWS_WITH(backoff::hint_ns_from_seconds(-1, "retry_after"),
                    Catch::Contains("retry_after") && Catch::Contains("negative"));
  CHECK_THROWS_WITH(backoff::hint_ns_from_seconds(std::nan(""), "retry_after"), Catch::Contains("NaN"));
}
