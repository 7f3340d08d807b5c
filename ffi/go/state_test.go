package backoff_test

import (
	"errors"
	"testing"
	"time"

	backoff "libbackoff.dev/ffi/go"
)

// retryOnSimulatedTime is the loop a caller writes: it asks NextAt for each wait, at a time it keeps
// itself, and "sleeps" by moving that time forward. It returns how many times op ran.
func retryOnSimulatedTime(t *testing.T, state *backoff.State, op func() error) (calls int, err error) {
	t.Helper()
	now := time.Duration(0)
	state.ResetAt(now)
	for {
		calls++
		if err = op(); err == nil {
			return calls, nil
		}
		delay, callErr := state.NextAt(now, 0)
		if callErr != nil {
			t.Fatal(callErr)
		}
		if delay == backoff.Stop {
			return calls, err
		}
		now += delay
	}
}

func TestRetryLoopSucceedsOnceTheOperationRecovers(t *testing.T) {
	state := newState(t, backoff.MaxAttempts(5))
	failures := 2
	calls, err := retryOnSimulatedTime(t, state, func() error {
		if failures > 0 {
			failures--
			return errTransient
		}
		return nil
	})
	if err != nil || calls != 3 || state.Attempt() != 2 {
		t.Errorf("calls = %d, err = %v, attempts = %d; want 3 calls, success, 2 retries", calls, err, state.Attempt())
	}
}

func TestMaxAttemptsCountsTheFirstCall(t *testing.T) {
	state := newState(t, backoff.MaxAttempts(3))
	calls, err := retryOnSimulatedTime(t, state, func() error { return errTransient })
	if calls != 3 || !errors.Is(err, errTransient) {
		t.Errorf("calls = %d, err = %v; want 3 calls ending in the operation's error", calls, err)
	}
}

func TestMaxElapsedStopsBeforeAWaitThatWouldPassIt(t *testing.T) {
	// Waits of 1 s, 2 s and 4 s bring the simulated clock to 7 s; another 8 s would pass 10 s.
	state := newState(t, backoff.Initial(time.Second), backoff.WithJitter(backoff.NoJitter),
		backoff.MaxElapsed(10*time.Second))
	calls, _ := retryOnSimulatedTime(t, state, func() error { return errTransient })
	if calls != 4 {
		t.Errorf("calls = %d, want 4", calls)
	}
	if got := state.ElapsedAt(7 * time.Second); got != 7*time.Second {
		t.Errorf("ElapsedAt(7s) = %v, want 7s", got)
	}
}

func TestStopIsStickyUntilReset(t *testing.T) {
	state := newState(t, backoff.MaxAttempts(2), backoff.WithJitter(backoff.NoJitter))
	first := state.NextBackOff()
	if first != 100*time.Millisecond {
		t.Fatalf("first delay = %v, want the default initial 100ms", first)
	}
	for i := 0; i < 3; i++ {
		if got := state.NextBackOff(); got != backoff.Stop {
			t.Fatalf("call %d after the last attempt = %v, want Stop", i, got)
		}
	}
	state.Reset()
	if got := state.NextBackOff(); got != first {
		t.Errorf("after Reset = %v, want %v", got, first)
	}
}

func TestServerHintIsAFloorAndStillCapped(t *testing.T) {
	state := newState(t, backoff.WithJitter(backoff.NoJitter), backoff.Cap(2*time.Second))
	if got, _ := state.NextAt(0, 500*time.Millisecond); got != 500*time.Millisecond {
		t.Errorf("hint 500ms over a 100ms delay gave %v", got)
	}
	if got, _ := state.NextAt(0, time.Hour); got != 2*time.Second {
		t.Errorf("hint 1h under a 2s cap gave %v", got)
	}
}

func TestSeededStateFollowsTheStatelessScheduleWithKeyZero(t *testing.T) {
	policy := newPolicy(t, backoff.Seed(7), backoff.WithJitter(backoff.FullJitter))
	state, err := backoff.NewState(policy)
	if err != nil {
		t.Fatal(err)
	}
	defer state.Close()
	for attempt := uint64(0); attempt < 20; attempt++ {
		if got, want := state.NextBackOff(), policy.Delay(attempt, 0); got != want {
			t.Fatalf("attempt %d: state %v, stateless %v", attempt, got, want)
		}
	}
}

func TestDelayNeverPassesTheCapForHugeAttempts(t *testing.T) {
	policy := newPolicy(t, backoff.Cap(30*time.Second), backoff.Seed(1))
	for _, attempt := range []uint64{63, 64, 1 << 63, ^uint64(0)} {
		if got := policy.Delay(attempt, 99); got < 0 || got > 30*time.Second {
			t.Errorf("Delay(%d) = %v, outside [0, 30s]", attempt, got)
		}
	}
}

func TestStateOutlivesItsPolicy(t *testing.T) {
	policy, err := backoff.NewPolicy(backoff.WithJitter(backoff.NoJitter))
	if err != nil {
		t.Fatal(err)
	}
	state, err := backoff.NewState(policy)
	if err != nil {
		t.Fatal(err)
	}
	defer state.Close()
	policy.Close()
	policy.Close() // a second Close is a no-op
	if got := state.NextBackOff(); got != 100*time.Millisecond {
		t.Errorf("NextBackOff after the policy closed = %v", got)
	}
}

func TestUseAfterClosePanics(t *testing.T) {
	policy := newPolicy(t)
	policy.Close()
	defer func() {
		if recover() == nil {
			t.Error("Delay on a closed policy did not panic")
		}
	}()
	policy.Delay(0, 0)
}

func TestNowIsTheScaleOfTheStatesOwnClock(t *testing.T) {
	state := newState(t) // started on the monotonic clock
	elapsed := state.ElapsedAt(backoff.Now() + time.Second)
	if elapsed < time.Second || elapsed > time.Second+time.Minute {
		t.Errorf("ElapsedAt(Now() + 1s) = %v, want just over 1s", elapsed)
	}
}
