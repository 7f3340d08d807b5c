#include "backoff/budget_config.hpp"

#include <cmath>
#include <string>

#include "backoff/param_table.hpp"
#include "backoff/saturating.hpp"
#include "backoff/status.hpp"

namespace backoff {
namespace {

// The calibration each parameter belongs to, indexed by BudgetParam.
constexpr Calibration kOwners[kBudgetParamCount] = {
    Calibration::aws,  Calibration::aws,     Calibration::aws,     Calibration::aws,
    Calibration::aws,  Calibration::aws,     Calibration::grpc,    Calibration::grpc,
    Calibration::finagle, Calibration::finagle, Calibration::finagle,
};

const char* calibration_name(Calibration calibration) {
  return name_of(VocabFamily::calibration, static_cast<std::int64_t>(calibration));
}

// Accepts [lo, hi] (or (lo, hi] when `open_low`), NaN never.
void require_real_in(const char* name, double value, double lo, double hi, bool open_low) {
  const bool low_ok = open_low ? value > lo : value >= lo;
  if (!(low_ok && value <= hi)) {
    throw_invalid(name, (std::string("must be in ") + (open_low ? "(" : "[") + format_double(lo) + ", " +
                         format_double(hi) + "]").c_str(),
                  format_double(value));
  }
}

}  // namespace

Calibration budget_param_calibration(BudgetParam param) noexcept {
  return kOwners[static_cast<int>(param)];
}

std::int64_t milli_tokens(double tokens) noexcept { return saturating_round(tokens * 1000.0); }

void BudgetConfig::set_i64(BudgetParam param, std::int64_t value) {
  const char* name = require_non_negative_i64(param_spec(param), value);
  switch (param) {
    case BudgetParam::calibration: calibration = static_cast<Calibration>(require_choice(param_spec(param), value)); break;
    case BudgetParam::min_retries_per_second:
      if (value > 1'000'000'000) throw_invalid(name, "must be at most 1e9", std::to_string(value));
      min_retries_per_second = value;
      break;
    case BudgetParam::ttl:
      if (value == 0) throw_invalid(name, "must be positive", "0 ns");
      ttl = nanoseconds(value);
      break;
    default: throw Error(Status::internal, std::string(name) + ": integer parameter without a setter");
  }
  set_mask_ |= 1u << static_cast<int>(param);
}

void BudgetConfig::set_f64(BudgetParam param, double value) {
  require_param_type(param, ParamType::real);
  const char* name = param_spec(param).name;
  switch (param) {
    case BudgetParam::capacity: require_real_in(name, value, 0, kMaxTokens, true); capacity = value; break;
    case BudgetParam::retry_cost: require_real_in(name, value, 0, kMaxTokens, false); retry_cost = value; break;
    case BudgetParam::timeout_cost: require_real_in(name, value, 0, kMaxTokens, false); timeout_cost = value; break;
    case BudgetParam::throttling_cost:
      require_real_in(name, value, 0, kMaxTokens, false);
      throttling_cost = value;
      break;
    case BudgetParam::no_retry_increment:
      require_real_in(name, value, 0, kMaxTokens, false);
      no_retry_increment = value;
      break;
    // gRFC A6: "max_tokens ... must be in the range (0, 1000]", "token_ratio ... must be greater than 0",
    // both with three decimals; a ratio under 0.001 would round to nothing.
    case BudgetParam::max_tokens: require_real_in(name, value, 0, 1000, true); max_tokens = value; break;
    case BudgetParam::token_ratio: require_real_in(name, value, 0.001, kMaxTokens, false); token_ratio = value; break;
    // Finagle's RetryBudget accepts percentCanRetry in [0.0, 1000.0].
    case BudgetParam::percent_can_retry:
      require_real_in(name, value, 0, 1000, false);
      percent_can_retry = value;
      break;
    default: throw Error(Status::internal, std::string(name) + ": real parameter without a setter");
  }
  set_mask_ |= 1u << static_cast<int>(param);
}

std::int64_t BudgetConfig::get_i64(BudgetParam param) const {
  require_param_type(param, ParamType::count);
  switch (param) {
    case BudgetParam::calibration: return static_cast<std::int64_t>(calibration);
    case BudgetParam::min_retries_per_second: return min_retries_per_second;
    case BudgetParam::ttl: return ttl.ns();
    default: break;
  }
  throw Error(Status::internal, std::string(param_spec(param).name) + ": integer parameter without a getter");
}

double BudgetConfig::get_f64(BudgetParam param) const {
  require_param_type(param, ParamType::real);
  switch (param) {
    case BudgetParam::capacity: return capacity;
    case BudgetParam::retry_cost: return retry_cost;
    case BudgetParam::timeout_cost: return timeout_cost;
    case BudgetParam::throttling_cost: return throttling_cost;
    case BudgetParam::no_retry_increment: return no_retry_increment;
    case BudgetParam::max_tokens: return max_tokens;
    case BudgetParam::token_ratio: return token_ratio;
    case BudgetParam::percent_can_retry: return percent_can_retry;
    default: break;
  }
  throw Error(Status::internal, std::string(param_spec(param).name) + ": real parameter without a getter");
}

void BudgetConfig::validate() const {
  for (int i = 1; i < kBudgetParamCount; ++i) {
    const auto param = static_cast<BudgetParam>(i);
    if ((set_mask_ >> i & 1u) && budget_param_calibration(param) != calibration) {
      throw_invalid(param_spec(param).name,
                    (std::string("belongs to the ") + calibration_name(budget_param_calibration(param)) +
                     " calibration, not to " + calibration_name(calibration))
                        .c_str(),
                    "a value set");
    }
  }
  if (calibration != Calibration::aws) return;
  // A retry that costs more than a full bucket could never pass: almost certainly a unit mix-up.
  const BudgetParam costs[] = {BudgetParam::retry_cost, BudgetParam::timeout_cost, BudgetParam::throttling_cost};
  for (const BudgetParam cost : costs) {
    if (get_f64(cost) > capacity) {
      throw_invalid(param_spec(cost).name, "must not exceed capacity: no such retry could ever pass",
                    format_double(get_f64(cost)) + " > " + format_double(capacity));
    }
  }
}

}  // namespace backoff
