package backoff

/*
#include <stdlib.h>
#include <backoff.h>
*/
import "C"

import "unsafe"

// The enum types below take their values from backoff.h, so a value cannot drift from the library's;
// their names come from the library at run time (backoff_name_of), so no name table is kept here.
// enums_test.go walks each family in the library and fails if a value has no Go constant.

// Kind is how the delay grows with the attempt number (BACKOFF_ENUM_KIND).
type Kind int64

// Jitter is the randomness applied to each delay (BACKOFF_ENUM_JITTER).
type Jitter int64

// BreakerState is where a CircuitBreaker stands (BACKOFF_ENUM_BREAKER_STATE).
type BreakerState int64

// TripRule is what trips a closed CircuitBreaker (BACKOFF_ENUM_BREAKER_TRIP).
type TripRule int64

// Calibration is the kind of token bucket a RetryBudget is (BACKOFF_ENUM_BUDGET_CALIBRATION).
type Calibration int64

// ErrorClass is the kind of failure a retry follows, which an AWS budget charges differently
// (BACKOFF_ENUM_ERROR_CLASS).
type ErrorClass int64

const (
	Constant     Kind = C.BACKOFF_KIND_CONSTANT     // initial every time; initial 0 is "zero backoff"
	Linear       Kind = C.BACKOFF_KIND_LINEAR       // initial + n * increment
	Exponential  Kind = C.BACKOFF_KIND_EXPONENTIAL  // initial * multiplier^n
	Decorrelated Kind = C.BACKOFF_KIND_DECORRELATED // AWS's decorrelated jitter, its randomness built in

	NoJitter            Jitter = C.BACKOFF_JITTER_NONE          // d
	FullJitter          Jitter = C.BACKOFF_JITTER_FULL          // U(0, d)
	EqualJitter         Jitter = C.BACKOFF_JITTER_EQUAL         // d/2 + U(0, d/2)
	RandomizationJitter Jitter = C.BACKOFF_JITTER_RANDOMIZATION // U(d(1-f), min(cap, d(1+f))), cenkalti's

	StateClosed   BreakerState = C.BACKOFF_BREAKER_CLOSED    // admits every call
	StateOpen     BreakerState = C.BACKOFF_BREAKER_OPEN      // rejects every call until the open period ends
	StateHalfOpen BreakerState = C.BACKOFF_BREAKER_HALF_OPEN // admits a few probe calls at a time
	StateIsolated BreakerState = C.BACKOFF_BREAKER_ISOLATED  // forced open until a manual transition
	StateDisabled BreakerState = C.BACKOFF_BREAKER_DISABLED  // admits everything, never trips

	TripConsecutive TripRule = C.BACKOFF_BREAKER_TRIP_CONSECUTIVE // n failures in a row
	TripCount       TripRule = C.BACKOFF_BREAKER_TRIP_COUNT       // n failures within the window
	TripRatio       TripRule = C.BACKOFF_BREAKER_TRIP_RATIO       // a failure ratio within the window

	CalibrationAWS     Calibration = C.BACKOFF_BUDGET_AWS     // AWS SDKs' standard retry quota
	CalibrationGRPC    Calibration = C.BACKOFF_BUDGET_GRPC    // gRFC A6 retry throttling
	CalibrationFinagle Calibration = C.BACKOFF_BUDGET_FINAGLE // Finagle's RetryBudget

	ErrorOrdinary   ErrorClass = C.BACKOFF_ERROR_ORDINARY   // retry_cost
	ErrorTimeout    ErrorClass = C.BACKOFF_ERROR_TIMEOUT    // timeout_cost
	ErrorThrottling ErrorClass = C.BACKOFF_ERROR_THROTTLING // throttling_cost
)

// Enum is any of the enum types above; Parse and Values take one as their type parameter.
type Enum interface {
	~int64
	String() string
	family() C.int
}

func (Kind) family() C.int         { return C.BACKOFF_ENUM_KIND }
func (Jitter) family() C.int       { return C.BACKOFF_ENUM_JITTER }
func (BreakerState) family() C.int { return C.BACKOFF_ENUM_BREAKER_STATE }
func (TripRule) family() C.int     { return C.BACKOFF_ENUM_BREAKER_TRIP }
func (Calibration) family() C.int  { return C.BACKOFF_ENUM_BUDGET_CALIBRATION }
func (ErrorClass) family() C.int   { return C.BACKOFF_ENUM_ERROR_CLASS }

// String returns the library's name for the value ("full", "half_open"), the name the text setters
// read, or "" for a value the library does not know. The same holds for every enum type's String.
func (k Kind) String() string         { return nameOf(k) }
func (j Jitter) String() string       { return nameOf(j) }
func (s BreakerState) String() string { return nameOf(s) }
func (t TripRule) String() string     { return nameOf(t) }
func (c Calibration) String() string  { return nameOf(c) }
func (e ErrorClass) String() string   { return nameOf(e) }

// nameOf asks the library for a value's name; it is static storage, copied and never freed.
func nameOf[E Enum](value E) string {
	if int64(value) != int64(C.int(value)) {
		return ""
	}
	return C.GoString(C.backoff_name_of(value.family(), C.int(value)))
}

// Parse returns the value the library names name in E's family: Parse[Jitter]("full") is FullJitter.
// An unknown name returns an *Error with CodeUnknown whose message lists the known names.
func Parse[E Enum](name string) (E, error) {
	var family E
	cName := C.CString(name)
	defer C.free(unsafe.Pointer(cName))
	var value C.int
	err := call(func() C.int { return C.backoff_value_of(&value, family.family(), cName) })
	return E(value), err
}

// Values returns every value of E's family that the library knows, in order.
func Values[E Enum]() []E {
	var values []E
	for value := E(0); nameOf(value) != ""; value++ {
		values = append(values, value)
	}
	return values
}
