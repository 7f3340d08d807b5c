// Fuzz target: an adaptive limiter (AWS adaptive retry mode), plain or fail-fast, driven by up to 256
// acquires and records (throttled or not, invalid flags too) at times that creep, jump, go backwards or
// sit at the ends of int64, through the `_at` forms and the injected clock. The checks are backoff.h's:
//   - the fill rate is finite and at least 0.5, the capacity finite and at least 1, the measured rate
//     finite and not negative, the tokens in [0, capacity]: no time, however far, makes a NaN or an inf;
//   - acquire answers 0 (a token taken: the tokens drop by 1) or a wait of at least 1 ns (nothing
//     taken); a fail-fast limiter answers that wait with BACKOFF_EBUDGET, a plain one with BACKOFF_OK;
//     until the first throttle every answer is 0;
//   - a throttled flag other than 0 or 1 is refused with BACKOFF_EINVAL and changes nothing.
#define BACKOFF_EXPERIMENTAL /* the limiter is in the experimental tier of backoff.h */
#include <cinttypes>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "backoff.h"
#include "fuzz_check.hpp"
#include "fuzz_input.hpp"
#include "fuzz_time.hpp"

using namespace backoff_fuzz;

namespace {

struct Snapshot {
  double fill_rate, measured_rate, capacity, tokens;
  int enabled;
};

Snapshot read(const backoff_limiter* limiter) {
  Snapshot s{};
  const bool ok = backoff_limiter_fill_rate(&s.fill_rate, limiter) == BACKOFF_OK &&
                  backoff_limiter_measured_rate(&s.measured_rate, limiter) == BACKOFF_OK &&
                  backoff_limiter_capacity(&s.capacity, limiter) == BACKOFF_OK &&
                  backoff_limiter_tokens(&s.tokens, limiter) == BACKOFF_OK &&
                  backoff_limiter_enabled(&s.enabled, limiter) == BACKOFF_OK;
  FUZZ_REQUIRE(ok, "a getter failed: %s", backoff_last_error());
  FUZZ_REQUIRE(std::isfinite(s.fill_rate) && s.fill_rate >= 0.5, "fill rate %g", s.fill_rate);
  FUZZ_REQUIRE(std::isfinite(s.capacity) && s.capacity >= 1, "capacity %g", s.capacity);
  FUZZ_REQUIRE(std::isfinite(s.measured_rate) && s.measured_rate >= 0, "measured rate %g", s.measured_rate);
  FUZZ_REQUIRE(s.tokens >= 0 && s.tokens <= s.capacity, "tokens %g of capacity %g", s.tokens, s.capacity);
  return s;
}

std::int64_t next_time(FuzzInput& input, std::int64_t now) {
  switch (input.below(4)) {
    case 0: return plus(now, input.byte() * 1'000'000);  // creeps, by up to 255 ms
    case 1: return plus(now, std::int64_t{input.byte()} * 1'000'000'000);  // jumps, by up to 255 s
    case 2: return plus(now, -std::int64_t{input.byte()} * 1'000'000);  // goes back
    default: return input.edgy_i64();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput input(data, size);
  const int fail_fast = input.flag() ? 1 : 0;
  FuzzClock clock;
  clock.now_ns = input.edgy_i64();
  backoff_limiter* limiter = nullptr;
  FUZZ_REQUIRE(backoff_limiter_new_with_clock(&limiter, fail_fast, &FuzzClock::read, &clock) == BACKOFF_OK,
               "limiter_new: %s", backoff_last_error());
  std::int64_t now = clock.now_ns, latest = now;
  for (int step = 0; step < 256 && !input.empty(); ++step) {
    now = next_time(input, now);
    const bool on_clock = step_to(input, now, &clock, &latest);
    const Snapshot before = read(limiter);
    if (input.flag()) {
      std::int64_t wait_ns = -1;
      const int status = on_clock ? backoff_limiter_acquire(&wait_ns, limiter)
                                  : backoff_limiter_acquire_at(&wait_ns, limiter, now);
      const Snapshot after = read(limiter);
      if (!before.enabled) {
        FUZZ_REQUIRE(status == BACKOFF_OK && wait_ns == 0, "gating off, yet status %d wait %" PRId64, status, wait_ns);
      } else if (wait_ns == 0) {
        FUZZ_REQUIRE(status == BACKOFF_OK, "a token taken, yet status %d", status);
      } else {
        FUZZ_REQUIRE(wait_ns >= 1 && status == (fail_fast ? BACKOFF_EBUDGET : BACKOFF_OK),
                     "no token: wait %" PRId64 " status %d (fail_fast %d)", wait_ns, status, fail_fast);
        FUZZ_REQUIRE(after.tokens < 1, "told to wait with %g tokens", after.tokens);
      }
    } else {
      const int flag = input.below(8) == 0 ? static_cast<int>(input.edgy_i64()) : input.flag();
      const int status = on_clock ? backoff_limiter_record(limiter, flag) : backoff_limiter_record_at(limiter, now, flag);
      const Snapshot after = read(limiter);
      if (flag != 0 && flag != 1) {
        FUZZ_REQUIRE(status == BACKOFF_EINVAL, "throttled=%d accepted: %d", flag, status);
        FUZZ_REQUIRE(after.fill_rate == before.fill_rate && after.tokens == before.tokens &&
                         after.measured_rate == before.measured_rate && after.enabled == before.enabled,
                     "a refused record changed the limiter");
      } else {
        FUZZ_REQUIRE(status == BACKOFF_OK, "record: %s", backoff_last_error());
        FUZZ_REQUIRE(after.enabled == (before.enabled || flag == 1), "enabled %d after %d", after.enabled, flag);
      }
    }
  }
  backoff_limiter_free(limiter);
  return 0;
}
