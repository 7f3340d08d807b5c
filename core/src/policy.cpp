#include "backoff/policy.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "backoff/backoff.hpp"  // require_hint
#include "backoff/random.hpp"
#include "backoff/saturating.hpp"
#include "backoff/status.hpp"

namespace backoff {
namespace {

// multiplier^n by squaring: at most 64 squarings for any n, and only correctly rounded IEEE
// multiplications, so the result is the same on every machine (std::pow is not specified to that ulp).
double power(double multiplier, std::uint64_t n) noexcept {
  double result = 1.0;
  for (; n != 0; n >>= 1) {
    if (n & 1) result *= multiplier;
    multiplier *= multiplier;
  }
  return result;
}

// Compared in whole nanoseconds, as grown() rounds: double(cap) may be off the cap by up to 512 ns.
bool reaches_cap(double initial, double multiplier, std::uint64_t n, std::int64_t cap_ns) noexcept {
  return saturating_round(initial * power(multiplier, n)) >= cap_ns;
}

// Under stop_when all a limit stops retrying only together with the other one, when that one is set.
bool stops_on_attempts_alone(const Config& config) noexcept {
  return config.stop_when == StopWhen::any || config.max_elapsed_ns == 0;
}
bool stops_on_elapsed_alone(const Config& config) noexcept {
  return config.stop_when == StopWhen::any || config.max_attempts == 0;
}

}  // namespace

Policy::Policy(const Config& config)
    : config_(config),
      cap_ns_(config.cap_set ? config.cap_ns : std::max(config.cap_ns, config.initial_ns)),
      attempt_limit_(stops_on_attempts_alone(config) ? static_cast<std::uint64_t>(config.max_attempts) : 0),
      elapsed_limit_from_(stops_on_elapsed_alone(config) ? 0 : static_cast<std::uint64_t>(config.max_attempts) - 1),
      seed_(config.seeded ? config.seed : fresh_seed()),
      salt_mask_(salt_mask(config.seeded)),
      seeded_(config.seeded),
      saturating_attempt_(0) {
  const bool grows_by_multiplying = config.kind == Kind::exponential || config.kind == Kind::decorrelated;
  if (grows_by_multiplying && config.initial_ns == 0) {
    throw_invalid("initial", (std::string("must be positive for ") + kind_name(config.kind) + " policies").c_str(),
                  "0 ns");
  }
  if (cap_ns_ < config.initial_ns) {
    throw_invalid("cap", "must be at least initial",
                  std::to_string(cap_ns_) + " ns < initial " + std::to_string(config.initial_ns) + " ns");
  }
  // Find the first attempt whose exponential delay reaches the cap by bisection (64 steps), so that
  // grown(n) for any larger n is O(1) and never computes an infinite or overflowing power.
  const double initial = static_cast<double>(config.initial_ns);
  if (config.initial_ns >= cap_ns_) {
    saturating_attempt_ = 0;
  } else if (config.multiplier == 1.0) {
    saturating_attempt_ = UINT64_MAX;  // never grows; grown(n) stays at initial
  } else {
    std::uint64_t below = 0, reached = UINT64_MAX;  // (1 + 2^-52)^(2^64 - 1) is inf: reaches any cap
    while (reached - below > 1) {
      const std::uint64_t mid = below + (reached - below) / 2;
      (reaches_cap(initial, config.multiplier, mid, cap_ns_) ? reached : below) = mid;
    }
    saturating_attempt_ = reached;
  }
  // An integral multiplier below 2^52 lets grow_previous() multiply integers while the product stays
  // below 2^52, where double arithmetic and rounding to ns are exact and so give the same result.
  if (config.multiplier < 0x1p52 && config.multiplier == std::floor(config.multiplier)) {
    integral_multiplier_ = static_cast<std::int64_t>(config.multiplier);
    exact_product_limit_ = (std::int64_t{1} << 52) / integral_multiplier_;
  }
  for (std::uint64_t n = 0; n < kTabulatedAttempts; ++n) growth_table_[n] = compute_growth(n);
}

std::int64_t Policy::grown(std::uint64_t n) const noexcept {
  // multiplier^0 and 1^n are exactly 1, so the delay is initial itself, which must not pass through a
  // double: above 2^53 ns (104 days) it may not be one, and rounding would move it up to 512 ns.
  if (n == 0 || config_.multiplier == 1.0) return config_.initial_ns;
  if (n >= saturating_attempt_) return cap_ns_;
  const double ns = static_cast<double>(config_.initial_ns) * power(config_.multiplier, n);
  // initial * multiplier^n is never below initial, but a rounded initial may be.
  return std::min(cap_ns_, std::max(config_.initial_ns, saturating_round(ns)));
}

std::int64_t Policy::compute_growth(std::uint64_t attempt) const noexcept {
  switch (config_.kind) {
    case Kind::constant: return config_.initial_ns;
    case Kind::linear: return std::min(cap_ns_, saturating_add(config_.initial_ns, saturating_mul(config_.increment_ns, attempt)));
    case Kind::exponential: return grown(attempt);
    // The chain's step from its envelope: the largest delay it can have reached before retry `attempt`.
    case Kind::decorrelated: return grow_previous(grown(attempt));
  }
  return cap_ns_;
}

DelayRange Policy::delay_bounds(std::uint64_t attempt) const noexcept {
  if (attempts_exhausted(attempt)) return {kStop, kStop};
  const std::int64_t grown_ns = growth(attempt);
  return config_.kind == Kind::decorrelated ? decorrelated_range(grown_ns) : jitter_range(grown_ns);
}

Duration Policy::delay(std::uint64_t attempt, std::uint64_t key) const noexcept {
  if (attempts_exhausted(attempt)) return kStopDelay;
  const std::uint64_t bits = draw(stream_of(seed(), key), attempt);
  const std::int64_t grown_ns = growth(attempt);
  return nanoseconds(config_.kind == Kind::decorrelated ? decorrelated_step(grown_ns, bits) : jittered(grown_ns, bits));
}

Duration Policy::delay_within(std::uint64_t attempt, std::uint64_t key, Duration elapsed) const noexcept {
  const Duration d = delay(attempt, key);
  if (d == kStopDelay || elapsed_exhausted(attempt, elapsed.ns(), d.ns())) return kStopDelay;
  return d;
}

Duration Policy::delay_hinted(std::uint64_t attempt, std::uint64_t key, Duration elapsed, Duration hint) const {
  require_hint(hint);
  const Duration d = delay(attempt, key);
  if (d == kStopDelay) return kStopDelay;
  const std::int64_t hinted_ns = with_hint(d.ns(), hint.ns());
  if (elapsed_exhausted(attempt, elapsed.ns(), hinted_ns)) return kStopDelay;
  return nanoseconds(hinted_ns);
}

std::int64_t Policy::get_i64(Param param) const {
  require_param_type(param, ParamType::count);
  switch (param) {
    case Param::kind: return static_cast<std::int64_t>(config_.kind);
    case Param::initial: return config_.initial_ns;
    case Param::increment: return config_.increment_ns;
    case Param::cap: return cap_ns_;
    case Param::jitter: return static_cast<std::int64_t>(config_.jitter);
    case Param::stop_when: return static_cast<std::int64_t>(config_.stop_when);
    case Param::max_attempts: return config_.max_attempts;
    case Param::max_elapsed: return config_.max_elapsed_ns;
    case Param::deadline: return config_.deadline_ns;
    default: break;
  }
  throw Error(Status::internal, std::string(param_name(param)) + ": integer parameter without a getter");
}

double Policy::get_f64(Param param) const {
  require_param_type(param, ParamType::real);
  return param == Param::multiplier ? config_.multiplier : config_.randomization_factor;
}

std::uint64_t Policy::get_u64(Param param) const {
  require_param_type(param, ParamType::seed);
  return seed();
}

}  // namespace backoff
