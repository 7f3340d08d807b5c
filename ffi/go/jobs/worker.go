package jobs

/*
#include <stdlib.h>
#include <backoff_jobs.h>
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
	"unsafe"
)

// worker is one goroutine's loop: claim up to BatchSize jobs, run their handlers, complete the
// successes in one statement, fail the failures (the library asks the engine when they run again),
// and wait for a wake-up (NOTIFY, a commit) or PollInterval when there is nothing to do.
type worker struct {
	store   *store
	stopped chan struct{}
	done    chan struct{}
}

// Start runs WorkerCount workers on queueName until Stop or ctx's end. Handlers get ctx.
func (q *Queue) Start(ctx context.Context, queueName string) error {
	for i := 0; i < q.config.WorkerCount; i++ {
		s, err := openStore(q.url)
		if err != nil {
			q.Stop()
			return err
		}
		if err := q.setBreakers(s); err != nil {
			s.close()
			q.Stop()
			return err
		}
		w := &worker{store: s, stopped: make(chan struct{}), done: make(chan struct{})}
		q.mu.Lock()
		q.workers = append(q.workers, w)
		q.mu.Unlock()
		q.wg.Add(1)
		go q.work(ctx, w, queueName, i)
	}
	return nil
}

// Stop stops every worker: each finishes the jobs in hand, reports them, and closes its connection.
// Stop returns when they have.
func (q *Queue) Stop() {
	q.mu.Lock()
	workers := q.workers
	q.workers = nil
	q.mu.Unlock()
	for _, w := range workers {
		close(w.stopped)
		w.store.interrupt()
	}
	q.wg.Wait()
}

func (q *Queue) work(ctx context.Context, w *worker, queueName string, index int) {
	defer q.wg.Done()
	defer w.store.close()
	cQueue := C.CString(queueName)
	defer C.free(unsafe.Pointer(cQueue))
	host, _ := os.Hostname()
	cWorker := C.CString(fmt.Sprintf("%s:%d:go-%d", host, os.Getpid(), index))
	defer C.free(unsafe.Pointer(cWorker))
	stop := context.AfterFunc(ctx, w.store.interrupt)
	defer stop()
	for {
		select {
		case <-w.stopped:
			return
		case <-ctx.Done():
			return
		default:
		}
		jobs, err := w.store.claim(cQueue, q.config.BatchSize, int64(q.config.VisibilityTimeout), cWorker)
		if err != nil {
			// The store is unreachable (the library reconnects on the next call): wait, then try again.
			if !q.pause(ctx, w) {
				return
			}
			continue
		}
		if len(jobs) == 0 {
			if woken, err := w.store.wait(cQueue, int64(q.config.PollInterval)); !woken || (err != nil && !q.pause(ctx, w)) {
				return
			}
			continue
		}
		q.runBatch(ctx, w, jobs)
	}
}

// pause waits PollInterval after a store error; false if the worker was stopped meanwhile.
func (q *Queue) pause(ctx context.Context, w *worker) bool {
	select {
	case <-w.stopped:
		return false
	case <-ctx.Done():
		return false
	case <-time.After(q.config.PollInterval):
		return true
	}
}

func (q *Queue) runBatch(ctx context.Context, w *worker, jobs []claimed) {
	var ids, tokens []int64
	for i := range jobs {
		job := &jobs[i]
		ran, err := q.runAdmitted(ctx, w.store, job)
		if !ran { // snoozed by its type's open breaker: the library has handed it back already
			continue
		}
		if err == nil {
			ids = append(ids, job.job.ID)
			tokens = append(tokens, job.token)
			continue
		}
		permanent, hint := failureOf(err)
		// A stale lease means another worker holds the job now: its report is the one that counts. A store
		// error leaves the job leased: it comes back when the lease expires, so nothing is lost.
		_ = w.store.fail(job.job.ID, job.token, err.Error(), permanent, hint)
	}
	_ = w.store.completeMany(ids, tokens) // as for fail: an unreported job comes back after its lease
}

// failureOf is how a handler's error fails its attempt: at once (a PermanentError in it), and after at
// least how many nanoseconds (an error in it with a RetryAfter() time.Duration method; 0 for none).
func failureOf(err error) (permanent bool, hint int64) {
	if err == nil {
		return false, 0
	}
	var permanentError *PermanentError
	var hinted interface{ RetryAfter() time.Duration }
	if errors.As(err, &hinted) && hinted.RetryAfter() > 0 {
		hint = int64(hinted.RetryAfter())
	}
	return errors.As(err, &permanentError), hint
}

// runHandler runs the job's handler; a panic is a failed attempt, not a dead worker.
func (q *Queue) runHandler(ctx context.Context, job *Job) (err error) {
	handler := q.handler(job.Type)
	if handler == nil {
		return fmt.Errorf("no handler registered for job type %q", job.Type)
	}
	defer func() {
		if recovered := recover(); recovered != nil {
			err = fmt.Errorf("handler panicked: %v", recovered)
		}
	}()
	return handler(ctx, job)
}

// Get returns a job as the store has it now.
func (q *Queue) Get(id int64) (*Job, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.store.get(id)
}
