// RetryStats: what Retriers record into shared statistics, names, and the breaker and budget snapshots;
// and threads that record at once lose nothing (run under TSan by scripts/test-sanitizers).
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "backoff/object_snapshots.hpp"
#include "backoff/retrier.hpp"
#include "backoff/retry_stats.hpp"
#include "breaker_test_support.hpp"
#include "config_text.hpp"
#include "run_threads.hpp"
#include "test_time.hpp"

using backoff::Breaker;
using backoff::BreakerCount;
using backoff::BreakerState;
using backoff::Budget;
using backoff::BudgetConfig;
using backoff::ErrorClass;
using backoff::Retrier;
using backoff::RetryOutcome;
using backoff::RetryStats;
using backoff_test::at;
using backoff_test::kSecond;
using backoff_test::ns;

namespace {

backoff::Policy every_second(std::string_view limits) {
  return backoff_test::policy_from_text("kind=constant,initial=1s,jitter=none," + std::string(limits));
}

// An AWS budget of `capacity` tokens whose every retry costs `cost`.
Budget* aws_budget(const char* capacity, const char* cost) {
  BudgetConfig config;
  config.set_text("calibration", "aws");
  config.set_text("capacity", capacity);
  for (const char* param : {"retry_cost", "timeout_cost", "throttling_cost"}) config.set_text(param, cost);
  return new Budget(config);
}

std::uint64_t ended(const backoff::RetryStatsSnapshot& snapshot, RetryOutcome outcome) {
  return snapshot.ends[static_cast<int>(outcome)];
}

// One call on a fresh Retrier recording into `stats`: `failures` retryable failures at one-second steps,
// then a success if the policy still allows one.
void call(RetryStats& stats, const backoff::Policy& policy, int failures) {
  Retrier retrier(policy, at(0));
  retrier.attach_stats(&stats);
  for (int failure = 0; failure < failures; ++failure) {
    if (!retrier.decide_retry_at(at(failure * kSecond), ns(0)).retrying()) return;
  }
  retrier.on_success_at(at(failures * kSecond));
}

}  // namespace

TEST_CASE("a retrier records failures, retries, time slept and its success into attached stats", "[retry_stats]") {
  RetryStats stats;
  call(stats, every_second("max_attempts=5"), 2);
  const auto snapshot = stats.snapshot();
  CHECK(snapshot.failures == 2);
  CHECK(snapshot.retries == 2);
  CHECK(snapshot.slept_ns == static_cast<std::uint64_t>(2 * kSecond));
  CHECK(ended(snapshot, RetryOutcome::succeeded) == 1);
  CHECK(ended(snapshot, RetryOutcome::exhausted) == 0);
}

TEST_CASE("give-ups count by outcome, and max_attempts is told from max_elapsed", "[retry_stats]") {
  RetryStats stats;
  call(stats, every_second("max_attempts=3"), 5);  // stops at its third failure
  call(stats, every_second("max_elapsed=2s"), 5);  // stops when the next wait would pass 2 s
  const auto snapshot = stats.snapshot();
  CHECK(ended(snapshot, RetryOutcome::exhausted) == 2);
  CHECK(snapshot.max_elapsed == 1);
  CHECK(ended(snapshot, RetryOutcome::succeeded) == 0);

  Retrier permanent(every_second("max_attempts=3"), at(0));
  permanent.attach_stats(&stats);
  permanent.on_permanent_failure_at(at(0));
  Retrier cancelled(every_second("max_attempts=3"), at(0));
  cancelled.attach_stats(&stats);
  cancelled.decide_retry_at(at(0), ns(0));
  cancelled.cancel_at(at(kSecond));
  const auto after = stats.snapshot();
  CHECK(ended(after, RetryOutcome::permanent) == 1);
  CHECK(ended(after, RetryOutcome::cancelled) == 1);
  CHECK(after.failures == snapshot.failures + 2);
}

TEST_CASE("a breaker's and a budget's refusals end calls with their own reasons", "[retry_stats]") {
  RetryStats stats;
  Breaker breaker(breaker_test::consecutive(1, 60 * kSecond));
  Retrier tripping(every_second("max_attempts=5"), at(0));
  tripping.attach_stats(&stats);
  tripping.attach_breaker(&breaker);
  REQUIRE(tripping.before_attempt_at(at(0)).retrying());
  CHECK(tripping.decide_retry_at(at(0), ns(0)).outcome == RetryOutcome::circuit_open);

  const std::unique_ptr<Budget> one_retry(aws_budget("1", "1"));
  Budget& budget = *one_retry;
  REQUIRE(budget.withdraw_at(at(0), ErrorClass::ordinary) != 0);  // drained
  Retrier refused(every_second("max_attempts=5"), at(0));
  refused.attach_stats(&stats);
  refused.attach_budget(&budget);
  CHECK(refused.decide_retry_at(at(0), ns(0)).outcome == RetryOutcome::budget_exhausted);

  const auto snapshot = stats.snapshot();
  CHECK(ended(snapshot, RetryOutcome::circuit_open) == 1);
  CHECK(ended(snapshot, RetryOutcome::budget_exhausted) == 1);
  CHECK(snapshot.retries == 0);
  CHECK(snapshot.failures == 2);
}

TEST_CASE("a detached retrier records nothing", "[retry_stats]") {
  RetryStats stats;
  Retrier retrier(every_second("max_attempts=5"), at(0));
  retrier.attach_stats(&stats);
  retrier.attach_stats(nullptr);
  retrier.decide_retry_at(at(0), ns(0));
  retrier.on_success_at(at(kSecond));
  const auto snapshot = stats.snapshot();
  CHECK(snapshot.failures == 0);
  CHECK(ended(snapshot, RetryOutcome::succeeded) == 0);
}

TEST_CASE("time slept saturates instead of wrapping", "[retry_stats]") {
  RetryStats stats;
  for (int i = 0; i < 3; ++i) stats.record_retry(ns(backoff_test::kMax));
  CHECK(stats.snapshot().slept_ns == UINT64_MAX);
  CHECK(stats.snapshot().retries == 3);
}

TEST_CASE("threads recording into one stats object lose no count", "[retry_stats][threads]") {
  RetryStats stats;
  const backoff::Policy policy = every_second("max_attempts=3");
  constexpr int kThreads = 8;
  constexpr int kCalls = 2000;
  run_threads(kThreads, [&](int thread) {
    for (int i = 0; i < kCalls; ++i) call(stats, policy, (thread + i) % 4);  // 3 and up give up
    (void)stats.snapshot();  // reading while others write is allowed
  });
  std::uint64_t failures = 0, succeeded = 0, exhausted = 0;
  for (int thread = 0; thread < kThreads; ++thread) {
    for (int i = 0; i < kCalls; ++i) {
      const int planned = (thread + i) % 4;
      failures += planned < 3 ? planned : 3;
      (planned < 3 ? succeeded : exhausted) += 1;
    }
  }
  const auto snapshot = stats.snapshot();
  CHECK(snapshot.failures == failures);
  CHECK(ended(snapshot, RetryOutcome::succeeded) == succeeded);
  CHECK(ended(snapshot, RetryOutcome::exhausted) == exhausted);
  CHECK(snapshot.retries == failures - exhausted);
  CHECK(snapshot.slept_ns == static_cast<std::uint64_t>(kSecond) * snapshot.retries);
}

TEST_CASE("names are optional, replaceable, and stay readable while renamed", "[retry_stats][threads]") {
  RetryStats stats;
  CHECK(std::string(stats.name().get()).empty());
  stats.name().set("fetch_user");
  const char* first = stats.name().get();
  std::atomic<int> unexpected{0};  // Catch2's CHECK is not thread-safe: count here, check after
  run_threads(4, [&](int thread) {
    for (int i = 0; i < 200; ++i) {
      if (thread == 0) stats.name().set(i % 2 ? "a" : "b");
      const std::string name = stats.name().get();
      if (name != "a" && name != "b" && name != "fetch_user") unexpected.fetch_add(1);
    }
  });
  CHECK(unexpected.load() == 0);
  CHECK(std::string(first) == "fetch_user");  // an old name lives as long as its object
  stats.name().set("");
  CHECK(std::string(stats.name().get()).empty());
}

TEST_CASE("a breaker snapshot counts transitions by pair, and its name", "[retry_stats]") {
  Breaker breaker(breaker_test::consecutive(1, kSecond));
  breaker.name().set("payments");
  const auto permit = breaker.acquire_at(at(0)).permit;
  breaker.record_at(at(0), permit, backoff::Outcome::failure);   // closed -> open
  CHECK(!breaker.acquire_at(at(kSecond / 2)).admitted());        // rejected
  const auto probe = breaker.acquire_at(at(2 * kSecond)).permit;  // open -> half_open
  breaker.record_at(at(2 * kSecond), probe, backoff::Outcome::success);
  const auto snapshot = backoff::snapshot_at(breaker, at(2 * kSecond));
  auto moved = [&](BreakerState from, BreakerState to) {
    return snapshot.transitions[static_cast<int>(from)][static_cast<int>(to)];
  };
  CHECK(moved(BreakerState::closed, BreakerState::open) == 1);
  CHECK(moved(BreakerState::open, BreakerState::half_open) == 1);
  CHECK(moved(BreakerState::half_open, BreakerState::closed) == 1);
  CHECK(moved(BreakerState::closed, BreakerState::half_open) == 0);
  CHECK(snapshot.state == BreakerState::closed);
  CHECK(snapshot.counts[static_cast<int>(BreakerCount::rejected)] == 1);
  CHECK(snapshot.counts[static_cast<int>(BreakerCount::trips)] == 1);
  CHECK(std::string(breaker.name().get()) == "payments");
}

TEST_CASE("a budget snapshot reads its balance, grants and refusals", "[retry_stats]") {
  const std::unique_ptr<Budget> two_retries(aws_budget("10", "5"));
  Budget& budget = *two_retries;
  budget.withdraw_at(at(0), ErrorClass::ordinary);
  budget.withdraw_at(at(0), ErrorClass::ordinary);
  budget.withdraw_at(at(0), ErrorClass::ordinary);
  const auto snapshot = backoff::snapshot_at(budget, at(0));
  CHECK(snapshot.balance_milli == 0);
  CHECK(snapshot.granted == 2);
  CHECK(snapshot.refused == 1);
}
