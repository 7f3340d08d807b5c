// The state handle: the stateful next() / reset() form, on the monotonic clock or an injected one.
#include "capi_internal.hpp"

using backoff::capi::guarded;

namespace {

// Cold and out of line: next() runs once per retry, and an error path inlined into it made the compiler
// save registers on every call.
#if defined(__GNUC__)
__attribute__((cold, noinline))
#endif
int reject_negative_hint(int64_t hint_ns) {
  return backoff::capi::guarded([&] {
    backoff::throw_invalid("hint_ns", "must not be negative", std::to_string(hint_ns) + " ns");
  });
}

}  // namespace

extern "C" {

int backoff_state_new(backoff_state** out, const backoff_policy* policy) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(policy);
  return guarded([&] { *out = new backoff_state{backoff::Backoff(policy->policy)}; });
}

int backoff_state_new_with_clock(backoff_state** out, const backoff_policy* policy, backoff_clock_fn clock,
                                 void* user_data) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(policy);
  BACKOFF_REQUIRE(clock);
  return guarded([&] { *out = new backoff_state{backoff::Backoff(policy->policy, {clock, user_data})}; });
}

void backoff_state_free(backoff_state* state) { delete state; }

int backoff_state_next(backoff_state* state, int64_t hint_ns, int64_t* out_ns) {
  BACKOFF_REQUIRE(state);
  BACKOFF_REQUIRE(out_ns);
  if (hint_ns < 0) return reject_negative_hint(hint_ns);
  *out_ns = state->state.next(hint_ns);
  return BACKOFF_OK;
}

int backoff_state_next_at(backoff_state* state, int64_t now_ns, int64_t hint_ns, int64_t* out_ns) {
  BACKOFF_REQUIRE(state);
  BACKOFF_REQUIRE(out_ns);
  if (hint_ns < 0) return reject_negative_hint(hint_ns);
  *out_ns = state->state.next_at(now_ns, hint_ns);
  return BACKOFF_OK;
}

int backoff_state_reset(backoff_state* state) {
  BACKOFF_REQUIRE(state);
  state->state.reset();
  return BACKOFF_OK;
}

int backoff_state_reset_at(backoff_state* state, int64_t now_ns) {
  BACKOFF_REQUIRE(state);
  state->state.reset_at(now_ns);
  return BACKOFF_OK;
}

int backoff_state_elapsed(const backoff_state* state, int64_t* out_ns) {
  BACKOFF_REQUIRE(state);
  BACKOFF_REQUIRE(out_ns);
  *out_ns = state->state.elapsed();
  return BACKOFF_OK;
}

int backoff_state_elapsed_at(const backoff_state* state, int64_t now_ns, int64_t* out_ns) {
  BACKOFF_REQUIRE(state);
  BACKOFF_REQUIRE(out_ns);
  *out_ns = state->state.elapsed_at(now_ns);
  return BACKOFF_OK;
}

int backoff_state_attempt(const backoff_state* state, uint64_t* out) {
  BACKOFF_REQUIRE(state);
  BACKOFF_REQUIRE(out);
  *out = state->state.attempt();
  return BACKOFF_OK;
}

}
