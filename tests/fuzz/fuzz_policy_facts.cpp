#include "fuzz_policy_facts.hpp"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <limits>

#include "fuzz_check.hpp"

namespace backoff_fuzz {
namespace {

constexpr std::uint64_t kMaxAttempt = std::numeric_limits<std::uint64_t>::max();

std::int64_t get_i64(const backoff_policy* policy, int param) {
  std::int64_t value = -1;
  const int status = backoff_policy_get_i64(&value, policy, param);
  FUZZ_REQUIRE(status == BACKOFF_OK, "get_i64(%d): status %d: %s", param, status, backoff_last_error());
  return value;
}

double get_f64(const backoff_policy* policy, int param) {
  double value = -1;
  const int status = backoff_policy_get_f64(&value, policy, param);
  FUZZ_REQUIRE(status == BACKOFF_OK, "get_f64(%d): status %d: %s", param, status, backoff_last_error());
  return value;
}

void check_refused_getters(const backoff_policy* policy) {
  std::int64_t i64 = 7;
  double f64 = 7;
  std::uint64_t u64 = 7;
  FUZZ_REQUIRE(backoff_policy_get_i64(&i64, policy, BACKOFF_PARAM_MULTIPLIER) == BACKOFF_ETYPE && i64 == 7,
               "get_i64(multiplier) was not refused");
  FUZZ_REQUIRE(backoff_policy_get_f64(&f64, policy, BACKOFF_PARAM_CAP_NS) == BACKOFF_ETYPE && f64 == 7,
               "get_f64(cap) was not refused");
  FUZZ_REQUIRE(backoff_policy_get_u64(&u64, policy, BACKOFF_PARAM_KIND) == BACKOFF_ETYPE && u64 == 7,
               "get_u64(kind) was not refused");
  FUZZ_REQUIRE(backoff_policy_get_i64(&i64, policy, -1) == BACKOFF_EUNKNOWN && i64 == 7,
               "get_i64(-1) was not refused");
}

// initial * multiplier^n as backoff.h defines it. The engine computes the power by repeated squaring in
// double, whose relative error grows with n (about n ulps); long double's powl is exact to far below
// that, so the engine's value must lie within that error (and 1 ns of rounding) of this one.
// `slack_ns`: the rounding allowed besides the relative tolerance.
void check_exponential(const PolicyFacts& facts, std::uint64_t n, std::int64_t base, long double slack_ns = 1) {
  FUZZ_REQUIRE(base >= facts.initial_ns, "base %" PRId64 " below initial %" PRId64 " at n=%" PRIu64, base,
               facts.initial_ns, n);
  if (facts.multiplier == 1.0) {
    FUZZ_REQUIRE(base == facts.initial_ns, "multiplier 1 grew to %" PRId64 " at n=%" PRIu64, base,
                 n);
    return;
  }
  const long double exact = static_cast<long double>(facts.initial_ns) *
                            std::pow(static_cast<long double>(facts.multiplier), static_cast<long double>(n));
  const long double tolerance = (static_cast<long double>(n) + 128) * 0x1p-52L;
  const long double cap = static_cast<long double>(facts.cap_ns);
  const long double lowest = std::min(cap, exact * (1 - tolerance) - slack_ns);
  const long double highest = std::min(cap, exact * (1 + tolerance) + slack_ns);
  FUZZ_REQUIRE(base >= lowest && base <= highest,
               "initial %" PRId64 " * %.17g^%" PRIu64 " is %Lg; base delay %" PRId64 " is outside [%Lg, %Lg]",
               facts.initial_ns, facts.multiplier, n, exact, base,
               lowest, highest);
}

}  // namespace

PolicyFacts read_policy_facts(const backoff_policy* policy) {
  PolicyFacts facts;
  facts.kind = get_i64(policy, BACKOFF_PARAM_KIND);
  facts.initial_ns = get_i64(policy, BACKOFF_PARAM_INITIAL_NS);
  facts.increment_ns = get_i64(policy, BACKOFF_PARAM_INCREMENT_NS);
  facts.cap_ns = get_i64(policy, BACKOFF_PARAM_CAP_NS);
  facts.jitter = get_i64(policy, BACKOFF_PARAM_JITTER);
  facts.max_attempts = get_i64(policy, BACKOFF_PARAM_MAX_ATTEMPTS);
  facts.max_elapsed_ns = get_i64(policy, BACKOFF_PARAM_MAX_ELAPSED_NS);
  facts.stop_when = get_i64(policy, BACKOFF_PARAM_STOP_WHEN);
  facts.multiplier = get_f64(policy, BACKOFF_PARAM_MULTIPLIER);
  facts.randomization_factor = get_f64(policy, BACKOFF_PARAM_RANDOMIZATION_FACTOR);
  const int seed_status = backoff_policy_get_u64(&facts.seed, policy, BACKOFF_PARAM_SEED);
  FUZZ_REQUIRE(seed_status == BACKOFF_OK, "get_u64(seed): status %d", seed_status);
  check_refused_getters(policy);

  FUZZ_REQUIRE(facts.kind >= BACKOFF_KIND_CONSTANT && facts.kind <= BACKOFF_KIND_DECORRELATED,
               "kind %" PRId64,
               facts.kind);
  FUZZ_REQUIRE(facts.jitter >= BACKOFF_JITTER_NONE && facts.jitter <= BACKOFF_JITTER_RANDOMIZATION,
               "jitter %" PRId64, facts.jitter);
  FUZZ_REQUIRE(facts.stop_when == BACKOFF_STOP_WHEN_ANY || facts.stop_when == BACKOFF_STOP_WHEN_ALL,
               "stop_when %" PRId64, facts.stop_when);
  FUZZ_REQUIRE(facts.initial_ns >= 0 && facts.cap_ns >= facts.initial_ns, "initial %" PRId64 ", cap %" PRId64,
               facts.initial_ns, facts.cap_ns);
  const bool multiplies = facts.kind == BACKOFF_KIND_EXPONENTIAL || facts.kind == BACKOFF_KIND_DECORRELATED;
  FUZZ_REQUIRE(!multiplies || facts.initial_ns > 0, "a multiplying policy was built with initial 0");
  FUZZ_REQUIRE(facts.increment_ns >= 0 && facts.max_attempts >= 0 && facts.max_elapsed_ns >= 0,
               "increment %" PRId64 ", max_attempts %" PRId64 ", max_elapsed %" PRId64, facts.increment_ns,
               facts.max_attempts, facts.max_elapsed_ns);
  FUZZ_REQUIRE(std::isfinite(facts.multiplier) && facts.multiplier >= 1.0, "multiplier %g", facts.multiplier);
  FUZZ_REQUIRE(facts.randomization_factor >= 0.0 && facts.randomization_factor <= 1.0,
               "randomization_factor %g", facts.randomization_factor);
  return facts;
}

bool same_facts(const PolicyFacts& a, const PolicyFacts& b, bool compare_seed) {
  return a.kind == b.kind && a.initial_ns == b.initial_ns && a.increment_ns == b.increment_ns &&
         a.cap_ns == b.cap_ns && a.jitter == b.jitter && a.max_attempts == b.max_attempts &&
         a.max_elapsed_ns == b.max_elapsed_ns && a.stop_when == b.stop_when && a.multiplier == b.multiplier &&
         a.randomization_factor == b.randomization_factor && (!compare_seed || a.seed == b.seed);
}

namespace {

// After retry number `attempt`, attempt + 2 calls would have been made; that must not pass the limit.
bool attempts_reached(const PolicyFacts& facts, std::uint64_t attempt) {
  const auto max_attempts = static_cast<std::uint64_t>(facts.max_attempts);
  return max_attempts != 0 && attempt >= max_attempts - 1;
}

}  // namespace

bool attempts_exhausted(const PolicyFacts& facts, std::uint64_t attempt) {
  const bool alone = facts.stop_when == BACKOFF_STOP_WHEN_ANY || facts.max_elapsed_ns == 0;
  return alone && attempts_reached(facts, attempt);
}

bool passes_max_elapsed(const PolicyFacts& facts, std::uint64_t attempt, std::int64_t elapsed_ns,
                        std::int64_t delay_ns) {
  if (facts.max_elapsed_ns == 0) return false;
  const bool alone = facts.stop_when == BACKOFF_STOP_WHEN_ANY || facts.max_attempts == 0;
  if (!alone && !attempts_reached(facts, attempt)) return false;
  std::int64_t end_ns;
  if (__builtin_add_overflow(std::max<std::int64_t>(elapsed_ns, 0), delay_ns, &end_ns)) return true;
  return end_ns > facts.max_elapsed_ns;
}

std::int64_t check_base_delay(const PolicyFacts& facts, const backoff_policy* policy, std::uint64_t attempt) {
  std::int64_t base = -2;
  const int status = backoff_policy_base_delay(&base, policy, attempt);
  FUZZ_REQUIRE(status == BACKOFF_OK, "base_delay: status %d", status);
  FUZZ_REQUIRE(base >= 0 && base <= facts.cap_ns,
               "base delay %" PRId64 " outside [0, cap %" PRId64 "] at attempt %" PRIu64,
               base, facts.cap_ns, attempt);
  switch (facts.kind) {
    case BACKOFF_KIND_CONSTANT:
      FUZZ_REQUIRE(base == facts.initial_ns, "constant: %" PRId64 " != initial %" PRId64, base,
                   facts.initial_ns);
      break;
    case BACKOFF_KIND_LINEAR: {
      std::int64_t growth, sum;
      const bool saturated = __builtin_mul_overflow(facts.increment_ns, attempt, &growth) ||
                             __builtin_add_overflow(facts.initial_ns, growth, &sum) || sum > facts.cap_ns;
      const std::int64_t expected = saturated ? facts.cap_ns : sum;
      FUZZ_REQUIRE(base == expected,
                   "linear: initial %" PRId64 " + %" PRIu64 " * %" PRId64 " gave %" PRId64 ", want %" PRId64,
                   facts.initial_ns, attempt, facts.increment_ns,
                   base, expected);
      break;
    }
    case BACKOFF_KIND_EXPONENTIAL: check_exponential(facts, attempt, base); break;
    default:  // decorrelated: one step of growth from the envelope, min(cap, initial * m^n) rounded to whole
              // ns and then multiplied by m, so that rounding may move it by up to m / 2 ns
      check_exponential(facts, attempt == kMaxAttempt ? attempt : attempt + 1, base, facts.multiplier / 2 + 1);
      break;
  }
  return base;
}

DrawRange draw_range(const PolicyFacts& facts, long double base_ns) {
  const long double cap = static_cast<long double>(facts.cap_ns);
  const long double base = std::min(cap, base_ns);
  if (facts.kind == BACKOFF_KIND_DECORRELATED) {
    const long double initial = static_cast<long double>(facts.initial_ns);
    return {initial, std::max(initial, base)};
  }
  switch (facts.jitter) {
    case BACKOFF_JITTER_NONE: return {base, base};
    case BACKOFF_JITTER_FULL: return {0, base};
    case BACKOFF_JITTER_EQUAL: return {std::floor(base / 2), base};
    default: {
      // U(d(1-f), d(1+f)), capped; d(1 +- f) is rounded to whole nanoseconds through double.
      const long double f = facts.randomization_factor;
      const long double slack = base * 0x1p-50L + 1;
      return {std::max<long double>(0, base * (1 - f) - slack),
              std::max(base, std::min(cap, base * (1 + f) + slack))};
    }
  }
}

}  // namespace backoff_fuzz
