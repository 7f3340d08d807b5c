package backoff

/*
#include <backoff.h>
*/
import "C"

import (
	"fmt"
	"runtime"
)

// Status codes of the C API; their values are fixed forever.
const (
	CodeInvalid   = int(C.BACKOFF_EINVAL)
	CodeNull      = int(C.BACKOFF_ENULL)
	CodeUnknown   = int(C.BACKOFF_EUNKNOWN)
	CodeType      = int(C.BACKOFF_ETYPE)
	CodeNoMemory  = int(C.BACKOFF_ENOMEM)
	CodeInternal  = int(C.BACKOFF_EINTERNAL)
	CodeReentrant = int(C.BACKOFF_EREENTRANT)
	CodeCanceled  = int(C.BACKOFF_ECANCELED)
)

// Error is a failed libbackoff call: its status code and backoff_last_error()'s message, which names
// the parameter and the value ("multiplier: must be at least 1 (got 0.5)").
type Error struct {
	Code    int
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("libbackoff: %s (%s)", e.Message, C.GoString(C.backoff_strerror(C.int(e.Code))))
}

// call runs one C call that may fail and reads its message. backoff_last_error() is thread-local, and a
// goroutine may move to another OS thread between two cgo calls, so both run with the thread locked.
func call(fn func() C.int) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return errorOf(fn())
}

// errorOf turns a status into an error; for a failure, the caller's OS thread must be locked since the
// failing call, so that the thread-local message is that call's.
func errorOf(status C.int) error {
	if status == C.BACKOFF_OK {
		return nil
	}
	return &Error{Code: int(status), Message: C.GoString(C.backoff_last_error())}
}
