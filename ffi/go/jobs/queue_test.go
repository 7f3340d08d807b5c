package jobs_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"libbackoff.dev/ffi/go/jobs"
)

// store is a test's store: an SQLite file, or a fresh database on the PostgreSQL of scripts/pg-cluster.
type store struct {
	url    string // for jobs.New
	driver string // database/sql driver for EnqueueTx
	dsn    string
}

// stores returns the stores every test runs on. Without BACKOFF_TEST_PG_URL the PostgreSQL case FAILS
// when BACKOFF_JOBS_REQUIRE_PG=1 (scripts/test-jobs-front) and is skipped, saying so, otherwise.
func stores(t *testing.T) map[string]func(t *testing.T) store {
	return map[string]func(t *testing.T) store{
		"sqlite": func(t *testing.T) store {
			path := filepath.Join(t.TempDir(), "jobs.db")
			return store{url: path, driver: "sqlite", dsn: "file:" + path + "?_pragma=busy_timeout(10000)"}
		},
		"postgresql": func(t *testing.T) store {
			base := os.Getenv("BACKOFF_TEST_PG_URL")
			if base == "" {
				if os.Getenv("BACKOFF_JOBS_REQUIRE_PG") == "1" {
					t.Fatal("BACKOFF_TEST_PG_URL is not set, but BACKOFF_JOBS_REQUIRE_PG=1: start scripts/pg-cluster")
				}
				t.Skip("no PostgreSQL: BACKOFF_TEST_PG_URL is unset (scripts/test-jobs-front runs this case)")
			}
			admin, err := sql.Open("pgx", base)
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("go_%d_%d", os.Getpid(), time.Now().UnixNano())
			if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				admin.Exec("DROP DATABASE " + name + " WITH (FORCE)")
				admin.Close()
			})
			parsed, _ := url.Parse(base)
			parsed.Path = "/" + name
			return store{url: parsed.String(), driver: "pgx", dsn: parsed.String()}
		},
	}
}

func eachStore(t *testing.T, test func(t *testing.T, s store)) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) { test(t, open(t)) })
	}
}

func fastConfig() jobs.Config {
	config := jobs.DefaultConfig()
	config.PollInterval = 50 * time.Millisecond
	config.BaseRetryDelay = 50 * time.Millisecond
	config.MaxRetryDelay = 50 * time.Millisecond
	config.WorkerCount = 2
	return config
}

func newQueue(t *testing.T, s store, config jobs.Config) *jobs.Queue {
	q, err := jobs.New(s.url, config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	return q
}

// waitFor polls the job until it reaches state.
func waitFor(t *testing.T, q *jobs.Queue, id int64, state string) *jobs.Job {
	deadline := time.Now().Add(20 * time.Second)
	for {
		job, err := q.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		if job.State == state {
			return job
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d is %s after 20 s, not %s (last error %q)", id, job.State, state, job.LastError)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestEnqueuedJobsRunOnceWithTheirPayload(t *testing.T) {
	eachStore(t, func(t *testing.T, s store) {
		q := newQueue(t, s, fastConfig())
		var mu sync.Mutex
		seen := map[int64]string{}
		q.RegisterHandler("greet", func(ctx context.Context, job *jobs.Job) error {
			mu.Lock()
			defer mu.Unlock()
			seen[job.ID] += string(job.Payload)
			return nil
		})
		ctx := context.Background()
		var ids []int64
		for i := 0; i < 10; i++ {
			job, err := q.Enqueue(ctx, "default", "greet", map[string]int{"n": i})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, job.ID)
		}
		if err := q.Start(ctx, "default"); err != nil {
			t.Fatal(err)
		}
		for i, id := range ids {
			waitFor(t, q, id, "completed")
			mu.Lock()
			if want := fmt.Sprintf(`{"n":%d}`, i); seen[id] != want {
				t.Errorf("job %d ran with %q, want %q once", id, seen[id], want)
			}
			mu.Unlock()
		}
		q.Stop()
	})
}

func TestFailuresAreRetriedThenFailedAfterMaxAttempts(t *testing.T) {
	eachStore(t, func(t *testing.T, s store) {
		config := fastConfig()
		config.MaxAttempts = 3
		q := newQueue(t, s, config)
		var runs atomic.Int32
		q.RegisterHandler("flaky", func(ctx context.Context, job *jobs.Job) error {
			runs.Add(1)
			return errors.New("upstream unavailable")
		})
		job, err := q.Enqueue(context.Background(), "default", "flaky", nil)
		if err != nil {
			t.Fatal(err)
		}
		q.Start(context.Background(), "default")
		failed := waitFor(t, q, job.ID, "failed")
		if failed.Attempt != 3 || runs.Load() != 3 || failed.LastError != "upstream unavailable" {
			t.Errorf("attempt %d, runs %d, error %q; want 3, 3, upstream unavailable", failed.Attempt, runs.Load(),
				failed.LastError)
		}
	})
}

func TestPermanentFailsAtOnceAndRetryAfterWaits(t *testing.T) {
	eachStore(t, func(t *testing.T, s store) {
		config := fastConfig()
		config.MaxRetryDelay = time.Hour
		q := newQueue(t, s, config)
		q.RegisterHandler("bad", func(ctx context.Context, job *jobs.Job) error {
			return jobs.Permanent(errors.New("malformed payload"))
		})
		q.RegisterHandler("throttled", func(ctx context.Context, job *jobs.Job) error {
			return &jobs.RetryAfterError{Err: errors.New("429"), After: time.Hour}
		})
		ctx := context.Background()
		bad, _ := q.Enqueue(ctx, "default", "bad", nil)
		throttled, _ := q.Enqueue(ctx, "default", "throttled", nil)
		q.Start(ctx, "default")
		if job := waitFor(t, q, bad.ID, "failed"); job.Attempt != 1 {
			t.Errorf("a permanent failure ran %d times", job.Attempt)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			job, _ := q.Get(throttled.ID)
			if job.Attempt == 1 && job.State == "scheduled" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("throttled job: %+v", job)
			}
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond) // far past the 50 ms base delay: the hint holds it back
		if job, _ := q.Get(throttled.ID); job.Attempt != 1 {
			t.Errorf("a job told to retry after 1 h ran again: attempt %d", job.Attempt)
		}
	})
}

func TestEnqueueTxCommitsWithTheCallersTransactionOnly(t *testing.T) {
	eachStore(t, func(t *testing.T, s store) {
		q := newQueue(t, s, fastConfig())
		db, err := sql.Open(s.driver, s.dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx := context.Background()
		if _, err := db.Exec("CREATE TABLE orders (id integer primary key)"); err != nil {
			t.Fatal(err)
		}
		tx, _ := db.BeginTx(ctx, nil)
		tx.Exec("INSERT INTO orders (id) VALUES (1)")
		kept, err := q.EnqueueTx(ctx, tx, "default", "receipt", map[string]int{"order": 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		tx, _ = db.BeginTx(ctx, nil)
		dropped, err := q.EnqueueTx(ctx, tx, "default", "receipt", map[string]int{"order": 2})
		if err != nil {
			t.Fatal(err)
		}
		tx.Rollback()

		if job, err := q.Get(kept.ID); err != nil || job.State != "scheduled" || string(job.Payload) != `{"order":1}` {
			t.Errorf("committed job: %+v, %v", job, err)
		}
		if _, err := q.Get(dropped.ID); !errors.Is(err, jobs.ErrNotFound) {
			t.Errorf("rolled-back job: %v, want ErrNotFound", err)
		}
	})
}

func TestStopFinishesTheJobInHand(t *testing.T) {
	eachStore(t, func(t *testing.T, s store) {
		config := fastConfig()
		config.WorkerCount = 1
		q := newQueue(t, s, config)
		started := make(chan struct{})
		q.RegisterHandler("slow", func(ctx context.Context, job *jobs.Job) error {
			close(started)
			time.Sleep(300 * time.Millisecond)
			return nil
		})
		job, _ := q.Enqueue(context.Background(), "default", "slow", nil)
		q.Start(context.Background(), "default")
		<-started
		q.Stop()
		if got, _ := q.Get(job.ID); got.State != "completed" {
			t.Errorf("after Stop the job in hand is %s, want completed", got.State)
		}
	})
}

func TestBadInputNamesItself(t *testing.T) {
	if _, err := jobs.New("ftp://example.com/jobs", jobs.DefaultConfig()); !errors.Is(err, jobs.ErrInvalid) {
		t.Errorf("ftp URL: %v, want ErrInvalid", err)
	}
	config := jobs.DefaultConfig()
	config.BaseRetryDelay = 2 * time.Hour // more than the cap
	if _, err := jobs.New(filepath.Join(t.TempDir(), "jobs.db"), config); err == nil {
		t.Error("a base delay above the cap was accepted")
	}
	eachStore(t, func(t *testing.T, s store) {
		q := newQueue(t, s, fastConfig())
		_, err := q.Enqueue(context.Background(), "", "t", nil)
		var jobsError *jobs.Error
		if !errors.As(err, &jobsError) || jobsError.Name != "invalid_value" {
			t.Errorf("empty queue name: %v", err)
		}
		if _, err := q.Enqueue(context.Background(), "default", "t", make(chan int)); err == nil {
			t.Error("an unmarshalable payload was accepted")
		}
	})
}
