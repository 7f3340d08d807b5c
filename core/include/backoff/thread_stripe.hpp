// thread_stripe(): which of a few per-thread stripes the calling thread should use, for state that many
// threads update at once (counters, ticket rings) and that would otherwise bounce one cache line between
// cores on every update.
#pragma once

#include <cstdint>

namespace backoff {

// A number in [0, 2^bits), stable for a thread while its call depth stays within 64 KiB. It is picked
// from the address of the caller's stack frame: every thread runs on its own stack, and the address costs
// nothing, where a thread_local index costs a __tls_get_addr call in a shared library (and the faster
// initial-exec TLS model can make dlopen fail). The frame, not a local variable: AddressSanitizer's
// detect_stack_use_after_return moves locals whose address is taken to a "fake stack" on the heap, a new
// place on every call, which would hand a thread a different stripe each time (a ticket ring that never
// fills, a lease left behind on every call); the frame address stays on the thread's real stack. Two
// threads share a stripe with odds 2^-bits, and more than 2^bits threads must share; that is slower,
// never wrong: every user of a stripe must stay exact when threads share or change stripes.
template <unsigned bits>
inline unsigned thread_stripe() noexcept {
  static_assert(bits >= 1 && bits <= 16, "a stripe index of 1 to 16 bits");
#if defined(__GNUC__) || defined(__clang__)
  const void* const frame = __builtin_frame_address(0);
#else
  char local;  // no fake stacks outside GCC and Clang's sanitizers
  const void* const frame = &local;
#endif
  // Bits below 2^16 change with the call depth; the stacks of two threads differ above them.
  const std::uint64_t stack_region = reinterpret_cast<std::uintptr_t>(frame) >> 16;
  return static_cast<unsigned>((stack_region * 0x9e3779b97f4a7c15ull) >> (64 - bits));  // the top bits
}

}  // namespace backoff
