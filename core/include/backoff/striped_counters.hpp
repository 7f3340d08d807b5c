// StripedCounters: event counters that threads can bump at once without sharing a cache line.
//
// One shared atomic counter turns every increment into a cache-line transfer between cores, and would
// make a breaker's lock-free fast path slower with two threads than with one. Each thread bumps its own
// stripe instead (Java's LongAdder, Finagle's WindowedAdder); a read sums the stripes. Sums are exact once
// the writers are done, and never go backwards.
#pragma once

#include <atomic>
#include <cstdint>

namespace backoff {

class StripedCounters {
 public:
  static constexpr int kFields = 8;  // 8 uint64 fill one 64-byte cache line per stripe
  static constexpr unsigned kStripes = 32;

  void add(int field) noexcept {
    stripes_[stripe_of_this_thread()].value[field].fetch_add(1, std::memory_order_relaxed);
  }

  std::uint64_t sum(int field) const noexcept {
    std::uint64_t total = 0;
    for (const Stripe& stripe : stripes_) total += stripe.value[field].load(std::memory_order_relaxed);
    return total;
  }

 private:
  // The stripe is picked from the address of a local variable: every thread runs on its own stack, and
  // the address costs nothing, where a thread_local index costs a __tls_get_addr call in a shared
  // library (and the faster initial-exec TLS model can make dlopen fail). Two threads land on one stripe
  // with odds 1 / kStripes; they then share a cache line, which is slower but still exact.
  static unsigned stripe_of_this_thread() noexcept {
    char local;
    // Bits below 2^16 change with the call depth; the stacks of two threads differ above them.
    const std::uint64_t stack_region = reinterpret_cast<std::uintptr_t>(&local) >> 16;
    return static_cast<unsigned>((stack_region * 0x9e3779b97f4a7c15ull) >> 59);  // the top 5 bits
  }
  static_assert(kStripes == 32, "stripe_of_this_thread keeps 5 bits");

  struct alignas(64) Stripe {
    std::atomic<std::uint64_t> value[kFields] = {};
  };
  Stripe stripes_[kStripes];
};

}  // namespace backoff
