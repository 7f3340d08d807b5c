#include "backoff/param_table.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

#include "backoff/breaker_config.hpp"
#include "backoff/budget_config.hpp"
#include "backoff/saturating.hpp"
#include "backoff/status.hpp"

namespace backoff {
namespace {

const char* type_name(ParamType type) {
  switch (type) {
    case ParamType::duration: return "a duration in int64 nanoseconds";
    case ParamType::count: return "an int64 count";
    case ParamType::choice: return "an int64 enum value";
    case ParamType::real: return "a double";
    case ParamType::seed: return "a uint64";
  }
  return "?";
}

bool passed_as_int64(ParamType type) {
  return type == ParamType::duration || type == ParamType::count || type == ParamType::choice;
}

int digit_value(char c, int base) {
  const int value = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : 99;
  return value < base ? value : -1;
}

// Decimal digits only, so "010" is ten (strtoull's base 0 would read eight) and signs and spaces are
// errors; a seed, which is a bit pattern rather than a quantity, may also be written in hex as "0x2a".
std::uint64_t parse_unsigned(std::string_view text, bool hex_allowed, const char* param) {
  const bool hex = hex_allowed && text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const int base = hex ? 16 : 10;
  const std::string_view digits = hex ? text.substr(2) : text;
  std::uint64_t value = 0;
  bool fits = true;
  for (const char c : digits) {
    const int digit = digit_value(c, base);
    if (digit < 0) fits = false;
    if (!fits) break;
    fits = value <= (UINT64_MAX - static_cast<std::uint64_t>(digit)) / static_cast<std::uint64_t>(base);
    value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(digit);
  }
  if (digits.empty() || !fits) {
    throw_invalid(param, "is not a non-negative integer", "'" + std::string(text) + "'");
  }
  return value;
}

}  // namespace

std::uint64_t parse_uint64(std::string_view text, const char* param) {
  return parse_unsigned(text, /*hex_allowed=*/false, param);
}

std::int64_t parse_int64(std::string_view text, const char* param) {
  const bool negative = !text.empty() && text[0] == '-';
  const std::string_view digits = negative ? text.substr(1) : text;
  const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : static_cast<std::uint64_t>(kMaxNs);
  std::uint64_t magnitude = 0;
  bool fits = !digits.empty() && digits[0] != '-';
  if (fits) {
    try {
      magnitude = parse_unsigned(digits, false, param);
    } catch (const Error&) {
      fits = false;
    }
  }
  if (!fits || magnitude > limit) throw_invalid(param, "is not a 64-bit integer", "'" + std::string(text) + "'");
  // Unsigned negation, then a conversion C++17 defines for -2^63 too (two's complement on every target).
  return negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
}

double parse_real(std::string_view text, const char* param) {
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  // strtod skips leading spaces but stops at trailing ones, and reads hex: reject all three alike.
  const bool decimal = copy.find_first_of(" \t\n\v\f\rxX") == std::string::npos;
  if (copy.empty() || !decimal || end != copy.c_str() + copy.size()) {
    throw_invalid(param, "is not a number", "'" + copy + "'");
  }
  return value;
}

const ParamSpec* param_table(VocabFamily family, int* count) noexcept {
  switch (family) {
    case VocabFamily::param: *count = kParamCount; return kPolicyParams;
    case VocabFamily::breaker_param: *count = kBreakerParamCount; return kBreakerParams;
    case VocabFamily::budget_param: *count = kBudgetParamCount; return kBudgetParams;
    default: *count = 0; return nullptr;
  }
}

const char* retry_stop_default(VocabFamily family, int param) noexcept {
#define BACKOFF_RETRY_STOP_CASE(identifier, text) \
  if (param == static_cast<int>(Param::identifier)) return text;
  if (family == VocabFamily::param) {
    BACKOFF_RETRY_STOP_DEFAULTS(BACKOFF_RETRY_STOP_CASE)
  }
#undef BACKOFF_RETRY_STOP_CASE
  return "";
}

std::int64_t require_choice(const ParamSpec& spec, std::int64_t value) {
  return require_member(static_cast<VocabFamily>(spec.choices), value, spec.name);
}

int param_index_by_name(const ParamSpec* table, int count, std::string_view name, const char* family) {
  for (int i = 0; i < count; ++i) {
    if (name == table[i].name) return i;
  }
  throw Error(Status::unknown_name, std::string(family) + ": unknown parameter name '" + clip_value(name) + "'");
}

int param_index_by_id(int count, int id, const char* family) {
  if (id < 0 || id >= count) {
    throw Error(Status::unknown_name, std::string(family) + ": unknown parameter id " + std::to_string(id));
  }
  return id;
}

void require_value_type(const ParamSpec& spec, ParamType passed_as) {
  const bool ok = passed_as_int64(passed_as) ? passed_as_int64(spec.type) : spec.type == passed_as;
  if (!ok) {
    throw Error(Status::wrong_type,
                std::string(spec.name) + ": takes " + type_name(spec.type) + "; use its typed setter");
  }
}

const char* require_non_negative_i64(const ParamSpec& spec, std::int64_t value) {
  require_value_type(spec, ParamType::count);
  if (value < 0) throw_invalid(spec.name, "must not be negative", std::to_string(value));
  return spec.name;
}

TextValue parse_param_text(const ParamSpec& spec, std::string_view text) {
  TextValue value{spec.type};
  switch (spec.type) {
    case ParamType::duration: value.i64 = parse_duration(text, spec.name); break;
    case ParamType::choice: value.i64 = value_of(static_cast<VocabFamily>(spec.choices), text, spec.name); break;
    case ParamType::real: value.f64 = parse_real(text, spec.name); break;
    case ParamType::seed: value.u64 = parse_unsigned(text, true, spec.name); break;
    case ParamType::count: {
      const std::uint64_t parsed = parse_unsigned(text, false, spec.name);
      if (parsed > static_cast<std::uint64_t>(kMaxNs)) {
        throw_invalid(spec.name, "is larger than INT64_MAX", "'" + std::string(text) + "'");
      }
      value.i64 = static_cast<std::int64_t>(parsed);
      break;
    }
  }
  return value;
}

}  // namespace backoff
