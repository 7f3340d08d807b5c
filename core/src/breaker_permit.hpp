// The encodings a Breaker shares between its lock-free and locked halves (breaker.cpp,
// breaker_transitions.cpp): the atomic state word and the permit tokens.
#pragma once

#include <cstdint>

#include "backoff/breaker.hpp"
#include "backoff/saturating.hpp"

namespace backoff::breaker_detail {

// The state word: generation << 3 | state. The generation starts at 1 and moves on at every transition;
// at one transition per nanosecond it would take 73 years to exhaust 61 bits.
constexpr std::uint64_t pack(std::uint64_t generation, BreakerState state) noexcept {
  return generation << 3 | static_cast<std::uint64_t>(state);
}
constexpr BreakerState state_of(std::uint64_t word) noexcept { return static_cast<BreakerState>(word & 7); }
constexpr std::uint64_t generation_of(std::uint64_t word) noexcept { return word >> 3; }

// Permits. 0 is never a permit: it is the rejection. Bit 0 tells the two kinds apart:
//   closed (and disabled) state: generation << 1. Nothing is held, so nothing needs tracking.
//   half-open probe: lease << 11 | slot << 1 | 1. Lease numbers are unique for the breaker's lifetime, so a
//   reclaimed slot handed to a new caller never accepts the old holder's late result.
constexpr std::uint64_t closed_permit(std::uint64_t generation) noexcept { return generation << 1; }
constexpr bool is_probe(std::uint64_t permit) noexcept { return (permit & 1) != 0; }
constexpr std::uint64_t permit_generation(std::uint64_t permit) noexcept { return permit >> 1; }
constexpr std::uint64_t probe_permit(std::uint64_t lease, std::uint64_t slot) noexcept {
  return lease << 11 | slot << 1 | 1;
}
constexpr std::uint64_t probe_slot(std::uint64_t permit) noexcept { return (permit >> 1) & 1023; }
constexpr std::uint64_t probe_lease(std::uint64_t permit) noexcept { return permit >> 11; }
static_assert(kMaxHalfOpenProbes <= 1024, "a probe permit has 10 bits for its slot");

// now + duration, saturating; `now` may be negative (an explicit time before the clock's origin).
constexpr std::int64_t deadline_after(std::int64_t now_ns, Duration duration) noexcept {
  return now_ns < 0 ? now_ns + duration.ns() : saturating_add(now_ns, duration.ns());
}

constexpr int field(BreakerCount count) noexcept { return static_cast<int>(count); }

}  // namespace backoff::breaker_detail
