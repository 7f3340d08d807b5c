// Package backoff is the Go face of libbackoff.so, reached through cgo.
//
// A Policy is an immutable, validated schedule: share it between goroutines. Policy.Delay is the
// stateless form, a pure function of (seed, key, attempt). A State is the stateful form; it implements
// cenkalti/backoff's BackOff interface (NextBackOff and Reset), so it plugs into code written for that
// package. Durations are time.Duration, which is int64 nanoseconds like the C API, so nothing is
// rounded. Stop (-1) means "do not retry any more", as in cenkalti/backoff.
//
// Build and run with the library on the linker's and the loader's paths:
//
//	CGO_LDFLAGS=-L/path/to/dir LD_LIBRARY_PATH=/path/to/dir go test
//
// See docs/ffi/go.md in the source tree.
package backoff
