package backoff

/*
#include <stdlib.h>
#include <backoff.h>
*/
import "C"

import (
	"time"
	"unsafe"
)

// ParseRetryAfter reads the value of an HTTP Retry-After header with the library's parser, the one every
// language binding uses: delta-seconds ("120") or an HTTP-date, measured from now (the wall clock). A
// date in the past is 0. A value that is neither returns an *Error quoting it: the server gave no usable
// hint, so wait as the policy says.
//
// Return the wait as a *RetryAfterError from a Retry operation to wait at least that long:
//
//	if wait, err := backoff.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); err == nil {
//		return nil, &backoff.RetryAfterError{Duration: wait}
//	}
func ParseRetryAfter(value string, now time.Time) (time.Duration, error) {
	cValue := C.CString(value)
	defer C.free(unsafe.Pointer(cValue))
	var wait C.int64_t
	err := call(func() C.int { return C.backoff_retry_after_parse(&wait, cValue, C.int64_t(now.UnixNano())) })
	return time.Duration(wait), err
}
