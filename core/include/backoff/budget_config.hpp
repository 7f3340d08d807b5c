// The parameters of a retry budget and the mutable BudgetConfig that collects them.
//
// Same mechanism as the policy's Config (param_table.hpp): stable ids (the C ABI's
// BACKOFF_BUDGET_PARAM_* values), names, value types, setters that validate at once. Each parameter
// belongs to one calibration and keeps its upstream name and default, so a user of the AWS SDKs, of gRPC
// or of Finagle finds the knobs they know:
//
//   aws      capacity 500, retry_cost 5, timeout_cost 10, throttling_cost 5, no_retry_increment 1
//            (aws-sdk-go-v2 aws/retry, aws-c-io standard_retry_strategy.c)
//   grpc     max_tokens 10, token_ratio 0.1 (gRFC A6 "Throttling", its example values)
//   finagle  percent_can_retry 0.2, min_retries_per_second 10, ttl 10 s (Finagle RetryBudget defaults)
//
// Tokens are reals in the configuration and integer milli-tokens inside the budget (gRPC keeps three
// decimals); a value is rounded to the nearest milli-token.
#pragma once

#include <cstdint>
#include <string_view>

#include "backoff/config.hpp"
#include "backoff/duration.hpp"

namespace backoff {

// The lists, names and defaults are in vocabulary.hpp and vocabulary_params.hpp.
enum class Calibration : std::int64_t { BACKOFF_VOCAB_CALIBRATION(BACKOFF_VOCAB_ENUM) };

// The most tokens any parameter may name: 10^12 tokens is 10^15 milli-tokens, far inside int64 and inside
// a ticket's 62 bits.
constexpr double kMaxTokens = 1e12;

// The calibration a parameter belongs to (every one but `calibration` itself belongs to exactly one).
Calibration budget_param_calibration(BudgetParam param) noexcept;

class BudgetConfig : public SetFromText<BudgetConfig, BudgetParam> {
 public:
  // Typed setters: each throws Error(wrong_type) when `param` takes another type and
  // Error(invalid_value) when the value is outside the parameter's domain.
  void set_i64(BudgetParam param, std::int64_t value);
  void set_f64(BudgetParam param, double value);

  std::int64_t get_i64(BudgetParam param) const;
  double get_f64(BudgetParam param) const;

  // Cross-checks; throws Error(invalid_value) naming the parameter. A parameter of another calibration
  // than the chosen one is an error rather than silently ignored: it is almost always a mix-up.
  void validate() const;

  Calibration calibration = Calibration::aws;
  double capacity = 500;
  double retry_cost = 5;
  double timeout_cost = 10;
  double throttling_cost = 5;
  double no_retry_increment = 1;
  double max_tokens = 10;
  double token_ratio = 0.1;
  double percent_can_retry = 0.2;
  std::int64_t min_retries_per_second = 10;
  Duration ttl = seconds(10);

 private:
  std::uint32_t set_mask_ = 0;  // bit i: BudgetParam i was set
};

// Milli-tokens from a token count already validated by a setter.
std::int64_t milli_tokens(double tokens) noexcept;

}  // namespace backoff
