// The library's version, in one place. CMake's project() and the Python package's metadata read the three
// numbers from these lines (keep their spelling); the Python module exports the string; the C header's
// BACKOFF_VERSION_* macros, which a C program sees without the core, are held equal to them at compile
// time (capi/src/capi_config.cpp).
#pragma once

#include <cstddef>
#include <string_view>

namespace backoff::version {

inline constexpr int kMajor = 0;
inline constexpr int kMinor = 1;
inline constexpr int kPatch = 0;
inline constexpr std::string_view kString = "0.1.0";

// Whether text is "major.minor.patch" in decimal: ties kString to the numbers.
constexpr bool spells(std::string_view text, int major, int minor, int patch) {
  const int parts[] = {major, minor, patch};
  std::size_t i = 0;
  for (int k = 0; k < 3; ++k) {
    if (k > 0 && (i >= text.size() || text[i++] != '.')) return false;
    const std::size_t start = i;
    int value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') value = value * 10 + (text[i++] - '0');
    if (i == start || value != parts[k]) return false;
  }
  return i == text.size();
}
static_assert(spells(kString, kMajor, kMinor, kPatch), "kString must spell kMajor.kMinor.kPatch");

}  // namespace backoff::version
