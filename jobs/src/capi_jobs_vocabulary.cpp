// Entry points: status strings, names, limits.
#include "capi_jobs.hpp"
#include "limits.hpp"
#include "vocabulary.hpp"

using namespace backoff::jobs;

extern "C" {

const char* backoff_jobs_strerror(int status) {
  switch (status) {
    case BACKOFF_JOBS_ESTORE: return "store error";
    case BACKOFF_JOBS_ESCHEMA: return "schema version mismatch";
    case BACKOFF_JOBS_ENOTFOUND: return "no such job";
    case BACKOFF_JOBS_ESTALE: return "stale lease";
    case BACKOFF_JOBS_ESTATE: return "wrong job state";
    default: return backoff_strerror(status);
  }
}

const char* backoff_jobs_name_of(int family, int value) { return name_of(family, value); }

int backoff_jobs_value_of(int* out, int family, const char* name) {
  JOBS_REQUIRE(out);
  JOBS_REQUIRE(name);
  return jobs_guarded(__func__, [&]() -> int {
    *out = value_of(family, name);
    return BACKOFF_OK;
  });
}

int backoff_jobs_limit_get(int64_t* out, int limit) {
  JOBS_REQUIRE(out);
  return jobs_guarded(__func__, [&]() -> int {
    require_member(BACKOFF_JOBS_ENUM_LIMIT, limit, "limit");
    constexpr int64_t kLimits[] = {kMaxPayload, kMaxName,    kMaxUniqueKey, kMaxError,   kMaxErrors,
                                   kMaxClaim,   kMinLeaseNs, kMaxLeaseNs,   kMinPriority, kMaxPriority};
    *out = kLimits[limit];
    return BACKOFF_OK;
  });
}

}
