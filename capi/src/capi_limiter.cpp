// The adaptive limiter handle (AWS adaptive retry mode): creation, the two steps of an attempt, its state.
#include <memory>

#include "capi_internal.hpp"

namespace {

std::shared_ptr<backoff::AdaptiveLimiter> make_limiter(int fail_fast, backoff::Clock clock) {
  return std::make_shared<backoff::AdaptiveLimiter>(
      backoff::LimiterConfig{backoff::LimiterConfig::flag(fail_fast, "fail_fast")}, clock);
}

int acquire_status(backoff::Duration wait, const backoff_limiter* limiter, int64_t* out_wait_ns) {
  *out_wait_ns = c_ns(wait);
  return wait > backoff::Duration() && limiter->limiter->config().fail_fast ? BACKOFF_EBUDGET : BACKOFF_OK;
}

bool throttled_flag(int throttled) { return backoff::LimiterConfig::flag(throttled, "throttled"); }

}  // namespace

extern "C" {

int backoff_limiter_new(backoff_limiter** out, int fail_fast) {
  BACKOFF_REQUIRE(out);
  return guarded([&] { *out = new backoff_limiter{make_limiter(fail_fast, backoff::Clock{})}; });
}

int backoff_limiter_new_with_clock(backoff_limiter** out, int fail_fast, backoff_clock_fn clock, void* user_data) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(clock);
  return guarded([&] { *out = new backoff_limiter{make_limiter(fail_fast, backoff::Clock{clock, user_data})}; });
}

void backoff_limiter_free(backoff_limiter* limiter) { delete limiter; }

int backoff_limiter_acquire(int64_t* out_wait_ns, backoff_limiter* limiter) {
  BACKOFF_REQUIRE(out_wait_ns);
  BACKOFF_CALL(limiter, return acquire_status(limiter->limiter->acquire(), limiter, out_wait_ns));
}

int backoff_limiter_acquire_at(int64_t* out_wait_ns, backoff_limiter* limiter, int64_t now_ns) {
  BACKOFF_REQUIRE(out_wait_ns);
  BACKOFF_CALL(limiter, return acquire_status(limiter->limiter->acquire_at(at_ns(now_ns)), limiter, out_wait_ns));
}

int backoff_limiter_record(backoff_limiter* limiter, int throttled) {
  BACKOFF_CALL(limiter, limiter->limiter->record(throttled_flag(throttled)));
}

int backoff_limiter_record_at(backoff_limiter* limiter, int64_t now_ns, int throttled) {
  BACKOFF_CALL(limiter, limiter->limiter->record_at(at_ns(now_ns), throttled_flag(throttled)));
}

int backoff_limiter_fill_rate(double* out, const backoff_limiter* limiter) {
  BACKOFF_READ(out, limiter, limiter->limiter->state().fill_rate);
}

int backoff_limiter_measured_rate(double* out, const backoff_limiter* limiter) {
  BACKOFF_READ(out, limiter, limiter->limiter->state().measured_rate);
}

int backoff_limiter_capacity(double* out, const backoff_limiter* limiter) {
  BACKOFF_READ(out, limiter, limiter->limiter->state().capacity);
}

int backoff_limiter_tokens(double* out, const backoff_limiter* limiter) {
  BACKOFF_READ(out, limiter, limiter->limiter->state().tokens);
}

int backoff_limiter_enabled(int* out, const backoff_limiter* limiter) {
  BACKOFF_READ(out, limiter, limiter->limiter->state().enabled ? 1 : 0);
}

}
