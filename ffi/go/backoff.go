package backoff

import "time"

// BackOff is cenkalti/backoff's interface: NextBackOff returns how long to wait before the next retry,
// or Stop; Reset starts the schedule over. Every BackOff of this package is also a schedule the library
// runs for Retry.
type BackOff interface {
	NextBackOff() time.Duration
	Reset()
}

// ZeroBackOff retries at once, every time.
type ZeroBackOff struct{}

// StopBackOff never retries: NextBackOff always returns Stop.
type StopBackOff struct{}

// ConstantBackOff waits Delay before every retry.
type ConstantBackOff struct {
	Delay time.Duration
}

// NewConstantBackOff returns a ConstantBackOff that waits delay. Retry rejects a negative delay.
func NewConstantBackOff(delay time.Duration) *ConstantBackOff { return &ConstantBackOff{Delay: delay} }

var (
	_ BackOff = (*ZeroBackOff)(nil)
	_ BackOff = (*StopBackOff)(nil)
	_ BackOff = (*ConstantBackOff)(nil)
	_ BackOff = (*ExponentialBackOff)(nil)
)

// These three hold no state and compute nothing, so they answer in Go, as cenkalti's do; Retry runs the
// library's constant policy that spec describes.

func (*ZeroBackOff) NextBackOff() time.Duration       { return 0 }
func (*ZeroBackOff) Reset()                           {}
func (*StopBackOff) NextBackOff() time.Duration       { return Stop }
func (*StopBackOff) Reset()                           {}
func (b *ConstantBackOff) NextBackOff() time.Duration { return b.Delay }
func (*ConstantBackOff) Reset()                       {}

func (*ZeroBackOff) spec() policySpec       { return constantSpec(0) }
func (b *ConstantBackOff) spec() policySpec { return constantSpec(b.Delay) }
func (*StopBackOff) spec() policySpec {
	spec := constantSpec(0)
	spec.maxAttempts = 1 // the first call, and no retry
	return spec
}

// schedule is a BackOff whose decisions the library can make: Retry runs the policy spec describes.
type schedule interface {
	BackOff
	spec() policySpec
}

// policySpec is every parameter of a library policy, comparable so that Retry can keep one pool of
// retriers per policy.
type policySpec struct {
	kind                     Kind
	jitter                   Jitter
	initial, cap, maxElapsed time.Duration
	multiplier, factor       float64
	maxAttempts              int64
}

// constantSpec waits delay every time, with the max elapsed time cenkalti v5's Retry applies by default.
func constantSpec(delay time.Duration) policySpec {
	return policySpec{kind: Constant, jitter: NoJitter, initial: delay, cap: max(delay, 0), multiplier: 1,
		maxElapsed: DefaultMaxElapsedTime}
}

func (s policySpec) options() []Option {
	return []Option{WithKind(s.kind), WithJitter(s.jitter), Initial(s.initial), Cap(s.cap),
		Multiplier(s.multiplier), RandomizationFactor(s.factor), MaxElapsed(s.maxElapsed), MaxAttempts(s.maxAttempts)}
}

func (s policySpec) policy() (*Policy, error) { return NewPolicy(s.options()...) }
