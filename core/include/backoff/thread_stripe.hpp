// thread_stripe(): which of a few per-thread stripes the calling thread should use, for state that many
// threads update at once (counters, ticket rings) and that would otherwise bounce one cache line between
// cores on every update.
#pragma once

#include <cstdint>

namespace backoff {

// A number in [0, 2^bits), stable for a thread while its call depth stays within 64 KiB. It is picked
// from the address of a local variable: every thread runs on its own stack, and the address costs
// nothing, where a thread_local index costs a __tls_get_addr call in a shared library (and the faster
// initial-exec TLS model can make dlopen fail). Two threads share a stripe with odds 2^-bits; that is
// slower, never wrong: every user of a stripe must stay exact when threads share it.
template <unsigned bits>
inline unsigned thread_stripe() noexcept {
  static_assert(bits >= 1 && bits <= 16, "a stripe index of 1 to 16 bits");
  char local;
  // Bits below 2^16 change with the call depth; the stacks of two threads differ above them.
  const std::uint64_t stack_region = reinterpret_cast<std::uintptr_t>(&local) >> 16;
  return static_cast<unsigned>((stack_region * 0x9e3779b97f4a7c15ull) >> (64 - bits));  // the top bits
}

}  // namespace backoff
