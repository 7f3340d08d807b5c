// Counter-based randomness: every jitter draw is a pure function of (seed, key, attempt).
//
// A draw is SplitMix64's output for counter `attempt + 1` of the stream `stream_of(seed, key)`. SplitMix64
// is itself counter-based (state_n = state_0 + n * golden gamma), so the stateful form walks the same
// numbers that the stateless form computes by random access. The functions are fixed forever: the shared
// test vectors (tests/vectors/) pin them, and every language reproduces the same delays through them.
#pragma once

#include <atomic>
#include <cstdint>

namespace backoff {

constexpr std::uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ull;

// SplitMix64's finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mix.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// The stream for one (seed, key) pair; two mixes keep nearby keys and seeds unrelated.
constexpr std::uint64_t stream_of(std::uint64_t seed, std::uint64_t key) noexcept {
  return mix64(mix64(seed + kGoldenGamma) ^ key);
}

// The random 64 bits for `attempt` in `stream`.
constexpr std::uint64_t draw(std::uint64_t stream, std::uint64_t attempt) noexcept {
  return mix64(stream + (attempt + 1) * kGoldenGamma);
}

// The high 64 bits of the 128-bit product a * b. The portable form, from 32-bit halves, is the one to
// mirror in languages without 128-bit integers; where the compiler has a 128-bit type, a single
// multiplication gives the same bits for a quarter of the work.
constexpr std::uint64_t multiply_high(std::uint64_t a, std::uint64_t b) noexcept {
#if defined(__SIZEOF_INT128__)
  __extension__ typedef unsigned __int128 uint128;  // __extension__: no -Wpedantic warning
  return static_cast<std::uint64_t>((static_cast<uint128>(a) * b) >> 64);
#else
  const std::uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32, b_lo = b & 0xffffffffu, b_hi = b >> 32;
  const std::uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
  const std::uint64_t middle = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;
  return hi_hi + (hi_lo >> 32) + (middle >> 32);
#endif
}

// A uniform integer in [lo, hi] (0 <= lo <= hi) from 64 random bits, by Lemire's multiply-shift.
// No rejection loop: the bias is below 2^-64 * (hi - lo), far under one nanosecond's worth of any
// measurable effect, and a fixed number of operations keeps every language bit-identical.
constexpr std::int64_t uniform_between(std::uint64_t bits, std::int64_t lo, std::int64_t hi) noexcept {
  const std::uint64_t span = static_cast<std::uint64_t>(hi - lo) + 1;  // <= 2^63, cannot wrap
  return lo + static_cast<std::int64_t>(multiply_high(bits, span));
}

// A fresh 64-bit value for unseeded policies and states: process entropy mixed with an atomic counter and
// the fork salt, so concurrent callers get independent streams without sharing a lock or a generator, and
// a child of fork() never repeats the values its parent or its siblings draw.
std::uint64_t fresh_seed() noexcept;

namespace detail {
extern std::atomic<std::uint64_t> fork_salt;
}  // namespace detail

// 0 in the process that loaded the library; a new random value in every child of fork(), drawn by a
// pthread_atfork handler registered by the first fresh_seed(). Unseeded policies and states XOR it into
// their seed and stream at every draw, so that a policy (a module-level @retry) or a state built before
// gunicorn --preload, celery prefork or multiprocessing forks its workers still jitters each worker
// differently: copied memory would otherwise give every child the parent's draws, the thundering herd
// jitter exists to prevent. Seeded policies never see it. One relaxed load: the retry path stays cheap.
inline std::uint64_t fork_salt() noexcept { return detail::fork_salt.load(std::memory_order_relaxed); }

// The mask an object XORs the fork salt through: all ones when it is unseeded, 0 when seeded.
constexpr std::uint64_t salt_mask(bool seeded) noexcept { return seeded ? 0 : ~std::uint64_t{0}; }

}  // namespace backoff
