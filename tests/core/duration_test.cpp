// Duration and Instant: the algebra table of duration.hpp, row by row, and the signatures that the types
// make impossible to call with the arguments swapped.
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include <catch2/catch.hpp>

#include "backoff/backoff.hpp"
#include "backoff/duration.hpp"
#include "test_time.hpp"

using backoff_test::kMax;
using backoff_test::kMin;
using backoff::Duration;
using backoff::InfiniteDuration;
using backoff::Instant;
using backoff::milliseconds;
using backoff::nanoseconds;
using backoff::seconds;

// The algebra holds at compile time: the types cost nothing at run time.
static_assert(seconds(2) + milliseconds(500) == seconds(2.5));
static_assert(InfiniteDuration() + seconds(1) == InfiniteDuration());
static_assert((Instant::from_ns(7) + seconds(1)) - Instant::from_ns(7) == seconds(1));
static_assert(sizeof(Duration) == sizeof(std::int64_t) && sizeof(Instant) == sizeof(std::int64_t));
static_assert(std::is_trivially_copyable_v<Duration> && std::is_trivially_copyable_v<Instant>);

// No integer becomes a time by accident, and a clock reading is not a length of time.
static_assert(!std::is_convertible_v<std::int64_t, Duration>);
static_assert(!std::is_convertible_v<std::int64_t, Instant>);
static_assert(!std::is_convertible_v<Duration, Instant> && !std::is_convertible_v<Instant, Duration>);

// Swapping now and hint does not compile, nor do bare nanoseconds.
static_assert(std::is_invocable_v<decltype(&backoff::Backoff::next_at), backoff::Backoff&, Instant, Duration>);
static_assert(!std::is_invocable_v<decltype(&backoff::Backoff::next_at), backoff::Backoff&, Duration, Instant>);
static_assert(!std::is_invocable_v<decltype(&backoff::Backoff::next_at), backoff::Backoff&, std::int64_t,
                                   std::int64_t>);
static_assert(!std::is_invocable_v<decltype(&backoff::Backoff::elapsed_at), const backoff::Backoff&, Duration>);

TEST_CASE("a sum past the longest duration stays infinite") {
  CHECK(InfiniteDuration() + seconds(1) == InfiniteDuration());
  CHECK(seconds(1) + InfiniteDuration() == InfiniteDuration());
  CHECK(nanoseconds(kMax - 1) + nanoseconds(2) == InfiniteDuration());
  CHECK(InfiniteDuration() - seconds(-1) == InfiniteDuration());
  CHECK(nanoseconds(kMax - 1) + nanoseconds(1) == nanoseconds(kMax));  // exactly fits
}

TEST_CASE("a difference below the shortest duration stays at minus infinity") {
  CHECK(-InfiniteDuration() - seconds(1) == nanoseconds(kMin));
  CHECK(nanoseconds(kMin) - nanoseconds(1) == nanoseconds(kMin));
  CHECK(nanoseconds(kMin) + nanoseconds(-1) == nanoseconds(kMin));
  CHECK(nanoseconds(kMin + 1) - nanoseconds(1) == nanoseconds(kMin));  // exactly fits
}

TEST_CASE("negating the shortest duration gives the longest") {
  CHECK(-nanoseconds(kMin) == InfiniteDuration());
  CHECK(-(-InfiniteDuration()) == InfiniteDuration());
  CHECK(-seconds(3) == seconds(-3));
}

TEST_CASE("multiplying past the longest duration saturates with the sign of the product") {
  CHECK(seconds(1) * kMax == InfiniteDuration());
  CHECK(seconds(-1) * kMax == nanoseconds(kMin));
  CHECK(seconds(-1) * kMin == InfiniteDuration());
  CHECK(seconds(1) * std::numeric_limits<std::uint64_t>::max() == InfiniteDuration());
  CHECK(seconds(kMax) == InfiniteDuration());
  CHECK(milliseconds(-kMax) == nanoseconds(kMin));
  CHECK(milliseconds(3) * 4 == milliseconds(12));
  CHECK(4 * milliseconds(3) == milliseconds(12));
}

TEST_CASE("multiplying by a double rounds to the nearest nanosecond and saturates") {
  CHECK(milliseconds(100) * 2.5 == milliseconds(250));
  CHECK(nanoseconds(3) * 0.5 == nanoseconds(2));    // 1.5 rounds away from zero
  CHECK(nanoseconds(-3) * 0.5 == nanoseconds(-2));
  CHECK(nanoseconds(1) * 0.49999999999999994 == Duration());
  CHECK(seconds(1) * 1e300 == InfiniteDuration());
  CHECK(seconds(1) * -1e300 == nanoseconds(kMin));
  CHECK(seconds(1) * std::numeric_limits<double>::infinity() == InfiniteDuration());
  CHECK(seconds(1) * std::numeric_limits<double>::quiet_NaN() == Duration());
  CHECK(nanoseconds((std::int64_t{1} << 52) + 1) * 1.0 == nanoseconds((std::int64_t{1} << 52) + 1));
}

TEST_CASE("seconds from a double round, saturate, and read NaN as zero") {
  CHECK(seconds(1.5) == milliseconds(1500));
  CHECK(seconds(-0.25) == milliseconds(-250));
  CHECK(seconds(1e12) == InfiniteDuration());
  CHECK(seconds(-std::numeric_limits<double>::infinity()) == nanoseconds(kMin));
  CHECK(seconds(std::numeric_limits<double>::quiet_NaN()) == Duration());
}

TEST_CASE("dividing by zero saturates with the sign of the dividend") {
  CHECK(seconds(1) / 0 == InfiniteDuration());
  CHECK(seconds(-1) / 0 == nanoseconds(kMin));
  CHECK(Duration() / 0 == Duration());
  CHECK(seconds(1) / Duration() == kMax);
  CHECK(seconds(-1) / Duration() == kMin);
}

TEST_CASE("dividing truncates toward zero, and the one overflowing quotient saturates") {
  CHECK(seconds(3) / seconds(2) == 1);
  CHECK(seconds(-3) / seconds(2) == -1);
  CHECK(seconds(3) / 2 == milliseconds(1500));
  CHECK(nanoseconds(kMin) / -1 == InfiniteDuration());
  CHECK(nanoseconds(kMin) / nanoseconds(-1) == kMax);
}

TEST_CASE("the shorter and the longer of two durations, and negatives raised to zero") {
  CHECK(backoff::min(seconds(1), seconds(2)) == seconds(1));
  CHECK(backoff::max(seconds(1), seconds(2)) == seconds(2));
  CHECK(backoff::non_negative(seconds(-1)) == Duration());
  CHECK(backoff::non_negative(seconds(1)) == seconds(1));
}

TEST_CASE("an instant moved past the end of the clock's scale stays at the end") {
  CHECK(Instant::from_ns(kMax) + seconds(1) == Instant::from_ns(kMax));
  CHECK(Instant::from_ns(kMin) - seconds(1) == Instant::from_ns(kMin));
  CHECK(seconds(2) + Instant::from_ns(5) == Instant::from_ns(2'000'000'005));
}

TEST_CASE("the time between two readings is signed and saturates") {
  const Instant earlier = Instant::from_ns(10);
  const Instant later = earlier + seconds(1);
  CHECK(later - earlier == seconds(1));
  CHECK(earlier - later == seconds(-1));  // the clock went backwards: the caller decides what that means
  CHECK(Instant::from_ns(kMax) - Instant::from_ns(-1) == InfiniteDuration());
  CHECK(Instant::from_ns(kMin) - Instant::from_ns(1) == nanoseconds(kMin));
  CHECK(earlier < later);
  CHECK(later >= earlier);
}
