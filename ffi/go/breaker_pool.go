package backoff

/*
#define BACKOFF_EXPERIMENTAL // the pools are in the experimental tier
#include <backoff.h>
#include "pool_key.h"

typedef struct { uint64_t permit; int64_t wait_ns; int status; } pool_acquired;

// By value, in one cgo call: see retrier.go.
static pool_acquired breaker_pool_acquire(backoff_breaker_pool *pool, _GoString_ go_key) {
  pool_acquired result = {0, 0, 0};
  WITH_POOL_KEY(result.status, go_key, backoff_breaker_pool_acquire(&result.permit, &result.wait_ns, pool, key.text));
  return result;
}

static int breaker_pool_record(backoff_breaker_pool *pool, _GoString_ go_key, uint64_t permit, int outcome,
                               int64_t duration_ns, int64_t hint_ns) {
  int status;
  WITH_POOL_KEY(status, go_key, backoff_breaker_pool_record(pool, key.text, permit, outcome, duration_ns, hint_ns));
  return status;
}

static void breaker_pool_release(backoff_breaker_pool *pool, _GoString_ go_key, uint64_t permit) {
  int status; // a stale permit is no error; a long key that finds no memory is released by its lease
  WITH_POOL_KEY(status, go_key, backoff_breaker_pool_release(pool, key.text, permit));
  (void)status;
}

typedef struct { int state; int status; } pool_state;

static pool_state breaker_pool_state(backoff_breaker_pool *pool, _GoString_ go_key) {
  pool_state result = {BACKOFF_BREAKER_NONE, 0};
  WITH_POOL_KEY(result.status, go_key, backoff_breaker_pool_state(&result.state, pool, key.text));
  return result;
}

static int64_t breaker_pool_size(const backoff_breaker_pool *pool) {
  int64_t size = 0;
  backoff_breaker_pool_size(&size, pool);
  return size;
}
*/
import "C"

import (
	"runtime"
	"time"
	"unsafe"
)

// BreakerPool holds a CircuitBreaker per key (a host, a partition, a tenant), so that one failing backend
// cannot open the circuit of the healthy ones. Memory is bounded: it holds at most maxKeys breakers and
// makes room for a new key by dropping the one used least recently, which starts afresh, closed, if it
// comes back. Safe for concurrent use; a key the pool holds is found without a lock. The library decides
// everything; its pool's breakers have no listener (read State instead).
type BreakerPool struct {
	owned[*C.backoff_breaker_pool]
}

// NewBreakerPool makes an empty pool of at most maxKeys breakers, each built from the library's defaults
// and the options as NewCircuitBreaker builds one. A rejected value (maxKeys outside [1, 2^20] included)
// returns an *Error naming the parameter and the value.
func NewBreakerPool(maxKeys int64, options ...BreakerOption) (*BreakerPool, error) {
	handle, err := breakerFamily.buildWith(settingsOf(options), func(out *unsafe.Pointer, config unsafe.Pointer) C.int {
		return C.backoff_breaker_pool_new((**C.backoff_breaker_pool)(unsafe.Pointer(out)),
			(*C.backoff_breaker_config)(config), C.int64_t(maxKeys))
	})
	return ownerOf(handle, err, func(p *BreakerPool) *owned[*C.backoff_breaker_pool] { return &p.owned },
		func(h *C.backoff_breaker_pool) { C.backoff_breaker_pool_free(h) }, "BreakerPool")
}

// PoolPermit is the admission of one call by a key's breaker. Report it exactly once, with Done or
// Release.
type PoolPermit struct {
	pool  *BreakerPool
	key   string
	id    uint64
	start time.Time
}

// Acquire asks the breaker of key (made closed on the key's first call) to make a call: a PoolPermit, or
// an *OpenError (errors.Is(err, ErrCircuitOpen)) carrying how long that breaker will still refuse. A
// key ends at its first NUL byte, as the library reads it.
func (p *BreakerPool) Acquire(key string) (PoolPermit, error) {
	handle := p.live()
	runtime.LockOSThread() // until an error's message is read; see call
	defer runtime.UnlockOSThread()
	result := C.breaker_pool_acquire(handle, key)
	runtime.KeepAlive(p)
	switch result.status {
	case C.BACKOFF_OK:
		// Every call is timed: the pool cannot say whether its breakers' slow-call rule is on.
		return PoolPermit{pool: p, key: key, id: uint64(result.permit), start: time.Now()}, nil
	case C.BACKOFF_EOPEN:
		return PoolPermit{}, &OpenError{Wait: time.Duration(result.wait_ns)}
	}
	return PoolPermit{}, errorOf(result.status)
}

// Done reports the call's result to its key's breaker, as Permit.Done does. A permit whose key the pool
// dropped since is stale and changes nothing.
func (p PoolPermit) Done(err error) error {
	outcome, hint := outcomeOf(err)
	duration := since(p.start)
	handle := p.pool.live()
	runtime.LockOSThread() // until an error's message is read; see call
	defer runtime.UnlockOSThread()
	status := C.breaker_pool_record(handle, p.key, C.uint64_t(p.id), outcome, C.int64_t(duration), C.int64_t(hint))
	runtime.KeepAlive(p.pool)
	return errorOf(status)
}

// Release gives the permit back unused, as Permit.Release does: the call was not made, and a half-open
// probe slot is free for the next caller at once. A permit whose key the pool dropped since is stale and
// changes nothing.
func (p PoolPermit) Release() {
	C.breaker_pool_release(p.pool.live(), p.key, C.uint64_t(p.id))
	runtime.KeepAlive(p.pool)
}

// Execute runs op if the breaker of key admits it and reports its result, as CircuitBreaker.Execute does.
func (p *BreakerPool) Execute(key string, op func() error) error {
	permit, err := p.Acquire(key)
	if err != nil {
		return err
	}
	return runPermitted(permit, op)
}

// State returns the state of key's breaker as last stored (see CircuitBreaker.State); StateClosed for a
// key the pool does not hold, which would start closed. It adds no key.
func (p *BreakerPool) State(key string) BreakerState {
	result := C.breaker_pool_state(p.live(), key)
	runtime.KeepAlive(p)
	return BreakerState(result.state)
}

// Size returns how many breakers the pool holds.
func (p *BreakerPool) Size() int64 {
	size := C.breaker_pool_size(p.live())
	runtime.KeepAlive(p)
	return int64(size)
}

// Close frees the pool and its breakers. No call may be using it. Closing twice is a no-op.
func (p *BreakerPool) Close() { p.close() }
