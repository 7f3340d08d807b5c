package backoff_test

import (
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	backoff "libbackoff.dev/ffi/go"
)

// fakeClock is a Clock moved by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestNewExponentialBackOffHasCenkaltisDefaults(t *testing.T) {
	b := backoff.NewExponentialBackOff()
	if b.InitialInterval != 500*time.Millisecond || b.RandomizationFactor != 0.5 || b.Multiplier != 1.5 ||
		b.MaxInterval != 60*time.Second || b.MaxElapsedTime != 15*time.Minute || b.Clock != backoff.SystemClock {
		t.Errorf("defaults = %+v", b)
	}
}

func TestOptionsSetTheirFields(t *testing.T) {
	clock := newFakeClock()
	b := backoff.NewExponentialBackOff(backoff.WithInitialInterval(time.Second), backoff.WithMaxInterval(time.Minute),
		backoff.WithMultiplier(3), backoff.WithRandomizationFactor(0.1), backoff.WithMaxElapsedTime(time.Hour),
		backoff.WithClock(clock))
	if b.InitialInterval != time.Second || b.MaxInterval != time.Minute || b.Multiplier != 3 ||
		b.RandomizationFactor != 0.1 || b.MaxElapsedTime != time.Hour || b.Clock != clock {
		t.Errorf("fields = %+v", b)
	}
}

// Each delay lies in [d(1-f), d(1+f)] around d = initial * multiplier^n, so the schedule grows.
func TestDelaysGrowExponentiallyWithinTheRandomizationBand(t *testing.T) {
	b := backoff.NewExponentialBackOff(backoff.WithInitialInterval(100*time.Millisecond),
		backoff.WithMultiplier(2), backoff.WithRandomizationFactor(0.25), backoff.WithMaxInterval(time.Hour),
		backoff.WithClock(newFakeClock()))
	d := 100 * time.Millisecond
	for n := 0; n < 10; n++ {
		got := b.NextBackOff()
		low, high := time.Duration(float64(d)*0.75), time.Duration(float64(d)*1.25)
		if got < low || got > high {
			t.Fatalf("delay %d = %v, want within [%v, %v]", n, got, low, high)
		}
		d *= 2
	}
}

func TestZeroRandomizationFactorGivesTheExactInterval(t *testing.T) {
	b := backoff.NewExponentialBackOff(backoff.WithRandomizationFactor(0), backoff.WithClock(newFakeClock()))
	want := []time.Duration{500 * time.Millisecond, 750 * time.Millisecond, 1125 * time.Millisecond,
		1687500 * time.Microsecond}
	for i, w := range want {
		if got := b.NextBackOff(); got != w {
			t.Errorf("delay %d = %v, want %v", i, got, w)
		}
	}
}

func TestResetStartsOverAtTheInitialInterval(t *testing.T) {
	b := backoff.NewExponentialBackOff(backoff.WithRandomizationFactor(0), backoff.WithClock(newFakeClock()))
	for i := 0; i < 5; i++ {
		b.NextBackOff()
	}
	b.Reset()
	if got := b.NextBackOff(); got != 500*time.Millisecond {
		t.Errorf("after Reset = %v, want 500ms", got)
	}
}

// The overflow cenkalti's changelog records: a huge multiplier must clamp to MaxInterval, never wrap.
func TestOverflowClampsToMaxIntervalNeverNegative(t *testing.T) {
	for _, multiplier := range []float64{2, 1e10, math.MaxFloat64} {
		b := backoff.NewExponentialBackOff(backoff.WithMultiplier(multiplier), backoff.WithMaxInterval(time.Hour),
			backoff.WithRandomizationFactor(0), backoff.WithMaxElapsedTime(0), backoff.WithClock(newFakeClock()))
		if first := b.NextBackOff(); first != 500*time.Millisecond {
			t.Fatalf("multiplier %g: first delay = %v, want 500ms", multiplier, first)
		}
		for i := 1; i < 200; i++ {
			got := b.NextBackOff()
			if got < 0 || got > time.Hour || (multiplier >= 1e10 && got != time.Hour) {
				t.Fatalf("multiplier %g, delay %d = %v, want within [0, 1h] (1h past the cap)", multiplier, i, got)
			}
		}
	}
}

func TestMaxIntervalCapsEveryRandomizedDelay(t *testing.T) {
	b := backoff.NewExponentialBackOff(backoff.WithMaxInterval(2*time.Second), backoff.WithRandomizationFactor(1),
		backoff.WithMaxElapsedTime(0), backoff.WithClock(newFakeClock()))
	for i := 0; i < 1000; i++ {
		if got := b.NextBackOff(); got > 2*time.Second {
			t.Fatalf("delay %d = %v, above MaxInterval 2s", i, got)
		}
	}
}

func TestMaxElapsedTimeStopsWhenTheNextDelayWouldPassIt(t *testing.T) {
	clock := newFakeClock()
	b := backoff.NewExponentialBackOff(backoff.WithRandomizationFactor(0), backoff.WithInitialInterval(time.Second),
		backoff.WithMultiplier(2), backoff.WithMaxElapsedTime(10*time.Second), backoff.WithClock(clock))
	for _, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
		got := b.NextBackOff()
		if got != want {
			t.Fatalf("delay = %v, want %v", got, want)
		}
		clock.Advance(got)
	}
	if got := b.GetElapsedTime(); got != 7*time.Second {
		t.Errorf("GetElapsedTime() = %v, want 7s", got)
	}
	if got := b.NextBackOff(); got != backoff.Stop { // 7s + 8s > 10s
		t.Errorf("NextBackOff() at 7s = %v, want Stop", got)
	}
	b.Reset()
	if got := b.NextBackOff(); got != time.Second {
		t.Errorf("after Reset = %v, want 1s", got)
	}
}

func TestChangedFieldsTakeEffectAndStartOver(t *testing.T) {
	b := backoff.NewExponentialBackOff(backoff.WithRandomizationFactor(0), backoff.WithClock(newFakeClock()))
	b.NextBackOff()
	b.InitialInterval = 2 * time.Second
	if got := b.NextBackOff(); got != 2*time.Second {
		t.Errorf("after changing InitialInterval, NextBackOff() = %v, want 2s", got)
	}
}

func TestRejectedFieldsPanicWithTheNamedErrorAndValidateReturnsIt(t *testing.T) {
	b := backoff.NewExponentialBackOff()
	b.Multiplier = 0.5
	wantError(t, b.Validate(), backoff.CodeInvalid, "multiplier", "0.5")
	defer func() {
		err, _ := recover().(error)
		var failure *backoff.Error
		if !errors.As(err, &failure) || failure.Code != backoff.CodeInvalid {
			t.Errorf("NextBackOff panicked with %v, want a *backoff.Error", err)
		}
	}()
	b.NextBackOff()
}

func TestNewExponentialBackOffPanicsOnACapBelowTheInitialInterval(t *testing.T) {
	defer func() {
		if err, _ := recover().(error); err == nil {
			t.Error("no panic")
		} else {
			wantError(t, err, backoff.CodeInvalid, "cap")
		}
	}()
	backoff.NewExponentialBackOff(backoff.WithInitialInterval(time.Minute), backoff.WithMaxInterval(time.Second))
}

func TestTwoBackOffsDrawDifferentJitter(t *testing.T) {
	a, b := backoff.NewExponentialBackOff(), backoff.NewExponentialBackOff()
	same := 0
	for i := 0; i < 10; i++ {
		if a.NextBackOff() == b.NextBackOff() {
			same++
		}
	}
	if same == 10 {
		t.Error("two unseeded backoffs drew the same ten delays: their jitter is in lockstep")
	}
}
