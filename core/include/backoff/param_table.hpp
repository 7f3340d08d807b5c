// What every parameter table of the core shares: Config (policy), BreakerConfig and BudgetConfig.
//
// A table lists each parameter's name and value type, indexed by the parameter's stable id (the C ABI's
// enum value). The lookups and the text parsing below are the one mechanism behind every
// `*_param_from_name`, typed setter and `*_set_text` of the C API, so all three configs read names,
// durations, numbers and choices the same way and report errors in the same words.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backoff/config.hpp"
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

// The table of a parameter family (param, breaker_param, budget_param) and its length in *count; nullptr
// (and 0) for any other family.
const ParamSpec* param_table(VocabFamily family, int* count) noexcept;

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

}  // namespace backoff
