// The policies every benchmark runs, written once as backoff_config_set_text settings, and the shape of
// the workload: a caller retries up to kRetriesPerSequence times, then starts a new sequence.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace bench {

using Settings = std::vector<std::pair<const char*, const char*>>;

// 100 ms doubling to 60 s with full jitter: AWS's recommendation and libbackoff's default.
inline const Settings kExponentialFullJitter = {
    {"kind", "exponential"}, {"initial", "100ms"}, {"multiplier", "2"}, {"cap", "60s"}, {"jitter", "full"},
    {"seed", "42"}};

// AWS's decorrelated jitter: U(100 ms, previous * 3), capped at 60 s.
inline const Settings kDecorrelated = {
    {"kind", "decorrelated"}, {"initial", "100ms"}, {"multiplier", "3"}, {"cap", "60s"}, {"seed", "42"}};

// Real retry loops give up after a handful of attempts, so the benchmarks cycle through attempts
// 0..9 rather than letting the attempt number run into the millions, where every delay is the cap.
constexpr std::uint64_t kRetriesPerSequence = 10;

}  // namespace bench
