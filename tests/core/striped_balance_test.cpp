// StripedBalance: one balance in stripes, exact under threads: never overdrawn, never over capacity, and
// every milli-token accounted for once the threads are done.
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>

#include "backoff/budget.hpp"
#include "backoff/budget_owner.hpp"
#include "backoff/striped_balance.hpp"
#include "backoff/thread_stripe.hpp"
#include "run_threads.hpp"

namespace {

// A striped balance as a budget drives it: with an owner for its inline balance and its capacity.
// take_on() and give_on() name the stripe instead of the calling thread's, so that tests can make
// threads share and swap stripes, as threads that outnumber the stripes, or ASan's fake stacks, do.
class StripedBalance {
 public:
  StripedBalance(std::int64_t initial, std::int64_t capacity) : capacity_(capacity), balance_(initial) {}
  bool take(std::int64_t amount) { return take_on(stripe(), amount); }
  std::int64_t give(std::int64_t amount) { return give_on(stripe(), amount); }
  bool take_on(unsigned stripe, std::int64_t amount) {
    return balance_.take(stripe, [&] { return owner_.owns(stripe % kStripes); }, amount, capacity_);
  }
  std::int64_t give_on(unsigned stripe, std::int64_t amount) {
    return balance_.give(stripe, [&] { return owner_.owns(stripe % kStripes); }, amount, capacity_);
  }
  std::int64_t total() const { return balance_.total(capacity_); }

 private:
  static constexpr unsigned kStripes = 1u << backoff::BudgetOwner::kStripeBits;
  static unsigned stripe() { return backoff::thread_stripe<backoff::BudgetOwner::kStripeBits>(); }

  const std::int64_t capacity_;
  backoff::BudgetOwner owner_;
  backoff::StripedBalance balance_;
};

}  // namespace

TEST_CASE("a striped balance takes only what it holds and gives only up to its capacity") {
  StripedBalance balance(10'000, 12'000);
  CHECK(balance.take(4'000));
  CHECK(balance.take(6'000));
  CHECK_FALSE(balance.take(1));
  CHECK(balance.total() == 0);
  CHECK(balance.give(5'000) == 5'000);
  CHECK(balance.give(10'000) == 7'000);  // cut short at the capacity
  CHECK(balance.give(1) == 0);
  CHECK(balance.total() == 12'000);
  CHECK(balance.take(12'000));
  CHECK(balance.total() == 0);
}

TEST_CASE("stress: threads drawing on one striped balance never get more than it holds in total") {
  StripedBalance balance(1'000'000, 1'000'000);
  std::atomic<std::int64_t> taken{0};
  run_threads(4, [&](int) {
    while (balance.take(5'000)) taken.fetch_add(5'000);
  });
  CHECK(taken.load() == 1'000'000);  // every token went out, once
  CHECK(balance.total() == 0);
}

TEST_CASE("stress: concurrent takes and gives conserve every milli-token and respect the capacity") {
  constexpr std::int64_t kCapacity = 500'000;
  StripedBalance balance(kCapacity / 2, kCapacity);
  std::atomic<std::int64_t> net{0};  // what the threads took minus what they added
  run_threads(4, [&](int t) {
    std::mt19937 random(static_cast<unsigned>(t));
    for (int i = 0; i < 200'000; ++i) {
      const std::int64_t amount = 1'000 * (1 + static_cast<std::int64_t>(random() % 10));
      if (random() % 2 == 0) {
        if (balance.take(amount)) net.fetch_add(amount);
      } else {
        net.fetch_sub(balance.give(amount));
      }
    }
  });
  CHECK(balance.total() == kCapacity / 2 - net.load());
  CHECK(balance.total() >= 0);
  CHECK(balance.total() <= kCapacity);
  // Idle stripes still hold leases; a full drain from one thread reclaims them all.
  std::int64_t drained = 0;
  while (balance.take(1'000)) drained += 1'000;
  CHECK(drained + balance.total() == kCapacity / 2 - net.load());
}

TEST_CASE("stress: aws withdrawals and refunds from 4 threads keep the budget's balance exact") {
  backoff::BudgetConfig config;
  backoff::Budget budget(config);  // AWS: 500 tokens, 5 a retry
  std::atomic<int> granted{0};
  run_threads(4, [&](int) {
    for (int i = 0; i < 100'000; ++i) {
      const std::uint64_t ticket = budget.withdraw(backoff::ErrorClass::ordinary);
      if (ticket == 0) continue;
      granted.fetch_add(1);
      budget.refund(ticket);
    }
  });
  CHECK(budget.balance_milli() == 500'000);
  CHECK(budget.granted() == static_cast<std::uint64_t>(granted.load()));
}

TEST_CASE("stress: threads that swap and share stripes give back every withdrawal in full") {
  // Each refund lands on another stripe than its withdrawal, so the room it needs is in another stripe
  // or the centre, and the threads keep calling leases in from one another, as threads do whose stripe
  // changes (ASan's fake stacks) or that outnumber the stripes; 16 threads also share 32 stripes at
  // once. A refund is never cut short: the balance is below the capacity by at least the withdrawal
  // being refunded. A lost refund shows in a fraction of rounds only, so there are several.
  constexpr std::int64_t kCapacity = 500'000;
  for (int round = 0; round < 8; ++round) {
    StripedBalance balance(kCapacity, kCapacity);
    std::atomic<std::int64_t> cut_short{0};
    run_threads(16, [&](int t) {
      std::mt19937 random(static_cast<unsigned>(round * 16 + t));
      for (int i = 0; i < 100'000; ++i) {
        const auto stripe = static_cast<unsigned>(random() % 32);
        if (!balance.take_on(stripe, 5'000)) continue;
        cut_short.fetch_add(5'000 - balance.give_on(stripe + 1 + static_cast<unsigned>(random() % 31), 5'000));
      }
    });
    INFO("round " << round);
    REQUIRE(cut_short.load() == 0);
    REQUIRE(balance.total() == kCapacity);
  }
}

TEST_CASE("a striped balance starts inline and hands its whole balance over when a second stripe calls") {
  StripedBalance balance(10'000, 12'000);
  CHECK(balance.take_on(0, 4'000));  // stripe 0 owns the inline balance
  CHECK(balance.give_on(0, 1'000) == 1'000);
  CHECK(balance.total() == 7'000);
  CHECK(balance.take_on(1, 7'000));  // only the whole inline balance covers it
  CHECK_FALSE(balance.take_on(0, 1));
  CHECK(balance.total() == 0);
  CHECK(balance.give_on(0, 20'000) == 12'000);
  CHECK(balance.total() == 12'000);
}

TEST_CASE("stress: the hand-over to the stripes, racing the owner's calls, loses and invents nothing") {
  constexpr std::int64_t kCapacity = 20'000;
  for (int round = 0; round < 200; ++round) {
    StripedBalance balance(kCapacity, kCapacity);
    CHECK(balance.take_on(0, 0));  // stripe 0 owns the inline balance; stripe 1's first call spreads it
    std::atomic<std::int64_t> cut_short{0};
    run_threads(2, [&](int t) {
      for (int i = 0; i < 2'000; ++i) {
        if (balance.take_on(static_cast<unsigned>(t), 5'000)) {
          cut_short.fetch_add(5'000 - balance.give_on(static_cast<unsigned>(t), 5'000));
        }
      }
    });
    INFO("round " << round);
    REQUIRE(cut_short.load() == 0);
    REQUIRE(balance.total() == kCapacity);
  }
}
