package backoff_test

import (
	"testing"
	"time"

	backoff "libbackoff.dev/ffi/go"
)

// Seed 000, task 1: the interface, Stop and the simple backoffs.

func TestStopIsMinusOne(t *testing.T) {
	if backoff.Stop != -1 {
		t.Errorf("Stop = %d, want -1", backoff.Stop)
	}
}

func TestZeroBackOffRetriesAtOnce(t *testing.T) {
	var b backoff.BackOff = &backoff.ZeroBackOff{}
	for i := 0; i < 3; i++ {
		if got := b.NextBackOff(); got != 0 {
			t.Fatalf("NextBackOff() = %v, want 0", got)
		}
	}
	b.Reset()
}

func TestStopBackOffNeverRetries(t *testing.T) {
	var b backoff.BackOff = &backoff.StopBackOff{}
	if got := b.NextBackOff(); got != backoff.Stop {
		t.Errorf("NextBackOff() = %v, want Stop", got)
	}
	b.Reset()
	if got := b.NextBackOff(); got != backoff.Stop {
		t.Errorf("after Reset, NextBackOff() = %v, want Stop", got)
	}
}

func TestConstantBackOffWaitsItsDelayEveryTime(t *testing.T) {
	var b backoff.BackOff = backoff.NewConstantBackOff(250 * time.Millisecond)
	for i := 0; i < 3; i++ {
		if got := b.NextBackOff(); got != 250*time.Millisecond {
			t.Fatalf("NextBackOff() = %v, want 250ms", got)
		}
	}
	b.Reset()
	if got := b.NextBackOff(); got != 250*time.Millisecond {
		t.Errorf("after Reset, NextBackOff() = %v", got)
	}
}
