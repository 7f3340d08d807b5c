// A budget's one owner for its lazily striped parts, its refusal count, and its counted references.
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>

#include "backoff/budget.hpp"
#include "backoff/budget_owner.hpp"
#include "backoff/budget_pool.hpp"
#include "backoff/budget_refusals.hpp"
#include "backoff/budget_tickets.hpp"
#include "budget_test_support.hpp"
#include "run_threads.hpp"

using backoff::Budget;
using backoff::BudgetOwner;
using backoff::BudgetRef;
using backoff::BudgetTickets;
using backoff::Calibration;
using backoff::ErrorClass;
using budget_test::calibrated;

TEST_CASE("the first stripe owns a budget until a second one calls, and no stripe owns it after") {
  BudgetOwner owner;
  CHECK(owner.owns(3));
  CHECK(owner.owns(3));
  CHECK_FALSE(owner.owns(5));  // the budget is shared from here on
  CHECK_FALSE(owner.owns(3));
  CHECK_FALSE(owner.owns(5));
}

TEST_CASE("tickets the owner took inline settle after the budget is shared, and the owner then uses a stripe") {
  BudgetOwner owner;
  BudgetTickets tickets;
  const std::uint64_t before = tickets.issue(3, owner.owns(3), 0);
  CHECK_FALSE(owner.owns(7));
  const std::uint64_t other = tickets.issue(7, false, 1);
  const std::uint64_t after = tickets.issue(3, owner.owns(3), 2);
  CHECK(after >> (64 - BudgetTickets::kStripeBits) == 3);  // from stripe 3's table, not inline
  int error_class = -1;
  for (const std::uint64_t ticket : {before, other, after}) {
    CHECK(tickets.redeem(ticket, &error_class) == BudgetTickets::Redeemed::honoured);
    CHECK(tickets.redeem(ticket, &error_class) == BudgetTickets::Redeemed::invalid);
  }
  CHECK(error_class == 2);
  CHECK(tickets.issued() == 3);
}

TEST_CASE("refusals counted inline and on the stripes add up, under threads too") {
  BudgetOwner owner;
  backoff::BudgetRefusals refusals;
  refusals.add(1, owner.owns(1));
  refusals.add(1, owner.owns(1));
  CHECK(refusals.sum() == 2);
  run_threads(4, [&](int t) {
    const auto stripe = static_cast<unsigned>(t + 2);
    for (int i = 0; i < 10'000; ++i) refusals.add(stripe, owner.owns(stripe));
  });
  refusals.add(1, owner.owns(1));  // the owner counts on its stripe now
  CHECK(refusals.sum() == 40'003);
}

TEST_CASE("a budget counts its refusals from every thread once shared") {
  Budget budget(calibrated(Calibration::aws));  // 500 tokens, 5 a retry: 100 retries
  run_threads(4, [&](int) {
    for (int i = 0; i < 1'000; ++i) budget.withdraw(ErrorClass::ordinary);
  });
  CHECK(budget.granted() == 100);
  CHECK(budget.refused() == 3'900);
}

TEST_CASE("a budget's counted references keep it alive until the last goes") {
  BudgetRef first = Budget::make(calibrated(Calibration::aws));
  Budget* const budget = first.get();
  BudgetRef second = BudgetRef::share(budget);
  const std::uint64_t ticket = second->withdraw(ErrorClass::ordinary);
  first = BudgetRef();  // dropped: the second reference keeps the budget
  CHECK(second->balance_milli() == 495'000);
  second->refund(ticket);
  BudgetRef moved = std::move(second);
  CHECK(second.get() == nullptr);
  CHECK(moved->balance_milli() == 500'000);
  Budget* const released = moved.release();  // as a C handle holds it
  CHECK(released == budget);
  BudgetRef adopted = BudgetRef::adopt(released);
  CHECK(adopted->balance_milli() == 500'000);
}

TEST_CASE("a pool's budgets outlive the pool and their eviction for the references taken from it") {
  BudgetRef kept;
  {
    backoff::BudgetPool pool(calibrated(Calibration::aws), 1);
    kept = pool.get("a");
    kept->withdraw(ErrorClass::ordinary);
    pool.get("b");  // evicts "a": the kept budget is no longer the pool's
    std::atomic<int> stale{0};
    run_threads(4, [&](int t) {
      for (int i = 0; i < 1'000; ++i) {
        const BudgetRef budget = pool.get(t % 2 == 0 ? "a" : "b");  // each get of the other key evicts
        if (budget->balance_milli() != 500'000) stale.fetch_add(1);
      }
    });
    CHECK(stale.load() == 0);  // every budget made afresh, none of them the kept one
  }
  CHECK(kept->balance_milli() == 495'000);
}
