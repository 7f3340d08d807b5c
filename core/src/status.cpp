#include "backoff/status.hpp"

#include <cmath>
#include <cstdio>

namespace backoff {

void throw_invalid(const char* param, const char* why, const std::string& value) {
  throw Error(Status::invalid_value, std::string(param) + ": " + why + " (got " + clip_value(value) + ")");
}

std::string clip_value(std::string_view value) {
  // Callers quote text values ('250ms'): clip inside the quotes, so the clipped form keeps both.
  const bool quoted = value.size() >= 2 && value.front() == '\'' && value.back() == '\'';
  const std::string_view quote = quoted ? "'" : "";
  if (quoted) value = value.substr(1, value.size() - 2);
  if (value.size() <= kClipAbove) return std::string(quote) + std::string(value) + std::string(quote);
  std::size_t end = kClipPrefix;
  // Back up over UTF-8 continuation bytes (10xxxxxx): Python decodes the message as UTF-8, and a cut
  // character would turn a ValueError into a UnicodeDecodeError.
  while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;
  return std::string(quote) + std::string(value.substr(0, end)) + "..." + std::string(quote) + " (" +
         std::to_string(value.size()) + " bytes)";
}

std::string format_double(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

}  // namespace backoff
