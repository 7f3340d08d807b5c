// Policy: an immutable, validated backoff schedule, shared freely between threads.
//
// The stateless form, delay(attempt, key), is a pure function of (seed, key, attempt): a durable job queue
// that stores only the attempt number recomputes the same delay anywhere. It costs O(1) for any attempt up
// to 2^64 - 1: exponential growth saturates at a precomputed attempt instead of looping.
//
// Decorrelated jitter is AWS's published formula, delay = min(cap, U(initial, previous * multiplier)): the
// draw's upper bound is not capped, so a chain that has grown past the cap sits at the cap for a share of
// its draws (about (multiplier - 1) / multiplier of those taken from the cap). The stateful form follows
// the chain; the stateless form, which cannot walk the chain in O(1), takes the same step from the largest
// previous delay the chain can have reached, min(cap, initial * multiplier^attempt): its envelope.
//
// The calls made once per retry (growth, jittered, decorrelated_step, their ranges, elapsed_exhausted) are
// defined inline at the end of this file, so Backoff::next_at and the C ABI compile into one straight function.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "backoff/config.hpp"
#include "backoff/duration.hpp"
#include "backoff/random.hpp"
#include "backoff/saturating.hpp"

namespace backoff {

// "Do not retry any more", as cenkalti/backoff's Stop: in nanoseconds, and as the Duration that delay()
// and Backoff::next_at() return.
constexpr std::int64_t kStop = -1;
constexpr Duration kStopDelay = nanoseconds(kStop);

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
  Duration delay(std::uint64_t attempt, std::uint64_t key) const noexcept;

  // As delay, and also kStopDelay when `elapsed + delay` would pass max_elapsed.
  Duration delay_within(std::uint64_t attempt, std::uint64_t key, Duration elapsed) const noexcept;

  // As delay_within, with a server's hint (zero = none) applied as Backoff::next_at applies it: the delay
  // is at least the hint and at most the cap, and max_elapsed is checked against the hinted delay. What a
  // durable queue needs: the attempt, the job's key and its age are all it stores. A negative hint throws
  // Error(invalid_value) (require_hint in backoff.hpp).
  Duration delay_hinted(std::uint64_t attempt, std::uint64_t key, Duration elapsed, Duration hint) const;

  // A server hint is a floor under a drawn delay: wait at least the hint, never past the cap.
  std::int64_t with_hint(std::int64_t delay_ns, std::int64_t hint_ns) const noexcept {
    return hint_ns > delay_ns ? std::min(hint_ns, cap_ns_) : delay_ns;
  }

  // The delay before jitter for `attempt`, already capped: the schedule's deterministic spine. For a
  // decorrelated policy, the capped upper bound of the stateless draw.
  std::int64_t base_delay(std::uint64_t attempt) const noexcept { return std::min(cap_ns_, growth(attempt)); }

  // What the kind's formula grows to for `attempt`, before jitter. Constant, linear and exponential: the
  // capped base delay. Decorrelated: the stateless draw's upper bound, envelope * multiplier, which may
  // pass the cap (the draw is capped after it, as AWS caps it).
  std::int64_t growth(std::uint64_t attempt) const noexcept;

  // The exact range delay(attempt, key) draws from, over every key and seed; {kStop, kStop} once
  // `max_attempts` attempts have been made. Also the range of Backoff::next() without a hint, except that
  // a decorrelated chain, which multiplies its own rounded draws, may differ by that rounding (a few ns).
  DelayRange delay_bounds(std::uint64_t attempt) const noexcept;

  // Applies the jitter mode to a base delay `base_ns` with 64 random bits; the result is in [0, cap].
  std::int64_t jittered(std::int64_t base_ns, std::uint64_t bits) const noexcept;

  // Decorrelated jitter's step (AWS): min(cap, U(initial, upper_ns)), upper_ns = previous * multiplier.
  std::int64_t decorrelated_step(std::int64_t upper_ns, std::uint64_t bits) const noexcept;

  // The ranges of jittered() and decorrelated_step()'s results; the draws and delay_bounds() share them.
  DelayRange jitter_range(std::int64_t base_ns) const noexcept;
  DelayRange decorrelated_range(std::int64_t upper_ns) const noexcept;

  // The two limits combine as stop_when says. Under `any` (the default) retrying stops when either is
  // reached; under `all` it stops only when both are (tenacity's stop_after_attempt(n) & stop_after_delay(s)),
  // a limit that is not set (0) taking no part: `all` with one limit set is that limit. The Retrier's
  // deadline is no limit of these: it always ends the call (retrier.hpp).

  // True when `max_attempts` forbids retry number `attempt` whatever the elapsed time: it is reached and,
  // under stop_when all, max_elapsed is not set. delay() and delay_bounds(), which know no elapsed time,
  // stop on this alone.
  bool attempts_exhausted(std::uint64_t attempt) const noexcept {
    return attempt_limit_ != 0 && attempt >= attempt_limit_ - 1;
  }
  // True when waiting `delay_ns` more after `elapsed_ns` would pass max_elapsed and, under stop_when all,
  // max_attempts (when set) forbids retry number `attempt` too.
  bool elapsed_exhausted(std::uint64_t attempt, std::int64_t elapsed_ns, std::int64_t delay_ns) const noexcept;

  // Decorrelated jitter's growth: previous_ns * multiplier in whole nanoseconds, rounded and saturated
  // as saturating_round rounds the double product.
  std::int64_t grow_previous(std::int64_t previous_ns) const noexcept;

  // The effective seed: the configured one, or for an unseeded policy a random one drawn at construction
  // and salted again in every fork child (see fork_salt), so each process has its own.
  std::uint64_t seed() const noexcept { return seed_ ^ (fork_salt() & salt_mask_); }
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
  // growth without the table.
  std::int64_t compute_growth(std::uint64_t attempt) const noexcept;

  // The growth of the first retries, computed once by compute_growth: the power of a double
  // costs more than the rest of a retry decision, and real retry loops rarely pass 16 attempts.
  static constexpr std::uint64_t kTabulatedAttempts = 16;

  Config config_;
  std::int64_t cap_ns_;
  std::uint64_t attempt_limit_;       // max_attempts where it stops on its own, else 0 (attempts_exhausted)
  std::uint64_t elapsed_limit_from_;  // the first retry max_elapsed may stop: 0, or under all max_attempts - 1
  std::uint64_t seed_;
  std::uint64_t salt_mask_;  // salt_mask(seeded_)
  bool seeded_;
  // The first n for which initial * multiplier^n reaches the cap; from there on grown(n) == cap.
  std::uint64_t saturating_attempt_;
  std::array<std::int64_t, kTabulatedAttempts> growth_table_{};
  // The multiplier as an integer, and the previous delay below which previous * multiplier < 2^52, so
  // that the integer product equals the rounded double one; 0 and 0 when the multiplier is not integral.
  std::int64_t integral_multiplier_ = 0;
  std::int64_t exact_product_limit_ = 0;
};

inline std::int64_t Policy::growth(std::uint64_t attempt) const noexcept {
  return attempt < kTabulatedAttempts ? growth_table_[attempt] : compute_growth(attempt);
}

inline DelayRange Policy::jitter_range(std::int64_t base_ns) const noexcept {
  switch (config_.jitter) {
    case Jitter::none: return {base_ns, base_ns};
    case Jitter::full: return {0, base_ns};
    case Jitter::equal: return {base_ns - base_ns / 2, base_ns};
    case Jitter::randomization: {
      const double base = static_cast<double>(base_ns);
      const double spread = config_.randomization_factor * base;
      // Rounding a large base through double may land just above it; keep lo <= base <= hi.
      const std::int64_t lo = std::min(base_ns, saturating_round(base - spread));
      const std::int64_t hi = std::max(base_ns, std::min(cap_ns_, saturating_round(base + spread)));
      return {lo, hi};
    }
  }
  return {base_ns, base_ns};
}

inline DelayRange Policy::decorrelated_range(std::int64_t upper_ns) const noexcept {
  return {config_.initial_ns, std::max(config_.initial_ns, std::min(cap_ns_, upper_ns))};
}

inline std::int64_t Policy::jittered(std::int64_t base_ns, std::uint64_t bits) const noexcept {
  const DelayRange range = jitter_range(base_ns);
  return uniform_between(bits, range.min_ns, range.max_ns);
}

inline std::int64_t Policy::decorrelated_step(std::int64_t upper_ns, std::uint64_t bits) const noexcept {
  // Drawn up to the uncapped bound, then capped: every draw above the cap becomes the cap.
  return std::min(cap_ns_, uniform_between(bits, config_.initial_ns, std::max(config_.initial_ns, upper_ns)));
}

inline bool Policy::elapsed_exhausted(std::uint64_t attempt, std::int64_t elapsed_ns,
                                      std::int64_t delay_ns) const noexcept {
  // A difference of two values in [0, INT64_MAX] cannot overflow; a saturated sum would never pass a
  // max_elapsed of INT64_MAX. A negative elapsed time (a clock gone backwards) counts as 0.
  return config_.max_elapsed_ns != 0 && attempt >= elapsed_limit_from_ &&
         delay_ns > config_.max_elapsed_ns - std::max<std::int64_t>(elapsed_ns, 0);
}

inline std::int64_t Policy::grow_previous(std::int64_t previous_ns) const noexcept {
  // An integer multiply instead of int -> double -> int: decorrelated delays form a chain, each waiting
  // for the previous one, so the conversions' latency would be paid in full on every call.
  if (previous_ns < exact_product_limit_) return previous_ns * integral_multiplier_;
  return saturating_round(static_cast<double>(previous_ns) * config_.multiplier);
}

}  // namespace backoff
