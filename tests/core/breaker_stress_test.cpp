// Breakers under threads: listeners replaced while running, and stress tests with threads hammering one
// breaker (half-open never admits more than half_open_probes, no permit leaks, counts add up).
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "backoff/breaker.hpp"
#include "breaker_test_support.hpp"
#include "run_threads.hpp"

using namespace breaker_test;

TEST_CASE("set_listener waits for a listener running on another thread") {
  Breaker breaker(consecutive(1, kSecond));
  std::atomic<bool> entered{false}, release{false}, replaced{false};
  std::atomic<bool> replaced_while_running{false};
  breaker.set_listener([&](const BreakerEvent&) {
    entered = true;
    while (!release) std::this_thread::yield();
    replaced_while_running = replaced.load();
    return 0;
  });
  std::thread tripper([&] { fail_at(breaker, 0); });
  // Bounded waits: a broken breaker must fail this test, not hang it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!entered && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  CHECK(entered.load());
  std::thread replacer([&] {
    breaker.set_listener(nullptr);
    replaced = true;
  });
  // Give the replacer every chance to return early if it were going to.
  for (int i = 0; i < 1000 && !replaced; ++i) std::this_thread::yield();
  release = true;
  tripper.join();
  replacer.join();
  CHECK_FALSE(replaced_while_running.load());
  CHECK(replaced.load());
}

TEST_CASE("stress: concurrent calls on a closed breaker lose no count") {
  BreakerConfig config = consecutive(1'000'000'000, kSecond);
  Breaker breaker(config);
  constexpr int kThreads = 4, kCalls = 50'000;
  run_threads(kThreads, [&](int t) {
    for (int i = 0; i < kCalls; ++i) {
      const backoff::Admission admission = breaker.acquire_at(at(0));
      switch ((i + t) % 4) {
        case 0: breaker.record_at(at(0), admission.permit, Outcome::success); break;
        case 1: breaker.record_at(at(0), admission.permit, Outcome::failure); break;
        case 2: breaker.record_at(at(0), admission.permit, Outcome::ignored); break;
        default: breaker.release(admission.permit); break;
      }
    }
  });
  const std::uint64_t each = kThreads * kCalls / 4;
  CHECK(breaker.count_at(at(0), BreakerCount::admitted) == kThreads * kCalls);
  CHECK(breaker.count_at(at(0), BreakerCount::successes) == each);
  CHECK(breaker.count_at(at(0), BreakerCount::failures) == each);
  CHECK(breaker.count_at(at(0), BreakerCount::ignored) == each);
  CHECK(breaker.count_at(at(0), BreakerCount::released) == each);
}

TEST_CASE("stress: failures racing past the threshold trip the breaker exactly once") {
  Breaker breaker(consecutive(10, 1000 * kSecond));
  constexpr int kThreads = 4, kCalls = 10'000;
  run_threads(kThreads, [&](int) {
    for (int i = 0; i < kCalls; ++i) {
      const backoff::Admission admission = breaker.acquire_at(at(0));
      if (admission.admitted()) breaker.record_at(at(0), admission.permit, Outcome::failure);
    }
  });
  CHECK(breaker.count_at(at(0), BreakerCount::trips) == 1);
  const std::uint64_t admitted = breaker.count_at(at(0), BreakerCount::admitted);
  CHECK(admitted + breaker.count_at(at(0), BreakerCount::rejected) == kThreads * kCalls);
  CHECK(admitted == breaker.count_at(at(0), BreakerCount::failures) + breaker.count_at(at(0), BreakerCount::stale));
}

TEST_CASE("stress: half-open never admits more than half_open_probes calls at once") {
  constexpr std::int64_t kProbes = 3;
  BreakerConfig config = consecutive(1, kSecond);
  config.set_i64(BreakerParam::half_open_probes, kProbes);
  config.set_i64(BreakerParam::half_open_successes, 1'000'000'000);
  Breaker breaker(config);
  breaker.transition_to_at(at(0), BreakerState::half_open);
  std::atomic<std::int64_t> in_flight{0}, most{0};
  constexpr int kThreads = 4, kCalls = 20'000;
  run_threads(kThreads, [&](int t) {
    for (int i = 0; i < kCalls; ++i) {
      const backoff::Admission admission = breaker.acquire_at(at(0));
      if (!admission.admitted()) continue;
      const std::int64_t now_in = in_flight.fetch_add(1) + 1;
      std::int64_t seen = most.load();
      while (now_in > seen && !most.compare_exchange_weak(seen, now_in)) {
      }
      in_flight.fetch_sub(1);
      if ((i + t) % 2) {
        breaker.record_at(at(0), admission.permit, Outcome::success);
      } else {
        breaker.release(admission.permit);
      }
    }
  });
  CHECK(most.load() <= kProbes);
  CHECK(most.load() >= 1);
  CHECK(breaker.state() == BreakerState::half_open);
  CHECK(breaker.count_at(at(0), BreakerCount::probes_in_flight) == 0);
  CHECK(breaker.count_at(at(0), BreakerCount::admitted) ==
        breaker.count_at(at(0), BreakerCount::successes) + breaker.count_at(at(0), BreakerCount::released));
}

TEST_CASE("stress: random traffic through every state leaks no permit and keeps events consistent") {
  BreakerConfig config;
  config.set_i64(BreakerParam::trip, static_cast<std::int64_t>(backoff::TripRule::ratio));
  config.set_i64(BreakerParam::min_calls, 5);
  config.set_i64(BreakerParam::window_duration, 100 * kMs);
  config.set_i64(BreakerParam::open_duration, 5 * kMs);
  config.set_i64(BreakerParam::half_open_probes, 2);
  config.set_i64(BreakerParam::half_open_successes, 2);
  config.set_i64(BreakerParam::permit_lease, kMs);
  Breaker breaker(config);
  std::vector<BreakerEvent> seen;  // the listener is never run concurrently with itself
  breaker.set_listener([&](const BreakerEvent& event) {
    seen.push_back(event);
    return 0;
  });
  std::atomic<std::int64_t> clock{0};
  constexpr int kThreads = 4, kCalls = 40'000;
  run_threads(kThreads, [&](int t) {
    std::mt19937 random(static_cast<unsigned>(t));
    for (int i = 0; i < kCalls; ++i) {
      const std::int64_t now = clock.fetch_add(1000);  // 1 us per call
      const backoff::Admission admission = breaker.acquire_at(at(now));
      if (!admission.admitted()) continue;
      const auto roll = static_cast<unsigned>(random() % 100);
      // Failures come in waves so that the breaker keeps tripping and recovering.
      const bool bad_phase = (now / (20 * kMs)) % 2 == 0;
      if (roll < 5) {
        breaker.release(admission.permit);
      } else if (roll < 10) {
        breaker.record_at(at(now), admission.permit, Outcome::ignored);
      } else {
        breaker.record_at(at(now), admission.permit, roll < (bad_phase ? 80u : 15u) ? Outcome::failure : Outcome::success);
      }
    }
  });
  const auto count = [&](BreakerCount which) { return breaker.count_at(at(clock.load()), which); };
  CHECK(count(BreakerCount::admitted) == count(BreakerCount::successes) + count(BreakerCount::failures) +
                                             count(BreakerCount::ignored) + count(BreakerCount::released) +
                                             count(BreakerCount::stale));
  CHECK(count(BreakerCount::trips) >= 2);
  REQUIRE(seen.size() >= 2);
  for (std::size_t i = 1; i < seen.size(); ++i) {
    CHECK(seen[i].previous == seen[i - 1].state);
  }
  CHECK(count(BreakerCount::listener_errors) == 0);
}
