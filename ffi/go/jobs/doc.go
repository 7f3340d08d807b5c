// Package jobs is the Go face of libbackoff_jobs: a durable job queue on SQLite (a file, the embedded
// default) or PostgreSQL, whose retries libbackoff's engine decides. A failed job runs again at
// now + policy.delay(attempt, key = job id), the same on every worker in every language.
//
// The API is the one of a common Go queue (Queue, New, DefaultConfig, RegisterHandler, Enqueue,
// EnqueueTx, Start, Stop); underneath, every claim, lease, retry schedule and completion is
// libbackoff_jobs's (backoff_jobs.h), reached through cgo:
//
//	q, err := jobs.New("jobs.db", jobs.DefaultConfig())  // or "postgresql://user@host/db"
//	q.RegisterHandler("send_mail", func(ctx context.Context, job *jobs.Job) error { ... })
//	q.Enqueue(ctx, "default", "send_mail", map[string]string{"to": "ada@example.com"})
//	q.Start(ctx, "default")
//	defer q.Stop()
//
// A handler's error is a retryable failure; wrap it with Permanent to fail the job at once, or return
// an error with a RetryAfter() time.Duration method to wait at least that long (still capped).
//
// Config.Breaker gives each worker a circuit breaker per job type, from ffi/go's BreakerOption values:
// while a type's breaker is open its jobs are snoozed (scheduled again at the end of the open period,
// their attempt not spent) and the other types keep running. Admission, recording and the snooze are
// libbackoff_jobs's (backoff_jobs_breaker_admit, backoff_jobs_breaker_record):
//
//	config.Breaker = []backoff.BreakerOption{backoff.WithFailureThreshold(3), backoff.WithOpenDuration(time.Minute)}
//
// Build with both libraries on the linker's and the loader's paths (scripts/test-jobs-front does):
//
//	CGO_LDFLAGS="-L$BUILD/jobs -L$BUILD/capi" LD_LIBRARY_PATH=$BUILD/jobs:$BUILD/capi go test
//
// It is a module of its own, so that ffi/go's tests (scripts/test-ffi) need no database library.
package jobs
