// Fuzz target: the text parsers behind configuration by name and the command line's options.
//
// Every step parses one text for one policy parameter, through backoff_config_set_text() (what string-
// configured FFIs and every CLI option that names a parameter use) and, for durations, through
// backoff_duration_parse() (what the CLI's own --timeout uses). The text is arbitrary bytes, or a value
// written as a person would: a whole or decimal number with a unit, a count, a real, a choice, with
// spaces, signs or leading zeros now and then. The checks:
//   - a duration parses to the same value, or is refused alike, through both entries;
//   - an accepted value lies in its parameter's domain (duration and count >= 0, multiplier finite >= 1,
//     factor in [0, 1], a known choice), and reads back from a policy built on it;
//   - a refused text returns EINVAL or EUNKNOWN with a message naming the parameter, and changes nothing:
//     the policy built afterwards holds the value set before;
//   - values round-trip through their canonical text: a duration as "<n>ns" and in every unit that
//     divides it, a count as its decimal digits, a real as "%.17g", a choice as its name;
//   - a whole number with a unit is read exactly, "<d>ns" for every d up to INT64_MAX and no further; a
//     decimal one within the rounding of a double, and refused when it is far beyond INT64_MAX ns;
//   - a decimal count without leading zeros is its value, refused past INT64_MAX.
// The target asserts nothing about leading zeros, hexadecimal or surrounding spaces in counts, which the
// library may read in more than one documented way.
#include <cinttypes>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>

#include "backoff.h"
#include "fuzz_check.hpp"
#include "fuzz_input.hpp"

using namespace backoff_fuzz;

namespace {

constexpr std::int64_t kMaxNs = std::numeric_limits<std::int64_t>::max();

struct Unit {
  const char* suffix;
  std::int64_t ns;
};
constexpr Unit kUnits[] = {{"ns", 1},           {"us", 1'000},          {"ms", 1'000'000},
                           {"s", 1'000'000'000}, {"m", 60'000'000'000}, {"h", 3'600'000'000'000}};
const char* const kKinds[] = {"constant", "linear", "exponential", "decorrelated"};
const char* const kJitters[] = {"none", "full", "equal", "randomization"};
const char* const kStopWhens[] = {"any", "all"};

// The documented name of a choice parameter's value.
const char* choice_name(int param, std::int64_t value) {
  return param == BACKOFF_PARAM_KIND ? kKinds[value] : param == BACKOFF_PARAM_JITTER ? kJitters[value] : kStopWhens[value];
}

// What a parameter holds: an int64 (durations, counts, choices), a double or the seed.
struct Value {
  std::int64_t i64 = 0;
  double f64 = 0;
  std::uint64_t u64 = 0;
  bool operator==(const Value& other) const {
    return i64 == other.i64 && u64 == other.u64 && std::memcmp(&f64, &other.f64, sizeof f64) == 0;
  }
};

// A config whose policy always builds, whatever one parameter is set to: constant kind (initial 0 is
// fine; 1 ns when the kind itself is set), cap at its largest (so cap >= initial), and every parameter set to a value of its own first
// (the "before" each step compares a refused text with).
backoff_config* baseline(int param) {
  backoff_config* config = new_config(backoff_config_new);
  const bool ok =
      backoff_config_set_i64(config, BACKOFF_PARAM_KIND, param == BACKOFF_PARAM_KIND ? BACKOFF_KIND_LINEAR
                                                                                     : BACKOFF_KIND_CONSTANT) == BACKOFF_OK &&
      backoff_config_set_i64(config, BACKOFF_PARAM_INITIAL_NS, param == BACKOFF_PARAM_INITIAL_NS ? 12'345
                                                               : param == BACKOFF_PARAM_KIND      ? 1
                                                                                                  : 0) == BACKOFF_OK &&
      backoff_config_set_i64(config, BACKOFF_PARAM_CAP_NS,
                             param == BACKOFF_PARAM_CAP_NS ? 54'321 : kMaxNs) == BACKOFF_OK &&
      backoff_config_set_i64(config, BACKOFF_PARAM_INCREMENT_NS, 777) == BACKOFF_OK &&
      backoff_config_set_i64(config, BACKOFF_PARAM_MAX_ELAPSED_NS, 888) == BACKOFF_OK &&
      backoff_config_set_i64(config, BACKOFF_PARAM_MAX_ATTEMPTS, 9) == BACKOFF_OK &&
      backoff_config_set_i64(config, BACKOFF_PARAM_JITTER, BACKOFF_JITTER_EQUAL) == BACKOFF_OK &&
      backoff_config_set_f64(config, BACKOFF_PARAM_MULTIPLIER, 1.25) == BACKOFF_OK &&
      backoff_config_set_f64(config, BACKOFF_PARAM_RANDOMIZATION_FACTOR, 0.375) == BACKOFF_OK &&
      backoff_config_set_u64(config, BACKOFF_PARAM_SEED, 4242) == BACKOFF_OK;
  FUZZ_REQUIRE(ok, "the baseline config was refused: %s", backoff_last_error());
  return config;
}

// The parameter's value in a policy built from `config`.
Value read_back(const backoff_config* config, int param) {
  backoff_policy* policy = nullptr;
  const int status = backoff_policy_new(&policy, config);
  FUZZ_REQUIRE(status == BACKOFF_OK, "a policy on the baseline failed to build for %s: %s", backoff_param_name(param),
               backoff_last_error());
  Value value;
  int read;
  switch (backoff_param_type(param)) {
    case BACKOFF_TYPE_REAL: read = backoff_policy_get_f64(&value.f64, policy, param); break;
    case BACKOFF_TYPE_SEED: read = backoff_policy_get_u64(&value.u64, policy, param); break;
    default: read = backoff_policy_get_i64(&value.i64, policy, param); break;
  }
  FUZZ_REQUIRE(read == BACKOFF_OK, "reading %s back: %d", backoff_param_name(param), read);
  backoff_policy_free(policy);
  return value;
}

struct Parsed {
  int status;
  Value value;  // the value read back on success, the unchanged one on refusal
};

Parsed set_text(int param, const std::string& text) {
  backoff_config* config = baseline(param);
  const Value before = read_back(config, param);
  const char* name = backoff_param_name(param);
  const int status = backoff_config_set_text(config, name, text.c_str());
  const Value after = read_back(config, param);
  backoff_config_free(config);
  if (status != BACKOFF_OK) {
    FUZZ_REQUIRE(status == BACKOFF_EINVAL || status == BACKOFF_EUNKNOWN, "%s = '%s': status %d", name, text.c_str(),
                 status);
    FUZZ_REQUIRE(std::strstr(backoff_last_error(), name) != nullptr, "%s = '%s': the message '%s' names no parameter",
                 name, text.c_str(), backoff_last_error());
    FUZZ_REQUIRE(after == before, "%s = '%s' was refused but changed the value", name, text.c_str());
  }
  return {status, after};
}

void check_domain(int param, const Value& value, const std::string& text) {
  const char* name = backoff_param_name(param);
  bool ok = true;
  switch (param) {
    case BACKOFF_PARAM_KIND: ok = value.i64 >= BACKOFF_KIND_CONSTANT && value.i64 <= BACKOFF_KIND_DECORRELATED; break;
    case BACKOFF_PARAM_JITTER: ok = value.i64 >= BACKOFF_JITTER_NONE && value.i64 <= BACKOFF_JITTER_RANDOMIZATION; break;
    case BACKOFF_PARAM_STOP_WHEN: ok = value.i64 == BACKOFF_STOP_WHEN_ANY || value.i64 == BACKOFF_STOP_WHEN_ALL; break;
    case BACKOFF_PARAM_MULTIPLIER: ok = std::isfinite(value.f64) && value.f64 >= 1.0; break;
    case BACKOFF_PARAM_RANDOMIZATION_FACTOR: ok = value.f64 >= 0.0 && value.f64 <= 1.0; break;
    case BACKOFF_PARAM_SEED: break;
    default: ok = value.i64 >= 0; break;  // durations and counts
  }
  FUZZ_REQUIRE(ok, "%s = '%s' accepted outside the domain: %" PRId64 " / %.17g", name, text.c_str(), value.i64,
               value.f64);
}

// The canonical texts of an accepted value: each must set the same value again.
void check_round_trip(int param, const Value& value) {
  std::string texts[8];
  int count = 0;
  char buffer[64];
  switch (backoff_param_type(param)) {
    case BACKOFF_TYPE_DURATION:
      for (const Unit& unit : kUnits) {
        if (value.i64 % unit.ns == 0) texts[count++] = std::to_string(value.i64 / unit.ns) + unit.suffix;
      }
      break;
    case BACKOFF_TYPE_COUNT: texts[count++] = std::to_string(value.i64); break;
    case BACKOFF_TYPE_CHOICE:
      texts[count++] = choice_name(param, value.i64);
      break;
    case BACKOFF_TYPE_REAL:
      std::snprintf(buffer, sizeof buffer, "%.17g", value.f64);
      texts[count++] = buffer;
      break;
    default: texts[count++] = std::to_string(value.u64); break;
  }
  for (int i = 0; i < count; ++i) {
    const Parsed again = set_text(param, texts[i]);
    FUZZ_REQUIRE(again.status == BACKOFF_OK && again.value == value, "%s: the canonical '%s' gives status %d, %" PRId64
                 " / %.17g", backoff_param_name(param), texts[i].c_str(), again.status, again.value.i64,
                                                again.value.f64);
  }
}

// ----- texts written as a person would -----

std::string digits(FuzzInput& input, std::uint32_t most) {
  std::string text;
  for (std::uint32_t n = 1 + input.below(most); n != 0; --n) text += static_cast<char>('0' + input.below(10));
  return text;
}

// Integer arithmetic wide enough for any value written here (22 digits times an hour in ns), so that the
// expected values are exact everywhere: under valgrind, long double is only a double.
__extension__ typedef unsigned __int128 Wide;

// The value of a decimal text "<whole>[.<fraction>]" in `unit_ns` units, rounded down to a nanosecond, or
// false for other text (or more digits than this target writes).
bool decimal_value(const std::string& number, std::int64_t unit_ns, Wide* out) {
  const std::size_t point = number.find('.');
  const std::string whole = number.substr(0, point);
  const std::string fraction = point == std::string::npos ? "" : number.substr(point + 1);
  if (whole.empty() || whole.size() > 24 || fraction.size() > 24 ||
      whole.find_first_not_of("0123456789") != std::string::npos ||
      fraction.find_first_not_of("0123456789") != std::string::npos || (point != std::string::npos && fraction.empty())) {
    return false;
  }
  Wide value = 0, numerator = 0, denominator = 1;
  for (const char c : whole) value = value * 10 + static_cast<Wide>(c - '0');
  for (const char c : fraction) {
    numerator = numerator * 10 + static_cast<Wide>(c - '0');
    denominator *= 10;
  }
  const Wide unit = static_cast<Wide>(unit_ns);
  *out = value * unit + numerator * unit / denominator;
  return true;
}

struct Written {
  int param;
  std::string text;
};

Written write_value(FuzzInput& input) {
  static const int kDurations[] = {BACKOFF_PARAM_INITIAL_NS, BACKOFF_PARAM_CAP_NS, BACKOFF_PARAM_INCREMENT_NS,
                                   BACKOFF_PARAM_MAX_ELAPSED_NS};
  switch (input.below(8)) {
    case 0: return {static_cast<int>(input.below(10)), input.text()};  // any bytes, any parameter
    case 1: case 2: {  // a whole or decimal duration, far past INT64_MAX now and then
      std::string number = input.flag() ? std::to_string(input.edgy_u64()) : digits(input, 22);
      if (input.flag()) number += "." + digits(input, 20);
      return {kDurations[input.below(4)], number + kUnits[input.below(6)].suffix};
    }
    case 3: {  // a duration around INT64_MAX nanoseconds, in each unit
      const Unit& unit = kUnits[input.below(6)];
      const std::uint64_t count = static_cast<std::uint64_t>(kMaxNs / unit.ns) - 2 + input.below(5);
      return {kDurations[input.below(4)], std::to_string(count) + unit.suffix};
    }
    case 4: {  // a count, at the edge of int64 now and then
      const std::string number = input.flag() ? std::to_string(input.edgy_u64()) : digits(input, 21);
      return {BACKOFF_PARAM_MAX_ATTEMPTS, number};
    }
    case 5: {  // a real, as printf writes one
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, input.flag() ? "%.17g" : "%g", input.edgy_f64());
      return {input.flag() ? BACKOFF_PARAM_MULTIPLIER : BACKOFF_PARAM_RANDOMIZATION_FACTOR, buffer};
    }
    case 6: {  // a choice, a seed
      if (input.flag()) return {BACKOFF_PARAM_SEED, std::to_string(input.edgy_u64())};
      static constexpr int kChoices[] = {BACKOFF_PARAM_KIND, BACKOFF_PARAM_JITTER, BACKOFF_PARAM_STOP_WHEN};
      const int param = kChoices[input.below(3)];
      return {param, choice_name(param, input.below(param == BACKOFF_PARAM_STOP_WHEN ? 2 : 4))};
    }
    default: {  // a value with something around it: a sign, a space, a zero, a stray letter
      static const char* const kAround[] = {" ", "\t", "-", "+", "0", "00", "x", "e3", ".", "1"};
      Written base = write_value(input);
      const char* extra = kAround[input.below(10)];
      base.text = input.flag() ? extra + base.text : base.text + extra;
      return base;
    }
  }
}

// backoff_duration_parse() and set_text agree on a duration parameter.
void check_duration_entry(const Written& written, const Parsed& parsed) {
  std::int64_t out = -7;
  const int status = backoff_duration_parse(&out, written.text.c_str(), "fuzz_duration");
  FUZZ_REQUIRE(status == parsed.status && (status != BACKOFF_OK || out == parsed.value.i64),
               "'%s': duration_parse %d (%" PRId64 "), set_text %d (%" PRId64 ")", written.text.c_str(), status, out,
               parsed.status, parsed.value.i64);
  if (status != BACKOFF_OK) {
    FUZZ_REQUIRE(out == -7, "a refused duration '%s' wrote %" PRId64, written.text.c_str(), out);
    FUZZ_REQUIRE(std::strstr(backoff_last_error(), "fuzz_duration") != nullptr, "'%s': the message '%s' names no "
                 "parameter", written.text.c_str(), backoff_last_error());
  }
}

// Whole numbers with a unit are exact; decimal ones within a double's rounding; far beyond INT64_MAX
// nanoseconds they are refused.
void check_duration_value(const std::string& text, const Parsed& parsed) {
  for (const Unit& unit : kUnits) {
    const std::size_t length = std::strlen(unit.suffix);
    if (text.size() <= length || text.compare(text.size() - length, length, unit.suffix) != 0) continue;
    const std::string number = text.substr(0, text.size() - length);
    // "5ms" ends in "s" as well, but its number "5m" is not decimal: only the right unit gets past here.
    Wide exact;
    if (!decimal_value(number, unit.ns, &exact)) continue;
    const Wide limit = static_cast<Wide>(kMaxNs);
    if (number.find('.') == std::string::npos) {
      const bool fits = exact <= limit;
      FUZZ_REQUIRE((parsed.status == BACKOFF_OK) == fits && (!fits || static_cast<Wide>(parsed.value.i64) == exact),
                   "'%s': status %d, %" PRId64 " ns", text.c_str(), parsed.status, parsed.value.i64);
      return;
    }
    const Wide tolerance = 2 + (exact >> 50);  // a few roundings of a double, and the one to a nanosecond
    // A positive value that rounds to 0 ns is refused ("write 0 for none"), not read as no limit.
    const bool positive = number.find_first_of("123456789") != std::string::npos;
    if (positive && exact <= tolerance && parsed.status == BACKOFF_EINVAL) return;
    if (exact + tolerance < limit) {
      const Wide value = static_cast<Wide>(parsed.value.i64);
      FUZZ_REQUIRE(parsed.status == BACKOFF_OK && (value > exact ? value - exact : exact - value) <= tolerance,
                   "'%s': status %d, %" PRId64 " ns", text.c_str(), parsed.status, parsed.value.i64);
    } else if (exact > limit + tolerance) {
      FUZZ_REQUIRE(parsed.status == BACKOFF_EINVAL, "'%s' accepted as %" PRId64, text.c_str(), parsed.value.i64);
    }
    return;
  }
}

// A decimal count without leading zeros is exactly its value.
void check_count_value(const std::string& text, const Parsed& parsed) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || (text[0] == '0' && text.size() > 1)) {
    return;
  }
  Wide exact;
  if (!decimal_value(text, 1, &exact)) return;
  const bool fits = exact <= static_cast<Wide>(kMaxNs);
  FUZZ_REQUIRE((parsed.status == BACKOFF_OK) == fits && (!fits || std::to_string(parsed.value.i64) == text),
               "count '%s': status %d, %" PRId64, text.c_str(), parsed.status, parsed.value.i64);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput input(data, size);
  for (int steps = 0; steps < 16 && !input.empty(); ++steps) {
    Written written = write_value(input);
    written.text = written.text.c_str();  // as a C caller passes it: up to the first NUL
    const Parsed parsed = set_text(written.param, written.text);
    const int type = backoff_param_type(written.param);
    if (type == BACKOFF_TYPE_DURATION) {
      check_duration_entry(written, parsed);
      check_duration_value(written.text, parsed);
    }
    if (type == BACKOFF_TYPE_COUNT) check_count_value(written.text, parsed);
    if (parsed.status == BACKOFF_OK) {
      check_domain(written.param, parsed.value, written.text);
      check_round_trip(written.param, parsed.value);
    }
  }
  return 0;
}
