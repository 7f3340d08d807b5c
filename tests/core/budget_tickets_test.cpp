// Budget tickets: honoured once, only when issued, evicted rather than piling up, under threads too.
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "backoff/budget.hpp"
#include "backoff/budget_pool.hpp"
#include "backoff/budget_tickets.hpp"
#include "backoff/retrier.hpp"
#include "backoff/status.hpp"
#include "run_threads.hpp"
#include "budget_test_support.hpp"
#include "test_time.hpp"

using backoff_test::at;
using backoff_test::ns;
using backoff::Budget;
using backoff::BudgetConfig;
using backoff::BudgetParam;
using backoff::BudgetTickets;
using backoff::Calibration;
using backoff::ErrorClass;
using budget_test::calibrated;

TEST_CASE("a ticket never issued credits nothing and is rejected naming the ticket") {
  Budget budget(calibrated(Calibration::aws));
  budget.withdraw_at(at(0), ErrorClass::ordinary);  // one ticket out, so the stripe exists
  for (const std::uint64_t forged : {std::uint64_t{12345}, std::uint64_t{3}, ~std::uint64_t{0}}) {
    CHECK_THROWS_WITH(budget.refund_at(at(0), forged), Catch::Contains("ticket"));
    CHECK_THROWS_WITH(budget.record_success_at(at(0), forged), Catch::Contains("ticket"));
  }
  CHECK_THROWS_WITH(budget.refund_at(at(0), 12345), Catch::Contains("12345"));
  CHECK(budget.balance_milli_at(at(0)) == 495'000);
}

TEST_CASE("a ticket settles once: a second refund or success is rejected and credits nothing") {
  Budget budget(calibrated(Calibration::aws));
  const std::uint64_t ticket = budget.withdraw_at(at(0), ErrorClass::timeout);
  budget.refund_at(at(0), ticket);
  CHECK(budget.balance_milli_at(at(0)) == 500'000);
  budget.withdraw_at(at(0), ErrorClass::ordinary);
  CHECK_THROWS_WITH(budget.refund_at(at(0), ticket), Catch::Contains("settled already"));
  CHECK_THROWS_WITH(budget.record_success_at(at(0), ticket), Catch::Contains("ticket"));
  CHECK(budget.balance_milli_at(at(0)) == 495'000);

  const std::uint64_t succeeded = budget.withdraw_at(at(0), ErrorClass::ordinary);
  budget.record_success_at(at(0), succeeded);
  CHECK_THROWS(budget.refund_at(at(0), succeeded));  // a retry that succeeded cannot also be cancelled
  CHECK(budget.balance_milli_at(at(0)) == 495'000);
}

TEST_CASE("grpc checks and settles tickets too, though it refunds no cost") {
  Budget budget(calibrated(Calibration::grpc));
  const std::uint64_t ticket = budget.withdraw_at(at(0), ErrorClass::ordinary);
  budget.record_success_at(at(0), ticket);
  CHECK_THROWS_WITH(budget.record_success_at(at(0), ticket), Catch::Contains("ticket"));
}

TEST_CASE("a ticket of one budget is worthless to another, also within a pool") {
  backoff::BudgetPool pool(calibrated(Calibration::aws), 10);
  const backoff::BudgetRef a = pool.get("a");
  const backoff::BudgetRef b = pool.get("b");
  b->withdraw_at(at(0), ErrorClass::ordinary);
  const std::uint64_t ticket = a->withdraw_at(at(0), ErrorClass::ordinary);
  CHECK_THROWS_WITH(b->refund_at(at(0), ticket), Catch::Contains("ticket"));
  CHECK(b->balance_milli_at(at(0)) == 495'000);
  a->refund_at(at(0), ticket);
  CHECK(a->balance_milli_at(at(0)) == 500'000);
}

TEST_CASE("a ticket held while many others come and go is still honoured") {
  Budget budget(calibrated(Calibration::aws));
  const std::uint64_t held = budget.withdraw_at(at(0), ErrorClass::ordinary);
  for (int i = 0; i < 10 * static_cast<int>(BudgetTickets::kSlots); ++i) {
    budget.refund_at(at(0), budget.withdraw_at(at(0), ErrorClass::ordinary));
  }
  budget.refund_at(at(0), held);
  CHECK(budget.balance_milli_at(at(0)) == 500'000);
}

TEST_CASE("dropped tickets do not pile up: the oldest is evicted and then credits nothing") {
  BudgetTickets tickets;
  constexpr unsigned kInline = BudgetTickets::kInline;  // the owner's inline slots come first
  std::vector<std::uint64_t> issued;
  for (unsigned i = 0; i < kInline + BudgetTickets::kSlots + 3; ++i) issued.push_back(tickets.issue(0, true, 0));
  int error_class = -1;
  for (unsigned oldest = kInline; oldest < kInline + 3; ++oldest) {
    CHECK(tickets.redeem(issued[oldest], &error_class) == BudgetTickets::Redeemed::expired);
  }
  // Inline slots are never evicted: a ticket there is honoured however many came after it.
  for (unsigned slot = 0; slot < kInline; ++slot) {
    CHECK(tickets.redeem(issued[slot], &error_class) == BudgetTickets::Redeemed::honoured);
  }
  CHECK(tickets.redeem(issued[kInline + 3], &error_class) == BudgetTickets::Redeemed::honoured);
  CHECK(tickets.redeem(issued.back(), &error_class) == BudgetTickets::Redeemed::honoured);
  CHECK(tickets.redeem(issued.back(), &error_class) == BudgetTickets::Redeemed::invalid);
  CHECK(tickets.redeem(12345, &error_class) == BudgetTickets::Redeemed::invalid);
}

TEST_CASE("a ticket with any one bit changed is refused, inline or from a stripe, and the real one still settles") {
  BudgetTickets tickets;
  std::vector<std::uint64_t> out;
  for (unsigned i = 0; i < BudgetTickets::kInline + 1; ++i) out.push_back(tickets.issue(0, true, 1));  // the last from a stripe
  for (const std::uint64_t ticket : out) {
    int error_class = -1;
    for (int bit = 0; bit < 64; ++bit) {
      INFO("ticket " << ticket << ", bit " << bit);
      CHECK(tickets.redeem(ticket ^ (std::uint64_t{1} << bit), &error_class) == BudgetTickets::Redeemed::invalid);
    }
    CHECK(tickets.redeem(ticket, &error_class) == BudgetTickets::Redeemed::honoured);
    CHECK(error_class == 1);
  }
  CHECK(tickets.issued() == BudgetTickets::kInline + 1);
}

TEST_CASE("a ticket carries its error class") {
  BudgetTickets tickets;
  for (int error_class : {0, 1, 2}) {
    int redeemed = -1;
    REQUIRE(tickets.redeem(tickets.issue(0, true, error_class), &redeemed) == BudgetTickets::Redeemed::honoured);
    CHECK(redeemed == error_class);
  }
}

TEST_CASE("stress: threads settling one another's tickets honour each exactly once") {
  Budget budget(calibrated(Calibration::aws));
  constexpr int kThreads = 4, kRounds = 20'000;
  std::vector<std::atomic<std::uint64_t>> mailbox(kThreads);
  std::atomic<std::uint64_t> honoured{0};
  std::atomic<int> rejected{0};
  const auto settle = [&](std::uint64_t ticket) {
    if (ticket == 0) return;
    try {
      budget.refund(ticket);
      honoured.fetch_add(1);
    } catch (const backoff::Error&) {
      rejected.fetch_add(1);
    }
  };
  run_threads(kThreads, [&](int t) {
    for (int i = 0; i < kRounds; ++i) {
      // Each ticket is settled by its owner and raced for by a neighbour: exactly one of them may win.
      settle(mailbox[t].exchange(budget.withdraw(ErrorClass::ordinary)));
      settle(mailbox[(t + 1) % kThreads].load());
    }
  });
  for (auto& left : mailbox) settle(left.load());
  CHECK(rejected.load() > 0);
  CHECK(honoured.load() == budget.granted());  // no ticket credited twice, none lost
  CHECK(budget.balance_milli() == 500'000);
}

TEST_CASE("a retrier forfeits the ticket of a failed retry, so a ticket held meanwhile is not evicted") {
  BudgetConfig config = calibrated(Calibration::aws);
  config.set_f64(BudgetParam::capacity, 1e9);
  Budget budget(config);
  const std::uint64_t held = budget.withdraw_at(at(0), ErrorClass::ordinary);
  const backoff::Policy policy = [] {
    backoff::Config schedule;
    schedule.set_i64(backoff::Param::kind, static_cast<std::int64_t>(backoff::Kind::constant));
    schedule.set_i64(backoff::Param::jitter, static_cast<std::int64_t>(backoff::Jitter::none));
    schedule.set_i64(backoff::Param::max_attempts, 3);
    return backoff::Policy(schedule);
  }();
  for (int call = 0; call < 3 * static_cast<int>(BudgetTickets::kSlots); ++call) {
    backoff::Retrier retrier(policy, backoff::Instant());
    retrier.attach_budget(&budget);
    REQUIRE(retrier.decide_retry_at(backoff::Instant(), backoff::Duration()).retrying());  // takes a ticket
    REQUIRE(retrier.decide_retry_at(backoff::Instant(), backoff::Duration()).retrying());  // the retry failed: forfeits it, takes another
    REQUIRE(retrier.decide_retry_at(backoff::Instant(), backoff::Duration()).outcome == backoff::RetryOutcome::exhausted);  // forfeits that
  }
  const std::int64_t before = budget.balance_milli_at(at(0));
  budget.refund_at(at(0), held);
  CHECK(budget.balance_milli_at(at(0)) == before + 5'000);
}
