/*
 * backoff_jobs.h - durable retries: the C API of libbackoff_jobs. SPDX-License-Identifier: MIT
 *
 * ===== Introduction =====
 *
 * libbackoff_jobs is a job queue whose retries libbackoff's engine decides. A job is a type (what to do),
 * a payload (bytes the library never interprets) and a queue name. Workers claim jobs with a lease, run
 * them in the host language, and report complete or fail. A failed job runs again at
 *
 *     run_at = now + backoff_policy_delay_hinted(policy, attempt - 1, key = job id, elapsed, hint)
 *
 * computed by libbackoff from the retry policy stored with the job, so every worker, in every language,
 * on every machine, gives a job the same schedule without remembering anything.
 *
 * Stores. One library, two databases, chosen by the URL given to backoff_jobs_open():
 *   SQLite      a file path or "sqlite:///abs/path" ("sqlite://rel/path" is relative): the embedded default.
 *               WAL mode, a busy timeout and BEGIN IMMEDIATE claims make it safe for several worker
 *               processes on one machine; a worker waiting for jobs wakes when another process commits.
 *   PostgreSQL  "postgresql://..." or "postgres://..." (libpq's URI syntax): many machines. Claims are one
 *               statement (FOR UPDATE SKIP LOCKED in a CTE), idle workers wake at once through
 *               LISTEN/NOTIFY (a poll is only the fallback), and a connection lost to a server restart is
 *               re-established on the next call.
 *
 * Guarantees.
 *   At-least-once. A job is never lost: a job whose lease expires (its worker died, hung or lost the
 *   database) counts as a failed attempt ("lease expired") and is scheduled again by its policy, or
 *   failed once its attempts are spent. A handler may therefore run more than once for one job; make it
 *   idempotent.
 *   Fenced. Every claim hands out a lease token; complete, fail, heartbeat and release must name it. Once
 *   a lease has expired and the job has been claimed again (or cancelled, or requeued), the old token is
 *   refused with BACKOFF_JOBS_ESTALE: a stale worker can never finalize a job another worker now runs.
 *   Database time. Leases, run times and ages are read from the database's clock (for SQLite, the
 *   machine's wall clock, which every process on that machine shares), never from a worker's.
 *   Kept errors. Every failed attempt's error text is kept with the job (see backoff_jobs_errors()) until
 *   the job is requeued or purged.
 *   Parameters only. Queue names, types, payloads and every other value reach the database as bound
 *   parameters; SQL text never contains user data.
 *
 * Time. Durations are int64_t nanoseconds (names end in `_ns`), as in backoff.h. Points in time are UNIX
 * times in nanoseconds (UTC, the wall clock; names end in `_at_ns`), because they are stored and compared
 * across machines. 0 as a point in time means "none" (a job never leased has lease_expires_at_ns 0).
 *
 * States.
 *
 *     enqueue --> SCHEDULED --claim--> RUNNING --complete--> COMPLETED
 *                  ^   |                 |   |
 *                  |   +---cancel--+     |   +--fail (permanent, or attempts spent)--> FAILED
 *                  |               v     |                                               |
 *                  |           CANCELLED <-----cancel                                    |
 *                  +----fail (retryable) / lease expired / release ----+                 |
 *                  +------------------------------------------- requeue -----------------+
 *
 * Attempts. A job's `attempt` counts its claims: 0 while it has never run, 1 during its first run. A
 * retryable failure of attempt n waits the policy's delay for backoff attempt n - 1 (backoff.h counts
 * delays from 0). MAX_ATTEMPTS counts runs, the first included, as the policy's max_attempts does: with
 * 3, the job runs at most three times. 0 means unlimited.
 *
 * Errors. Every function that can fail returns an int status: BACKOFF_OK (0), a negative backoff_status
 * of backoff.h (BACKOFF_EINVAL, BACKOFF_ENULL, BACKOFF_EUNKNOWN, BACKOFF_ENOMEM, BACKOFF_EINTERNAL), or
 * one of the backoff_jobs_status codes below. The message is libbackoff's own: backoff_last_error()
 * names the parameter and the value ("payload_size: must be at most 1048576 bytes (got 2000000)"), or
 * quotes the database's error. backoff_jobs_strerror() describes any status of either header. Out-
 * parameters come first, are named `out` or `out_<what>`, and are written only on success. A call that
 * fails changes nothing in the store (each is one transaction). No C++ exception leaves the library.
 *
 * Threads. A backoff_jobs_store is one database connection (on PostgreSQL it also LISTENs, once it has
 * waited) and belongs to one thread at a time, like backoff_state: open one store per worker thread. Only
 * backoff_jobs_interrupt() may be called from any thread (and from a signal handler). Row sets and
 * options handles belong to one thread at a time; a row set outlives the store call that made it.
 *
 * Typical use:
 *
 *     backoff_jobs_store *store;  backoff_jobs_rows *jobs;  int64_t id;  uint64_t n;
 *     if (backoff_jobs_open(&store, "sqlite:///var/lib/app/jobs.db") != BACKOFF_OK ||
 *         backoff_jobs_migrate(NULL, store) != BACKOFF_OK) { puts(backoff_last_error()); ... }
 *     backoff_jobs_enqueue(&id, NULL, store, "mail", "send_welcome", "{\"user\":42}", 12, NULL);
 *     for (;;) {
 *         backoff_jobs_claim(&jobs, store, "mail", 16, 30 * BACKOFF_SECOND, "worker-1");
 *         backoff_jobs_rows_count(&n, jobs);
 *         for (uint64_t i = 0; i < n; ++i) {
 *             int64_t job_id, token;  const void *payload;  uint64_t size;
 *             backoff_jobs_rows_get_i64(&job_id, jobs, i, BACKOFF_JOBS_FIELD_ID);
 *             backoff_jobs_rows_get_i64(&token, jobs, i, BACKOFF_JOBS_FIELD_LEASE_TOKEN);
 *             backoff_jobs_rows_get_bytes(&payload, &size, jobs, i, BACKOFF_JOBS_FIELD_PAYLOAD);
 *             if (send_mail(payload, size) == 0) backoff_jobs_complete(store, job_id, token);
 *             else backoff_jobs_fail(NULL, NULL, store, job_id, token, "smtp: 451", 0, 0);
 *         }
 *         backoff_jobs_rows_free(jobs);
 *         if (n == 0) backoff_jobs_wait(NULL, store, "mail", 5 * BACKOFF_SECOND);
 *     }
 *
 * or let backoff_jobs_work() run that loop with a handler.
 *
 * Since 0.2. The whole of this header is new in 0.2 and may still grow; what is here keeps its meaning.
 */
#ifndef BACKOFF_JOBS_H
#define BACKOFF_JOBS_H

#include <stdint.h>

#include "backoff.h"

#if defined(_WIN32) && defined(BACKOFF_JOBS_BUILDING_DLL)
#  define BACKOFF_JOBS_API __declspec(dllexport)
#elif defined(_WIN32)
#  define BACKOFF_JOBS_API __declspec(dllimport)
#elif defined(__GNUC__) || defined(__clang__)
#  define BACKOFF_JOBS_API __attribute__((visibility("default")))
#else
#  define BACKOFF_JOBS_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ===== Errors and names ===== */

/**
 * The statuses of the jobs library, beyond backoff.h's. Values are fixed forever; new ones are only ever
 * appended (downwards). They start at -100 so that they never meet a backoff_status.
 */
typedef enum backoff_jobs_status {
  /** The database failed the call: a connection that could not be (re)established, a disk or I/O
   *  error, a lock held longer than the busy timeout (SQLite). The message quotes the database. */
  BACKOFF_JOBS_ESTORE = -100,
  /** The store's schema is newer than this library knows (the message names both versions): upgrade
   *  the library. Also: the store has not been migrated yet; call backoff_jobs_migrate(). */
  BACKOFF_JOBS_ESCHEMA = -101,
  /** No job has this id (never enqueued, or purged). */
  BACKOFF_JOBS_ENOTFOUND = -102,
  /** The lease token is not the job's current one: the lease expired and the job was claimed again,
   *  failed or scheduled again, or the job was cancelled or requeued. The job was not changed. */
  BACKOFF_JOBS_ESTALE = -103,
  /** The job's state does not allow the call: requeue of a job that is not failed or cancelled,
   *  cancel of a job that has finished. The message names the state. */
  BACKOFF_JOBS_ESTATE = -104
} backoff_jobs_status;

/**
 * Returns a static description of any status, of this header or of backoff.h: "stale lease" for
 * BACKOFF_JOBS_ESTALE, "invalid value" for BACKOFF_EINVAL.
 *
 * @param status  any int; unknown codes give "unknown status".
 * @return Never NULL. Thread safety: any thread. Since: 0.2.
 */
BACKOFF_JOBS_API const char *backoff_jobs_strerror(int status);

/** A job's state. Values are fixed forever. */
typedef enum backoff_jobs_state {
  BACKOFF_JOBS_SCHEDULED = 0, /**< Waiting for its run time ("scheduled"); claimable once run_at <= now. */
  BACKOFF_JOBS_RUNNING = 1,   /**< Leased to a worker ("running"). */
  BACKOFF_JOBS_COMPLETED = 2, /**< Done ("completed"). */
  BACKOFF_JOBS_FAILED = 3,    /**< Gave up: a permanent error, or attempts or max_elapsed spent ("failed"). */
  BACKOFF_JOBS_CANCELLED = 4  /**< Cancelled before it finished ("cancelled"). */
} backoff_jobs_state;

/**
 * The enum families of this header whose names the library knows, for backoff_jobs_name_of() and
 * backoff_jobs_value_of(): tools and bindings ask instead of keeping tables.
 *
 * | family                     | its values          | names, for example                          |
 * |----------------------------|---------------------|---------------------------------------------|
 * | BACKOFF_JOBS_ENUM_STATE    | backoff_jobs_state  | "scheduled", "running", "failed"            |
 * | BACKOFF_JOBS_ENUM_STATUS   | backoff_jobs_status | "store_error", "stale_lease", "wrong_state" |
 * | BACKOFF_JOBS_ENUM_FIELD    | backoff_jobs_field  | "id", "payload", "lease_token", "count"     |
 * | BACKOFF_JOBS_ENUM_OPTION   | backoff_jobs_option | "priority", "delay", "unique_key"           |
 * | BACKOFF_JOBS_ENUM_DIALECT  | backoff_jobs_dialect | "sqlite", "postgresql"                     |
 * | BACKOFF_JOBS_ENUM_PLACEHOLDER | backoff_jobs_placeholder | "native", "qmark", "format", "numeric" |
 * | BACKOFF_JOBS_ENUM_LIMIT    | backoff_jobs_limit  | "max_payload", "max_claim"                  |
 */
typedef enum backoff_jobs_enum_family {
  BACKOFF_JOBS_ENUM_STATE = 0,
  BACKOFF_JOBS_ENUM_STATUS = 1,
  BACKOFF_JOBS_ENUM_FIELD = 2,
  BACKOFF_JOBS_ENUM_OPTION = 3,
  BACKOFF_JOBS_ENUM_DIALECT = 4,
  BACKOFF_JOBS_ENUM_PLACEHOLDER = 5,
  BACKOFF_JOBS_ENUM_LIMIT = 6
} backoff_jobs_enum_family;

/**
 * Returns the name of `value` in `family` ("failed" for BACKOFF_JOBS_ENUM_STATE, BACKOFF_JOBS_FAILED), or
 * NULL for an unknown family or value. Static storage.
 * Thread safety: any thread. Since: 0.2.
 */
BACKOFF_JOBS_API const char *backoff_jobs_name_of(int family, int value);

/**
 * Looks up a value of `family` by name: the inverse of backoff_jobs_name_of().
 *
 * @param[out] out  receives the value. Must not be NULL.
 * @param family    a backoff_jobs_enum_family.
 * @param name      a NUL-terminated name such as "failed". Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or name is NULL; BACKOFF_EUNKNOWN for an unknown family or
 *         name ("state: unknown value 'done' (known: scheduled, running, completed, failed, cancelled)").
 * Thread safety: any thread. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_value_of(int *out, int family, const char *name);

/* ===== Limits ===== */

/**
 * The documented limits. A value past one is BACKOFF_EINVAL naming the parameter, the value and the
 * limit, and changes nothing.
 *
 * | limit                            | value    | what                                                  |
 * |----------------------------------|----------|-------------------------------------------------------|
 * | BACKOFF_JOBS_LIMIT_MAX_PAYLOAD   | 1048576  | payload bytes per job (1 MiB)                         |
 * | BACKOFF_JOBS_LIMIT_MAX_NAME      | 128      | bytes of a queue name, a job type, a worker name      |
 * | BACKOFF_JOBS_LIMIT_MAX_UNIQUE_KEY | 255     | bytes of a unique key                                 |
 * | BACKOFF_JOBS_LIMIT_MAX_ERROR     | 4096     | bytes kept of one attempt's error text (cut at a UTF-8 boundary) |
 * | BACKOFF_JOBS_LIMIT_MAX_ERRORS    | 100      | errors kept per job: the newest 100 attempts'          |
 * | BACKOFF_JOBS_LIMIT_MAX_CLAIM     | 1000     | jobs per claim, per list page                          |
 * | BACKOFF_JOBS_LIMIT_MIN_LEASE_NS  | 1 ms     | shortest lease                                        |
 * | BACKOFF_JOBS_LIMIT_MAX_LEASE_NS  | 24 h     | longest lease (extend it with heartbeats)              |
 * | BACKOFF_JOBS_LIMIT_MIN_PRIORITY  | -32768   | smallest priority (runs first)                        |
 * | BACKOFF_JOBS_LIMIT_MAX_PRIORITY  | 32767    | largest priority (runs last)                          |
 *
 * Names (queues, types, workers, keys) are UTF-8 text without control characters, at least one byte.
 */
typedef enum backoff_jobs_limit {
  BACKOFF_JOBS_LIMIT_MAX_PAYLOAD = 0,
  BACKOFF_JOBS_LIMIT_MAX_NAME = 1,
  BACKOFF_JOBS_LIMIT_MAX_UNIQUE_KEY = 2,
  BACKOFF_JOBS_LIMIT_MAX_ERROR = 3,
  BACKOFF_JOBS_LIMIT_MAX_ERRORS = 4,
  BACKOFF_JOBS_LIMIT_MAX_CLAIM = 5,
  BACKOFF_JOBS_LIMIT_MIN_LEASE_NS = 6,
  BACKOFF_JOBS_LIMIT_MAX_LEASE_NS = 7,
  BACKOFF_JOBS_LIMIT_MIN_PRIORITY = 8,
  BACKOFF_JOBS_LIMIT_MAX_PRIORITY = 9
} backoff_jobs_limit;

/**
 * Returns a limit of the table above, so that a binding or a tool never copies the numbers.
 *
 * @param[out] out  receives the limit. Must not be NULL.
 * @param limit     a backoff_jobs_limit.
 * @return BACKOFF_OK; BACKOFF_ENULL if out is NULL; BACKOFF_EUNKNOWN for an unknown limit.
 * Thread safety: any thread. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_limit_get(int64_t *out, int limit);

/* ===== Store: open, close, migrate ===== */

/** A connection to a job store. One thread at a time (see "Threads" above). */
typedef struct backoff_jobs_store backoff_jobs_store;

/** The SQL dialect of a store. */
typedef enum backoff_jobs_dialect {
  BACKOFF_JOBS_DIALECT_SQLITE = 0,
  BACKOFF_JOBS_DIALECT_POSTGRESQL = 1
} backoff_jobs_dialect;

/**
 * Opens a store. Does not create or change the schema (see backoff_jobs_migrate()), but refuses a store
 * whose schema is newer than this library.
 *
 * URLs:
 *   "/path/jobs.db", "jobs.db"           SQLite file (created if missing), relative to the working directory
 *   "sqlite:///abs/path/jobs.db"         SQLite, absolute path
 *   "sqlite://rel/path.db"               SQLite, relative path
 *   "sqlite::memory:"                    SQLite in memory (one connection; for tests)
 *                                        (SQLite URLs take no ?parameters)
 *   "postgresql://user@host:port/db?..."  PostgreSQL through libpq ("postgres://" too); every libpq
 *                                        URI parameter applies (sslmode, connect_timeout, ...)
 * SQLite is opened with journal_mode=WAL, synchronous=NORMAL and a busy timeout of 10 s.
 *
 * @param[out] out  receives the store; close it with backoff_jobs_close(). Must not be NULL.
 * @param url       NUL-terminated, must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or url is NULL; BACKOFF_EINVAL for an empty URL, a scheme
 *         other than sqlite, postgresql and postgres, an SQLite URL without a path or with parameters
 *         (the message quotes the URL with any password masked); BACKOFF_JOBS_ESTORE if the database
 *         cannot be opened or reached (the message quotes the database's reason); BACKOFF_JOBS_ESCHEMA if
 *         the store's schema is newer than the library's; BACKOFF_ENOMEM.
 * Thread safety: any thread. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_open(backoff_jobs_store **out, const char *url);

/**
 * Closes a store and its connections. NULL is a no-op. Jobs it had claimed stay leased until their
 * leases expire (release them first to hand them back at once). Row sets it returned stay valid.
 * Thread safety: the last use of the store. Since: 0.2.
 */
BACKOFF_JOBS_API void backoff_jobs_close(backoff_jobs_store *store);

/**
 * Returns the store's dialect, a backoff_jobs_dialect.
 * @return BACKOFF_JOBS_DIALECT_SQLITE or _POSTGRESQL; BACKOFF_ENULL if store is NULL.
 * Thread safety: any thread. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_dialect_of(const backoff_jobs_store *store);

/**
 * Brings the store's schema to this library's version, applying the missing migrations in order, all in
 * one transaction: a store is at one version or the next, never between. Safe to run from several
 * processes at once (a lock serialises them) and again and again (a store at the library's version is
 * left alone).
 *
 * @param[out] out_version  receives the schema version after the call; may be NULL.
 * @param store             must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if store is NULL; BACKOFF_JOBS_ESCHEMA if the store is at a newer
 *         version ("schema: store is at version 9, this library knows up to 1; upgrade libbackoff_jobs"),
 *         and then nothing is changed; BACKOFF_JOBS_ESTORE.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_migrate(int *out_version, backoff_jobs_store *store);

/**
 * Reads the store's schema version (0: never migrated) and the newest version this library knows.
 *
 * @param[out] out_store_version    may be NULL.
 * @param[out] out_library_version  may be NULL.
 * @param store                     must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if store is NULL; BACKOFF_JOBS_ESTORE.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_schema_version(int *out_store_version, int *out_library_version,
                                                 backoff_jobs_store *store);

/**
 * Reads the database's clock, as a UNIX time in nanoseconds: the time every lease and run time of the
 * store is measured against.
 *
 * @param[out] out_ns  must not be NULL.
 * @param store        must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_JOBS_ESTORE.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_now(int64_t *out_ns, backoff_jobs_store *store);

/* ===== Retry policies: per queue, per job ===== */

/*
 * A job's retry policy is a libbackoff policy (backoff.h: kind, initial, multiplier, cap, jitter,
 * max_attempts, max_elapsed, seed), chosen at enqueue: the job's own (backoff_jobs_options_set_policy()),
 * else its queue's (backoff_jobs_queue_set_policy()), else the store default below. It is stored with the
 * job as text, every parameter by its backoff.h name ("kind=2 initial=1000000000 multiplier=2 ..."), its
 * seed included, so a policy changed later does not change the schedule of jobs already enqueued, and
 * every worker rebuilds the same policy. An unseeded policy is stored with the seed it drew; with the job
 * id as the key, jobs of one queue still jitter apart.
 *
 * Store default: exponential, initial 1 s, multiplier 2, cap 1 h, full jitter, max_attempts 25.
 * MAX_ELAPSED, if set, is measured from the job's creation.
 */

/**
 * Sets the policy of the jobs enqueued to `queue` from now on (jobs already enqueued keep theirs).
 *
 * @param store   must not be NULL.
 * @param queue   a queue name (see the limits). Must not be NULL. Need not have jobs yet.
 * @param policy  a libbackoff policy, copied; NULL returns the queue to the store default.
 * @return BACKOFF_OK; BACKOFF_ENULL if store or queue is NULL; BACKOFF_EINVAL for an invalid queue name;
 *         BACKOFF_JOBS_ESCHEMA if the store is not migrated; BACKOFF_JOBS_ESTORE.
 * Thread safety: one thread per store; the policy may be shared. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_queue_set_policy(backoff_jobs_store *store, const char *queue,
                                                   const backoff_policy *policy);

/**
 * Returns the policy a job enqueued to `queue` gets without one of its own.
 *
 * @param[out] out  receives a new policy; free it with backoff_policy_free(). Must not be NULL.
 * @param store     must not be NULL.
 * @param queue     must not be NULL. A queue without a policy of its own gives the store default.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EINVAL for an invalid queue name; BACKOFF_JOBS_ESCHEMA;
 *         BACKOFF_JOBS_ESTORE; BACKOFF_ENOMEM.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_queue_policy(backoff_policy **out, backoff_jobs_store *store, const char *queue);

/* ===== Enqueue ===== */

/** The options of one enqueue, set through typed setters. One thread at a time; reusable. */
typedef struct backoff_jobs_options backoff_jobs_options;

/**
 * Enqueue options. The quoted name is the option's name for backoff_jobs_value_of().
 *
 * | option                            | setter   | default        | domain                                  |
 * |-----------------------------------|----------|----------------|-----------------------------------------|
 * | BACKOFF_JOBS_OPT_PRIORITY "priority" | i64   | 0              | [-32768, 32767]; lower runs first       |
 * | BACKOFF_JOBS_OPT_RUN_AT_NS "run_at"  | i64   | now            | a UNIX time in ns, >= 0; past = now     |
 * | BACKOFF_JOBS_OPT_DELAY_NS "delay"    | i64   | 0              | >= 0: run_at = database now + delay     |
 * | BACKOFF_JOBS_OPT_MAX_ATTEMPTS "max_attempts" | i64 | the policy's | >= 0; 0 = unlimited; overrides the policy's |
 * | BACKOFF_JOBS_OPT_UNIQUE_KEY "unique_key" | text | none         | 1..255 bytes; see backoff_jobs_enqueue() |
 *
 * RUN_AT and DELAY exclude each other: setting one clears the other. The policy is set with
 * backoff_jobs_options_set_policy().
 */
typedef enum backoff_jobs_option {
  BACKOFF_JOBS_OPT_PRIORITY = 0,
  BACKOFF_JOBS_OPT_RUN_AT_NS = 1,
  BACKOFF_JOBS_OPT_DELAY_NS = 2,
  BACKOFF_JOBS_OPT_MAX_ATTEMPTS = 3,
  BACKOFF_JOBS_OPT_UNIQUE_KEY = 4
} backoff_jobs_option;

/**
 * Creates enqueue options holding the defaults.
 * @param[out] out  free with backoff_jobs_options_free(). Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_ENOMEM. Thread safety: any thread. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_options_new(backoff_jobs_options **out);

/** Frees options. NULL is a no-op. Thread safety: the last use of the options. Since: 0.2. */
BACKOFF_JOBS_API void backoff_jobs_options_free(backoff_jobs_options *options);

/**
 * Sets an integer option: PRIORITY, RUN_AT_NS, DELAY_NS or MAX_ATTEMPTS. A rejected value changes nothing.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL if options is NULL; BACKOFF_EUNKNOWN for an unknown option;
 *         BACKOFF_ETYPE for UNIQUE_KEY (text); BACKOFF_EINVAL for a value outside the domain.
 * Thread safety: one thread per options. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_options_set_i64(backoff_jobs_options *options, int option, int64_t value);

/**
 * Sets a text option: UNIQUE_KEY. NULL clears it.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL if options is NULL; BACKOFF_EUNKNOWN for an unknown option;
 *         BACKOFF_ETYPE for an integer option; BACKOFF_EINVAL for an empty or too long key, or one with
 *         control characters or invalid UTF-8.
 * Thread safety: one thread per options. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_options_set_text(backoff_jobs_options *options, int option, const char *value);

/**
 * Gives the job a retry policy of its own (copied). NULL returns to the queue's.
 * @return BACKOFF_OK; BACKOFF_ENULL if options is NULL. Thread safety: one thread per options. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_options_set_policy(backoff_jobs_options *options, const backoff_policy *policy);

/**
 * Enqueues a job in its own transaction. On PostgreSQL the commit also notifies the queue's idle
 * workers (one notification per queue and transaction).
 *
 * Unique keys. A job enqueued with a unique key that another job of the store already holds (in any
 * state, until it is purged) is not inserted: out_id receives the existing job's id and out_inserted 0.
 *
 * @param[out] out_id        receives the job id (> 0). Must not be NULL.
 * @param[out] out_inserted  receives 1 if the job was inserted, 0 if an existing job holds its unique
 *                           key. May be NULL.
 * @param store              must not be NULL.
 * @param queue              the queue name. Must not be NULL.
 * @param type               what to do: the name a worker dispatches on. Must not be NULL.
 * @param payload            payload bytes, never interpreted; may be NULL when payload_size is 0.
 * @param payload_size       at most BACKOFF_JOBS_LIMIT_MAX_PAYLOAD.
 * @param options            NULL for the defaults.
 * @return BACKOFF_OK; BACKOFF_ENULL if out_id, store, queue or type is NULL, or payload is NULL with a
 *         size; BACKOFF_EINVAL for an invalid queue or type name or an oversized payload (the message
 *         names the parameter, the value and the limit); BACKOFF_JOBS_ESCHEMA; BACKOFF_JOBS_ESTORE;
 *         BACKOFF_ENOMEM. Nothing is enqueued on error.
 * Thread safety: one thread per store; options may not be changed meanwhile. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_enqueue(int64_t *out_id, int *out_inserted, backoff_jobs_store *store,
                                          const char *queue, const char *type, const void *payload,
                                          uint64_t payload_size, const backoff_jobs_options *options);

/* ===== Transactional enqueue: the statement, run on your own connection ===== */

/*
 * To enqueue a job atomically with your own writes (the seed's EnqueueTx, River's InsertTx), run the
 * enqueue statement yourself, on your own connection, inside your own transaction, with any driver
 * (psycopg, sqlite3, pgx, database/sql, JDBC): commit and the job exists (and, on PostgreSQL, idle
 * workers are notified); roll back and it never existed.
 *
 *     backoff_jobs_statement *st;
 *     backoff_jobs_enqueue_statement(&st, store, BACKOFF_JOBS_PLACEHOLDER_NATIVE, "mail", "welcome",
 *                                    payload, size, NULL);
 *     // BEGIN; your INSERTs; then:
 *     PQexecParams(conn, backoff_jobs_statement_sql(st), n, types, values, lengths, formats, 0);
 *     // COMMIT
 *
 * The statement is one INSERT (PostgreSQL: in a CTE with pg_notify) returning one row whose first column
 * is the new job's id; a job whose unique key is taken inserts nothing and returns no row. The queue's
 * policy and max_attempts are looked up by the statement itself, when it runs. It needs the schema of the
 * library that built it, and nothing of the store handle: it may run on any connection to the store's
 * database (on SQLite, whose clock it then reads as julianday('now'), to the millisecond).
 */

/** How the statement writes its parameter placeholders, to suit the caller's driver. */
typedef enum backoff_jobs_placeholder {
  BACKOFF_JOBS_PLACEHOLDER_NATIVE = 0,  /**< The dialect's own: $1, $2 (PostgreSQL), ?1, ?2 (SQLite). */
  BACKOFF_JOBS_PLACEHOLDER_QMARK = 1,   /**< ? in order (Python sqlite3, JDBC, ODBC). */
  BACKOFF_JOBS_PLACEHOLDER_FORMAT = 2,  /**< %s in order (psycopg, psycopg2). The text holds no other %. */
  BACKOFF_JOBS_PLACEHOLDER_NUMERIC = 3  /**< $1, $2 in every dialect (pgx, lib/pq, asyncpg; SQLite reads $N). */
} backoff_jobs_placeholder;

/** The type of a statement parameter, so any driver can bind it. */
typedef enum backoff_jobs_param_type {
  BACKOFF_JOBS_PARAM_NULL = 0,   /**< SQL NULL. */
  BACKOFF_JOBS_PARAM_INT64 = 1,  /**< A 64-bit integer (PostgreSQL bigint). */
  BACKOFF_JOBS_PARAM_TEXT = 2,   /**< UTF-8 text (PostgreSQL text). */
  BACKOFF_JOBS_PARAM_BLOB = 3    /**< Bytes (PostgreSQL bytea, SQLite BLOB). */
} backoff_jobs_param_type;

/** An enqueue statement and its bound parameters. Immutable; any thread may read it. */
typedef struct backoff_jobs_statement backoff_jobs_statement;

/**
 * Builds the enqueue statement for the store's dialect and its parameters, validated exactly as
 * backoff_jobs_enqueue() validates them (it is the statement backoff_jobs_enqueue() runs).
 *
 * @param[out] out      free with backoff_jobs_statement_free(). Must not be NULL.
 * @param store         must not be NULL; used for its dialect and the queue's policy only.
 * @param placeholder   a backoff_jobs_placeholder.
 * @param queue, type, payload, payload_size, options  as for backoff_jobs_enqueue().
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EUNKNOWN for an unknown placeholder style; BACKOFF_EINVAL,
 *         BACKOFF_JOBS_ESCHEMA, BACKOFF_JOBS_ESTORE as for backoff_jobs_enqueue(); BACKOFF_ENOMEM.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_enqueue_statement(backoff_jobs_statement **out, backoff_jobs_store *store,
                                                    int placeholder, const char *queue, const char *type,
                                                    const void *payload, uint64_t payload_size,
                                                    const backoff_jobs_options *options);

/** Frees a statement. NULL is a no-op. Thread safety: the last use. Since: 0.2. */
BACKOFF_JOBS_API void backoff_jobs_statement_free(backoff_jobs_statement *statement);

/**
 * Returns the statement's SQL text, NUL-terminated, owned by the statement; NULL if statement is NULL.
 * Thread safety: any thread. Since: 0.2.
 */
BACKOFF_JOBS_API const char *backoff_jobs_statement_sql(const backoff_jobs_statement *statement);

/**
 * Returns the number of parameters, in the order the placeholders number them (QMARK and FORMAT: the
 * order they appear in, each once).
 * @param[out] out  must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL. Thread safety: any thread. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_statement_param_count(uint64_t *out, const backoff_jobs_statement *statement);

/**
 * Reads parameter `index` (0-based; placeholder $1 is index 0).
 *
 * @param[out] out_type   receives a backoff_jobs_param_type. Must not be NULL.
 * @param[out] out_int    receives the value of an INT64 parameter, 0 otherwise. May be NULL.
 * @param[out] out_bytes  receives the bytes of a TEXT or BLOB parameter, owned by the statement (TEXT is
 *                        also NUL-terminated), NULL otherwise. May be NULL.
 * @param[out] out_size   receives the byte count of TEXT or BLOB, 0 otherwise. May be NULL.
 * @param statement       must not be NULL.
 * @param index           < the parameter count.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EINVAL for an index past the end.
 * Thread safety: any thread. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_statement_param(int *out_type, int64_t *out_int, const void **out_bytes,
                                                  uint64_t *out_size, const backoff_jobs_statement *statement,
                                                  uint64_t index);

/* ===== Row sets: what claim, list, errors and stats return ===== */

/** An immutable set of rows, read by index and field. One thread at a time. */
typedef struct backoff_jobs_rows backoff_jobs_rows;

/**
 * The fields of a row. Which row sets carry which field:
 *
 * | field                          | type  | claim | list | errors | stats |
 * |--------------------------------|-------|-------|------|--------|-------|
 * | ID "id"                        | i64   | yes   | yes  | yes    |       |
 * | QUEUE "queue"                  | bytes | yes   | yes  |        | yes   |
 * | TYPE "type"                    | bytes | yes   | yes  |        |       |
 * | PAYLOAD "payload"              | bytes | yes   | yes  |        |       |
 * | STATE "state"                  | i64   | yes   | yes  |        | yes   |
 * | PRIORITY "priority"            | i64   | yes   | yes  |        |       |
 * | ATTEMPT "attempt"              | i64   | yes   | yes  | yes    |       |
 * | MAX_ATTEMPTS "max_attempts"    | i64   | yes   | yes  |        |       |
 * | LEASE_TOKEN "lease_token"      | i64   | yes   | yes  |        |       |
 * | RUN_AT_NS "run_at"             | i64   | yes   | yes  |        |       |
 * | CREATED_AT_NS "created_at"     | i64   | yes   | yes  |        |       |
 * | LEASE_EXPIRES_AT_NS "lease_expires_at" | i64 | yes | yes |      |       |
 * | FINISHED_AT_NS "finished_at"   | i64   | yes   | yes  |        |       |
 * | UNIQUE_KEY "unique_key"        | bytes | yes   | yes  |        |       |
 * | POLICY "policy"                | bytes | yes   | yes  |        |       |
 * | ERROR "error"                  | bytes | yes   | yes  | yes    |       |
 * | ERROR_AT_NS "error_at"         | i64   |       |      | yes    |       |
 * | WORKER "worker"                | bytes | yes   | yes  |        |       |
 * | COUNT "count"                  | i64   |       |      |        | yes   |
 *
 * In claim and list rows, ERROR is the newest attempt's error ("" if none). A time that does not apply
 * is 0; a text that does not apply is empty (UNIQUE_KEY of a job without one). WORKER is the name the last
 * claimer gave. STATE is a backoff_jobs_state.
 */
typedef enum backoff_jobs_field {
  BACKOFF_JOBS_FIELD_ID = 0,
  BACKOFF_JOBS_FIELD_QUEUE = 1,
  BACKOFF_JOBS_FIELD_TYPE = 2,
  BACKOFF_JOBS_FIELD_PAYLOAD = 3,
  BACKOFF_JOBS_FIELD_STATE = 4,
  BACKOFF_JOBS_FIELD_PRIORITY = 5,
  BACKOFF_JOBS_FIELD_ATTEMPT = 6,
  BACKOFF_JOBS_FIELD_MAX_ATTEMPTS = 7,
  BACKOFF_JOBS_FIELD_LEASE_TOKEN = 8,
  BACKOFF_JOBS_FIELD_RUN_AT_NS = 9,
  BACKOFF_JOBS_FIELD_CREATED_AT_NS = 10,
  BACKOFF_JOBS_FIELD_LEASE_EXPIRES_AT_NS = 11,
  BACKOFF_JOBS_FIELD_FINISHED_AT_NS = 12,
  BACKOFF_JOBS_FIELD_UNIQUE_KEY = 13,
  BACKOFF_JOBS_FIELD_POLICY = 14,
  BACKOFF_JOBS_FIELD_ERROR = 15,
  BACKOFF_JOBS_FIELD_ERROR_AT_NS = 16,
  BACKOFF_JOBS_FIELD_WORKER = 17,
  BACKOFF_JOBS_FIELD_COUNT = 18
} backoff_jobs_field;

/** Frees a row set. NULL is a no-op. Thread safety: the last use. Since: 0.2. */
BACKOFF_JOBS_API void backoff_jobs_rows_free(backoff_jobs_rows *rows);

/**
 * Returns the number of rows.
 * @param[out] out  must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL. Thread safety: one thread per row set. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_rows_count(uint64_t *out, const backoff_jobs_rows *rows);

/**
 * Reads an integer field of row `index`.
 *
 * @param[out] out  must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EINVAL for an index past the end; BACKOFF_EUNKNOWN for an
 *         unknown field or one this row set does not carry (the message names the row set's kind);
 *         BACKOFF_ETYPE for a bytes field.
 * Thread safety: one thread per row set. Cost: O(1). Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_rows_get_i64(int64_t *out, const backoff_jobs_rows *rows, uint64_t index, int field);

/**
 * Reads a bytes field of row `index`: a pointer into the row set, valid until it is freed, and the size.
 * Text fields are also NUL-terminated; a payload is followed by a NUL byte not counted in the size.
 *
 * @param[out] out       must not be NULL; never receives NULL (an empty field points at "").
 * @param[out] out_size  must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EINVAL for an index past the end; BACKOFF_EUNKNOWN as for
 *         backoff_jobs_rows_get_i64(); BACKOFF_ETYPE for an integer field.
 * Thread safety: one thread per row set. Cost: O(1). Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_rows_get_bytes(const void **out, uint64_t *out_size, const backoff_jobs_rows *rows,
                                                 uint64_t index, int field);

/* ===== Work: claim, heartbeat, complete, fail, release ===== */

/**
 * Claims up to `max_jobs` due jobs of `queue` (run_at <= database now, state scheduled), highest priority
 * (lowest number) first, then oldest run_at, then lowest id, and leases each for `lease_ns`: each is
 * RUNNING with attempt + 1 and a new lease token, until completed, failed, released, or the lease
 * expires. First (at most once a second per store and queue), jobs of the queue whose lease has expired
 * are failed as a retryable "lease expired" attempt and scheduled by their policy (or failed when spent),
 * so a dead worker's jobs come back; backoff_jobs_wait() does the same whenever it sees an expired lease.
 *
 * One statement on PostgreSQL (FOR UPDATE SKIP LOCKED in a CTE: concurrent claimers never block on, nor
 * share, a job); BEGIN IMMEDIATE on SQLite (claimers take turns; the busy timeout bounds the wait).
 *
 * @param[out] out   receives the claimed jobs (possibly none); free with backoff_jobs_rows_free(). Must not be NULL.
 * @param store      must not be NULL.
 * @param queue      must not be NULL. A queue without jobs gives an empty set.
 * @param max_jobs   1..BACKOFF_JOBS_LIMIT_MAX_CLAIM: size it to your free worker slots.
 * @param lease_ns   BACKOFF_JOBS_LIMIT_MIN_LEASE_NS..MAX_LEASE_NS. Longer than the job takes, or
 *                   heartbeat before it runs out.
 * @param worker     a name recorded with the claim (host:pid, say) for people; may be NULL ("").
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EINVAL for an invalid queue or worker name, max_jobs or
 *         lease_ns out of range; BACKOFF_JOBS_ESCHEMA; BACKOFF_JOBS_ESTORE; BACKOFF_ENOMEM.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_claim(backoff_jobs_rows **out, backoff_jobs_store *store, const char *queue,
                                        uint32_t max_jobs, int64_t lease_ns, const char *worker);

/**
 * Extends a lease: it now expires `lease_ns` after the database's now.
 *
 * @param[out] out_expires_at_ns  receives the new expiry; may be NULL.
 * @param store, job_id, lease_token  the job and the token its claim returned. store must not be NULL.
 * @param lease_ns                as for backoff_jobs_claim().
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EINVAL for lease_ns out of range; BACKOFF_JOBS_ENOTFOUND;
 *         BACKOFF_JOBS_ESTALE if the token is no longer the job's (stop working on it: another worker
 *         may hold it now); BACKOFF_JOBS_ESTORE.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_heartbeat(int64_t *out_expires_at_ns, backoff_jobs_store *store, int64_t job_id,
                                            int64_t lease_token, int64_t lease_ns);

/**
 * Completes a job: RUNNING -> COMPLETED, if `lease_token` is still its lease. A lease that has expired
 * but that nobody has swept or claimed since still completes it (the work was done). Completing a job
 * already completed under the same token succeeds again (a call repeated after a lost reply).
 *
 * @return BACKOFF_OK; BACKOFF_ENULL if store is NULL; BACKOFF_JOBS_ENOTFOUND; BACKOFF_JOBS_ESTALE (the
 *         job is left as it is); BACKOFF_JOBS_ESTORE.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_complete(backoff_jobs_store *store, int64_t job_id, int64_t lease_token);

/**
 * Completes many jobs in one statement (one round trip): the batched form of backoff_jobs_complete().
 * Jobs whose token is stale, or that do not exist, are skipped and not counted.
 *
 * @param[out] out_completed  receives how many jobs were completed; may be NULL.
 * @param store               must not be NULL.
 * @param job_ids, lease_tokens  `count` ids and their tokens; may be NULL when count is 0.
 * @param count               0..BACKOFF_JOBS_LIMIT_MAX_CLAIM.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EINVAL for count past the limit; BACKOFF_JOBS_ESTORE.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_complete_many(uint64_t *out_completed, backoff_jobs_store *store,
                                                const int64_t *job_ids, const int64_t *lease_tokens, uint64_t count);

/**
 * Reports a failed attempt, fenced by the lease token. The error text is appended to the job's errors.
 * Then, in the same transaction:
 *   permanent != 0                      -> FAILED;
 *   else the engine's delay for the job: d = backoff_policy_delay_hinted(policy, attempt - 1, job id,
 *        database now - created_at, hint_ns); d == BACKOFF_STOP (attempts or max_elapsed spent) -> FAILED;
 *   else                                -> SCHEDULED at database now + d.
 *
 * @param[out] out_state      receives the new backoff_jobs_state (SCHEDULED or FAILED); may be NULL.
 * @param[out] out_run_at_ns  receives the next run time, or 0 when FAILED; may be NULL.
 * @param store               must not be NULL.
 * @param job_id, lease_token the job and its claim's token.
 * @param error               the attempt's error text, kept as given except that it is cut to
 *                            BACKOFF_JOBS_LIMIT_MAX_ERROR bytes at a character boundary and an invalid
 *                            UTF-8 byte becomes U+FFFD (a failure is always recorded); NULL is "".
 * @param permanent           non-zero: retrying cannot help (a bad payload); fail the job now.
 * @param hint_ns             0, or a "retry after" from the handler (a server's Retry-After): the delay is
 *                            at least the hint and still at most the policy's cap.
 * @return BACKOFF_OK; BACKOFF_ENULL if store is NULL; BACKOFF_EINVAL for hint_ns < 0;
 *         BACKOFF_JOBS_ENOTFOUND; BACKOFF_JOBS_ESTALE (nothing recorded); BACKOFF_JOBS_ESTORE.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_fail(int *out_state, int64_t *out_run_at_ns, backoff_jobs_store *store,
                                       int64_t job_id, int64_t lease_token, const char *error, int permanent,
                                       int64_t hint_ns);

/**
 * Hands a claimed job back unrun, for a worker shutting down: RUNNING -> SCHEDULED at database now, the
 * attempt uncounted (attempt - 1), no error recorded.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL if store is NULL; BACKOFF_JOBS_ENOTFOUND; BACKOFF_JOBS_ESTALE;
 *         BACKOFF_JOBS_ESTORE.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_release(backoff_jobs_store *store, int64_t job_id, int64_t lease_token);

/* ===== Waiting for work ===== */

/**
 * Waits until `queue` may have a job to claim: a job enqueued to it (PostgreSQL: a NOTIFY from the
 * enqueueing commit; SQLite: a commit by any process to the file), its earliest scheduled job coming due,
 * an expired lease, backoff_jobs_interrupt(), or `timeout_ns`, whichever comes first. Returns at once if
 * a job is due now. Without a wake-up it looks again every second (the fallback that also sees retries
 * other workers schedule). Spurious wake-ups are possible: claim, and wait again if the claim is empty.
 *
 * @param[out] out_woken  receives 1 if work may be there, 0 on timeout or interrupt; may be NULL.
 * @param store           must not be NULL.
 * @param queue           must not be NULL.
 * @param timeout_ns      >= 0; 0 only checks.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EINVAL for a negative timeout or an invalid queue name;
 *         BACKOFF_ECANCELED if backoff_jobs_interrupt() ended the wait (the interrupt is consumed);
 *         BACKOFF_JOBS_ESTORE.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_wait(int *out_woken, backoff_jobs_store *store, const char *queue,
                                       int64_t timeout_ns);

/**
 * Asks the store's current or next backoff_jobs_wait() or backoff_jobs_work() to return soon with
 * BACKOFF_ECANCELED. Async-signal-safe: call it from a SIGTERM handler for a graceful shutdown.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL if store is NULL.
 * Thread safety: any thread, and signal handlers. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_interrupt(backoff_jobs_store *store);

/* ===== A worker loop for C ===== */

/**
 * Runs one job for backoff_jobs_work(), on the thread that called it.
 *
 * @param[out] out_hint_ns  0 on entry; set a "retry after" in ns with a retryable failure.
 * @param[out] error        a buffer of error_size bytes, "" on entry: write the failure's text, NUL-terminated.
 * @param error_size        the buffer's size (BACKOFF_JOBS_LIMIT_MAX_ERROR + 1).
 * @param jobs              the claimed row set; read this job's fields at `index`.
 * @param index             the job's row.
 * @param user_data         as given to backoff_jobs_work().
 * @return a backoff_attempt of backoff.h: BACKOFF_ATTEMPT_SUCCESS completes the job; _PERMANENT fails it;
 *         _RETRYABLE, _TIMEOUT and _THROTTLED fail the attempt retryably. Anything else counts as
 *         retryable and records its value in the error.
 *
 * The handler may call backoff_jobs_heartbeat() on the same store for a long job, and
 * backoff_jobs_interrupt() to stop the loop after this job. Any other call on the store from the
 * handler returns BACKOFF_EREENTRANT.
 */
typedef int (*backoff_jobs_handler_fn)(int64_t *out_hint_ns, char *error, uint64_t error_size,
                                       const backoff_jobs_rows *jobs, uint64_t index, void *user_data);

/**
 * The worker loop: claims up to `batch` jobs of `queue` with `lease_ns` leases (as worker "host:pid"),
 * runs `handler` for each in turn, completes the successes together in one statement after the batch,
 * fails the failures as backoff_jobs_fail() does, and waits (backoff_jobs_wait()) when the queue has
 * nothing due. With breakers (backoff_jobs_set_breaker()), a job whose type's breaker is open is snoozed
 * instead of run. A job whose lease was lost meanwhile (BACKOFF_JOBS_ESTALE) is skipped, not an error: its
 * new holder owns it.
 *
 * Returns when `max_jobs` jobs have been handled (0: no limit), when the queue has been idle for
 * `idle_exit_ns` (0: never), or after backoff_jobs_interrupt() (then BACKOFF_ECANCELED, once the jobs in
 * hand are finished or released).
 *
 * @param[out] out_handled  receives how many jobs the handler ran; may be NULL.
 * @param store             must not be NULL.
 * @param queue             must not be NULL.
 * @param batch, lease_ns   as max_jobs and lease_ns of backoff_jobs_claim().
 * @param max_jobs          stop after this many; 0 = no limit.
 * @param idle_exit_ns      stop after this long without a job; 0 = never; >= 0.
 * @param handler           must not be NULL.
 * @param user_data         passed to handler unchanged.
 * @return BACKOFF_OK (a limit reached); BACKOFF_ECANCELED (interrupted); BACKOFF_ENULL; BACKOFF_EINVAL
 *         for arguments out of range; BACKOFF_JOBS_ESCHEMA; BACKOFF_JOBS_ESTORE when the database stays
 *         unreachable (PostgreSQL: after reconnecting failed for 30 s; the jobs in hand then come back
 *         when their leases expire); BACKOFF_EREENTRANT if called from a handler.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_work(uint64_t *out_handled, backoff_jobs_store *store, const char *queue,
                                       uint32_t batch, int64_t lease_ns, uint64_t max_jobs, int64_t idle_exit_ns,
                                       backoff_jobs_handler_fn handler, void *user_data);

/**
 * Gives the store's worker loop a circuit breaker per job type, so that a type whose handler keeps
 * failing (its downstream is down) stops burning its jobs' attempts while the queue's other types keep
 * running.
 *
 * With a breaker configuration, backoff_jobs_work() asks the breaker of each job's type (FIELD_TYPE)
 * before running its handler:
 *   admitted  the handler runs, and its result is recorded on the breaker: BACKOFF_ATTEMPT_SUCCESS as a
 *             success; BACKOFF_ATTEMPT_PERMANENT as neither (a job that cannot succeed, such as a bad
 *             payload, says nothing about what its type calls); every other result as a failure, with
 *             the handler's hint (a Retry-After keeps a tripped breaker open at least that long) and its
 *             duration (for a slow-call rule).
 *   refused   (open) the handler does not run: the job is snoozed, handed back SCHEDULED to run at
 *             database now + the breaker's remaining open period (at least 1 ms, at most
 *             BACKOFF_JOBS_LIMIT_MAX_LEASE_NS), its attempt not spent (attempt - 1, as
 *             backoff_jobs_release() does), no error recorded, its last error left as it was. It does
 *             not count as handled (max_jobs), and a batch whose every job was snoozed leaves the worker
 *             idle (idle_exit_ns). When the period is over, the next claim admits a probe job (half-open);
 *             its success closes the breaker, its failure opens it again.
 * What an operator sees of a snoozed job: backoff_jobs_get() and backoff_jobs_list() show it SCHEDULED,
 * RUN_AT_NS at the end of the open period, ATTEMPT and ERROR unchanged, WORKER the last claimer's name;
 * backoff_jobs_snoozed() counts the snoozes of this store.
 *
 * The breakers belong to this store (one per worker thread): each worker trips on the failures it sees.
 * They live in memory (a restarted worker starts closed) in a bounded pool: at most 1024 types keep a
 * breaker, and the type used least recently makes room, starting afresh, closed, if it comes back. The
 * breakers keep their state across backoff_jobs_work() calls; setting a configuration again replaces
 * them all, closed.
 * A worker that runs its own loop uses the same breakers, by the same rules, through
 * backoff_jobs_breaker_admit() and backoff_jobs_breaker_record().
 *
 * @param store   must not be NULL.
 * @param config  a breaker configuration of backoff.h, copied (free or change it at once); NULL removes
 *                the breakers. Its parameters were checked by its setters; the checks that involve two
 *                parameters run here, as backoff_breaker_new() runs them.
 * @return BACKOFF_OK; BACKOFF_ENULL if store is NULL; BACKOFF_EINVAL for parameters that contradict each
 *         other (the message names them; the store keeps the breakers it had); BACKOFF_ENOMEM;
 *         BACKOFF_EREENTRANT if called from a backoff_jobs_work() handler on its own store.
 * Thread safety: one thread per store; the config must not be modified meanwhile. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_set_breaker(backoff_jobs_store *store, const backoff_breaker_config *config);

/**
 * Asks the breaker of a claimed job's type whether the job may run now: the first of the two decisions
 * backoff_jobs_work() makes for each job, for a worker that runs its own loop (an asyncio worker, say)
 * and wants the same breakers (backoff_jobs_set_breaker()).
 *
 *   admitted  *out_snooze_ns is 0: run the job, then hand its result to backoff_jobs_breaker_record()
 *             with *out_permit (0 when the store has no breakers: there is nothing to record).
 *   refused   (the breaker is open) *out_snooze_ns > 0: do not run the job. It has been snoozed already,
 *             as backoff_jobs_work() snoozes it: SCHEDULED at database now + *out_snooze_ns (the breaker's
 *             remaining open period, at least 1 ms, at most BACKOFF_JOBS_LIMIT_MAX_LEASE_NS), its
 *             attempt not spent, no error recorded; its lease is gone. backoff_jobs_snoozed() counts it.
 *
 * @param[out] out_permit     receives the breaker's permit, or 0. Must not be NULL.
 * @param[out] out_snooze_ns  receives 0 (admitted) or how long the job was snoozed. Must not be NULL.
 * @param store               the store whose breakers decide (and that snoozes); must not be NULL.
 * @param type                the job's type (FIELD_TYPE of its claim); must not be NULL.
 * @param job_id, lease_token the job and the token its claim returned.
 * @return BACKOFF_OK (admitted or snoozed: see *out_snooze_ns); BACKOFF_ENULL; BACKOFF_EINVAL for an
 *         invalid type name; BACKOFF_JOBS_ENOTFOUND; BACKOFF_JOBS_ESTALE if refused and the token is no
 *         longer the job's (do not run it: its new holder owns it; nothing changed);
 *         BACKOFF_JOBS_ESCHEMA; BACKOFF_JOBS_ESTORE; BACKOFF_EREENTRANT if called from a
 *         backoff_jobs_work() handler on its own store. After any error, do not run the job: one still
 *         leased comes back when its lease expires.
 * Thread safety: one thread per store. Cost: no database call when admitted; one UPDATE when refused.
 * Since: 0.2.
 *
 * Notes:
 * 1. The store's database is touched only to snooze: a store without breakers admits every job and
 *    never checks job_id or lease_token.
 */
BACKOFF_JOBS_API int backoff_jobs_breaker_admit(uint64_t *out_permit, int64_t *out_snooze_ns, backoff_jobs_store *store,
                                                const char *type, int64_t job_id, int64_t lease_token);

/**
 * Records the result of a job that backoff_jobs_breaker_admit() admitted on the breaker of its type: the
 * second of the two decisions backoff_jobs_work() makes for each job, by the same rules.
 * BACKOFF_ATTEMPT_SUCCESS counts as a success (a half-open breaker closes); BACKOFF_ATTEMPT_PERMANENT as
 * neither (a job that cannot succeed, such as a bad payload, says nothing about what its type calls);
 * every other value as a failure, with `hint_ns` (a Retry-After keeps a tripped breaker open at least
 * that long) and `duration_ns` (for a slow-call rule). It records on the breaker only; complete or fail
 * the job as usual.
 *
 * @param store        the store that admitted the job; must not be NULL.
 * @param type         the job's type, as given to backoff_jobs_breaker_admit(); must not be NULL.
 * @param permit       the permit it returned. 0 (no breakers) records nothing. A permit of breakers
 *                     replaced since (backoff_jobs_set_breaker()), or of a type the pool has dropped, is
 *                     stale and changes nothing.
 * @param attempt      the handler's backoff_attempt, as a backoff_jobs_handler_fn returns it.
 * @param hint_ns      0, or the failure's "retry after"; >= 0.
 * @param duration_ns  how long the handler ran; 0 if not measured (never slow); >= 0.
 * @return BACKOFF_OK (stale permits included); BACKOFF_ENULL; BACKOFF_EINVAL for an invalid type name or
 *         a negative hint_ns or duration_ns; BACKOFF_EREENTRANT if called from a backoff_jobs_work()
 *         handler on its own store.
 * Thread safety: one thread per store. Cost: no database call. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_breaker_record(backoff_jobs_store *store, const char *type, uint64_t permit,
                                                 int attempt, int64_t hint_ns, int64_t duration_ns);

/**
 * Reads how many jobs this store has snoozed because their type's breaker was open
 * (backoff_jobs_set_breaker()), in backoff_jobs_work() or backoff_jobs_breaker_admit(), since the store
 * was opened.
 *
 * @param[out] out  must not be NULL.
 * @param store     must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if an argument is NULL.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_snoozed(uint64_t *out, const backoff_jobs_store *store);

/* ===== Administration: requeue, cancel, list, errors, stats, purge ===== */

/**
 * Gives a FAILED or CANCELLED job another run: SCHEDULED at database now, attempt 0, its errors deleted.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL if store is NULL; BACKOFF_JOBS_ENOTFOUND; BACKOFF_JOBS_ESTATE for a
 *         job that is scheduled, running or completed; BACKOFF_JOBS_ESTORE.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_requeue(backoff_jobs_store *store, int64_t job_id);

/**
 * Requeues every FAILED job of a queue, as backoff_jobs_requeue() does, in one transaction.
 *
 * @param[out] out_count  receives how many were requeued; may be NULL.
 * @param store           must not be NULL.
 * @param queue           must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EINVAL for an invalid name; BACKOFF_EUNKNOWN for a queue the
 *         store has never seen ("queue: unknown queue 'x'"); BACKOFF_JOBS_ESTORE.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_requeue_failed(uint64_t *out_count, backoff_jobs_store *store, const char *queue);

/**
 * Cancels a SCHEDULED or RUNNING job. A running job's worker finds its lease stale when it reports.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_JOBS_ENOTFOUND; BACKOFF_JOBS_ESTATE for a job already
 *         completed, failed or cancelled; BACKOFF_JOBS_ESTORE.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_cancel(backoff_jobs_store *store, int64_t job_id);

/**
 * Lists jobs, newest id first, by page: the jobs with id < before_id (0: from the newest).
 *
 * @param[out] out  receives the rows (see backoff_jobs_field); free with backoff_jobs_rows_free().
 * @param store     must not be NULL.
 * @param queue     only this queue; NULL for all.
 * @param state     only this backoff_jobs_state; -1 for all.
 * @param before_id 0, or the smallest id of the previous page.
 * @param limit     1..BACKOFF_JOBS_LIMIT_MAX_CLAIM.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or store is NULL; BACKOFF_EUNKNOWN for an unknown state or
 *         a queue the store has never seen; BACKOFF_EINVAL for a negative before_id or a limit out of
 *         range; BACKOFF_JOBS_ESCHEMA; BACKOFF_JOBS_ESTORE; BACKOFF_ENOMEM.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_list(backoff_jobs_rows **out, backoff_jobs_store *store, const char *queue,
                                       int state, int64_t before_id, uint32_t limit);

/**
 * Returns one job, as a one-row list.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_JOBS_ENOTFOUND; BACKOFF_JOBS_ESTORE; BACKOFF_ENOMEM.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_get(backoff_jobs_rows **out, backoff_jobs_store *store, int64_t job_id);

/**
 * Returns a job's kept errors, one row per failed attempt, oldest first (fields ID, ATTEMPT, ERROR_AT_NS,
 * ERROR). Requeue and purge delete them.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_JOBS_ENOTFOUND for an unknown job; BACKOFF_JOBS_ESTORE;
 *         BACKOFF_ENOMEM.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_errors(backoff_jobs_rows **out, backoff_jobs_store *store, int64_t job_id);

/**
 * Counts jobs per queue and state: one row (QUEUE, STATE, COUNT) per pair that has jobs, by queue name
 * then state.
 *
 * @param queue  only this queue; NULL for all.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or store is NULL; BACKOFF_EUNKNOWN for a queue the store has
 *         never seen; BACKOFF_JOBS_ESCHEMA; BACKOFF_JOBS_ESTORE; BACKOFF_ENOMEM.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_stats(backoff_jobs_rows **out, backoff_jobs_store *store, const char *queue);

/**
 * Deletes finished jobs (and their errors) that finished more than `older_than_ns` ago.
 *
 * @param[out] out_count  receives how many jobs were deleted; may be NULL.
 * @param store           must not be NULL.
 * @param queue           only this queue; NULL for all.
 * @param state           BACKOFF_JOBS_COMPLETED, _FAILED or _CANCELLED.
 * @param older_than_ns   >= 0; 0 deletes every finished job of that state.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EINVAL for a state that is not finished or a negative age;
 *         BACKOFF_EUNKNOWN for an unknown state or queue; BACKOFF_JOBS_ESTORE.
 * Thread safety: one thread per store. Since: 0.2.
 */
BACKOFF_JOBS_API int backoff_jobs_purge(uint64_t *out_count, backoff_jobs_store *store, const char *queue, int state,
                                        int64_t older_than_ns);

#ifdef __cplusplus
}
#endif

#endif /* BACKOFF_JOBS_H */
