// BreakerEvents: a breaker's state changes, for a listener (push) and for polling (pull).
//
// A state change is decided under the breaker's lock, but the listener must never run there: a listener
// that calls back into its breaker would deadlock (gobreaker #37). So the breaker pushes the event here
// under its lock and calls deliver() once it has unlocked. Delivery is ordered and never concurrent: the
// first thread to call deliver() becomes the deliverer and runs the listener for every pending event,
// including events other threads push meanwhile; the others return at once. The listener therefore runs on
// a thread that called into the breaker, never on a thread of the library's own, and may call back into it.
//
// Runtimes that cannot take callbacks (LuaJIT, cgo, ctypes without a trampoline) poll instead. Both
// queues are bounded: when full the oldest event is dropped and counted.
//
// Size: one pointer until the first event or listener; then about 1.8 KiB (the poll queue of 64 events,
// the listener's backlog, a mutex and a condition variable), so that a breaker that never changes state,
// the common case among per-key breakers, does not carry them.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

#include "backoff/vocabulary.hpp"

namespace backoff {

enum class BreakerState : int { BACKOFF_VOCAB_BREAKER_STATE(BACKOFF_VOCAB_ENUM) };
constexpr int kBreakerStateCount = BACKOFF_VOCAB_BREAKER_STATE(BACKOFF_VOCAB_COUNT) 0;

// Why the breaker changed state. Values are the C ABI's BACKOFF_BREAKER_CAUSE_*.
enum class BreakerCause : int { BACKOFF_VOCAB_BREAKER_CAUSE(BACKOFF_VOCAB_ENUM) };

struct BreakerEvent {
  BreakerState state;
  BreakerState previous;
  BreakerCause cause;
  std::int64_t at_ns;
};

// Returns 0; any other value is counted as a listener error. It cannot undo the transition, which has
// already happened, and failing the call that delivered it would strand that call's permit.
using BreakerListener = std::function<int(const BreakerEvent&)>;

class BreakerEvents {
 public:
  BreakerEvents() = default;
  ~BreakerEvents();
  BreakerEvents(const BreakerEvents&) = delete;
  BreakerEvents& operator=(const BreakerEvents&) = delete;

  static constexpr std::size_t kPollCapacity = 64;
  static constexpr std::size_t kListenerBacklog = 256;

  // Queues an event for polling and, when a listener is set, for delivery. Never runs the listener.
  void push(const BreakerEvent& event);

  // The oldest event not yet polled.
  std::optional<BreakerEvent> poll();

  // Runs the listener for every pending event unless another thread is already doing so. Call it with no
  // lock held.
  void deliver();

  // Replaces the listener (an empty one removes it) and drops events still pending for the old one. Waits
  // until a delivery running on another thread has finished, so that once this returns the old listener
  // is not running and its state may be freed; called from inside the listener, it does not wait.
  void set_listener(BreakerListener listener);

  std::uint64_t dropped() const;
  std::uint64_t listener_errors() const;
  // Events pushed from state `from` to state `to`: the breaker's transitions, by pair, over its life.
  std::uint64_t transitions(BreakerState from, BreakerState to) const;

 private:
  struct Queues;  // everything above, made by the first event or listener (breaker_events.cpp)
  Queues& queues();
  std::atomic<Queues*> queues_{nullptr};
};

}  // namespace backoff
