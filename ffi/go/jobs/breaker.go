package jobs

/*
#include <stdlib.h>
#include <backoff_jobs.h>
*/
import "C"

import (
	"context"
	"time"
	"unsafe"

	backoff "libbackoff.dev/ffi/go"
)

// setBreakers gives s a circuit breaker per job type, built from Config.Breaker (nothing when it is nil).
// The library copies the configuration, checks the parameters that involve each other and keeps the
// breakers; every decision about them is its own.
func (q *Queue) setBreakers(s *store) error {
	if q.config.Breaker == nil {
		return nil
	}
	return backoff.UseBreakerConfig(q.config.Breaker, func(config unsafe.Pointer) error {
		return call(func() C.int {
			return C.backoff_jobs_set_breaker(s.handle, (*C.backoff_breaker_config)(config))
		})
	})
}

// runAdmitted runs the job's handler if its type's breaker admits it, and records the result on that
// breaker. ran is false when the handler did not run: the breaker was open and the library has snoozed
// the job already (scheduled at the end of the open period, its attempt not spent), or admission failed
// (a stale lease, an unreachable store: the job's lease brings it back, as for a failed report).
func (q *Queue) runAdmitted(ctx context.Context, s *store, job *claimed) (ran bool, err error) {
	if q.config.Breaker == nil { // no breakers: no cgo call or C string per job
		return true, q.runHandler(ctx, &job.job)
	}
	cType := C.CString(job.job.Type)
	defer C.free(unsafe.Pointer(cType))
	var permit C.uint64_t
	var snooze C.int64_t
	if call(func() C.int {
		return C.backoff_jobs_breaker_admit(&permit, &snooze, s.handle, cType, C.int64_t(job.job.ID),
			C.int64_t(job.token))
	}) != nil || snooze > 0 {
		return false, nil
	}
	start := time.Now()
	err = q.runHandler(ctx, &job.job)
	duration := time.Since(start)
	permanent, hint := failureOf(err)
	attempt := C.int(C.BACKOFF_ATTEMPT_RETRYABLE)
	switch {
	case err == nil:
		attempt = C.BACKOFF_ATTEMPT_SUCCESS
	case permanent:
		attempt = C.BACKOFF_ATTEMPT_PERMANENT
	}
	// Only a negative hint or duration is refused, and neither can be: nothing to report.
	C.backoff_jobs_breaker_record(s.handle, cType, permit, attempt, C.int64_t(hint), C.int64_t(duration))
	return true, err
}
