// What the breaker's test files share: short configurations and one-call helpers at explicit times.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>

#include "backoff/breaker.hpp"
#include "test_time.hpp"

namespace breaker_test {

using backoff_test::at;
using backoff_test::ns;

using backoff::Breaker;
using backoff::BreakerConfig;
using backoff::BreakerCount;
using backoff::BreakerEvent;
using backoff::BreakerParam;
using backoff::BreakerState;
using backoff::Outcome;

using backoff_test::kMs;
using backoff_test::kSecond;

inline BreakerConfig consecutive(std::int64_t threshold, std::int64_t open_ns) {
  BreakerConfig config;
  config.set_i64(BreakerParam::failure_threshold, threshold);
  config.set_i64(BreakerParam::open_duration, open_ns);
  return config;
}

inline void fail_at(Breaker& breaker, std::int64_t now_ns) {
  const backoff::Admission admission = breaker.acquire_at(at(now_ns));
  REQUIRE(admission.admitted());
  breaker.record_at(at(now_ns), admission.permit, Outcome::failure);
}

inline void succeed_at(Breaker& breaker, std::int64_t now_ns, std::int64_t duration_ns = 0) {
  const backoff::Admission admission = breaker.acquire_at(at(now_ns));
  REQUIRE(admission.admitted());
  breaker.record_at(at(now_ns), admission.permit, Outcome::success, ns(duration_ns));
}

}  // namespace breaker_test
