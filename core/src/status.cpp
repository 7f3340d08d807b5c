#include "backoff/status.hpp"

#include <cmath>
#include <cstdio>

namespace backoff {

void throw_invalid(const char* param, const char* why, const std::string& value) {
  throw Error(Status::invalid_value, std::string(param) + ": " + why + " (got " + value + ")");
}

std::string format_double(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

}  // namespace backoff
