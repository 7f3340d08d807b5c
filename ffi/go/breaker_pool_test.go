package backoff_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	backoff "libbackoff.dev/ffi/go"
)

func TestTrippingOneKeysBreakerLeavesTheOtherKeysClosed(t *testing.T) {
	pool := newBreakerPool(t, 16, backoff.WithFailureThreshold(2), backoff.WithOpenDuration(time.Minute))
	for i := 0; i < 2; i++ {
		if err := pool.Execute("db-1", fail); err != errTransient {
			t.Fatalf("call %d returned %v, want the operation's error", i, err)
		}
	}
	called := false
	err := pool.Execute("db-1", func() error { called = true; return nil })
	var open *backoff.OpenError
	if called || !errors.As(err, &open) || open.Wait <= 0 || open.Wait > time.Minute {
		t.Fatalf("the open key ran the call (%v) or returned %v", called, err)
	}
	if err := pool.Execute("db-2", succeed); err != nil {
		t.Fatalf("another key's call returned %v", err)
	}
	if pool.State("db-1") != backoff.StateOpen || pool.State("db-2") != backoff.StateClosed {
		t.Errorf("states %v and %v, want open and closed", pool.State("db-1"), pool.State("db-2"))
	}
}

func TestThePoolDropsTheLeastRecentlyUsedKeyWhichComesBackClosed(t *testing.T) {
	pool := newBreakerPool(t, 4, backoff.WithFailureThreshold(1), backoff.WithOpenDuration(time.Minute))
	pool.Execute("tripped", fail)
	for i := 0; i < 10; i++ {
		if err := pool.Execute(fmt.Sprint("key-", i), succeed); err != nil {
			t.Fatal(err)
		}
		if pool.Size() > 4 {
			t.Fatalf("Size() = %d with max_keys 4", pool.Size())
		}
	}
	if pool.Size() != 4 || pool.State("tripped") != backoff.StateClosed {
		t.Fatalf("Size() = %d, State = %v, want 4 and the dropped key closed", pool.Size(), pool.State("tripped"))
	}
	if err := pool.Execute("tripped", succeed); err != nil {
		t.Errorf("the dropped key came back refusing: %v", err)
	}
}

func TestAPermitWhoseKeyWasDroppedChangesNothing(t *testing.T) {
	pool := newBreakerPool(t, 1, backoff.WithFailureThreshold(1))
	permit, err := pool.Acquire("a")
	if err != nil {
		t.Fatal(err)
	}
	pool.Execute("b", succeed) // drops "a"
	if err := permit.Done(errTransient); err != nil {
		t.Fatal(err)
	}
	if pool.State("a") != backoff.StateClosed {
		t.Errorf("a stale failure opened the key again made: %v", pool.State("a"))
	}
}

func TestAReleasedPoolPermitFreesItsHalfOpenProbeSlot(t *testing.T) {
	pool := newBreakerPool(t, 4, backoff.WithFailureThreshold(1), backoff.WithOpenDuration(time.Millisecond))
	pool.Execute("a", fail)
	time.Sleep(5 * time.Millisecond) // the open period is over: the next call probes
	probe, err := pool.Acquire("a")
	if err != nil {
		t.Fatalf("the probe got %v", err)
	}
	var open *backoff.OpenError
	if _, err := pool.Acquire("a"); !errors.As(err, &open) || open.Wait != 0 {
		t.Fatalf("a second probe got %v, want a refusal with no wait (the one slot is taken)", err)
	}
	probe.Release()
	if _, err := pool.Acquire("a"); err != nil {
		t.Fatalf("after Release, Acquire returned %v", err)
	}
	probe.Release() // released already: stale, so the new probe keeps its slot
	if _, err := pool.Acquire("a"); !errors.As(err, &open) || open.Wait != 0 {
		t.Errorf("after a stale Release, Acquire returned %v, want a refusal with no wait", err)
	}
}

// Past the 256 bytes copied on the stack, a key goes through the heap; it is still the whole key.
func TestLongKeysAreComparedWhole(t *testing.T) {
	pool := newBreakerPool(t, 8, backoff.WithFailureThreshold(1))
	prefix := strings.Repeat("k", 1000)
	pool.Execute(prefix+"1", fail)
	if pool.State(prefix+"1") != backoff.StateOpen || pool.State(prefix+"2") != backoff.StateClosed {
		t.Errorf("states %v and %v, want open and closed", pool.State(prefix+"1"), pool.State(prefix+"2"))
	}
}

func TestAFailureWithRetryAfterKeepsTheKeysBreakerOpenThatLong(t *testing.T) {
	pool := newBreakerPool(t, 4, backoff.WithFailureThreshold(1), backoff.WithOpenDuration(time.Second))
	pool.Execute("a", func() error { return &backoff.RetryAfterError{Duration: time.Hour} })
	var open *backoff.OpenError
	if _, err := pool.Acquire("a"); !errors.As(err, &open) || open.Wait <= time.Minute {
		t.Errorf("got %v, want a refusal for about an hour", err)
	}
}

func TestOnePoolServesConcurrentCallsOnManyKeys(t *testing.T) {
	pool := newBreakerPool(t, 16, backoff.WithFailureThreshold(1000))
	inParallel(func() {
		for i := 0; i < 2000; i++ {
			if err := pool.Execute(fmt.Sprint("host-", i%40), succeed); err != nil {
				t.Errorf("Execute: %v", err)
				return
			}
		}
	})
	if pool.Size() != 16 {
		t.Errorf("Size() = %d after 40 keys, want max_keys 16", pool.Size())
	}
}

func TestPoolsRejectMaxKeysOutOfRangeAndBadOptions(t *testing.T) {
	for _, maxKeys := range []int64{0, 1<<20 + 1} {
		_, err := backoff.NewBreakerPool(maxKeys)
		wantError(t, err, backoff.CodeInvalid, "max_keys", fmt.Sprint(maxKeys))
		_, err = backoff.NewBudgetPool(maxKeys)
		wantError(t, err, backoff.CodeInvalid, "max_keys", fmt.Sprint(maxKeys))
	}
	_, err := backoff.NewBreakerPool(8, backoff.WithFailureThreshold(0))
	wantError(t, err, backoff.CodeInvalid, "failure_threshold", "0")
	_, err = backoff.NewBudgetPool(8, backoff.WithCapacity(-1))
	wantError(t, err, backoff.CodeInvalid, "capacity", "-1")
}
