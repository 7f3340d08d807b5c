#include "backoff/config.hpp"

#include <cmath>
#include <iterator>
#include <string>

#include "backoff/param_table.hpp"
#include "backoff/saturating.hpp"
#include "backoff/status.hpp"

namespace backoff {
namespace {

// Indexed by Param; the order is the ABI's and never changes.
constexpr ParamSpec kParams[kParamCount] = {
    {"kind", ParamType::choice},        {"initial", ParamType::duration},
    {"multiplier", ParamType::real},    {"increment", ParamType::duration},
    {"cap", ParamType::duration},       {"jitter", ParamType::choice},
    {"randomization_factor", ParamType::real}, {"max_attempts", ParamType::count},
    {"max_elapsed", ParamType::duration}, {"seed", ParamType::seed},
};

constexpr const char* kKindNames[] = {"constant", "linear", "exponential", "decorrelated"};
constexpr const char* kJitterNames[] = {"none", "full", "equal", "randomization"};

}  // namespace

void require_param_type(Param param, ParamType passed_as) {
  require_value_type(kParams[static_cast<int>(param)], passed_as);
}

Param param_from_id(int id) { return static_cast<Param>(param_index_by_id(kParamCount, id, "param")); }

Param param_from_name(std::string_view name) {
  return static_cast<Param>(param_index_by_name(kParams, kParamCount, name, "param"));
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
      return ns_from_seconds(parse_real(number, param) * static_cast<double>(unit.ns) / 1e9, param);
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
  const bool is_kind = param == Param::kind;
  const TextValue parsed = parse_param_text(kParams[static_cast<int>(param)], is_kind ? kKindNames : kJitterNames,
                                            is_kind ? std::size(kKindNames) : std::size(kJitterNames), value);
  switch (parsed.type) {
    case ParamType::real: set_f64(param, parsed.f64); return;
    case ParamType::seed: set_u64(param, parsed.u64); return;
    default: set_i64(param, parsed.i64); return;
  }
}

}  // namespace backoff
