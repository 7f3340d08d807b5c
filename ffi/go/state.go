package backoff

/*
#include <backoff.h>

// The hot calls return by value: the address of a Go variable passed to C moves it to the heap, an
// allocation per call. With a live state and non-NULL outs, only a negative hint can fail.
typedef struct { int64_t delay_ns; int status; } next_result;

static next_result state_next_at(backoff_state *state, int64_t now_ns, int64_t hint_ns) {
  next_result result = {0, 0};
  result.status = backoff_state_next_at(&result.delay_ns, state, now_ns, hint_ns);
  return result;
}

static int64_t state_next(backoff_state *state) {
  int64_t delay_ns = 0;
  backoff_state_next(&delay_ns, state, 0);
  return delay_ns;
}

static int64_t state_elapsed_at(const backoff_state *state, int64_t now_ns) {
  int64_t elapsed_ns = 0;
  backoff_state_elapsed_at(&elapsed_ns, state, now_ns);
  return elapsed_ns;
}

static uint64_t state_attempt(const backoff_state *state) {
  uint64_t attempt = 0;
  backoff_state_attempt(&attempt, state);
  return attempt;
}
*/
import "C"

import (
	"runtime"
	"time"
)

// Now returns the library's monotonic clock, the time scale of State's NextAt, ResetAt and ElapsedAt.
func Now() time.Duration { return time.Duration(C.backoff_monotonic_now_ns()) }

// State is the stateful form of a Policy: it counts attempts and measures elapsed time. Like
// cenkalti/backoff's ExponentialBackOff, it belongs to one goroutine at a time.
//
// NextBackOff and Reset read the library's monotonic clock. NextAt, ResetAt and ElapsedAt take the time
// instead, on any scale you choose: use them for simulated time rather than a clock callback.
type State struct {
	owned[*C.backoff_state]
}

// NewState starts a state on policy; elapsed time starts now. The state keeps its own copy of the policy.
func NewState(policy *Policy) (*State, error) {
	var handle *C.backoff_state
	err := call(func() C.int { return C.backoff_state_new(&handle, policy.live()) })
	runtime.KeepAlive(policy)
	if err != nil {
		return nil, err
	}
	state := &State{}
	adopt(state, &state.owned, handle, func(h *C.backoff_state) { C.backoff_state_free(h) }, "State")
	return state, nil
}

// NextBackOff returns the wait before the next retry, or Stop, and counts the attempt.
func (s *State) NextBackOff() time.Duration {
	delay := C.state_next(s.live())
	runtime.KeepAlive(s)
	return time.Duration(delay)
}

// NextAt is NextBackOff at the time now. hint is a server's Retry-After (0 for none): the delay is at
// least hint and still at most the cap. A negative hint returns an *Error with CodeInvalid.
func (s *State) NextAt(now, hint time.Duration) (time.Duration, error) {
	handle := s.live()
	// Only a hint can be rejected; with one, the thread stays locked from the call until its message is
	// read (see call). Without one, the call cannot fail and needs no lock.
	if hint != 0 {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}
	result := C.state_next_at(handle, C.int64_t(now), C.int64_t(hint))
	runtime.KeepAlive(s)
	return time.Duration(result.delay_ns), errorOf(result.status)
}

// Reset starts over: attempt 0, elapsed time measured from now. A seeded state replays its delays.
func (s *State) Reset() {
	C.backoff_state_reset(s.live())
	runtime.KeepAlive(s)
}

// ResetAt is Reset at the time now.
func (s *State) ResetAt(now time.Duration) {
	C.backoff_state_reset_at(s.live(), C.int64_t(now))
	runtime.KeepAlive(s)
}

// ElapsedAt returns the time from the start or the last reset until now; 0 if now is earlier.
func (s *State) ElapsedAt(now time.Duration) time.Duration {
	elapsed := C.state_elapsed_at(s.live(), C.int64_t(now))
	runtime.KeepAlive(s)
	return time.Duration(elapsed)
}

// Attempt returns how many delays the state has handed out since the start or the last reset.
func (s *State) Attempt() uint64 {
	attempt := C.state_attempt(s.live())
	runtime.KeepAlive(s)
	return uint64(attempt)
}

// Close frees the state at once. Closing twice is a no-op.
func (s *State) Close() { s.close() }
