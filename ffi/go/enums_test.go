package backoff_test

import (
	"slices"
	"testing"

	backoff "libbackoff.dev/ffi/go"
)

// checkFamily holds the Go constants of one enum family to the library: each is a value the library knows,
// in the library's order, by the library's name. A value the library adds is reachable through Parse and
// Values before Go names it, as in the Rust crate, so a new mode needs no Go change.
func checkFamily[E backoff.Enum](t *testing.T, constants []E, names []string) {
	t.Helper()
	library := backoff.Values[E]()
	previous := -1
	for i, constant := range constants {
		position := slices.Index(library, constant)
		if position < 0 || position < previous {
			t.Errorf("constant %d: not among the library's values %v in order", int64(constant), library)
		}
		previous = position
		if got := constant.String(); got != names[i] {
			t.Errorf("constant %d: String() = %q, want %q", int64(constant), got, names[i])
		}
		if parsed, err := backoff.Parse[E](names[i]); err != nil || parsed != constant {
			t.Errorf("Parse(%q) = %v, %v; want %d", names[i], parsed, err, int64(constant))
		}
	}
}

func TestGoConstantsAreTheLibrarysValuesAndNames(t *testing.T) {
	checkFamily(t, []backoff.Kind{backoff.Constant, backoff.Linear, backoff.Exponential, backoff.Decorrelated},
		[]string{"constant", "linear", "exponential", "decorrelated"})
	checkFamily(t, []backoff.Jitter{backoff.NoJitter, backoff.FullJitter, backoff.EqualJitter,
		backoff.RandomizationJitter},
		[]string{"none", "full", "equal", "randomization"})
	checkFamily(t, []backoff.BreakerState{backoff.StateClosed, backoff.StateOpen, backoff.StateHalfOpen,
		backoff.StateIsolated, backoff.StateDisabled}, []string{"closed", "open", "half_open", "isolated", "disabled"})
	checkFamily(t, []backoff.TripRule{backoff.TripConsecutive, backoff.TripCount, backoff.TripRatio},
		[]string{"consecutive", "count", "ratio"})
	checkFamily(t, []backoff.Calibration{backoff.CalibrationAWS, backoff.CalibrationGRPC, backoff.CalibrationFinagle},
		[]string{"aws", "grpc", "finagle"})
	checkFamily(t, []backoff.ErrorClass{backoff.ErrorOrdinary, backoff.ErrorTimeout, backoff.ErrorThrottling},
		[]string{"ordinary", "timeout", "throttling"})
}

func TestAnUnknownNameIsRejectedWithTheKnownOnes(t *testing.T) {
	_, err := backoff.Parse[backoff.Jitter]("ful")
	wantError(t, err, backoff.CodeUnknown, "ful", "full")
}

func TestAValueTheLibraryDoesNotKnowHasNoName(t *testing.T) {
	if name := backoff.Kind(99).String(); name != "" {
		t.Errorf("Kind(99).String() = %q, want \"\"", name)
	}
	if name := backoff.Kind(1 << 40).String(); name != "" {
		t.Errorf("Kind(1<<40).String() = %q, want \"\"", name)
	}
}
