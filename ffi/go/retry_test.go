package backoff_test

import (
	"context"
	"errors"
	"testing"
	"time"

	backoff "libbackoff.dev/ffi/go"
)

// instantTimer is a Timer that fires at once and remembers every wait it was asked for.
type instantTimer struct {
	waits []time.Duration
	c     chan time.Time
}

func newInstantTimer() *instantTimer { return &instantTimer{c: make(chan time.Time, 1)} }

func (t *instantTimer) Start(d time.Duration) { t.waits = append(t.waits, d); t.c <- time.Time{} }
func (t *instantTimer) Stop()                 {}
func (t *instantTimer) C() <-chan time.Time   { return t.c }

// failing returns an operation that fails failures times with err, then returns "done".
func failing(failures int, err error) (op backoff.Operation[string], calls *int) {
	calls = new(int)
	return func() (string, error) {
		*calls++
		if *calls <= failures {
			return "", err
		}
		return "done", nil
	}, calls
}

func TestRetryReturnsAFirstSuccessWithoutWaiting(t *testing.T) {
	op, calls := failing(0, nil)
	timer := newInstantTimer()
	result, err := backoff.Retry(context.Background(), op, backoff.WithTimer(timer))
	if result != "done" || err != nil || *calls != 1 || len(timer.waits) != 0 {
		t.Errorf("got %q, %v after %d calls and waits %v", result, err, *calls, timer.waits)
	}
}

func TestRetryWaitsTheBackOffsDelaysUntilTheOperationRecovers(t *testing.T) {
	op, calls := failing(2, errTransient)
	timer := newInstantTimer()
	result, err := backoff.Retry(context.Background(), op, backoff.WithTimer(timer),
		backoff.WithBackOff(backoff.NewConstantBackOff(10*time.Millisecond)))
	if result != "done" || err != nil || *calls != 3 {
		t.Fatalf("got %q, %v after %d calls", result, err, *calls)
	}
	if len(timer.waits) != 2 || timer.waits[0] != 10*time.Millisecond || timer.waits[1] != 10*time.Millisecond {
		t.Errorf("waits = %v, want [10ms 10ms]", timer.waits)
	}
}

func TestTheDefaultScheduleIsCenkaltis(t *testing.T) {
	op, _ := failing(1, errTransient)
	timer := newInstantTimer()
	if _, err := backoff.Retry(context.Background(), op, backoff.WithTimer(timer)); err != nil {
		t.Fatal(err)
	}
	if wait := timer.waits[0]; wait < 250*time.Millisecond || wait > 750*time.Millisecond {
		t.Errorf("first wait = %v, want 500ms +- 50%%", wait)
	}
}

func TestAPermanentErrorStopsAtOnceAndIsUnwrapped(t *testing.T) {
	errBadRequest := errors.New("400 Bad Request")
	op, calls := failing(5, backoff.Permanent(errBadRequest))
	_, err := backoff.Retry(context.Background(), op, backoff.WithTimer(newInstantTimer()))
	if err != errBadRequest || *calls != 1 {
		t.Errorf("got %v after %d calls, want the unwrapped error after 1", err, *calls)
	}
	if backoff.Permanent(nil) != nil {
		t.Error("Permanent(nil) is not nil")
	}
}

func TestMaxTriesCountsTheFirstCallAndReturnsTheLastError(t *testing.T) {
	op, calls := failing(10, errTransient)
	var notified []time.Duration
	_, err := backoff.Retry(context.Background(), op, backoff.WithTimer(newInstantTimer()),
		backoff.WithBackOff(&backoff.ZeroBackOff{}), backoff.WithMaxTries(3),
		backoff.WithNotify(func(err error, next time.Duration) {
			if !errors.Is(err, errTransient) {
				t.Errorf("notified of %v", err)
			}
			notified = append(notified, next)
		}))
	if !errors.Is(err, errTransient) || *calls != 3 || len(notified) != 2 {
		t.Errorf("got %v after %d calls, %d notifications; want the last error after 3 calls, 2 notifications",
			err, *calls, len(notified))
	}
}

func TestStopBackOffKeepsItsSingleTryWhateverMaxTries(t *testing.T) {
	op, calls := failing(10, errTransient)
	_, err := backoff.Retry(context.Background(), op, backoff.WithBackOff(&backoff.StopBackOff{}),
		backoff.WithMaxTries(5))
	if !errors.Is(err, errTransient) || *calls != 1 {
		t.Errorf("got %v after %d calls, want the error after 1", err, *calls)
	}
}

func TestMaxElapsedTimeStopsBeforeAWaitThatWouldPassIt(t *testing.T) {
	op, calls := failing(10, errTransient)
	timer := newInstantTimer()
	_, err := backoff.Retry(context.Background(), op, backoff.WithTimer(timer),
		backoff.WithBackOff(backoff.NewConstantBackOff(time.Second)), backoff.WithMaxElapsedTime(500*time.Millisecond))
	if !errors.Is(err, errTransient) || *calls != 1 || len(timer.waits) != 0 {
		t.Errorf("got %v after %d calls and waits %v; want the error at once", err, *calls, timer.waits)
	}
}

func TestRetryAfterIsAFloorOnTheDelayAndTheCapStillHolds(t *testing.T) {
	hints := []error{backoff.RetryAfter(1), backoff.RetryAfter(5)}
	calls := 0
	op := func() (int, error) {
		if calls < len(hints) {
			calls++
			return 0, hints[calls-1]
		}
		return 42, nil
	}
	timer := newInstantTimer()
	b := backoff.NewExponentialBackOff(backoff.WithRandomizationFactor(0),
		backoff.WithInitialInterval(10*time.Millisecond),
		backoff.WithMaxInterval(2*time.Second))
	result, err := backoff.Retry(context.Background(), op, backoff.WithTimer(timer), backoff.WithBackOff(b))
	if result != 42 || err != nil {
		t.Fatalf("got %d, %v", result, err)
	}
	if len(timer.waits) != 2 || timer.waits[0] != time.Second || timer.waits[1] != 2*time.Second {
		t.Errorf("waits = %v, want [1s (the hint) 2s (the cap, under a 5s hint)]", timer.waits)
	}
}

func TestANegativeRetryAfterIsRejectedByName(t *testing.T) {
	op, _ := failing(1, backoff.RetryAfter(-1))
	_, err := backoff.Retry(context.Background(), op, backoff.WithTimer(newInstantTimer()))
	wantError(t, err, backoff.CodeInvalid, "hint")
}

func TestACancelledContextEndsTheWaitWithItsCause(t *testing.T) {
	errShutdown := errors.New("shutting down")
	ctx, cancel := context.WithCancelCause(context.Background())
	op, calls := failing(10, errTransient)
	start := time.Now()
	_, err := backoff.Retry(ctx, op, backoff.WithBackOff(backoff.NewConstantBackOff(time.Hour)),
		backoff.WithMaxElapsedTime(0),
		backoff.WithNotify(func(error, time.Duration) { cancel(errShutdown) }))
	if err != errShutdown || *calls != 1 || time.Since(start) > time.Minute {
		t.Errorf("got %v after %d calls; want the cause at once", err, *calls)
	}
}

func TestAContextDoneBeforeAFailureStopsRetrying(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	op, calls := failing(10, errTransient)
	_, err := backoff.Retry(ctx, op, backoff.WithTimer(newInstantTimer()))
	if !errors.Is(err, context.Canceled) || *calls != 1 {
		t.Errorf("got %v after %d calls", err, *calls)
	}
}

type foreignBackOff struct{}

func (foreignBackOff) NextBackOff() time.Duration { return 0 }
func (foreignBackOff) Reset()                     {}

func TestABackOffTheLibraryCannotRunIsRejectedByItsType(t *testing.T) {
	op, calls := failing(0, nil)
	_, err := backoff.Retry(context.Background(), op, backoff.WithBackOff(foreignBackOff{}))
	wantError(t, err, backoff.CodeInvalid, "WithBackOff", "foreignBackOff")
	if *calls != 0 {
		t.Errorf("the operation ran %d times", *calls)
	}
}

func TestANegativeConstantDelayIsRejectedByName(t *testing.T) {
	op, _ := failing(1, errTransient)
	_, err := backoff.Retry(context.Background(), op, backoff.WithBackOff(backoff.NewConstantBackOff(-time.Second)))
	wantError(t, err, backoff.CodeInvalid, "initial")
}
