package backoff

import (
	"sync"
	"time"
)

// cenkalti/backoff's defaults, which NewExponentialBackOff starts from.
const (
	DefaultInitialInterval     = 500 * time.Millisecond
	DefaultRandomizationFactor = 0.5
	DefaultMultiplier          = 1.5
	DefaultMaxInterval         = 60 * time.Second
	DefaultMaxElapsedTime      = 15 * time.Minute
)

// Clock tells the time; inject one with WithClock to drive an ExponentialBackOff by hand in tests.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// SystemClock is the real clock, time.Now.
var SystemClock Clock = systemClock{}

// ExponentialBackOff is cenkalti/backoff's exponential schedule, computed by the library: the n-th delay
// is drawn from [d(1 - f), d(1 + f)] with d = InitialInterval * Multiplier^n, capped at MaxInterval, and
// f = RandomizationFactor. Unlike cenkalti's, no delay exceeds MaxInterval: the upper end of the draw is
// capped too, and growth past the cap saturates there instead of overflowing. NextBackOff returns Stop once
// the time since Reset plus the next delay would pass MaxElapsedTime (0: never).
//
// It is safe for concurrent use. The fields may be changed, as with cenkalti's: the next call builds the
// library's policy from them anew and starts the schedule over. Fields the library rejects (a Multiplier
// below 1, a MaxInterval below InitialInterval) make NewExponentialBackOff, Reset and NextBackOff panic with
// an *Error naming the parameter and the value; Validate returns that error instead.
type ExponentialBackOff struct {
	InitialInterval     time.Duration
	RandomizationFactor float64
	Multiplier          float64
	MaxInterval         time.Duration
	MaxElapsedTime      time.Duration
	Clock               Clock

	mu    sync.Mutex
	built policySpec // the fields state was built from
	state *State
}

// BackOffOption configures NewExponentialBackOff.
type BackOffOption interface {
	applyBackOff(b *ExponentialBackOff)
}

type backOffOption func(b *ExponentialBackOff)

func (o backOffOption) applyBackOff(b *ExponentialBackOff) { o(b) }

// NewExponentialBackOff returns cenkalti's defaults (500 ms, randomization 0.5, x1.5, 60 s, 15 min)
// changed by the options, reset and ready. It panics with an *Error if the library rejects a value.
func NewExponentialBackOff(options ...BackOffOption) *ExponentialBackOff {
	b := &ExponentialBackOff{
		InitialInterval:     DefaultInitialInterval,
		RandomizationFactor: DefaultRandomizationFactor,
		Multiplier:          DefaultMultiplier,
		MaxInterval:         DefaultMaxInterval,
		MaxElapsedTime:      DefaultMaxElapsedTime,
		Clock:               SystemClock,
	}
	for _, option := range options {
		option.applyBackOff(b)
	}
	b.Reset()
	return b
}

// WithInitialInterval sets the first delay (before jitter): the library's "initial".
func WithInitialInterval(d time.Duration) BackOffOption {
	return backOffOption(func(b *ExponentialBackOff) { b.InitialInterval = d })
}

// WithMaxInterval sets the largest delay, jitter included: the library's "cap".
func WithMaxInterval(d time.Duration) BackOffOption {
	return backOffOption(func(b *ExponentialBackOff) { b.MaxInterval = d })
}

// WithMultiplier sets the growth from one delay to the next: at least 1.
func WithMultiplier(m float64) BackOffOption {
	return backOffOption(func(b *ExponentialBackOff) { b.Multiplier = m })
}

// WithRandomizationFactor sets f of the band [d(1-f), d(1+f)] each delay is drawn from: in [0, 1].
func WithRandomizationFactor(f float64) BackOffOption {
	return backOffOption(func(b *ExponentialBackOff) { b.RandomizationFactor = f })
}

// WithClock sets the clock NextBackOff measures elapsed time on (not Retry, which uses the monotonic one).
func WithClock(clock Clock) BackOffOption {
	return backOffOption(func(b *ExponentialBackOff) { b.Clock = clock })
}

// MaxElapsedTimeOption is WithMaxElapsedTime's: an option of NewExponentialBackOff (cenkalti v4, the
// seed) and of Retry (cenkalti v5) alike.
type MaxElapsedTimeOption time.Duration

// WithMaxElapsedTime stops retrying once the time since the first failure plus the next delay would pass
// d; 0 never stops.
func WithMaxElapsedTime(d time.Duration) MaxElapsedTimeOption { return MaxElapsedTimeOption(d) }

func (o MaxElapsedTimeOption) applyBackOff(b *ExponentialBackOff) {
	b.MaxElapsedTime = time.Duration(o)
}

// NextBackOff returns the next delay, or Stop, and counts the attempt. (cenkalti v4's Stop field is left
// out: a struct literal without it would retry at once forever instead of stopping.)
func (b *ExponentialBackOff) NextBackOff() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mustSync()
	delay, err := b.state.NextAt(b.now(), 0)
	if err != nil {
		panic(err) // only a negative hint fails, and none is passed
	}
	return delay
}

// Reset starts the schedule over: the first delay next, elapsed time measured from now.
func (b *ExponentialBackOff) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.mustSync() {
		b.state.ResetAt(b.now())
	}
}

// GetElapsedTime returns the time since the last Reset, on b.Clock.
func (b *ExponentialBackOff) GetElapsedTime() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mustSync()
	return b.state.ElapsedAt(b.now())
}

// Validate builds the library's policy from the fields, as the next call would, and returns its
// rejection, an *Error naming the parameter ("multiplier: must be at least 1 (got 0.5)"), or nil.
func (b *ExponentialBackOff) Validate() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, err := b.sync()
	return err
}

func (b *ExponentialBackOff) spec() policySpec {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.fields()
}

// fields is the policy the fields describe. Called with b.mu held.
func (b *ExponentialBackOff) fields() policySpec {
	return exponentialSpec(b.InitialInterval, b.MaxInterval, b.Multiplier, b.RandomizationFactor, b.MaxElapsedTime)
}

// exponentialSpec is cenkalti's schedule in the library's terms: exponential growth, capped, with
// randomization-factor jitter.
func exponentialSpec(initial, maxInterval time.Duration, multiplier, factor float64,
	maxElapsed time.Duration) policySpec {
	return policySpec{kind: Exponential, jitter: RandomizationJitter, initial: initial, cap: maxInterval,
		multiplier: multiplier, factor: factor, maxElapsed: maxElapsed}
}

// sync builds the state anew when the fields changed since it was built, starting it now, and says
// whether it did. Called with b.mu held.
func (b *ExponentialBackOff) sync() (rebuilt bool, err error) {
	spec := b.fields()
	if b.state != nil && spec == b.built {
		return false, nil
	}
	policy, err := spec.policy()
	if err != nil {
		return false, err
	}
	defer policy.Close()
	state, err := NewState(policy)
	if err != nil {
		return false, err
	}
	if b.state != nil {
		b.state.Close()
	}
	b.state, b.built = state, spec
	state.ResetAt(b.now())
	return true, nil
}

func (b *ExponentialBackOff) mustSync() bool {
	rebuilt, err := b.sync()
	if err != nil {
		panic(err)
	}
	return rebuilt
}

// now reads b.Clock on the scale the state measures elapsed time on: nanoseconds since an origin taken at
// start-up (monotonic for the system clock; time.Time.Sub saturates for a clock far from it).
func (b *ExponentialBackOff) now() time.Duration {
	clock := b.Clock
	if clock == nil {
		clock = SystemClock
	}
	return clock.Now().Sub(origin)
}

var origin = time.Now()
