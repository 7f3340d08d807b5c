package jobs

/*
#include <backoff_jobs.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"time"
)

// Error is a failed call of libbackoff_jobs: its status, the status's name as the library gives it
// ("stale_lease", "invalid_value"), and backoff_last_error()'s message, which names the parameter and
// the value.
type Error struct {
	Code    int
	Name    string
	Message string
}

func (e *Error) Error() string { return "libbackoff_jobs: " + e.Message + " (" + e.Name + ")" }

// The statuses a caller may want to tell apart (errors.Is(err, jobs.ErrNotFound)).
var (
	ErrStore      = &Error{Code: int(C.BACKOFF_JOBS_ESTORE)}
	ErrSchema     = &Error{Code: int(C.BACKOFF_JOBS_ESCHEMA)}
	ErrNotFound   = &Error{Code: int(C.BACKOFF_JOBS_ENOTFOUND)}
	ErrStaleLease = &Error{Code: int(C.BACKOFF_JOBS_ESTALE)}
	ErrWrongState = &Error{Code: int(C.BACKOFF_JOBS_ESTATE)}
	ErrInvalid    = &Error{Code: int(C.BACKOFF_EINVAL)}
)

// Is matches errors of the same status.
func (e *Error) Is(target error) bool {
	var other *Error
	return errors.As(target, &other) && other.Code == e.Code
}

// call runs one C call and, if it fails, reads the library's message on the same OS thread
// (backoff_last_error() is thread-local, and a goroutine may move between threads between two cgo
// calls), naming the status as the library does.
func call(fn func() C.int) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	status := fn()
	if status == C.BACKOFF_OK {
		return nil
	}
	name := C.backoff_jobs_name_of(C.BACKOFF_JOBS_ENUM_STATUS, status)
	if name == nil { // a status of backoff.h
		name = C.backoff_name_of(C.BACKOFF_ENUM_STATUS, status)
	}
	return &Error{Code: int(status), Name: C.GoString(name), Message: C.GoString(C.backoff_last_error())}
}

// PermanentError marks a handler's error as one that retrying cannot help: the job fails at once.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err so that the job fails with no retry.
func Permanent(err error) error { return &PermanentError{Err: err} }

// RetryAfterError asks for a wait of at least After before the next attempt (a server's Retry-After);
// the engine's delay still applies, never past the policy's cap. Any error with a
// RetryAfter() time.Duration method does the same.
type RetryAfterError struct {
	Err   error
	After time.Duration
}

func (e *RetryAfterError) Error() string { return fmt.Sprintf("%v (retry after %v)", e.Err, e.After) }
func (e *RetryAfterError) Unwrap() error { return e.Err }

// RetryAfter returns the hint.
func (e *RetryAfterError) RetryAfter() time.Duration { return e.After }
