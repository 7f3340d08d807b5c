// Arbitrary configuration steps, as a C caller could make them, shared by the fuzz targets.
//
// A step sets one parameter through a typed setter by id (any int, so unknown ids are covered), or
// through backoff_config_set_text() by name with arbitrary text. The same typed value can also be written
// as the text a user would type ("250ms", "exponential", "0x2a"), so a target can check that configuring
// by id and configuring by name are one and the same.
#pragma once

#include <cstdint>
#include <string>

#include "backoff.h"
#include "fuzz_input.hpp"

namespace backoff_fuzz {

struct ConfigStep {
  enum class Setter { i64, f64, u64, text };
  Setter setter = Setter::i64;
  int param = 0;          // for the typed setters; any int
  std::int64_t i64 = 0;
  double f64 = 0;
  std::uint64_t u64 = 0;
  std::string name;       // for Setter::text
  std::string text;       // for Setter::text
};

ConfigStep read_config_step(FuzzInput& input);

// True when the step, if it succeeds, seeds the policy.
bool sets_seed(const ConfigStep& step);

// Applies the step: a typed step through its typed setter, a text step through set_text.
int apply_by_id(backoff_config* config, const ConfigStep& step);

// Returned by apply_as_text when text cannot say what the step says: a typed setter called with a
// parameter of another type has no text form. Not a backoff_status.
constexpr int kNoTextForm = 1;

// Applies the same step through backoff_config_set_text(), the value written as a person would.
int apply_as_text(backoff_config* config, const ConfigStep& step);

// The contract of every setter: a status from backoff.h, and a message that says why on failure.
void check_setter_status(int status);

// Checks that the parameter table of backoff.h (ids, names, types) is what the library reports.
void check_param_table();

// The documented type of a parameter id, or -1 for an unknown id.
int documented_param_type(int param);

// A value for a breaker's or a budget's set_text: arbitrary text, one of `words`, or an edgy integer with
// one of `units` (the empty unit included).
template <std::size_t Words, std::size_t Units>
std::string value_text(FuzzInput& input, const char* const (&words)[Words], const char* const (&units)[Units]) {
  switch (input.below(3)) {
    case 0: return input.text();
    case 1: return words[input.below(Words)];
    default: {
      const std::string number = std::to_string(input.edgy_i64());  // read before the unit, in order
      return number + units[input.below(Units)];
    }
  }
}

}  // namespace backoff_fuzz
