// StripedCounters: event counters that threads can bump at once without sharing a cache line.
//
// One shared atomic counter turns every increment into a cache-line transfer between cores, and would
// make a breaker's lock-free fast path slower with two threads than with one. Each thread bumps its own
// stripe instead (Java's LongAdder, Finagle's WindowedAdder); a read sums the stripes. Sums are exact once
// the writers are done, and never go backwards.
//
// Size: 8 bytes a field and 16 more (80 B for the breaker's 8 fields, 24 B for the budget's one), and
// 2 KiB more (kStripes cache lines) from the first count on a second thread stripe (thread_stripe.hpp).
// Padding is only worth it where threads contend, so a per-key object that one thread drives, or that
// threads drive in turn, stays small; one that two threads share pays for its stripes once, on the first
// sign of sharing.
#pragma once

#include <atomic>
#include <cstdint>
#include <new>

#include "backoff/stripe_owner.hpp"
#include "backoff/thread_stripe.hpp"

namespace backoff {

// Fields: how many counters (at most 8, which fill one 64-byte line per stripe).
template <int Fields>
class BasicStripedCounters {
 public:
  static_assert(Fields >= 1 && Fields <= 8, "a stripe is one cache line of at most 8 counters");
  static constexpr int kFields = Fields;
  static constexpr unsigned kStripes = 32;  // thread_stripe<5>()

  BasicStripedCounters() = default;
  ~BasicStripedCounters() { delete[] stripes_.load(std::memory_order_acquire); }
  BasicStripedCounters(const BasicStripedCounters&) = delete;
  BasicStripedCounters& operator=(const BasicStripedCounters&) = delete;

  void add(int field) noexcept {
    // Written out rather than through cell(): a branch per path keeps the owner's increment a single
    // instruction on the breaker's closed path (bench/bench_breaker.cpp measured 2-3 ns more through cell()).
    const unsigned stripe = thread_stripe<5>();
    Stripe* stripes = stripes_.load(std::memory_order_acquire);
    if (stripes != nullptr) {
      stripes[stripe].value[field].fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (owner_.owns(stripe)) {
      first_[field].fetch_add(1, std::memory_order_relaxed);
      return;
    }
    cell(field).fetch_add(1, std::memory_order_relaxed);
  }

  // Adds `amount`, saturating at UINT64_MAX, for a field that sums quantities (nanoseconds slept) rather
  // than events. A compare-and-swap loop, so paid only where the amount may be large.
  void add_saturating(int field, std::uint64_t amount) noexcept {
    std::atomic<std::uint64_t>& counter = cell(field);
    std::uint64_t old = counter.load(std::memory_order_relaxed);
    while (!counter.compare_exchange_weak(old, old > UINT64_MAX - amount ? UINT64_MAX : old + amount,
                                          std::memory_order_relaxed)) {
    }
  }

  // The stripes' total, saturating at UINT64_MAX (only a field written with add_saturating() gets there).
  std::uint64_t sum(int field) const noexcept {
    std::uint64_t total = first_[field].load(std::memory_order_relaxed);
    const Stripe* stripes = stripes_.load(std::memory_order_acquire);
    if (stripes == nullptr) return total;
    for (unsigned i = 0; i < kStripes; ++i) {
      const std::uint64_t value = stripes[i].value[field].load(std::memory_order_relaxed);
      total = total > UINT64_MAX - value ? UINT64_MAX : total + value;
    }
    return total;
  }

 private:
  struct alignas(64) Stripe {
    std::atomic<std::uint64_t> value[kFields] = {};
  };

  // The calling thread's counter of `field`: the inline counters while only the first stripe to count
  // (the owner) has counted; stripes of their own for every thread, the owner included, from the first
  // sign of a second one. The owner leaves the inline counters then because they share cache lines with
  // what every thread reads (a breaker's state word): once threads share the object, no call writes
  // there. Any cell is exact, since a read sums them all.
  std::atomic<std::uint64_t>& cell(int field) noexcept {
    const unsigned stripe = thread_stripe<5>();
    Stripe* stripes = stripes_.load(std::memory_order_acquire);
    if (stripes == nullptr && !owner_.owns(stripe)) stripes = spread();
    // The owner before the spread, or out of memory: the inline counters, exact either way.
    return stripes == nullptr ? first_[field] : stripes[stripe].value[field];
  }

  // Makes the stripes once; threads that race keep the first thread's. Null if memory ran out.
  Stripe* spread() noexcept {
    Stripe* made = new (std::nothrow) Stripe[kStripes];
    Stripe* expected = nullptr;
    if (made == nullptr || stripes_.compare_exchange_strong(expected, made, std::memory_order_acq_rel)) return made;
    delete[] made;
    return expected;
  }

  std::atomic<std::uint64_t> first_[kFields] = {};  // the owner's counts
  StripeOwner owner_;
  std::atomic<Stripe*> stripes_{nullptr};
};

using StripedCounters = BasicStripedCounters<8>;

}  // namespace backoff
