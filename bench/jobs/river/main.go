// River (github.com/riverqueue/river) on the three workloads of bench/jobs/run, on PostgreSQL (riverpgxv5)
// or SQLite (riversqlite over modernc.org/sqlite). Prints one JSON line per workload, the shape every
// program under bench/jobs prints (see bench/jobs/report.py).
//
// Settings are River's own benchmark's (cmd/river/riverbench): FetchCooldown 2 ms, FetchPollInterval
// 20 ms, so River runs as its authors measure it, not on its more conservative defaults.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite"
)

// noopArgs carries the enqueue time (Unix ns) so the worker can measure enqueue-to-start latency.
type noopArgs struct {
	EnqueuedNs int64 `json:"t"`
}

func (noopArgs) Kind() string { return "noop" }

type noopWorker struct {
	river.WorkerDefaults[noopArgs]
	done      *atomic.Int64
	latencies chan<- time.Duration // nil unless measuring latency
}

func (w *noopWorker) Work(ctx context.Context, job *river.Job[noopArgs]) error {
	if w.latencies != nil {
		w.latencies <- time.Duration(time.Now().UnixNano() - job.Args.EnqueuedNs)
	}
	w.done.Add(1)
	return nil
}

type options struct {
	store, url, workload string
	jobs, workers        int
}

func main() {
	var o options
	flag.StringVar(&o.store, "store", "postgres", "postgres or sqlite")
	flag.StringVar(&o.url, "url", "", "PostgreSQL URL, or the SQLite file's path")
	flag.StringVar(&o.workload, "workload", "burndown", "burndown, steady or latency")
	flag.IntVar(&o.jobs, "jobs", 100000, "jobs to work")
	flag.IntVar(&o.workers, "workers", 100, "River MaxWorkers")
	flag.Parse()
	ctx := context.Background()
	var err error
	switch o.store {
	case "postgres":
		var pool *pgxpool.Pool
		if pool, err = pgxpool.New(ctx, o.url); err == nil {
			defer pool.Close()
			err = run(ctx, riverpgxv5.New(pool), o)
		}
	case "sqlite":
		var db *sql.DB
		dsn := "file:" + o.url + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
		if db, err = sql.Open("sqlite", dsn); err == nil {
			// One connection: what riversqlite's documentation asks for (SQLite has one writer).
			db.SetMaxOpenConns(1)
			defer db.Close()
			err = run(ctx, riversqlite.New(db), o)
		}
	default:
		err = fmt.Errorf("-store must be postgres or sqlite, not %q", o.store)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "river bench:", err)
		os.Exit(1)
	}
}

func run[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], o options) error {
	migrator, err := rivermigrate.New(driver, nil)
	if err != nil {
		return err
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return err
	}
	if err := driver.GetExecutor().Exec(ctx, "DELETE FROM river_job"); err != nil {
		return err
	}
	var done atomic.Int64
	var latencies chan time.Duration
	if o.workload == "latency" {
		latencies = make(chan time.Duration, o.jobs)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &noopWorker{done: &done, latencies: latencies})
	client, err := river.NewClient(driver, &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.workers}},
		Workers:           workers,
		FetchCooldown:     2 * time.Millisecond,
		FetchPollInterval: 20 * time.Millisecond,
		Logger:            nil,
	})
	if err != nil {
		return err
	}
	waitFor := func(n int64) {
		for done.Load() < n {
			time.Sleep(200 * time.Microsecond)
		}
	}
	report := map[string]any{"queue": "river", "store": o.store, "worker": "go", "workload": o.workload,
		"jobs": o.jobs}
	// The burn-down starts its workers once its jobs are in; the others start them first.
	if o.workload != "burndown" {
		if err := client.Start(ctx); err != nil {
			return err
		}
	}
	switch o.workload {
	case "burndown":
		const batch = 5000
		for inserted := 0; inserted < o.jobs; inserted += batch {
			params := make([]river.InsertManyParams, min(batch, o.jobs-inserted))
			for i := range params {
				params[i].Args = noopArgs{}
			}
			if _, err := client.InsertManyFast(ctx, params); err != nil {
				return err
			}
		}
		start := time.Now()
		if err := client.Start(ctx); err != nil {
			return err
		}
		waitFor(int64(o.jobs))
		report["seconds"] = time.Since(start).Seconds()
	case "steady":
		start := time.Now()
		for i := 0; i < o.jobs; i++ {
			if _, err := client.Insert(ctx, noopArgs{}, nil); err != nil {
				return err
			}
		}
		waitFor(int64(o.jobs))
		report["seconds"] = time.Since(start).Seconds()
	case "latency":
		time.Sleep(500 * time.Millisecond) // let the listener and producers settle
		samples := make([]time.Duration, 0, o.jobs)
		for i := 0; i < o.jobs; i++ {
			if _, err := client.Insert(ctx, noopArgs{EnqueuedNs: time.Now().UnixNano()}, nil); err != nil {
				return err
			}
			samples = append(samples, <-latencies)
			time.Sleep(10 * time.Millisecond) // idle workers between jobs
		}
		sort.Slice(samples, func(a, b int) bool { return samples[a] < samples[b] })
		report["p50_ms"] = float64(samples[len(samples)/2]) / 1e6
		report["p99_ms"] = float64(samples[len(samples)*99/100]) / 1e6
	default:
		return fmt.Errorf("-workload must be burndown, steady or latency, not %q", o.workload)
	}
	stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := client.Stop(stopCtx); err != nil {
		return err
	}
	if seconds, ok := report["seconds"].(float64); ok {
		report["jobs_per_s"] = float64(o.jobs) / seconds
	}
	return json.NewEncoder(os.Stdout).Encode(report)
}
