package backoff_test

import (
	"context"
	"errors"
	"testing"
	"time"

	backoff "libbackoff.dev/ffi/go"
)

func fail() error    { return errTransient }
func succeed() error { return nil }

func TestTheBreakerOpensAfterThresholdFailuresAndFailsFast(t *testing.T) {
	cb := newBreaker(t, backoff.WithFailureThreshold(3), backoff.WithOpenDuration(time.Minute))
	for i := 0; i < 3; i++ {
		if err := cb.Execute(fail); err != errTransient {
			t.Fatalf("call %d returned %v, want the operation's error", i, err)
		}
	}
	called := false
	err := cb.Execute(func() error { called = true; return nil })
	var open *backoff.OpenError
	if called || !errors.Is(err, backoff.ErrCircuitOpen) || !errors.As(err, &open) {
		t.Fatalf("an open breaker ran the call (%v) or returned %v", called, err)
	}
	if open.Wait <= 0 || open.Wait > time.Minute {
		t.Errorf("Wait = %v, want the rest of the 1m open period", open.Wait)
	}
	if cb.State() != backoff.StateOpen {
		t.Errorf("State() = %v", cb.State())
	}
}

func TestASuccessEndsTheRunOfFailures(t *testing.T) {
	cb := newBreaker(t, backoff.WithFailureThreshold(3))
	for _, op := range []func() error{fail, fail, succeed, fail, fail} {
		cb.Execute(op)
	}
	if cb.State() != backoff.StateClosed {
		t.Errorf("State() = %v after two runs of two failures, want closed", cb.State())
	}
}

func TestPermanentErrorsSayNothingOfTheServicesHealth(t *testing.T) {
	cb := newBreaker(t, backoff.WithFailureThreshold(1))
	errNotFound := backoff.Permanent(errors.New("404"))
	for i := 0; i < 5; i++ {
		if err := cb.Execute(func() error { return errNotFound }); err != errNotFound {
			t.Fatalf("Execute returned %v", err)
		}
	}
	if cb.State() != backoff.StateClosed {
		t.Errorf("State() = %v after permanent errors, want closed", cb.State())
	}
}

func TestHalfOpenAdmitsOneProbeWhoseSuccessCloses(t *testing.T) {
	cb := newBreaker(t)
	if err := cb.Transition(backoff.StateHalfOpen); err != nil {
		t.Fatal(err)
	}
	probe, err := cb.Acquire()
	if err != nil {
		t.Fatal(err)
	}
	var open *backoff.OpenError
	if _, err := cb.Acquire(); !errors.As(err, &open) || open.Wait != 0 {
		t.Fatalf("a second probe got %v, want a refusal with no wait (a slot may free up)", err)
	}
	if err := probe.Done(nil); err != nil {
		t.Fatal(err)
	}
	if cb.State() != backoff.StateClosed {
		t.Errorf("State() = %v after the probe succeeded", cb.State())
	}
}

func TestAReleasedProbeFreesItsSlot(t *testing.T) {
	cb := newBreaker(t)
	cb.Transition(backoff.StateHalfOpen)
	probe, _ := cb.Acquire()
	probe.Release()
	if _, err := cb.Acquire(); err != nil {
		t.Errorf("after Release, Acquire returned %v", err)
	}
}

func TestTheOpenPeriodEndsInHalfOpen(t *testing.T) {
	cb := newBreaker(t, backoff.WithFailureThreshold(1), backoff.WithOpenDuration(10*time.Millisecond))
	cb.Execute(fail)
	time.Sleep(20 * time.Millisecond)
	if err := cb.Execute(succeed); err != nil {
		t.Fatalf("after the open period, the probe got %v", err)
	}
	if cb.State() != backoff.StateClosed {
		t.Errorf("State() = %v after a successful probe", cb.State())
	}
}

func TestAPanicInTheCallCountsAsAFailureAndGoesOn(t *testing.T) {
	cb := newBreaker(t, backoff.WithFailureThreshold(1))
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not go on")
			}
		}()
		cb.Execute(func() error { panic("boom") })
	}()
	if cb.State() != backoff.StateOpen {
		t.Errorf("State() = %v after a panicking call, want open", cb.State())
	}
}

// A probe whose operation panics must not hold the only half-open slot for ever.
func TestAPanicInARetriedOperationGivesThePermitBack(t *testing.T) {
	cb := newBreaker(t)
	cb.Transition(backoff.StateHalfOpen)
	func() {
		defer func() { recover() }()
		backoff.Retry(context.Background(), func() (int, error) { panic("boom") }, backoff.WithCircuitBreaker(cb))
	}()
	if _, err := cb.Acquire(); err != nil {
		t.Errorf("after the panic, Acquire returned %v: the probe slot was not given back", err)
	}
}

func TestABadReportIsRejectedByNameAlongsideTheCallsError(t *testing.T) {
	cb := newBreaker(t)
	errNegative := backoff.RetryAfter(-1)
	err := cb.Execute(func() error { return errNegative })
	if !errors.Is(err, errNegative) {
		t.Errorf("Execute returned %v, which lost the call's error", err)
	}
	wantError(t, err, backoff.CodeInvalid, "hint")
}

func TestStateChangesArePolledInOrderWithTheirCause(t *testing.T) {
	cb := newBreaker(t, backoff.WithFailureThreshold(1))
	before := backoff.Now()
	cb.Execute(fail)
	cb.Transition(backoff.StateClosed)
	want := []backoff.BreakerEvent{
		{State: backoff.StateOpen, Previous: backoff.StateClosed, Cause: "failures"},
		{State: backoff.StateClosed, Previous: backoff.StateOpen, Cause: "manual"},
	}
	for i, w := range want {
		event, ok := cb.PollEvent()
		if !ok || event.State != w.State || event.Previous != w.Previous || event.Cause != w.Cause ||
			event.At < before || event.At > backoff.Now() {
			t.Errorf("event %d = %+v, %v; want %+v at a time of this test", i, event, ok, w)
		}
	}
	if event, ok := cb.PollEvent(); ok {
		t.Errorf("a third event %+v", event)
	}
}

func TestCountsAreReadByTheLibrarysNames(t *testing.T) {
	cb := newBreaker(t, backoff.WithFailureThreshold(2))
	for _, op := range []func() error{succeed, fail, fail, succeed} {
		cb.Execute(op)
	}
	want := map[string]uint64{"admitted": 3, "rejected": 1, "successes": 1, "failures": 2, "trips": 1}
	for name, count := range want {
		if got, err := cb.Count(name); err != nil || got != count {
			t.Errorf("Count(%q) = %d, %v; want %d", name, got, err, count)
		}
	}
	_, err := cb.Count("trip")
	wantError(t, err, backoff.CodeUnknown, "trip", "trips")
}

func TestRejectedBreakerParametersAreNamed(t *testing.T) {
	_, err := backoff.NewCircuitBreaker(backoff.WithFailureRatio(1.5))
	wantError(t, err, backoff.CodeInvalid, "failure_ratio", "1.5")
	_, err = backoff.NewCircuitBreaker(backoff.BreakerSetting("window", "weekly"))
	wantError(t, err, backoff.CodeUnknown, "weekly")
}

func TestBreakerSettingReachesEveryParameterByName(t *testing.T) {
	cb := newBreaker(t, backoff.BreakerSetting("trip", "count"), backoff.BreakerSetting("failure_threshold", "2"),
		backoff.BreakerSetting("window", "count"), backoff.BreakerSetting("window_size", "10"))
	for _, op := range []func() error{fail, succeed, fail} {
		cb.Execute(op)
	}
	if cb.State() != backoff.StateOpen {
		t.Errorf("State() = %v: two failures within the count window should trip it", cb.State())
	}
}

func TestRetryStopsWhenTheBreakerOpens(t *testing.T) {
	cb := newBreaker(t, backoff.WithFailureThreshold(2), backoff.WithOpenDuration(time.Minute))
	op, calls := failing(10, errTransient)
	_, err := backoff.Retry(context.Background(), op, backoff.WithBackOff(&backoff.ZeroBackOff{}),
		backoff.WithCircuitBreaker(cb), backoff.WithTimer(newInstantTimer()))
	var stop *backoff.StopError
	if !errors.As(err, &stop) || !errors.Is(err, backoff.ErrCircuitOpen) || !errors.Is(err, errTransient) {
		t.Fatalf("got %v, want a *StopError carrying ErrCircuitOpen and the last error", err)
	}
	if *calls != 2 {
		t.Errorf("calls = %d, want 2: the breaker opened at the second failure", *calls)
	}
	// Now open: the next call is refused before its first attempt.
	op, calls = failing(0, nil)
	_, err = backoff.Retry(context.Background(), op, backoff.WithCircuitBreaker(cb))
	if !errors.Is(err, backoff.ErrCircuitOpen) || *calls != 0 {
		t.Errorf("got %v after %d calls, want a refusal before any", err, *calls)
	}
}

func TestRetryReportsEachAttemptToTheBreaker(t *testing.T) {
	cb := newBreaker(t, backoff.WithFailureThreshold(3))
	for i := 0; i < 10; i++ { // two failures then a success each time: never three in a row
		op, _ := failing(2, errTransient)
		if _, err := backoff.Retry(context.Background(), op, backoff.WithBackOff(&backoff.ZeroBackOff{}),
			backoff.WithCircuitBreaker(cb), backoff.WithTimer(newInstantTimer())); err != nil {
			t.Fatal(err)
		}
	}
	if cb.State() != backoff.StateClosed {
		t.Errorf("State() = %v", cb.State())
	}
}
