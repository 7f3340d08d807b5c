package backoff_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	backoff "libbackoff.dev/ffi/go"
)

func wantError(t *testing.T, err error, code int, fragments ...string) {
	t.Helper()
	var failure *backoff.Error
	if !errors.As(err, &failure) {
		t.Fatalf("got %v, want a *backoff.Error", err)
	}
	if failure.Code != code {
		t.Errorf("Code = %d, want %d (%s)", failure.Code, code, failure.Message)
	}
	for _, fragment := range fragments {
		if !strings.Contains(failure.Message, fragment) {
			t.Errorf("Message %q does not mention %q", failure.Message, fragment)
		}
	}
}

func TestMultiplierBelowOneIsRejectedWithItsNameAndValue(t *testing.T) {
	_, err := backoff.NewPolicy(backoff.Multiplier(0.5))
	wantError(t, err, backoff.CodeInvalid, "multiplier", "0.5")
}

func TestCapBelowInitialIsRejectedWhenThePolicyIsBuilt(t *testing.T) {
	_, err := backoff.NewPolicy(backoff.Initial(10*time.Second), backoff.Cap(time.Second))
	wantError(t, err, backoff.CodeInvalid, "cap")
}

func TestMisspelledParameterNameIsUnknown(t *testing.T) {
	_, err := backoff.NewPolicy(backoff.Set("multipler", "2"))
	wantError(t, err, backoff.CodeUnknown, "multipler")
}

func TestDurationWithoutUnitIsRejected(t *testing.T) {
	_, err := backoff.NewPolicy(backoff.Set("cap", "30"))
	wantError(t, err, backoff.CodeInvalid, "cap", "unit")
}

func TestNegativeHintIsRejected(t *testing.T) {
	state := newState(t, backoff.WithJitter(backoff.NoJitter))
	_, err := state.NextAt(0, -time.Nanosecond)
	wantError(t, err, backoff.CodeInvalid, "hint_ns")
	if state.Attempt() != 0 {
		t.Errorf("a rejected call counted an attempt")
	}
}

// The message is thread-local in C; goroutines hop between OS threads, so each must still read its own.
func TestEachGoroutineReadsTheMessageOfItsOwnFailure(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			factor := 1.5 + float64(g)/8 // outside [0, 1], distinct per goroutine
			want := fmt.Sprint(factor)
			for i := 0; i < 200; i++ {
				_, err := backoff.NewPolicy(backoff.RandomizationFactor(factor))
				var failure *backoff.Error
				if !errors.As(err, &failure) || !strings.Contains(failure.Message, want) {
					t.Errorf("goroutine %d read %v, want a message with %s", g, err, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestErrorTextCarriesMessageAndStatusDescription(t *testing.T) {
	_, err := backoff.NewPolicy(backoff.Multiplier(0.5))
	if text := err.Error(); !strings.Contains(text, "multiplier") || !strings.Contains(text, "invalid") {
		t.Errorf("Error() = %q", text)
	}
}
