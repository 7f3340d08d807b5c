package jobs_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	backoff "libbackoff.dev/ffi/go"
	"libbackoff.dev/ffi/go/jobs"
)

func TestAnOpenBreakerSnoozesItsTypeWhileOtherTypesRun(t *testing.T) {
	eachStore(t, func(t *testing.T, s store) {
		config := fastConfig()
		config.WorkerCount = 1 // the breakers are each worker's own: one worker sees every failure
		config.Breaker = []backoff.BreakerOption{backoff.WithFailureThreshold(2),
			backoff.WithOpenDuration(2 * time.Second)}
		q := newQueue(t, s, config)
		var healthy atomic.Bool
		var mu sync.Mutex
		runs := map[int64]int{}
		q.RegisterHandler("charge", func(ctx context.Context, job *jobs.Job) error {
			mu.Lock()
			runs[job.ID]++
			mu.Unlock()
			if !healthy.Load() {
				return errors.New("payment service down")
			}
			return nil
		})
		q.RegisterHandler("mail", func(ctx context.Context, job *jobs.Job) error { return nil })
		ctx := context.Background()
		var charges, mails []int64
		for i := 0; i < 5; i++ {
			job, err := q.Enqueue(ctx, "default", "charge", nil)
			if err != nil {
				t.Fatal(err)
			}
			charges = append(charges, job.ID)
		}
		for i := 0; i < 3; i++ {
			job, _ := q.Enqueue(ctx, "default", "mail", nil)
			mails = append(mails, job.ID)
		}
		if err := q.Start(ctx, "default"); err != nil {
			t.Fatal(err)
		}
		for _, id := range mails {
			waitFor(t, q, id, "completed")
		}
		// Well inside the 2 s open period and past the failed jobs' 50 ms retry delay: two charges ran and
		// tripped the breaker, and no charge has run since, retries included.
		time.Sleep(300 * time.Millisecond)
		mu.Lock()
		ran := len(runs)
		mu.Unlock()
		if ran != 2 {
			t.Fatalf("%d charge jobs ran while the breaker was open, want the 2 that tripped it", ran)
		}
		for _, id := range charges {
			job, _ := q.Get(id)
			mu.Lock()
			attempts := runs[id]
			mu.Unlock()
			// A snoozed job's attempt is the runs it had: the snooze spent none.
			if job.State != "scheduled" || job.Attempt != attempts {
				t.Errorf("charge %d while open: %s, attempt %d, want scheduled, attempt %d", id, job.State,
					job.Attempt, attempts)
			}
			if attempts == 0 && job.LastError != "" {
				t.Errorf("never-run charge %d has error %q", id, job.LastError)
			}
		}
		healthy.Store(true)
		for _, id := range charges { // after the open period a probe succeeds and the breaker closes
			job := waitFor(t, q, id, "completed")
			mu.Lock()
			if job.Attempt != runs[id] {
				t.Errorf("charge %d completed at attempt %d after %d runs", id, job.Attempt, runs[id])
			}
			mu.Unlock()
		}
	})
}

func TestABadBreakerOptionIsTheLibrarysErrorNamingIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jobs.db")
	config := jobs.DefaultConfig()
	config.Breaker = []backoff.BreakerOption{backoff.WithFailureThreshold(0)}
	_, err := jobs.New(path, config)
	var rejected *backoff.Error
	if !errors.As(err, &rejected) || !strings.Contains(err.Error(), "failure_threshold") {
		t.Errorf("failure_threshold 0: %v, want the library's error naming failure_threshold", err)
	}
	// Parameters that contradict each other are the jobs library's check (backoff_jobs_set_breaker).
	config.Breaker = []backoff.BreakerOption{backoff.BreakerSetting("trip", "count"),
		backoff.BreakerSetting("window", "count"), backoff.BreakerSetting("window_size", "3"),
		backoff.WithFailureThreshold(5)}
	_, err = jobs.New(path, config)
	if !errors.Is(err, jobs.ErrInvalid) || !strings.Contains(err.Error(), "failure_threshold") {
		t.Errorf("failure_threshold above window_size: %v, want ErrInvalid naming failure_threshold", err)
	}
}
