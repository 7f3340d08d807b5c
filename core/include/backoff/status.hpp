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
#include "backoff/vocabulary.hpp"

namespace backoff {

// Values and names: BACKOFF_VOCAB_STATUS in vocabulary.hpp; their meaning: backoff_status in backoff.h.
enum class Status : int { BACKOFF_VOCAB_STATUS(BACKOFF_VOCAB_ENUM) };

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
