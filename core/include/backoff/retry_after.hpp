// The HTTP Retry-After header (RFC 9110 section 10.2.3): how long a server asks a client to wait.
//
// A value is either delta-seconds ("120") or an HTTP-date, which RFC 9110 section 5.6.7 asks recipients to
// accept in three forms:
//
//   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"   (what servers send)
//   RFC 850      "Sunday, 06-Nov-94 08:49:37 GMT"  (obsolete; a two-digit year: the timestamp more than 50
//                                                   years ahead of now is read a century earlier)
//   asctime      "Sun Nov  6 08:49:37 1994"        (obsolete; no zone, read as GMT)
//
// This is the one parser of the project: the C ABI and the Python package call it, so every language
// reads a header the same way. The header is untrusted input, so the parser never throws and never
// overflows; anything it does not understand is "no hint", and the caller falls back on its policy:
//
//   "120"                              -> 120 s
//   " 7 "                              -> 7 s       (surrounding spaces and tabs are ignored)
//   "99999999999999999999"             -> INT64_MAX (saturates; the policy's cap then bounds the wait)
//   a date 3 s after now_unix_ns       -> 3 s
//   a date in the past                 -> 0         (the server would accept the retry now)
//   "", "-5", "1.5", "soon", "+3"      -> nullopt
//   "Sun, 30 Feb 2025 08:49:37 GMT"    -> nullopt   (a field out of range: no such day, hour 24, ...)
//
// Month, weekday and "GMT" are matched without regard to case, and a weekday that disagrees with the date
// is accepted: RFC 9110 does not ask recipients to check it, and a wrong weekday is a server's typo, not a
// reason to ignore its request. The second may be 60 (a leap second, as RFC 5322 allows).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "backoff/duration.hpp"

namespace backoff {

// The wait a Retry-After value asks for, from `now_unix_ns`, or nullopt for a value that is not valid
// delta-seconds or a valid HTTP-date. `now_unix_ns` is the wall clock (nanoseconds since 1970-01-01 UTC,
// which an HTTP-date is measured against; delta-seconds ignore it), not a monotonic Instant: the one
// place in the core where a time stays a bare int64, because it is on another clock.
std::optional<Duration> parse_retry_after(std::string_view value, std::int64_t now_unix_ns) noexcept;

}  // namespace backoff
