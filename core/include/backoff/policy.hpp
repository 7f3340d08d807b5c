// Policy: an immutable, validated backoff schedule, shared freely between threads.
//
// The stateless form, delay(attempt, key), is a pure function of (seed, key, attempt): a durable job queue
// that stores only the attempt number recomputes the same delay anywhere. It costs O(1) for any attempt up
// to 2^64 - 1: exponential growth saturates at a precomputed attempt instead of looping.
#pragma once

#include <cstdint>

#include "backoff/config.hpp"

namespace backoff {

// "Do not retry any more", as cenkalti/backoff's Stop.
constexpr std::int64_t kStop = -1;

// The closed interval a delay is drawn from, uniformly: [min_ns, max_ns].
struct DelayRange {
  std::int64_t min_ns;
  std::int64_t max_ns;
};

class Policy {
 public:
  // Validates what involves several parameters and throws Error(invalid_value) naming them.
  explicit Policy(const Config& config);

  // The delay before retry number `attempt` (0 = the wait after the first failure), or kStop once
  // `max_attempts` attempts have been made. Elapsed time is not known here; see delay_within.
  std::int64_t delay(std::uint64_t attempt, std::uint64_t key) const noexcept;

  // As delay, and also kStop when `elapsed_ns + delay` would pass max_elapsed.
  std::int64_t delay_within(std::uint64_t attempt, std::uint64_t key, std::int64_t elapsed_ns) const noexcept;

  // The delay before jitter for `attempt`, already capped: the schedule's deterministic spine.
  std::int64_t base_delay(std::uint64_t attempt) const noexcept;

  // The exact range delay(attempt, key) draws from, over every key and seed; {kStop, kStop} once
  // `max_attempts` attempts have been made. Also the range of Backoff::next() without a hint, except that
  // a decorrelated chain, which multiplies its own rounded draws, may differ by that rounding (a few ns).
  DelayRange delay_bounds(std::uint64_t attempt) const noexcept;

  // Applies the jitter mode to a base delay `base_ns` with 64 random bits; the result is in [0, cap].
  std::int64_t jittered(std::int64_t base_ns, std::uint64_t bits) const noexcept;

  // Decorrelated jitter's step (AWS): U(initial, min(cap, upper_ns)).
  std::int64_t decorrelated_step(std::int64_t upper_ns, std::uint64_t bits) const noexcept;

  // The ranges jittered() and decorrelated_step() draw from; the draws and delay_bounds() share them.
  DelayRange jitter_range(std::int64_t base_ns) const noexcept;
  DelayRange decorrelated_range(std::int64_t upper_ns) const noexcept;

  // True when `max_attempts` forbids retry number `attempt`.
  bool attempts_exhausted(std::uint64_t attempt) const noexcept {
    return max_attempts_ != 0 && attempt >= max_attempts_ - 1;
  }
  // True when waiting `delay_ns` more after `elapsed_ns` would pass max_elapsed.
  bool elapsed_exhausted(std::int64_t elapsed_ns, std::int64_t delay_ns) const noexcept;

  // The effective seed: the configured one, or a fresh random one for an unseeded policy.
  std::uint64_t seed() const noexcept { return seed_; }
  bool seeded() const noexcept { return seeded_; }
  const Config& config() const noexcept { return config_; }

  // Reads a parameter back as the policy applies it (the effective cap and seed). Throw as the
  // Config setters do for an unknown parameter or the wrong type.
  std::int64_t get_i64(Param param) const;
  double get_f64(Param param) const;
  std::uint64_t get_u64(Param param) const;

  Kind kind() const noexcept { return config_.kind; }
  std::int64_t initial_ns() const noexcept { return config_.initial_ns; }
  std::int64_t cap_ns() const noexcept { return cap_ns_; }
  double multiplier() const noexcept { return config_.multiplier; }

 private:
  // initial * multiplier^n, capped; exact IEEE operations only, so every machine agrees.
  std::int64_t grown(std::uint64_t n) const noexcept;

  Config config_;
  std::int64_t cap_ns_;
  std::uint64_t max_attempts_;
  std::uint64_t seed_;
  bool seeded_;
  // The first n for which initial * multiplier^n reaches the cap; from there on grown(n) == cap.
  std::uint64_t saturating_attempt_;
};

}  // namespace backoff
