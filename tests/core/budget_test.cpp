// The retry budget in its three calibrations, at explicit times, its configuration, the per-key pool, and
// stress tests with threads sharing one budget.
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "backoff/budget.hpp"
#include "backoff/budget_pool.hpp"
#include "backoff/status.hpp"
#include "run_threads.hpp"
#include "budget_test_support.hpp"
#include "test_time.hpp"

using backoff_test::kSecond;
using backoff_test::at;
using backoff_test::ns;
using backoff::Budget;
using backoff::BudgetConfig;
using backoff::BudgetParam;
using backoff::Calibration;
using backoff::ErrorClass;
using budget_test::calibrated;

namespace {

int withdraw_all(Budget& budget, ErrorClass error_class, std::int64_t now_ns = 0) {
  int granted = 0;
  while (budget.withdraw_at(at(now_ns), error_class) != 0) ++granted;
  return granted;
}

}  // namespace

TEST_CASE("aws: a full bucket of 500 pays for 100 ordinary retries or 50 after timeouts") {
  Budget ordinary(calibrated(Calibration::aws));
  CHECK(ordinary.balance_milli_at(at(0)) == 500'000);
  CHECK(withdraw_all(ordinary, ErrorClass::ordinary) == 100);
  Budget timeouts(calibrated(Calibration::aws));
  CHECK(withdraw_all(timeouts, ErrorClass::timeout) == 50);
  Budget throttled(calibrated(Calibration::aws));
  CHECK(withdraw_all(throttled, ErrorClass::throttling) == 100);
}

TEST_CASE("aws: a successful retry gets its cost back, a first attempt's success adds 1 up to capacity") {
  Budget budget(calibrated(Calibration::aws));
  const std::uint64_t ticket = budget.withdraw(ErrorClass::timeout);
  REQUIRE(ticket != 0);
  CHECK(budget.balance_milli() == 490'000);
  budget.record_success(0);
  CHECK(budget.balance_milli() == 491'000);
  budget.record_success(ticket);
  CHECK(budget.balance_milli() == 500'000);  // 501 000 capped
}

TEST_CASE("aws: a refused retry changes nothing but the refusal count") {
  BudgetConfig config = calibrated(Calibration::aws);
  config.set_f64(BudgetParam::capacity, 12);
  Budget budget(config);
  REQUIRE(budget.withdraw(ErrorClass::ordinary) != 0);
  CHECK(budget.withdraw(ErrorClass::timeout) == 0);  // 7 left, a timeout costs 10
  CHECK(budget.balance_milli() == 7'000);
  CHECK(budget.withdraw(ErrorClass::ordinary) != 0);  // an ordinary retry still fits
  CHECK(budget.refused() == 1);
  CHECK(budget.granted() == 2);
}

TEST_CASE("grpc: failures take a token, and retries stop at half of max_tokens") {
  Budget budget(calibrated(Calibration::grpc));  // 10 tokens, ratio 0.1
  for (int i = 0; i < 4; ++i) budget.record_failure();
  CHECK(budget.balance_milli() == 6'000);
  const std::uint64_t ticket = budget.withdraw(ErrorClass::ordinary);
  CHECK(ticket != 0);
  CHECK(budget.balance_milli() == 6'000);  // gRPC charges the failure, not the retry
  budget.record_failure();
  CHECK(budget.withdraw(ErrorClass::ordinary) == 0);  // 5 is not above 10 / 2
  budget.record_success(0);
  CHECK(budget.balance_milli() == 5'100);
  CHECK(budget.withdraw(ErrorClass::ordinary) != 0);
  budget.record_success(ticket);  // a retry's success earns the same ratio
  CHECK(budget.balance_milli() == 5'200);
  CHECK_THROWS_WITH(budget.record_success(4), Catch::Contains("ticket"));  // checked even where unused
  CHECK(budget.balance_milli() == 5'200);
}

TEST_CASE("grpc: the token count stays within [0, max_tokens]") {
  Budget budget(calibrated(Calibration::grpc));
  for (int i = 0; i < 25; ++i) budget.record_failure();
  CHECK(budget.balance_milli() == 0);
  for (int i = 0; i < 250; ++i) budget.record_success(0);
  CHECK(budget.balance_milli() == 10'000);
}

TEST_CASE("finagle: the reserve allows min_retries_per_second over the ttl with no traffic") {
  Budget budget(calibrated(Calibration::finagle));  // 20 %, 10 per second, 10 s
  CHECK(budget.balance_milli_at(at(0)) == 100'000);
  CHECK(withdraw_all(budget, ErrorClass::ordinary) == 100);
}

TEST_CASE("finagle: each request allows percent_can_retry retries more") {
  Budget budget(calibrated(Calibration::finagle));
  for (int i = 0; i < 100; ++i) budget.record_request_at(at(0));
  CHECK(withdraw_all(budget, ErrorClass::ordinary) == 120);
}

TEST_CASE("finagle: deposits expire after the ttl, give or take a tenth of it") {
  Budget budget(calibrated(Calibration::finagle));
  for (int i = 0; i < 100; ++i) budget.record_request_at(at(0));
  CHECK(budget.balance_milli_at(at(9 * kSecond + kSecond / 2)) == 120'000);
  CHECK(budget.balance_milli_at(at(10 * kSecond)) == 100'000);
}

TEST_CASE("finagle: withdrawals expire too, and the balance may dip below zero meanwhile") {
  Budget budget(calibrated(Calibration::finagle));
  for (int i = 0; i < 50; ++i) budget.record_request_at(at(0));  // +10 retries' worth
  CHECK(withdraw_all(budget, ErrorClass::ordinary, 5 * kSecond) == 110);
  CHECK(budget.balance_milli_at(at(10 * kSecond)) == -10'000);  // the deposits left, the withdrawals stay
  CHECK(budget.withdraw_at(at(10 * kSecond), ErrorClass::ordinary) == 0);
  CHECK(budget.balance_milli_at(at(15 * kSecond)) == 100'000);
}

TEST_CASE("finagle: a long idle spell settles every bucket at once") {
  Budget budget(calibrated(Calibration::finagle));
  for (std::int64_t second = 0; second < 10; ++second) {
    budget.record_request_at(at(second * kSecond));
    REQUIRE(budget.withdraw_at(at(second * kSecond), ErrorClass::ordinary) != 0);
  }
  CHECK(budget.balance_milli_at(at(1000 * kSecond)) == 100'000);
}

TEST_CASE("refund gives a held ticket back, and refunding a refusal is a no-op") {
  Budget budget(calibrated(Calibration::aws));
  const std::uint64_t ticket = budget.withdraw(ErrorClass::ordinary);
  budget.refund(ticket);
  CHECK(budget.balance_milli() == 500'000);
  budget.refund(0);
  CHECK(budget.balance_milli() == 500'000);
}

TEST_CASE("tickets the budget cannot have issued are rejected") {
  Budget budget(calibrated(Calibration::aws));
  CHECK_THROWS_WITH(budget.record_success(2), Catch::Contains("ticket"));
  CHECK_THROWS_WITH(budget.refund((std::uint64_t{20'001} << 1) | 1), Catch::Contains("ticket"));
  CHECK(budget.balance_milli() == 500'000);
}

TEST_CASE("a budget that never reads the time never calls its clock") {
  int reads = 0;
  const backoff::Clock counting{[](void* user_data) -> std::int64_t {
                                  ++*static_cast<int*>(user_data);
                                  return 0;
                                },
                                &reads};
  Budget budget(calibrated(Calibration::aws), counting);
  budget.record_request();
  budget.record_success(budget.withdraw(ErrorClass::ordinary));
  CHECK(budget.balance_milli() == 500'000);
  CHECK(reads == 0);
  Budget finagle(calibrated(Calibration::finagle), counting);
  finagle.record_request();
  CHECK(reads > 0);
}

TEST_CASE("budget configuration: names, domains, calibrations and cross-checks") {
  for (int id = 0; id < backoff::kBudgetParamCount; ++id) {
    const auto param = static_cast<BudgetParam>(id);
    CHECK(backoff::param_from_name<backoff::BudgetParam>(backoff::param_name(param)) == param);
  }
  CHECK_THROWS_WITH(backoff::param_from_name<backoff::BudgetParam>("tokens"), Catch::Contains("'tokens'"));

  BudgetConfig config;
  CHECK_THROWS_WITH(config.set_f64(BudgetParam::max_tokens, 1001), Catch::Contains("max_tokens"));
  CHECK_THROWS_WITH(config.set_f64(BudgetParam::token_ratio, 0.0001), Catch::Contains("token_ratio"));
  CHECK_THROWS_WITH(config.set_f64(BudgetParam::capacity, 0), Catch::Contains("capacity"));
  CHECK_THROWS_WITH(config.set_f64(BudgetParam::retry_cost, -1), Catch::Contains("retry_cost"));
  CHECK_THROWS_WITH(config.set_f64(BudgetParam::percent_can_retry, std::nan("")), Catch::Contains("NaN"));
  CHECK_THROWS_WITH(config.set_i64(BudgetParam::ttl, 0), Catch::Contains("ttl"));
  CHECK_THROWS_WITH(config.set_i64(BudgetParam::calibration, 3), Catch::Contains("calibration"));
  CHECK_THROWS_AS(config.set_i64(BudgetParam::capacity, 5), backoff::Error);

  config.set_text("calibration", "grpc");
  config.set_text("max_tokens", "100");
  config.set_text("token_ratio", "0.5");
  CHECK(config.get_i64(BudgetParam::calibration) == static_cast<std::int64_t>(Calibration::grpc));
  CHECK(Budget(config).balance_milli() == 100'000);

  config.set_f64(BudgetParam::retry_cost, 1);  // an AWS knob on a gRPC budget
  CHECK_THROWS_WITH(Budget(config), Catch::Contains("retry_cost") && Catch::Contains("aws"));

  BudgetConfig tiny = calibrated(Calibration::aws);
  tiny.set_f64(BudgetParam::capacity, 8);
  CHECK_THROWS_WITH(Budget(tiny), Catch::Contains("timeout_cost") && Catch::Contains("capacity"));
}

TEST_CASE("budgets made one after another from one configuration each read their own clock") {
  // The clock is part of what budgets share: a budget with another clock must not read the first one's.
  std::int64_t first_ns = 0, second_ns = 0;
  const auto read = [](void* user_data) -> std::int64_t { return *static_cast<std::int64_t*>(user_data); };
  Budget first(calibrated(Calibration::finagle), backoff::Clock{read, &first_ns});
  Budget second(calibrated(Calibration::finagle), backoff::Clock{read, &second_ns});
  CHECK(&first.clock() != &second.clock());
  CHECK(second.clock().user_data == &second_ns);
  const std::int64_t reserve = first.balance_milli();
  second.withdraw(ErrorClass::ordinary);
  first_ns = 3600 * backoff_test::kSecond;  // the first budget's time passes; the second one's does not
  CHECK(second.balance_milli() == reserve - 1000);  // its withdrawal has not expired
}

TEST_CASE("budgets made one after another from different configurations each follow their own") {
  // Budgets share what equal configurations make; unequal ones, made in turn, must not.
  BudgetConfig small = calibrated(Calibration::aws);
  small.set_f64(BudgetParam::capacity, 10);
  std::vector<std::unique_ptr<Budget>> budgets;
  for (int i = 0; i < 4; ++i) {
    budgets.push_back(std::make_unique<Budget>(i % 2 == 0 ? calibrated(Calibration::aws) : small));
  }
  for (int i = 0; i < 4; ++i) {
    INFO("budget " << i);
    CHECK(budgets[i]->config().capacity == (i % 2 == 0 ? 500 : 10));
    CHECK(withdraw_all(*budgets[i], ErrorClass::ordinary) == (i % 2 == 0 ? 100 : 2));
  }
  // A parameter of another calibration is refused even at its default value, right after a budget of
  // the same settings was made.
  const Budget grpc(calibrated(Calibration::grpc));
  BudgetConfig mixed = calibrated(Calibration::grpc);
  mixed.set_f64(BudgetParam::retry_cost, 5);
  CHECK_THROWS_WITH(Budget(mixed), Catch::Contains("retry_cost") && Catch::Contains("aws"));
}

TEST_CASE("a pool keeps one budget per key, independent of the others") {
  backoff::BudgetPool pool(calibrated(Calibration::aws), 10);
  const backoff::BudgetRef a = pool.get("host-a");
  CHECK(pool.get("host-a").get() == a.get());
  const backoff::BudgetRef b = pool.get("host-b");
  CHECK(b.get() != a.get());
  withdraw_all(*a, ErrorClass::ordinary);
  CHECK(b->withdraw(ErrorClass::ordinary) != 0);
  CHECK(pool.size() == 2);
}

TEST_CASE("keys that differ only in a short tail get budgets of their own") {
  // The key hash once let the length cancel against the zero-padded tail: "" and "\x01" shared a budget.
  backoff::BudgetPool pool(calibrated(Calibration::aws), 10);
  const std::string keys[] = {"", std::string("\x01"), std::string(1, '\0'), std::string("\x02\x00", 2), "a",
                              std::string("a\x01")};
  std::vector<backoff::BudgetRef> budgets;
  for (const std::string& key : keys) budgets.push_back(pool.get(key));
  CHECK(pool.size() == std::size(keys));
  for (std::size_t i = 0; i < budgets.size(); ++i) {
    for (std::size_t j = i + 1; j < budgets.size(); ++j) CHECK(budgets[i].get() != budgets[j].get());
  }
}

TEST_CASE("a full pool drops the budget used least recently; holders keep theirs") {
  backoff::BudgetPool pool(calibrated(Calibration::aws), 2);
  const backoff::BudgetRef a = pool.get("a");
  const backoff::BudgetRef b = pool.get("b");
  withdraw_all(*b, ErrorClass::ordinary);
  pool.get("a");  // now b is the least recently used
  pool.get("c");
  CHECK(pool.size() == 2);
  CHECK(pool.get("a").get() == a.get());
  const backoff::BudgetRef b_again = pool.get("b");
  CHECK(b_again.get() != b.get());
  CHECK(b_again->balance_milli() == 500'000);  // starts afresh
  CHECK(b->balance_milli() == 0);              // the dropped one still works for its holder
  CHECK_THROWS_WITH(backoff::BudgetPool(calibrated(Calibration::aws), 0), Catch::Contains("max_keys"));
}

TEST_CASE("stress: a burst of failures cannot pass more retries than the bucket holds") {
  Budget budget(calibrated(Calibration::aws));
  std::atomic<int> granted{0};
  run_threads(8, [&](int) {
    for (int i = 0; i < 125; ++i) {
      if (budget.withdraw(ErrorClass::ordinary) != 0) granted.fetch_add(1);
    }
  });
  CHECK(granted.load() == 100);
  CHECK(budget.balance_milli() == 0);
  CHECK(budget.granted() == 100);
  CHECK(budget.refused() == 900);
}

TEST_CASE("stress: concurrent withdrawals and refunds conserve every milli-token") {
  Budget budget(calibrated(Calibration::aws));
  constexpr int kThreads = 4, kCalls = 100'000;
  run_threads(kThreads, [&](int t) {
    std::vector<std::uint64_t> held;
    std::mt19937 random(static_cast<unsigned>(t));
    for (int i = 0; i < kCalls; ++i) {
      if (random() % 2 == 0 || held.empty()) {
        const std::uint64_t ticket = budget.withdraw(static_cast<ErrorClass>(random() % 3));
        if (ticket != 0) held.push_back(ticket);
      } else {
        (random() % 2 ? budget.refund(held.back()) : budget.record_success(held.back()));
        held.pop_back();
      }
    }
    for (const std::uint64_t ticket : held) budget.refund(ticket);
  });
  CHECK(budget.balance_milli() == 500'000);
  CHECK(budget.granted() + budget.refused() > 0);
}

TEST_CASE("stress: finagle's expiring ledger returns exactly to its reserve") {
  Budget budget(calibrated(Calibration::finagle));
  constexpr int kThreads = 4, kCalls = 50'000;
  run_threads(kThreads, [&](int t) {
    std::mt19937_64 random(static_cast<unsigned>(t));
    for (int i = 0; i < kCalls; ++i) {
      // Times drift forward with jitter, so threads disagree about "now" as real threads do.
      const auto now = static_cast<std::int64_t>(i) * 600'000 + static_cast<std::int64_t>(random() % kSecond);
      switch (random() % 3) {
        case 0: budget.record_request_at(at(now)); break;
        case 1: budget.withdraw_at(at(now), ErrorClass::ordinary); break;
        default: budget.refund_at(at(now), budget.withdraw_at(at(now), ErrorClass::timeout)); break;
      }
    }
  });
  CHECK(budget.balance_milli_at(at(1000 * kSecond)) == 100'000);
}
