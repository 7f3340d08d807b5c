// The documented limits of backoff_jobs.h's table, in one place: validation, the vocabulary
// (backoff_jobs_limit_get) and the schema's trimming read them from here.
#pragma once

#include <cstdint>

namespace backoff::jobs {

inline constexpr std::int64_t kMaxPayload = 1 << 20;
inline constexpr std::int64_t kMaxName = 128;
inline constexpr std::int64_t kMaxUniqueKey = 255;
inline constexpr std::int64_t kMaxError = 4096;
inline constexpr std::int64_t kMaxErrors = 100;
inline constexpr std::int64_t kMaxClaim = 1000;
inline constexpr std::int64_t kMinLeaseNs = 1'000'000;
inline constexpr std::int64_t kMaxLeaseNs = 24LL * 3600 * 1'000'000'000;
inline constexpr std::int64_t kMinPriority = -32768;
inline constexpr std::int64_t kMaxPriority = 32767;

}  // namespace backoff::jobs
