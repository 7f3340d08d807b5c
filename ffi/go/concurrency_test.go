package backoff_test

// Each test shares one object between goroutines; scripts/test-ffi runs them under -race.

import (
	"context"
	"sync"
	"testing"
	"time"

	backoff "libbackoff.dev/ffi/go"
)

// inParallel runs body in 8 goroutines at once and waits for them.
func inParallel(body func()) {
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body()
		}()
	}
	wg.Wait()
}

// The seed asks for jitter that is safe to draw from many goroutines.
func TestOneExponentialBackOffIsSafeForConcurrentUse(t *testing.T) {
	b := backoff.NewExponentialBackOff(backoff.WithMaxElapsedTime(0))
	inParallel(func() {
		for i := 0; i < 500; i++ {
			if d := b.NextBackOff(); d < 0 || d > backoff.DefaultMaxInterval {
				t.Errorf("delay %v outside [0, MaxInterval]", d)
				return
			}
			if i%100 == 0 {
				b.Reset()
			}
		}
	})
}

// Retry runs a BackOff's policy on retriers of its own, so one BackOff serves concurrent calls.
func TestConcurrentRetriesShareOneBackOff(t *testing.T) {
	b := backoff.NewExponentialBackOff(backoff.WithInitialInterval(time.Microsecond),
		backoff.WithMaxInterval(10*time.Microsecond))
	inParallel(func() {
		for i := 0; i < 50; i++ {
			op, calls := failing(2, errTransient)
			if result, err := backoff.Retry(context.Background(), op, backoff.WithBackOff(b)); err != nil ||
				result != "done" || *calls != 3 {
				t.Errorf("got %q, %v after %d calls", result, err, *calls)
				return
			}
		}
	})
}

// A closed breaker admits and records without a lock.
func TestOneBreakerServesConcurrentCalls(t *testing.T) {
	cb := newBreaker(t, backoff.WithFailureThreshold(1000))
	inParallel(func() {
		for i := 0; i < 1000; i++ {
			if err := cb.Execute(succeed); err != nil {
				t.Errorf("Execute: %v", err)
				return
			}
		}
	})
}

// Retry, a breaker and a budget shared by every goroutine: each call ends with its permit and tokens
// settled, so the budget is full again at the end.
func TestConcurrentRetriesShareABreakerAndABudget(t *testing.T) {
	cb := newBreaker(t, backoff.WithFailureThreshold(1000))
	budget := newBudget(t)
	inParallel(func() {
		for i := 0; i < 100; i++ {
			op, _ := failing(1, errTransient)
			if _, err := backoff.Retry(context.Background(), op, backoff.WithBackOff(&backoff.ZeroBackOff{}),
				backoff.WithCircuitBreaker(cb), backoff.WithRetryBudget(budget)); err != nil {
				t.Errorf("Retry: %v", err)
				return
			}
		}
	})
	if budget.Balance() != 500 {
		t.Errorf("Balance() = %v after every retry succeeded, want the full 500", budget.Balance())
	}
}
