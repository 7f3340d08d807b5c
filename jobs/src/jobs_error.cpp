#include "jobs_error.hpp"

#include <cstdio>
#include <new>

#include "backoff/status.hpp"

namespace backoff::jobs {

void throw_invalid(const char* param, const std::string& why, std::string_view value) {
  throw JobsError(BACKOFF_EINVAL, std::string(param) + ": " + why + " (got " + quoted(value) + ")");
}

void throw_invalid(const char* param, const std::string& why, long long value) {
  throw JobsError(BACKOFF_EINVAL, std::string(param) + ": " + why + " (got " + std::to_string(value) + ")");
}

std::string quoted(std::string_view value) { return clip_value("'" + std::string(value) + "'"); }

int fail(int status, const std::string& message) noexcept { return backoff_last_error_set(status, message.c_str()); }

int null_argument(const char* function, const char* argument) noexcept {
  char message[160];
  std::snprintf(message, sizeof message, "%s: %s must not be NULL", function, argument);
  return backoff_last_error_set(BACKOFF_ENULL, message);
}

int guarded_status(const char* function, int (*body)(void*), void* context) noexcept {
  try {
    return body(context);
  } catch (const JobsError& error) {
    return fail(error.status(), error.what());
  } catch (const Error& error) {
    return fail(static_cast<int>(error.status()), error.what());
  } catch (const std::bad_alloc&) {
    return backoff_last_error_set(BACKOFF_ENOMEM, "out of memory");
  } catch (const std::exception& error) {
    return fail(BACKOFF_EINTERNAL, std::string(function) + ": " + error.what());
  } catch (...) {
    return backoff_last_error_set(BACKOFF_EINTERNAL, function);
  }
}

}  // namespace backoff::jobs
