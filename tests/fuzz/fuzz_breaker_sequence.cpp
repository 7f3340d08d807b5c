// Fuzz target: a circuit breaker configured from arbitrary steps, then arbitrary call sequences on it at
// arbitrary times.
//
// The breaker is configured by id (typed setters, any int as the id), by name (set_text with arbitrary
// names and values) and with an open policy built from arbitrary policy steps. Then up to 256 calls of
// acquire, record, release, transition, poll_event and the getters run, through the `_at` forms at times
// that creep, jump or go backwards, and through the injected clock. A model follows the breaker through
// its events and the permits it hands out, and checks what backoff.h promises:
//   - a half-open breaker never holds more than HALF_OPEN_PROBES leases, and refuses only when all are held;
//   - a result or release whose generation or lease has passed changes nothing but the STALE count;
//   - ADMITTED == SUCCESSES + FAILURES + IGNORED + RELEASED + STALE + the permits still unreported, and
//     ADMITTED, REJECTED, TRIPS, EXPIRED and PROBES_IN_FLIGHT are what the calls and events say;
//   - every event continues from the state before it, and get_state() follows the events;
//   - a refusal's wait is INT64_MAX when isolated, 0 when half-open, and within [0, the longest open
//     period] when open; closed and disabled breakers never refuse;
//   - nothing is stuck: once every lease and the half-open maximum have run out, acquire admits within
//     the waits it reports, unless the breaker is isolated.
#define BACKOFF_EXPERIMENTAL /* also tests the experimental tier of backoff.h */
#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "backoff.h"
#include "fuzz_check.hpp"
#include "fuzz_config_steps.hpp"
#include "fuzz_input.hpp"
#include "fuzz_policy_facts.hpp"
#include "fuzz_time.hpp"

using namespace backoff_fuzz;

namespace {

constexpr int kParams = 16;  // BACKOFF_BREAKER_PARAM_TRIP .. MAX_HINT_OPEN_NS
constexpr int kCounts = 17;  // BACKOFF_BREAKER_COUNT_ADMITTED .. LISTENER_ERRORS
using Counts = std::array<std::uint64_t, kCounts>;

bool is_status(int status, std::initializer_list<int> allowed) {
  return std::find(allowed.begin(), allowed.end(), status) != allowed.end();
}

// A permit the run holds and has not reported yet.
struct Held {
  std::uint64_t permit;
  bool probe;
  std::uint64_t epoch;       // the number of transitions seen when it was issued: its generation
  std::int64_t deadline_ns;  // probes: when the lease may be reclaimed
  bool reclaimed;            // probes: the lease was reclaimed, so a report is stale
};

// ----- configuration -----

std::string param_text(FuzzInput& input) {
  static const char* const kNames[] = {"trip", "failure_threshold", "failure_ratio", "window", "window_size",
                                       "window_duration", "window_buckets", "min_calls", "slow_call_duration",
                                       "slow_call_ratio", "open_duration", "half_open_probes",
                                       "half_open_successes", "half_open_max_duration", "permit_lease",
                                       "max_hint_open"};
  return input.flag() ? input.text() : kNames[input.below(kParams)];
}

std::string value_text(FuzzInput& input) {
  static const char* const kUnits[] = {"", "ns", "us", "ms", "s", "m", "h"};
  static const char* const kWords[] = {"consecutive", "count", "ratio", "time", "0.5", "1", "0", "-1", "nan"};
  return value_text(input, kWords, kUnits);
}

// The table of backoff.h: names and ids round-trip, types are as documented.
void check_breaker_param_table() {
  static constexpr int kTypes[kParams] = {
      BACKOFF_TYPE_CHOICE, BACKOFF_TYPE_COUNT,    BACKOFF_TYPE_REAL,     BACKOFF_TYPE_CHOICE, BACKOFF_TYPE_COUNT,
      BACKOFF_TYPE_DURATION, BACKOFF_TYPE_COUNT,  BACKOFF_TYPE_COUNT,    BACKOFF_TYPE_DURATION, BACKOFF_TYPE_REAL,
      BACKOFF_TYPE_DURATION, BACKOFF_TYPE_COUNT,  BACKOFF_TYPE_COUNT,    BACKOFF_TYPE_DURATION, BACKOFF_TYPE_DURATION};
  for (int param = -1; param <= kParams; ++param) {
    const char* name = backoff_breaker_param_name(param);
    const bool known = param >= 0 && param < kParams;
    FUZZ_REQUIRE((name != nullptr) == known, "param_name(%d) is %s", param, name ? name : "NULL");
    FUZZ_REQUIRE(backoff_breaker_param_type(param) == (known ? kTypes[param] : BACKOFF_EUNKNOWN),
                 "param_type(%d) is %d", param, backoff_breaker_param_type(param));
    int id = -2;
    if (known) {
      FUZZ_REQUIRE(backoff_breaker_param_from_name(&id, name) == BACKOFF_OK && id == param, "%s -> %d", name, id);
    }
  }
}

// Builds an open policy from arbitrary policy steps and hands it to the config. Returns the longest
// open period the policy may give (its cap), or -1 when the config keeps OPEN_DURATION.
std::int64_t apply_open_policy(FuzzInput& input, backoff_breaker_config* config, std::int64_t current) {
  if (input.below(4) == 0) {
    FUZZ_REQUIRE(backoff_breaker_config_set_open_policy(config, nullptr) == BACKOFF_OK, "NULL policy refused");
    return -1;
  }
  backoff_config* policy_config = new_config(backoff_config_new);
  for (std::uint32_t steps = input.below(6); steps != 0; --steps) apply_by_id(policy_config, read_config_step(input));
  backoff_policy* policy = nullptr;
  std::int64_t result = current;
  if (backoff_policy_new(&policy, policy_config) == BACKOFF_OK) {
    const PolicyFacts facts = read_policy_facts(policy);
    const bool can_stop = facts.max_attempts != 0 || facts.max_elapsed_ns != 0;
    const int status = backoff_breaker_config_set_open_policy(config, policy);
    FUZZ_REQUIRE(status == (can_stop ? BACKOFF_EINVAL : BACKOFF_OK), "set_open_policy: %d (max_attempts %" PRId64
                 ", max_elapsed %" PRId64 ")", status, facts.max_attempts, facts.max_elapsed_ns);
    if (!can_stop) result = facts.cap_ns;
  }
  backoff_policy_free(policy);
  backoff_config_free(policy_config);
  return result;
}

// Applies arbitrary configuration steps; returns the open policy's cap, or -1 for none.
std::int64_t configure(FuzzInput& input, backoff_breaker_config* config) {
  std::int64_t policy_cap = -1;
  for (std::uint32_t steps = input.below(16); steps != 0; --steps) {
    int status = BACKOFF_OK;
    switch (input.below(5)) {
      case 0: case 1: {
        const int param = static_cast<int>(input.below(kParams + 2)) - 1;
        status = backoff_breaker_config_set_i64(config, param, input.edgy_i64());
        break;
      }
      case 2: {
        const int param = static_cast<int>(input.below(kParams + 2)) - 1;
        status = backoff_breaker_config_set_f64(config, param, input.edgy_f64());
        break;
      }
      case 3: {
        const std::string name = param_text(input), value = value_text(input);
        status = backoff_breaker_config_set_text(config, name.c_str(), value.c_str());
        break;
      }
      default: policy_cap = apply_open_policy(input, config, policy_cap); break;
    }
    check_setter_status(status);
  }
  return policy_cap;
}

// ----- the run -----

class BreakerRun {
 public:
  BreakerRun(backoff_breaker* breaker, FuzzClock* clock, std::int64_t policy_cap);
  ~BreakerRun() { backoff_breaker_free(breaker_); }
  void run(FuzzInput& input);
  void check_not_stuck();

 private:
  std::int64_t param(int which) const;
  std::int64_t next_time(FuzzInput& input) const;
  Counts counts_at(std::int64_t now_ns) const;
  std::size_t drain_events();
  std::size_t live_probes(std::int64_t now_ns) const;
  void reclaim(std::int64_t now_ns);
  void acquire(std::int64_t now_ns, bool on_clock);
  void report(FuzzInput& input, std::int64_t now_ns, bool on_clock);
  void check_counts(std::int64_t now_ns) const;
  bool current(const Held& held) const { return held.epoch == epoch_ && !held.reclaimed; }

  backoff_breaker* breaker_;
  FuzzClock* clock_;
  std::int64_t probes_, lease_ns_, half_open_max_ns_, max_hint_open_ns_, longest_open_ns_;
  int state_ = BACKOFF_BREAKER_CLOSED;
  std::uint64_t epoch_ = 0, admitted_ = 0, rejected_ = 0, trips_ = 0, expired_ = 0;
  std::int64_t latest_ns_;
  std::int64_t last_wait_ns_ = 0;  // the wait of the last refusal
  std::vector<Held> held_;
};

BreakerRun::BreakerRun(backoff_breaker* breaker, FuzzClock* clock, std::int64_t policy_cap)
    : breaker_(breaker), clock_(clock), latest_ns_(clock->now_ns) {
  probes_ = param(BACKOFF_BREAKER_PARAM_HALF_OPEN_PROBES);
  lease_ns_ = param(BACKOFF_BREAKER_PARAM_PERMIT_LEASE_NS);
  half_open_max_ns_ = param(BACKOFF_BREAKER_PARAM_HALF_OPEN_MAX_DURATION_NS);
  max_hint_open_ns_ = param(BACKOFF_BREAKER_PARAM_MAX_HINT_OPEN_NS);
  longest_open_ns_ = policy_cap >= 0 ? policy_cap : param(BACKOFF_BREAKER_PARAM_OPEN_DURATION_NS);
  FUZZ_REQUIRE(probes_ >= 1 && probes_ <= 1024 && lease_ns_ > 0 && half_open_max_ns_ >= 0 && longest_open_ns_ >= 0,
               "parameters outside their domains: probes %" PRId64 ", lease %" PRId64 ", half-open max %" PRId64
               ", open %" PRId64, probes_, lease_ns_, half_open_max_ns_, longest_open_ns_);
  double ratio = -1;
  FUZZ_REQUIRE(backoff_breaker_get_f64(&ratio, breaker_, BACKOFF_BREAKER_PARAM_FAILURE_RATIO) == BACKOFF_OK &&
                   ratio > 0 && ratio <= 1, "failure_ratio %g", ratio);
  std::int64_t unused;
  FUZZ_REQUIRE(backoff_breaker_get_i64(&unused, breaker_, BACKOFF_BREAKER_PARAM_SLOW_CALL_RATIO) == BACKOFF_ETYPE,
               "get_i64 of a real parameter accepted");
}

std::int64_t BreakerRun::param(int which) const {
  std::int64_t value = -1;
  FUZZ_REQUIRE(backoff_breaker_get_i64(&value, breaker_, which) == BACKOFF_OK, "get_i64(%d) failed", which);
  return value;
}

std::int64_t BreakerRun::next_time(FuzzInput& input) const {
  switch (input.below(6)) {
    case 0: return latest_ns_;
    case 1: return plus(latest_ns_, std::int64_t{input.byte()} * 1'000'000);
    case 2: return plus(latest_ns_, lease_ns_);  // just when leases run out
    case 3: return plus(latest_ns_, input.edgy_i64());
    case 4: return plus(latest_ns_, -std::int64_t{input.byte()});
    default: return input.edgy_i64();
  }
}

Counts BreakerRun::counts_at(std::int64_t now_ns) const {
  Counts counts{};
  for (int which = 0; which < kCounts; ++which) {
    FUZZ_REQUIRE(backoff_breaker_get_count_at(&counts[which], breaker_, now_ns, which) == BACKOFF_OK,
                 "get_count_at(%d) failed", which);
  }
  return counts;
}

// Takes every pending event, checks that each continues from the last, and returns how many there were.
std::size_t BreakerRun::drain_events() {
  std::size_t events = 0;
  for (;;) {
    int state = -2, previous = -2, cause = -2;
    std::int64_t at_ns = 0;
    FUZZ_REQUIRE(backoff_breaker_poll_event(&state, &previous, &cause, &at_ns, breaker_) == BACKOFF_OK, "poll");
    if (state == BACKOFF_BREAKER_NONE) {
      FUZZ_REQUIRE(previous == 0 && cause == 0 && at_ns == 0, "an empty poll wrote %d %d %" PRId64, previous,
                   cause, at_ns);
      break;
    }
    FUZZ_REQUIRE(previous == state_ && state >= BACKOFF_BREAKER_CLOSED && state <= BACKOFF_BREAKER_DISABLED &&
                     cause >= BACKOFF_BREAKER_CAUSE_FAILURES && cause <= BACKOFF_BREAKER_CAUSE_MANUAL,
                 "event %d -> %d (cause %d) after state %d", previous, state, cause, state_);
    state_ = state;
    ++epoch_;
    trips_ += state == BACKOFF_BREAKER_OPEN;
    ++events;
  }
  int stored = -2;
  FUZZ_REQUIRE(backoff_breaker_get_state(&stored, breaker_) == BACKOFF_OK && stored == state_,
               "get_state %d, the events say %d", stored, state_);
  return events;
}

// Probe leases held now: issued in this half-open period, unreported, not reclaimed, not past their deadline.
std::size_t BreakerRun::live_probes(std::int64_t now_ns) const {
  if (state_ != BACKOFF_BREAKER_HALF_OPEN) return 0;
  return static_cast<std::size_t>(std::count_if(held_.begin(), held_.end(), [&](const Held& held) {
    return held.probe && current(held) && now_ns < held.deadline_ns;
  }));
}

// What admitting a probe does first: every lease past its deadline goes back to the pool.
void BreakerRun::reclaim(std::int64_t now_ns) {
  for (Held& held : held_) {
    if (held.probe && current(held) && now_ns >= held.deadline_ns) {
      held.reclaimed = true;
      ++expired_;
    }
  }
}

void BreakerRun::acquire(std::int64_t now_ns, bool on_clock) {
  const int before = state_;
  std::uint64_t permit = 7;
  std::int64_t wait_ns = -7;
  const int status = on_clock ? backoff_breaker_acquire(&permit, &wait_ns, breaker_)
                              : backoff_breaker_acquire_at(&permit, &wait_ns, breaker_, now_ns);
  const bool moved = drain_events() != 0;
  // Without a transition, a half-open acquire reclaims the expired leases before it looks for a slot.
  if (!moved && before == BACKOFF_BREAKER_HALF_OPEN) reclaim(now_ns);
  if (status == BACKOFF_OK) {
    FUZZ_REQUIRE(permit != 0 && wait_ns == 0, "admitted with permit %" PRIu64 ", wait %" PRId64, permit, wait_ns);
    ++admitted_;
    const bool probe = state_ == BACKOFF_BREAKER_HALF_OPEN;
    if (probe) {
      FUZZ_REQUIRE(static_cast<std::int64_t>(live_probes(now_ns)) < probes_,
                   "half-open admitted a probe with %zu of %" PRId64 " leases held", live_probes(now_ns), probes_);
    }
    held_.push_back({permit, probe, epoch_, probe ? plus(now_ns, lease_ns_) : 0, false});
    return;
  }
  FUZZ_REQUIRE(status == BACKOFF_EOPEN && permit == 0, "acquire: status %d, permit %" PRIu64, status, permit);
  ++rejected_;
  last_wait_ns_ = wait_ns;
  switch (state_) {
    case BACKOFF_BREAKER_ISOLATED:
      FUZZ_REQUIRE(wait_ns == kMaxNs, "isolated, wait %" PRId64, wait_ns);
      break;
    case BACKOFF_BREAKER_HALF_OPEN:
      FUZZ_REQUIRE(wait_ns == 0 && static_cast<std::int64_t>(live_probes(now_ns)) == probes_,
                   "half-open refused with wait %" PRId64 " and %zu of %" PRId64 " leases held", wait_ns,
                   live_probes(now_ns), probes_);
      break;
    case BACKOFF_BREAKER_OPEN:
      FUZZ_REQUIRE(wait_ns >= 0 && wait_ns <= longest_open_ns_,
                   "open, wait %" PRId64 " outside [0, %" PRId64 "] at %" PRId64, wait_ns, longest_open_ns_, now_ns);
      break;
    default: FUZZ_REQUIRE(false, "state %d refused a call", state_);
  }
}

// record or release of a held permit (or a refused report), checking what the report may change.
void BreakerRun::report(FuzzInput& input, std::int64_t now_ns, bool on_clock) {
  if (held_.empty()) return;
  const std::size_t index = input.below(static_cast<std::uint32_t>(std::min<std::size_t>(held_.size(), 256)));
  const Held held = held_[index];
  const bool stale = !current(held);
  const Counts before = counts_at(now_ns);
  const bool release = input.below(4) == 0;
  int status;
  int outcome = BACKOFF_OUTCOME_SUCCESS;
  std::int64_t duration_ns = 0, hint_ns = 0;
  if (release) {
    status = backoff_breaker_release(breaker_, held.permit);
  } else {
    outcome = static_cast<int>(input.below(4));  // 3 is no outcome
    if (input.flag()) duration_ns = input.edgy_i64();
    if (input.below(4) == 0) hint_ns = input.edgy_i64();
    status = on_clock ? backoff_breaker_record(breaker_, held.permit, outcome, duration_ns, hint_ns)
                      : backoff_breaker_record_at(breaker_, now_ns, held.permit, outcome, duration_ns, hint_ns);
  }
  const bool refused = !release && (outcome > BACKOFF_OUTCOME_IGNORED || duration_ns < 0 || hint_ns < 0);
  const std::size_t events = drain_events();
  const Counts after = counts_at(now_ns);
  if (refused) {
    FUZZ_REQUIRE(is_status(status, {BACKOFF_EINVAL, BACKOFF_EUNKNOWN}) && events == 0 && after == before,
                 "a refused record (outcome %d, duration %" PRId64 ", hint %" PRId64 ") gave %d and changed things",
                 outcome, duration_ns, hint_ns, status);
    return;
  }
  FUZZ_REQUIRE(status == BACKOFF_OK, "report: status %d: %s", status, backoff_last_error());
  held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(index));
  if (stale) {
    Counts expected = before;
    ++expected[BACKOFF_BREAKER_COUNT_STALE];
    FUZZ_REQUIRE(events == 0 && after == expected, "a stale %s changed the breaker (%zu events)",
                 release ? "release" : "record", events);
    return;
  }
  // A failure, or a slow success (the slow-call rule), that opens the breaker stays open at least the hint,
  // up to max_hint_open.
  if (!release && outcome != BACKOFF_OUTCOME_IGNORED) {
    longest_open_ns_ = std::max(longest_open_ns_, std::min(hint_ns, max_hint_open_ns_));
  }
  // Exactly one of the settling counts moves: the outcome's, RELEASED, or STALE for a probe whose
  // half-open period ran out (which re-opens the breaker).
  std::uint64_t settled = 0;
  for (const int which : {BACKOFF_BREAKER_COUNT_SUCCESSES, BACKOFF_BREAKER_COUNT_FAILURES,
                          BACKOFF_BREAKER_COUNT_IGNORED, BACKOFF_BREAKER_COUNT_RELEASED, BACKOFF_BREAKER_COUNT_STALE}) {
    settled += after[which] - before[which];
  }
  FUZZ_REQUIRE(settled == 1, "a report settled %" PRIu64 " permits", settled);
  if (release) {
    FUZZ_REQUIRE(after[BACKOFF_BREAKER_COUNT_RELEASED] == before[BACKOFF_BREAKER_COUNT_RELEASED] + 1 && events == 0,
                 "a current release was not counted as released");
  }
}

void BreakerRun::check_counts(std::int64_t now_ns) const {
  const Counts c = counts_at(now_ns);
  const std::uint64_t settled = c[BACKOFF_BREAKER_COUNT_SUCCESSES] + c[BACKOFF_BREAKER_COUNT_FAILURES] +
                                c[BACKOFF_BREAKER_COUNT_IGNORED] + c[BACKOFF_BREAKER_COUNT_RELEASED] +
                                c[BACKOFF_BREAKER_COUNT_STALE];
  FUZZ_REQUIRE(c[BACKOFF_BREAKER_COUNT_ADMITTED] == admitted_ && admitted_ == settled + held_.size(),
               "admitted %" PRIu64 " (%" PRIu64 " acquired), settled %" PRIu64 ", %zu unreported",
               c[BACKOFF_BREAKER_COUNT_ADMITTED], admitted_, settled, held_.size());
  FUZZ_REQUIRE(c[BACKOFF_BREAKER_COUNT_REJECTED] == rejected_ && c[BACKOFF_BREAKER_COUNT_TRIPS] == trips_ &&
                   c[BACKOFF_BREAKER_COUNT_EXPIRED] == expired_,
               "rejected %" PRIu64 "/%" PRIu64 ", trips %" PRIu64 "/%" PRIu64 ", expired %" PRIu64 "/%" PRIu64,
               c[BACKOFF_BREAKER_COUNT_REJECTED], rejected_, c[BACKOFF_BREAKER_COUNT_TRIPS], trips_,
               c[BACKOFF_BREAKER_COUNT_EXPIRED], expired_);
  FUZZ_REQUIRE(c[BACKOFF_BREAKER_COUNT_PROBES_IN_FLIGHT] == live_probes(now_ns) &&
                   static_cast<std::int64_t>(live_probes(now_ns)) <= probes_,
               "probes in flight %" PRIu64 ", %zu leases held, limit %" PRId64,
               c[BACKOFF_BREAKER_COUNT_PROBES_IN_FLIGHT], live_probes(now_ns), probes_);
  FUZZ_REQUIRE(c[BACKOFF_BREAKER_COUNT_SLOW] <= c[BACKOFF_BREAKER_COUNT_SUCCESSES] + c[BACKOFF_BREAKER_COUNT_FAILURES] &&
                   c[BACKOFF_BREAKER_COUNT_WINDOW_FAILURES] <= c[BACKOFF_BREAKER_COUNT_WINDOW_CALLS] &&
                   c[BACKOFF_BREAKER_COUNT_WINDOW_SLOW] <= c[BACKOFF_BREAKER_COUNT_WINDOW_CALLS] &&
                   c[BACKOFF_BREAKER_COUNT_EVENTS_DROPPED] == 0 && c[BACKOFF_BREAKER_COUNT_LISTENER_ERRORS] == 0,
               "slow %" PRIu64 ", window %" PRIu64 "/%" PRIu64 "/%" PRIu64 ", dropped %" PRIu64,
               c[BACKOFF_BREAKER_COUNT_SLOW], c[BACKOFF_BREAKER_COUNT_WINDOW_CALLS],
               c[BACKOFF_BREAKER_COUNT_WINDOW_FAILURES], c[BACKOFF_BREAKER_COUNT_WINDOW_SLOW],
               c[BACKOFF_BREAKER_COUNT_EVENTS_DROPPED]);
}

void BreakerRun::run(FuzzInput& input) {
  for (int calls = 0; calls < 256 && !input.empty(); ++calls) {
    const std::int64_t now = next_time(input);
    const bool on_clock = step_to(input, now, clock_, &latest_ns_);
    switch (input.below(8)) {
      case 0: case 1: case 2: acquire(now, on_clock); break;
      case 3: case 4: report(input, now, on_clock); break;
      case 5: {
        const int state = static_cast<int>(input.below(7)) - 1;  // NONE and 5 are no states
        const int status = on_clock ? backoff_breaker_transition(breaker_, state)
                                    : backoff_breaker_transition_at(breaker_, now, state);
        const bool known = state >= BACKOFF_BREAKER_CLOSED && state <= BACKOFF_BREAKER_DISABLED;
        FUZZ_REQUIRE(status == (known ? BACKOFF_OK : BACKOFF_EUNKNOWN), "transition(%d): %d", state, status);
        FUZZ_REQUIRE(drain_events() == (known ? 1u : 0u) && (!known || state_ == state),
                     "transition(%d) gave state %d", state, state_);
        break;
      }
      case 6: {  // the calls that must refuse and change nothing
        const Counts before = counts_at(now);
        std::uint64_t out = 0;
        FUZZ_REQUIRE(backoff_breaker_record_at(breaker_, now, 0, BACKOFF_OUTCOME_FAILURE, 0, 0) == BACKOFF_EINVAL &&
                         backoff_breaker_release(breaker_, 0) == BACKOFF_EINVAL &&
                         backoff_breaker_get_count(&out, breaker_, kCounts) == BACKOFF_EUNKNOWN &&
                         backoff_breaker_acquire_at(nullptr, nullptr, breaker_, now) == BACKOFF_ENULL,
                     "a refused call was accepted");
        FUZZ_REQUIRE(drain_events() == 0 && counts_at(now) == before, "a refused call changed the breaker");
        break;
      }
      default: {
        std::uint64_t on_clock_count = 0;  // the clock form reads the same window as the explicit one
        FUZZ_REQUIRE(backoff_breaker_get_count(&on_clock_count, breaker_, BACKOFF_BREAKER_COUNT_WINDOW_CALLS) ==
                         BACKOFF_OK && on_clock_count == counts_at(now)[BACKOFF_BREAKER_COUNT_WINDOW_CALLS],
                     "get_count on the clock disagrees with get_count_at");
        break;
      }
    }
    check_counts(now);
    check_counts(input.edgy_i64());
  }
}

// Once every lease and the half-open maximum have passed with no activity, acquire must admit within the
// waits it reports (an open period ends; a half-open period with no live lease has a free slot), unless
// the breaker is isolated or a server hint asked for a wait past the int64 range.
void BreakerRun::check_not_stuck() {
  std::int64_t now = plus(plus(plus(latest_ns_, lease_ns_), half_open_max_ns_), 1);
  for (int tries = 0; tries < 4; ++tries) {
    if (now == kMaxNs) return;  // a wait past the int64 range: nothing to observe
    clock_->now_ns = now;
    const std::uint64_t admitted = admitted_;
    acquire(now, false);
    if (admitted_ != admitted || state_ == BACKOFF_BREAKER_ISOLATED) return;
    now = plus(now, last_wait_ns_);
  }
  FUZZ_REQUIRE(false, "still refusing calls in state %d after four waits", state_);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput input(data, size);
  check_breaker_param_table();
  backoff_breaker_config* config = new_config(backoff_breaker_config_new);
  const std::int64_t policy_cap = configure(input, config);
  FuzzClock clock;
  clock.now_ns = input.edgy_i64();
  backoff_breaker* breaker = nullptr;
  const int status = backoff_breaker_new_with_clock(&breaker, config, &FuzzClock::read, &clock);
  backoff_breaker_config_free(config);  // the breaker keeps its own copy
  if (status != BACKOFF_OK) {
    FUZZ_REQUIRE(status == BACKOFF_EINVAL && breaker == nullptr, "breaker_new: %d", status);
    return 0;
  }
  BreakerRun run(breaker, &clock, policy_cap);
  run.run(input);
  run.check_not_stuck();
  return 0;
}
