// The parameters of a circuit breaker and the mutable BreakerConfig that collects them.
//
// Same mechanism as the policy's Config (config.hpp, param_table.hpp): each parameter has a stable id (the
// C ABI's BACKOFF_BREAKER_PARAM_* values), a name shared by C, Python and text configuration, and a value
// type; every setter validates its one value at once and throws Error naming the parameter. Checks that
// involve several parameters run when the Breaker is built.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "backoff/config.hpp"
#include "backoff/duration.hpp"
#include "backoff/policy.hpp"

namespace backoff {

// What trips a closed breaker (consecutive, count, ratio) and how its window is measured (a count of
// calls or a time span); the lists, names and defaults are in vocabulary.hpp and vocabulary_params.hpp.
enum class TripRule : std::int64_t { BACKOFF_VOCAB_TRIP(BACKOFF_VOCAB_ENUM) };
enum class WindowKind : std::int64_t { BACKOFF_VOCAB_WINDOW(BACKOFF_VOCAB_ENUM) };

constexpr int kMaxHalfOpenProbes = 1024;
constexpr std::int64_t kMaxWindowSize = std::int64_t{1} << 20;
constexpr std::int64_t kMaxWindowBuckets = 4096;

class BreakerConfig : public SetFromText<BreakerConfig, BreakerParam> {
 public:
  // Typed setters: each throws Error(wrong_type) when `param` takes another type and
  // Error(invalid_value) when the value is outside the parameter's domain.
  void set_i64(BreakerParam param, std::int64_t value);
  void set_f64(BreakerParam param, double value);

  // Makes the open period follow `policy` over repeated trips: the n-th trip in a row (0 = the trip
  // from closed) stays open for policy.delay(n). A policy that stops (max_attempts, max_elapsed) is
  // rejected: an open period must always end. Replaces open_duration.
  void set_open_policy(const Policy& policy);
  void clear_open_policy() noexcept { open_policy.reset(); }

  // Reads a parameter back; throws as the setters do for an unknown parameter or the wrong type.
  std::int64_t get_i64(BreakerParam param) const;
  double get_f64(BreakerParam param) const;

  // Cross-checks of several parameters; throws Error(invalid_value) naming them.
  void validate() const;

  // True when the breaker must keep a window: every rule but `consecutive` reads one, and so does the
  // slow-call rule.
  bool needs_window() const noexcept { return trip != TripRule::consecutive || slow_call_duration > Duration(); }

  TripRule trip = TripRule::consecutive;      // gobreaker's and pybreaker's default rule
  std::int64_t failure_threshold = 5;         // gobreaker: > 5 in a row; pybreaker: fail_max 5
  double failure_ratio = 0.5;                 // resilience4j's 50 %
  WindowKind window = WindowKind::time;
  std::int64_t window_size = 100;             // resilience4j's count window
  Duration window_duration = seconds(60);
  std::int64_t window_buckets = 10;           // Polly: 10 rolling sub-windows
  std::int64_t min_calls = 10;
  Duration slow_call_duration;                // 0: no call is slow
  double slow_call_ratio = 1.0;               // resilience4j's 100 %
  Duration open_duration = seconds(30);
  std::int64_t half_open_probes = 1;
  std::int64_t half_open_successes = 1;
  Duration half_open_max_duration;            // 0: no limit
  Duration permit_lease = seconds(60);
  // One hour. A Retry-After may rightly ask for minutes (a rate limit's window) or an hour (maintenance),
  // but a single response, from a misconfigured server or anyone who can answer in its name, must not
  // hold every call off for longer than an operator would notice and act: `Retry-After: 9200000000` would
  // otherwise keep the breaker open for 292 years. A longer outage is still honoured: each failed probe
  // opens the breaker again, for the open period or the hint, bounded again.
  Duration max_hint_open = seconds(3600);
  // Immutable and shared: every copy of the configuration (one per breaker, thousands in a pool) points to
  // one policy instead of carrying its own 288 bytes.
  std::shared_ptr<const Policy> open_policy;
};

}  // namespace backoff
