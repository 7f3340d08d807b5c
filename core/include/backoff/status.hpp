// Status codes and the one exception type of the core.
//
// The core reports bad input by throwing backoff::Error. The C API catches it at the boundary and turns
// it into a status code plus a thread-local message; the Python binding turns it into ValueError or
// TypeError. The numeric values are the C ABI's values (backoff.h) and are never renumbered.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace backoff {

enum class Status : int {
  ok = 0,
  invalid_value = -1,       // a value outside its domain: NaN, inf, negative, multiplier < 1, cap < initial
  null_argument = -2,       // a NULL handle or out-pointer (only the C API can see these)
  unknown_name = -3,        // an unknown parameter name, enum value name or parameter id
  wrong_type = -4,          // a parameter set through the setter of another type
  out_of_memory = -5,
  internal = -6,            // a bug in libbackoff: please report it
  reentrant_call = -7,      // a callback called back into the handle that is calling it
  cancelled = -8,           // a cancellation request ended the call
  circuit_open = -9,        // a circuit breaker refused the call: it is open, isolated or out of probes
  budget_exhausted = -10,   // a retry budget refused the retry: not the operation's own error
  gave_up = -11,            // a retry loop used up max_attempts or max_elapsed and the last attempt failed
  permanent_failure = -12,  // a retry loop stopped at a failure its caller classified as not retryable
};

class Error : public std::runtime_error {
 public:
  Error(Status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  Status status() const noexcept { return status_; }

 private:
  Status status_;
};

// Throws Error(invalid_value, "<param>: <why> (got <value>)"): the message always names the parameter
// and the value, so a user reading it knows what to change. A long value is shown through clip_value.
[[noreturn]] void throw_invalid(const char* param, const char* why, const std::string& value);

// A value as an error message shows it: whole up to kClipAbove bytes; longer, its first kClipPrefix
// bytes (never a partial UTF-8 character), "..." and its length. A megabyte of bad input must not become
// a megabyte of message in a log line, a C caller's buffer or a Python traceback. A value in single
// quotes is clipped inside them.
//   clip_value("250ms")                   -> "250ms"
//   clip_value(<1 MiB of 'x'>)            -> "xx...x... (1048576 bytes)"    (64 'x' before the "...")
//   clip_value("'" + <1 MiB of 'x'> + "'") -> "'xx...x...' (1048576 bytes)"
inline constexpr std::size_t kClipAbove = 80;
inline constexpr std::size_t kClipPrefix = 64;
std::string clip_value(std::string_view value);

// Formats a double so that NaN, inf and large values read naturally in messages.
std::string format_double(double value);

}  // namespace backoff
