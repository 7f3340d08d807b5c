// stop_when: whether max_attempts and max_elapsed each end retrying (any) or only together (all), as
// tenacity's `|` and `&` on stops; and the deadline, which ends the call under both.
#include <catch2/catch.hpp>
#include <cstdint>

#include "backoff/backoff.hpp"
#include "backoff/retrier.hpp"
#include "backoff/status.hpp"
#include "config_text.hpp"
#include "test_time.hpp"

using backoff::kStopDelay;
using backoff::Retrier;
using backoff::RetryOutcome;
using backoff_test::at;
using backoff_test::kMs;
using backoff_test::kSecond;
using backoff_test::ns;
using backoff_test::every_second;

namespace {

// Fails a fresh retrier once a second from t = 0 until it stops; returns the failures it took.
std::uint64_t failures_until_stop(const backoff::Policy& policy, RetryOutcome expected) {
  Retrier retrier(policy, at(0));
  std::int64_t now = 0;
  while (retrier.decide_retry_at(at(now), ns(0)).retrying()) now += kSecond;
  CHECK(retrier.outcome() == expected);
  return retrier.failures();
}

}  // namespace

TEST_CASE("under any the first limit reached stops, under all the last one", "[stop_when]") {
  // Three attempts or 10 s: the attempts run out first.
  CHECK(failures_until_stop(every_second("max_attempts=3,max_elapsed=10s"), RetryOutcome::exhausted) == 3);
  // Under all, retrying goes on until the 10 s are used up too: waits end at 1 s ... 10 s.
  CHECK(failures_until_stop(every_second("max_attempts=3,max_elapsed=10s,stop_when=all"),
                            RetryOutcome::exhausted) == 11);
  // And when the time runs out first, under all the attempts still have to be made.
  CHECK(failures_until_stop(every_second("max_attempts=20,max_elapsed=5s,stop_when=all"),
                            RetryOutcome::exhausted) == 20);
}

TEST_CASE("under all, a limit that is not set takes no part", "[stop_when]") {
  CHECK(failures_until_stop(every_second("max_attempts=3,stop_when=all"), RetryOutcome::exhausted) == 3);
  CHECK(failures_until_stop(every_second("max_elapsed=5s,stop_when=all"), RetryOutcome::exhausted) == 6);
}

TEST_CASE("the stateless forms apply stop_when with the elapsed time they are given", "[stop_when]") {
  const backoff::Policy any = every_second("max_attempts=3,max_elapsed=10s");
  const backoff::Policy all = every_second("max_attempts=3,max_elapsed=10s,stop_when=all");
  // Retry 2 is the third attempt's: the attempts are used up.
  CHECK(any.delay_within(2, 0, ns(0)) == kStopDelay);
  CHECK(all.delay_within(2, 0, ns(0)).ns() == kSecond);
  CHECK(all.delay_within(2, 0, ns(9500 * kMs)) == kStopDelay);
  // Time used up, attempts not: any stops, all goes on.
  CHECK(any.delay_within(1, 0, ns(9500 * kMs)) == kStopDelay);
  CHECK(all.delay_within(1, 0, ns(9500 * kMs)).ns() == kSecond);
  CHECK(all.delay_hinted(1, 0, ns(9500 * kMs), ns(2 * kSecond)).ns() == 2 * kSecond);
  CHECK(all.delay_hinted(2, 0, ns(9500 * kMs), ns(0)) == kStopDelay);
}

TEST_CASE("without an elapsed time, all stops on attempts only when max_elapsed is not set", "[stop_when]") {
  const backoff::Policy all = every_second("max_attempts=3,max_elapsed=10s,stop_when=all");
  CHECK(all.delay(2, 0).ns() == kSecond);
  CHECK(all.delay_bounds(2).max_ns == kSecond);
  const backoff::Policy attempts_only = every_second("max_attempts=3,stop_when=all");
  CHECK(attempts_only.delay(2, 0) == kStopDelay);
  CHECK(attempts_only.delay_bounds(2).min_ns == backoff::kStop);
}

TEST_CASE("a backoff state stops under all once both limits are reached", "[stop_when]") {
  backoff::Backoff state(every_second("max_attempts=2,max_elapsed=3s,stop_when=all"));
  state.reset_at(at(0));
  CHECK(state.next_at(at(0)).ns() == kSecond);                 // neither reached
  CHECK(state.next_at(at(kSecond)).ns() == kSecond);           // attempts reached, time not
  CHECK(state.next_at(at(2500 * kMs)) == kStopDelay);          // both
  CHECK(state.next_at(at(2500 * kMs)) == kStopDelay);          // and a stop is final
}

TEST_CASE("the deadline ends the call under all as under any", "[stop_when][deadline]") {
  CHECK(failures_until_stop(every_second("max_attempts=3,max_elapsed=100s,stop_when=all,deadline=5s"),
                            RetryOutcome::deadline_exceeded) == 5);
}

TEST_CASE("stop_when is read by name and read back by the policy", "[stop_when]") {
  backoff::Config config;
  CHECK(config.stop_when == backoff::StopWhen::any);
  config.set_text("stop_when", "all");
  CHECK(backoff::Policy(config).get_i64(backoff::Param::stop_when) == 1);
  CHECK_THROWS_WITH(config.set_text("stop_when", "both"), "stop_when: unknown value 'both' (known: any, all)");
  CHECK_THROWS_WITH(config.set_i64(backoff::Param::stop_when, 2), Catch::Contains("stop_when: unknown value 2"));
  CHECK(config.stop_when == backoff::StopWhen::all);  // a rejected value changes nothing
}
