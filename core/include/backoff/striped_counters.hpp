// StripedCounters: event counters that threads can bump at once without sharing a cache line.
//
// One shared atomic counter turns every increment into a cache-line transfer between cores, and would
// make a breaker's lock-free fast path slower with two threads than with one. Each thread bumps its own
// stripe instead (Java's LongAdder, Finagle's WindowedAdder); a read sums the stripes. Sums are exact once
// the writers are done, and never go backwards.
//
// Size: 80 bytes while one thread stripe (thread_stripe.hpp) has counted, and 2 KiB more (kStripes
// cache lines) from the first count on a second stripe. Padding is only worth it where threads contend,
// so a per-key object that one thread drives, or that threads drive in turn, stays small; one that two
// threads share pays for its stripes once, on the first sign of sharing.
#pragma once

#include <atomic>
#include <cstdint>
#include <new>

#include "backoff/thread_stripe.hpp"

namespace backoff {

class StripedCounters {
 public:
  static constexpr int kFields = 8;  // 8 uint64 fill one 64-byte cache line per stripe
  static constexpr unsigned kStripes = 32;  // thread_stripe<5>()

  StripedCounters() = default;
  ~StripedCounters() { delete[] stripes_.load(std::memory_order_acquire); }
  StripedCounters(const StripedCounters&) = delete;
  StripedCounters& operator=(const StripedCounters&) = delete;

  void add(int field) noexcept {
    // Written out rather than through cell(): a branch per path keeps the owner's increment a single
    // instruction on the breaker's closed path (bench/bench_breaker.cpp measured 2-3 ns more through cell()).
    const unsigned stripe = thread_stripe<5>();
    unsigned owner = owner_.load(std::memory_order_relaxed);
    if (owner == 0 && owner_.compare_exchange_strong(owner, stripe + 1, std::memory_order_relaxed)) owner = stripe + 1;
    if (owner == stripe + 1) {
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

  // The calling thread's counter of `field`.
  std::atomic<std::uint64_t>& cell(int field) noexcept {
    const unsigned stripe = thread_stripe<5>();
    // The first stripe to count owns the inline line for good; the others count on stripes of their
    // own, made on the first sign of a second one.
    unsigned owner = owner_.load(std::memory_order_relaxed);
    if (owner == 0 && owner_.compare_exchange_strong(owner, stripe + 1, std::memory_order_relaxed)) owner = stripe + 1;
    Stripe* stripes = owner == stripe + 1 ? nullptr : stripes_.load(std::memory_order_acquire);
    if (stripes == nullptr && owner != stripe + 1) stripes = spread();
    // The owner, or out of memory: the inline line, exact either way.
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
  std::atomic<unsigned> owner_{0};                  // the owning stripe + 1; 0 before the first count
  std::atomic<Stripe*> stripes_{nullptr};
};

}  // namespace backoff
