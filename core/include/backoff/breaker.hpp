// Breaker: a thread-safe circuit breaker with leased permits.
//
//   closed --trip rule--> open --open period over--> half-open --half_open_successes probes succeed--> closed
//                          ^                              |
//                          +---- a probe fails, or half-open outlives half_open_max_duration
//   isolated (forced open) and disabled (always admits) are entered and left only by transition_to().
//
// acquire() hands out a permit or a rejection with the time left until the breaker may admit again. The
// caller reports the permit's outcome once: record() (success, failure, ignored; with the call's duration
// for the slow-call rule) or release() for a permit it did not use. Each permit carries the breaker's
// generation, which moves on at every state change, so a result that arrives after the breaker has moved
// on is ignored (counted as stale) instead of tripping or closing the wrong period. A half-open permit is a
// lease on one of half_open_probes probe slots; a lease nobody reports expires after permit_lease, so a
// lost permit (a cancelled task, a swallowed exception) can never leave the breaker stuck half-open.
//
// Every transition is lazy: it happens inside the call that observes it, at that call's time. There is no
// background thread. Every entry point has a form that takes an explicit `now_ns`; the others read the
// breaker's clock (monotonic by default), and only when a decision needs the time: a closed breaker with
// the consecutive rule never reads it.
//
// Size: 160 bytes inline (sizeof), what a per-key breaker that one thread drives at a time needs while it
// stays closed, plus what grows on demand: the window (window_buckets x 32 bytes and 48 more, only for the
// rules that read one), 2 KiB of striped counters once a second thread stripe counts
// (striped_counters.hpp; from then on no call writes the object's own counters, so threads that share a
// breaker only read the lines of its state word), the lock and the half-open bookkeeping (120 bytes and
// 16 per probe slot) at the first transition, and 1.8 KiB of event queues at the first event or listener
// (breaker_events.hpp). The configuration and the clock are one immutable copy shared by the breakers made
// one after another from an equal configuration (a pool's, or a C program's per-key breakers).
//
// Concurrency: acquire() and record() on a closed (or disabled) breaker take no lock; they read one atomic
// word and bump per-thread counters. Open-state rejections take no lock either. Transitions and half-open
// probes run under a mutex; listeners run after it is released (see breaker_events.hpp). Throws
// std::bad_alloc where it first needs what grows on demand (a record() that trips, transition_to());
// the transition has then not happened (the result is counted, and the next failure trips again).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include "backoff/breaker_config.hpp"
#include "backoff/breaker_events.hpp"
#include "backoff/clock.hpp"
#include "backoff/duration.hpp"
#include "backoff/lazy_now.hpp"
#include "backoff/object_name.hpp"
#include "backoff/striped_counters.hpp"
#include "backoff/vocabulary.hpp"

namespace backoff {

class Retrier;

// success, failure, or ignored: neither (resilience4j's ignoreExceptions), which still frees the permit.
enum class Outcome : int { BACKOFF_VOCAB_OUTCOME(BACKOFF_VOCAB_ENUM) };

// Counters and gauges readable as one snapshot item each. Values are the C ABI's BACKOFF_BREAKER_COUNT_*.
// Lifetime counters (admitted .. trips) only grow. Once every permit is reported,
// admitted == successes + failures + ignored + released + stale.
enum class BreakerCount : int { BACKOFF_VOCAB_BREAKER_COUNT(BACKOFF_VOCAB_ENUM) };
constexpr int kBreakerCountCount = BACKOFF_VOCAB_BREAKER_COUNT(BACKOFF_VOCAB_COUNT) 0;

// The answer of acquire(): a permit (non-zero) or a rejection (permit 0) with `wait`, the time until
// the breaker may admit again: the rest of the open period; zero when half-open with every probe slot
// taken; InfiniteDuration() when isolated.
struct Admission {
  std::uint64_t permit = 0;
  Duration wait;
  bool admitted() const noexcept { return permit != 0; }
};

class Breaker {
 public:
  // Throws Error(invalid_value) for a configuration that fails BreakerConfig::validate().
  explicit Breaker(const BreakerConfig& config, Clock clock = Clock{});
  ~Breaker();
  Breaker(const Breaker&) = delete;
  Breaker& operator=(const Breaker&) = delete;

  Admission acquire();
  Admission acquire_at(Instant now);

  // The time until acquire_at(now) could admit again, asked without acquiring: the rest of the open
  // period (zero once it has passed), InfiniteDuration() when isolated, zero in every other state. A retry
  // loop asks it after a failure, so that it does not wait out a delay only to be refused at the end of
  // it. Lock-free; counts nothing and changes no state.
  Duration cooldown_at(Instant now) const noexcept;

  // Reports a permit's outcome. `took` is how long the call took (zero = not measured, never slow);
  // `hint` is a server's "retry after" (zero = none): when this failure opens the breaker, the open
  // period lasts at least that long, up to max_hint_open. Throws Error(invalid_value) for permit 0 or a negative duration or
  // hint. A permit this breaker never issued is counted as stale.
  void record(std::uint64_t permit, Outcome outcome, Duration took = Duration(), Duration hint = Duration());
  void record_at(Instant now, std::uint64_t permit, Outcome outcome, Duration took = Duration(),
                 Duration hint = Duration());

  // Gives back a permit that was not used. Throws Error(invalid_value) for permit 0.
  void release(std::uint64_t permit);

  // Forces a state: closed (resets the counts and the trip streak), open (a trip, with the usual open
  // period), half_open, isolated (rejects until the next transition_to) or disabled (admits everything and
  // trips on nothing). Always starts a new generation, even in the same state.
  void transition_to(BreakerState state);
  void transition_to_at(Instant now, BreakerState state);

  // The stored state; an open breaker whose period has passed reports open until a call observes it.
  BreakerState state() const noexcept;

  std::uint64_t count(BreakerCount which) const;
  std::uint64_t count_at(Instant now, BreakerCount which) const;

  // Transitions from `from` to `to` over the breaker's life (forced ones included). Takes the event lock.
  std::uint64_t transitions(BreakerState from, BreakerState to) const { return events_.transitions(from, to); }

  // The breaker's name for exporters (object_name.hpp); one pointer inline.
  ObjectName& name() noexcept { return name_; }
  const ObjectName& name() const noexcept { return name_; }

  void set_listener(BreakerListener listener) { events_.set_listener(std::move(listener)); }
  std::optional<BreakerEvent> poll_event() { return events_.poll(); }

  const BreakerConfig& config() const noexcept { return shape_->config; }
  const Clock& clock() const noexcept { return shape_->clock; }

 private:
  // A Retrier hands its breaker and budget the time it read for a step, or none if nobody needs it: one
  // clock reading per step at most, shared through the *_impl(const LazyNow&) forms below.
  friend class Retrier;

  // Immutable, shared by the breakers made from equal configurations and clocks (shared_shape.hpp).
  struct Shape {
    BreakerConfig config;
    Clock clock;
  };
  // The count window and its position (calls recorded so far), for the rules that read one.
  struct Window;
  // What only transitions and half-open probes touch, under its mutex: made at the first transition.
  struct Locked;

  Admission acquire_impl(const LazyNow& now);
  void record_impl(const LazyNow& now, std::uint64_t permit, Outcome outcome, Duration took, Duration hint);
  void record_closed(const LazyNow& now, std::uint64_t permit, Outcome outcome, bool slow, std::int64_t hint_ns);
  void record_probe(const LazyNow& now, std::uint64_t permit, Outcome outcome, bool slow, std::int64_t hint_ns);
  // Adds the result to the window and says whether a rule trips, and why. `run_reached`: the run of
  // consecutive failures has reached the threshold.
  bool windowed_trip(const LazyNow& now, bool failure, bool slow, bool run_reached, BreakerCause* cause);
  void trip_from_closed(const LazyNow& now, std::uint64_t generation, BreakerCause cause, std::int64_t hint_ns);
  // The locked part, made by the first caller that needs it (throws std::bad_alloc); null before.
  Locked& locked();
  Locked* locked_if_made() const noexcept { return locked_.load(std::memory_order_acquire); }
  std::uint64_t count_impl(const LazyNow& now, BreakerCount which) const;

  // Transitions; the caller holds the Locked part's mutex and calls events_.deliver() after unlocking.
  Admission acquire_locked(Locked& locked, std::int64_t now_ns);
  Admission admit_probe_locked(Locked& locked, std::int64_t now_ns);
  void enter_locked(BreakerState state, BreakerCause cause, std::int64_t now_ns);
  void open_locked(Locked& locked, BreakerCause cause, std::int64_t now_ns, std::int64_t hint_ns);
  void half_open_locked(Locked& locked, BreakerCause cause, std::int64_t now_ns);
  void close_locked(Locked& locked, BreakerCause cause, std::int64_t now_ns);
  bool half_open_timed_out_locked(const Locked& locked, std::int64_t now_ns) const;
  // The wait of a refusal while open until `until_ns`: the rest of the period, at most the whole period.
  Duration open_wait(std::int64_t until_ns, std::int64_t now_ns) const noexcept;

  // The order keeps consecutive_failures_, which failing calls write, at least a cache line away from
  // word_, which every call reads; the counters between them are written only until threads share the
  // breaker (striped_counters.hpp). Without alignas(64) on the object, whose padding would cost a per-key
  // breaker more than all of its state.
  // generation << 3 | state. Written under the Locked part's mutex only; read by the lock-free paths.
  std::atomic<std::uint64_t> word_;
  std::atomic<std::int64_t> open_until_ns_{0};
  std::atomic<std::int64_t> open_period_ns_{0};  // the length of the open period ending at open_until_ns_
  const std::shared_ptr<const Shape> shape_;
  const std::unique_ptr<Window> window_;  // null for the consecutive rule without slow calls
  std::atomic<Locked*> locked_{nullptr};
  BreakerEvents events_;
  ObjectName name_;
  StripedCounters counters_;
  std::atomic<std::uint64_t> consecutive_failures_{0};
};

}  // namespace backoff
