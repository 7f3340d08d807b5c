package main

import (
	"context"
	"errors"
	"log"
	"testing"

	cenkaltiv5 "github.com/cenkalti/backoff/v5"
	"github.com/sony/gobreaker/v2"
	backoff "libbackoff.dev/ffi/go"
)

var errOnce = errors.New("transient")

// failOnce returns an operation that fails once, then succeeds.
func failOnce() func() (int, error) {
	failed := false
	return func() (int, error) {
		if !failed {
			failed = true
			return 0, errOnce
		}
		return 1, nil
	}
}

// benchResilience times what every call pays: a Retry whose first attempt succeeds, and a call guarded by
// a closed circuit breaker, ours (decided in C through cgo) beside cenkalti/backoff v5 and
// sony/gobreaker v2. Each peer runs with its defaults, as ours do.
func benchResilience() {
	ctx := context.Background()
	succeed := func() (int, error) { return 1, nil }

	reportPair("ours: Retry, first attempt succeeds (success path)", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			backoff.Retry(ctx, succeed)
		}
	}, "cenkalti/backoff v5: Retry, first attempt succeeds (success path)", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			cenkaltiv5.Retry(ctx, succeed)
		}
	})

	// One failure, then success, with no wait: the path through the decisions, timer included.
	reportPair("ours: Retry, one failure then success, zero backoff (retry path)", func(b *testing.B) {
		zero := backoff.WithBackOff(&backoff.ZeroBackOff{})
		for i := 0; i < b.N; i++ {
			backoff.Retry(ctx, failOnce(), zero)
		}
	}, "cenkalti/backoff v5: Retry, one failure then success, zero backoff (retry path)", func(b *testing.B) {
		zero := cenkaltiv5.WithBackOff(&cenkaltiv5.ZeroBackOff{})
		for i := 0; i < b.N; i++ {
			cenkaltiv5.Retry(ctx, failOnce(), zero)
		}
	})

	ours, err := backoff.NewCircuitBreaker()
	if err != nil {
		log.Fatal(err)
	}
	defer ours.Close()
	peer := gobreaker.NewCircuitBreaker[int](gobreaker.Settings{Name: "bench"})
	succeedErr := func() error { return nil }
	reportPair("ours: CircuitBreaker.Execute, closed (breaker call)", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ours.Execute(succeedErr)
		}
	}, "sony/gobreaker v2: Execute, closed (breaker call)", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			peer.Execute(succeed)
		}
	})
	reportPair("ours: CircuitBreaker.Execute, closed, all cores (breaker call, parallel)", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				ours.Execute(succeedErr)
			}
		})
	}, "sony/gobreaker v2: Execute, closed, all cores (breaker call, parallel)", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				peer.Execute(succeed)
			}
		})
	})

	// Retry and breaker together: each attempt takes a permit and reports to the breaker.
	reportPair("ours: Retry with a breaker, first attempt succeeds (guarded success path)", func(b *testing.B) {
		guarded := backoff.WithCircuitBreaker(ours)
		for i := 0; i < b.N; i++ {
			backoff.Retry(ctx, succeed, guarded)
		}
	}, "cenkalti/backoff v5 + sony/gobreaker v2: Retry of Execute (guarded success path)", func(b *testing.B) {
		guarded := func() (int, error) { return peer.Execute(succeed) }
		for i := 0; i < b.N; i++ {
			cenkaltiv5.Retry(ctx, guarded)
		}
	})
}
