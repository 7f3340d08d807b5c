#include "backoff/config.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "backoff/param_table.hpp"
#include "backoff/saturating.hpp"
#include "backoff/server_hint.hpp"
#include "backoff/status.hpp"

namespace backoff {
const char* kind_name(Kind kind) noexcept { return name_of(VocabFamily::kind, static_cast<std::int64_t>(kind)); }
const char* jitter_name(Jitter jitter) noexcept {
  return name_of(VocabFamily::jitter, static_cast<std::int64_t>(jitter));
}

namespace {

// NaN and negative seconds are a caller's bug, in a setting and in a server's hint alike.
void require_seconds(double seconds, const char* param) {
  if (std::isnan(seconds)) throw_invalid(param, "must be a number", "NaN");
  if (seconds < 0) throw_invalid(param, "must not be negative", format_double(seconds) + " s");
}

}  // namespace

std::int64_t ns_from_seconds(double seconds, const char* param) {
  require_seconds(seconds, param);
  // 9223372036.854775807 s is INT64_MAX ns; anything at or past it (inf included) does not fit.
  if (!(seconds * 1e9 < 9223372036854775808.0)) {
    throw_invalid(param, "is longer than INT64_MAX nanoseconds (about 292 years)", format_double(seconds) + " s");
  }
  return saturating_round(seconds * 1e9);
}

std::int64_t hint_ns_from_seconds(double seconds, const char* param) {
  require_seconds(seconds, param);
  return saturating_round(seconds * 1e9);  // saturates at INT64_MAX, inf included
}

namespace {

// A decimal number as written: value = digits * 10^exponent, digits without their leading zeros.
struct Decimal {
  std::string digits;
  std::int64_t exponent = 0;
  bool negative = false;
};

bool is_decimal_digit(char c) { return c >= '0' && c <= '9'; }

// Reads [-] digits [. digits] [e [+-] digits], nothing else: no spaces, no "0x", no "inf" or "nan".
bool read_decimal(std::string_view text, Decimal* out) {
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    out->negative = true;
    ++i;
  }
  bool any_digit = false;
  for (bool fraction = false; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !fraction) {
      fraction = true;
      continue;
    }
    if (!is_decimal_digit(c)) break;
    any_digit = true;
    if (!out->digits.empty() || c != '0') out->digits += c;
    if (fraction) --out->exponent;
  }
  if (!any_digit) return false;
  if (i == text.size()) return true;
  if (text[i] != 'e' && text[i] != 'E') return false;
  ++i;
  const bool negative_exponent = i < text.size() && text[i] == '-';
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  if (i == text.size()) return false;
  // An exponent past a million is as good as infinite; clamping it keeps the arithmetic in range.
  std::int64_t exponent = 0;
  for (; i < text.size(); ++i) {
    if (!is_decimal_digit(text[i])) return false;
    exponent = std::min<std::int64_t>(exponent * 10 + (text[i] - '0'), 1'000'000);
  }
  out->exponent += negative_exponent ? -exponent : exponent;
  return true;
}

// digits * factor, for a small factor, as decimal digits: exact for any length.
std::string multiply(const std::string& digits, int factor) {
  std::string product(digits.size() + 2, '0');
  int carry = 0;
  std::size_t at = product.size();
  for (std::size_t i = digits.size(); i-- > 0;) {
    const int value = (digits[i] - '0') * factor + carry;
    product[--at] = static_cast<char>('0' + value % 10);
    carry = value / 10;
  }
  while (carry > 0) {
    product[--at] = static_cast<char>('0' + carry % 10);
    carry /= 10;
  }
  return product.substr(product.find_first_not_of('0'));
}

// The whole number written by `digits` (at most 19 of them), or -1 past INT64_MAX.
std::int64_t whole_number(std::string_view digits) {
  if (digits.size() > 19) return -1;
  std::uint64_t value = 0;
  for (const char c : digits) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  return value > static_cast<std::uint64_t>(kMaxNs) ? -1 : static_cast<std::int64_t>(value);
}

}  // namespace

std::int64_t parse_duration(std::string_view text, const char* param) {
  // Each unit as factor * 10^power nanoseconds, so that the conversion stays in decimal and is exact.
  struct Unit {
    const char* suffix;
    int factor;
    int power;
  };
  // Two-letter suffixes first, so "5ms" is read as milliseconds and not as "5m" followed by "s".
  static constexpr Unit kUnits[] = {{"ns", 1, 0}, {"us", 1, 3}, {"ms", 1, 6}, {"s", 1, 9}, {"m", 6, 10}, {"h", 36, 11}};
  const auto quoted = [&] { return "'" + std::string(text) + "'"; };
  if (text == "0") return 0;
  const Unit* unit = nullptr;
  for (const Unit& candidate : kUnits) {
    const std::string_view suffix(candidate.suffix);
    if (text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix) {
      unit = &candidate;
      break;
    }
  }
  if (unit == nullptr) throw_invalid(param, "needs a unit (ns, us, ms, s, m, h)", quoted());
  Decimal number;
  if (!read_decimal(text.substr(0, text.size() - std::strlen(unit->suffix)), &number)) {
    throw_invalid(param, "is not a decimal duration such as 250ms or 1.5s", quoted());
  }
  if (number.digits.empty()) return 0;  // "0s", "0.000ms", "-0s"
  if (number.negative) throw_invalid(param, "must not be negative", quoted());
  // Decimal digits, so that "9223372036.854775807s" is exactly INT64_MAX ns: a double cannot hold it.
  const std::string scaled = multiply(number.digits, unit->factor);
  const std::int64_t exponent = number.exponent + unit->power;
  const auto too_long = [&] {
    throw_invalid(param, "is longer than INT64_MAX nanoseconds (about 292 years)", quoted());
  };
  std::int64_t ns = 0;
  if (exponent >= 0) {
    if (exponent > 19) too_long();
    ns = whole_number(scaled + std::string(static_cast<std::size_t>(exponent), '0'));
    if (ns < 0) too_long();
    return ns;
  }
  // Rounded to the nearest nanosecond, halves up.
  const std::int64_t whole_digits = static_cast<std::int64_t>(scaled.size()) + exponent;
  if (whole_digits > 0) {
    ns = whole_number(std::string_view(scaled).substr(0, static_cast<std::size_t>(whole_digits)));
    if (ns < 0) too_long();
  }
  const bool round_up = whole_digits >= 0 && scaled[static_cast<std::size_t>(whole_digits)] >= '5';
  if (round_up && ns == kMaxNs) too_long();
  ns += round_up ? 1 : 0;
  // A positive value read as 0 would mean "none" (no limit, no wait): the writer meant something else.
  if (ns == 0) throw_invalid(param, "is shorter than 1 ns; write 0 for none", quoted());
  return ns;
}

void Config::set_i64(Param param, std::int64_t value) {
  const char* name = require_non_negative_i64(param_spec(param), value);
  switch (param) {
    case Param::kind: kind = static_cast<Kind>(require_choice(param_spec(param), value)); return;
    case Param::jitter: jitter = static_cast<Jitter>(require_choice(param_spec(param), value)); return;
    case Param::stop_when: stop_when = static_cast<StopWhen>(require_choice(param_spec(param), value)); return;
    case Param::initial: initial_ns = value; return;
    case Param::increment: increment_ns = value; return;
    case Param::cap:
      cap_ns = value;
      cap_set = true;
      return;
    case Param::max_attempts: max_attempts = value; return;
    case Param::max_elapsed: max_elapsed_ns = value; return;
    case Param::deadline: deadline_ns = value; return;
    default: break;
  }
  throw Error(Status::internal, std::string(name) + ": integer parameter without a setter");
}

void Config::set_f64(Param param, double value) {
  require_param_type(param, ParamType::real);
  const char* name = param_name(param);
  if (!std::isfinite(value)) throw_invalid(name, "must be finite", format_double(value));
  if (param == Param::multiplier) {
    if (value < 1.0) throw_invalid(name, "must be at least 1", format_double(value));
    multiplier = value;
  } else {
    if (value < 0.0 || value > 1.0) throw_invalid(name, "must be in [0, 1]", format_double(value));
    randomization_factor = value;
  }
}

void Config::set_u64(Param param, std::uint64_t value) {
  require_param_type(param, ParamType::seed);
  seed = value;
  seeded = true;
}


}  // namespace backoff
