package backoff

// What a breaker reports about itself: its state changes and its counts, pulled by the caller.

/*
#define BACKOFF_EXPERIMENTAL
#include <backoff.h>

#include <stdlib.h>

typedef struct { int state, previous, cause; int64_t at_ns; } breaker_event;

// By value, in one cgo call; cannot fail with a live breaker.
static breaker_event breaker_poll(backoff_breaker *breaker) {
  breaker_event event = {BACKOFF_BREAKER_NONE, 0, 0, 0};
  backoff_breaker_poll_event(&event.state, &event.previous, &event.cause, &event.at_ns, breaker);
  return event;
}

// The count the library names `name`, in one cgo call: a status, and the count when it is OK.
typedef struct { uint64_t count; int status; } breaker_count;

static breaker_count breaker_count_named(backoff_breaker *breaker, const char *name) {
  breaker_count result = {0, 0};
  int which = 0;
  result.status = backoff_value_of(&which, BACKOFF_ENUM_BREAKER_COUNT, name);
  if (result.status == BACKOFF_OK) result.status = backoff_breaker_get_count(&result.count, breaker, which);
  return result;
}
*/
import "C"

import (
	"runtime"
	"time"
	"unsafe"
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

// Count reads one of the breaker's counts by the library's name for it (backoff.h's backoff_breaker_count):
// "admitted", "rejected", "successes", "failures", "trips", "consecutive_failures", "window_calls", ...
// gobreaker's Counts, asked one at a time. An unknown name returns an *Error listing the known ones.
func (cb *CircuitBreaker) Count(name string) (uint64, error) {
	cName := C.CString(name)
	defer C.free(unsafe.Pointer(cName))
	handle := cb.live()
	runtime.LockOSThread() // until an error's message is read; see call
	defer runtime.UnlockOSThread()
	result := C.breaker_count_named(handle, cName)
	runtime.KeepAlive(cb)
	return uint64(result.count), errorOf(result.status)
}
