// Duration and Instant: time as types, so that a length of time and a clock reading cannot be swapped.
//
// A Duration is a signed count of nanoseconds; an Instant is a reading of a monotonic clock (nanoseconds
// on an arbitrary scale, as backoff_monotonic_now_ns()). Both hold one int64, are constexpr and compile to
// the same code as the int64 they wrap. Neither converts from a bare integer: a call such as
// `next_at(hint, now)` with the arguments the wrong way round does not compile.
//
// Every operation saturates: a result that does not fit clamps to InfiniteDuration() (INT64_MAX ns) or to
// -InfiniteDuration() (INT64_MIN ns), never wraps. abseil's absl::Duration is the model. The policy's
// inner arithmetic, on non-negative int64 nanoseconds only, keeps the cheaper helpers of saturating.hpp.
//
//   InfiniteDuration() + seconds(1)                 -> InfiniteDuration()
//   -InfiniteDuration() - seconds(1)                -> -InfiniteDuration()
//   -(-InfiniteDuration())                          -> InfiniteDuration()
//   seconds(1) * (INT64_MAX)                        -> InfiniteDuration()
//   seconds(-1) * (INT64_MAX)                       -> -InfiniteDuration()
//   milliseconds(100) * 2.5                         -> milliseconds(250)
//   seconds(1) * 1e300                              -> InfiniteDuration()
//   seconds(1) * NaN, seconds(NaN)                  -> Duration()  (0; callers validate before)
//   seconds(1) / 0                                  -> InfiniteDuration()
//   seconds(-1) / 0                                 -> -InfiniteDuration()
//   seconds(3) / seconds(2)                         -> 1           (truncates, as int64 division)
//   seconds(1) / Duration()                         -> INT64_MAX
//   Instant::from_ns(INT64_MAX) + seconds(1)        -> Instant::from_ns(INT64_MAX)
//   Instant::from_ns(INT64_MAX) - Instant::from_ns(-1) -> InfiniteDuration()
//   later - earlier                                 -> positive; earlier - later -> negative (no clamping
//                                                      at 0: the callers that need "0 if the clock went
//                                                      backwards" say so with non_negative())
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "backoff/saturating.hpp"

namespace backoff {

// The six comparisons of a type that wraps one int64 count, ns(), written once for Duration and Instant.
// Hidden friends of a base: found by argument-dependent lookup only, so nothing else converts into them.
template <typename Time>
struct OrderedByNs {
  friend constexpr bool operator==(Time a, Time b) noexcept { return a.ns() == b.ns(); }
  friend constexpr bool operator!=(Time a, Time b) noexcept { return a.ns() != b.ns(); }
  friend constexpr bool operator<(Time a, Time b) noexcept { return a.ns() < b.ns(); }
  friend constexpr bool operator<=(Time a, Time b) noexcept { return a.ns() <= b.ns(); }
  friend constexpr bool operator>(Time a, Time b) noexcept { return a.ns() > b.ns(); }
  friend constexpr bool operator>=(Time a, Time b) noexcept { return a.ns() >= b.ns(); }
};

class Duration : public OrderedByNs<Duration> {
 public:
  // The zero duration.
  constexpr Duration() noexcept = default;

  // `ns` nanoseconds. Explicit, and named, so that no integer becomes a Duration by accident.
  static constexpr Duration from_ns(std::int64_t ns) noexcept { return Duration(ns); }

  // The count of nanoseconds; INT64_MAX for InfiniteDuration().
  constexpr std::int64_t ns() const noexcept { return ns_; }

  constexpr Duration operator-() const noexcept { return Duration(ns_ == kMin ? kMax : -ns_); }

  friend constexpr Duration operator+(Duration a, Duration b) noexcept {
    std::int64_t sum = 0;
    // An overflow can only happen when both have the sign of b: clamp on that side.
    return Duration(__builtin_add_overflow(a.ns_, b.ns_, &sum) ? (b.ns_ > 0 ? kMax : kMin) : sum);
  }
  friend constexpr Duration operator-(Duration a, Duration b) noexcept {
    std::int64_t difference = 0;
    return Duration(__builtin_sub_overflow(a.ns_, b.ns_, &difference) ? (b.ns_ < 0 ? kMax : kMin)
                                                                      : difference);
  }
  // By any integer type (a template, so that `d * 2` does not weigh int64 against double).
  template <typename Int, std::enable_if_t<std::is_integral_v<Int>, int> = 0>
  friend constexpr Duration operator*(Duration a, Int n) noexcept {
    std::int64_t product = 0;
    if (!__builtin_mul_overflow(a.ns_, n, &product)) return Duration(product);
    bool negative_factor = false;
    if constexpr (std::is_signed_v<Int>) negative_factor = n < 0;
    return Duration((a.ns_ < 0) != negative_factor ? kMin : kMax);
  }
  template <typename Int, std::enable_if_t<std::is_integral_v<Int>, int> = 0>
  friend constexpr Duration operator*(Int n, Duration a) noexcept { return a * n; }
  // Rounded to the nearest nanosecond (halves away from zero).
  friend constexpr Duration operator*(Duration a, double factor) noexcept {
    return Duration(saturating_round(static_cast<double>(a.ns_) * factor));
  }
  friend constexpr Duration operator*(double factor, Duration a) noexcept { return a * factor; }
  // Truncates toward zero; by zero saturates to the sign of a (zero / 0 is zero).
  friend constexpr Duration operator/(Duration a, std::int64_t n) noexcept {
    if (n == 0) return Duration(a.ns_ > 0 ? kMax : a.ns_ < 0 ? kMin : 0);
    if (n == -1) return -a;  // INT64_MIN / -1 does not fit
    return Duration(a.ns_ / n);
  }
  // How many whole b fit in a, truncated toward zero; by zero saturates like Duration / 0.
  friend constexpr std::int64_t operator/(Duration a, Duration b) noexcept {
    if (b.ns_ == 0) return a.ns_ > 0 ? kMax : a.ns_ < 0 ? kMin : 0;
    if (b.ns_ == -1) return (-a).ns_;
    return a.ns_ / b.ns_;
  }

  Duration& operator+=(Duration d) noexcept { return *this = *this + d; }
  Duration& operator-=(Duration d) noexcept { return *this = *this - d; }

 private:
  static constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  static constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

  constexpr explicit Duration(std::int64_t ns) noexcept : ns_(ns) {}

  std::int64_t ns_ = 0;
};

// The longest duration; every sum that would pass it stays at it. Its negation is the shortest.
constexpr Duration InfiniteDuration() noexcept { return Duration::from_ns(std::numeric_limits<std::int64_t>::max()); }

// Factories. The integer forms saturate (seconds(INT64_MAX) is InfiniteDuration()); the double form
// rounds to the nearest nanosecond and saturates, NaN giving 0.
// The integer forms are templates so that seconds(1) does not weigh int64 against double.
template <typename Int, std::enable_if_t<std::is_integral_v<Int>, int> = 0>
constexpr Duration nanoseconds(Int n) noexcept { return Duration::from_ns(1) * n; }
template <typename Int, std::enable_if_t<std::is_integral_v<Int>, int> = 0>
constexpr Duration microseconds(Int n) noexcept { return Duration::from_ns(1'000) * n; }
template <typename Int, std::enable_if_t<std::is_integral_v<Int>, int> = 0>
constexpr Duration milliseconds(Int n) noexcept { return Duration::from_ns(1'000'000) * n; }
template <typename Int, std::enable_if_t<std::is_integral_v<Int>, int> = 0>
constexpr Duration seconds(Int n) noexcept { return Duration::from_ns(1'000'000'000) * n; }
constexpr Duration seconds(double s) noexcept { return Duration::from_ns(saturating_round(s * 1e9)); }

// The longer or the shorter of two durations, and a duration below zero raised to zero: a clock handed in
// by a user may go backwards, and a negative elapsed time would extend every limit measured against it.
constexpr Duration max(Duration a, Duration b) noexcept { return a < b ? b : a; }
constexpr Duration min(Duration a, Duration b) noexcept { return b < a ? b : a; }
constexpr Duration non_negative(Duration d) noexcept { return max(d, Duration()); }

// A reading of a monotonic clock. Only differences between two readings of the same clock mean anything.
class Instant : public OrderedByNs<Instant> {
 public:
  // The reading 0 on the clock's scale.
  constexpr Instant() noexcept = default;

  static constexpr Instant from_ns(std::int64_t ns) noexcept { return Instant(Duration::from_ns(ns)); }
  constexpr std::int64_t ns() const noexcept { return since_zero_.ns(); }

  friend constexpr Instant operator+(Instant t, Duration d) noexcept { return Instant(t.since_zero_ + d); }
  friend constexpr Instant operator+(Duration d, Instant t) noexcept { return t + d; }
  friend constexpr Instant operator-(Instant t, Duration d) noexcept { return Instant(t.since_zero_ - d); }
  friend constexpr Duration operator-(Instant later, Instant earlier) noexcept {
    return later.since_zero_ - earlier.since_zero_;
  }
  Instant& operator+=(Duration d) noexcept { return *this = *this + d; }

 private:
  constexpr explicit Instant(Duration since_zero) noexcept : since_zero_(since_zero) {}

  Duration since_zero_;
};

}  // namespace backoff
