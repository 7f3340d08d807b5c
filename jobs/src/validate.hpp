// Checks of the values a caller hands in, each naming the parameter, the value and the limit
// (backoff_jobs_h's limits table). Every check runs before the database is touched, so bad input
// changes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace backoff::jobs {

// A queue, type or worker name: 1..kMaxName bytes of UTF-8 without control characters.
std::string_view checked_name(const char* param, const char* value);
// A unique key: the same rule with kMaxUniqueKey.
std::string_view checked_unique_key(const char* value);
// Payload bytes; nullptr is allowed only with size 0.
std::string_view checked_payload(const void* payload, std::uint64_t size);
void check_lease(std::int64_t lease_ns);
void check_claim_size(const char* param, std::uint64_t count);
void check_state(int state, const char* param);
// An error text for the kept errors: invalid UTF-8 bytes replaced by U+FFFD, cut to kMaxError bytes at a
// character boundary.
std::string clipped_error(const char* error);

}  // namespace backoff::jobs
