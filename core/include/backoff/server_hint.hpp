// A server's hint ("retry after this long") in the core's unit, from the seconds a binding speaks.
//
// A hint is not a setting: it comes from a server, through parse_retry_after() or a caller's own reading,
// and the library's own parser already saturates a huge one to INT64_MAX ns. Rejecting that value on its
// way back in would turn "wait as long as you can" into an error raised in place of the caller's own
// failure. So a hint saturates, as every time sum in the core does, and what bounds it is the one who
// uses it: the policy's cap bounds the wait, a breaker's max_hint_open bounds the open period.
//
//   hint_ns_from_seconds(1.5)        -> 1'500'000'000
//   hint_ns_from_seconds(1e12)       -> INT64_MAX     (saturates)
//   hint_ns_from_seconds(inf)        -> INT64_MAX
//   hint_ns_from_seconds(-1), (NaN)  -> Error(invalid_value) naming `param`: a bug, not a server's wish
#pragma once

#include <cstdint>

namespace backoff {

std::int64_t hint_ns_from_seconds(double seconds, const char* param);

}  // namespace backoff
