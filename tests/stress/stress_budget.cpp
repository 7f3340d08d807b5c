// Stress test: many threads on one backoff_budget and on one backoff_budget_pool through the C API.
//
// tests/core/budget_test.cpp already races the core Budget (an AWS burst, AWS conservation, Finagle's
// ledger). These go through the C entry points and cover the rest: gRPC's failures and successes racing
// withdrawals, a reader checking the balance bounds while the writers run, and a pool whose keys are
// evicted and recreated while handles to them are in use.
//
// Usage: stress_budget <check>; the checks are listed at the bottom, one ctest each.
#define BACKOFF_EXPERIMENTAL /* also tests the experimental tier of backoff.h */
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "backoff.h"
#include "stress_harness.hpp"

using backoff_stress::Failures;

namespace {

backoff_budget_config* make_config(std::initializer_list<std::pair<const char*, const char*>> params) {
  backoff_budget_config* config = nullptr;
  backoff_budget_config_new(&config);
  for (const auto& [name, value] : params) {
    if (backoff_budget_config_set_text(config, name, value) != BACKOFF_OK) std::abort();
  }
  return config;
}

backoff_budget* make_budget(std::initializer_list<std::pair<const char*, const char*>> params) {
  backoff_budget_config* config = make_config(params);
  backoff_budget* budget = nullptr;
  if (backoff_budget_new(&budget, config) != BACKOFF_OK) std::abort();
  backoff_budget_config_free(config);
  return budget;
}

std::int64_t balance(backoff_budget* budget) {
  std::int64_t milli = -1;
  backoff_budget_balance(&milli, budget);
  return milli;
}

std::uint64_t count(const backoff_budget* budget, int which) {
  std::uint64_t value = 0;
  backoff_budget_get_count(&value, budget, which);
  return value;
}

// Thread 0 reads the balance until the others finish; any value outside [0, capacity] is a failure.
template <class Work>
void with_balance_watch(backoff_budget* budget, std::int64_t capacity, Failures& failures, Work work) {
  std::atomic<int> workers_left{backoff_stress::kThreads - 1};
  backoff_stress::run_concurrently([&](int thread) {
    if (thread == 0) {
      while (workers_left.load() > 0) {
        const std::int64_t milli = balance(budget);
        if (milli < 0 || milli > capacity) failures.add("balance " + std::to_string(milli) + " seen");
      }
      return;
    }
    work(thread);
    workers_left.fetch_sub(1);
  });
}

// gRPC: failures take a token, successes add token_ratio, withdrawals pass only above half; all at once.
void grpc_tokens_stay_in_range(Failures& failures) {
  backoff_budget* budget = make_budget({{"calibration", "grpc"}, {"max_tokens", "10"}, {"token_ratio", "0.3"}});
  std::atomic<std::uint64_t> withdrawals{0};
  with_balance_watch(budget, 10'000, failures, [&](int thread) {
    std::mt19937 random(static_cast<unsigned>(thread));
    for (int i = 0; i < 50'000; ++i) {
      switch (random() % 3) {
        case 0: backoff_budget_record_failure(budget); break;
        case 1: backoff_budget_record_success(budget, 0); break;
        default: {
          std::uint64_t ticket = 0;
          withdrawals.fetch_add(1);
          if (backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_ORDINARY) == BACKOFF_OK) {
            backoff_budget_record_success(budget, ticket);
          }
        }
      }
    }
  });
  const std::uint64_t decided = count(budget, BACKOFF_BUDGET_COUNT_GRANTED) + count(budget, BACKOFF_BUDGET_COUNT_REFUSED);
  if (decided != withdrawals.load()) {
    failures.add(std::to_string(decided) + " withdrawals counted, " + std::to_string(withdrawals.load()) + " made");
  }
  backoff_budget_free(budget);
}

// AWS with every error class: what was withdrawn and not yet refunded is exactly what the bucket lacks,
// once the threads stop; meanwhile the balance stays within [0, capacity].
void aws_withdrawn_minus_refunded(Failures& failures) {
  backoff_budget* budget = make_budget({{"capacity", "50"}, {"retry_cost", "5"}, {"timeout_cost", "10"},
                                        {"throttling_cost", "0.5"}, {"no_retry_increment", "0.25"}});
  constexpr std::int64_t kCapacity = 50'000;
  constexpr std::int64_t kCosts[] = {5'000, 10'000, 500};
  std::atomic<std::int64_t> outstanding{0};  // withdrawn minus refunded, in milli-tokens
  with_balance_watch(budget, kCapacity, failures, [&](int thread) {
    std::mt19937 random(static_cast<unsigned>(thread));
    std::vector<std::pair<std::uint64_t, std::int64_t>> held;
    for (int i = 0; i < 50'000; ++i) {
      if (held.empty() || random() % 2 == 0) {
        const int error_class = static_cast<int>(random() % 3);
        std::uint64_t ticket = 0;
        if (backoff_budget_withdraw(&ticket, budget, error_class) == BACKOFF_OK) {
          held.emplace_back(ticket, kCosts[error_class]);
          outstanding.fetch_add(kCosts[error_class]);
        }
      } else {
        const auto [ticket, cost] = held.back();
        held.pop_back();
        // Both give the whole cost back; the bucket is never full while this ticket is out.
        (random() % 2 ? backoff_budget_refund : backoff_budget_record_success)(budget, ticket);
        outstanding.fetch_sub(cost);
      }
    }
    // Keep some tickets out at the end, so that the final balance has something to account for.
    while (held.size() > 3) {
      backoff_budget_refund(budget, held.back().first);
      outstanding.fetch_sub(held.back().second);
      held.pop_back();
    }
  });
  if (balance(budget) != kCapacity - outstanding.load()) {
    failures.add("balance " + std::to_string(balance(budget)) + ", outstanding " + std::to_string(outstanding.load()));
  }
  backoff_budget_free(budget);
}

// A pool of 4 budgets over 16 keys: keys are evicted and recreated while threads use handles to them.
// The pool never holds more than 4, and every budget, held or recreated, is full again once each thread
// has refunded what it withdrew through its own handle.
void pool_evicts_under_load(Failures& failures) {
  backoff_budget_config* config = make_config({{"capacity", "20"}, {"retry_cost", "1"}});
  backoff_budget_pool* pool = nullptr;
  if (backoff_budget_pool_new(&pool, config, 4) != BACKOFF_OK) std::abort();
  backoff_budget_config_free(config);
  backoff_stress::run_concurrently([&](int thread) {
    std::mt19937 random(static_cast<unsigned>(thread));
    for (int i = 0; i < 5'000; ++i) {
      const std::string key = "host-" + std::to_string(random() % 16);
      backoff_budget* budget = nullptr;
      if (backoff_budget_pool_get(&budget, pool, key.c_str()) != BACKOFF_OK) {
        failures.add("pool_get failed");
        return;
      }
      std::vector<std::uint64_t> tickets(random() % 4);
      for (std::uint64_t& ticket : tickets) backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_ORDINARY);
      const std::int64_t milli = balance(budget);
      if (milli < 0 || milli > 20'000) failures.add("pool budget holds " + std::to_string(milli));
      for (const std::uint64_t ticket : tickets) backoff_budget_refund(budget, ticket);
      backoff_budget_free(budget);
      std::int64_t size = -1;
      backoff_budget_pool_size(&size, pool);
      if (size < 1 || size > 4) failures.add("pool holds " + std::to_string(size) + " budgets");
    }
  });
  for (int key = 0; key < 16; ++key) {
    backoff_budget* budget = nullptr;
    backoff_budget_pool_get(&budget, pool, ("host-" + std::to_string(key)).c_str());
    if (balance(budget) != 20'000) failures.add("host-" + std::to_string(key) + " ends at " + std::to_string(balance(budget)));
    backoff_budget_free(budget);
  }
  backoff_budget_pool_free(pool);
}

}  // namespace

int main(int argc, char** argv) {
  static const backoff_stress::Check kChecks[] = {
      {"grpc", grpc_tokens_stay_in_range},
      {"aws", aws_withdrawn_minus_refunded},
      {"pool", pool_evicts_under_load},
  };
  return backoff_stress::run_check(argc, argv, kChecks);
}
