// The entry points every parameter family of the C API has alike: the policy's (backoff_param_*,
// backoff_config_*), the breaker's (backoff_breaker_param_*, backoff_breaker_config_*) and the budget's
// (backoff_budget_param_*, backoff_budget_config_*). Name lookups, the config handle and its typed setters
// differ only in the names, so one macro writes them for a family.
//
// A macro because extern "C" names cannot come from a template. Each body still starts with
// BACKOFF_REQUIRE, whose message names the entry point (__func__), and runs the core inside guarded().
#pragma once

#include "capi_internal.hpp"

// BACKOFF_CAPI_CONFIG_FAMILY(c_prefix, Family) defines, inside extern "C":
//   <c_prefix>param_from_name, <c_prefix>param_name, <c_prefix>param_type, <c_prefix>config_new,
//   <c_prefix>config_free, <c_prefix>config_set_i64, <c_prefix>config_set_f64, <c_prefix>config_set_text
// over the core's lookups of backoff::<Family>Param (param_table.hpp) and backoff::k<Family>ParamCount.
// The policy's family passes an empty Family.
#define BACKOFF_CAPI_CONFIG_FAMILY(c_prefix, Family) \
  int c_prefix##param_from_name(int* out, const char* name) { \
    BACKOFF_REQUIRE(out); \
    BACKOFF_REQUIRE(name); \
    return ::backoff::capi::guarded( \
        [&] { *out = static_cast<int>(::backoff::param_from_name<::backoff::Family##Param>(name)); }); \
  } \
\
  const char* c_prefix##param_name(int param) { \
    if (param < 0 || param >= ::backoff::k##Family##ParamCount) return nullptr; \
    return ::backoff::param_name(static_cast<::backoff::Family##Param>(param)); \
  } \
\
  int c_prefix##param_type(int param) { \
    if (param < 0 || param >= ::backoff::k##Family##ParamCount) return BACKOFF_EUNKNOWN; \
    return static_cast<int>(::backoff::param_type(static_cast<::backoff::Family##Param>(param))); \
  } \
\
  int c_prefix##config_new(c_prefix##config** out) { \
    BACKOFF_REQUIRE(out); \
    return ::backoff::capi::guarded([&] { *out = new c_prefix##config{}; }); \
  } \
\
  void c_prefix##config_free(c_prefix##config* config) { delete config; } \
\
  int c_prefix##config_set_i64(c_prefix##config* config, int param, int64_t value) { \
    BACKOFF_REQUIRE(config); \
    return ::backoff::capi::guarded( \
        [&] { config->config.set_i64(::backoff::param_from_id<::backoff::Family##Param>(param), value); }); \
  } \
\
  int c_prefix##config_set_f64(c_prefix##config* config, int param, double value) { \
    BACKOFF_REQUIRE(config); \
    return ::backoff::capi::guarded( \
        [&] { config->config.set_f64(::backoff::param_from_id<::backoff::Family##Param>(param), value); }); \
  } \
\
  int c_prefix##config_set_text(c_prefix##config* config, const char* name, const char* value) { \
    BACKOFF_REQUIRE(config); \
    BACKOFF_REQUIRE(name); \
    BACKOFF_REQUIRE(value); \
    return ::backoff::capi::guarded([&] { config->config.set_text(name, value); }); \
  }
