// The Breaker's lock-free half: closed-state admission and results, open-state rejection, the snapshot.
#include "backoff/breaker.hpp"

#include <string>

#include "backoff/backoff.hpp"  // require_hint
#include "backoff/lazy_now.hpp"
#include "backoff/random.hpp"
#include "backoff/status.hpp"
#include "breaker_parts.hpp"
#include "breaker_permit.hpp"
#include "shared_shape.hpp"

namespace backoff {

using namespace breaker_detail;

namespace {

bool same_settings(const BreakerConfig& a, const BreakerConfig& b) noexcept {
  return a.trip == b.trip && a.failure_threshold == b.failure_threshold && a.failure_ratio == b.failure_ratio &&
         a.window == b.window && a.window_size == b.window_size && a.window_duration == b.window_duration &&
         a.window_buckets == b.window_buckets && a.min_calls == b.min_calls &&
         a.slow_call_duration == b.slow_call_duration && a.slow_call_ratio == b.slow_call_ratio &&
         a.open_duration == b.open_duration && a.half_open_probes == b.half_open_probes &&
         a.half_open_successes == b.half_open_successes && a.half_open_max_duration == b.half_open_max_duration &&
         a.permit_lease == b.permit_lease && a.max_hint_open == b.max_hint_open && a.open_policy == b.open_policy;
}

// Generations and probe leases start at a random point (below 2^40, far from the 61 and 53 bits they may
// use), so that a permit of another breaker, one a pool dropped and made again included, reads as stale.
std::uint64_t random_start() noexcept { return (fresh_seed() >> 24) + 1; }

}  // namespace

std::unique_ptr<Breaker::Window> Breaker::Window::for_config(const BreakerConfig& config) {
  if (!config.needs_window()) return nullptr;
  const std::int64_t buckets = config.window_buckets;
  if (config.window == WindowKind::time) {
    const std::int64_t window_ns = config.window_duration.ns();
    const std::int64_t width = window_ns / buckets + (window_ns % buckets != 0);
    return std::make_unique<Breaker::Window>(width, buckets);
  }
  // window_size calls in as many buckets as asked for, but never an empty one: 7 calls in 10 buckets
  // become 7 buckets of one call, an exact window.
  const std::int64_t width = config.window_size / buckets + (config.window_size % buckets != 0);
  return std::make_unique<Breaker::Window>(width, config.window_size / width + (config.window_size % width != 0));
}

Breaker::Breaker(const BreakerConfig& config, Clock clock)
    : word_(pack(random_start(), BreakerState::closed)),
      shape_(detail::shared_shape<Shape>(
          [&](const Shape& shape) {
            return shape.clock.now_fn == clock.now_fn && shape.clock.user_data == clock.user_data &&
                   same_settings(shape.config, config);
          },
          [&] {
            config.validate();
            return std::make_shared<const Shape>(Shape{config, clock});
          })),
      window_(Window::for_config(config)) {}

Breaker::~Breaker() { delete locked_.load(std::memory_order_acquire); }

Breaker::Locked& Breaker::locked() {
  Locked* made = locked_.load(std::memory_order_acquire);
  if (made != nullptr) return *made;
  const BreakerConfig& config = this->config();
  // As Backoff does: a seeded policy replays stream 0, an unseeded one gets a stream per breaker, so
  // that breakers tripped together by one outage do not probe in lockstep.
  const std::uint64_t open_key = config.open_policy && !config.open_policy->seeded() ? fresh_seed() : 0;
  auto fresh = std::make_unique<Locked>(open_key, random_start(), config.half_open_probes);
  // Threads that race keep the first one's.
  if (locked_.compare_exchange_strong(made, fresh.get(), std::memory_order_acq_rel)) return *fresh.release();
  return *made;
}

Admission Breaker::acquire_impl(const LazyNow& now) {
  const std::uint64_t word = word_.load(std::memory_order_acquire);
  switch (state_of(word)) {
    case BreakerState::closed:
    case BreakerState::disabled:
      counters_.add(field(BreakerCount::admitted));
      return {closed_permit(generation_of(word)), Duration()};
    case BreakerState::isolated:
      counters_.add(field(BreakerCount::rejected));
      return {0, InfiniteDuration()};
    case BreakerState::open: {
      // open_until_ns_ is stored before the word that announces the open state, so it is at least as new.
      const std::int64_t now_ns = now.get().ns();
      const std::int64_t until = open_until_ns_.load(std::memory_order_acquire);
      if (now_ns < until) {
        counters_.add(field(BreakerCount::rejected));
        return {0, open_wait(until, now_ns)};
      }
      break;
    }
    case BreakerState::half_open: break;
  }
  const std::int64_t now_ns = now.get().ns();  // before the lock: a user's clock never runs under it
  // Open and half-open are entered by a transition, which made the locked part first.
  Locked& locked = *locked_if_made();
  std::unique_lock<std::mutex> lock(locked.mutex);
  const Admission admission = acquire_locked(locked, now_ns);
  lock.unlock();
  events_.deliver();
  counters_.add(field(admission.admitted() ? BreakerCount::admitted : BreakerCount::rejected));
  return admission;
}

Duration Breaker::cooldown_at(Instant now) const noexcept {
  switch (state_of(word_.load(std::memory_order_acquire))) {
    case BreakerState::isolated: return InfiniteDuration();
    case BreakerState::open: {
      return open_wait(open_until_ns_.load(std::memory_order_acquire), now.ns());
    }
    case BreakerState::closed:
    case BreakerState::half_open:
    case BreakerState::disabled: break;
  }
  return Duration();
}

void Breaker::record_impl(const LazyNow& now, std::uint64_t permit, Outcome outcome, Duration took, Duration hint) {
  if (permit == 0) throw_invalid("permit", "is the rejection, not a permit", "0");
  if (took < Duration()) throw_invalid("duration_ns", "must not be negative", std::to_string(took.ns()));
  require_hint(hint);
  const std::int64_t hint_ns = hint.ns();
  // An unmeasured call (took 0) is never slow, and needs no look at the configuration.
  const bool slow =
      took > Duration() && config().slow_call_duration > Duration() && took >= config().slow_call_duration;
  if (is_probe(permit)) {
    record_probe(now, permit, outcome, slow, hint_ns);
  } else {
    record_closed(now, permit, outcome, slow, hint_ns);
  }
}

void Breaker::record_closed(const LazyNow& now, std::uint64_t permit, Outcome outcome, bool slow, std::int64_t hint_ns) {
  // Read before the counters' atomic increments, which no later load may pass: the configuration is one
  // pointer away, and two dependent loads after such a barrier cost the closed path a few cycles.
  const auto threshold = static_cast<std::uint64_t>(config().failure_threshold);
  const std::uint64_t word = word_.load(std::memory_order_acquire);
  const std::uint64_t generation = generation_of(word);
  // Only closed and disabled breakers issue closed permits, and the generation pins the state.
  if (permit_generation(permit) != generation) {
    counters_.add(field(BreakerCount::stale));
    return;
  }
  if (outcome == Outcome::ignored) {
    counters_.add(field(BreakerCount::ignored));
    return;
  }
  const bool failure = outcome == Outcome::failure;
  counters_.add(field(failure ? BreakerCount::failures : BreakerCount::successes));
  if (slow) counters_.add(field(BreakerCount::slow));
  if (state_of(word) == BreakerState::disabled) return;

  std::uint64_t consecutive = 0;
  if (failure) {
    consecutive = consecutive_failures_.fetch_add(1, std::memory_order_relaxed) + 1;
  } else if (consecutive_failures_.load(std::memory_order_relaxed) != 0) {
    // Load first: a success on a healthy breaker writes nothing, so threads do not fight over the line.
    consecutive_failures_.store(0, std::memory_order_relaxed);
  }
  BreakerCause cause = BreakerCause::failures;
  const bool trips = window_ ? windowed_trip(now, failure, slow, consecutive >= threshold, &cause)
                             : failure && consecutive >= threshold;
  if (trips) trip_from_closed(now, generation, cause, hint_ns);
}

bool Breaker::windowed_trip(const LazyNow& now, bool failure, bool slow, bool run_reached, BreakerCause* cause) {
  const BreakerConfig& config = this->config();
  const auto threshold = static_cast<std::uint64_t>(config.failure_threshold);
  const std::int64_t position =
      config.window == WindowKind::time
          ? now.get().ns()
          : static_cast<std::int64_t>(window_->cursor.fetch_add(1, std::memory_order_relaxed));
  window_->samples.add(position, failure, slow);
  if (!failure && !slow) return false;  // only a failure or a slow call can raise a rate

  *cause = BreakerCause::failures;
  if (failure && config.trip == TripRule::consecutive && run_reached) return true;
  const SlidingWindow::Totals totals = window_->samples.totals(position);
  if (failure && config.trip == TripRule::count && totals.failures >= threshold) return true;
  const bool enough_calls = totals.calls >= static_cast<std::uint64_t>(config.min_calls);
  const auto calls = static_cast<double>(totals.calls);
  *cause = BreakerCause::failure_ratio;
  if (failure && config.trip == TripRule::ratio && enough_calls &&
      static_cast<double>(totals.failures) >= config.failure_ratio * calls) {
    return true;
  }
  *cause = BreakerCause::slow_calls;
  return slow && enough_calls && static_cast<double>(totals.slow) >= config.slow_call_ratio * calls;
}

void Breaker::release(std::uint64_t permit) {
  if (permit == 0) throw_invalid("permit", "is the rejection, not a permit", "0");
  if (!is_probe(permit)) {
    const bool current = permit_generation(permit) == generation_of(word_.load(std::memory_order_acquire));
    counters_.add(field(current ? BreakerCount::released : BreakerCount::stale));
    return;
  }
  // A probe permit before the first transition was never issued: there are no probe slots yet.
  Locked* locked = locked_if_made();
  bool held = false;
  if (locked != nullptr) {
    std::lock_guard<std::mutex> lock(locked->mutex);
    const std::uint64_t slot = probe_slot(permit);
    held = state_of(word_.load(std::memory_order_relaxed)) == BreakerState::half_open &&
           slot < locked->probes.size() && locked->probes[slot].lease == probe_lease(permit);
    if (held) locked->probes[slot].lease = 0;
  }
  counters_.add(field(held ? BreakerCount::released : BreakerCount::stale));
}

BreakerState Breaker::state() const noexcept { return state_of(word_.load(std::memory_order_acquire)); }

std::uint64_t Breaker::count_impl(const LazyNow& now, BreakerCount which) const {
  const int index = field(which);
  if (index < StripedCounters::kFields) return counters_.sum(index);
  switch (which) {
    case BreakerCount::consecutive_failures: return consecutive_failures_.load(std::memory_order_relaxed);
    case BreakerCount::window_calls:
    case BreakerCount::window_failures:
    case BreakerCount::window_slow: {
      if (!window_) return 0;
      // A count window ends at the last call recorded; a time window ends now.
      const std::int64_t position =
          config().window == WindowKind::time
              ? now.get().ns()
              : static_cast<std::int64_t>(window_->cursor.load(std::memory_order_relaxed)) - 1;
      const SlidingWindow::Totals totals = window_->samples.totals(position);
      return which == BreakerCount::window_calls ? totals.calls
             : which == BreakerCount::window_failures ? totals.failures : totals.slow;
    }
    case BreakerCount::events_dropped: return events_.dropped();
    case BreakerCount::listener_errors: return events_.listener_errors();
    default: break;
  }
  // Resolved before the lock, as everywhere: a user's clock never runs under it.
  const std::int64_t now_ns = which == BreakerCount::probes_in_flight ? now.get().ns() : 0;
  Locked* locked = locked_if_made();  // none before the first transition: nothing to count yet
  if (locked != nullptr) {
    std::lock_guard<std::mutex> lock(locked->mutex);
    switch (which) {
      case BreakerCount::expired: return locked->expired;
      case BreakerCount::trips: return locked->trips;
      case BreakerCount::probes_in_flight: {
        std::uint64_t held = 0;  // leases past their deadline are as good as reclaimed
        if (state_of(word_.load(std::memory_order_relaxed)) == BreakerState::half_open) {
          for (const Locked::ProbeSlot& probe : locked->probes) held += probe.lease != 0 && now_ns < probe.deadline_ns;
        }
        return held;
      }
      default: break;
    }
  } else if (which == BreakerCount::expired || which == BreakerCount::trips ||
             which == BreakerCount::probes_in_flight) {
    return 0;
  }
  throw Error(Status::unknown_name, "which: unknown breaker count " + std::to_string(index));
}

// The clock and explicit-time forms of each step (lazy_now.hpp): defined here, beside the steps, so that
// the LazyNow stays in registers through the inlined step.
Admission Breaker::acquire() { return acquire_impl(LazyNow(clock())); }
Admission Breaker::acquire_at(Instant now) { return acquire_impl(LazyNow(now)); }
void Breaker::record(std::uint64_t permit, Outcome outcome, Duration took, Duration hint) {
  record_impl(LazyNow(clock()), permit, outcome, took, hint);
}
void Breaker::record_at(Instant now, std::uint64_t permit, Outcome outcome, Duration took, Duration hint) {
  record_impl(LazyNow(now), permit, outcome, took, hint);
}
std::uint64_t Breaker::count(BreakerCount which) const { return count_impl(LazyNow(clock()), which); }
std::uint64_t Breaker::count_at(Instant now, BreakerCount which) const { return count_impl(LazyNow(now), which); }

}  // namespace backoff
