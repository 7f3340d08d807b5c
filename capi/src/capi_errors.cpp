#include <cstdio>
#include <string>

#include "capi_internal.hpp"

namespace backoff::capi {
namespace {
thread_local std::string last_error;
}

int fail(int status, const char* message) noexcept {
  try {
    last_error = message;
  } catch (...) {
    last_error.clear();  // out of memory while reporting: the status still tells what happened
  }
  return status;
}

int null_argument(const char* function, const char* argument) noexcept {
  char message[160];
  std::snprintf(message, sizeof message, "%s: %s must not be NULL", function, argument);
  return fail(BACKOFF_ENULL, message);
}

}  // namespace backoff::capi

extern "C" {

const char* backoff_strerror(int status) {
  switch (status) {
    case BACKOFF_OK: return "success";
    case BACKOFF_EINVAL: return "invalid value";
    case BACKOFF_ENULL: return "NULL argument";
    case BACKOFF_EUNKNOWN: return "unknown parameter or value";
    case BACKOFF_ETYPE: return "parameter set through the wrong typed setter";
    case BACKOFF_ENOMEM: return "out of memory";
    case BACKOFF_EINTERNAL: return "internal error";
    case BACKOFF_EREENTRANT: return "reentrant call from a callback";
    case BACKOFF_ECANCELED: return "cancelled";
    case BACKOFF_EOPEN: return "circuit open";
    case BACKOFF_EBUDGET: return "retry budget exhausted";
    case BACKOFF_EGAVEUP: return "retries exhausted";
    case BACKOFF_EPERMANENT: return "permanent failure";
    case BACKOFF_EDEADLINE: return "deadline exceeded";
  }
  return "unknown status";
}

const char* backoff_last_error(void) { return backoff::capi::last_error.c_str(); }

int backoff_last_error_set(int status, const char* message) {
  return backoff::capi::fail(status, message != nullptr ? message : "");
}

}
