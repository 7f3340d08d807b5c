package bench

import (
	"testing"
	"time"

	cenkaltiv4 "github.com/cenkalti/backoff/v4"
	cenkaltiv5 "github.com/cenkalti/backoff/v5"
	backoff "libbackoff.dev/ffi/go"
)

// Our State plugs into code written for cenkalti's interface.
var _ cenkaltiv4.BackOff = (*backoff.State)(nil)

var sink time.Duration

// cenkaltiDefaults is cenkalti's NewExponentialBackOff() in libbackoff's terms.
func cenkaltiDefaults(b *testing.B) *backoff.Policy {
	policy, err := backoff.NewPolicy(
		backoff.Initial(500*time.Millisecond), backoff.Multiplier(1.5), backoff.Cap(60*time.Second),
		backoff.WithJitter(backoff.RandomizationJitter), backoff.RandomizationFactor(0.5),
		backoff.MaxElapsed(15*time.Minute))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(policy.Close)
	return policy
}

func newState(b *testing.B) *backoff.State {
	state, err := backoff.NewState(cenkaltiDefaults(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(state.Close)
	return state
}

func BenchmarkCgoEmptyCall(b *testing.B) {
	var version uint32
	for i := 0; i < b.N; i++ {
		version += emptyCall()
	}
	sink = time.Duration(version)
}

// Reads the library's monotonic clock, as v4's NextBackOff reads time.Now() for MaxElapsedTime.
func BenchmarkOursNextBackOff(b *testing.B) {
	state := newState(b)
	for i := 0; i < b.N; i++ {
		sink = state.NextBackOff()
	}
}

// No clock, as v5's NextBackOff.
func BenchmarkOursNextAt(b *testing.B) {
	state := newState(b)
	for i := 0; i < b.N; i++ {
		sink, _ = state.NextAt(0, 0)
	}
}

func BenchmarkOursPolicyDelay(b *testing.B) {
	policy := cenkaltiDefaults(b)
	for i := 0; i < b.N; i++ {
		sink = policy.Delay(uint64(i&63), 42)
	}
}

func BenchmarkCenkaltiV4NextBackOff(b *testing.B) {
	peer := cenkaltiv4.NewExponentialBackOff()
	for i := 0; i < b.N; i++ {
		sink = peer.NextBackOff()
	}
}

func BenchmarkCenkaltiV5NextBackOff(b *testing.B) {
	peer := cenkaltiv5.NewExponentialBackOff()
	for i := 0; i < b.N; i++ {
		sink = peer.NextBackOff()
	}
}
