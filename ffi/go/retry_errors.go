package backoff

import (
	"errors"
	"fmt"
	"time"
)

// PermanentError wraps an error that retrying cannot help (a 400, a 404): Retry stops at once and returns
// the wrapped error, and a CircuitBreaker counts it as neither success nor failure.
type PermanentError struct {
	Err error
}

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent marks err as not worth retrying; Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err}
}

func isPermanent(err error) bool {
	var permanent *PermanentError
	return errors.As(err, &permanent)
}

// RetryAfterError is a server's request to wait (HTTP Retry-After): the next delay is at least Duration
// and still at most the policy's cap, and a breaker this failure opens stays open at least that long.
// The retry budget charges it as throttling.
type RetryAfterError struct {
	Duration time.Duration
}

func (e *RetryAfterError) Error() string { return fmt.Sprintf("retry after %s", e.Duration) }

// RetryAfter returns a *RetryAfterError for a wait of seconds, as cenkalti v5's does.
func RetryAfter(seconds int) error {
	return &RetryAfterError{Duration: time.Duration(seconds) * time.Second}
}

// The reasons a call stops before its operation has said its last word; errors.Is finds them in the
// errors Retry, Execute and Acquire return.
var (
	ErrCircuitOpen     = errors.New("libbackoff: circuit open")
	ErrBudgetExhausted = errors.New("libbackoff: retry budget exhausted")
)

// OpenError is a circuit breaker's refusal; errors.Is(err, ErrCircuitOpen) holds for it.
type OpenError struct {
	// Wait is how long the breaker will still refuse calls: the rest of its open period, 0 when half-open
	// with every probe slot taken, and the largest Duration when isolated. 0 also when not known.
	Wait time.Duration
}

func (e *OpenError) Error() string {
	return fmt.Sprintf("%v (admits again in %s)", ErrCircuitOpen, e.Wait)
}

func (e *OpenError) Is(target error) bool { return target == ErrCircuitOpen }

// StopError is Retry's answer when a breaker or a budget stopped the retries: Reason is an *OpenError or
// ErrBudgetExhausted, Err the last attempt's error. errors.Is and errors.As find either.
type StopError struct {
	Reason error
	Err    error
}

func (e *StopError) Error() string   { return fmt.Sprintf("%v after: %v", e.Reason, e.Err) }
func (e *StopError) Unwrap() []error { return []error{e.Reason, e.Err} }
