package backoff

/*
#define BACKOFF_EXPERIMENTAL // the pools are in the experimental tier
#include <backoff.h>
#include "pool_key.h"

static int budget_pool_get(backoff_budget **out, backoff_budget_pool *pool, _GoString_ go_key) {
  int status;
  WITH_POOL_KEY(status, go_key, backoff_budget_pool_get(out, pool, key.text));
  return status;
}

static int64_t budget_pool_size(const backoff_budget_pool *pool) {
  int64_t size = 0;
  backoff_budget_pool_size(&size, pool);
  return size;
}
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// BudgetPool holds a RetryBudget per key (a host, a partition), so that a failing backend cannot spend a
// healthy one's retries. Memory is bounded: it holds at most maxKeys budgets and makes room for a new key
// by dropping the one used least recently, which starts afresh, full, if it comes back. Safe for
// concurrent use; a key the pool holds is found without a lock.
type BudgetPool struct {
	owned[*C.backoff_budget_pool]
}

// NewBudgetPool makes an empty pool of at most maxKeys budgets, each built from the library's defaults
// and the options as NewRetryBudget builds one. A rejected value (maxKeys outside [1, 2^20] included)
// returns an *Error naming the parameter and the value.
func NewBudgetPool(maxKeys int64, options ...BudgetOption) (*BudgetPool, error) {
	handle, err := budgetFamily.buildWith(settingsOf(options), func(out *unsafe.Pointer, config unsafe.Pointer) C.int {
		return C.backoff_budget_pool_new((**C.backoff_budget_pool)(unsafe.Pointer(out)),
			(*C.backoff_budget_config)(config), C.int64_t(maxKeys))
	})
	return ownerOf(handle, err, func(p *BudgetPool) *owned[*C.backoff_budget_pool] { return &p.owned },
		func(h *C.backoff_budget_pool) { C.backoff_budget_pool_free(h) }, "BudgetPool")
}

// Get returns a new handle to the budget of key, made full on the key's first use; two handles for one
// key share one budget. Close it when done (it stays valid if the pool drops the key or is closed). Each
// call makes a handle: keep it for a while rather than getting one per attempt. A key ends at its first
// NUL byte, as the library reads it.
func (p *BudgetPool) Get(key string) (*RetryBudget, error) {
	var budget *C.backoff_budget
	handle := p.live()
	err := call(func() C.int { return C.budget_pool_get(&budget, handle, key) })
	runtime.KeepAlive(p)
	return ownBudget(unsafe.Pointer(budget), err)
}

// Size returns how many budgets the pool holds.
func (p *BudgetPool) Size() int64 {
	size := C.budget_pool_size(p.live())
	runtime.KeepAlive(p)
	return int64(size)
}

// Close frees the pool. Budgets taken from it stay valid until closed. Closing twice is a no-op.
func (p *BudgetPool) Close() { p.close() }
