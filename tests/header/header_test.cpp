// backoff.h compiles as C++17 under strict warnings, gives every function C linkage (each pointer in
// header_prototypes.h must link against an unmangled symbol), and its constants are constant expressions
// of the documented types, as a C++ user of the C API expects.
#define BACKOFF_EXPERIMENTAL  // both tiers
#include "backoff.h"
#include "backoff.h"
#include "header_prototypes.h"

#include <cstdio>
#include <type_traits>

static_assert(std::is_same<decltype(BACKOFF_STOP), int64_t>::value, "BACKOFF_STOP is an int64_t");
static_assert(std::is_same<decltype(BACKOFF_SECOND), int64_t>::value, "BACKOFF_SECOND is an int64_t");
static_assert(BACKOFF_STOP == -1, "BACKOFF_STOP is -1");
static_assert(BACKOFF_SECOND == 1000 * BACKOFF_MILLISECOND && BACKOFF_MILLISECOND == 1000 * BACKOFF_MICROSECOND &&
                  BACKOFF_MICROSECOND == 1000 * BACKOFF_NANOSECOND,
              "the unit constants are consistent");
static_assert(BACKOFF_VERSION_NUMBER ==
                  BACKOFF_VERSION_MAJOR * 10000 + BACKOFF_VERSION_MINOR * 100 + BACKOFF_VERSION_PATCH,
              "the version number is computed from its parts");
static_assert(std::is_enum<backoff_status>::value && std::is_enum<backoff_param>::value,
              "the status and parameter types are enums in C++ too");

int main() {
  if (pin_version_number() != BACKOFF_VERSION_NUMBER) {
    std::fprintf(stderr, "header_test.cpp: library %s, header %s\n", pin_version_string(), BACKOFF_VERSION_STRING);
    return 1;
  }
  std::puts("backoff.h compiles as C++17 and every declaration links with C linkage");
  return 0;
}
