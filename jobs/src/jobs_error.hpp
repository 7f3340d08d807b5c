// The jobs library's one error path: code below the C ABI throws JobsError (or the core's backoff::Error),
// and every entry point runs inside jobs_guarded, which turns it into a status plus libbackoff's
// thread-local last error (backoff_last_error_set), so callers read one message whichever library failed.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "backoff_jobs.h"

namespace backoff::jobs {

class JobsError : public std::runtime_error {
 public:
  JobsError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const noexcept { return status_; }

 private:
  int status_;
};

// Throws BACKOFF_EINVAL "<param>: <why> (got <value>)", the value clipped as libbackoff clips it.
[[noreturn]] void throw_invalid(const char* param, const std::string& why, std::string_view value);
// The same with a number for the value.
[[noreturn]] void throw_invalid(const char* param, const std::string& why, long long value);
// Quotes text for a message: 'value', clipped.
std::string quoted(std::string_view value);

// Records the message of a status (for BACKOFF_ECANCELED and other decisions made here) and returns it.
int fail(int status, const std::string& message) noexcept;
int null_argument(const char* function, const char* argument) noexcept;

// Runs `body`, which returns a status, and converts anything it throws. No exception crosses the C ABI.
int guarded_status(const char* function, int (*body)(void*), void* context) noexcept;

template <class Body>
int jobs_guarded(const char* function, Body&& body) noexcept {
  return guarded_status(
      function, [](void* context) -> int { return (*static_cast<Body*>(context))(); }, &body);
}

}  // namespace backoff::jobs

// Returns from the calling entry point when an argument is NULL. A macro because it must return.
#define JOBS_REQUIRE(argument) \
  do { \
    if ((argument) == nullptr) return ::backoff::jobs::null_argument(__func__, #argument); \
  } while (0)
