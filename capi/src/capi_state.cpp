// The state handle: the stateful next() / reset() form, on the monotonic clock or an injected one.
#include "capi_internal.hpp"

extern "C" {

int backoff_state_new(backoff_state** out, const backoff_policy* policy) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(policy);
  return guarded([&] { *out = new backoff_state{backoff::SharedBackoff(policy->shared)}; });
}

int backoff_state_new_with_clock(backoff_state** out, const backoff_policy* policy, backoff_clock_fn clock,
                                 void* user_data) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(policy);
  BACKOFF_REQUIRE(clock);
  return guarded([&] { *out = new backoff_state{backoff::SharedBackoff(policy->shared, {clock, user_data})}; });
}

void backoff_state_free(backoff_state* state) { delete state; }

// A negative hint throws in the core.
int backoff_state_next(int64_t* out_ns, backoff_state* state, int64_t hint_ns) {
  BACKOFF_READ(out_ns, state, c_ns(state->state.next(for_ns(hint_ns))));
}

int backoff_state_next_at(int64_t* out_ns, backoff_state* state, int64_t now_ns, int64_t hint_ns) {
  BACKOFF_READ(out_ns, state, c_ns(state->state.next_at(at_ns(now_ns), for_ns(hint_ns))));
}

int backoff_state_reset(backoff_state* state) { BACKOFF_CALL(state, state->state.reset()); }

int backoff_state_reset_at(backoff_state* state, int64_t now_ns) {
  BACKOFF_CALL(state, state->state.reset_at(at_ns(now_ns)));
}

int backoff_state_elapsed(int64_t* out_ns, const backoff_state* state) {
  BACKOFF_READ(out_ns, state, c_ns(state->state.elapsed()));
}

int backoff_state_elapsed_at(int64_t* out_ns, const backoff_state* state, int64_t now_ns) {
  BACKOFF_READ(out_ns, state, c_ns(state->state.elapsed_at(at_ns(now_ns))));
}

int backoff_state_attempt(uint64_t* out, const backoff_state* state) {
  BACKOFF_READ(out, state, state->state.attempt());
}

}
