package jobs

/*
#cgo CFLAGS: -I${SRCDIR}/../../../jobs/include -I${SRCDIR}/../../../capi/include
#cgo LDFLAGS: -lbackoff_jobs -lbackoff
#include <stdlib.h>
#include <backoff_jobs.h>

// The queue's retry policy, built in C: exponential from base to cap with full jitter.
static int make_policy(backoff_policy **out, int64_t base_ns, int64_t cap_ns, int64_t max_attempts) {
  backoff_config *config = NULL;
  int status = backoff_config_new(&config);
  if (status == BACKOFF_OK) status = backoff_config_set_i64(config, BACKOFF_PARAM_KIND, BACKOFF_KIND_EXPONENTIAL);
  if (status == BACKOFF_OK) status = backoff_config_set_i64(config, BACKOFF_PARAM_INITIAL_NS, base_ns);
  if (status == BACKOFF_OK) status = backoff_config_set_i64(config, BACKOFF_PARAM_CAP_NS, cap_ns);
  if (status == BACKOFF_OK) status = backoff_config_set_i64(config, BACKOFF_PARAM_JITTER, BACKOFF_JITTER_FULL);
  if (status == BACKOFF_OK) status = backoff_config_set_i64(config, BACKOFF_PARAM_MAX_ATTEMPTS, max_attempts);
  if (status == BACKOFF_OK) status = backoff_policy_new(out, config);
  backoff_config_free(config);
  return status;
}
*/
import "C"

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
	"unsafe"

	backoff "libbackoff.dev/ffi/go"
)

// JobHandler runs one job. A nil error completes it; any other error is a failed attempt, retried on
// the policy's schedule (see Permanent and RetryAfterError).
type JobHandler func(ctx context.Context, job *Job) error

// Config holds the queue's settings.
type Config struct {
	PollInterval      time.Duration // longest idle wait before a worker looks again (wake-ups come sooner)
	VisibilityTimeout time.Duration // the lease of a claimed job: past it, the job runs again elsewhere
	WorkerCount       int           // goroutines per Start, each with its own store connection
	BaseRetryDelay    time.Duration // the policy's first delay (exponential, full jitter)
	MaxRetryDelay     time.Duration // the policy's cap: no delay is longer
	MaxAttempts       int           // runs in all, the first included; then the job is failed (0: unlimited)
	BatchSize         int           // jobs a worker claims at once (their completions go in one statement)
	// Breaker, when not nil, gives each worker a circuit breaker per job type with these parameters
	// ([]backoff.BreakerOption{} for the library's defaults): a job whose type's breaker is open is
	// snoozed, not run, until the open period ends, its attempt not spent (backoff_jobs_set_breaker).
	Breaker []backoff.BreakerOption
}

// DefaultConfig returns the usual settings: poll 1 s, visibility 5 min, 4 workers, retries from 1 s to
// 1 h, 25 attempts, batches of 10.
func DefaultConfig() Config {
	return Config{
		PollInterval:      time.Second,
		VisibilityTimeout: 5 * time.Minute,
		WorkerCount:       4,
		BaseRetryDelay:    time.Second,
		MaxRetryDelay:     time.Hour,
		MaxAttempts:       25,
		BatchSize:         10,
	}
}

// Job is one job as a handler sees it, or as Enqueue returns it.
type Job struct {
	ID          int64
	Queue       string
	Type        string
	Payload     []byte // what Enqueue was given, JSON-encoded
	Attempt     int    // 1 during the first run
	MaxAttempts int
	State       string // "scheduled", "running", "completed", "failed", "cancelled" (Get only)
	LastError   string // the newest failed attempt's error, "" if none (Get only)
}

// Queue is a job store and its handlers. Its methods are safe for concurrent use.
type Queue struct {
	url      string
	config   Config
	policy   *C.backoff_policy
	mu       sync.Mutex
	handlers map[string]JobHandler
	store    *store // for Enqueue and EnqueueTx's statements; workers have their own
	workers  []*worker
	wg       sync.WaitGroup
}

// New opens the store at url (an SQLite path, sqlite:///abs/path, or postgresql://...), brings its
// schema to this library's version, and returns the queue. Close it with Stop (workers) and Close.
func New(url string, config Config) (*Queue, error) {
	defaults := DefaultConfig()
	if config.PollInterval <= 0 {
		config.PollInterval = defaults.PollInterval
	}
	if config.WorkerCount <= 0 {
		config.WorkerCount = defaults.WorkerCount
	}
	if config.BatchSize <= 0 {
		config.BatchSize = defaults.BatchSize
	}
	q := &Queue{url: url, config: config, handlers: map[string]JobHandler{}}
	if err := call(func() C.int {
		return C.make_policy(&q.policy, C.int64_t(config.BaseRetryDelay), C.int64_t(config.MaxRetryDelay),
			C.int64_t(config.MaxAttempts))
	}); err != nil {
		return nil, fmt.Errorf("jobs.New: retry policy: %w", err)
	}
	s, err := openStore(url)
	if err == nil {
		err = call(func() C.int { return C.backoff_jobs_migrate(nil, s.handle) })
	}
	if err == nil { // the library checks the breaker options now, so that New, not Start, reports them
		if err = q.setBreakers(s); err != nil {
			err = fmt.Errorf("jobs.New: breaker: %w", err)
		}
	}
	if err != nil {
		C.backoff_policy_free(q.policy)
		if s != nil {
			s.close()
		}
		return nil, err
	}
	q.store = s
	return q, nil
}

// Close stops the workers (as Stop) and closes the store.
func (q *Queue) Close() {
	q.Stop()
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.store != nil {
		q.store.close()
		q.store = nil
		C.backoff_policy_free(q.policy)
	}
}

// RegisterHandler sets the handler of jobs of jobType.
func (q *Queue) RegisterHandler(jobType string, handler JobHandler) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.handlers[jobType] = handler
}

func (q *Queue) handler(jobType string) JobHandler {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.handlers[jobType]
}

// options are the enqueue options every job of this queue gets: the Config's policy.
func (q *Queue) options() (*C.backoff_jobs_options, error) {
	var options *C.backoff_jobs_options
	if err := call(func() C.int { return C.backoff_jobs_options_new(&options) }); err != nil {
		return nil, err
	}
	C.backoff_jobs_options_set_policy(options, q.policy)
	return options, nil
}

// Enqueue adds a job (payload JSON-encoded) in its own transaction.
func (q *Queue) Enqueue(ctx context.Context, queueName, jobType string, payload any) (*Job, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("marshal payload: %w", err)
	}
	options, err := q.options()
	if err != nil {
		return nil, err
	}
	defer C.backoff_jobs_options_free(options)
	cQueue, cType := C.CString(queueName), C.CString(jobType)
	defer C.free(unsafe.Pointer(cQueue))
	defer C.free(unsafe.Pointer(cType))
	var id C.int64_t
	q.mu.Lock()
	defer q.mu.Unlock()
	err = call(func() C.int {
		return C.backoff_jobs_enqueue(&id, nil, q.store.handle, cQueue, cType, cBytes(data), C.uint64_t(len(data)), options)
	})
	if err != nil {
		return nil, err
	}
	return &Job{ID: int64(id), Queue: queueName, Type: jobType, Payload: data}, nil
}

// Querier is what EnqueueTx runs the statement on: a *sql.Tx (or *sql.DB, *sql.Conn) of a
// database/sql driver that takes $1-style parameters (pgx's stdlib, lib/pq, SQLite drivers).
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// EnqueueTx adds a job inside the caller's transaction, on the caller's connection, which must be to
// the queue's database: the job exists if and only if the transaction commits. The statement is
// libbackoff_jobs's own (backoff_jobs_enqueue_statement). With a unique key taken, it inserts nothing.
func (q *Queue) EnqueueTx(ctx context.Context, tx Querier, queueName, jobType string, payload any) (*Job, error) {
	data, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("marshal payload: %w", err)
	}
	query, args, err := q.enqueueStatement(queueName, jobType, data)
	if err != nil {
		return nil, err
	}
	id, err := firstColumn(ctx, tx, query, args)
	if err != nil {
		return nil, fmt.Errorf("enqueue in transaction: %w", err)
	}
	return &Job{ID: id, Queue: queueName, Type: jobType, Payload: data}, nil
}

// firstColumn runs the statement and reads the job id: the first column of its one row (on PostgreSQL
// a second column carries the notification).
func firstColumn(ctx context.Context, tx Querier, query string, args []any) (int64, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	columns, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return 0, err
		}
		return 0, errors.New("the enqueue statement returned no row")
	}
	var id int64
	values := make([]any, len(columns))
	values[0] = &id
	for i := 1; i < len(values); i++ {
		values[i] = new(any)
	}
	if err := rows.Scan(values...); err != nil {
		return 0, err
	}
	return id, rows.Close()
}

// enqueueStatement is the statement and its arguments as Go values, in $1 order.
func (q *Queue) enqueueStatement(queueName, jobType string, data []byte) (string, []any, error) {
	options, err := q.options()
	if err != nil {
		return "", nil, err
	}
	defer C.backoff_jobs_options_free(options)
	cQueue, cType := C.CString(queueName), C.CString(jobType)
	defer C.free(unsafe.Pointer(cQueue))
	defer C.free(unsafe.Pointer(cType))
	var statement *C.backoff_jobs_statement
	q.mu.Lock()
	err = call(func() C.int {
		return C.backoff_jobs_enqueue_statement(&statement, q.store.handle, C.BACKOFF_JOBS_PLACEHOLDER_NUMERIC, cQueue,
			cType, cBytes(data), C.uint64_t(len(data)), options)
	})
	q.mu.Unlock()
	if err != nil {
		return "", nil, err
	}
	defer C.backoff_jobs_statement_free(statement)
	var count C.uint64_t
	C.backoff_jobs_statement_param_count(&count, statement)
	args := make([]any, int(count))
	for i := range args {
		var kind C.int
		var number C.int64_t
		var bytes unsafe.Pointer
		var size C.uint64_t
		C.backoff_jobs_statement_param(&kind, &number, &bytes, &size, statement, C.uint64_t(i))
		switch kind {
		case C.BACKOFF_JOBS_PARAM_INT64:
			args[i] = int64(number)
		case C.BACKOFF_JOBS_PARAM_TEXT:
			args[i] = C.GoStringN((*C.char)(bytes), C.int(size))
		case C.BACKOFF_JOBS_PARAM_BLOB:
			args[i] = C.GoBytes(bytes, C.int(size))
		default:
			args[i] = nil
		}
	}
	return C.GoString(C.backoff_jobs_statement_sql(statement)), args, nil
}

// cBytes is a pointer to data's bytes for a C call that only reads them during the call.
func cBytes(data []byte) unsafe.Pointer {
	if len(data) == 0 {
		return nil
	}
	return unsafe.Pointer(&data[0])
}
