package backoff

/*
#include <backoff.h>
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
	handle  *C.backoff_state
	cleanup runtime.Cleanup
}

// NewState starts a state on policy; elapsed time starts now. The state keeps its own copy of the policy.
func NewState(policy *Policy) (*State, error) {
	var handle *C.backoff_state
	err := call(func() C.int { return C.backoff_state_new(&handle, policy.live()) })
	runtime.KeepAlive(policy)
	if err != nil {
		return nil, err
	}
	state := &State{handle: handle}
	state.cleanup = runtime.AddCleanup(state, func(h *C.backoff_state) { C.backoff_state_free(h) }, handle)
	return state, nil
}

// NextBackOff returns the wait before the next retry, or Stop, and counts the attempt.
func (s *State) NextBackOff() time.Duration {
	var out C.int64_t
	// Cannot fail: the handle is live, out is not NULL and a zero hint is valid.
	C.backoff_state_next(s.live(), 0, &out)
	runtime.KeepAlive(s)
	return time.Duration(out)
}

// NextAt is NextBackOff at the time now. hint is a server's Retry-After (0 for none): the delay is at
// least hint and still at most the cap. A negative hint returns an *Error with CodeInvalid.
func (s *State) NextAt(now, hint time.Duration) (time.Duration, error) {
	var out C.int64_t
	err := call(func() C.int { return C.backoff_state_next_at(s.live(), C.int64_t(now), C.int64_t(hint), &out) })
	runtime.KeepAlive(s)
	return time.Duration(out), err
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
	var out C.int64_t
	C.backoff_state_elapsed_at(s.live(), C.int64_t(now), &out)
	runtime.KeepAlive(s)
	return time.Duration(out)
}

// Attempt returns how many delays the state has handed out since the start or the last reset.
func (s *State) Attempt() uint64 {
	var out C.uint64_t
	C.backoff_state_attempt(s.live(), &out)
	runtime.KeepAlive(s)
	return uint64(out)
}

// Close frees the state at once. Closing twice is a no-op.
func (s *State) Close() {
	if s.handle == nil {
		return
	}
	s.cleanup.Stop()
	C.backoff_state_free(s.handle)
	s.handle = nil
}

func (s *State) live() *C.backoff_state {
	if s.handle == nil {
		panic("backoff: State used after Close")
	}
	return s.handle
}
