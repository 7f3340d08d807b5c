// The circuit breaker's state machine at explicit times (no sleeping), its rules, windows, events,
// listeners and configuration. Threads: breaker_stress_test.cpp.
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "backoff/breaker.hpp"
#include "backoff/saturating.hpp"
#include "backoff/status.hpp"
#include "breaker_test_support.hpp"

using backoff::BreakerCause;
using namespace breaker_test;

namespace {

std::vector<BreakerEvent> drain(Breaker& breaker) {
  std::vector<BreakerEvent> events;
  while (const std::optional<BreakerEvent> event = breaker.poll_event()) events.push_back(*event);
  return events;
}

// Trips a consecutive-rule breaker (threshold 1) at `now_ns` and moves it to half-open at `probe_ns`.
backoff::Admission first_probe(Breaker& breaker, std::int64_t now_ns, std::int64_t probe_ns) {
  fail_at(breaker, now_ns);
  REQUIRE(breaker.state() == BreakerState::open);
  const backoff::Admission probe = breaker.acquire_at(at(probe_ns));
  REQUIRE(probe.admitted());
  REQUIRE(breaker.state() == BreakerState::half_open);
  return probe;
}

}  // namespace

TEST_CASE("a closed breaker trips after failure_threshold failures in a row") {
  Breaker breaker(consecutive(3, 10 * kSecond));
  fail_at(breaker, 0);
  fail_at(breaker, 1);
  CHECK(breaker.state() == BreakerState::closed);
  fail_at(breaker, 2);
  CHECK(breaker.state() == BreakerState::open);
  CHECK(breaker.count_at(at(2), BreakerCount::trips) == 1);
  const std::vector<BreakerEvent> events = drain(breaker);
  REQUIRE(events.size() == 1);
  CHECK(events[0].state == BreakerState::open);
  CHECK(events[0].previous == BreakerState::closed);
  CHECK(events[0].cause == BreakerCause::failures);
  CHECK(events[0].at_ns == 2);
}

TEST_CASE("a success breaks the run of consecutive failures") {
  Breaker breaker(consecutive(3, kSecond));
  fail_at(breaker, 0);
  fail_at(breaker, 0);
  succeed_at(breaker, 0);
  CHECK(breaker.count_at(at(0), BreakerCount::consecutive_failures) == 0);
  fail_at(breaker, 0);
  fail_at(breaker, 0);
  CHECK(breaker.state() == BreakerState::closed);
  fail_at(breaker, 0);
  CHECK(breaker.state() == BreakerState::open);
}

TEST_CASE("an open breaker rejects with the time left, then admits a probe once the period is over") {
  Breaker breaker(consecutive(1, 10 * kSecond));
  fail_at(breaker, 5 * kSecond);
  const backoff::Admission early = breaker.acquire_at(at(8 * kSecond));
  CHECK_FALSE(early.admitted());
  CHECK(early.wait.ns() == 7 * kSecond);
  const backoff::Admission last_moment = breaker.acquire_at(at(15 * kSecond - 1));
  CHECK_FALSE(last_moment.admitted());
  CHECK(last_moment.wait.ns() == 1);
  CHECK(breaker.acquire_at(at(15 * kSecond)).admitted());
  CHECK(breaker.state() == BreakerState::half_open);
  CHECK(breaker.count_at(at(15 * kSecond), BreakerCount::rejected) == 2);
}

TEST_CASE("half-open admits at most half_open_probes probes at a time") {
  BreakerConfig config = consecutive(1, kSecond);
  config.set_i64(BreakerParam::half_open_probes, 2);
  config.set_i64(BreakerParam::half_open_successes, 5);
  Breaker breaker(config);
  const backoff::Admission first = first_probe(breaker, 0, kSecond);
  const backoff::Admission second = breaker.acquire_at(at(kSecond));
  REQUIRE(second.admitted());
  const backoff::Admission third = breaker.acquire_at(at(kSecond));
  CHECK_FALSE(third.admitted());
  CHECK(third.wait.ns() == 0);
  CHECK(breaker.count_at(at(kSecond), BreakerCount::probes_in_flight) == 2);
  // A reported probe frees its slot for the next caller.
  breaker.record_at(at(kSecond), first.permit, Outcome::success);
  CHECK(breaker.acquire_at(at(kSecond)).admitted());
}

TEST_CASE("half-open closes after half_open_successes successful probes") {
  BreakerConfig config = consecutive(1, kSecond);
  config.set_i64(BreakerParam::half_open_successes, 2);
  Breaker breaker(config);
  const backoff::Admission probe = first_probe(breaker, 0, kSecond);
  breaker.record_at(at(kSecond), probe.permit, Outcome::success);
  CHECK(breaker.state() == BreakerState::half_open);
  const backoff::Admission second = breaker.acquire_at(at(kSecond));
  breaker.record_at(at(kSecond), second.permit, Outcome::success);
  CHECK(breaker.state() == BreakerState::closed);
  const std::vector<BreakerEvent> events = drain(breaker);
  REQUIRE(events.size() == 3);
  CHECK(events[1].cause == BreakerCause::open_elapsed);
  CHECK(events[2].state == BreakerState::closed);
  CHECK(events[2].cause == BreakerCause::probes_succeeded);
}

TEST_CASE("a failed probe re-opens the breaker for another open period") {
  Breaker breaker(consecutive(1, kSecond));
  const backoff::Admission probe = first_probe(breaker, 0, kSecond);
  breaker.record_at(at(2 * kSecond), probe.permit, Outcome::failure);
  CHECK(breaker.state() == BreakerState::open);
  CHECK(breaker.acquire_at(at(2 * kSecond)).wait.ns() == kSecond);
  CHECK(breaker.count_at(at(2 * kSecond), BreakerCount::trips) == 2);
}

TEST_CASE("an ignored probe frees its slot and neither closes nor opens") {
  Breaker breaker(consecutive(1, kSecond));
  const backoff::Admission probe = first_probe(breaker, 0, kSecond);
  breaker.record_at(at(kSecond), probe.permit, Outcome::ignored);
  CHECK(breaker.state() == BreakerState::half_open);
  CHECK(breaker.acquire_at(at(kSecond)).admitted());
  CHECK(breaker.count_at(at(kSecond), BreakerCount::ignored) == 1);
}

TEST_CASE("an unreported probe lease expires, so the breaker cannot stay stuck half-open") {
  BreakerConfig config = consecutive(1, kSecond);
  config.set_i64(BreakerParam::permit_lease, 5 * kSecond);
  Breaker breaker(config);
  const backoff::Admission lost = first_probe(breaker, 0, kSecond);
  CHECK_FALSE(breaker.acquire_at(at(6 * kSecond - 1)).admitted());
  const backoff::Admission next = breaker.acquire_at(at(6 * kSecond));
  REQUIRE(next.admitted());
  CHECK(breaker.count_at(at(6 * kSecond), BreakerCount::expired) == 1);
  // The lost holder's late success must not count: its lease was reclaimed.
  breaker.record_at(at(7 * kSecond), lost.permit, Outcome::success);
  CHECK(breaker.state() == BreakerState::half_open);
  CHECK(breaker.count_at(at(7 * kSecond), BreakerCount::stale) == 1);
  breaker.record_at(at(7 * kSecond), next.permit, Outcome::success);
  CHECK(breaker.state() == BreakerState::closed);
}

TEST_CASE("a result from before a trip is stale and cannot re-trip a breaker that closed since") {
  Breaker breaker(consecutive(1, kSecond));
  const backoff::Admission slow_call = breaker.acquire_at(at(0));
  const backoff::Admission probe = first_probe(breaker, 0, kSecond);
  breaker.record_at(at(kSecond), probe.permit, Outcome::success);
  REQUIRE(breaker.state() == BreakerState::closed);
  breaker.record_at(at(2 * kSecond), slow_call.permit, Outcome::failure);
  CHECK(breaker.state() == BreakerState::closed);
  CHECK(breaker.count_at(at(2 * kSecond), BreakerCount::stale) == 1);
  CHECK(breaker.count_at(at(2 * kSecond), BreakerCount::failures) == 1);  // the one that tripped it
}

TEST_CASE("half-open that outlives half_open_max_duration re-opens") {
  BreakerConfig config = consecutive(1, kSecond);
  config.set_i64(BreakerParam::half_open_max_duration, 3 * kSecond);
  config.set_i64(BreakerParam::half_open_probes, 2);
  Breaker breaker(config);
  const backoff::Admission probe = first_probe(breaker, 0, kSecond);
  CHECK(breaker.acquire_at(at(4 * kSecond - 1)).admitted());
  const backoff::Admission late = breaker.acquire_at(at(4 * kSecond));
  CHECK_FALSE(late.admitted());
  CHECK(late.wait.ns() == kSecond);
  CHECK(breaker.state() == BreakerState::open);
  breaker.record_at(at(4 * kSecond), probe.permit, Outcome::success);  // arrives after the period ended
  CHECK(breaker.state() == BreakerState::open);
  const std::vector<BreakerEvent> events = drain(breaker);
  CHECK(events.back().cause == BreakerCause::half_open_timeout);
}

TEST_CASE("a probe result that arrives after half_open_max_duration counts as if half-open had ended on time") {
  BreakerConfig config = consecutive(1, kSecond);
  config.set_i64(BreakerParam::half_open_max_duration, 3 * kSecond);
  Breaker breaker(config);
  const backoff::Admission probe = first_probe(breaker, 0, kSecond);
  breaker.record_at(at(4 * kSecond), probe.permit, Outcome::success);
  CHECK(breaker.state() == BreakerState::open);
  CHECK(breaker.count_at(at(4 * kSecond), BreakerCount::stale) == 1);
}

TEST_CASE("release gives a probe slot back at once, and a closed permit back uncounted") {
  Breaker breaker(consecutive(1, kSecond));
  const backoff::Admission closed_permit = breaker.acquire_at(at(0));
  breaker.release(closed_permit.permit);
  CHECK(breaker.count_at(at(0), BreakerCount::released) == 1);
  CHECK(breaker.state() == BreakerState::closed);
  const backoff::Admission probe = first_probe(breaker, 0, kSecond);
  CHECK_FALSE(breaker.acquire_at(at(kSecond)).admitted());
  breaker.release(probe.permit);
  CHECK(breaker.acquire_at(at(kSecond)).admitted());
  breaker.release(probe.permit);  // twice: the lease is gone
  CHECK(breaker.count_at(at(kSecond), BreakerCount::stale) == 1);
}

TEST_CASE("the count rule trips on failure_threshold failures within a time window, and old ones slide out") {
  BreakerConfig config;
  config.set_i64(BreakerParam::trip, static_cast<std::int64_t>(backoff::TripRule::count));
  config.set_i64(BreakerParam::failure_threshold, 3);
  config.set_i64(BreakerParam::window_duration, 10 * kSecond);
  config.set_i64(BreakerParam::window_buckets, 10);
  Breaker breaker(config);
  fail_at(breaker, 0);
  fail_at(breaker, 5 * kSecond);
  fail_at(breaker, 11 * kSecond + 500 * kMs);  // the failure at 0 s has left the window
  CHECK(breaker.state() == BreakerState::closed);
  CHECK(breaker.count_at(at(11 * kSecond + 500 * kMs), BreakerCount::window_failures) == 2);
  succeed_at(breaker, 12 * kSecond);  // successes do not break a count rule's tally
  fail_at(breaker, 12 * kSecond);
  CHECK(breaker.state() == BreakerState::open);
}

TEST_CASE("closing starts a fresh window: failures from before the trip do not count again") {
  BreakerConfig config;
  config.set_i64(BreakerParam::trip, static_cast<std::int64_t>(backoff::TripRule::count));
  config.set_i64(BreakerParam::failure_threshold, 3);
  config.set_i64(BreakerParam::open_duration, kSecond);
  Breaker breaker(config);
  fail_at(breaker, 0);
  fail_at(breaker, 0);
  fail_at(breaker, 0);
  REQUIRE(breaker.state() == BreakerState::open);
  const backoff::Admission probe = breaker.acquire_at(at(kSecond));
  breaker.record_at(at(kSecond), probe.permit, Outcome::success);
  REQUIRE(breaker.state() == BreakerState::closed);
  fail_at(breaker, kSecond);
  CHECK(breaker.state() == BreakerState::closed);
  CHECK(breaker.count_at(at(kSecond), BreakerCount::window_failures) == 1);
}

TEST_CASE("a count window forgets calls older than its last window_size") {
  BreakerConfig config;
  config.set_i64(BreakerParam::trip, static_cast<std::int64_t>(backoff::TripRule::count));
  config.set_i64(BreakerParam::failure_threshold, 3);
  config.set_i64(BreakerParam::window, static_cast<std::int64_t>(backoff::WindowKind::count));
  config.set_i64(BreakerParam::window_size, 5);
  Breaker breaker(config);
  for (const Outcome outcome : {Outcome::failure, Outcome::failure, Outcome::success, Outcome::success,
                                Outcome::success, Outcome::success, Outcome::failure, Outcome::failure}) {
    const backoff::Admission admission = breaker.acquire_at(at(0));
    breaker.record_at(at(0), admission.permit, outcome);
  }
  // Eight calls, four failures, but only two of them among the last five.
  CHECK(breaker.state() == BreakerState::closed);
  CHECK(breaker.count_at(at(0), BreakerCount::window_calls) == 5);
  fail_at(breaker, 0);
  CHECK(breaker.state() == BreakerState::open);
}

TEST_CASE("the ratio rule waits for min_calls, then trips at failure_ratio") {
  BreakerConfig config;
  config.set_i64(BreakerParam::trip, static_cast<std::int64_t>(backoff::TripRule::ratio));
  config.set_f64(BreakerParam::failure_ratio, 0.5);
  config.set_i64(BreakerParam::min_calls, 6);
  config.set_i64(BreakerParam::window, static_cast<std::int64_t>(backoff::WindowKind::count));
  config.set_i64(BreakerParam::window_size, 10);
  Breaker breaker(config);
  succeed_at(breaker, 0);
  succeed_at(breaker, 0);
  succeed_at(breaker, 0);
  fail_at(breaker, 0);
  fail_at(breaker, 0);
  CHECK(breaker.state() == BreakerState::closed);  // 2 / 5: under min_calls
  fail_at(breaker, 0);
  CHECK(breaker.state() == BreakerState::open);  // 3 / 6
  CHECK(drain(breaker).back().cause == BreakerCause::failure_ratio);
}

TEST_CASE("the ratio rule does not trip below failure_ratio") {
  BreakerConfig config;
  config.set_i64(BreakerParam::trip, static_cast<std::int64_t>(backoff::TripRule::ratio));
  config.set_f64(BreakerParam::failure_ratio, 0.5);
  config.set_i64(BreakerParam::min_calls, 4);
  Breaker breaker(config);
  for (int i = 0; i < 20; ++i) {
    succeed_at(breaker, i * kMs);
    succeed_at(breaker, i * kMs);
    fail_at(breaker, i * kMs);
  }
  CHECK(breaker.state() == BreakerState::closed);
  CHECK(breaker.count_at(at(20 * kMs), BreakerCount::window_failures) == 20);
}

TEST_CASE("slow calls trip the slow-call rule even when they succeed") {
  BreakerConfig config = consecutive(100, kSecond);
  config.set_i64(BreakerParam::slow_call_duration, kSecond);
  config.set_f64(BreakerParam::slow_call_ratio, 0.5);
  config.set_i64(BreakerParam::min_calls, 4);
  Breaker breaker(config);
  succeed_at(breaker, 0, 2 * kSecond);
  succeed_at(breaker, 0, kSecond - 1);
  succeed_at(breaker, 0, kSecond);  // exactly the threshold is slow
  CHECK(breaker.state() == BreakerState::closed);  // under min_calls
  succeed_at(breaker, 0, 10 * kMs);
  succeed_at(breaker, 0, 3 * kSecond);
  CHECK(breaker.state() == BreakerState::open);  // 3 slow of 5
  CHECK(breaker.count_at(at(0), BreakerCount::slow) == 3);
  CHECK(drain(breaker).back().cause == BreakerCause::slow_calls);
}

TEST_CASE("a slow successful probe re-opens when the slow-call rule is on") {
  BreakerConfig config = consecutive(1, kSecond);
  config.set_i64(BreakerParam::slow_call_duration, kSecond);
  Breaker breaker(config);
  const backoff::Admission probe = first_probe(breaker, 0, kSecond);
  breaker.record_at(at(3 * kSecond), probe.permit, Outcome::success, ns(2 * kSecond));
  CHECK(breaker.state() == BreakerState::open);
  CHECK(drain(breaker).back().cause == BreakerCause::probe_failed);
}

TEST_CASE("the open period follows the open policy over repeated trips and starts over after closing") {
  backoff::Config schedule;
  schedule.set_i64(backoff::Param::initial, kSecond);
  schedule.set_f64(backoff::Param::multiplier, 2.0);
  schedule.set_i64(backoff::Param::jitter, static_cast<std::int64_t>(backoff::Jitter::none));
  BreakerConfig config = consecutive(1, 0);
  config.set_open_policy(backoff::Policy(schedule));
  Breaker breaker(config);
  std::int64_t now = 0;
  fail_at(breaker, now);
  for (const std::int64_t expected : {kSecond, 2 * kSecond, 4 * kSecond}) {
    CHECK(breaker.acquire_at(at(now)).wait.ns() == expected);
    now += expected;
    const backoff::Admission probe = breaker.acquire_at(at(now));
    REQUIRE(probe.admitted());
    breaker.record_at(at(now), probe.permit, Outcome::failure);
  }
  now += 8 * kSecond;
  const backoff::Admission probe = breaker.acquire_at(at(now));
  breaker.record_at(at(now), probe.permit, Outcome::success);
  REQUIRE(breaker.state() == BreakerState::closed);
  fail_at(breaker, now);
  CHECK(breaker.acquire_at(at(now)).wait.ns() == kSecond);
}

TEST_CASE("an open policy that can stop is rejected") {
  backoff::Config schedule;
  schedule.set_i64(backoff::Param::max_attempts, 3);
  BreakerConfig config;
  CHECK_THROWS_WITH(config.set_open_policy(backoff::Policy(schedule)),
                    Catch::Contains("open_policy") && Catch::Contains("max_attempts"));
}

TEST_CASE("a server hint keeps the breaker open at least that long, never shorter") {
  Breaker breaker(consecutive(1, 10 * kSecond));
  const backoff::Admission admission = breaker.acquire_at(at(0));
  breaker.record_at(at(0), admission.permit, Outcome::failure, ns(0), ns(30 * kSecond));
  CHECK(breaker.acquire_at(at(0)).wait.ns() == 30 * kSecond);

  Breaker other(consecutive(1, 10 * kSecond));
  const backoff::Admission short_hint = other.acquire_at(at(0));
  other.record_at(at(0), short_hint.permit, Outcome::failure, ns(0), ns(kSecond));
  CHECK(other.acquire_at(at(0)).wait.ns() == 10 * kSecond);
}

TEST_CASE("open periods saturate instead of wrapping near INT64_MAX") {
  Breaker breaker(consecutive(1, backoff::kMaxNs));
  fail_at(breaker, backoff::kMaxNs - 5);
  const backoff::Admission admission = breaker.acquire_at(at(backoff::kMaxNs - 5));
  CHECK_FALSE(admission.admitted());
  CHECK(admission.wait.ns() == 5);
}

TEST_CASE("manual states: isolated rejects, disabled admits and never trips, closed starts afresh") {
  Breaker breaker(consecutive(1, kSecond));
  breaker.transition_to_at(at(0), BreakerState::isolated);
  const backoff::Admission rejected = breaker.acquire_at(at(100 * kSecond));
  CHECK_FALSE(rejected.admitted());
  CHECK(rejected.wait.ns() == backoff::kMaxNs);

  breaker.transition_to_at(at(0), BreakerState::disabled);
  for (int i = 0; i < 5; ++i) fail_at(breaker, 0);
  CHECK(breaker.state() == BreakerState::disabled);
  CHECK(breaker.count_at(at(0), BreakerCount::failures) == 5);
  CHECK(breaker.count_at(at(0), BreakerCount::consecutive_failures) == 0);  // disabled feeds no rule

  const backoff::Admission before_reset = breaker.acquire_at(at(0));
  breaker.transition_to_at(at(0), BreakerState::closed);
  breaker.record_at(at(0), before_reset.permit, Outcome::failure);
  CHECK(breaker.state() == BreakerState::closed);
  CHECK(breaker.count_at(at(0), BreakerCount::stale) == 1);
  const std::vector<BreakerEvent> events = drain(breaker);
  REQUIRE(events.size() == 3);
  for (const BreakerEvent& event : events) CHECK(event.cause == BreakerCause::manual);
}

TEST_CASE("record and release reject permit 0 and negative durations or hints") {
  Breaker breaker(consecutive(1, kSecond));
  const backoff::Admission admission = breaker.acquire_at(at(0));
  CHECK_THROWS_WITH(breaker.record_at(at(0), 0, Outcome::success), Catch::Contains("permit"));
  CHECK_THROWS_WITH(breaker.record_at(at(0), admission.permit, Outcome::success, ns(-1)), Catch::Contains("duration_ns"));
  CHECK_THROWS_WITH(breaker.record_at(at(0), admission.permit, Outcome::failure, ns(0), ns(-1)), Catch::Contains("hint_ns"));
  CHECK_THROWS_WITH(breaker.release(0), Catch::Contains("permit"));
  CHECK(breaker.state() == BreakerState::closed);  // the rejected failure did not count
}

TEST_CASE("a closed breaker with the consecutive rule never reads its clock") {
  std::atomic<int> reads{0};
  const backoff::Clock counting{[](void* user_data) -> std::int64_t {
                                  static_cast<std::atomic<int>*>(user_data)->fetch_add(1);
                                  return 0;
                                },
                                &reads};
  Breaker breaker(consecutive(3, kSecond), counting);
  for (int i = 0; i < 10; ++i) {
    const backoff::Admission admission = breaker.acquire();
    breaker.record(admission.permit, Outcome::success);
  }
  CHECK(reads.load() == 0);
  for (int i = 0; i < 3; ++i) breaker.record(breaker.acquire().permit, Outcome::failure);
  CHECK(reads.load() == 1);  // the trip needs the time to start the open period
}

TEST_CASE("the poll queue keeps the newest 64 events and counts what it drops") {
  Breaker breaker(consecutive(1, kSecond));
  for (int i = 0; i < 70; ++i) breaker.transition_to_at(at(i), i % 2 ? BreakerState::closed : BreakerState::isolated);
  const std::vector<BreakerEvent> events = drain(breaker);
  REQUIRE(events.size() == 64);
  CHECK(events.front().at_ns == 6);
  CHECK(events.back().at_ns == 69);
  CHECK(breaker.count_at(at(0), BreakerCount::events_dropped) == 6);
  CHECK_FALSE(breaker.poll_event().has_value());
}

TEST_CASE("a listener sees every transition in order and may call back into its breaker") {
  Breaker breaker(consecutive(1, kSecond));
  std::vector<BreakerEvent> seen;
  breaker.set_listener([&](const BreakerEvent& event) {
    seen.push_back(event);
    // Re-entry would deadlock if listeners ran under the breaker's lock.
    const backoff::Admission admission = breaker.acquire_at(at(event.at_ns));
    if (admission.admitted()) breaker.release(admission.permit);
    return 0;
  });
  const backoff::Admission probe = first_probe(breaker, 0, kSecond);
  breaker.record_at(at(kSecond), probe.permit, Outcome::success);
  REQUIRE(seen.size() >= 3);
  CHECK(seen[0].state == BreakerState::open);
  CHECK(seen[1].state == BreakerState::half_open);
  CHECK(seen[2].state == BreakerState::closed);
}

TEST_CASE("a listener's non-zero return and exceptions are counted, not propagated") {
  Breaker breaker(consecutive(1, kSecond));
  int calls = 0;
  breaker.set_listener([&](const BreakerEvent&) -> int {
    if (++calls == 1) return 7;
    throw std::runtime_error("listener bug");
  });
  fail_at(breaker, 0);
  CHECK_NOTHROW(breaker.transition_to_at(at(0), BreakerState::closed));
  CHECK(calls == 2);
  CHECK(breaker.count_at(at(0), BreakerCount::listener_errors) == 2);
  breaker.set_listener(nullptr);
  fail_at(breaker, 0);
  CHECK(calls == 2);
}

TEST_CASE("breaker configuration: names, types, domains and cross-checks") {
  CHECK(backoff::param_from_name<backoff::BreakerParam>("half_open_probes") == BreakerParam::half_open_probes);
  for (int id = 0; id < backoff::kBreakerParamCount; ++id) {
    const auto param = static_cast<BreakerParam>(id);
    CHECK(backoff::param_from_name<backoff::BreakerParam>(backoff::param_name(param)) == param);
  }
  CHECK_THROWS_WITH(backoff::param_from_name<backoff::BreakerParam>("threshold"), Catch::Contains("'threshold'"));
  CHECK_THROWS_WITH(backoff::param_from_id<backoff::BreakerParam>(16), Catch::Contains("16"));

  BreakerConfig config;
  CHECK_THROWS_WITH(config.set_f64(BreakerParam::failure_ratio, 0.0), Catch::Contains("failure_ratio"));
  CHECK_THROWS_WITH(config.set_f64(BreakerParam::slow_call_ratio, std::nan("")), Catch::Contains("NaN"));
  CHECK_THROWS_WITH(config.set_i64(BreakerParam::failure_threshold, 0), Catch::Contains("failure_threshold"));
  CHECK_THROWS_WITH(config.set_i64(BreakerParam::half_open_probes, 1025), Catch::Contains("1025"));
  CHECK_THROWS_WITH(config.set_i64(BreakerParam::permit_lease, 0), Catch::Contains("permit_lease"));
  CHECK_THROWS_WITH(config.set_i64(BreakerParam::trip, 3), Catch::Contains("trip"));
  CHECK_THROWS_AS(config.set_f64(BreakerParam::min_calls, 1.0), backoff::Error);
  CHECK_THROWS_AS(config.set_i64(BreakerParam::failure_ratio, 1), backoff::Error);

  config.set_text("open_duration", "1.5s");
  config.set_text("trip", "ratio");
  config.set_text("failure_ratio", "0.25");
  config.set_text("window", "count");
  CHECK(config.get_i64(BreakerParam::open_duration) == 1'500'000'000);
  CHECK(config.get_i64(BreakerParam::trip) == static_cast<std::int64_t>(backoff::TripRule::ratio));
  CHECK(config.get_f64(BreakerParam::failure_ratio) == 0.25);
  CHECK_THROWS_WITH(config.set_text("trip", "sometimes"), Catch::Contains("consecutive"));

  config.set_i64(BreakerParam::window_size, 5);
  config.set_i64(BreakerParam::min_calls, 6);
  CHECK_THROWS_WITH(Breaker(config), Catch::Contains("min_calls") && Catch::Contains("6 > 5"));
}

TEST_CASE("breakers made from equal configurations and clocks share one copy; any difference gets its own") {
  const BreakerConfig config = consecutive(2, kSecond);
  const Breaker first(config);
  const Breaker second(config);
  CHECK(&first.config() == &second.config());  // one shared copy, not one per breaker
  BreakerConfig longer = config;
  longer.set_i64(BreakerParam::open_duration, 2 * kSecond);
  const Breaker third(longer);
  CHECK(third.config().open_duration == ns(2 * kSecond));
  int reads = 0;
  const backoff::Clock counting{[](void* user_data) -> std::int64_t { return ++*static_cast<int*>(user_data); },
                                &reads};
  Breaker clocked(config, counting);
  CHECK(&clocked.config() != &first.config());
  CHECK(first.config().open_duration == ns(kSecond));  // the others keep theirs
  clocked.transition_to(BreakerState::open);
  CHECK(reads == 1);  // the breaker reads its own clock, not the one shared before it
}

TEST_CASE("before its first transition a breaker counts no trips or probes, and a probe permit is stale") {
  Breaker breaker(consecutive(1, kSecond));
  CHECK(breaker.count_at(at(0), BreakerCount::trips) == 0);
  CHECK(breaker.count_at(at(0), BreakerCount::expired) == 0);
  CHECK(breaker.count_at(at(0), BreakerCount::probes_in_flight) == 0);
  // Odd numbers are probe permits; none was ever issued.
  breaker.release(3);
  breaker.record_at(at(0), (std::uint64_t{42} << 11) | 1, Outcome::failure);
  CHECK(breaker.count_at(at(0), BreakerCount::stale) == 2);
  CHECK(breaker.state() == BreakerState::closed);
  fail_at(breaker, 0);  // the first trip makes the locked part, and counts
  CHECK(breaker.state() == BreakerState::open);
  CHECK(breaker.count_at(at(0), BreakerCount::trips) == 1);
}
