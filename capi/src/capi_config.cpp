// Version, time and parameter entry points, and the config handle.
#include <string_view>

#include "backoff/clock.hpp"
#include "backoff/version.hpp"
#include "capi_config_family.hpp"
#include "capi_internal.hpp"

// The header's version macros are the C program's copy of the core's version.
static_assert(BACKOFF_VERSION_MAJOR == backoff::version::kMajor &&
                  BACKOFF_VERSION_MINOR == backoff::version::kMinor &&
                  BACKOFF_VERSION_PATCH == backoff::version::kPatch,
              "backoff.h's BACKOFF_VERSION_* must equal core/include/backoff/version.hpp");
static_assert(std::string_view(BACKOFF_VERSION_STRING) == backoff::version::kString,
              "backoff.h's BACKOFF_VERSION_STRING must equal core/include/backoff/version.hpp");

extern "C" {

unsigned backoff_version_number(void) { return BACKOFF_VERSION_NUMBER; }
const char* backoff_version_string(void) { return BACKOFF_VERSION_STRING; }

int64_t backoff_stop(void) { return BACKOFF_STOP; }
int64_t backoff_monotonic_now_ns(void) { return backoff::monotonic_now_ns(); }

int backoff_duration_parse(int64_t* out_ns, const char* text, const char* name) {
  BACKOFF_REQUIRE(out_ns);
  BACKOFF_REQUIRE(text);
  BACKOFF_REQUIRE(name);
  return guarded([&] { *out_ns = backoff::parse_duration(text, name); });
}

BACKOFF_CAPI_CONFIG_FAMILY(backoff_, )

// Only the policy has a seed, the one unsigned parameter.
int backoff_config_set_u64(backoff_config* config, int param, uint64_t value) {
  BACKOFF_REQUIRE(config);
  return guarded([&] { config->config.set_u64(backoff::param_from_id<backoff::Param>(param), value); });
}

}
