// Package backoff is libbackoff for Go: cenkalti/backoff's API (BackOff, Stop, ExponentialBackOff,
// Retry with Permanent and RetryAfter errors), a CircuitBreaker and a RetryBudget, with every decision
// made by the library's C engine through cgo. No delay, limit, trip or token is computed in Go, so a Go
// service and a Python, Rust or C one given the same configuration decide alike, seeded delays bit for bit.
//
// The seed API (cenkalti v4 and v5 style):
//
//	b := backoff.NewExponentialBackOff(backoff.WithMaxInterval(10 * time.Second))
//	body, err := backoff.Retry(ctx, fetch, backoff.WithBackOff(b), backoff.WithMaxTries(5))
//
// NewExponentialBackOff starts from cenkalti's defaults (500 ms, randomization 0.5, x1.5, 60 s cap, 15 min
// max elapsed) and is safe for concurrent use. Its delays never exceed MaxInterval, jitter included, and
// never overflow. Retry runs the library's retrier: max tries and max elapsed time, a server's Retry-After
// (at least that wait, still capped), a circuit breaker's permit per attempt (WithCircuitBreaker) and a
// retry budget's tokens per retry (WithRetryBudget). A call whose first attempt succeeds with no breaker or
// budget has nothing to decide and never enters C.
//
// The library's own forms are here too: Policy (immutable, validated; Delay is the stateless schedule, a
// pure function of seed, key and attempt) and State (its stateful form, with explicit times for simulated
// clocks). Durations are time.Duration, int64 nanoseconds as in the C API, so nothing is rounded. Enum
// values come from backoff.h and their names from the library (Parse, Values, String).
//
// Build and run with the library on the linker's and the loader's paths:
//
//	CGO_LDFLAGS=-L/path/to/dir LD_LIBRARY_PATH=/path/to/dir go test
//
// See docs/ffi/go.md in the source tree.
package backoff
