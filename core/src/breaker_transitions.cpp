// The Breaker's locked half: state transitions, half-open probe leases, and the results of probes.
// Everything here runs under the Locked part's mutex (breaker_parts.hpp); the public entry points unlock
// before they deliver events.
#include <algorithm>

#include "backoff/breaker.hpp"
#include "backoff/lazy_now.hpp"
#include "breaker_parts.hpp"
#include "breaker_permit.hpp"

namespace backoff {

using namespace breaker_detail;

Admission Breaker::acquire_locked(Locked& locked, std::int64_t now_ns) {
  const std::uint64_t word = word_.load(std::memory_order_relaxed);
  switch (state_of(word)) {
    case BreakerState::closed:
    // Changed since the fast path.
    case BreakerState::disabled: return {closed_permit(generation_of(word)), Duration()};
    case BreakerState::isolated: return {0, InfiniteDuration()};
    case BreakerState::open: {
      const std::int64_t until = open_until_ns_.load(std::memory_order_relaxed);
      if (now_ns < until) return {0, open_wait(until, now_ns)};
      half_open_locked(locked, BreakerCause::open_elapsed, now_ns);
      return admit_probe_locked(locked, now_ns);
    }
    case BreakerState::half_open: return admit_probe_locked(locked, now_ns);
  }
  return {0, Duration()};
}

Admission Breaker::admit_probe_locked(Locked& locked, std::int64_t now_ns) {
  if (half_open_timed_out_locked(locked, now_ns)) {
    open_locked(locked, BreakerCause::half_open_timeout, now_ns, 0);
    return {0, open_wait(open_until_ns_.load(std::memory_order_relaxed), now_ns)};
  }
  for (Locked::ProbeSlot& probe : locked.probes) {  // reclaim the leases nobody reported in time
    if (probe.lease != 0 && now_ns >= probe.deadline_ns) {
      probe.lease = 0;
      ++locked.expired;
    }
  }
  for (std::size_t slot = 0; slot < locked.probes.size(); ++slot) {
    Locked::ProbeSlot& probe = locked.probes[slot];
    if (probe.lease != 0) continue;
    probe.lease = locked.next_lease++;
    probe.deadline_ns = deadline_after(now_ns, config().permit_lease);
    return {probe_permit(probe.lease, slot), Duration()};
  }
  // Every slot is taken: the breaker admits again as soon as a probe reports, which may be any moment.
  return {0, Duration()};
}

Duration Breaker::open_wait(std::int64_t until_ns, std::int64_t now_ns) const noexcept {
  // A time from before the trip (an explicit time gone backwards) must neither overflow nor ask for a
  // longer wait than the open period itself.
  return nanoseconds(std::min(time_between(now_ns, until_ns), open_period_ns_.load(std::memory_order_relaxed)));
}

bool Breaker::half_open_timed_out_locked(const Locked& locked, std::int64_t now_ns) const {
  const Duration longest = config().half_open_max_duration;
  return longest > Duration() && now_ns >= deadline_after(locked.half_open_since_ns, longest);
}

void Breaker::record_probe(const LazyNow& now, std::uint64_t permit, Outcome outcome, bool slow, std::int64_t hint_ns) {
  const std::int64_t now_ns = now.get().ns();
  Locked* locked = locked_if_made();
  if (locked == nullptr) {  // before the first transition: a probe permit nobody issued
    counters_.add(field(BreakerCount::stale));
    return;
  }
  std::unique_lock<std::mutex> lock(locked->mutex);
  const std::uint64_t slot = probe_slot(permit);
  // A lease past its deadline is honoured until it is reclaimed: the result is in, and it is news.
  const bool held = state_of(word_.load(std::memory_order_relaxed)) == BreakerState::half_open &&
                    slot < locked->probes.size() && locked->probes[slot].lease == probe_lease(permit);
  // A half-open period that should already have ended takes no more results: as if it had ended on time.
  if (!held || half_open_timed_out_locked(*locked, now_ns)) {
    if (held) open_locked(*locked, BreakerCause::half_open_timeout, now_ns, 0);
    lock.unlock();
    events_.deliver();
    counters_.add(field(BreakerCount::stale));
    return;
  }
  locked->probes[slot].lease = 0;
  // A slow probe means the service has not recovered, whatever it answered.
  const bool slow_rule = config().slow_call_duration > Duration();
  if (outcome == Outcome::failure || (outcome == Outcome::success && slow && slow_rule)) {
    open_locked(*locked, BreakerCause::probe_failed, now_ns, hint_ns);
  } else if (outcome == Outcome::success && ++locked->half_open_successes >= config().half_open_successes) {
    close_locked(*locked, BreakerCause::probes_succeeded, now_ns);
  }
  lock.unlock();
  events_.deliver();
  switch (outcome) {
    case Outcome::success: counters_.add(field(BreakerCount::successes)); break;
    case Outcome::failure: counters_.add(field(BreakerCount::failures)); break;
    case Outcome::ignored: counters_.add(field(BreakerCount::ignored)); return;
  }
  if (slow) counters_.add(field(BreakerCount::slow));
}

void Breaker::trip_from_closed(const LazyNow& now, std::uint64_t generation, BreakerCause cause, std::int64_t hint_ns) {
  const std::int64_t now_ns = now.get().ns();
  Locked& locked = this->locked();
  std::unique_lock<std::mutex> lock(locked.mutex);
  // Several failures may cross the threshold at once; the first one to get here trips, the others find
  // the generation moved on.
  if (word_.load(std::memory_order_relaxed) != pack(generation, BreakerState::closed)) return;
  open_locked(locked, cause, now_ns, hint_ns);
  lock.unlock();
  events_.deliver();
}

void Breaker::transition_to(BreakerState state) {
  transition_to_at(clock().now(), state);
}

void Breaker::transition_to_at(Instant now, BreakerState state) {
  const std::int64_t now_ns = now.ns();
  Locked& locked = this->locked();
  std::unique_lock<std::mutex> lock(locked.mutex);
  switch (state) {
    case BreakerState::closed: close_locked(locked, BreakerCause::manual, now_ns); break;
    case BreakerState::open: open_locked(locked, BreakerCause::manual, now_ns, 0); break;
    case BreakerState::half_open: half_open_locked(locked, BreakerCause::manual, now_ns); break;
    case BreakerState::isolated:
    case BreakerState::disabled: enter_locked(state, BreakerCause::manual, now_ns); break;
  }
  lock.unlock();
  events_.deliver();
}

void Breaker::enter_locked(BreakerState state, BreakerCause cause, std::int64_t now_ns) {
  const std::uint64_t word = word_.load(std::memory_order_relaxed);
  // Release: a thread that sees the new word also sees what the transition wrote before it.
  word_.store(pack(generation_of(word) + 1, state), std::memory_order_release);
  events_.push({state, state_of(word), cause, now_ns});
}

void Breaker::open_locked(Locked& locked, BreakerCause cause, std::int64_t now_ns, std::int64_t hint_ns) {
  const BreakerConfig& config = this->config();
  const Duration period =
      config.open_policy ? config.open_policy->delay(locked.trip_streak, locked.open_key) : config.open_duration;
  // A server that says when to come back knows better than our schedule, when it asks for longer; but
  // no longer than max_hint_open, so one response cannot hold the breaker open indefinitely.
  const Duration longest = max(period, min(nanoseconds(hint_ns), config.max_hint_open));
  open_period_ns_.store(longest.ns(), std::memory_order_relaxed);
  open_until_ns_.store(deadline_after(now_ns, longest), std::memory_order_relaxed);
  ++locked.trip_streak;
  ++locked.trips;
  enter_locked(BreakerState::open, cause, now_ns);
}

void Breaker::half_open_locked(Locked& locked, BreakerCause cause, std::int64_t now_ns) {
  locked.half_open_since_ns = now_ns;
  locked.half_open_successes = 0;
  for (Locked::ProbeSlot& probe : locked.probes) probe.lease = 0;
  enter_locked(BreakerState::half_open, cause, now_ns);
}

void Breaker::close_locked(Locked& locked, BreakerCause cause, std::int64_t now_ns) {
  locked.trip_streak = 0;
  consecutive_failures_.store(0, std::memory_order_relaxed);
  if (window_) window_->samples.clear();
  enter_locked(BreakerState::closed, cause, now_ns);
}

}  // namespace backoff
