package backoff

/*
#include <backoff.h>
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"
)

// Operation is what Retry calls: one attempt, its result and its error.
type Operation[T any] func() (T, error)

// Notify is called after a failed attempt, before Retry waits next: cenkalti's notify hook.
type Notify func(err error, next time.Duration)

// Timer is how Retry waits; inject one with WithTimer to wait by hand in tests (cenkalti v5's Timer).
type Timer interface {
	Start(d time.Duration)
	Stop()
	C() <-chan time.Time
}

// RetryOption configures Retry.
type RetryOption interface {
	applyRetry(o *retryOptions)
}

type retryOption func(o *retryOptions)

func (f retryOption) applyRetry(o *retryOptions) { f(o) }

type retryOptions struct {
	backOff       BackOff
	maxTries      uint
	maxElapsed    time.Duration
	hasMaxElapsed bool
	notify        Notify
	timer         Timer
	breaker       *CircuitBreaker
	budget        *RetryBudget
}

// WithBackOff sets the schedule: a BackOff of this package (the default is NewExponentialBackOff()'s).
// Retry runs the library's policy for it, leaving b's own state alone, so one b may serve concurrent calls.
func WithBackOff(b BackOff) RetryOption { return retryOption(func(o *retryOptions) { o.backOff = b }) }

// WithMaxTries stops after n attempts in all, the first included; 0 is no limit. A BackOff that allows
// fewer (StopBackOff: one) keeps its own limit.
func WithMaxTries(n uint) RetryOption { return retryOption(func(o *retryOptions) { o.maxTries = n }) }

// WithMaxElapsedTime in Retry replaces the BackOff's limit (DefaultMaxElapsedTime, or an
// ExponentialBackOff's MaxElapsedTime); the time counts from the first failure.
func (d MaxElapsedTimeOption) applyRetry(o *retryOptions) {
	o.maxElapsed, o.hasMaxElapsed = time.Duration(d), true
}

// WithNotify calls n after each failure that will be retried, with the error and the wait before the next try.
func WithNotify(n Notify) RetryOption { return retryOption(func(o *retryOptions) { o.notify = n }) }

// WithTimer makes Retry wait on t instead of a time.Timer.
func WithTimer(t Timer) RetryOption { return retryOption(func(o *retryOptions) { o.timer = t }) }

// WithCircuitBreaker asks cb for a permit before every attempt and reports each attempt's result to it.
// A refusal ends the call at once with an *OpenError (in a *StopError after a failure).
func WithCircuitBreaker(cb *CircuitBreaker) RetryOption {
	return retryOption(func(o *retryOptions) { o.breaker = cb })
}

// WithRetryBudget draws every retry from budget; a refusal ends the call with a *StopError whose Reason
// is ErrBudgetExhausted.
func WithRetryBudget(budget *RetryBudget) RetryOption {
	return retryOption(func(o *retryOptions) { o.budget = budget })
}

// Retry calls operation until it succeeds, returns a Permanent error, or the library decides to stop:
// the policy's tries or elapsed time are used up (the last error is returned), or the breaker or the
// budget refuses (a *StopError or an *OpenError). It waits between attempts with a timer, returning
// context.Cause(ctx) as soon as ctx is done. A *RetryAfterError asks for a longer wait.
//
// Every decision is the library's retrier's. A call whose first attempt succeeds with no breaker and no
// budget has nothing to decide, and does not cross into C at all.
func Retry[T any](ctx context.Context, operation Operation[T], options ...RetryOption) (T, error) {
	var o retryOptions
	for _, option := range options {
		option.applyRetry(&o)
	}
	if _, ok := o.backOff.(schedule); o.backOff != nil && !ok {
		var zero T
		return zero, &Error{Code: CodeInvalid, Message: fmt.Sprintf(
			"WithBackOff: %T is not a BackOff of this package, which the library can run", o.backOff)}
	}
	call := retryCall{options: &o, attached: o.breaker != nil || o.budget != nil}
	defer call.close()
	if call.attached {
		if s, err := call.begin(); err != nil || s.outcome == C.BACKOFF_RETRY_CIRCUIT_OPEN {
			var zero T
			if err == nil {
				err = stopReason(s)
			}
			return zero, err
		}
	}
	for {
		result, err := operation()
		if err == nil {
			call.end(C.BACKOFF_ATTEMPT_SUCCESS)
			return result, nil
		}
		var permanent *PermanentError
		if errors.As(err, &permanent) {
			call.end(C.BACKOFF_ATTEMPT_PERMANENT)
			return result, permanent.Err
		}
		if cause := context.Cause(ctx); cause != nil {
			return result, cause
		}
		s, stepErr := call.failed(err)
		if stepErr != nil {
			return result, stepErr
		}
		if s.delay == Stop {
			return result, stopped(s, err)
		}
		if o.notify != nil {
			o.notify(err, s.delay)
		}
		if !call.wait(ctx, s.delay) {
			return result, context.Cause(ctx)
		}
		if call.attached {
			if s = call.retrier.beforeAttempt(); s.err != nil {
				return result, s.err
			} else if s.outcome != C.BACKOFF_RETRY_PENDING {
				return result, stopped(s, err)
			}
		}
	}
}

// retryCall is one Retry call's hold on a pooled retrier, taken at the first decision there is to make.
type retryCall struct {
	options  *retryOptions
	attached bool // a breaker or a budget: every attempt needs the retrier
	retrier  *retrier
	pool     *retrierPool
	ended    bool
	timer    Timer
}

func (c *retryCall) take() error {
	c.pool = poolFor(c.options.spec())
	var err error
	c.retrier, err = c.pool.get()
	return err
}

func (c *retryCall) begin() (step, error) {
	if err := c.take(); err != nil {
		return step{}, err
	}
	s := c.retrier.begin(c.options.breaker.handle(), c.options.budget.handle())
	return s, s.err
}

// failed reports a retryable failure and returns the retrier's decision.
func (c *retryCall) failed(err error) (step, error) {
	class, hint := classify(err)
	if c.retrier == nil {
		if takeErr := c.take(); takeErr != nil {
			return step{}, takeErr
		}
		s := c.retrier.firstFailure(class, hint)
		return s, s.err
	}
	s := c.retrier.failure(class, hint)
	return s, s.err
}

// end reports how the call's last attempt ended to the breaker and the budget. With neither attached
// there is nobody to tell: the retrier's own books start over when its pool hands it out again.
func (c *retryCall) end(attempt C.int) {
	if c.attached {
		c.retrier.end(attempt)
		c.ended = true
	}
}

// close gives the retrier back to its pool, after giving up the call if it did not end (a stop, a
// cancellation, a panic in the operation), so that its permit and tokens go back.
func (c *retryCall) close() {
	if c.timer != nil {
		c.timer.Stop()
	}
	if c.retrier == nil {
		return
	}
	if c.attached && !c.ended {
		c.retrier.end(C.BACKOFF_ATTEMPT_NONE)
	}
	runtime.KeepAlive(c.options.breaker)
	runtime.KeepAlive(c.options.budget)
	c.pool.put(c.retrier)
}

// wait sleeps d on the call's timer; false if ctx ended first.
func (c *retryCall) wait(ctx context.Context, d time.Duration) bool {
	if c.timer == nil {
		c.timer = c.options.timer
		if c.timer == nil {
			c.timer = &realTimer{}
		}
	}
	c.timer.Start(d)
	select {
	case <-ctx.Done():
		return false
	case <-c.timer.C():
		return true
	}
}

// spec is the library policy the call runs: the BackOff's, with Retry's limits.
func (o *retryOptions) spec() policySpec {
	spec := exponentialSpec(DefaultInitialInterval, DefaultMaxInterval, DefaultMultiplier,
		DefaultRandomizationFactor, DefaultMaxElapsedTime)
	if o.backOff != nil {
		spec = o.backOff.(schedule).spec()
	}
	if o.hasMaxElapsed {
		spec.maxElapsed = o.maxElapsed
	}
	if tries := int64(o.maxTries); tries > 0 && (spec.maxAttempts == 0 || tries < spec.maxAttempts) {
		spec.maxAttempts = tries
	}
	return spec
}

// classify says what the budget charges a failure as, and the wait a server asked for.
func classify(err error) (ErrorClass, time.Duration) {
	var retryAfter *RetryAfterError
	if errors.As(err, &retryAfter) {
		return ErrorThrottling, retryAfter.Duration
	}
	var timeout interface{ Timeout() bool }
	if errors.As(err, &timeout) && timeout.Timeout() {
		return ErrorTimeout, 0
	}
	return ErrorOrdinary, 0
}

// stopped is Retry's error when the retrier stopped after a failure with err.
func stopped(s step, err error) error {
	if reason := stopReason(s); reason != nil {
		return &StopError{Reason: reason, Err: err}
	}
	return err // out of tries or time: the last error, as cenkalti returns it
}

func stopReason(s step) error {
	switch s.outcome {
	case C.BACKOFF_RETRY_CIRCUIT_OPEN:
		return &OpenError{Wait: max(s.delay, 0)}
	case C.BACKOFF_RETRY_BUDGET_EXHAUSTED:
		return ErrBudgetExhausted
	}
	return nil
}

// realTimer is a time.Timer behind the Timer interface.
type realTimer struct {
	timer *time.Timer
}

func (t *realTimer) Start(d time.Duration) {
	if t.timer == nil {
		t.timer = time.NewTimer(d)
	} else {
		t.timer.Reset(d)
	}
}

func (t *realTimer) Stop() {
	if t.timer != nil {
		t.timer.Stop()
	}
}

func (t *realTimer) C() <-chan time.Time { return t.timer.C }
