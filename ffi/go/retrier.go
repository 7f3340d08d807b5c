package backoff

/*
#define BACKOFF_EXPERIMENTAL
#include <backoff.h>

// Each helper is one cgo call doing what one step of a retried call needs, so that a step crosses into C
// once. The results come back by value: a Go variable passed to C by address moves to the heap.
typedef struct { int64_t delay_ns; int status; int outcome; } retry_step;

static retry_step step_of(backoff_retrier *r, int status, int64_t delay_ns) {
  retry_step step = {delay_ns, status, BACKOFF_RETRY_PENDING};
  backoff_retrier_get_outcome(&step.outcome, r);
  return step;
}

// A call with a breaker or a budget: attach them, start the call, ask before its first attempt. The
// start time is never read: a call whose first attempt goes through before_attempt counts its elapsed
// time from its first failure (backoff.h, "Time"), so reset_at(0) spares a clock read (~80 ns on a VM).
static retry_step retrier_begin(backoff_retrier *r, backoff_breaker *breaker, backoff_budget *budget) {
  int64_t wait_ns = 0;
  int status = backoff_retrier_set_breaker(r, breaker);
  if (status == BACKOFF_OK) status = backoff_retrier_set_budget(r, budget);
  if (status == BACKOFF_OK) status = backoff_retrier_reset_at(r, 0);
  if (status == BACKOFF_OK) status = backoff_retrier_before_attempt(&wait_ns, r);
  return step_of(r, status, wait_ns);
}

// A call with nothing attached, at its first failure: nothing needed deciding before it, so the call
// starts here (its elapsed time counts from its first failure, as the retrier's always does). One reading
// of the retrier's clock, the monotonic one, serves both steps.
static retry_step retrier_first_failure(backoff_retrier *r, int error_class, int64_t hint_ns) {
  int64_t delay_ns = BACKOFF_STOP;
  int64_t now_ns = backoff_monotonic_now_ns();
  int status = backoff_retrier_reset_at(r, now_ns);
  if (status == BACKOFF_OK) status = backoff_retrier_on_failure_at(&delay_ns, r, now_ns, error_class, hint_ns);
  return step_of(r, status, delay_ns);
}

static retry_step retrier_failure(backoff_retrier *r, int error_class, int64_t hint_ns) {
  int64_t delay_ns = BACKOFF_STOP;
  int status = backoff_retrier_on_failure(&delay_ns, r, error_class, hint_ns);
  return step_of(r, status, delay_ns);
}

static retry_step retrier_before_attempt(backoff_retrier *r) {
  int64_t wait_ns = 0;
  int status = backoff_retrier_before_attempt(&wait_ns, r);
  return step_of(r, status, wait_ns);
}

// The end of a call with a breaker or a budget: report its last attempt (success, permanent failure, or
// nothing: cancelled or stopped, giving back what it holds), then detach both, which the pooled retrier
// must not keep alive or point to.
static void retrier_end(backoff_retrier *r, int attempt) {
  if (attempt == BACKOFF_ATTEMPT_SUCCESS) {
    backoff_retrier_on_success(r);
  } else if (attempt == BACKOFF_ATTEMPT_PERMANENT) {
    backoff_retrier_on_permanent_failure(r);
  } else {
    backoff_retrier_reset(r);
  }
  backoff_retrier_set_breaker(r, NULL);
  backoff_retrier_set_budget(r, NULL);
}
*/
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// retrier is one library retrier, reused call after call through its policy's pool.
type retrier struct {
	owned[*C.backoff_retrier]
}

// step is a retrier's answer: a delay (or a breaker's wait), where the call stands, and the status.
type step struct {
	delay   time.Duration
	outcome C.int
	err     error
}

// stepOf reads a C step; the caller's thread is locked since the call, so an error's message is its own.
// A breaker's refusal is a decision, not an error: the outcome says it (the message is not set).
func stepOf(result C.retry_step) step {
	status := result.status
	if status == C.BACKOFF_EOPEN {
		status = C.BACKOFF_OK
	}
	return step{time.Duration(result.delay_ns), result.outcome, errorOf(status)}
}

// The steps of one call, in the order Retry takes them. Each is one cgo call.

func (r *retrier) begin(breaker *C.backoff_breaker, budget *C.backoff_budget) step {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return stepOf(C.retrier_begin(r.live(), breaker, budget))
}

func (r *retrier) firstFailure(class ErrorClass, hint time.Duration) step {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return stepOf(C.retrier_first_failure(r.live(), C.int(class), C.int64_t(hint)))
}

func (r *retrier) failure(class ErrorClass, hint time.Duration) step {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return stepOf(C.retrier_failure(r.live(), C.int(class), C.int64_t(hint)))
}

func (r *retrier) beforeAttempt() step {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return stepOf(C.retrier_before_attempt(r.live()))
}

// end closes a call with a breaker or a budget attached: attempt is C.BACKOFF_ATTEMPT_SUCCESS,
// _PERMANENT, or _NONE for a call given up (cancelled, stopped, or left by a panic).
func (r *retrier) end(attempt C.int) {
	C.retrier_end(r.live(), attempt)
}

// retrierPool keeps the retriers of one policy: a retrier belongs to one call at a time, and making one
// per call would cost more than the call's decisions.
type retrierPool struct {
	spec   policySpec
	policy *Policy
	err    error // the library's rejection of the policy, returned by every Retry that needs it
	pool   sync.Pool
}

var (
	retrierPools sync.Map                    // policySpec -> *retrierPool
	pooledSpecs  atomic.Int64                // how many retrierPools holds
	lastPool     atomic.Pointer[retrierPool] // the last one used: most programs retry with one policy
)

// maxPooledSpecs bounds retrierPools for a program that makes a schedule per call (a ConstantBackOff of
// a computed delay): past it, a new schedule's pool serves one call and goes with it.
const maxPooledSpecs = 1024

// poolFor returns the pool of spec's policy, building the policy on first use. The last pool used is
// checked first, since a sync.Map lookup boxes the key: an allocation per call. A policy the library
// rejects is not kept: its pool only carries the error.
func poolFor(spec policySpec) *retrierPool {
	if pool := lastPool.Load(); pool != nil && pool.spec == spec {
		return pool
	}
	if found, ok := retrierPools.Load(spec); ok {
		pool := found.(*retrierPool)
		lastPool.Store(pool)
		return pool
	}
	pool := &retrierPool{spec: spec}
	pool.policy, pool.err = spec.policy()
	if pool.err != nil || pooledSpecs.Load() >= maxPooledSpecs {
		return pool
	}
	found, loaded := retrierPools.LoadOrStore(spec, pool)
	if !loaded {
		pooledSpecs.Add(1)
	}
	pool = found.(*retrierPool)
	lastPool.Store(pool)
	return pool
}

func (p *retrierPool) get() (*retrier, error) {
	if p.err != nil {
		return nil, p.err
	}
	if r, ok := p.pool.Get().(*retrier); ok {
		return r, nil
	}
	var handle *C.backoff_retrier
	err := call(func() C.int { return C.backoff_retrier_new(&handle, p.policy.live()) })
	if err != nil {
		return nil, err
	}
	r := &retrier{}
	adopt(r, &r.owned, handle, func(h *C.backoff_retrier) { C.backoff_retrier_free(h) }, "retrier")
	return r, nil
}

func (p *retrierPool) put(r *retrier) { p.pool.Put(r) }
