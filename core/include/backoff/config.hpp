// The parameters of a policy and the mutable Config that collects them before a Policy is built.
//
// Each parameter has a stable id (the C ABI's BACKOFF_PARAM_* values), a name shared by C, Python and the
// command line, and a value type. Every setter validates its one value at once and throws Error naming the
// parameter; checks that involve two parameters (cap >= initial) run when the Policy is built.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "backoff/param_table.hpp"
#include "backoff/vocabulary.hpp"

namespace backoff {

// The lists, names and defaults are in vocabulary.hpp and vocabulary_params.hpp.
enum class Kind : std::int64_t { BACKOFF_VOCAB_KIND(BACKOFF_VOCAB_ENUM) };
enum class Jitter : std::int64_t { BACKOFF_VOCAB_JITTER(BACKOFF_VOCAB_ENUM) };
enum class StopWhen : std::int64_t { BACKOFF_VOCAB_STOP_WHEN(BACKOFF_VOCAB_ENUM) };

const char* kind_name(Kind kind) noexcept;
const char* jitter_name(Jitter jitter) noexcept;

// Converts float seconds (Python's unit) to nanoseconds, rejecting NaN, inf, negative and too large
// values with a message naming `param`. Used by every binding that speaks seconds.
std::int64_t ns_from_seconds(double seconds, const char* param);

// Parses a duration written for people: "250ms", "1.5s", "2m", "1h", "100us", "10ns", "0".
// A bare number other than 0 is rejected: "5" could mean seconds or nanoseconds. The number is decimal
// (digits, an optional fraction and exponent; no sign, spaces, hex, "inf" or "nan") and is converted
// exactly, rounded to the nearest nanosecond, halves up: "9223372036.854775807s" is INT64_MAX ns. A zero
// in any spelling ("0", "0s", "0.0ms") is 0; a positive value that rounds to 0 ns ("0.4ns") is rejected,
// since 0 often means "none" (no limit) and must be written as such.
std::int64_t parse_duration(std::string_view text, const char* param);

class Config : public SetFromText<Config, Param> {
 public:
  // Typed setters: each throws Error(wrong_type) when `param` takes another type and
  // Error(invalid_value) when the value is outside the parameter's domain.
  void set_i64(Param param, std::int64_t value);  // duration, count and choice parameters
  void set_f64(Param param, double value);        // real parameters
  void set_u64(Param param, std::uint64_t value); // the seed

  // set_text(name, text) comes from SetFromText: durations as parse_duration reads them, choices by name,
  // numbers as parse_param_text does.

  Kind kind = Kind::exponential;
  std::int64_t initial_ns = 100'000'000;     // 100 ms
  double multiplier = 2.0;
  std::int64_t increment_ns = 0;
  std::int64_t cap_ns = 60'000'000'000;      // 60 s; raised to `initial` when the cap was never set
  bool cap_set = false;
  Jitter jitter = Jitter::full;              // AWS's recommendation: full jitter spreads retries best
  double randomization_factor = 0.5;         // cenkalti's default
  std::int64_t max_attempts = 0;
  std::int64_t max_elapsed_ns = 0;
  std::int64_t deadline_ns = 0;              // the Retrier's, from the call's start; see retrier.hpp
  StopWhen stop_when = StopWhen::any;        // which of max_attempts and max_elapsed end retrying; policy.hpp
  bool seeded = false;
  std::uint64_t seed = 0;
};

}  // namespace backoff
