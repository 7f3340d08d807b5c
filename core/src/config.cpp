#include "backoff/config.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include "backoff/saturating.hpp"
#include "backoff/status.hpp"

namespace backoff {
namespace {

struct ParamInfo {
  const char* name;
  ParamType type;
};

// Indexed by Param; the order is the ABI's and never changes.
constexpr ParamInfo kParams[kParamCount] = {
    {"kind", ParamType::choice},        {"initial", ParamType::duration},
    {"multiplier", ParamType::real},    {"increment", ParamType::duration},
    {"cap", ParamType::duration},       {"jitter", ParamType::choice},
    {"randomization_factor", ParamType::real}, {"max_attempts", ParamType::count},
    {"max_elapsed", ParamType::duration}, {"seed", ParamType::seed},
};

constexpr const char* kKindNames[] = {"constant", "linear", "exponential", "decorrelated"};
constexpr const char* kJitterNames[] = {"none", "full", "equal", "randomization"};

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

}  // namespace

void require_param_type(Param param, ParamType expected_group) {
  const ParamType actual = param_type(param);
  const bool int_group = actual == ParamType::duration || actual == ParamType::count ||
                         actual == ParamType::choice;
  const bool expects_int = expected_group == ParamType::duration || expected_group == ParamType::count ||
                           expected_group == ParamType::choice;
  const bool ok = expects_int ? int_group : actual == expected_group;
  if (!ok) {
    throw Error(Status::wrong_type,
                std::string(param_name(param)) + ": takes " + type_name(actual) + "; use its typed setter");
  }
}

namespace {

template <std::size_t N>
std::int64_t choice_from_name(const char* const (&names)[N], std::string_view text, const char* param) {
  for (std::size_t i = 0; i < N; ++i) {
    if (text == names[i]) return static_cast<std::int64_t>(i);
  }
  std::string known;
  for (std::size_t i = 0; i < N; ++i) known += (i ? ", " : "") + std::string(names[i]);
  throw Error(Status::unknown_name,
              std::string(param) + ": unknown value '" + std::string(text) + "' (known: " + known + ")");
}

double parse_number(std::string_view text, const char* param) {
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size()) {
    throw_invalid(param, "is not a number", "'" + copy + "'");
  }
  return value;
}

}  // namespace

Param param_from_id(int id) {
  if (id < 0 || id >= kParamCount) {
    throw Error(Status::unknown_name, "param: unknown parameter id " + std::to_string(id));
  }
  return static_cast<Param>(id);
}

Param param_from_name(std::string_view name) {
  for (int i = 0; i < kParamCount; ++i) {
    if (name == kParams[i].name) return static_cast<Param>(i);
  }
  throw Error(Status::unknown_name, "param: unknown parameter name '" + std::string(name) + "'");
}

const char* param_name(Param param) noexcept { return kParams[static_cast<int>(param)].name; }
ParamType param_type(Param param) noexcept { return kParams[static_cast<int>(param)].type; }
const char* kind_name(Kind kind) noexcept { return kKindNames[static_cast<int>(kind)]; }
const char* jitter_name(Jitter jitter) noexcept { return kJitterNames[static_cast<int>(jitter)]; }

std::int64_t ns_from_seconds(double seconds, const char* param) {
  if (std::isnan(seconds)) throw_invalid(param, "must be a number", "NaN");
  if (seconds < 0) throw_invalid(param, "must not be negative", format_double(seconds) + " s");
  // 9223372036.854775807 s is INT64_MAX ns; anything at or past it (inf included) does not fit.
  if (!(seconds * 1e9 < 9223372036854775808.0)) {
    throw_invalid(param, "is longer than INT64_MAX nanoseconds (about 292 years)", format_double(seconds) + " s");
  }
  return ns_from_double(seconds * 1e9);
}

std::int64_t parse_duration(std::string_view text, const char* param) {
  struct Unit {
    const char* suffix;
    std::int64_t ns;
  };
  // Two-letter suffixes first, so "5ms" is read as milliseconds and not as "5m" followed by "s".
  static constexpr Unit kUnits[] = {{"ns", 1},           {"us", 1'000},          {"ms", 1'000'000},
                                    {"s", 1'000'000'000}, {"m", 60'000'000'000}, {"h", 3'600'000'000'000}};
  if (text == "0") return 0;
  for (const Unit& unit : kUnits) {
    const std::string_view suffix(unit.suffix);
    if (text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix) {
      const std::string_view number = text.substr(0, text.size() - suffix.size());
      // Whole numbers are read exactly: a double cannot hold "9223372036854775807ns" or "9007199254740993ns".
      if (number.find_first_not_of("0123456789") == std::string_view::npos) {
        const std::string digits(number);
        errno = 0;
        const unsigned long long count = std::strtoull(digits.c_str(), nullptr, 10);
        if (errno == ERANGE || count > static_cast<unsigned long long>(kMaxNs / unit.ns)) {
          throw_invalid(param, "is longer than INT64_MAX nanoseconds (about 292 years)", "'" + std::string(text) + "'");
        }
        return static_cast<std::int64_t>(count) * unit.ns;
      }
      return ns_from_seconds(parse_number(number, param) * static_cast<double>(unit.ns) / 1e9, param);
    }
  }
  throw_invalid(param, "needs a unit (ns, us, ms, s, m, h)", "'" + std::string(text) + "'");
}

void Config::set_i64(Param param, std::int64_t value) {
  require_param_type(param, ParamType::duration);
  const char* name = param_name(param);
  if (value < 0) throw_invalid(name, "must not be negative", std::to_string(value));
  switch (param) {
    case Param::kind:
      if (value > static_cast<std::int64_t>(Kind::decorrelated)) {
        throw Error(Status::unknown_name, "kind: unknown kind " + std::to_string(value));
      }
      kind = static_cast<Kind>(value);
      return;
    case Param::jitter:
      if (value > static_cast<std::int64_t>(Jitter::randomization)) {
        throw Error(Status::unknown_name, "jitter: unknown jitter mode " + std::to_string(value));
      }
      jitter = static_cast<Jitter>(value);
      return;
    case Param::initial: initial_ns = value; return;
    case Param::increment: increment_ns = value; return;
    case Param::cap:
      cap_ns = value;
      cap_set = true;
      return;
    case Param::max_attempts: max_attempts = value; return;
    case Param::max_elapsed: max_elapsed_ns = value; return;
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

void Config::set_text(std::string_view name, std::string_view value) {
  const Param param = param_from_name(name);
  const char* pname = param_name(param);
  switch (param_type(param)) {
    case ParamType::duration: set_i64(param, parse_duration(value, pname)); return;
    case ParamType::choice:
      set_i64(param, param == Param::kind ? choice_from_name(kKindNames, value, pname)
                                          : choice_from_name(kJitterNames, value, pname));
      return;
    case ParamType::real: set_f64(param, parse_number(value, pname)); return;
    case ParamType::count:
    case ParamType::seed: {
      const std::string copy(value);
      char* end = nullptr;
      errno = 0;
      const unsigned long long parsed = std::strtoull(copy.c_str(), &end, 0);
      const bool negative = !copy.empty() && copy.find('-') != std::string::npos;
      if (copy.empty() || negative || end != copy.c_str() + copy.size() || errno == ERANGE) {
        throw_invalid(pname, "is not a non-negative integer", "'" + copy + "'");
      }
      if (param_type(param) == ParamType::seed) {
        set_u64(param, parsed);
      } else if (parsed > static_cast<unsigned long long>(kMaxNs)) {
        throw_invalid(pname, "is larger than INT64_MAX", "'" + copy + "'");
      } else {
        set_i64(param, static_cast<std::int64_t>(parsed));
      }
      return;
    }
  }
}

}  // namespace backoff
