// StripedCounters: event counters that threads can bump at once without sharing a cache line.
//
// One shared atomic counter turns every increment into a cache-line transfer between cores, and would
// make a breaker's lock-free fast path slower with two threads than with one. Each thread bumps its own
// stripe instead (Java's LongAdder, Finagle's WindowedAdder); a read sums the stripes. Sums are exact once
// the writers are done, and never go backwards.
#pragma once

#include <atomic>
#include <cstdint>

#include "backoff/thread_stripe.hpp"

namespace backoff {

class StripedCounters {
 public:
  static constexpr int kFields = 8;  // 8 uint64 fill one 64-byte cache line per stripe
  static constexpr unsigned kStripes = 32;  // thread_stripe<5>()

  void add(int field) noexcept {
    stripes_[thread_stripe<5>()].value[field].fetch_add(1, std::memory_order_relaxed);
  }

  std::uint64_t sum(int field) const noexcept {
    std::uint64_t total = 0;
    for (const Stripe& stripe : stripes_) total += stripe.value[field].load(std::memory_order_relaxed);
    return total;
  }

 private:
  struct alignas(64) Stripe {
    std::atomic<std::uint64_t> value[kFields] = {};
  };
  Stripe stripes_[kStripes];
};

}  // namespace backoff
