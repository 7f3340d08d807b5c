// The parts of a Breaker that only some breakers need, kept out of line so that a per-key breaker that
// stays closed carries none of them (breaker.hpp: Size). Shared by breaker.cpp and breaker_transitions.cpp.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "backoff/breaker.hpp"
#include "backoff/sliding_window.hpp"

namespace backoff {

struct Breaker::Window {
  Window(std::int64_t width, std::int64_t buckets) : samples(width, buckets) {}
  // The window `config` reads, or null for a rule that reads none (breaker.cpp).
  static std::unique_ptr<Window> for_config(const BreakerConfig& config);

  SlidingWindow samples;
  std::atomic<std::uint64_t> cursor{0};  // a count window's position: calls recorded so far
};

struct Breaker::Locked {
  struct ProbeSlot {
    std::uint64_t lease = 0;  // 0 = free
    std::int64_t deadline_ns = 0;
  };

  Locked(std::uint64_t stream, std::uint64_t first_lease, std::int64_t probe_slots)
      : open_key(stream), next_lease(first_lease), probes(static_cast<std::size_t>(probe_slots)) {}

  std::mutex mutex;
  const std::uint64_t open_key;  // the open policy's jitter stream for this breaker
  std::uint64_t trip_streak = 0;  // trips since the breaker last closed: the open policy's attempt
  std::int64_t half_open_since_ns = 0;
  std::int64_t half_open_successes = 0;
  std::uint64_t next_lease;
  std::uint64_t expired = 0;
  std::uint64_t trips = 0;
  std::vector<ProbeSlot> probes;
};

}  // namespace backoff
