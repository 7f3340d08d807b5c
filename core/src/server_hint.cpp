#include "backoff/server_hint.hpp"

#include <cmath>

#include "backoff/saturating.hpp"
#include "backoff/status.hpp"

namespace backoff {

std::int64_t hint_ns_from_seconds(double seconds, const char* param) {
  if (std::isnan(seconds)) throw_invalid(param, "must be a number", "NaN");
  if (seconds < 0) throw_invalid(param, "must not be negative", format_double(seconds) + " s");
  return ns_from_double(seconds * 1e9);  // saturates at INT64_MAX, inf included
}

}  // namespace backoff
