package backoff

/*
#define BACKOFF_EXPERIMENTAL
#include <backoff.h>

typedef struct { int state, previous, cause; int64_t at_ns; } breaker_event;

// By value, in one cgo call; cannot fail with a live breaker.
static breaker_event breaker_poll(backoff_breaker *breaker) {
  breaker_event event = {BACKOFF_BREAKER_NONE, 0, 0, 0};
  backoff_breaker_poll_event(&event.state, &event.previous, &event.cause, &event.at_ns, breaker);
  return event;
}
*/
import "C"

import (
	"runtime"
	"time"
)

// BreakerEvent is one state change of a CircuitBreaker.
type BreakerEvent struct {
	State, Previous BreakerState
	Cause           string        // the library's name for why: "failures", "open_elapsed", "manual", ...
	At              time.Duration // on the library's monotonic clock (Now)
}

// PollEvent takes the oldest state change not yet taken: gobreaker's OnStateChange, pull style, so that
// no callback crosses from C into Go. Poll from a goroutine of your own (a metrics loop). The breaker
// keeps the last 64 changes; older ones are dropped. ok is false when none is pending.
func (cb *CircuitBreaker) PollEvent() (event BreakerEvent, ok bool) {
	polled := C.breaker_poll(cb.live())
	runtime.KeepAlive(cb)
	if polled.state == C.BACKOFF_BREAKER_NONE {
		return BreakerEvent{}, false
	}
	return BreakerEvent{
		State:    BreakerState(polled.state),
		Previous: BreakerState(polled.previous),
		Cause:    C.GoString(C.backoff_name_of(C.BACKOFF_ENUM_BREAKER_CAUSE, polled.cause)),
		At:       time.Duration(polled.at_ns),
	}, true
}
