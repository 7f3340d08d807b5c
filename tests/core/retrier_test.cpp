// Retrier: the decisions of one retried call, alone and joined by a circuit breaker and a retry budget,
// all at explicit times.
#include <catch2/catch.hpp>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "backoff/breaker.hpp"
#include "backoff/budget.hpp"
#include "backoff/retrier.hpp"
#include "backoff/status.hpp"
#include "breaker_test_support.hpp"
#include "config_text.hpp"
#include "test_time.hpp"

using backoff_test::kMax;
using backoff_test::at;
using backoff_test::ns;
using backoff::Breaker;
using backoff::BreakerConfig;
using backoff::BreakerCount;
using backoff::BreakerParam;
using backoff::BreakerState;
using backoff::Budget;
using backoff::BudgetConfig;
using backoff::ErrorClass;
using backoff::Retrier;
using backoff::RetryDecision;
using backoff::RetryOutcome;
using backoff_test::policy_from_text;
using breaker_test::consecutive;
using breaker_test::kMs;
using breaker_test::kSecond;

namespace {

// One second between attempts, no jitter: every delay is known exactly.
backoff::Policy every_second(std::string_view limits = "") {
  std::string text = "kind=constant,initial=1s,jitter=none";
  if (!limits.empty()) text += "," + std::string(limits);
  return policy_from_text(text);
}

// A retry every second from time 0, guarded by `breaker` and charged to `budget` (either may be nullptr).
Retrier every_second_with(Breaker* breaker, Budget* budget) {
  Retrier retrier(every_second(), at(0));
  retrier.attach_breaker(breaker);
  retrier.attach_budget(budget);
  return retrier;
}

using Setting = std::pair<std::string_view, std::string_view>;

BudgetConfig budget_config(std::string_view calibration, std::initializer_list<Setting> settings = {}) {
  BudgetConfig config;
  config.set_text("calibration", calibration);
  for (const auto& [name, value] : settings) config.set_text(name, value);
  return config;
}

// A clock that counts how often it is read.
struct CountingClock {
  int reads = 0;
  static std::int64_t read(void* self) {
    ++static_cast<CountingClock*>(self)->reads;
    return 0;
  }
  backoff::Clock clock() { return backoff::Clock{&CountingClock::read, this}; }
};

void check_retry(const RetryDecision& decision, std::int64_t delay_ns) {
  CHECK(decision.outcome == RetryOutcome::retry);
  CHECK(decision.delay.ns() == delay_ns);
}

}  // namespace

TEST_CASE("a retrier alone counts failures and waits, and stops at max_attempts", "[retrier]") {
  Retrier retrier(every_second("max_attempts=3"), at(0));
  check_retry(retrier.decide_retry_at(at(0), ns(0)), kSecond);
  check_retry(retrier.decide_retry_at(at(kSecond), ns(0)), kSecond);
  const RetryDecision last = retrier.decide_retry_at(at(2 * kSecond), ns(0));
  CHECK(last.outcome == RetryOutcome::exhausted);
  CHECK(last.delay_or_stop() == backoff::kStopDelay);
  CHECK(retrier.outcome() == RetryOutcome::exhausted);
  CHECK(retrier.failures() == 3);
  CHECK(retrier.attempts() == 3);
  CHECK(retrier.idle().ns() == 2 * kSecond);
}

TEST_CASE("an ended call repeats its end and records nothing more", "[retrier]") {
  Retrier retrier(every_second(), at(0));
  retrier.decide_retry_at(at(0), ns(0));
  retrier.on_success_at(at(kSecond));
  CHECK(retrier.decide_retry_at(at(2 * kSecond), ns(0)).outcome == RetryOutcome::succeeded);
  retrier.on_permanent_failure_at(at(2 * kSecond));
  retrier.cancel_at(at(2 * kSecond));
  CHECK(retrier.outcome() == RetryOutcome::succeeded);
  CHECK(retrier.failures() == 1);
  CHECK(retrier.attempts() == 2);
  try {
    retrier.before_attempt_at(at(3 * kSecond));
    FAIL("before_attempt_at did not throw after the call ended");
  } catch (const backoff::Error& error) {
    CHECK(error.status() == backoff::Status::invalid_value);
    CHECK(std::string(error.what()).find("succeeded") != std::string::npos);
  }
}

TEST_CASE("a server hint stretches the delay, up to the cap", "[retrier][hint]") {
  Retrier retrier(every_second("cap=10s"), at(0));
  check_retry(retrier.decide_retry_at(at(0), ns(2500 * kMs)), 2500 * kMs);
  check_retry(retrier.decide_retry_at(at(0), ns(30 * kSecond)), 10 * kSecond);
  CHECK(retrier.idle().ns() == 12500 * kMs);
}

TEST_CASE("a negative hint is rejected and records no failure", "[retrier][hint]") {
  Retrier retrier(every_second("cap=10s"), at(0));
  CHECK_THROWS_WITH(retrier.decide_retry_at(at(0), ns(-5)), Catch::Contains("hint_ns: must not be negative"));
  CHECK_THROWS_AS(retrier.on_failure(ns(INT64_MIN)), backoff::Error);
  CHECK(retrier.failures() == 0);
  CHECK(retrier.outcome() == RetryOutcome::retry);
  check_retry(retrier.decide_retry_at(at(0), ns(0)), kSecond);
}

TEST_CASE("a permanent failure counts and ends the call", "[retrier]") {
  Retrier retrier(every_second(), at(0));
  retrier.on_permanent_failure();
  CHECK(retrier.outcome() == RetryOutcome::permanent);
  CHECK(retrier.failures() == 1);
  CHECK(retrier.idle().ns() == 0);
}

TEST_CASE("a retrier created at the first failure counts elapsed time from construction", "[retrier][elapsed]") {
  Retrier retrier(every_second("max_elapsed=10s"), at(5 * kSecond));
  check_retry(retrier.decide_retry_at(at(14 * kSecond), ns(0)), kSecond);  // 9 s + 1 s: allowed
  CHECK(retrier.decide_retry_at(at(14500 * kMs), ns(0)).outcome == RetryOutcome::exhausted);
}

TEST_CASE("a call driven from its first attempt counts elapsed time from its first failure", "[retrier][elapsed]") {
  Retrier retrier(every_second("max_elapsed=10s"), at(0));
  retrier.before_attempt_at(at(0));
  check_retry(retrier.decide_retry_at(at(20 * kSecond), ns(0)), kSecond);  // a slow first attempt: 20 s, not counted
  CHECK(retrier.elapsed_at(at(29 * kSecond)).ns() == 9 * kSecond);
  retrier.before_attempt_at(at(21 * kSecond));
  check_retry(retrier.decide_retry_at(at(29 * kSecond), ns(0)), kSecond);
  CHECK(retrier.decide_retry_at(at(29500 * kMs), ns(0)).outcome == RetryOutcome::exhausted);
}

TEST_CASE("the clock is read only when a decision needs the time, once per step", "[retrier][cost]") {
  CountingClock clock;
  Retrier alone(every_second(), clock.clock());
  clock.reads = 0;  // construction starts the window
  alone.before_attempt();
  alone.on_success();
  CHECK(clock.reads == 0);

  // A closed breaker counting failures in a row and an AWS budget need no time; the policy's decision
  // does, and its one reading serves them all.
  Breaker breaker(consecutive(5, kSecond));
  Budget aws(budget_config("aws"));
  Retrier joined(every_second(), clock.clock());
  joined.attach_breaker(&breaker);
  joined.attach_budget(&aws);
  clock.reads = 0;
  joined.before_attempt();
  joined.decide_retry();
  CHECK(clock.reads == 1);
  joined.before_attempt();
  joined.on_success();
  CHECK(clock.reads == 1);

  // Finagle's deposits expire, so counting the request needs the time.
  Budget finagle(budget_config("finagle"));
  Retrier deposit(every_second(), clock.clock());
  deposit.attach_budget(&finagle);
  clock.reads = 0;
  deposit.before_attempt();
  CHECK(clock.reads == 1);

  // The slow-call rule times each attempt: a reading at its start and one at its end.
  BreakerConfig timed = consecutive(5, kSecond);
  timed.set_i64(BreakerParam::slow_call_duration, kSecond);
  Breaker timing(timed);
  Retrier measured(every_second(), clock.clock());
  measured.attach_breaker(&timing);
  clock.reads = 0;
  measured.before_attempt();
  measured.on_success();
  CHECK(clock.reads == 2);
}

TEST_CASE("retrier stays trivially destructible, as the Python binding requires", "[retrier]") {
  STATIC_REQUIRE(std::is_trivially_destructible<Retrier>::value);
}

TEST_CASE("every attempt takes a permit from the breaker and reports its result", "[retrier][breaker]") {
  Breaker breaker(consecutive(5, 30 * kSecond));
  Retrier retrier = every_second_with(&breaker, nullptr);
  check_retry(retrier.before_attempt_at(at(0)), 0);
  check_retry(retrier.decide_retry_at(at(0), ns(0)), kSecond);
  check_retry(retrier.before_attempt_at(at(kSecond)), 0);
  retrier.on_success_at(at(kSecond));
  CHECK(breaker.count(BreakerCount::admitted) == 2);
  CHECK(breaker.count(BreakerCount::failures) == 1);
  CHECK(breaker.count(BreakerCount::successes) == 1);
  CHECK(breaker.count(BreakerCount::consecutive_failures) == 0);
}

TEST_CASE("an open breaker refuses the first attempt and the call ends with its cooldown", "[retrier][breaker]") {
  Breaker breaker(consecutive(5, 30 * kSecond));
  breaker.transition_to_at(at(0), BreakerState::open);
  Retrier retrier = every_second_with(&breaker, nullptr);
  const RetryDecision refused = retrier.before_attempt_at(at(10 * kSecond));
  CHECK(refused.outcome == RetryOutcome::circuit_open);
  CHECK(refused.delay.ns() == 20 * kSecond);
  CHECK(retrier.outcome() == RetryOutcome::circuit_open);
  CHECK(retrier.attempts() == 0);
  CHECK(breaker.count(BreakerCount::rejected) == 1);
}

TEST_CASE("an isolated breaker refuses with an endless cooldown", "[retrier][breaker]") {
  Breaker breaker(consecutive(5, 30 * kSecond));
  breaker.transition_to_at(at(0), BreakerState::isolated);
  Retrier retrier = every_second_with(&breaker, nullptr);
  CHECK(retrier.before_attempt_at(at(0)).delay.ns() == kMax);
}

TEST_CASE("the failure that opens the breaker ends the call when the cooldown outlasts the delay",
          "[retrier][breaker]") {
  Breaker breaker(consecutive(2, 30 * kSecond));
  Budget budget(budget_config("aws"));
  Retrier retrier = every_second_with(&breaker, &budget);
  retrier.before_attempt_at(at(0));
  check_retry(retrier.decide_retry_at(at(0), ns(0)), kSecond);
  retrier.before_attempt_at(at(kSecond));
  const RetryDecision decision = retrier.decide_retry_at(at(kSecond), ns(0));  // the second failure trips it
  CHECK(decision.outcome == RetryOutcome::circuit_open);
  CHECK(decision.delay.ns() == 30 * kSecond);
  CHECK(breaker.state() == BreakerState::open);
  CHECK(retrier.idle().ns() == kSecond);  // no wait for a retry that would be refused
  CHECK(budget.granted() == 1);         // and no tokens for it either
  CHECK(budget.balance_milli_at(at(kSecond)) == 495'000);
}

TEST_CASE("a retry whose delay outlasts the cooldown goes ahead and probes the half-open breaker",
          "[retrier][breaker]") {
  Breaker breaker(consecutive(1, 500 * kMs));
  Retrier retrier = every_second_with(&breaker, nullptr);
  retrier.before_attempt_at(at(0));
  check_retry(retrier.decide_retry_at(at(0), ns(0)), kSecond);  // opens it for 0.5 s
  CHECK(breaker.state() == BreakerState::open);
  check_retry(retrier.before_attempt_at(at(kSecond)), 0);
  CHECK(breaker.state() == BreakerState::half_open);
  retrier.on_success_at(at(kSecond));
  CHECK(breaker.state() == BreakerState::closed);
}

TEST_CASE("a hint keeps the breaker it opens open exactly as long as the retry waits", "[retrier][breaker][hint]") {
  Breaker breaker(consecutive(1, kSecond));
  Retrier retrier = every_second_with(&breaker, nullptr);
  retrier.before_attempt_at(at(0));
  check_retry(retrier.decide_retry_at(at(0), ns(10 * kSecond)), 10 * kSecond);
  CHECK(breaker.cooldown_at(at(0)).ns() == 10 * kSecond);
  check_retry(retrier.before_attempt_at(at(10 * kSecond)), 0);
}

TEST_CASE("the breaker's slow-call rule sees how long each attempt took", "[retrier][breaker]") {
  BreakerConfig config = consecutive(100, kSecond);
  config.set_i64(BreakerParam::slow_call_duration, kSecond);
  Breaker breaker(config);
  Retrier retrier = every_second_with(&breaker, nullptr);
  retrier.before_attempt_at(at(0));
  retrier.decide_retry_at(at(999 * kMs), ns(0));
  CHECK(breaker.count_at(at(kSecond), BreakerCount::slow) == 0);
  retrier.before_attempt_at(at(2 * kSecond));
  retrier.on_success_at(at(4 * kSecond));
  CHECK(breaker.count_at(at(4 * kSecond), BreakerCount::slow) == 1);
}

TEST_CASE("an attempt that reports no failure of the service's does not count against its breaker",
          "[retrier][breaker]") {
  Breaker breaker(consecutive(1, kSecond));  // one failure would open it
  Retrier retrier = every_second_with(&breaker, nullptr);
  retrier.before_attempt_at(at(0));
  SECTION("a permanent failure is ignored: it is the request's fault") {
    retrier.on_permanent_failure_at(at(0));
    CHECK(breaker.count(BreakerCount::ignored) == 1);
  }
  SECTION("a permit left unreported is given back by the next before_attempt") {
    retrier.before_attempt_at(at(0));
    CHECK(breaker.count(BreakerCount::released) == 1);
    CHECK(breaker.count(BreakerCount::admitted) == 2);
  }
  CHECK(breaker.count(BreakerCount::failures) == 0);
  CHECK(breaker.state() == BreakerState::closed);
}

TEST_CASE("cancelling gives back the half-open probe slot the attempt held", "[retrier][breaker]") {
  Breaker breaker(consecutive(1, kSecond));
  breaker.transition_to_at(at(0), BreakerState::half_open);
  Retrier retrier = every_second_with(&breaker, nullptr);
  retrier.before_attempt_at(at(0));
  CHECK(breaker.count_at(at(0), BreakerCount::probes_in_flight) == 1);
  retrier.cancel_at(at(0));
  CHECK(retrier.outcome() == RetryOutcome::cancelled);
  CHECK(breaker.count_at(at(0), BreakerCount::probes_in_flight) == 0);
  CHECK(breaker.acquire_at(at(0)).admitted());
}

TEST_CASE("aws: a retry takes its cost when decided, and gets it back when it succeeds", "[retrier][budget]") {
  Budget budget(budget_config("aws"));
  Retrier retrier = every_second_with(nullptr, &budget);
  retrier.before_attempt_at(at(0));
  check_retry(retrier.decide_retry_at(at(0), ns(0)), kSecond);
  CHECK(budget.balance_milli_at(at(0)) == 495'000);  // held while the retry waits
  retrier.before_attempt_at(at(kSecond));
  retrier.on_success_at(at(kSecond));
  CHECK(budget.balance_milli_at(at(kSecond)) == 500'000);
}

TEST_CASE("aws: a failed retry spends its cost for good", "[retrier][budget]") {
  Budget budget(budget_config("aws"));
  Retrier retrier = every_second_with(nullptr, &budget);
  retrier.decide_retry_at(at(0), ns(0));
  retrier.decide_retry_at(at(kSecond), ns(0));
  retrier.on_success_at(at(2 * kSecond));
  CHECK(budget.balance_milli_at(at(2 * kSecond)) == 495'000);  // 500 - 5 - 5, then the last 5 back
}

TEST_CASE("aws: the error class sets the cost of the retry", "[retrier][budget]") {
  Budget budget(budget_config("aws"));
  Retrier retrier = every_second_with(nullptr, &budget);
  retrier.decide_retry_at(at(0), ns(0), ErrorClass::timeout);
  CHECK(budget.balance_milli_at(at(0)) == 490'000);
}

TEST_CASE("aws: a first attempt's success adds no_retry_increment", "[retrier][budget]") {
  Budget budget(budget_config("aws"));
  REQUIRE(budget.withdraw_at(at(0), ErrorClass::timeout) != 0);
  Retrier retrier = every_second_with(nullptr, &budget);
  retrier.before_attempt_at(at(0));
  retrier.on_success_at(at(0));
  CHECK(budget.balance_milli_at(at(0)) == 491'000);
}

TEST_CASE("a refused retry ends the call as budget_exhausted, not as exhausted", "[retrier][budget]") {
  Budget budget(budget_config("aws", {{"capacity", "5"}, {"timeout_cost", "5"}}));
  Retrier retrier(every_second("max_attempts=10"), at(0));
  retrier.attach_budget(&budget);
  check_retry(retrier.decide_retry_at(at(0), ns(0)), kSecond);
  const RetryDecision refused = retrier.decide_retry_at(at(kSecond), ns(0));
  CHECK(refused.outcome == RetryOutcome::budget_exhausted);
  CHECK(refused.delay_or_stop() == backoff::kStopDelay);
  CHECK(retrier.outcome() == RetryOutcome::budget_exhausted);
  CHECK(retrier.failures() == 2);
  CHECK(retrier.idle().ns() == kSecond);
  CHECK(budget.refused() == 1);
}

TEST_CASE("grpc: a retryable failure takes a token, a permanent one does not", "[retrier][budget]") {
  Budget budget(budget_config("grpc"));
  Retrier retrier = every_second_with(nullptr, &budget);
  retrier.decide_retry_at(at(0), ns(0));
  CHECK(budget.balance_milli_at(at(0)) == 9'000);
  retrier.on_permanent_failure_at(at(0));
  CHECK(budget.balance_milli_at(at(0)) == 9'000);
}

TEST_CASE("finagle: a call deposits once, at its first attempt", "[retrier][budget]") {
  Budget budget(budget_config("finagle", {{"min_retries_per_second", "0"}}));
  Retrier retrier = every_second_with(nullptr, &budget);
  retrier.before_attempt_at(at(0));
  CHECK(budget.balance_milli_at(at(0)) == 200);  // percent_can_retry 0.2 of a token
  retrier.decide_retry_at(at(0), ns(0));             // 0.2 < 1: refused
  CHECK(retrier.outcome() == RetryOutcome::budget_exhausted);
  CHECK(budget.balance_milli_at(at(0)) == 200);
}

TEST_CASE("cancelling a call that waits to retry refunds its ticket", "[retrier][budget]") {
  Budget budget(budget_config("aws"));
  Retrier retrier = every_second_with(nullptr, &budget);
  retrier.decide_retry_at(at(0), ns(0));
  retrier.cancel_at(at(kSecond / 2));
  CHECK(retrier.outcome() == RetryOutcome::cancelled);
  CHECK(budget.balance_milli_at(at(kSecond)) == 500'000);
}

TEST_CASE("a breaker refusing a retry that holds a ticket refunds the ticket", "[retrier][breaker][budget]") {
  Breaker breaker(consecutive(5, kSecond));
  Budget budget(budget_config("aws"));
  Retrier retrier = every_second_with(&breaker, &budget);
  retrier.before_attempt_at(at(0));
  retrier.decide_retry_at(at(0), ns(0));
  breaker.transition_to_at(at(0), BreakerState::isolated);  // someone isolates it while the retry waits
  CHECK(retrier.before_attempt_at(at(kSecond)).outcome == RetryOutcome::circuit_open);
  CHECK(budget.balance_milli_at(at(kSecond)) == 500'000);
}

TEST_CASE("reset starts a new call and gives back what the old one held", "[retrier]") {
  Breaker breaker(consecutive(5, kSecond));
  Budget budget(budget_config("aws"));
  Retrier retrier(every_second("max_attempts=2"), at(0));
  retrier.attach_breaker(&breaker);
  retrier.attach_budget(&budget);
  retrier.decide_retry_at(at(0), ns(0));
  retrier.before_attempt_at(at(kSecond));
  retrier.reset_at(at(5 * kSecond));
  CHECK(budget.balance_milli_at(at(5 * kSecond)) == 500'000);
  CHECK(breaker.count(BreakerCount::released) == 1);
  CHECK(retrier.outcome() == RetryOutcome::retry);
  CHECK(retrier.failures() == 0);
  CHECK(retrier.idle().ns() == 0);
  CHECK(retrier.elapsed_at(at(6 * kSecond)).ns() == kSecond);
  check_retry(retrier.decide_retry_at(at(6 * kSecond), ns(0)), kSecond);  // max_attempts counts afresh
  CHECK(retrier.breaker() == &breaker);
}

TEST_CASE("attaching another budget mid-call refunds the ticket to the first", "[retrier][budget]") {
  Budget first(budget_config("aws"));
  Budget second(budget_config("aws"));
  Retrier retrier(every_second(), at(0));
  retrier.attach_budget(&first);
  retrier.decide_retry_at(at(0), ns(0));
  retrier.attach_budget(&second);
  CHECK(first.balance_milli_at(at(0)) == 500'000);
  retrier.decide_retry_at(at(kSecond), ns(0));
  CHECK(second.balance_milli_at(at(0)) == 495'000);
  retrier.attach_budget(nullptr);
  CHECK(second.balance_milli_at(at(0)) == 500'000);
  CHECK(retrier.budget() == nullptr);
}

TEST_CASE("every outcome has a name", "[retrier]") {
  CHECK(std::string(backoff::retry_outcome_name(RetryOutcome::retry)) == "pending");
  CHECK(std::string(backoff::retry_outcome_name(RetryOutcome::budget_exhausted)) == "budget_exhausted");
  CHECK(std::string(backoff::retry_outcome_name(RetryOutcome::circuit_open)) == "circuit_open");
  CHECK(std::string(backoff::retry_outcome_name(static_cast<RetryOutcome>(99))) == "unknown");
}
