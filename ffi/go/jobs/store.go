package jobs

/*
#include <stdlib.h>
#include <backoff_jobs.h>
*/
import "C"

import (
	"unsafe"
)

// store is one backoff_jobs_store: one connection, used by one goroutine at a time.
type store struct {
	handle *C.backoff_jobs_store
}

func openStore(url string) (*store, error) {
	cURL := C.CString(url)
	defer C.free(unsafe.Pointer(cURL))
	s := &store{}
	if err := call(func() C.int { return C.backoff_jobs_open(&s.handle, cURL) }); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *store) close() { C.backoff_jobs_close(s.handle) }

// interrupt ends the store's current or next wait. Safe from any goroutine.
func (s *store) interrupt() { C.backoff_jobs_interrupt(s.handle) }

// claimed is a job in hand: what the handler sees, and the lease token that fences its report.
type claimed struct {
	job   Job
	token int64
}

// rowsOf reads a row set of jobs (claim, get) into Jobs, and frees it.
func rowsOf(rows *C.backoff_jobs_rows) []claimed {
	defer C.backoff_jobs_rows_free(rows)
	var count C.uint64_t
	C.backoff_jobs_rows_count(&count, rows)
	jobs := make([]claimed, int(count))
	for i := range jobs {
		row := C.uint64_t(i)
		integer := func(field C.int) int64 {
			var value C.int64_t
			C.backoff_jobs_rows_get_i64(&value, rows, row, field)
			return int64(value)
		}
		bytes := func(field C.int) []byte {
			var data unsafe.Pointer
			var size C.uint64_t
			C.backoff_jobs_rows_get_bytes(&data, &size, rows, row, field)
			return C.GoBytes(data, C.int(size))
		}
		jobs[i] = claimed{
			job: Job{
				ID:          integer(C.BACKOFF_JOBS_FIELD_ID),
				Queue:       string(bytes(C.BACKOFF_JOBS_FIELD_QUEUE)),
				Type:        string(bytes(C.BACKOFF_JOBS_FIELD_TYPE)),
				Payload:     bytes(C.BACKOFF_JOBS_FIELD_PAYLOAD),
				Attempt:     int(integer(C.BACKOFF_JOBS_FIELD_ATTEMPT)),
				MaxAttempts: int(integer(C.BACKOFF_JOBS_FIELD_MAX_ATTEMPTS)),
				State:       C.GoString(C.backoff_jobs_name_of(C.BACKOFF_JOBS_ENUM_STATE, C.int(integer(C.BACKOFF_JOBS_FIELD_STATE)))),
				LastError:   string(bytes(C.BACKOFF_JOBS_FIELD_ERROR)),
			},
			token: integer(C.BACKOFF_JOBS_FIELD_LEASE_TOKEN),
		}
	}
	return jobs
}

func (s *store) claim(queue *C.char, max int, lease int64, worker *C.char) ([]claimed, error) {
	var rows *C.backoff_jobs_rows
	if err := call(func() C.int {
		return C.backoff_jobs_claim(&rows, s.handle, queue, C.uint32_t(max), C.int64_t(lease), worker)
	}); err != nil {
		return nil, err
	}
	return rowsOf(rows), nil
}

func (s *store) get(id int64) (*Job, error) {
	var rows *C.backoff_jobs_rows
	if err := call(func() C.int { return C.backoff_jobs_get(&rows, s.handle, C.int64_t(id)) }); err != nil {
		return nil, err
	}
	jobs := rowsOf(rows)
	return &jobs[0].job, nil
}

// completeMany completes the jobs whose lease is still theirs; stale ones are skipped by the library.
func (s *store) completeMany(ids, tokens []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return call(func() C.int {
		return C.backoff_jobs_complete_many(nil, s.handle, (*C.int64_t)(unsafe.Pointer(&ids[0])),
			(*C.int64_t)(unsafe.Pointer(&tokens[0])), C.uint64_t(len(ids)))
	})
}

func (s *store) fail(id, token int64, message string, permanent bool, hint int64) error {
	cMessage := C.CString(message)
	defer C.free(unsafe.Pointer(cMessage))
	flag := C.int(0)
	if permanent {
		flag = 1
	}
	return call(func() C.int {
		return C.backoff_jobs_fail(nil, nil, s.handle, C.int64_t(id), C.int64_t(token), cMessage, flag, C.int64_t(hint))
	})
}

// wait returns false once interrupted.
func (s *store) wait(queue *C.char, timeout int64) (bool, error) {
	var interrupted bool
	err := call(func() C.int {
		status := C.backoff_jobs_wait(nil, s.handle, queue, C.int64_t(timeout))
		interrupted = status == C.BACKOFF_ECANCELED
		if interrupted {
			return C.BACKOFF_OK
		}
		return status
	})
	return !interrupted, err
}
