#include "backoff/breaker_config.hpp"

#include <cmath>
#include <string>

#include "backoff/param_table.hpp"
#include "backoff/saturating.hpp"
#include "backoff/status.hpp"

namespace backoff {
namespace {

void require_in(const char* name, std::int64_t value, std::int64_t lo, std::int64_t hi) {
  if (value < lo || value > hi) {
    throw_invalid(name, ("must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]").c_str(),
                  std::to_string(value));
  }
}

}  // namespace

void BreakerConfig::set_i64(BreakerParam param, std::int64_t value) {
  const char* name = require_non_negative_i64(param_spec(param), value);
  switch (param) {
    case BreakerParam::trip: trip = static_cast<TripRule>(require_choice(param_spec(param), value)); return;
    case BreakerParam::window: window = static_cast<WindowKind>(require_choice(param_spec(param), value)); return;
    case BreakerParam::failure_threshold: require_in(name, value, 1, kMaxNs); failure_threshold = value; return;
    case BreakerParam::window_size: require_in(name, value, 1, kMaxWindowSize); window_size = value; return;
    case BreakerParam::window_duration: require_in(name, value, 1, kMaxNs); window_duration = nanoseconds(value); return;
    case BreakerParam::window_buckets: require_in(name, value, 1, kMaxWindowBuckets); window_buckets = value; return;
    case BreakerParam::min_calls: require_in(name, value, 1, kMaxNs); min_calls = value; return;
    case BreakerParam::slow_call_duration: slow_call_duration = nanoseconds(value); return;
    case BreakerParam::open_duration: open_duration = nanoseconds(value); return;
    case BreakerParam::half_open_probes: require_in(name, value, 1, kMaxHalfOpenProbes); half_open_probes = value; return;
    case BreakerParam::half_open_successes: require_in(name, value, 1, kMaxNs); half_open_successes = value; return;
    case BreakerParam::half_open_max_duration: half_open_max_duration = nanoseconds(value); return;
    case BreakerParam::permit_lease: require_in(name, value, 1, kMaxNs); permit_lease = nanoseconds(value); return;
    case BreakerParam::max_hint_open: max_hint_open = nanoseconds(value); return;
    default: break;
  }
  throw Error(Status::internal, std::string(name) + ": integer parameter without a setter");
}

void BreakerConfig::set_f64(BreakerParam param, double value) {
  require_param_type(param, ParamType::real);
  const char* name = param_spec(param).name;
  // `!(value > 0)` also rejects NaN.
  if (!(value > 0.0) || value > 1.0) throw_invalid(name, "must be in (0, 1]", format_double(value));
  (param == BreakerParam::failure_ratio ? failure_ratio : slow_call_ratio) = value;
}

void BreakerConfig::set_open_policy(const Policy& policy) {
  if (policy.config().max_attempts != 0) {
    throw_invalid("open_policy", "must not stop: max_attempts must be 0 for an open period",
                  std::to_string(policy.config().max_attempts));
  }
  if (policy.config().max_elapsed_ns != 0) {
    throw_invalid("open_policy", "must not stop: max_elapsed must be 0 for an open period",
                  std::to_string(policy.config().max_elapsed_ns) + " ns");
  }
  open_policy = std::make_shared<const Policy>(policy);
}

std::int64_t BreakerConfig::get_i64(BreakerParam param) const {
  require_param_type(param, ParamType::count);
  switch (param) {
    case BreakerParam::trip: return static_cast<std::int64_t>(trip);
    case BreakerParam::failure_threshold: return failure_threshold;
    case BreakerParam::window: return static_cast<std::int64_t>(window);
    case BreakerParam::window_size: return window_size;
    case BreakerParam::window_duration: return window_duration.ns();
    case BreakerParam::window_buckets: return window_buckets;
    case BreakerParam::min_calls: return min_calls;
    case BreakerParam::slow_call_duration: return slow_call_duration.ns();
    case BreakerParam::open_duration: return open_duration.ns();
    case BreakerParam::half_open_probes: return half_open_probes;
    case BreakerParam::half_open_successes: return half_open_successes;
    case BreakerParam::half_open_max_duration: return half_open_max_duration.ns();
    case BreakerParam::permit_lease: return permit_lease.ns();
    case BreakerParam::max_hint_open: return max_hint_open.ns();
    default: break;
  }
  throw Error(Status::internal, std::string(param_spec(param).name) + ": integer parameter without a getter");
}

double BreakerConfig::get_f64(BreakerParam param) const {
  require_param_type(param, ParamType::real);
  return param == BreakerParam::failure_ratio ? failure_ratio : slow_call_ratio;
}

void BreakerConfig::validate() const {
  // A count window holds at most window_size calls, so larger thresholds could never be reached: a
  // breaker that silently never trips is worse than an error.
  if (!needs_window() || window != WindowKind::count) return;
  const bool reads_min_calls = trip == TripRule::ratio || slow_call_duration > Duration();
  if (reads_min_calls && min_calls > window_size) {
    throw_invalid("min_calls", "must be at most window_size for a count window",
                  std::to_string(min_calls) + " > " + std::to_string(window_size));
  }
  if (trip == TripRule::count && failure_threshold > window_size) {
    throw_invalid("failure_threshold", "must be at most window_size for a count window",
                  std::to_string(failure_threshold) + " > " + std::to_string(window_size));
  }
}

}  // namespace backoff
