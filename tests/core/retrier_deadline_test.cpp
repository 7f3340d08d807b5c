// The Retrier's deadline: the policy's, counted from the call's start, and the caller's own, at explicit
// times. No attempt starts at or past it; no wait runs into it.
#include <catch2/catch.hpp>
#include <string>

#include "backoff/budget.hpp"
#include "backoff/retrier.hpp"
#include "backoff/status.hpp"
#include "config_text.hpp"
#include "test_time.hpp"

using backoff::Budget;
using backoff::BudgetConfig;
using backoff::kNoDeadline;
using backoff::Retrier;
using backoff::RetryDecision;
using backoff::RetryOutcome;
using backoff_test::at;
using backoff_test::kMax;
using backoff_test::kMs;
using backoff_test::kSecond;
using backoff_test::ns;
using backoff_test::every_second;

namespace {

void check_deadline_exceeded(const RetryDecision& decision) {
  CHECK(decision.outcome == RetryOutcome::deadline_exceeded);
  CHECK(decision.delay_or_stop() == backoff::kStopDelay);
}

}  // namespace

TEST_CASE("a wait that would end at the deadline ends the call instead", "[retrier][deadline]") {
  Retrier retrier(every_second("deadline=10s"), at(0));
  CHECK(retrier.deadline() == at(10 * kSecond));
  CHECK(retrier.decide_retry_at(at(8500 * kMs), ns(0)).delay.ns() == kSecond);  // wakes at 9.5 s
  check_deadline_exceeded(retrier.decide_retry_at(at(9 * kSecond), ns(0)));   // would wake at 10 s
  CHECK(retrier.outcome() == RetryOutcome::deadline_exceeded);
  CHECK(retrier.failures() == 2);
  CHECK(retrier.idle().ns() == kSecond);  // the refused wait is not counted as waited
}

TEST_CASE("the deadline counts the first attempt, max_elapsed does not", "[retrier][deadline]") {
  Retrier windowed(every_second("max_elapsed=10s"), at(0));
  Retrier deadlined(every_second("deadline=10s"), at(0));
  for (Retrier* retrier : {&windowed, &deadlined}) retrier->before_attempt_at(at(0));
  // A first attempt that ran 9.5 s: max_elapsed starts counting now, the deadline counted it.
  CHECK(windowed.decide_retry_at(at(9500 * kMs), ns(0)).retrying());
  check_deadline_exceeded(deadlined.decide_retry_at(at(9500 * kMs), ns(0)));
}

TEST_CASE("no attempt starts at or past the deadline", "[retrier][deadline]") {
  Retrier retrier(every_second("deadline=10s"), at(0));
  CHECK(retrier.before_attempt_at(at(0)).retrying());
  CHECK(retrier.decide_retry_at(at(8 * kSecond), ns(0)).retrying());
  // The retry was to start at 9 s; its caller overslept past the deadline.
  const RetryDecision late = retrier.before_attempt_at(at(10 * kSecond));
  CHECK(late.outcome == RetryOutcome::deadline_exceeded);
  CHECK(late.delay.ns() == 0);
  CHECK(retrier.failures() == 1);
  CHECK_THROWS_AS(retrier.before_attempt_at(at(10 * kSecond)), backoff::Error);  // the call has ended
}

TEST_CASE("a retrier created at the first failure counts the deadline from the call's start", "[retrier][deadline]") {
  // Python's @retry: the call started at 0, its first attempt failed at 5 s.
  Retrier late_start(every_second("deadline=10s"), at(5 * kSecond));
  Retrier told_start(every_second("deadline=10s"), at(5 * kSecond));
  told_start.set_call_start(at(0));
  CHECK(told_start.deadline() == at(10 * kSecond));
  CHECK(late_start.decide_retry_at(at(9 * kSecond), ns(0)).retrying());
  check_deadline_exceeded(told_start.decide_retry_at(at(9 * kSecond), ns(0)));
  CHECK(told_start.elapsed_at(at(9 * kSecond)).ns() == 4 * kSecond);  // max_elapsed's window did not move
}

TEST_CASE("the caller's deadline and the policy's: the earlier one counts", "[retrier][deadline]") {
  Retrier retrier(every_second("deadline=10s"), at(0));
  retrier.set_deadline_at(at(4 * kSecond));
  CHECK(retrier.deadline() == at(4 * kSecond));
  retrier.set_deadline_at(at(60 * kSecond));
  CHECK(retrier.deadline() == at(10 * kSecond));
  retrier.set_deadline_at(kNoDeadline);
  CHECK(retrier.deadline() == at(10 * kSecond));

  Retrier caller_only(every_second("max_attempts=0"), at(0));
  CHECK(caller_only.deadline() == kNoDeadline);
  caller_only.set_deadline_at(at(3 * kSecond));
  CHECK(caller_only.decide_retry_at(at(kSecond), ns(0)).retrying());
  check_deadline_exceeded(caller_only.decide_retry_at(at(2 * kSecond), ns(0)));
}

TEST_CASE("a reset restarts the policy's deadline and keeps the caller's", "[retrier][deadline]") {
  Retrier retrier(every_second("deadline=10s"), at(0));
  retrier.set_deadline_at(at(100 * kSecond));
  retrier.reset_at(at(50 * kSecond));
  CHECK(retrier.deadline() == at(60 * kSecond));
  retrier.reset_at(at(95 * kSecond));
  CHECK(retrier.deadline() == at(100 * kSecond));
}

TEST_CASE("a deadline already past ends the call before its first attempt", "[retrier][deadline]") {
  Retrier retrier(every_second("max_attempts=0"), at(0));
  retrier.set_deadline_at(at(-kSecond));
  CHECK(retrier.before_attempt_at(at(0)).outcome == RetryOutcome::deadline_exceeded);
  CHECK(retrier.attempts() == 0);
}

TEST_CASE("the policy's own limits are asked first", "[retrier][deadline]") {
  Retrier retrier(every_second("deadline=10s,max_attempts=2"), at(0));
  CHECK(retrier.decide_retry_at(at(0), ns(0)).retrying());
  CHECK(retrier.decide_retry_at(at(9500 * kMs), ns(0)).outcome == RetryOutcome::exhausted);
}

TEST_CASE("a server hint that reaches past the deadline ends the call", "[retrier][deadline][hint]") {
  Retrier retrier(every_second("deadline=10s,cap=1m"), at(0));
  check_deadline_exceeded(retrier.decide_retry_at(at(kSecond), ns(30 * kSecond)));
}

TEST_CASE("a deadline too far to represent saturates into none", "[retrier][deadline]") {
  Retrier retrier(every_second("deadline=9223372036.854775807s"), at(kSecond));
  CHECK(retrier.deadline() == kNoDeadline);
  CHECK(retrier.decide_retry_at(at(kMax - kSecond), ns(0)).retrying());
}

TEST_CASE("a retry that would pass the deadline takes no tokens; one refused at its start gets them back",
          "[retrier][deadline][budget]") {
  BudgetConfig config;
  config.set_text("calibration", "aws");
  Budget budget(config);
  Retrier refused(every_second("deadline=10s"), at(0));
  refused.attach_budget(&budget);
  refused.before_attempt_at(at(0));
  check_deadline_exceeded(refused.decide_retry_at(at(9500 * kMs), ns(0)));
  CHECK(budget.balance_milli_at(at(10 * kSecond)) == 500'000);

  Retrier overslept(every_second("deadline=10s"), at(0));
  overslept.attach_budget(&budget);
  overslept.before_attempt_at(at(0));
  CHECK(overslept.decide_retry_at(at(8 * kSecond), ns(0)).retrying());
  CHECK(budget.balance_milli_at(at(8 * kSecond)) == 495'000);  // held while the retry waits
  CHECK(overslept.before_attempt_at(at(11 * kSecond)).outcome == RetryOutcome::deadline_exceeded);
  CHECK(budget.balance_milli_at(at(11 * kSecond)) == 500'000);
}

TEST_CASE("the deadline outcome has its own name", "[retrier][deadline]") {
  CHECK(std::string(backoff::retry_outcome_name(RetryOutcome::deadline_exceeded)) == "deadline_exceeded");
}
