// What every parameter table of the core shares: Config (policy), BreakerConfig and BudgetConfig.
//
// A table lists each parameter's name and value type, indexed by the parameter's stable id (the C ABI's
// enum value). The lookups and the text parsing below are the one mechanism behind every
// `*_param_from_name`, typed setter and `*_set_text` of the C API, so all three configs read names,
// durations, numbers and choices the same way and report errors in the same words.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <type_traits>

#include "backoff/vocabulary_params.hpp"

namespace backoff {

// One row of a parameter table (vocabulary_params.hpp generates the tables).
struct ParamSpec {
  const char* name;
  ParamType type;
  const char* unit;          // "ns", "calls", "tokens"; "" for a plain number or a choice
  const char* default_text;  // the default as set_text reads it ("100ms", "full"); "unseeded" for the seed
  const char* domain;        // the values accepted, for people (">= 1", "[0, 1]", "a jitter mode")
  int choices;               // a choice's VocabFamily, whose names set_text reads; kNoChoices otherwise
};
constexpr int kNoChoices = -1;

#define BACKOFF_PARAM_SPEC(identifier, id, name, type, unit, default_text, domain, choices, c_enumerator) \
  {name, ParamType::type, unit, default_text, domain, choices},

// Indexed by the parameter's id; the order is the ABI's and never changes.
inline constexpr ParamSpec kPolicyParams[] = {BACKOFF_POLICY_PARAMS(BACKOFF_PARAM_SPEC)};
inline constexpr ParamSpec kBreakerParams[] = {BACKOFF_BREAKER_PARAMS(BACKOFF_PARAM_SPEC)};
inline constexpr ParamSpec kBudgetParams[] = {BACKOFF_BUDGET_PARAMS(BACKOFF_PARAM_SPEC)};
inline constexpr int kParamCount = static_cast<int>(std::size(kPolicyParams));
inline constexpr int kBreakerParamCount = static_cast<int>(std::size(kBreakerParams));
inline constexpr int kBudgetParamCount = static_cast<int>(std::size(kBudgetParams));

// Each family's table, by its enum: the one place that ties Param to kPolicyParams, and so on. `label`
// names the family in messages ("breaker param: unknown parameter name 'x'").
template <typename P>
struct ParamFamily;
template <>
struct ParamFamily<Param> {
  static constexpr const ParamSpec* table = kPolicyParams;
  static constexpr int count = kParamCount;
  static constexpr const char* label = "param";
};
template <>
struct ParamFamily<BreakerParam> {
  static constexpr const ParamSpec* table = kBreakerParams;
  static constexpr int count = kBreakerParamCount;
  static constexpr const char* label = "breaker param";
};
template <>
struct ParamFamily<BudgetParam> {
  static constexpr const ParamSpec* table = kBudgetParams;
  static constexpr int count = kBudgetParamCount;
  static constexpr const char* label = "budget param";
};

// The table of a parameter family (param, breaker_param, budget_param) and its length in *count; nullptr
// (and 0) for any other family.
const ParamSpec* param_table(VocabFamily family, int* count) noexcept;

// The value a retry loop given no stop gives the stop parameter `param` of `family`, as set_text reads it
// (BACKOFF_RETRY_STOP_DEFAULTS: "5" for max_attempts); "" for a parameter that is not a stop, of any family.
const char* retry_stop_default(VocabFamily family, int param) noexcept;

// Throws Error(unknown_name) "<param>: unknown value 7 (known: 0 none, 1 full, ...)" unless `value` is
// one of the choice parameter's values; returns it.
std::int64_t require_choice(const ParamSpec& spec, std::int64_t value);

// The index of `name` in `table`, or Error(unknown_name) "<family>: unknown parameter name 'x'".
int param_index_by_name(const ParamSpec* table, int count, std::string_view name, const char* family);

// `id` itself when 0 <= id < count, or Error(unknown_name) "<family>: unknown parameter id 12".
int param_index_by_id(int count, int id, const char* family);

// Throws Error(wrong_type) unless a value passed as `passed_as` suits `spec`; duration, count and choice
// values are all passed as int64, so any of the three accepts the others.
void require_value_type(const ParamSpec& spec, ParamType passed_as);

// Parses a decimal real number ("1.5", "2", "1e3"); Error(invalid_value) naming `param` for anything
// else, spaces and hex included.
double parse_real(std::string_view text, const char* param);

// Parses an unsigned 64-bit integer; Error(invalid_value) naming `param` if the text is not one (a minus
// sign, junk, or a value past UINT64_MAX). Bindings hand it an out-of-range int as text, so that C and
// Python reject it with the same words.
std::uint64_t parse_uint64(std::string_view text, const char* param);

// Parses a signed 64-bit decimal integer ("-5", "42"); Error(invalid_value) naming `param` for anything
// else: "max_keys: is not a 64-bit integer (got '18446744073709551616')". Bindings hand it an int that
// does not fit int64 as text, so the message is the core's.
std::int64_t parse_int64(std::string_view text, const char* param);

// A value parsed from text, in the form of the typed setter that takes it.
struct TextValue {
  ParamType type;
  std::int64_t i64 = 0;   // duration, count, choice
  double f64 = 0;         // real
  std::uint64_t u64 = 0;  // seed
};

// Parses `text` for the parameter `spec`: durations as parse_duration reads them ("250ms"), choices by
// their name in the vocabulary family spec.choices, counts in decimal ("010" is ten), reals as
// parse_real reads them, seeds in decimal or hex ("0x2a"). No spaces are allowed anywhere, leading or
// trailing alike: a value that arrives padded was not typed as meant.
// Throws Error(invalid_value) for text that does not parse, Error(unknown_name) for an unknown choice.
TextValue parse_param_text(const ParamSpec& spec, std::string_view text);

// The lookups of every family, over its ParamFamily: param_from_name<BreakerParam>("window"),
// param_name(Param::cap). from_name and from_id throw Error(unknown_name) for an unknown name or id.
template <typename P>
const ParamSpec& param_spec(P param) noexcept {
  return ParamFamily<P>::table[static_cast<int>(param)];
}
template <typename P>
P param_from_id(int id) {
  return static_cast<P>(param_index_by_id(ParamFamily<P>::count, id, ParamFamily<P>::label));
}
template <typename P>
P param_from_name(std::string_view name) {
  return static_cast<P>(param_index_by_name(ParamFamily<P>::table, ParamFamily<P>::count, name, ParamFamily<P>::label));
}
template <typename P>
const char* param_name(P param) noexcept {
  return param_spec(param).name;
}
template <typename P>
ParamType param_type(P param) noexcept {
  return param_spec(param).type;
}

// Throws Error(wrong_type) unless `param` is passed as `passed_as` (require_value_type).
template <typename P>
void require_param_type(P param, ParamType passed_as) {
  require_value_type(param_spec(param), passed_as);
}

// The start of every config's set_i64: the parameter takes an int64, and the value is not negative
// (Error(invalid_value) "<name>: must not be negative (got -1)"). Returns the parameter's name, for the
// setter's own checks.
const char* require_non_negative_i64(const ParamSpec& spec, std::int64_t value);

// The set_text of every config (Config, BreakerConfig and BudgetConfig derive from it): sets a parameter
// from text, as the command line and string-configured FFIs give it. It finds the parameter by name,
// parses the text as parse_param_text does for its type, and hands the value to Derived's typed setter,
// which validates it; only the policy's Config has a seed (set_u64). Throws what those throw.
template <typename Derived, typename P>
class SetFromText {
 public:
  void set_text(std::string_view name, std::string_view text) {
    Derived& config = static_cast<Derived&>(*this);
    const P param = param_from_name<P>(name);
    const TextValue parsed = parse_param_text(param_spec(param), text);
    if (parsed.type == ParamType::real) return config.set_f64(param, parsed.f64);
    if constexpr (std::is_same_v<P, Param>) {
      if (parsed.type == ParamType::seed) return config.set_u64(param, parsed.u64);
    }
    config.set_i64(param, parsed.i64);
  }
};

}  // namespace backoff
