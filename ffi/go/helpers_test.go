package backoff_test

import (
	"errors"
	"testing"

	backoff "libbackoff.dev/ffi/go"
)

var errTransient = errors.New("transient")

// kept fails the test on err, and closes value when the test ends.
func kept[T interface{ Close() }](t *testing.T, value T, err error) T {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(value.Close)
	return value
}

func newPolicy(t *testing.T, options ...backoff.Option) *backoff.Policy {
	policy, err := backoff.NewPolicy(options...)
	return kept(t, policy, err)
}

func newState(t *testing.T, options ...backoff.Option) *backoff.State {
	state, err := backoff.NewState(newPolicy(t, options...))
	return kept(t, state, err)
}

func newBreaker(t *testing.T, options ...backoff.BreakerOption) *backoff.CircuitBreaker {
	cb, err := backoff.NewCircuitBreaker(options...)
	return kept(t, cb, err)
}

func newBudget(t *testing.T, options ...backoff.BudgetOption) *backoff.RetryBudget {
	budget, err := backoff.NewRetryBudget(options...)
	return kept(t, budget, err)
}

func newBreakerPool(t *testing.T, maxKeys int64, options ...backoff.BreakerOption) *backoff.BreakerPool {
	pool, err := backoff.NewBreakerPool(maxKeys, options...)
	return kept(t, pool, err)
}

func newBudgetPool(t *testing.T, maxKeys int64, options ...backoff.BudgetOption) *backoff.BudgetPool {
	pool, err := backoff.NewBudgetPool(maxKeys, options...)
	return kept(t, pool, err)
}
