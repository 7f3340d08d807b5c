// BreakerPool: one circuit breaker per key (a host, a partition, a tenant), in bounded memory.
//
// A client of many backends wants a breaker per backend: one failing host must not open the circuit of the
// healthy ones. The pool makes a key's breaker on its first call, all from one configuration, and holds
// at most `max_keys` of them; a new key makes room by dropping the breaker used least recently, and that
// key starts afresh, closed, if it comes back. Calls on a key already there find its breaker without a
// lock (keyed_pool.hpp) and then cost what the breaker's own calls cost.
//
// Permits are those of the key's breaker. A permit reported after its key was dropped (or dropped and
// made again) is stale: it changes nothing. Memory: max_keys times (a breaker, 48 bytes of entry and an
// 8-byte bucket, with malloc's rounding); bench/scale measures it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backoff/breaker.hpp"
#include "backoff/keyed_pool.hpp"

namespace backoff {

class BreakerPool {
 public:
  // Throws Error(invalid_value) for max_keys outside [1, kMaxPoolKeys] or a configuration that fails
  // BreakerConfig::validate(). Every breaker reads `clock`; a breaker of the pool has no listener (poll
  // its state instead).
  BreakerPool(const BreakerConfig& config, std::int64_t max_keys, Clock clock = Clock{});

  // Breaker::acquire() and acquire_at() on the key's breaker, made closed on first use.
  Admission acquire(std::string_view key);
  Admission acquire_at(std::string_view key, Instant now);

  // Breaker::record() and record_at() on the key's breaker; a permit whose key is no longer in the pool
  // is stale and changes nothing. Throws as Breaker::record() does.
  void record(std::string_view key, std::uint64_t permit, Outcome outcome, Duration took = Duration(),
              Duration hint = Duration());
  void record_at(std::string_view key, Instant now, std::uint64_t permit, Outcome outcome,
                 Duration took = Duration(), Duration hint = Duration());

  // Breaker::release() on the key's breaker: a probe's slot is free for the next caller at once. A permit
  // whose key is no longer in the pool is stale and changes nothing, as for record(). Throws as
  // Breaker::release() does.
  void release(std::string_view key, std::uint64_t permit);

  // The key's breaker's state; closed for a key not in the pool (it would start closed).
  BreakerState state(std::string_view key);

  std::size_t size() const noexcept { return breakers_.size(); }
  std::int64_t max_keys() const noexcept { return breakers_.max_keys(); }

 private:
  const BreakerConfig config_;
  const Clock clock_;
  KeyedPool<Breaker> breakers_;
};

}  // namespace backoff
