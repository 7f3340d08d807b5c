// Stress test: many threads on one backoff_breaker through the C API, on the breaker's injected clock.
//
// tests/core/breaker_stress_test.cpp already hammers the core Breaker with explicit times (closed-state
// counts, one trip per threshold, the probe limit, random traffic). These go through the C entry points
// and cover what those leave out: permits lost in half-open while a shared clock runs and leases expire
// under the threads' feet, and manual transitions, pollers, a listener and getters all racing the traffic.
//
// Usage: stress_breaker <check>; the checks are listed at the bottom, one ctest each.
#define BACKOFF_EXPERIMENTAL /* also tests the experimental tier of backoff.h */
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "backoff.h"
#include "stress_harness.hpp"

using backoff_stress::Failures;

namespace {

constexpr std::int64_t kMs = 1'000'000;

// The breaker's clock: simulated time that the threads move on together.
struct SharedClock {
  std::atomic<std::int64_t> now_ns{0};
  static std::int64_t read(void* self) { return static_cast<SharedClock*>(self)->now_ns.load(); }
};

backoff_breaker* make_breaker(SharedClock* clock, std::initializer_list<std::pair<const char*, const char*>> params) {
  backoff_breaker_config* config = nullptr;
  backoff_breaker_config_new(&config);
  for (const auto& [name, value] : params) {
    if (backoff_breaker_config_set_text(config, name, value) != BACKOFF_OK) std::abort();
  }
  backoff_breaker* breaker = nullptr;
  if (backoff_breaker_new_with_clock(&breaker, config, &SharedClock::read, clock) != BACKOFF_OK) std::abort();
  backoff_breaker_config_free(config);
  return breaker;
}

std::uint64_t count(const backoff_breaker* breaker, int which) {
  std::uint64_t value = 0;
  backoff_breaker_get_count(&value, breaker, which);
  return value;
}

// Every permit is reported once or lost on purpose: ADMITTED must equal the reports plus the losses.
void check_permits_add_up(const backoff_breaker* breaker, std::uint64_t lost, Failures& failures) {
  const std::uint64_t admitted = count(breaker, BACKOFF_BREAKER_COUNT_ADMITTED);
  const std::uint64_t reported =
      count(breaker, BACKOFF_BREAKER_COUNT_SUCCESSES) + count(breaker, BACKOFF_BREAKER_COUNT_FAILURES) +
      count(breaker, BACKOFF_BREAKER_COUNT_IGNORED) + count(breaker, BACKOFF_BREAKER_COUNT_RELEASED) +
      count(breaker, BACKOFF_BREAKER_COUNT_STALE);
  if (admitted != reported + lost) {
    failures.add("admitted " + std::to_string(admitted) + ", reported " + std::to_string(reported) + ", lost " +
                 std::to_string(lost));
  }
}

// Half-open with 3 probe slots on a clock that stands still, so no lease expires: however the threads
// interleave, no more than 3 of them hold a probe permit at once, and every permit is accounted for.
void half_open_admits_at_most_the_probe_slots(Failures& failures) {
  constexpr std::int64_t kProbes = 3;
  SharedClock clock;
  backoff_breaker* breaker = make_breaker(&clock, {{"half_open_probes", "3"}, {"half_open_successes", "1000000000"}});
  backoff_breaker_transition(breaker, BACKOFF_BREAKER_HALF_OPEN);
  std::atomic<std::int64_t> held{0}, most_held{0};
  backoff_stress::run_concurrently([&](int thread) {
    for (int i = 0; i < 20'000; ++i) {
      std::uint64_t permit = 0;
      std::int64_t wait_ns = -1;
      if (backoff_breaker_acquire(&permit, &wait_ns, breaker) != BACKOFF_OK) {
        if (permit != 0 || wait_ns != 0) failures.add("a half-open refusal with a permit or a wait");
        continue;
      }
      const std::int64_t now_held = held.fetch_add(1) + 1;
      std::int64_t seen = most_held.load();
      while (now_held > seen && !most_held.compare_exchange_weak(seen, now_held)) {
      }
      held.fetch_sub(1);
      const int outcome = (i + thread) % 3 == 0 ? BACKOFF_OUTCOME_IGNORED : BACKOFF_OUTCOME_SUCCESS;
      if ((i + thread) % 2) {
        backoff_breaker_release(breaker, permit);
      } else {
        backoff_breaker_record(breaker, permit, outcome, 0, 0);
      }
    }
  });
  if (most_held.load() > kProbes || most_held.load() < 1) {
    failures.add("held " + std::to_string(most_held.load()) + " probes at once, slots " + std::to_string(kProbes));
  }
  if (count(breaker, BACKOFF_BREAKER_COUNT_PROBES_IN_FLIGHT) != 0) failures.add("probes left in flight");
  check_permits_add_up(breaker, 0, failures);
  backoff_breaker_free(breaker);
}

// Half-open with 2 probe slots and a 1 ms lease, on a clock the threads advance: some permits are lost
// and must expire, and a holder that is slow to report (preempted) may see its lease expire too, its
// report then stale. PROBES_IN_FLIGHT, read concurrently, never exceeds the slots; every expired lease
// was lost or reported stale; every permit is accounted for.
void lost_probe_permits_expire(Failures& failures) {
  constexpr std::uint64_t kProbes = 2;
  SharedClock clock;
  backoff_breaker* breaker = make_breaker(&clock, {{"half_open_probes", "2"}, {"half_open_successes", "1000000000"},
                                                   {"permit_lease", "1ms"}});
  backoff_breaker_transition(breaker, BACKOFF_BREAKER_HALF_OPEN);
  std::atomic<std::uint64_t> lost{0};
  std::atomic<int> workers_left{backoff_stress::kThreads - 1};
  backoff_stress::run_concurrently([&](int thread) {
    if (thread == 0) {  // reads the gauge while the others work
      while (workers_left.load() > 0) {
        const std::uint64_t in_flight = count(breaker, BACKOFF_BREAKER_COUNT_PROBES_IN_FLIGHT);
        if (in_flight > kProbes) failures.add("probes in flight: " + std::to_string(in_flight));
      }
      return;
    }
    std::mt19937 random(static_cast<unsigned>(thread));
    for (int i = 0; i < 20'000; ++i) {
      clock.now_ns.fetch_add(10'000);  // 10 us per call: a lease lasts about 100 calls
      std::uint64_t permit = 0;
      std::int64_t wait_ns = -1;
      if (backoff_breaker_acquire(&permit, &wait_ns, breaker) != BACKOFF_OK) continue;
      if (random() % 16 == 0) {  // a cancelled task that never reports: its lease must expire
        lost.fetch_add(1);
      } else if (random() % 2) {
        backoff_breaker_release(breaker, permit);
      } else {
        backoff_breaker_record(breaker, permit, BACKOFF_OUTCOME_SUCCESS, 0, 0);
      }
    }
    workers_left.fetch_sub(1);
  });
  const std::uint64_t expired = count(breaker, BACKOFF_BREAKER_COUNT_EXPIRED);
  if (lost.load() != 0 && expired == 0) failures.add("no lost lease expired");
  if (expired > lost.load() + count(breaker, BACKOFF_BREAKER_COUNT_STALE)) {
    failures.add(std::to_string(expired) + " leases expired, " + std::to_string(lost.load()) + " lost");
  }
  check_permits_add_up(breaker, lost.load(), failures);
  backoff_breaker_free(breaker);
}

// Listener state: the events it saw, in order (a listener never runs concurrently with itself).
struct Seen {
  int last = BACKOFF_BREAKER_CLOSED;
  std::uint64_t opens = 0;
  std::uint64_t broken_chain = 0;
};

int on_event(int state, int previous, int, std::int64_t, void* user_data) {
  Seen* seen = static_cast<Seen*>(user_data);
  seen->broken_chain += previous != seen->last;
  seen->last = state;
  seen->opens += state == BACKOFF_BREAKER_OPEN;
  return 0;
}

// Traffic that keeps tripping a ratio breaker, while one thread forces transitions and two poll events.
// The listener sees one unbroken chain with one OPEN per trip, polled events are each taken once, the
// counts add up, and nothing races (the TSan run).
void transitions_race_traffic(Failures& failures) {
  SharedClock clock;
  backoff_breaker* breaker = make_breaker(
      &clock, {{"trip", "ratio"}, {"window", "count"}, {"window_size", "20"}, {"min_calls", "5"},
               {"open_duration", "200us"}, {"half_open_probes", "3"}, {"half_open_successes", "2"},
               {"permit_lease", "1ms"}, {"half_open_max_duration", "2ms"}});
  Seen seen;
  backoff_breaker_set_listener(breaker, &on_event, &seen);
  std::atomic<int> workers_left{backoff_stress::kThreads - 3};
  std::atomic<std::uint64_t> polled_opens{0}, transitions_made{0};
  backoff_stress::run_concurrently([&](int thread) {
    std::mt19937 random(static_cast<unsigned>(thread));
    if (thread < 2) {  // pollers
      while (workers_left.load() > 0) {
        int state, previous, cause;
        std::int64_t at_ns;
        backoff_breaker_poll_event(&state, &previous, &cause, &at_ns, breaker);
        polled_opens.fetch_add(state == BACKOFF_BREAKER_OPEN);
      }
      return;
    }
    if (thread == 2) {  // manual transitions, now and then
      while (workers_left.load() > 0) {
        if (random() % 64 == 0) {
          backoff_breaker_transition(breaker, static_cast<int>(random() % 5));
          transitions_made.fetch_add(1);
        }
        std::this_thread::yield();
      }
      backoff_breaker_transition(breaker, BACKOFF_BREAKER_CLOSED);  // leave no isolated breaker behind
      return;
    }
    for (int i = 0; i < 20'000; ++i) {
      clock.now_ns.fetch_add(1'000);
      std::uint64_t permit = 0;
      std::int64_t wait_ns = 0;
      if (backoff_breaker_acquire(&permit, &wait_ns, breaker) != BACKOFF_OK) continue;
      const bool bad_phase = (clock.now_ns.load() / (5 * kMs)) % 2 == 0;  // outages come and go
      const unsigned roll = static_cast<unsigned>(random() % 100);
      if (roll < 5) {
        backoff_breaker_release(breaker, permit);
      } else {
        const int outcome = roll < 10 ? BACKOFF_OUTCOME_IGNORED
                            : roll < (bad_phase ? 70u : 12u) ? BACKOFF_OUTCOME_FAILURE : BACKOFF_OUTCOME_SUCCESS;
        backoff_breaker_record(breaker, permit, outcome, static_cast<std::int64_t>(roll) * 1000, 0);
      }
    }
    workers_left.fetch_sub(1);
  });
  backoff_breaker_set_listener(breaker, nullptr, nullptr);  // returns once the listener has finished
  const std::uint64_t trips = count(breaker, BACKOFF_BREAKER_COUNT_TRIPS);
  if (seen.broken_chain != 0) failures.add(std::to_string(seen.broken_chain) + " events did not follow the last");
  if (seen.opens != trips) failures.add("listener saw " + std::to_string(seen.opens) + " opens, trips " + std::to_string(trips));
  if (polled_opens.load() > trips) failures.add("polled more opens than trips");
  if (trips < 2) failures.add("the traffic tripped the breaker only " + std::to_string(trips) + " times");
  check_permits_add_up(breaker, 0, failures);
  backoff_breaker_free(breaker);
}

// A pool of 4 breakers over 16 keys, each tripping at 3 failures in a row: keys are evicted and made again
// while threads acquire and record on them (a look-up racing the eviction that frees its entry is what
// ThreadSanitizer and AddressSanitizer watch here). The pool never holds more than 4.
void pool_evicts_under_load(Failures& failures) {
  backoff_breaker_config* config = nullptr;
  backoff_breaker_pool* pool = nullptr;
  backoff_breaker_config_new(&config);
  if (backoff_breaker_config_set_text(config, "failure_threshold", "3") != BACKOFF_OK ||
      backoff_breaker_pool_new(&pool, config, 4) != BACKOFF_OK) {
    std::abort();
  }
  backoff_breaker_config_free(config);
  backoff_stress::run_concurrently([&](int thread) {
    std::mt19937 random(static_cast<unsigned>(thread));
    for (int i = 0; i < 5'000; ++i) {
      const std::string key = "host-" + std::to_string(random() % 16);
      std::uint64_t permit = 0;
      std::int64_t wait_ns = 0;
      const int status = backoff_breaker_pool_acquire(&permit, &wait_ns, pool, key.c_str());
      if (status != BACKOFF_OK && status != BACKOFF_EOPEN) failures.add("pool acquire: " + std::to_string(status));
      if (status == BACKOFF_OK &&
          backoff_breaker_pool_record(pool, key.c_str(), permit,
                                      random() % 2 ? BACKOFF_OUTCOME_FAILURE : BACKOFF_OUTCOME_SUCCESS, 0,
                                      0) != BACKOFF_OK) {
        failures.add("pool record failed");
      }
      std::int64_t size = -1;
      backoff_breaker_pool_size(&size, pool);
      if (size < 1 || size > 4) failures.add("pool holds " + std::to_string(size) + " breakers");
    }
  });
  backoff_breaker_pool_free(pool);
}

}  // namespace

int main(int argc, char** argv) {
  static const backoff_stress::Check kChecks[] = {
      {"probe_limit", half_open_admits_at_most_the_probe_slots},
      {"lost_probes", lost_probe_permits_expire},
      {"transitions", transitions_race_traffic},
      {"pool", pool_evicts_under_load},
  };
  return backoff_stress::run_check(argc, argv, kChecks);
}
