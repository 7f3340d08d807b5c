// Command bench times libbackoff's Go binding (a cgo call per delay) against cenkalti/backoff v4 and v5,
// and its Retry and CircuitBreaker against cenkalti/backoff v5's Retry and sony/gobreaker v2.
// It prints one line per case, "go<TAB>name<TAB>ns per call" (the median of several rounds), for
// bench/ffi/run to tabulate.
package main

import (
	"flag"
	"fmt"
	"log"
	"slices"
	"testing"
	"time"

	cenkaltiv4 "github.com/cenkalti/backoff/v4"
	cenkaltiv5 "github.com/cenkalti/backoff/v5"
	backoff "libbackoff.dev/ffi/go"
)

// Our State plugs into code written for cenkalti's interface.
var _ cenkaltiv4.BackOff = (*backoff.State)(nil)

const rounds = 5

var sink time.Duration

// cenkaltiDefaults is cenkalti's NewExponentialBackOff() in libbackoff's terms: 500 ms, x1.5, +-50 %
// jitter, 60 s cap, 15 min elapsed (v4 checks the elapsed time in NextBackOff; v5 moved it to Retry).
func cenkaltiDefaults() *backoff.Policy {
	policy, err := backoff.NewPolicy(
		backoff.Initial(500*time.Millisecond), backoff.Multiplier(1.5), backoff.Cap(60*time.Second),
		backoff.WithJitter(backoff.RandomizationJitter), backoff.RandomizationFactor(0.5),
		backoff.MaxElapsed(15*time.Minute))
	if err != nil {
		log.Fatal(err)
	}
	return policy
}

func newState(policy *backoff.Policy) *backoff.State {
	state, err := backoff.NewState(policy)
	if err != nil {
		log.Fatal(err)
	}
	return state
}

// timePerCall returns the median over rounds of testing.Benchmark's time per call, in ns.
func timePerCall(body func(b *testing.B)) float64 {
	results := make([]float64, rounds)
	for i := range results {
		results[i] = perCall(testing.Benchmark(body))
	}
	slices.Sort(results)
	return results[rounds/2]
}

func report(name string, body func(b *testing.B)) {
	fmt.Printf("go\t%s\t%.2f\n", name, timePerCall(body))
}

// reportPair times two cases in alternating rounds, so that a load that comes and goes on a shared
// machine weighs on both alike, and prints the median of each.
func reportPair(oursName string, ours func(b *testing.B), peerName string, peer func(b *testing.B)) {
	oursTimes, peerTimes := make([]float64, rounds), make([]float64, rounds)
	for i := 0; i < rounds; i++ {
		oursTimes[i], peerTimes[i] = perCall(testing.Benchmark(ours)), perCall(testing.Benchmark(peer))
	}
	slices.Sort(oursTimes)
	slices.Sort(peerTimes)
	fmt.Printf("go\t%s\t%.2f\n", oursName, oursTimes[rounds/2])
	fmt.Printf("go\t%s\t%.2f\n", peerName, peerTimes[rounds/2])
}

func perCall(result testing.BenchmarkResult) float64 {
	return float64(result.T.Nanoseconds()) / float64(result.N)
}

func main() {
	testing.Init()
	// Each round runs about this long; rounds and the median absorb the noise of a shared machine.
	if err := flag.Set("test.benchtime", "200ms"); err != nil {
		log.Fatal(err)
	}
	policy := cenkaltiDefaults()
	report("cgo: empty call into libbackoff.so", func(b *testing.B) {
		var version uint32
		for i := 0; i < b.N; i++ {
			version += emptyCall()
		}
		sink = time.Duration(version)
	})
	report("ours: State.NextBackOff (monotonic clock)", func(b *testing.B) {
		state := newState(policy)
		defer state.Close()
		for i := 0; i < b.N; i++ {
			sink = state.NextBackOff()
		}
	})
	report("ours: State.NextAt (no clock)", func(b *testing.B) {
		state := newState(policy)
		defer state.Close()
		for i := 0; i < b.N; i++ {
			sink, _ = state.NextAt(0, 0)
		}
	})
	report("ours: Policy.Delay (stateless)", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sink = policy.Delay(uint64(i&63), 42)
		}
	})
	report("cenkalti/backoff v4: NextBackOff (time.Now)", func(b *testing.B) {
		peer := cenkaltiv4.NewExponentialBackOff()
		for i := 0; i < b.N; i++ {
			sink = peer.NextBackOff()
		}
	})
	report("cenkalti/backoff v5: NextBackOff (no clock)", func(b *testing.B) {
		peer := cenkaltiv5.NewExponentialBackOff()
		for i := 0; i < b.N; i++ {
			sink = peer.NextBackOff()
		}
	})
	report("ours: ExponentialBackOff.NextBackOff, seed API (time.Now)", func(b *testing.B) {
		seed := backoff.NewExponentialBackOff()
		for i := 0; i < b.N; i++ {
			sink = seed.NextBackOff()
		}
	})
	benchResilience()
}
