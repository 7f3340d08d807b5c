#include "backoff/param_table.hpp"

#include <cerrno>
#include <cstdlib>
#include <string>

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

std::uint64_t parse_unsigned(std::string_view text, const char* param) {
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const unsigned long long parsed = std::strtoull(copy.c_str(), &end, 0);
  // strtoull accepts "-1" and wraps it; a count or seed written with a minus sign is a mistake.
  const bool negative = copy.find('-') != std::string::npos;
  if (copy.empty() || negative || end != copy.c_str() + copy.size() || errno == ERANGE) {
    throw_invalid(param, "is not a non-negative integer", "'" + copy + "'");
  }
  return parsed;
}

std::int64_t parse_choice(const char* const* names, std::size_t count, std::string_view text,
                          const char* param) {
  for (std::size_t i = 0; i < count; ++i) {
    if (text == names[i]) return static_cast<std::int64_t>(i);
  }
  std::string known;
  for (std::size_t i = 0; i < count; ++i) known += (i ? ", " : "") + std::string(names[i]);
  throw Error(Status::unknown_name,
              std::string(param) + ": unknown value '" + clip_value(text) + "' (known: " + known + ")");
}

}  // namespace

std::uint64_t parse_uint64(std::string_view text, const char* param) { return parse_unsigned(text, param); }

double parse_real(std::string_view text, const char* param) {
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size()) {
    throw_invalid(param, "is not a number", "'" + copy + "'");
  }
  return value;
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

TextValue parse_param_text(const ParamSpec& spec, const char* const* choices, std::size_t choice_count,
                           std::string_view text) {
  TextValue value{spec.type};
  switch (spec.type) {
    case ParamType::duration: value.i64 = parse_duration(text, spec.name); break;
    case ParamType::choice: value.i64 = parse_choice(choices, choice_count, text, spec.name); break;
    case ParamType::real: value.f64 = parse_real(text, spec.name); break;
    case ParamType::seed: value.u64 = parse_unsigned(text, spec.name); break;
    case ParamType::count: {
      const std::uint64_t parsed = parse_unsigned(text, spec.name);
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
