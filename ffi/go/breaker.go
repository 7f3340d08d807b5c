package backoff

/*
#include <backoff.h>

typedef struct { uint64_t permit; int64_t wait_ns; int status; } acquired;

// By value, in one cgo call: see retrier.go.
static acquired breaker_acquire(backoff_breaker *breaker) {
  acquired result = {0, 0, 0};
  result.status = backoff_breaker_acquire(&result.permit, &result.wait_ns, breaker);
  return result;
}

static int breaker_state(const backoff_breaker *breaker) {
  int state = BACKOFF_BREAKER_NONE;
  backoff_breaker_get_state(&state, breaker);
  return state;
}
*/
import "C"

import (
	"errors"
	"runtime"
	"time"
	"unsafe"
)

// BreakerOption sets one parameter of NewCircuitBreaker; the library validates each value.
type BreakerOption struct {
	apply setting
}

func breakerInt(param C.int, value int64) BreakerOption {
	return BreakerOption{breakerFamily.int(param, value)}
}

// The common parameters, typed; BreakerSetting reaches every one by the library's name. Each sets the
// parameter of backoff.h's breaker table named in its comment, where its default and domain are.

// WithTripRule sets trip: what trips a closed breaker.
func WithTripRule(rule TripRule) BreakerOption {
	return breakerInt(C.BACKOFF_BREAKER_PARAM_TRIP, int64(rule))
}

// WithFailureThreshold sets failure_threshold: failures in a row (or within the window) that trip it.
func WithFailureThreshold(n int64) BreakerOption {
	return breakerInt(C.BACKOFF_BREAKER_PARAM_FAILURE_THRESHOLD, n)
}

// WithFailureRatio sets failure_ratio, for TripRatio.
func WithFailureRatio(ratio float64) BreakerOption {
	return BreakerOption{breakerFamily.real(C.BACKOFF_BREAKER_PARAM_FAILURE_RATIO, ratio)}
}

// WithOpenDuration sets open_duration: how long it refuses calls after a trip.
func WithOpenDuration(d time.Duration) BreakerOption {
	return breakerInt(C.BACKOFF_BREAKER_PARAM_OPEN_DURATION_NS, int64(d))
}

// WithHalfOpenProbes sets half_open_probes: calls admitted at a time once the open period is over.
func WithHalfOpenProbes(n int64) BreakerOption {
	return breakerInt(C.BACKOFF_BREAKER_PARAM_HALF_OPEN_PROBES, n)
}

// WithSlowCallDuration sets slow_call_duration: calls at least this long count as slow (0: none do).
func WithSlowCallDuration(d time.Duration) BreakerOption {
	return breakerInt(C.BACKOFF_BREAKER_PARAM_SLOW_CALL_DURATION_NS, int64(d))
}

// BreakerSetting sets any breaker parameter from text by its name: BreakerSetting("window", "count").
func BreakerSetting(name, value string) BreakerOption {
	return BreakerOption{breakerFamily.named(name, value)}
}

// UseBreakerConfig builds a C backoff_breaker_config (backoff.h) from the library's defaults and the
// options, calls use with it, and frees it when use returns; use must not keep it. It is for the Go
// packages of libbackoff's other C libraries, which take a breaker configuration (ffi/go/jobs hands it to
// backoff_jobs_set_breaker): cgo's C types belong to the package that names them, so the config
// crosses as an unsafe.Pointer, to be converted to that package's *C.backoff_breaker_config. A rejected
// option returns an *Error naming the parameter and the value, and use is not called; otherwise
// UseBreakerConfig returns use's error.
func UseBreakerConfig(options []BreakerOption, use func(config unsafe.Pointer) error) error {
	return breakerFamily.withConfig(settingsOf(options), use)
}

// CircuitBreaker is the library's circuit breaker: closed, open after its trip rule fires, half-open
// once the open period is over. Every decision (admit, trip, probe, close) is the library's. Safe for
// concurrent use; a closed breaker admits and records without a lock.
type CircuitBreaker struct {
	owned[*C.backoff_breaker]
	timed bool // the slow-call rule is on, so each call's duration is measured
}

// NewCircuitBreaker builds a closed breaker from the library's defaults and the options. A rejected value
// returns an *Error naming the parameter and the value.
func NewCircuitBreaker(options ...BreakerOption) (*CircuitBreaker, error) {
	cb, err := newOwner(breakerFamily, settingsOf(options),
		func(cb *CircuitBreaker) *owned[*C.backoff_breaker] { return &cb.owned },
		func(h *C.backoff_breaker) { C.backoff_breaker_free(h) }, "CircuitBreaker")
	if err != nil {
		return nil, err
	}
	var slow C.int64_t
	C.backoff_breaker_get_i64(&slow, cb.handle(), C.BACKOFF_BREAKER_PARAM_SLOW_CALL_DURATION_NS)
	cb.timed = slow > 0
	return cb, nil
}

// Permit is a breaker's admission of one call. Report it exactly once, with Done or Release.
type Permit struct {
	breaker *CircuitBreaker
	id      uint64
	start   time.Time // set when the breaker times its calls
}

// Acquire asks to make a call: a Permit, or an *OpenError (errors.Is(err, ErrCircuitOpen)) carrying how
// long the breaker will still refuse.
func (cb *CircuitBreaker) Acquire() (Permit, error) {
	result := C.breaker_acquire(cb.live())
	runtime.KeepAlive(cb)
	if result.status != C.BACKOFF_OK {
		return Permit{}, &OpenError{Wait: time.Duration(result.wait_ns)}
	}
	permit := Permit{breaker: cb, id: uint64(result.permit)}
	if cb.timed {
		permit.start = time.Now()
	}
	return permit, nil
}

// Done reports the call's result: nil is a success; a Permanent error says nothing of the service's
// health (ignored); any other error is a failure, and a *RetryAfterError's wait keeps a breaker this
// failure opens open at least that long. It returns the library's rejection of a bad report (a negative
// RetryAfter), which changes nothing.
func (p Permit) Done(err error) error {
	outcome, hint := outcomeOf(err)
	duration := since(p.start)
	handle := p.breaker.live()
	if hint != 0 { // the one argument that can be rejected: hold the thread until its message is read
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}
	status := C.backoff_breaker_record(handle, C.uint64_t(p.id), outcome, C.int64_t(duration), C.int64_t(hint))
	runtime.KeepAlive(p.breaker)
	return errorOf(status)
}

// Release gives the permit back unused: the call was not made.
func (p Permit) Release() {
	C.backoff_breaker_release(p.breaker.live(), C.uint64_t(p.id))
	runtime.KeepAlive(p.breaker)
}

// outcomeOf is the outcome Done reports for err, and the wait a *RetryAfterError in it asks for.
func outcomeOf(err error) (C.int, time.Duration) {
	if err == nil { // checked first: errors.As moves its target to the heap
		return C.BACKOFF_OUTCOME_SUCCESS, 0
	}
	outcome := C.int(C.BACKOFF_OUTCOME_FAILURE)
	if isPermanent(err) {
		outcome = C.BACKOFF_OUTCOME_IGNORED
	}
	_, hint := classify(err)
	return outcome, hint
}

// since is how long ago start was, or 0 for a call nobody timed.
func since(start time.Time) time.Duration {
	if start.IsZero() {
		return 0
	}
	return time.Since(start)
}

// Execute runs op if the breaker admits it and reports its result as Done does. A refusal returns an
// *OpenError without calling op. A panic in op counts as a failure and goes on.
func (cb *CircuitBreaker) Execute(op func() error) error {
	permit, err := cb.Acquire()
	if err != nil {
		return err
	}
	return runPermitted(permit, op)
}

// runPermitted runs op, for which permit was granted, and reports its result with the permit's Done; a
// panic in op is reported as a failure and goes on.
func runPermitted[P interface{ Done(error) error }](permit P, op func() error) error {
	finished := false
	defer func() {
		if !finished {
			permit.Done(errPanicked)
		}
	}()
	err := op()
	finished = true
	if rejected := permit.Done(err); rejected != nil {
		return errors.Join(err, rejected)
	}
	return err
}

var errPanicked = errors.New("the operation panicked")

// State returns the breaker's state as last stored: an open breaker whose period is over reads open
// until a call moves it on.
func (cb *CircuitBreaker) State() BreakerState {
	state := C.breaker_state(cb.live())
	runtime.KeepAlive(cb)
	return BreakerState(state)
}

// Transition forces a state: StateIsolated to hold every call off, StateClosed to reset, and so on.
func (cb *CircuitBreaker) Transition(state BreakerState) error {
	handle := cb.live()
	err := call(func() C.int { return C.backoff_breaker_transition(handle, C.int(state)) })
	runtime.KeepAlive(cb)
	return err
}

// Close frees the breaker. No call may be using it. Closing twice is a no-op.
func (cb *CircuitBreaker) Close() { cb.close() }

// handle is the C breaker, or NULL for no breaker.
func (cb *CircuitBreaker) handle() *C.backoff_breaker {
	if cb == nil {
		return nil
	}
	return cb.live()
}
