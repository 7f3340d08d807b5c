/*
 * backoff.h - the C API of libbackoff. SPDX-License-Identifier: MIT
 *
 * ===== Introduction =====
 *
 * libbackoff computes how long to wait before retrying a failed operation, and when to stop. One C++
 * engine makes every decision; this header is its stable C ABI, shared by C programs and by every runtime
 * that loads libbackoff.so through an FFI (Python ctypes, Go cgo, Rust, Node, LuaJIT).
 *
 * Units. Every duration is an int64_t count of nanoseconds and its name ends in `_ns`. All arithmetic
 * saturates: no configuration and no attempt number (up to 2^64 - 1) ever yields a negative delay, a delay
 * above the policy's cap, or undefined behaviour.
 *
 * Stop. BACKOFF_STOP (-1) in place of a delay means "do not retry any more".
 *
 * Attempt numbers. Every `attempt` argument and count counts delays from 0: attempt 0 is the wait after
 * the first failure, before the second call; attempt n is the wait after failure n + 1. Counted as
 * retries from 1, as `backoff schedule` counts them, attempt n is the wait before retry n + 1. Calls count
 * from 1, the first call included: MAX_ATTEMPTS (so it allows attempts 0 to MAX_ATTEMPTS - 2) and the
 * progress messages of the backoff command and the httpx transport ("attempt 1/5 failed").
 *
 * Objects.
 *   backoff_config  a mutable set of parameters; every setter validates its value at once.
 *   backoff_policy  an immutable, validated schedule built from a config. Share it freely between threads.
 *                   Its stateless form, backoff_policy_delay(), is a pure function of (seed, key, attempt).
 *   backoff_state   the stateful form (attempt count, start time, random stream): next() / reset(), as
 *                   cenkalti/backoff's NextBackOff() / Reset(). It belongs to one thread at a time.
 *   backoff_breaker  a circuit breaker (closed / open / half-open) shared by every caller of one
 *                   dependency: acquire() hands out a permit, record_*() reports its outcome. Thread-safe.
 *   backoff_budget  a retry budget (token bucket) shared by many callers, so that retries cannot amplify
 *                   an outage; backoff_budget_pool keeps one per key in bounded memory. Thread-safe.
 *   backoff_retrier  the decisions of one retried call (policy limits, server hints, the breaker's permit,
 *                   the budget's tokens), pull-style, or a complete loop: backoff_retrier_run(). One thread.
 *   Every *_config is the same pattern as backoff_config: typed setters keyed by a stable enum, or by name.
 *   Every enum value's name and every parameter's type, unit, default and domain can be asked of the
 *   library (backoff_name_of(), backoff_value_of(), backoff_param_info()), so a binding keeps no tables.
 *
 * Errors. Every function that can fail returns an int status: BACKOFF_OK (0) or a negative
 * backoff_status. On failure, backoff_last_error() returns a message for the calling thread that names the
 * parameter and the value ("multiplier: must be at least 1 (got 0.5)"). Out-parameters come first in
 * every function (libgit2's rule), are named `out` or `out_<what>`, and are written only on success. A
 * NULL handle or out-pointer is reported as BACKOFF_ENULL, never a crash. No C++ exception ever leaves
 * the library.
 *
 * Explicit time. Every function that reads a handle's clock has a twin ending in `_at` that takes the time
 * as `now_ns`, right after the handle, and never calls the clock: tests and FFIs drive time without a
 * callback. Any int64_t is a valid time (an injected clock may start below 0), so no value is reserved
 * to mean "now": the two forms are two functions rather than one with a sentinel.
 *
 * Experimental tier. Declarations inside `#ifdef BACKOFF_EXPERIMENTAL` are visible only to a program
 * that defines BACKOFF_EXPERIMENTAL before including this header. They are exported under the separate
 * symbol version LIBBACKOFF_EXPERIMENTAL_0, stay outside the ABI baseline, and may change or go in any
 * release until they move to the stable tier. Today they are the newest surfaces, whose shape their first
 * users have yet to settle:
 *   backoff_budget_pool_*            budgets per key: the eviction rule and the key type (NUL-terminated
 *                                    text, hashed) are still open;
 *   backoff_retrier_set_breaker,     the retrier joined with a breaker and a budget: how a joined call
 *   backoff_retrier_set_budget       shares permits and tickets is still being reworked in the core;
 *   backoff_breaker_poll_event       the pull-style event queue: its depth (64) and its drop policy;
 *   backoff_limiter_*,               the adaptive limiter (AWS adaptive retry mode): whether its
 *   backoff_retrier_set_limiter      constants become parameters, and a status of its own for a
 *                                    fail-fast refusal (BACKOFF_EBUDGET today);
 *   backoff_*_snapshot, *_name,      counters for exporters (see "Observability"): snapshot structs that
 *   backoff_retry_stats_*            grow by a leading size field, the first public structs of the ABI.
 * Everything else is stable: its signature and its constants never change within a major version.
 *
 * Determinism. With a seed, the same configuration gives bit-identical delays on every machine and in
 * every language; tests/vectors/ in the source tree pins them. Without one, every process draws its own
 * randomness, a child of fork() included.
 *
 * Typical use:
 *
 *     backoff_config *config;  backoff_policy *policy;  backoff_state *state;
 *     backoff_config_new(&config);
 *     backoff_config_set_i64(config, BACKOFF_PARAM_INITIAL_NS, 100 * BACKOFF_MILLISECOND);
 *     backoff_config_set_i64(config, BACKOFF_PARAM_MAX_ATTEMPTS, 5);
 *     if (backoff_policy_new(&policy, config) != BACKOFF_OK) { puts(backoff_last_error()); ... }
 *     backoff_config_free(config);
 *     backoff_state_new(&state, policy);
 *     while (operation() != 0) {
 *         int64_t delay_ns;
 *         backoff_state_next(&delay_ns, state, 0);
 *         if (delay_ns == BACKOFF_STOP) break;
 *         sleep_ns(delay_ns);
 *     }
 *     backoff_state_free(state);  backoff_policy_free(policy);
 */
#ifndef BACKOFF_H
#define BACKOFF_H

#include <stdint.h>

/* ===== Export and linkage ===== */

#if defined(_WIN32) && defined(BACKOFF_BUILDING_DLL)
#  define BACKOFF_API __declspec(dllexport)
#elif defined(_WIN32) && !defined(BACKOFF_STATIC)
#  define BACKOFF_API __declspec(dllimport)
#elif defined(__GNUC__) || defined(__clang__)
#  define BACKOFF_API __attribute__((visibility("default")))
#else
#  define BACKOFF_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ===== Version ===== */

#define BACKOFF_VERSION_MAJOR 0
#define BACKOFF_VERSION_MINOR 1
#define BACKOFF_VERSION_PATCH 0
/** MAJOR * 10000 + MINOR * 100 + PATCH. */
#define BACKOFF_VERSION_NUMBER \
  (BACKOFF_VERSION_MAJOR * 10000 + BACKOFF_VERSION_MINOR * 100 + BACKOFF_VERSION_PATCH)
#define BACKOFF_VERSION_STRING "0.1.0"

/**
 * Returns the version of the library actually loaded, as BACKOFF_VERSION_NUMBER computes it.
 *
 * Compare it with BACKOFF_VERSION_NUMBER to detect a header / library mismatch at run time.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API unsigned backoff_version_number(void);

/**
 * Returns the version of the library actually loaded, as "MAJOR.MINOR.PATCH". Static storage; never NULL.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API const char *backoff_version_string(void);

/* ===== Errors ===== */

/** Status codes. Values are fixed forever; new codes are only ever appended. */
typedef enum backoff_status {
  BACKOFF_OK = 0,           /**< Success. */
  BACKOFF_EINVAL = -1,      /**< A value outside its domain: NaN, inf, negative, multiplier < 1, ... */
  BACKOFF_ENULL = -2,       /**< A NULL handle, out-pointer or string. */
  BACKOFF_EUNKNOWN = -3,    /**< An unknown parameter (id or name) or enum value. */
  BACKOFF_ETYPE = -4,       /**< A parameter set through the setter of another type. */
  BACKOFF_ENOMEM = -5,      /**< Out of memory. */
  BACKOFF_EINTERNAL = -6,   /**< A bug in libbackoff; please report it with backoff_last_error(). */
  BACKOFF_EREENTRANT = -7,  /**< A callback called back into the handle that was calling it. */
  BACKOFF_ECANCELED = -8,   /**< A cancellation request ended the call. */
  BACKOFF_EOPEN = -9,       /**< Circuit open: a breaker refused the call (open, isolated, or no probe slot). */
  BACKOFF_EBUDGET = -10,    /**< Retry budget exhausted: the budget refused a retry; not the operation's error. */
  BACKOFF_EGAVEUP = -11,    /**< Retries exhausted: MAX_ATTEMPTS or MAX_ELAPSED reached, the last attempt failed. */
  BACKOFF_EPERMANENT = -12, /**< The operation failed with an error it classified as not worth retrying. */
  BACKOFF_EDEADLINE = -13   /**< The call's deadline came, or would before its next attempt. Since 0.2. */
} backoff_status;

/**
 * Returns a static, human-readable description of a status code: "invalid value" for BACKOFF_EINVAL.
 *
 * @param status  any int; unknown codes give "unknown status".
 * @return Never NULL. Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API const char *backoff_strerror(int status);

/**
 * Returns the message of the last failed call on the calling thread.
 *
 * The message names the parameter and the value: "cap: must be at least initial (got 5 ns < initial
 * 10 ns)". A value longer than 80 bytes is quoted by its first 64 bytes (whole UTF-8 characters), "..."
 * and its length ("initial: needs a unit (ns, us, ms, s, m, h) (got '999...' (1048577 bytes))"), so a
 * message stays short whatever the input. Use it to report an error, not to detect one: only the status
 * says whether a call failed, and successful calls leave the message as it was.
 *
 * @return Never NULL ("" before any error). Owned by the library; valid until the next failing call on
 *         this thread. Thread safety: thread-local. Since: 0.1.
 */
BACKOFF_API const char *backoff_last_error(void);

/* ===== Time ===== */

/* INT64_C rather than a cast, so C++ users compiling with -Wold-style-cast can use the constants. */
/** In place of a delay: do not retry any more. */
#define BACKOFF_STOP (-INT64_C(1))
#define BACKOFF_NANOSECOND INT64_C(1)
#define BACKOFF_MICROSECOND INT64_C(1000)
#define BACKOFF_MILLISECOND INT64_C(1000000)
#define BACKOFF_SECOND INT64_C(1000000000)

/** Returns BACKOFF_STOP, for FFI callers that cannot see macros. Thread safety: any thread. Since: 0.1. */
BACKOFF_API int64_t backoff_stop(void);

/**
 * A clock: returns the current time in nanoseconds on a monotonic scale (any origin).
 *
 * Inject one to drive time by hand in tests. It is called on the thread that calls into the handle, never
 * under an internal lock. It must not call back into the handle that calls it.
 */
typedef int64_t (*backoff_clock_fn)(void *user_data);

/**
 * Returns the monotonic clock the library uses by default, in nanoseconds (CLOCK_MONOTONIC's scale).
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int64_t backoff_monotonic_now_ns(void);

/**
 * Parses a duration written for people, as backoff_config_set_text() reads DURATION parameters: a number
 * and a unit, "250ms", "1.5s", "2m", "1h", "100us", "10ns"; "0" alone is fine.
 *
 * Use it for durations of your own that should read like the policy's (the command-line tool's
 * --timeout), so that every duration a user types follows one syntax.
 *
 * @param[out] out_ns  receives the duration in nanoseconds. Must not be NULL.
 * @param text         the duration as text. Must not be NULL.
 * @param name         what the duration is, for the error message ("timeout: needs a unit ..."). Must
 *                     not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if an argument is NULL; BACKOFF_EINVAL for text that does not parse,
 *         a bare number other than 0 ("5" could mean seconds or nanoseconds), a negative duration, or one
 *         longer than INT64_MAX nanoseconds.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_duration_parse(int64_t *out_ns, const char *text, const char *name);

/* ===== Parameters ===== */

/**
 * Policy parameters. The name in quotes is the parameter's name for backoff_param_from_name() and
 * backoff_config_set_text(), and also its name in Python and on the command line.
 *
 * | parameter                          | type     | default     | domain                                   |
 * |------------------------------------|----------|-------------|------------------------------------------|
 * | BACKOFF_PARAM_KIND "kind"          | choice   | exponential | a kind                                   |
 * | BACKOFF_PARAM_INITIAL_NS "initial" | duration | 100ms       | >= 0; > 0 for exponential, decorrelated  |
 * | BACKOFF_PARAM_MULTIPLIER           | real     | 2           | finite, >= 1                             |
 * | BACKOFF_PARAM_INCREMENT_NS         | duration | 0           | >= 0 (linear)                            |
 * | BACKOFF_PARAM_CAP_NS "cap"         | duration | 60s         | >= initial; unset: max(60 s, initial)    |
 * | BACKOFF_PARAM_JITTER               | choice   | full        | a jitter mode                            |
 * | BACKOFF_PARAM_RANDOMIZATION_FACTOR | real     | 0.5         | [0, 1]                                   |
 * | BACKOFF_PARAM_MAX_ATTEMPTS         | count    | 0           | >= 0; 0 = unlimited                      |
 * | BACKOFF_PARAM_MAX_ELAPSED_NS       | duration | 0           | >= 0; 0 = unlimited                      |
 * | BACKOFF_PARAM_SEED                 | seed     | unseeded    | any uint64                               |
 * | BACKOFF_PARAM_DEADLINE_NS          | duration | 0           | >= 0; 0 = none                           |
 * | BACKOFF_PARAM_STOP_WHEN            | choice   | any         | a stop rule                              |
 *
 * A kind is a backoff_kind, a jitter mode a backoff_jitter, a stop rule a backoff_stop_when. Defaults are written as
 * backoff_config_set_text() reads them. The library holds this table too: backoff_param_info() returns
 * each column (and the unit), and a test holds this copy to it.
 * The other names are "multiplier", "increment", "jitter", "randomization_factor", "max_attempts",
 * "max_elapsed", "seed", "deadline" and "stop_when". MAX_ATTEMPTS counts every attempt, the first call included, as
 * tenacity's stop_after_attempt and cenkalti's WithMaxTries do: 3 means one call and at most two retries.
 * DEADLINE bounds a retrier's whole call, from its start (before the first attempt), where MAX_ELAPSED
 * counts from the first failure; see "Time" under the retry loop. It is a retrier's limit only: a
 * backoff_state and backoff_policy_delay() ignore it. Since 0.2.
 * STOP_WHEN says whether MAX_ATTEMPTS and MAX_ELAPSED each end retrying (any, the default) or only
 * together (all); see backoff_stop_when. It does not apply to DEADLINE, which always ends the call.
 * Since 0.2.
 * Defaults of a retry loop. A policy's limits default to none (0), for a policy also serves loops that end
 * by other means (a job queue's max_attempts, a breaker, a backoff_state its caller drives), and
 * backoff_retry() runs the policy it is given as it is. A retry loop whose caller gave no stop at all (none
 * of MAX_ATTEMPTS, MAX_ELAPSED and DEADLINE), such as the `backoff` command and Python's bare `@retry`,
 * gives each stop parameter the value backoff_param_info(BACKOFF_ENUM_PARAM, param,
 * BACKOFF_FIELD_RETRY_DEFAULT) returns: MAX_ATTEMPTS 5 (the first call and 4 retries, at most 1.5 s of
 * waits with the default schedule), no time limit. A caller that sets any stop, 0 included, gets exactly
 * what it set. Since 0.2.
 */
typedef enum backoff_param {
  BACKOFF_PARAM_KIND = 0,
  BACKOFF_PARAM_INITIAL_NS = 1,
  BACKOFF_PARAM_MULTIPLIER = 2,
  BACKOFF_PARAM_INCREMENT_NS = 3,
  BACKOFF_PARAM_CAP_NS = 4,
  BACKOFF_PARAM_JITTER = 5,
  BACKOFF_PARAM_RANDOMIZATION_FACTOR = 6,
  BACKOFF_PARAM_MAX_ATTEMPTS = 7,
  BACKOFF_PARAM_MAX_ELAPSED_NS = 8,
  BACKOFF_PARAM_SEED = 9,
  BACKOFF_PARAM_DEADLINE_NS = 10,
  BACKOFF_PARAM_STOP_WHEN = 11
} backoff_param;

/** How a parameter's value is passed, and so which setter takes it. */
typedef enum backoff_value_type {
  BACKOFF_TYPE_DURATION = 0, /**< int64_t nanoseconds >= 0: backoff_config_set_i64(). */
  BACKOFF_TYPE_COUNT = 1,    /**< int64_t >= 0: backoff_config_set_i64(). */
  BACKOFF_TYPE_CHOICE = 2,   /**< an enum value as int64_t: backoff_config_set_i64(). */
  BACKOFF_TYPE_REAL = 3,     /**< double: backoff_config_set_f64(). */
  BACKOFF_TYPE_SEED = 4      /**< uint64_t: backoff_config_set_u64(). */
} backoff_value_type;

/**
 * How the delay grows with the attempt number n (0 = the wait after the first failure), before jitter and
 * the cap. With the defaults (initial 100 ms, multiplier 2, cap 60 s, no jitter) EXPONENTIAL gives
 *
 *     n:      0      1      2      3      4      5      6      7      8      9      10 ...
 *     delay:  0.1 s  0.2 s  0.4 s  0.8 s  1.6 s  3.2 s  6.4 s  12.8 s 25.6 s 51.2 s 60 s (cap) ...
 */
typedef enum backoff_kind {
  BACKOFF_KIND_CONSTANT = 0,    /**< initial, every time. initial = 0 gives "zero backoff". */
  BACKOFF_KIND_LINEAR = 1,      /**< initial + n * increment. */
  BACKOFF_KIND_EXPONENTIAL = 2, /**< initial * multiplier^n. */
  /**
   * AWS's "decorrelated jitter", as AWS publishes it: delay = min(cap, U(initial, previous * multiplier)),
   * the previous delay starting at initial; set multiplier to 3 for AWS's formula. The draw's upper bound
   * is not capped, the result is: a chain that has grown near the cap lands on it whenever the draw passes
   * it (at initial 5 ms, multiplier 3, cap 2 s, about one wait in seven from the 13th on). Its randomness is
   * built in: BACKOFF_PARAM_JITTER does not apply. The stateful form follows the chain; the stateless form,
   * since the chain cannot be evaluated in O(1), takes the same step from the largest delay the chain can
   * have reached, its envelope: min(cap, U(initial, min(cap, initial * multiplier^n) * multiplier)).
   */
  BACKOFF_KIND_DECORRELATED = 3
} backoff_kind;

/**
 * Jitter applied to the delay d of each attempt, d already capped. No jittered delay passes the cap.
 *
 * RANDOMIZATION draws U(d(1-f), min(cap, d(1+f))), f = RANDOMIZATION_FACTOR: the upper end is capped
 * before the draw, so the draw stays uniform below the cap and never piles up on it. That is where it
 * differs from cenkalti/backoff, whose randomized interval is not capped and so can exceed its
 * MaxInterval by the factor (up to MaxInterval * (1 + f)).
 */
typedef enum backoff_jitter {
  BACKOFF_JITTER_NONE = 0,         /**< d. */
  BACKOFF_JITTER_FULL = 1,         /**< U(0, d): AWS's recommendation, the least contention. */
  BACKOFF_JITTER_EQUAL = 2,        /**< d - d/2 + U(0, d/2), the halves in whole nanoseconds. */
  BACKOFF_JITTER_RANDOMIZATION = 3 /**< U(d(1-f), min(cap, d(1+f))), f = RANDOMIZATION_FACTOR. */
} backoff_jitter;

/**
 * Which limits end retrying, the value of BACKOFF_PARAM_STOP_WHEN. A limit that is not set (0) takes no
 * part: ALL with only MAX_ATTEMPTS set stops at MAX_ATTEMPTS. A retrier's deadline is not a limit of these:
 * it is a hard bound and always ends the call, whatever STOP_WHEN says. backoff_policy_delay(), which
 * knows no elapsed time, stops at MAX_ATTEMPTS under ALL only when MAX_ELAPSED is not set. Since 0.2.
 */
typedef enum backoff_stop_when {
  BACKOFF_STOP_WHEN_ANY = 0, /**< MAX_ATTEMPTS or MAX_ELAPSED, whichever is reached first: tenacity's `|`. */
  BACKOFF_STOP_WHEN_ALL = 1  /**< Only once every limit set is reached: tenacity's `&`. */
} backoff_stop_when;

/**
 * Looks up a parameter by name, for FFI callers that configure by string.
 *
 * @param[out] out  receives the backoff_param value. Must not be NULL.
 * @param name      a NUL-terminated name from the table above, such as "multiplier". Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or name is NULL; BACKOFF_EUNKNOWN for an unknown name.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_param_from_name(int *out, const char *name);

/**
 * Returns a parameter's name ("multiplier"), or NULL for an unknown parameter. Static storage.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API const char *backoff_param_name(int param);

/**
 * Returns a parameter's backoff_value_type.
 * @return a backoff_value_type (>= 0); BACKOFF_EUNKNOWN for an unknown parameter.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_param_type(int param);

/* ===== Vocabulary: every name and parameter, asked at run time ===== */

/**
 * The enum families whose names the library knows. Every name a user types (a set_text choice, a Python
 * enum member, a command-line option) and every name a tool prints is one of these: ask
 * backoff_name_of() and backoff_value_of() instead of keeping a table, and a value added to the library
 * is known to the caller at once.
 *
 * | family                          | its values              | names, for example                  |
 * |---------------------------------|-------------------------|-------------------------------------|
 * | BACKOFF_ENUM_FAMILY             | backoff_enum_family     | "family", "kind", "jitter"          |
 * | BACKOFF_ENUM_STATUS             | backoff_status          | "ok", "invalid_value", "gave_up"    |
 * | BACKOFF_ENUM_VALUE_TYPE         | backoff_value_type      | "duration", "count", "choice"       |
 * | BACKOFF_ENUM_PARAM_FIELD        | backoff_param_field     | "name", "default", "domain"         |
 * | BACKOFF_ENUM_PARAM              | backoff_param           | "initial", "max_attempts"           |
 * | BACKOFF_ENUM_KIND               | backoff_kind            | "constant", "exponential"           |
 * | BACKOFF_ENUM_JITTER             | backoff_jitter          | "none", "full", "equal"             |
 * | BACKOFF_ENUM_BREAKER_PARAM      | backoff_breaker_param   | "trip", "window_size"               |
 * | BACKOFF_ENUM_BREAKER_TRIP       | backoff_breaker_trip    | "consecutive", "count", "ratio"     |
 * | BACKOFF_ENUM_BREAKER_WINDOW     | backoff_breaker_window  | "count", "time"                     |
 * | BACKOFF_ENUM_BREAKER_STATE      | backoff_breaker_state   | "closed", "half_open" (not NONE)    |
 * | BACKOFF_ENUM_OUTCOME            | backoff_outcome         | "success", "failure", "ignored"     |
 * | BACKOFF_ENUM_BREAKER_CAUSE      | backoff_breaker_cause   | "failures", "manual"                |
 * | BACKOFF_ENUM_BREAKER_COUNT      | backoff_breaker_count   | "admitted", "trips"                 |
 * | BACKOFF_ENUM_BUDGET_PARAM       | backoff_budget_param    | "capacity", "ttl"                   |
 * | BACKOFF_ENUM_BUDGET_CALIBRATION | backoff_budget_calibration | "aws", "grpc", "finagle"         |
 * | BACKOFF_ENUM_ERROR_CLASS        | backoff_error_class     | "ordinary", "timeout", "throttling" |
 * | BACKOFF_ENUM_BUDGET_COUNT       | backoff_budget_count    | "granted", "refused"                |
 * | BACKOFF_ENUM_ATTEMPT            | backoff_attempt         | "success", "retryable" (not NONE)   |
 * | BACKOFF_ENUM_RETRY_OUTCOME      | backoff_retry_outcome   | "pending", "gave_up"                |
 * | BACKOFF_ENUM_STOP_WHEN          | backoff_stop_when       | "any", "all"                        |
 *
 * A name is the enumerator's lower-case suffix ("half_open" for BACKOFF_BREAKER_HALF_OPEN), except for the
 * statuses, named after what they mean ("invalid_value" for BACKOFF_EINVAL), and the parameters, named as
 * backoff_param_from_name() and its peers read them ("initial" for BACKOFF_PARAM_INITIAL_NS). The
 * sentinels BACKOFF_BREAKER_NONE and BACKOFF_ATTEMPT_NONE are no value of their family and have no name.
 */
typedef enum backoff_enum_family {
  BACKOFF_ENUM_FAMILY = 0,
  BACKOFF_ENUM_STATUS = 1,
  BACKOFF_ENUM_VALUE_TYPE = 2,
  BACKOFF_ENUM_PARAM_FIELD = 3,
  BACKOFF_ENUM_PARAM = 4,
  BACKOFF_ENUM_KIND = 5,
  BACKOFF_ENUM_JITTER = 6,
  BACKOFF_ENUM_BREAKER_PARAM = 7,
  BACKOFF_ENUM_BREAKER_TRIP = 8,
  BACKOFF_ENUM_BREAKER_WINDOW = 9,
  BACKOFF_ENUM_BREAKER_STATE = 10,
  BACKOFF_ENUM_OUTCOME = 11,
  BACKOFF_ENUM_BREAKER_CAUSE = 12,
  BACKOFF_ENUM_BREAKER_COUNT = 13,
  BACKOFF_ENUM_BUDGET_PARAM = 14,
  BACKOFF_ENUM_BUDGET_CALIBRATION = 15,
  BACKOFF_ENUM_ERROR_CLASS = 16,
  BACKOFF_ENUM_BUDGET_COUNT = 17,
  BACKOFF_ENUM_ATTEMPT = 18,
  BACKOFF_ENUM_RETRY_OUTCOME = 19,
  BACKOFF_ENUM_STOP_WHEN = 20
} backoff_enum_family;

/**
 * Returns the name of `value` in `family` ("full" for BACKOFF_ENUM_JITTER and BACKOFF_JITTER_FULL), or NULL
 * when the family or the value is unknown. Static storage: never free it.
 *
 * @param family  a backoff_enum_family.
 * @param value   a value of that family.
 * Thread safety: any thread. Cost: a scan of the family's values. Since: 0.2.
 */
BACKOFF_API const char *backoff_name_of(int family, int value);

/**
 * Looks up a value of `family` by its name: the inverse of backoff_name_of().
 *
 * @param[out] out  receives the value. Must not be NULL. Unchanged on error.
 * @param family    a backoff_enum_family.
 * @param name      a NUL-terminated name such as "full". Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or name is NULL; BACKOFF_EUNKNOWN for an unknown family
 *         ("family: unknown enum family 42") or name ("jitter: unknown value 'ful' (known: none, full,
 *         equal, randomization)").
 * Thread safety: any thread. Since: 0.2.
 */
BACKOFF_API int backoff_value_of(int *out, int family, const char *name);

/** The columns of a parameter table, for backoff_param_info(). */
typedef enum backoff_param_field {
  BACKOFF_FIELD_NAME = 0,    /**< "initial": the name backoff_*_param_from_name() and set_text read. */
  BACKOFF_FIELD_TYPE = 1,    /**< "duration": the backoff_value_type's name. */
  BACKOFF_FIELD_UNIT = 2,    /**< "ns", "calls", "tokens"; "" for a plain number or a choice. */
  BACKOFF_FIELD_DEFAULT = 3, /**< "100ms": the default as set_text reads it; "unseeded" for the seed. */
  BACKOFF_FIELD_DOMAIN = 4,  /**< ">= 0; 0 = unlimited": the values accepted, for people. */
  BACKOFF_FIELD_CHOICES = 5, /**< "none, full, equal, randomization" for a choice; "" otherwise. */
  /**
   * "5" for max_attempts: the value a retry loop gives a stop parameter (max_attempts, max_elapsed,
   * deadline) when its caller sets none of the three, as set_text reads it; "" for every other parameter.
   * See "Defaults of a retry loop" under the policy parameters. Since: 0.2.
   */
  BACKOFF_FIELD_RETRY_DEFAULT = 6
} backoff_param_field;

/**
 * Returns one column of a parameter table: the metadata of the parameters of a policy, a breaker or a
 * budget, the same the tables of this header show. A tool builds its usage text and its defaults from
 * it; the default text is what backoff_config_set_text() and its peers accept.
 *
 * @param family  BACKOFF_ENUM_PARAM, BACKOFF_ENUM_BREAKER_PARAM or BACKOFF_ENUM_BUDGET_PARAM.
 * @param param   a parameter of that family.
 * @param field   a backoff_param_field.
 * @return the text, in static storage (never free it); NULL for another family, an unknown parameter
 *         or an unknown field.
 * Thread safety: any thread. Since: 0.2.
 */
BACKOFF_API const char *backoff_param_info(int family, int param, int field);

/* ===== Config ===== */

/** A mutable set of policy parameters. Not thread-safe: configure it on one thread. */
typedef struct backoff_config backoff_config;

/**
 * Creates a config holding the defaults of the table above.
 *
 * @param[out] out  receives the new config; free it with backoff_config_free(). Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out is NULL; BACKOFF_ENOMEM.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_config_new(backoff_config **out);

/**
 * Frees a config. NULL is a no-op. Policies built from it stay valid.
 * Thread safety: no other thread may be using the config. Since: 0.1.
 */
BACKOFF_API void backoff_config_free(backoff_config *config);

/**
 * Sets a DURATION, COUNT or CHOICE parameter.
 *
 * The value is checked at once; a rejected value leaves the config unchanged. Checks that involve two
 * parameters (cap >= initial) run in backoff_policy_new().
 *
 * @param config  must not be NULL.
 * @param param   a backoff_param whose type is DURATION, COUNT or CHOICE.
 * @param value   nanoseconds, a count or an enum value.
 * @return BACKOFF_OK; BACKOFF_ENULL if config is NULL; BACKOFF_EUNKNOWN for an unknown param or enum
 *         value; BACKOFF_ETYPE if param takes a double or a seed; BACKOFF_EINVAL if value is negative.
 * Thread safety: one thread per config. Since: 0.1.
 */
BACKOFF_API int backoff_config_set_i64(backoff_config *config, int param, int64_t value);

/**
 * Sets a REAL parameter: BACKOFF_PARAM_MULTIPLIER or BACKOFF_PARAM_RANDOMIZATION_FACTOR.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EUNKNOWN for an unknown param; BACKOFF_ETYPE if param is not
 *         REAL; BACKOFF_EINVAL for NaN, +-inf, a multiplier below 1 or a factor outside [0, 1].
 * Thread safety: one thread per config. Since: 0.1.
 */
BACKOFF_API int backoff_config_set_f64(backoff_config *config, int param, double value);

/**
 * Sets the SEED parameter. Any value is valid; seeding makes every delay reproducible.
 *
 * Without a seed, each policy draws a random seed when it is built and each state gets its own random
 * stream, so that clients started together do not retry in lockstep. A child of fork() salts both anew
 * (a pthread_atfork handler), so that workers forked from one parent (gunicorn --preload, celery prefork,
 * multiprocessing) jitter differently, whether their policies and states were made before the fork or
 * after it. A seeded policy gives the same delays in every process.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EUNKNOWN for an unknown param; BACKOFF_ETYPE if param is not
 *         BACKOFF_PARAM_SEED. Thread safety: one thread per config. Since: 0.1.
 */
BACKOFF_API int backoff_config_set_u64(backoff_config *config, int param, uint64_t value);

/**
 * Sets a parameter from text, as a command line or a configuration file gives it.
 *
 * Durations need a unit: "250ms", "1.5s", "2m", "1h", "100us", "10ns" ("0" alone is fine); the number is
 * decimal and converted exactly ("9223372036.854775807s" is INT64_MAX ns), and a positive value that
 * rounds to 0 ns ("0.4ns") is BACKOFF_EINVAL, since 0 means "none" and must be written as 0. Choices are
 * named: "exponential", "full". Counts are decimal ("010" is ten); reals are decimal ("1.5", "1e3"); a
 * seed is decimal or hex ("0x2a"). No spaces, leading or trailing.
 *
 * @param config  must not be NULL.
 * @param name    a parameter name such as "cap". Must not be NULL.
 * @param value   the value as text. Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EUNKNOWN for an unknown name or choice;
 *         BACKOFF_EINVAL for text that does not parse or a value outside the domain.
 * Thread safety: one thread per config. Since: 0.1.
 */
BACKOFF_API int backoff_config_set_text(backoff_config *config, const char *name, const char *value);

/* ===== Policy (stateless) ===== */

/** An immutable, validated schedule. Thread-safe: share one policy between any number of threads. */
typedef struct backoff_policy backoff_policy;

/**
 * Builds a policy from a config.
 *
 * @param[out] out  receives the policy; free it with backoff_policy_free(). Must not be NULL.
 * @param config    must not be NULL; it is copied, so it may be freed or reused at once.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_ENOMEM; BACKOFF_EINVAL if cap < initial, or initial is 0
 *         for an exponential or decorrelated policy (the message names both values).
 * Thread safety: config must not be modified meanwhile. Since: 0.1.
 */
BACKOFF_API int backoff_policy_new(backoff_policy **out, const backoff_config *config);

/**
 * Frees a policy. NULL is a no-op. States, breakers and retriers created from it stay valid (states share
 * the policy, which lives until the last of them is freed; the others hold a copy). Thread safety: the
 * last use of this handle; no other thread may be using it (states of it may be in use). Since: 0.1.
 */
BACKOFF_API void backoff_policy_free(backoff_policy *policy);

/**
 * Computes the delay before retry number `attempt` without any state.
 *
 * The result is a pure function of (policy, attempt, key): with a seed, any process in any language gets
 * the same value, so a job queue that stores only the attempt number can recompute the delay. Use the job
 * id or a client id as `key`, so that different jobs draw different jitter.
 *
 * @param policy       must not be NULL.
 * @param attempt      0 for the wait after the first failure, 1 after the second, ...
 * @param key          selects an independent random stream; any value. For a job id given as text or
 *                     bytes, backoff_key_hash() gives the key every language agrees on.
 * @param[out] out_ns  receives the delay in [0, cap], or BACKOFF_STOP once MAX_ATTEMPTS attempts have been
 *                     made (under STOP_WHEN all, only when MAX_ELAPSED is not set). Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if policy or out_ns is NULL.
 * Thread safety: any thread, concurrently. Cost: O(1) for every attempt. Since: 0.1.
 *
 * Notes:
 *   1. Every attempt up to 2^64 - 1 is valid: the delay saturates at the cap, it never wraps.
 *   2. MAX_ELAPSED is not applied, since no time is known here; see backoff_policy_delay_within().
 */
BACKOFF_API int backoff_policy_delay(int64_t *out_ns, const backoff_policy *policy, uint64_t attempt, uint64_t key);

/**
 * As backoff_policy_delay(), and also BACKOFF_STOP when waiting the delay would carry the time spent
 * since the first attempt, `elapsed_ns`, past MAX_ELAPSED.
 *
 * @param elapsed_ns  time since the first attempt; negative values count as 0.
 * @return BACKOFF_OK; BACKOFF_ENULL if policy or out_ns is NULL.
 * Thread safety: any thread, concurrently. Since: 0.1.
 */
BACKOFF_API int backoff_policy_delay_within(int64_t *out_ns, const backoff_policy *policy, uint64_t attempt,
                                            uint64_t key, int64_t elapsed_ns);

/**
 * Turns a key given as bytes (a job id, a client name) into the uint64_t key of backoff_policy_delay(),
 * the same number on every machine and in every language, so that a job id gives its job the same delay
 * in every worker. Text is hashed as its UTF-8 bytes (Python's Policy.delay(attempt, key="job-42") does
 * exactly that), without a terminating NUL.
 *
 * The hash is fixed forever; the shared vectors pin it. It is FNV-1a over the bytes followed by
 * SplitMix64's finaliser, all arithmetic modulo 2^64:
 *
 *     h = 0xcbf29ce484222325;
 *     for each byte b:  h = (h ^ b) * 0x100000001b3;
 *     h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9;
 *     h = (h ^ (h >> 27)) * 0x94d049bb133111eb;
 *     key = h ^ (h >> 31);
 *
 * It spreads keys, it does not hide them: it is not a cryptographic hash.
 *
 * @param[out] out  receives the key. Must not be NULL.
 * @param bytes     the key's bytes; may be NULL when size is 0.
 * @param size      the number of bytes.
 * @return BACKOFF_OK; BACKOFF_ENULL if out is NULL, or bytes is NULL and size is not 0; BACKOFF_EINVAL if
 *         size does not fit the address space (32-bit machines).
 * Thread safety: any thread, concurrently. Cost: O(size). Since: 0.2.
 */
BACKOFF_API int backoff_key_hash(uint64_t *out, const void *bytes, uint64_t size);

/**
 * Returns the delay for `attempt` before jitter (capped): the schedule's deterministic spine, as the
 * `backoff schedule` command prints it. For a decorrelated policy it is the stateless draw's upper bound,
 * capped: min(cap, min(cap, initial * multiplier^attempt) * multiplier).
 *
 * @return BACKOFF_OK; BACKOFF_ENULL if policy or out_ns is NULL.
 * Thread safety: any thread, concurrently. Since: 0.1.
 */
BACKOFF_API int backoff_policy_base_delay(int64_t *out_ns, const backoff_policy *policy, uint64_t attempt);

/**
 * Returns the exact range [min, max] that the delay for `attempt` is drawn from: uniformly, except that a
 * decorrelated delay, drawn past the cap and then capped, falls on max = cap for the draws above it.
 *
 * Use it to show a schedule with its true extremes, or to bound the total wait, instead of sampling.
 * It covers every key and seed: backoff_policy_delay(&d, policy, attempt, key) gives min <= d <= max for
 * any key. Without jitter, min == max == backoff_policy_base_delay().
 *
 * @param policy           must not be NULL.
 * @param attempt          as for backoff_policy_delay().
 * @param[out] out_min_ns  receives the smallest possible delay, or BACKOFF_STOP once MAX_ATTEMPTS
 *                         attempts have been made. Must not be NULL.
 * @param[out] out_max_ns  receives the largest possible delay (at most the cap), or BACKOFF_STOP with
 *                         out_min_ns. Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if policy, out_min_ns or out_max_ns is NULL.
 * Thread safety: any thread, concurrently. Cost: O(1) for every attempt. Since: 0.1.
 *
 * Notes:
 *   1. backoff_state_next() without a hint draws from the same range for its attempt, except that a
 *      decorrelated state multiplies its own rounded draws and may differ from it by a few nanoseconds.
 *   2. MAX_ELAPSED is not applied, as in backoff_policy_delay().
 */
BACKOFF_API int backoff_policy_delay_bounds(int64_t *out_min_ns, int64_t *out_max_ns, const backoff_policy *policy,
                                            uint64_t attempt);

/**
 * Reads back a DURATION, COUNT or CHOICE parameter as the policy applies it (the effective cap, say).
 *
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EUNKNOWN; BACKOFF_ETYPE as for backoff_config_set_i64().
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_policy_get_i64(int64_t *out, const backoff_policy *policy, int param);

/**
 * Reads back a REAL parameter.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or policy is NULL; BACKOFF_EUNKNOWN for an unknown param;
 *         BACKOFF_ETYPE if param is not REAL. Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_policy_get_f64(double *out, const backoff_policy *policy, int param);

/**
 * Reads back the seed the policy uses: the configured one, or the random one an unseeded policy drew,
 * which differs in each fork() child.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or policy is NULL; BACKOFF_EUNKNOWN for an unknown param;
 *         BACKOFF_ETYPE if param is not SEED. Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_policy_get_u64(uint64_t *out, const backoff_policy *policy, int param);

/* ===== Backoff state (stateful) ===== */

/** The stateful form of a policy. Not thread-safe: one thread at a time per state. */
typedef struct backoff_state backoff_state;

/**
 * Creates a state on the monotonic clock; elapsed time starts now.
 *
 * A seeded policy gives every state the same sequence, which equals backoff_policy_delay() with key 0
 * (decorrelated policies excepted: their state follows the chain). An unseeded policy gives every state
 * an independent random stream, and a fork() child draws from a stream of its own even with a state made
 * before the fork (see backoff_config_set_u64()).
 *
 * @param[out] out  receives the state; free it with backoff_state_free(). Must not be NULL.
 * @param policy    must not be NULL; the state shares the immutable policy (it does not copy it: a state
 *                  is 72 bytes), so the policy may be freed at once: it lives until its last state is freed.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or policy is NULL; BACKOFF_ENOMEM.
 * Thread safety: any thread; policy may be in use by other threads. Since: 0.1.
 */
BACKOFF_API int backoff_state_new(backoff_state **out, const backoff_policy *policy);

/**
 * As backoff_state_new(), with an injected clock (tests, simulated time, a runtime's own clock).
 *
 * @param clock      must not be NULL. Called by backoff_state_new_with_clock() itself, by
 *                   backoff_state_next(), backoff_state_reset() and backoff_state_elapsed().
 * @param user_data  passed to clock unchanged; may be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out, policy or clock is NULL; BACKOFF_ENOMEM.
 * Thread safety: as backoff_state_new(); the clock is called on the thread that uses the state. Since: 0.1.
 */
BACKOFF_API int backoff_state_new_with_clock(backoff_state **out, const backoff_policy *policy,
                                             backoff_clock_fn clock, void *user_data);

/** Frees a state. NULL is a no-op. Thread safety: the last use of the state. Since: 0.1. */
BACKOFF_API void backoff_state_free(backoff_state *state);

/**
 * Returns the delay before the next retry, or BACKOFF_STOP, and counts the attempt.
 *
 * Stops when MAX_ATTEMPTS attempts have been made, or when elapsed time plus the delay would pass
 * MAX_ELAPSED. A stop does not count an attempt: later calls keep returning BACKOFF_STOP until reset.
 *
 * @param state        must not be NULL.
 * @param hint_ns      a server's "retry after" (HTTP Retry-After), or 0 for none: the delay is at least
 *                     the hint and still at most the cap.
 * @param[out] out_ns  receives the delay in [0, cap] or BACKOFF_STOP. Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if state or out_ns is NULL; BACKOFF_EINVAL if hint_ns < 0.
 * Thread safety: one thread per state. Since: 0.1.
 */
BACKOFF_API int backoff_state_next(int64_t *out_ns, backoff_state *state, int64_t hint_ns);

/**
 * As backoff_state_next(), at the explicit time `now_ns` instead of the handle's clock.
 *
 * @param[out] out_ns  receives the delay in [0, cap] or BACKOFF_STOP. Must not be NULL.
 * @param state        must not be NULL.
 * @param now_ns       the time of the call on the scale of the handle's clock (any int64_t, negative
 *                     included); the handle's clock is not called.
 * @param hint_ns      a server's "retry after", or 0 for none, as for backoff_state_next().
 * @return BACKOFF_OK; BACKOFF_ENULL if out_ns or state is NULL; BACKOFF_EINVAL if hint_ns < 0.
 * Thread safety: one thread per state. Since: 0.1.
 */
BACKOFF_API int backoff_state_next_at(int64_t *out_ns, backoff_state *state, int64_t now_ns, int64_t hint_ns);

/**
 * Starts over: attempt 0, elapsed time measured from now. A seeded state replays its sequence.
 * @return BACKOFF_OK; BACKOFF_ENULL if state is NULL. Thread safety: one thread per state. Since: 0.1.
 */
BACKOFF_API int backoff_state_reset(backoff_state *state);

/**
 * As backoff_state_reset(), at the explicit time `now_ns` instead of the handle's clock: elapsed time is
 * measured from now_ns.
 *
 * @param state        must not be NULL.
 * @param now_ns       the time of the call on the scale of the handle's clock (any int64_t, negative
 *                     included); the handle's clock is not called.
 * @return BACKOFF_OK; BACKOFF_ENULL if state is NULL.
 * Thread safety: one thread per state. Since: 0.1.
 */
BACKOFF_API int backoff_state_reset_at(backoff_state *state, int64_t now_ns);

/**
 * Returns the time since the state was created or last reset; 0 if the clock went backwards.
 * @return BACKOFF_OK; BACKOFF_ENULL if out_ns or state is NULL. Thread safety: one thread per state.
 * Since: 0.1.
 */
BACKOFF_API int backoff_state_elapsed(int64_t *out_ns, const backoff_state *state);

/**
 * As backoff_state_elapsed(), at the explicit time `now_ns` instead of the handle's clock: now_ns minus the
 * start, 0 if now_ns is earlier.
 *
 * @param[out] out_ns  receives the elapsed time, >= 0. Must not be NULL.
 * @param state        must not be NULL.
 * @param now_ns       the time of the call on the scale of the handle's clock (any int64_t, negative
 *                     included); the handle's clock is not called.
 * @return BACKOFF_OK; BACKOFF_ENULL if out_ns or state is NULL.
 * Thread safety: one thread per state. Since: 0.1.
 */
BACKOFF_API int backoff_state_elapsed_at(int64_t *out_ns, const backoff_state *state, int64_t now_ns);

/**
 * Returns how many delays backoff_state_next() has handed out since creation or the last reset.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or state is NULL. Thread safety: one thread per state.
 * Since: 0.1.
 */
BACKOFF_API int backoff_state_attempt(uint64_t *out, const backoff_state *state);

/* ===== Circuit breaker ===== */

/*
 * A circuit breaker stops calling a service that keeps failing, and lets a few probe calls through once
 * it may have recovered:
 *
 *     closed --trip rule--> open --open period over--> half-open --enough probes succeed--> closed
 *                            ^                               |
 *                            +---- a probe fails, or half-open lasts longer than its maximum
 *
 * plus two manual states: isolated (forced open) and disabled (admits everything, never trips).
 *
 * Permits. Each call asks backoff_breaker_acquire() for a permit, a non-zero uint64_t, and reports what
 * happened to it exactly once: backoff_breaker_record() with BACKOFF_OUTCOME_SUCCESS, _FAILURE or
 * _IGNORED, or backoff_breaker_release() if the call was not made after all. A permit carries the
 * breaker's generation, which moves on at every state change: a result that arrives after the breaker
 * has moved on is ignored and counted as stale, so a slow failure from before a trip can never re-open a
 * breaker that has since closed. In half-open a permit is a lease on one of HALF_OPEN_PROBES probe slots;
 * a lease that is never reported expires after PERMIT_LEASE, so a lost permit cannot leave the breaker
 * stuck half-open (the most reported breaker bug in resilience4j, Polly and failsafe).
 *
 *     uint64_t permit;  int64_t wait_ns;
 *     if (backoff_breaker_acquire(&permit, &wait_ns, breaker) == BACKOFF_EOPEN) {
 *         fail_fast(wait_ns);                       // do not call the service; it may admit in wait_ns
 *     } else {
 *         int64_t start = backoff_monotonic_now_ns();
 *         int rc = call_service();
 *         backoff_breaker_record(breaker, permit, rc == 0 ? BACKOFF_OUTCOME_SUCCESS : BACKOFF_OUTCOME_FAILURE,
 *                                backoff_monotonic_now_ns() - start, 0);
 *     }
 *
 * Decisions are not failures. backoff_breaker_acquire() returns BACKOFF_EOPEN when it refuses a call, and
 * still writes both outputs; it leaves backoff_last_error() unchanged, so a rejection costs no more than
 * an admission.
 *
 * Time. Transitions are lazy: a breaker changes state inside the call that observes the change, at that
 * call's time, and never starts a thread. Each time-dependent function has an `_at` form taking an
 * explicit `now_ns` on the monotonic scale of backoff_monotonic_now_ns(); the other form reads the
 * breaker's clock, and only when a decision needs the time (a closed breaker with the consecutive rule
 * never reads it). Never mix a breaker's clock with explicit times from another scale.
 *
 * Threads. A breaker is thread-safe. acquire and record on a closed breaker take no lock, and neither
 * does a rejection while open. Listeners run on a thread that called into the breaker, never under an
 * internal lock, one event at a time and in order; runtimes that cannot take callbacks poll instead.
 */

/**
 * Breaker parameters. The quoted name is the parameter's name for backoff_breaker_param_from_name(),
 * backoff_breaker_config_set_text() and Python.
 *
 * | parameter                                    | type     | default     | domain               |
 * |----------------------------------------------|----------|-------------|----------------------|
 * | TRIP "trip"                                  | choice   | consecutive | a trip rule          |
 * | FAILURE_THRESHOLD "failure_threshold"        | count    | 5           | >= 1                 |
 * | FAILURE_RATIO "failure_ratio"                | real     | 0.5         | (0, 1]               |
 * | WINDOW "window"                              | choice   | time        | a window kind        |
 * | WINDOW_SIZE "window_size"                    | count    | 100         | [1, 2^20]            |
 * | WINDOW_DURATION_NS "window_duration"         | duration | 60s         | > 0                  |
 * | WINDOW_BUCKETS "window_buckets"              | count    | 10          | [1, 4096]            |
 * | MIN_CALLS "min_calls"                        | count    | 10          | >= 1                 |
 * | SLOW_CALL_DURATION_NS "slow_call_duration"   | duration | 0           | >= 0; 0 = no call is slow |
 * | SLOW_CALL_RATIO "slow_call_ratio"            | real     | 1           | (0, 1]               |
 * | OPEN_DURATION_NS "open_duration"             | duration | 30s         | >= 0                 |
 * | HALF_OPEN_PROBES "half_open_probes"          | count    | 1           | [1, 1024]            |
 * | HALF_OPEN_SUCCESSES "half_open_successes"    | count    | 1           | >= 1                 |
 * | HALF_OPEN_MAX_DURATION_NS "half_open_max_duration" | duration | 0     | >= 0; 0 = no limit   |
 * | PERMIT_LEASE_NS "permit_lease"               | duration | 60s         | > 0                  |
 * | MAX_HINT_OPEN_NS "max_hint_open"             | duration | 1h          | >= 0; 0 = hints never extend it |
 *
 * A trip rule is a backoff_breaker_trip, a window kind a backoff_breaker_window. As for the policy,
 * defaults are written as backoff_breaker_config_set_text() reads them, and backoff_param_info() returns
 * every column.
 *
 * Trip rules, read after every failure (and slow call) in the closed state:
 *   CONSECUTIVE  FAILURE_THRESHOLD failures in a row (a success resets the run).
 *   COUNT        FAILURE_THRESHOLD failures within the window.
 *   RATIO        failures / calls >= FAILURE_RATIO within the window, once it holds MIN_CALLS calls.
 *   slow calls   with SLOW_CALL_DURATION > 0, under any rule: a call reported with a duration of at least
 *                SLOW_CALL_DURATION is slow, and slow / calls >= SLOW_CALL_RATIO within the window (with
 *                MIN_CALLS calls) trips too. In half-open a slow success counts as a failed probe.
 *
 * Windows. A COUNT window holds the last WINDOW_SIZE calls, a TIME window the calls of the last
 * WINDOW_DURATION. Either slides by buckets (WINDOW_BUCKETS of them) and so covers its size give or take
 * one bucket: set WINDOW_BUCKETS to WINDOW_SIZE for an exact count window. A ratio trips as soon as the
 * window holds MIN_CALLS calls; it does not wait for the window to fill.
 *
 * Open period: OPEN_DURATION, or the delay of a policy given to backoff_breaker_config_set_open_policy()
 * for the n-th trip in a row (n = 0 for the trip from closed, counting up until the breaker closes again),
 * so that repeated trips can back off exponentially with jitter. A failure reported with a server hint
 * (Retry-After) keeps the breaker open at least that long when it trips, but a hint extends the open
 * period to at most MAX_HINT_OPEN (0: hints never extend it). One response must not hold every call off
 * for longer than an operator would notice: `Retry-After: 9200000000` would otherwise mean 292 years. The
 * default, an hour, honours a rate limit's window or a maintenance hour; a longer outage still keeps the
 * breaker open, one failed probe at a time.
 *
 * Half-open admits at most HALF_OPEN_PROBES calls at a time, closes after HALF_OPEN_SUCCESSES successful
 * probes, re-opens at the first failed probe, and re-opens when it has lasted HALF_OPEN_MAX_DURATION
 * without closing.
 */
typedef enum backoff_breaker_param {
  BACKOFF_BREAKER_PARAM_TRIP = 0,
  BACKOFF_BREAKER_PARAM_FAILURE_THRESHOLD = 1,
  BACKOFF_BREAKER_PARAM_FAILURE_RATIO = 2,
  BACKOFF_BREAKER_PARAM_WINDOW = 3,
  BACKOFF_BREAKER_PARAM_WINDOW_SIZE = 4,
  BACKOFF_BREAKER_PARAM_WINDOW_DURATION_NS = 5,
  BACKOFF_BREAKER_PARAM_WINDOW_BUCKETS = 6,
  BACKOFF_BREAKER_PARAM_MIN_CALLS = 7,
  BACKOFF_BREAKER_PARAM_SLOW_CALL_DURATION_NS = 8,
  BACKOFF_BREAKER_PARAM_SLOW_CALL_RATIO = 9,
  BACKOFF_BREAKER_PARAM_OPEN_DURATION_NS = 10,
  BACKOFF_BREAKER_PARAM_HALF_OPEN_PROBES = 11,
  BACKOFF_BREAKER_PARAM_HALF_OPEN_SUCCESSES = 12,
  BACKOFF_BREAKER_PARAM_HALF_OPEN_MAX_DURATION_NS = 13,
  BACKOFF_BREAKER_PARAM_PERMIT_LEASE_NS = 14,
  BACKOFF_BREAKER_PARAM_MAX_HINT_OPEN_NS = 15 /**< Since 0.2. */
} backoff_breaker_param;

/** What trips a closed breaker (BACKOFF_BREAKER_PARAM_TRIP); see the parameter table. */
typedef enum backoff_breaker_trip {
  BACKOFF_BREAKER_TRIP_CONSECUTIVE = 0, /**< "consecutive" */
  BACKOFF_BREAKER_TRIP_COUNT = 1,       /**< "count" */
  BACKOFF_BREAKER_TRIP_RATIO = 2        /**< "ratio" */
} backoff_breaker_trip;

/** How the window is measured (BACKOFF_BREAKER_PARAM_WINDOW). */
typedef enum backoff_breaker_window {
  BACKOFF_BREAKER_WINDOW_COUNT = 0, /**< "count": the last WINDOW_SIZE calls. */
  BACKOFF_BREAKER_WINDOW_TIME = 1   /**< "time": the calls of the last WINDOW_DURATION. */
} backoff_breaker_window;

/** Breaker states. BACKOFF_BREAKER_NONE only ever appears as "no event" from backoff_breaker_poll_event(). */
typedef enum backoff_breaker_state {
  BACKOFF_BREAKER_NONE = -1,
  BACKOFF_BREAKER_CLOSED = 0,    /**< Admits every call; the trip rule watches the results. */
  BACKOFF_BREAKER_OPEN = 1,      /**< Rejects every call until the open period is over. */
  BACKOFF_BREAKER_HALF_OPEN = 2, /**< Admits up to HALF_OPEN_PROBES probe calls at a time. */
  BACKOFF_BREAKER_ISOLATED = 3,  /**< Forced open: rejects every call until a manual transition. */
  BACKOFF_BREAKER_DISABLED = 4   /**< Admits every call and never trips, until a manual transition. */
} backoff_breaker_state;

/** What happened to a call that held a permit. */
typedef enum backoff_outcome {
  BACKOFF_OUTCOME_SUCCESS = 0,
  BACKOFF_OUTCOME_FAILURE = 1,
  /** Neither: the call's result says nothing about the service's health (a validation error, a
   *  cancellation). The permit is settled and nothing else changes. */
  BACKOFF_OUTCOME_IGNORED = 2
} backoff_outcome;

/** Why a breaker changed state, as reported to listeners and by backoff_breaker_poll_event(). */
typedef enum backoff_breaker_cause {
  BACKOFF_BREAKER_CAUSE_FAILURES = 0,          /**< The consecutive or count rule tripped. */
  BACKOFF_BREAKER_CAUSE_FAILURE_RATIO = 1,     /**< The ratio rule tripped. */
  BACKOFF_BREAKER_CAUSE_SLOW_CALLS = 2,        /**< The slow-call rule tripped. */
  BACKOFF_BREAKER_CAUSE_PROBE_FAILED = 3,      /**< A half-open probe failed or was slow. */
  BACKOFF_BREAKER_CAUSE_HALF_OPEN_TIMEOUT = 4, /**< Half-open lasted HALF_OPEN_MAX_DURATION. */
  BACKOFF_BREAKER_CAUSE_OPEN_ELAPSED = 5,      /**< The open period ended: open -> half-open. */
  BACKOFF_BREAKER_CAUSE_PROBES_SUCCEEDED = 6,  /**< HALF_OPEN_SUCCESSES probes succeeded: -> closed. */
  BACKOFF_BREAKER_CAUSE_MANUAL = 7             /**< backoff_breaker_transition(). */
} backoff_breaker_cause;

/**
 * The counts a breaker keeps, read one at a time with backoff_breaker_get_count(). ADMITTED to TRIPS only
 * grow. Once every permit has been reported,
 * ADMITTED == SUCCESSES + FAILURES + IGNORED + RELEASED + STALE.
 */
typedef enum backoff_breaker_count {
  BACKOFF_BREAKER_COUNT_ADMITTED = 0,             /**< Permits handed out. */
  BACKOFF_BREAKER_COUNT_REJECTED = 1,             /**< Calls refused with BACKOFF_EOPEN. */
  BACKOFF_BREAKER_COUNT_SUCCESSES = 2,            /**< Results that counted. */
  BACKOFF_BREAKER_COUNT_FAILURES = 3,
  BACKOFF_BREAKER_COUNT_IGNORED = 4,
  BACKOFF_BREAKER_COUNT_RELEASED = 5,             /**< Permits given back unused. */
  BACKOFF_BREAKER_COUNT_STALE = 6,                /**< Results and releases that came too late. */
  BACKOFF_BREAKER_COUNT_SLOW = 7,                 /**< Counted results at least SLOW_CALL_DURATION long. */
  BACKOFF_BREAKER_COUNT_EXPIRED = 8,              /**< Probe leases reclaimed unreported. */
  BACKOFF_BREAKER_COUNT_TRIPS = 9,                /**< Entries into the open state. */
  BACKOFF_BREAKER_COUNT_CONSECUTIVE_FAILURES = 10, /**< The current run of failures. */
  BACKOFF_BREAKER_COUNT_WINDOW_CALLS = 11,        /**< Calls in the current window. */
  BACKOFF_BREAKER_COUNT_WINDOW_FAILURES = 12,
  BACKOFF_BREAKER_COUNT_WINDOW_SLOW = 13,
  BACKOFF_BREAKER_COUNT_PROBES_IN_FLIGHT = 14,    /**< Probe leases held and not expired. */
  BACKOFF_BREAKER_COUNT_EVENTS_DROPPED = 15,      /**< Events lost because nobody polled or listened. */
  BACKOFF_BREAKER_COUNT_LISTENER_ERRORS = 16      /**< Listener calls that returned non-zero. */
} backoff_breaker_count;

/**
 * Looks up a breaker parameter by name, for FFI callers that configure by string.
 *
 * @param[out] out  receives the backoff_breaker_param value. Must not be NULL.
 * @param name      a NUL-terminated name from the table above, such as "failure_ratio". Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or name is NULL; BACKOFF_EUNKNOWN for an unknown name.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_param_from_name(int *out, const char *name);

/**
 * Returns a breaker parameter's name ("failure_ratio"), or NULL for an unknown parameter. Static storage.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API const char *backoff_breaker_param_name(int param);

/**
 * Returns a breaker parameter's backoff_value_type.
 * @return a backoff_value_type (>= 0); BACKOFF_EUNKNOWN for an unknown parameter.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_param_type(int param);

/** A mutable set of breaker parameters. Not thread-safe: configure it on one thread. */
typedef struct backoff_breaker_config backoff_breaker_config;

/**
 * Creates a breaker config holding the defaults of the table above.
 *
 * @param[out] out  receives the config; free it with backoff_breaker_config_free(). Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out is NULL; BACKOFF_ENOMEM.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_config_new(backoff_breaker_config **out);

/**
 * Frees a breaker config. NULL is a no-op. Breakers built from it stay valid.
 * Thread safety: no other thread may be using the config. Since: 0.1.
 */
BACKOFF_API void backoff_breaker_config_free(backoff_breaker_config *config);

/**
 * Sets a DURATION, COUNT or CHOICE breaker parameter.
 *
 * The value is checked at once; a rejected value leaves the config unchanged. Checks that involve two
 * parameters (a count window's MIN_CALLS <= WINDOW_SIZE) run in backoff_breaker_new().
 *
 * @param config  must not be NULL.
 * @param param   a backoff_breaker_param whose type is DURATION, COUNT or CHOICE.
 * @param value   nanoseconds, a count or an enum value.
 * @return BACKOFF_OK; BACKOFF_ENULL if config is NULL; BACKOFF_EUNKNOWN for an unknown param or enum
 *         value; BACKOFF_ETYPE if param takes a double; BACKOFF_EINVAL if value is outside the domain.
 * Thread safety: one thread per config. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_config_set_i64(backoff_breaker_config *config, int param, int64_t value);

/**
 * Sets a REAL breaker parameter: FAILURE_RATIO or SLOW_CALL_RATIO.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EUNKNOWN for an unknown param; BACKOFF_ETYPE if param is not
 *         REAL; BACKOFF_EINVAL for NaN, +-inf or a value outside (0, 1].
 * Thread safety: one thread per config. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_config_set_f64(backoff_breaker_config *config, int param, double value);

/**
 * Sets a breaker parameter from text, as backoff_config_set_text() does for policies: durations with a
 * unit ("30s", "250ms"), choices by name ("ratio", "time"), numbers as in C ("0.25").
 *
 * @param config  must not be NULL.
 * @param name    a parameter name such as "open_duration". Must not be NULL.
 * @param value   the value as text. Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EUNKNOWN for an unknown name or choice; BACKOFF_EINVAL for
 *         text that does not parse or a value outside the domain.
 * Thread safety: one thread per config. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_config_set_text(backoff_breaker_config *config, const char *name,
                                                const char *value);

/**
 * Makes the open period follow a backoff policy over repeated trips, in place of OPEN_DURATION.
 *
 * The n-th trip in a row stays open for backoff_policy_delay(policy, n, key): n is 0 for the trip from
 * closed and grows with each failed probe or half-open timeout until the breaker closes. With a seeded
 * policy the key is 0, so every breaker built from the config opens for the same periods; unseeded, each
 * breaker draws its own key, so breakers tripped by one outage do not probe in lockstep.
 *
 * @param config  must not be NULL.
 * @param policy  copied, so it may be freed at once; NULL goes back to OPEN_DURATION.
 * @return BACKOFF_OK; BACKOFF_ENULL if config is NULL; BACKOFF_EINVAL if the policy can stop
 *         (MAX_ATTEMPTS or MAX_ELAPSED is set): an open period must always end.
 * Thread safety: one thread per config. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_config_set_open_policy(backoff_breaker_config *config,
                                                       const backoff_policy *policy);

/**
 * A circuit breaker. Thread-safe: share one breaker between any number of threads.
 *
 * Memory (resident, malloc included; bench/scale measures it, docs/scale.md): about 184 bytes with the
 * CONSECUTIVE rule and no slow-call rule, which keep no window; a window adds WINDOW_BUCKETS x 32 bytes
 * and 48 more (0.4 KiB by default). Its configuration is shared with the breakers made before it from
 * equal configurations, and an open policy is shared, not copied. It grows, once each, by 2 KiB of
 * per-thread counters the first time a second thread counts on it (cache lines of their own, so
 * threads sharing it do not contend), by about 0.2 KiB of lock and probe slots at its first state
 * change, and by 1.8 KiB of event queues at its first state change or listener.
 */
typedef struct backoff_breaker backoff_breaker;

/**
 * Creates a closed breaker on the monotonic clock.
 *
 * @param[out] out  receives the breaker; free it with backoff_breaker_free(). Must not be NULL.
 * @param config    must not be NULL; it is copied, so it may be freed or reused at once.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_ENOMEM; BACKOFF_EINVAL if parameters contradict each other
 *         (for a count window: MIN_CALLS or a COUNT rule's FAILURE_THRESHOLD above WINDOW_SIZE, which
 *         could never be reached); the message names them.
 * Thread safety: config must not be modified meanwhile. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_new(backoff_breaker **out, const backoff_breaker_config *config);

/**
 * As backoff_breaker_new(), with an injected clock (tests, simulated time, a runtime's own clock).
 *
 * @param clock      must not be NULL. Called only by entry points without `_at`, only when they need the
 *                   time, on the calling thread and never under an internal lock.
 * @param user_data  passed to clock unchanged; may be NULL.
 * @return as backoff_breaker_new(); BACKOFF_ENULL also if clock is NULL.
 * Thread safety: as backoff_breaker_new(); the clock is called from every thread that uses the breaker.
 * Since: 0.1.
 */
BACKOFF_API int backoff_breaker_new_with_clock(backoff_breaker **out, const backoff_breaker_config *config,
                                               backoff_clock_fn clock, void *user_data);

/**
 * Frees a breaker. NULL is a no-op. No other thread may be using it, and no listener may be running on
 * it; permits it issued become meaningless. Thread safety: the last use of the breaker. Since: 0.1.
 */
BACKOFF_API void backoff_breaker_free(backoff_breaker *breaker);

/**
 * Asks to make a call: admits it with a permit, or refuses it.
 *
 * @param breaker           must not be NULL.
 * @param[out] out_permit   receives the permit (never 0), or 0 when refused. Must not be NULL.
 * @param[out] out_wait_ns  receives 0 when admitted. When refused: the rest of the open period; 0 when
 *                          half-open with every probe slot taken (a slot may free up at any moment);
 *                          INT64_MAX when isolated. Must not be NULL.
 * @return BACKOFF_OK (admitted); BACKOFF_EOPEN (refused: both outputs written, backoff_last_error()
 *         unchanged); BACKOFF_ENULL if an argument is NULL.
 * Thread safety: any thread, concurrently. Lock-free when closed, disabled or isolated, and when open
 * with time left. Since: 0.1.
 *
 * Notes:
 *   1. Report the permit exactly once, with backoff_breaker_record() or backoff_breaker_release().
 *      Reporting a closed-state permit twice counts its result twice.
 *   2. An open breaker whose period has passed turns half-open in this call and admits it as a probe.
 */
BACKOFF_API int backoff_breaker_acquire(uint64_t *out_permit, int64_t *out_wait_ns, backoff_breaker *breaker);

/**
 * As backoff_breaker_acquire(), at the explicit time `now_ns` instead of the handle's clock.
 *
 * @param[out] out_permit   as for backoff_breaker_acquire(). Must not be NULL.
 * @param[out] out_wait_ns  as for backoff_breaker_acquire(). Must not be NULL.
 * @param breaker           must not be NULL.
 * @param now_ns            the time of the call on the scale of the handle's clock (any int64_t, negative
 *                          included); the handle's clock is not called.
 * @return BACKOFF_OK (admitted); BACKOFF_EOPEN (refused: both outputs written, backoff_last_error()
 *         unchanged); BACKOFF_ENULL if an argument is NULL.
 * Thread safety: any thread, concurrently. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_acquire_at(uint64_t *out_permit, int64_t *out_wait_ns, backoff_breaker *breaker,
                                           int64_t now_ns);

/**
 * Reports the outcome of the call a permit admitted.
 *
 * A result whose generation has passed (the breaker tripped, closed or was reset since) or whose probe
 * lease was reclaimed changes nothing and is counted as BACKOFF_BREAKER_COUNT_STALE; so is a permit this
 * breaker never issued.
 *
 * @param breaker      must not be NULL.
 * @param permit       a permit from backoff_breaker_acquire(); not 0.
 * @param outcome      a backoff_outcome.
 * @param duration_ns  how long the call took, for the slow-call rule; 0 if not measured (never slow).
 * @param hint_ns      a server's "retry after" (HTTP Retry-After), or 0 for none: if this failure opens
 *                     the breaker, it stays open at least this long.
 * @return BACKOFF_OK (also for a stale permit); BACKOFF_ENULL if breaker is NULL; BACKOFF_EINVAL for
 *         permit 0 or a negative duration_ns or hint_ns; BACKOFF_EUNKNOWN for an unknown outcome.
 * Thread safety: any thread, concurrently; lock-free for permits of a closed breaker. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_record(backoff_breaker *breaker, uint64_t permit, int outcome,
                                       int64_t duration_ns, int64_t hint_ns);

/**
 * As backoff_breaker_record(), at the explicit time `now_ns` instead of the handle's clock.
 *
 * @param breaker      must not be NULL.
 * @param now_ns       the time of the call on the scale of the handle's clock (any int64_t, negative
 *                     included); the handle's clock is not called.
 * @param permit, outcome, duration_ns, hint_ns  as for backoff_breaker_record().
 * @return BACKOFF_OK (also for a stale permit); BACKOFF_ENULL if breaker is NULL; BACKOFF_EINVAL for
 *         permit 0 or a negative duration_ns or hint_ns; BACKOFF_EUNKNOWN for an unknown outcome.
 * Thread safety: any thread, concurrently. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_record_at(backoff_breaker *breaker, int64_t now_ns, uint64_t permit, int outcome,
                                          int64_t duration_ns, int64_t hint_ns);

/**
 * Gives back a permit whose call was not made (cancelled before it started). A probe's slot is free for
 * the next caller at once.
 *
 * @return BACKOFF_OK (a stale permit is counted as stale); BACKOFF_ENULL if breaker is NULL;
 *         BACKOFF_EINVAL for permit 0.
 * Thread safety: any thread, concurrently. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_release(backoff_breaker *breaker, uint64_t permit);

/**
 * Forces a state. CLOSED resets the counts of the window and the trip streak; OPEN is a trip with the
 * usual open period; HALF_OPEN starts probing; ISOLATED rejects and DISABLED admits every call until the
 * next transition. Every transition starts a new generation, even into the same state, so outstanding
 * permits become stale. Emits an event with BACKOFF_BREAKER_CAUSE_MANUAL.
 *
 * @param state  a backoff_breaker_state other than BACKOFF_BREAKER_NONE.
 * @return BACKOFF_OK; BACKOFF_ENULL if breaker is NULL; BACKOFF_EUNKNOWN for an unknown state.
 * Thread safety: any thread, concurrently. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_transition(backoff_breaker *breaker, int state);

/**
 * As backoff_breaker_transition(), at the explicit time `now_ns` instead of the handle's clock: the open
 * period and the event's time start at now_ns.
 *
 * @param breaker      must not be NULL.
 * @param now_ns       the time of the call on the scale of the handle's clock (any int64_t, negative
 *                     included); the handle's clock is not called.
 * @param state        a backoff_breaker_state other than BACKOFF_BREAKER_NONE.
 * @return BACKOFF_OK; BACKOFF_ENULL if breaker is NULL; BACKOFF_EUNKNOWN for an unknown state.
 * Thread safety: any thread, concurrently. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_transition_at(backoff_breaker *breaker, int64_t now_ns, int state);

/**
 * Reads the breaker's state as last stored. An open breaker whose period has passed still reads OPEN
 * until a call observes it (transitions are lazy); backoff_breaker_acquire() then moves it on.
 *
 * @param[out] out  receives a backoff_breaker_state. Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if breaker or out is NULL. Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_get_state(int *out, const backoff_breaker *breaker);

/**
 * Reads one of the breaker's counts (a backoff_breaker_count). Each count is read on its own, so counts
 * read one after another while other threads run need not agree with each other exactly.
 *
 * @param which     a backoff_breaker_count.
 * @param[out] out  receives the count. Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if breaker or out is NULL; BACKOFF_EUNKNOWN for an unknown count.
 * Thread safety: any thread, concurrently. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_get_count(uint64_t *out, const backoff_breaker *breaker, int which);

/**
 * As backoff_breaker_get_count(), at the explicit time `now_ns` instead of the handle's clock: a time
 * window's counts are those of the window ending at now_ns.
 *
 * @param[out] out     receives the count. Must not be NULL.
 * @param breaker      must not be NULL.
 * @param now_ns       the time of the call on the scale of the handle's clock (any int64_t, negative
 *                     included); the handle's clock is not called.
 * @param which        a backoff_breaker_count.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or breaker is NULL; BACKOFF_EUNKNOWN for an unknown count.
 * Thread safety: any thread, concurrently. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_get_count_at(uint64_t *out, const backoff_breaker *breaker, int64_t now_ns,
                                             int which);

/**
 * Reads back a DURATION, COUNT or CHOICE parameter of the breaker's configuration.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EUNKNOWN; BACKOFF_ETYPE as backoff_breaker_config_set_i64().
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_get_i64(int64_t *out, const backoff_breaker *breaker, int param);

/**
 * Reads back a REAL breaker parameter.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or breaker is NULL; BACKOFF_EUNKNOWN for an unknown param;
 *         BACKOFF_ETYPE if param is not REAL. Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_get_f64(double *out, const backoff_breaker *breaker, int param);

/**
 * A state-change listener.
 *
 * @param state, previous  backoff_breaker_state values.
 * @param cause            a backoff_breaker_cause.
 * @param at_ns            the time of the transition, on the breaker's time scale.
 * @param user_data        as given to backoff_breaker_set_listener().
 * @return 0. Any other value is counted in BACKOFF_BREAKER_COUNT_LISTENER_ERRORS and otherwise ignored:
 *         the transition has already happened, and failing the call that delivered it would strand that
 *         call's permit.
 *
 * It runs on a thread that called into the breaker, after the internal lock is released, one event at a
 * time and in order. It may call back into the breaker (even set another listener) but must not free it,
 * and must return normally: no longjmp, no exception or panic unwinding through the library.
 */
typedef int (*backoff_breaker_listener_fn)(int state, int previous, int cause, int64_t at_ns, void *user_data);

/**
 * Sets, replaces or removes the breaker's state-change listener. Events pending for the old listener are
 * dropped; polling is not affected.
 *
 * @param breaker    must not be NULL.
 * @param listener   the new listener; NULL removes it.
 * @param user_data  passed to listener unchanged; may be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if breaker is NULL; BACKOFF_ENOMEM.
 * Thread safety: any thread. When it returns, the old listener is not running on any other thread, so
 * its user_data may be freed (called from inside the listener, it cannot wait for itself). Since: 0.1.
 */
BACKOFF_API int backoff_breaker_set_listener(backoff_breaker *breaker, backoff_breaker_listener_fn listener,
                                             void *user_data);

#ifdef BACKOFF_EXPERIMENTAL /* see "Experimental tier" at the top */
/**
 * Takes the oldest state change not yet polled: the pull-style alternative to a listener, for runtimes
 * that should not take callbacks (LuaJIT, cgo, ctypes). The breaker keeps the last 64 events; older ones
 * are dropped and counted in BACKOFF_BREAKER_COUNT_EVENTS_DROPPED.
 *
 * @param[out] out_state     receives the new state, or BACKOFF_BREAKER_NONE when no event is pending
 *                           (the other outputs are then 0). Must not be NULL.
 * @param[out] out_previous  receives the state before. Must not be NULL.
 * @param[out] out_cause     receives a backoff_breaker_cause. Must not be NULL.
 * @param[out] out_at_ns     receives the time of the transition. Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if an argument is NULL.
 * Thread safety: any thread; each event is taken by one poller. Since: 0.1.
 */
BACKOFF_API int backoff_breaker_poll_event(int *out_state, int *out_previous, int *out_cause, int64_t *out_at_ns,
                                           backoff_breaker *breaker);

/**
 * Breakers by key (a host, a partition, a tenant), so that one failing backend cannot open the circuit of
 * the healthy ones. Thread-safe. Calls are addressed by key: a call on a key the pool holds finds its
 * breaker without a lock or an allocation, then costs what the breaker's own call costs. Memory is
 * bounded: the pool holds at most max_keys breakers (each a breaker, 48 bytes of entry and an 8-byte
 * bucket, docs/scale.md) and makes room for a new key by dropping the one used least recently, which
 * starts afresh, closed, if it comes back. Breakers of a pool have no listener.
 */
typedef struct backoff_breaker_pool backoff_breaker_pool;

/**
 * Creates an empty pool whose breakers all follow `config` and read the monotonic clock.
 * @param[out] out  receives the pool; free it with backoff_breaker_pool_free(). Must not be NULL.
 * @param config    must not be NULL; it is copied.
 * @param max_keys  how many breakers the pool may hold, in [1, 2^20].
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_ENOMEM; BACKOFF_EINVAL for max_keys out of range or a config
 *         backoff_breaker_new() would reject. Thread safety: config must not be modified meanwhile.
 *         Since: 0.2.
 */
BACKOFF_API int backoff_breaker_pool_new(backoff_breaker_pool **out, const backoff_breaker_config *config,
                                         int64_t max_keys);

/**
 * Frees a pool and its breakers. NULL is a no-op.
 * Thread safety: no other thread may be using the pool. Since: 0.2.
 */
BACKOFF_API void backoff_breaker_pool_free(backoff_breaker_pool *pool);

/**
 * backoff_breaker_acquire() on the breaker of `key`, made closed on the key's first call.
 * @param key  a NUL-terminated key, compared by a 64-bit hash of its bytes. Must not be NULL.
 * @return as backoff_breaker_acquire(); BACKOFF_ENULL also if pool or key is NULL.
 * Thread safety: any thread, concurrently; lock-free for a key the pool holds. Since: 0.2.
 */
BACKOFF_API int backoff_breaker_pool_acquire(uint64_t *out_permit, int64_t *out_wait_ns, backoff_breaker_pool *pool,
                                             const char *key);

/**
 * As backoff_breaker_pool_acquire(), at the explicit time `now_ns`.
 * @return as backoff_breaker_pool_acquire(). Thread safety: as backoff_breaker_pool_acquire(). Since: 0.2.
 */
BACKOFF_API int backoff_breaker_pool_acquire_at(uint64_t *out_permit, int64_t *out_wait_ns,
                                                backoff_breaker_pool *pool, const char *key, int64_t now_ns);

/**
 * backoff_breaker_record() on the breaker of `key`. A permit whose key was dropped since it was issued
 * is stale: it changes nothing (the key's breaker, made again, counts it as stale).
 * @return as backoff_breaker_record(); BACKOFF_ENULL also if pool or key is NULL.
 * Thread safety: any thread, concurrently; lock-free for a key the pool holds. Since: 0.2.
 */
BACKOFF_API int backoff_breaker_pool_record(backoff_breaker_pool *pool, const char *key, uint64_t permit,
                                            int outcome, int64_t duration_ns, int64_t hint_ns);

/**
 * As backoff_breaker_pool_record(), at the explicit time `now_ns`.
 * @return as backoff_breaker_pool_record(). Thread safety: as backoff_breaker_pool_record(). Since: 0.2.
 */
BACKOFF_API int backoff_breaker_pool_record_at(backoff_breaker_pool *pool, const char *key, int64_t now_ns,
                                               uint64_t permit, int outcome, int64_t duration_ns, int64_t hint_ns);

/**
 * backoff_breaker_release() on the breaker of `key`: gives back a permit whose call was not made
 * (cancelled before it started), so that a half-open probe slot is free for the next caller at once
 * instead of when its lease (PERMIT_LEASE) runs out. A permit whose key was dropped since it was issued
 * is stale, as for backoff_breaker_pool_record(): it changes nothing. So is one the key's breaker has
 * moved on from (issued before its last state change, or a probe already reported or released).
 *
 * @param pool    must not be NULL.
 * @param key     the key the permit was acquired for, NUL-terminated. Must not be NULL.
 * @param permit  a permit from backoff_breaker_pool_acquire() for `key`; not 0.
 * @return BACKOFF_OK (also for a stale permit); BACKOFF_ENULL if pool or key is NULL; BACKOFF_EINVAL for
 *         permit 0.
 * Thread safety: any thread, concurrently; lock-free for a key the pool holds and a permit of a closed
 * breaker. Since: 0.2.
 */
BACKOFF_API int backoff_breaker_pool_release(backoff_breaker_pool *pool, const char *key, uint64_t permit);

/**
 * Reads the state of the breaker of `key` (a backoff_breaker_state); BACKOFF_BREAKER_CLOSED for a key
 * the pool does not hold, which would start closed. Adds no key.
 * @return BACKOFF_OK; BACKOFF_ENULL if an argument is NULL. Thread safety: any thread. Since: 0.2.
 */
BACKOFF_API int backoff_breaker_pool_state(int *out, backoff_breaker_pool *pool, const char *key);

/**
 * Reads how many breakers the pool holds.
 * @return BACKOFF_OK; BACKOFF_ENULL if pool or out is NULL. Thread safety: any thread. Since: 0.2.
 */
BACKOFF_API int backoff_breaker_pool_size(int64_t *out, const backoff_breaker_pool *pool);
#endif /* BACKOFF_EXPERIMENTAL */

#ifdef BACKOFF_EXPERIMENTAL /* see "Experimental tier" at the top */
/**
 * As backoff_policy_delay_within(), with a server's hint applied as backoff_state_next() applies it:
 * the delay is at least `hint_ns` and still at most the cap, and MAX_ELAPSED is checked against the
 * hinted delay. The stateless form a durable job queue needs: attempt, key (the job id) and elapsed time
 * (the job's age) are all it stores; libbackoff_jobs computes every retry with it.
 *
 * @param[out] out_ns  receives the delay in [0, cap], or BACKOFF_STOP once MAX_ATTEMPTS attempts have been
 *                     made or the wait would carry elapsed_ns past MAX_ELAPSED. Must not be NULL.
 * @param policy       must not be NULL.
 * @param attempt, key as for backoff_policy_delay().
 * @param elapsed_ns   time since the first attempt; negative values count as 0.
 * @param hint_ns      a server's "retry after", or 0 for none.
 * @return BACKOFF_OK; BACKOFF_ENULL if out_ns or policy is NULL; BACKOFF_EINVAL if hint_ns < 0.
 * Thread safety: any thread, concurrently. Cost: O(1) for every attempt. Since: 0.2.
 */
BACKOFF_API int backoff_policy_delay_hinted(int64_t *out_ns, const backoff_policy *policy, uint64_t attempt,
                                            uint64_t key, int64_t elapsed_ns, int64_t hint_ns);

/**
 * Records `message` as the calling thread's backoff_last_error() and returns `status`, for a companion
 * library that reports through libbackoff's error mechanism (libbackoff_jobs does), so that its callers
 * read one last error whichever library failed.
 *
 * @param status   returned unchanged.
 * @param message  copied; NULL records "".
 * @return status. Thread safety: thread-local, as backoff_last_error(). Since: 0.2.
 */
BACKOFF_API int backoff_last_error_set(int status, const char *message);
#endif /* BACKOFF_EXPERIMENTAL */

/* ===== Retry budget ===== */

/*
 * A retry budget caps how much retries may add to the load on a service, across every caller that shares
 * it: when a dependency goes down, per-call retry limits still multiply its load by the attempt count;
 * a budget keeps the extra load to a fraction. It is a token bucket in integer milli-tokens, changed with
 * one compare-and-swap per call, in one of three calibrations (see the parameter table):
 *
 *   AWS      (SDKs' "standard" retry mode) a retry takes retry_cost tokens (timeout_cost, throttling_cost
 *            by error class); a successful retry gets its cost back, a first attempt's success adds
 *            no_retry_increment; the bucket holds at most capacity.
 *   gRPC     (gRFC A6 retry throttling) each retryable failure takes 1 token, each success adds token_ratio,
 *            and retries stop while the count is at or below max_tokens / 2.
 *   Finagle  (RetryBudget) each request deposits percent_can_retry, each retry takes 1, deposits expire
 *            after ttl, and a reserve always allows min_retries_per_second.
 *
 * One logical request drives it as follows; the retry loop of this library does it for you:
 *
 *     backoff_budget_record_request(budget);                   // once, at the first attempt
 *     uint64_t ticket = 0;                                      // 0: this attempt is the first
 *     for (;;) {
 *         if (call() == 0) { backoff_budget_record_success(budget, ticket); break; }
 *         backoff_budget_record_failure(budget);               // a retryable failure
 *         if (backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_ORDINARY) == BACKOFF_EBUDGET) {
 *             fail(BACKOFF_EBUDGET);                            // "retry budget exhausted"
 *             break;
 *         }
 *         sleep_ns(delay);                                      // the ticket's tokens are held meanwhile
 *     }
 *
 * Tokens are taken when the retry is decided and held while it waits out its backoff, so a burst of
 * failures cannot all pass the budget, all sleep, and all retry at once.
 *
 * Tickets. A ticket is honoured once: backoff_budget_record_success() or backoff_budget_refund() settles
 * it, and settling it again, or passing a number the budget never issued (another budget's ticket
 * included), fails with BACKOFF_EINVAL and changes nothing; no ticket can be forged into tokens. A ticket
 * that is not settled (the retry failed, as in the loop above) is simply dropped. Memory stays bounded:
 * each thread keeps up to 1024 tickets out per budget, and a thread that has that many out evicts its
 * oldest; settling an evicted ticket returns BACKOFF_OK and credits nothing (its tokens stay spent). A
 * refused retry fails at once with BACKOFF_EBUDGET, a status of its own so it is never mistaken for the
 * operation's error; the budget never makes a caller wait for tokens.
 *
 * Time matters only to the Finagle calibration (deposits expire); the others never read a clock. Every
 * function that may read it has an `_at` form. A budget is thread-safe and made to be shared: threads
 * draw on an AWS budget through per-thread leases of its balance, so two threads on one budget cost no
 * more per call than one; the balance stays exact (never overdrawn, never over capacity). The AWS budget
 * takes a lock only when a thread's lease runs out, and at an empty or full balance; the others are
 * lock-free.
 */

/**
 * Retry budget parameters. Each belongs to one calibration; setting one of another calibration than the
 * chosen one makes backoff_budget_new() fail with BACKOFF_EINVAL. Tokens are doubles, rounded to the
 * nearest milli-token.
 *
 * | parameter                                         | calibration | type     | default | domain          |
 * |---------------------------------------------------|-------------|----------|---------|-----------------|
 * | CALIBRATION "calibration"                         | all         | choice   | aws     | a calibration   |
 * | CAPACITY "capacity"                               | aws         | real     | 500     | (0, 1e12]       |
 * | RETRY_COST "retry_cost"                           | aws         | real     | 5       | [0, capacity]   |
 * | TIMEOUT_COST "timeout_cost"                       | aws         | real     | 10      | [0, capacity]   |
 * | THROTTLING_COST "throttling_cost"                 | aws         | real     | 5       | [0, capacity]   |
 * | NO_RETRY_INCREMENT "no_retry_increment"           | aws         | real     | 1       | [0, 1e12]       |
 * | MAX_TOKENS "max_tokens"                           | grpc        | real     | 10      | (0, 1000]       |
 * | TOKEN_RATIO "token_ratio"                         | grpc        | real     | 0.1     | [0.001, 1e12]   |
 * | PERCENT_CAN_RETRY "percent_can_retry"             | finagle     | real     | 0.2     | [0, 1000]       |
 * | MIN_RETRIES_PER_SECOND "min_retries_per_second"   | finagle     | count    | 10      | [0, 1e9]        |
 * | TTL_NS "ttl"                                      | finagle     | duration | 10s     | > 0             |
 *
 * The defaults are each source's own: aws-sdk-go-v2 and aws-c-io (500 / 5 / 10 / 1), gRFC A6's example
 * (10 / 0.1), Finagle's RetryBudget (20 %, 10 per second, 10 s).
 */
typedef enum backoff_budget_param {
  BACKOFF_BUDGET_PARAM_CALIBRATION = 0,
  BACKOFF_BUDGET_PARAM_CAPACITY = 1,
  BACKOFF_BUDGET_PARAM_RETRY_COST = 2,
  BACKOFF_BUDGET_PARAM_TIMEOUT_COST = 3,
  BACKOFF_BUDGET_PARAM_THROTTLING_COST = 4,
  BACKOFF_BUDGET_PARAM_NO_RETRY_INCREMENT = 5,
  BACKOFF_BUDGET_PARAM_MAX_TOKENS = 6,
  BACKOFF_BUDGET_PARAM_TOKEN_RATIO = 7,
  BACKOFF_BUDGET_PARAM_PERCENT_CAN_RETRY = 8,
  BACKOFF_BUDGET_PARAM_MIN_RETRIES_PER_SECOND = 9,
  BACKOFF_BUDGET_PARAM_TTL_NS = 10
} backoff_budget_param;

/** BACKOFF_BUDGET_PARAM_CALIBRATION values. */
typedef enum backoff_budget_calibration {
  BACKOFF_BUDGET_AWS = 0,    /**< "aws" */
  BACKOFF_BUDGET_GRPC = 1,   /**< "grpc" */
  BACKOFF_BUDGET_FINAGLE = 2 /**< "finagle" */
} backoff_budget_calibration;

/** The kind of failure a retry follows. Only the AWS calibration charges them differently. */
typedef enum backoff_error_class {
  BACKOFF_ERROR_ORDINARY = 0,  /**< retry_cost */
  BACKOFF_ERROR_TIMEOUT = 1,   /**< timeouts and transient errors: timeout_cost */
  BACKOFF_ERROR_THROTTLING = 2 /**< the server asked to slow down: throttling_cost */
} backoff_error_class;

/** The counts a budget keeps, read with backoff_budget_get_count(). Both only grow. */
typedef enum backoff_budget_count {
  BACKOFF_BUDGET_COUNT_GRANTED = 0, /**< Withdrawals that passed. */
  BACKOFF_BUDGET_COUNT_REFUSED = 1  /**< Withdrawals refused with BACKOFF_EBUDGET. */
} backoff_budget_count;

/**
 * Looks up a budget parameter by name.
 * @param[out] out  receives the backoff_budget_param value. Must not be NULL.
 * @param name      a NUL-terminated name from the table above. Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or name is NULL; BACKOFF_EUNKNOWN for an unknown name.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_budget_param_from_name(int *out, const char *name);

/**
 * Returns a budget parameter's name, or NULL for an unknown parameter. Static storage.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API const char *backoff_budget_param_name(int param);

/**
 * Returns a budget parameter's backoff_value_type.
 * @return a backoff_value_type (>= 0); BACKOFF_EUNKNOWN for an unknown parameter.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_budget_param_type(int param);

/** A mutable set of budget parameters. Not thread-safe: configure it on one thread. */
typedef struct backoff_budget_config backoff_budget_config;

/**
 * Creates a budget config holding the defaults of the table above (the AWS calibration).
 * @param[out] out  receives the config; free it with backoff_budget_config_free(). Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out is NULL; BACKOFF_ENOMEM. Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_budget_config_new(backoff_budget_config **out);

/**
 * Frees a budget config. NULL is a no-op. Budgets built from it stay valid.
 * Thread safety: no other thread may be using the config. Since: 0.1.
 */
BACKOFF_API void backoff_budget_config_free(backoff_budget_config *config);

/**
 * Sets a DURATION, COUNT or CHOICE budget parameter: CALIBRATION, MIN_RETRIES_PER_SECOND or TTL_NS.
 * @return BACKOFF_OK; BACKOFF_ENULL if config is NULL; BACKOFF_EUNKNOWN for an unknown param or
 *         calibration; BACKOFF_ETYPE if param takes a double; BACKOFF_EINVAL outside the domain.
 * Thread safety: one thread per config. Since: 0.1.
 */
BACKOFF_API int backoff_budget_config_set_i64(backoff_budget_config *config, int param, int64_t value);

/**
 * Sets a REAL budget parameter (a token count or a ratio).
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EUNKNOWN for an unknown param; BACKOFF_ETYPE if param is not
 *         REAL; BACKOFF_EINVAL for NaN, +-inf or a value outside the domain.
 * Thread safety: one thread per config. Since: 0.1.
 */
BACKOFF_API int backoff_budget_config_set_f64(backoff_budget_config *config, int param, double value);

/**
 * Sets a budget parameter from text: "grpc", "0.1", "10s".
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EUNKNOWN for an unknown name or calibration;
 *         BACKOFF_EINVAL for text that does not parse or a value outside the domain.
 * Thread safety: one thread per config. Since: 0.1.
 */
BACKOFF_API int backoff_budget_config_set_text(backoff_budget_config *config, const char *name,
                                               const char *value);

/**
 * A retry budget. Thread-safe: share one between any number of threads. Handles from
 * backoff_budget_new() and from backoff_budget_pool_get() are freed alike with backoff_budget_free().
 */
typedef struct backoff_budget backoff_budget;

/**
 * Creates a budget, full (AWS, gRPC) or holding its reserve (Finagle).
 *
 * Memory (resident, malloc included; docs/scale.md): about 120 bytes while one thread uses it (the
 * handle is the budget itself), its configuration and clock shared with the budgets made before it from
 * equal ones. Once a second thread has used it, it grows by 2.2 KiB of striped balance (AWS) when a thread
 * draws on it, so that threads drawing at once work on cache lines of their own; by 2 KiB of per-thread
 * counters at its first refusal; and by 16 KiB of ticket slots for each thread stripe (at most 32) that is
 * granted a retry, the first thread's first two tickets out at once excepted (they live in the budget).
 *
 * @param[out] out  receives the budget; free it with backoff_budget_free(). Must not be NULL.
 * @param config    must not be NULL; it is copied.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_ENOMEM; BACKOFF_EINVAL if a parameter of another calibration
 *         was set, or an AWS cost exceeds the capacity (no such retry could ever pass).
 * Thread safety: config must not be modified meanwhile. Since: 0.1.
 */
BACKOFF_API int backoff_budget_new(backoff_budget **out, const backoff_budget_config *config);

/**
 * As backoff_budget_new(), with an injected clock; only the Finagle calibration reads it.
 * @return as backoff_budget_new(); BACKOFF_ENULL also if clock is NULL.
 * Thread safety: as backoff_budget_new(); the clock is called from every thread that uses the budget.
 * Since: 0.1.
 */
BACKOFF_API int backoff_budget_new_with_clock(backoff_budget **out, const backoff_budget_config *config,
                                              backoff_clock_fn clock, void *user_data);

/**
 * Frees a budget handle. NULL is a no-op. A budget shared with a pool or another handle lives on there.
 * Thread safety: the last use of this handle; other handles to the same budget are unaffected. Since: 0.1.
 */
BACKOFF_API void backoff_budget_free(backoff_budget *budget);

/**
 * Notes that a logical request starts (its first attempt). Finagle deposits percent_can_retry here; the
 * other calibrations do nothing. Call it once per request, never per attempt.
 * @return BACKOFF_OK; BACKOFF_ENULL if budget is NULL. Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_budget_record_request(backoff_budget *budget);

/**
 * As backoff_budget_record_request(), at the explicit time `now_ns` instead of the handle's clock.
 *
 * @param budget       must not be NULL.
 * @param now_ns       the time of the call on the scale of the handle's clock (any int64_t, negative
 *                     included); the handle's clock is not called.
 * @return BACKOFF_OK; BACKOFF_ENULL if budget is NULL.
 * Thread safety: any thread, concurrently. Since: 0.1.
 */
BACKOFF_API int backoff_budget_record_request_at(backoff_budget *budget, int64_t now_ns);

/**
 * Notes a retryable failure. gRPC takes one token here, down to 0 at least; the others do nothing.
 * Needs no time. @return BACKOFF_OK; BACKOFF_ENULL if budget is NULL. Thread safety: any thread.
 * Since: 0.1.
 */
BACKOFF_API int backoff_budget_record_failure(backoff_budget *budget);

/**
 * Asks to retry: takes the retry's cost now and holds it until the retry's outcome.
 *
 * @param budget           must not be NULL.
 * @param error_class      a backoff_error_class.
 * @param[out] out_ticket  receives the ticket (non-zero) to hand to backoff_budget_record_success() or
 *                         backoff_budget_refund(); 0 when refused. Must not be NULL.
 * @return BACKOFF_OK (granted); BACKOFF_EBUDGET (refused: *out_ticket is 0, backoff_last_error()
 *         unchanged); BACKOFF_ENULL; BACKOFF_EUNKNOWN for an unknown error_class.
 * Thread safety: any thread, concurrently; never overdraws. Since: 0.1.
 */
BACKOFF_API int backoff_budget_withdraw(uint64_t *out_ticket, backoff_budget *budget, int error_class);

/**
 * As backoff_budget_withdraw(), at the explicit time `now_ns` instead of the handle's clock.
 *
 * @param[out] out_ticket  as for backoff_budget_withdraw(). Must not be NULL.
 * @param budget          must not be NULL.
 * @param now_ns          the time of the call on the scale of the handle's clock (any int64_t, negative
 *                        included); the handle's clock is not called.
 * @param error_class     a backoff_error_class.
 * @return BACKOFF_OK (granted); BACKOFF_EBUDGET (refused: *out_ticket is 0, backoff_last_error()
 *         unchanged); BACKOFF_ENULL if out_ticket or budget is NULL; BACKOFF_EUNKNOWN for an unknown
 *         error_class.
 * Thread safety: any thread, concurrently; never overdraws. Since: 0.1.
 */
BACKOFF_API int backoff_budget_withdraw_at(uint64_t *out_ticket, backoff_budget *budget, int64_t now_ns,
                                           int error_class);

/**
 * Notes a successful attempt.
 *
 * @param ticket  the ticket of the retry that succeeded, or 0 if the first attempt succeeded. AWS refunds
 *                a ticket's cost, or adds no_retry_increment for a first attempt; gRPC adds token_ratio
 *                either way; Finagle does nothing. The balance never exceeds the capacity.
 * @return BACKOFF_OK; BACKOFF_ENULL if budget is NULL; BACKOFF_EINVAL, changing nothing, for a ticket this
 *         budget did not issue or that was settled already (see "Tickets" above).
 * Thread safety: any thread; of two threads settling one ticket, one succeeds. Since: 0.1.
 */
BACKOFF_API int backoff_budget_record_success(backoff_budget *budget, uint64_t ticket);

/**
 * As backoff_budget_record_success(), at the explicit time `now_ns` instead of the handle's clock.
 *
 * @param budget       must not be NULL.
 * @param now_ns       the time of the call on the scale of the handle's clock (any int64_t, negative
 *                     included); the handle's clock is not called.
 * @param ticket       a ticket from backoff_budget_withdraw(), or 0 if the first attempt succeeded.
 * @return BACKOFF_OK; BACKOFF_ENULL if budget is NULL; BACKOFF_EINVAL, changing nothing, for a ticket
 *         this budget did not issue or that was settled already.
 * Thread safety: any thread; of two threads settling one ticket, one succeeds. Since: 0.1.
 */
BACKOFF_API int backoff_budget_record_success_at(backoff_budget *budget, int64_t now_ns, uint64_t ticket);

/**
 * Gives a ticket's tokens back, for a retry abandoned before it ran (cancelled while waiting).
 * @param ticket  a ticket from backoff_budget_withdraw(); 0 (a refusal, which holds nothing) is a no-op.
 * @return BACKOFF_OK; BACKOFF_ENULL if budget is NULL; BACKOFF_EINVAL, changing nothing, for a ticket this
 *         budget did not issue or that was settled already (see "Tickets" above).
 * Thread safety: any thread; of two threads settling one ticket, one succeeds. Since: 0.1.
 */
BACKOFF_API int backoff_budget_refund(backoff_budget *budget, uint64_t ticket);

/**
 * As backoff_budget_refund(), at the explicit time `now_ns` instead of the handle's clock.
 *
 * @param budget       must not be NULL.
 * @param now_ns       the time of the call on the scale of the handle's clock (any int64_t, negative
 *                     included); the handle's clock is not called.
 * @param ticket       a ticket from backoff_budget_withdraw(), or 0 is a no-op.
 * @return BACKOFF_OK; BACKOFF_ENULL if budget is NULL; BACKOFF_EINVAL, changing nothing, for a ticket
 *         this budget did not issue or that was settled already.
 * Thread safety: any thread; of two threads settling one ticket, one succeeds. Since: 0.1.
 */
BACKOFF_API int backoff_budget_refund_at(backoff_budget *budget, int64_t now_ns, uint64_t ticket);

/**
 * Reads the balance in milli-tokens (1000 = one token).
 * @param[out] out_milli  receives the balance. Finagle's may be negative for up to a ttl: withdrawals that
 *                        drew on the reserve outlive the deposits before them. Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL. Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_budget_balance(int64_t *out_milli, backoff_budget *budget);

/**
 * As backoff_budget_balance(), at the explicit time `now_ns` instead of the handle's clock.
 *
 * @param[out] out_milli  receives the balance in milli-tokens. Must not be NULL.
 * @param budget         must not be NULL.
 * @param now_ns         the time of the call on the scale of the handle's clock (any int64_t, negative
 *                       included); the handle's clock is not called.
 * @return BACKOFF_OK; BACKOFF_ENULL if out_milli or budget is NULL.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_budget_balance_at(int64_t *out_milli, backoff_budget *budget, int64_t now_ns);

/**
 * Reads one of the budget's counts (a backoff_budget_count).
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EUNKNOWN for an unknown count.
 * Thread safety: any thread, concurrently. Since: 0.1.
 */
BACKOFF_API int backoff_budget_get_count(uint64_t *out, const backoff_budget *budget, int which);

/**
 * Reads back a DURATION, COUNT or CHOICE parameter of the budget's configuration.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EUNKNOWN; BACKOFF_ETYPE. Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_budget_get_i64(int64_t *out, const backoff_budget *budget, int param);

/**
 * Reads back a REAL budget parameter.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or budget is NULL; BACKOFF_EUNKNOWN for an unknown param;
 *         BACKOFF_ETYPE if param is not REAL. Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_budget_get_f64(double *out, const backoff_budget *budget, int param);

#ifdef BACKOFF_EXPERIMENTAL /* see "Experimental tier" at the top */
/**
 * Budgets by key (a host, a partition), so that a failing backend cannot spend a healthy one's retries.
 * Thread-safe. Memory is bounded: the pool holds at most max_keys budgets, and makes room for a new key by
 * dropping the one used least recently (which starts afresh, full, if it comes back).
 */
typedef struct backoff_budget_pool backoff_budget_pool;

/**
 * Creates an empty pool whose budgets all follow `config`.
 * @param[out] out  receives the pool; free it with backoff_budget_pool_free(). Must not be NULL.
 * @param config    must not be NULL; it is copied.
 * @param max_keys  how many budgets the pool may hold, in [1, 2^20].
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_ENOMEM; BACKOFF_EINVAL for max_keys out of range or a config
 *         backoff_budget_new() would reject. Thread safety: config must not be modified meanwhile. Since: 0.1.
 */
BACKOFF_API int backoff_budget_pool_new(backoff_budget_pool **out, const backoff_budget_config *config,
                                        int64_t max_keys);

/**
 * As backoff_budget_pool_new(), with an injected clock for its budgets; only the Finagle calibration
 * reads it. @return as backoff_budget_pool_new(); BACKOFF_ENULL also if clock is NULL.
 * Thread safety: as backoff_budget_pool_new(); the clock is called from every thread that uses one of the
 * pool's budgets. Since: 0.1.
 */
BACKOFF_API int backoff_budget_pool_new_with_clock(backoff_budget_pool **out, const backoff_budget_config *config,
                                                   int64_t max_keys, backoff_clock_fn clock, void *user_data);

/**
 * Frees a pool. NULL is a no-op. Budget handles taken from it stay valid until freed.
 * Thread safety: no other thread may be using the pool. Since: 0.1.
 */
BACKOFF_API void backoff_budget_pool_free(backoff_budget_pool *pool);

/**
 * Gets the budget for a key, creating it on first use.
 *
 * @param pool      must not be NULL.
 * @param key       a NUL-terminated key, compared by a 64-bit hash of its bytes. Must not be NULL.
 * @param[out] out  receives a new handle to the key's budget; free it with backoff_budget_free(). Two
 *                  handles for one key share one budget. Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_ENOMEM.
 * Thread safety: any thread; lock-free for a key the pool holds (a new key takes the pool's lock), and then
 * allocation-free: the handle is the budget, counted once more until backoff_budget_free(). Since: 0.1.
 */
BACKOFF_API int backoff_budget_pool_get(backoff_budget **out, backoff_budget_pool *pool, const char *key);

/**
 * Reads how many budgets the pool holds.
 * @return BACKOFF_OK; BACKOFF_ENULL if pool or out is NULL. Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_budget_pool_size(int64_t *out, const backoff_budget_pool *pool);
#endif /* BACKOFF_EXPERIMENTAL */

/* ===== Adaptive retry: client-side rate limiter ===== */

#ifdef BACKOFF_EXPERIMENTAL /* see "Experimental tier" at the top */
/*
 * The AWS SDKs' "adaptive" retry mode: a rate limiter, shared by every caller of one throttling scope (a
 * service endpoint), that learns how fast the service will take requests and holds every attempt, the
 * first included, to that rate. Use it in front of a service that throttles (HTTP 429, AWS's Throttling
 * error codes) and whose callers can afford to wait before sending; it complements the retry budget,
 * which bounds retries, by pacing attempts. Until the first throttle it never delays anything.
 *
 * A token bucket pays one token an attempt. Its fill rate follows TCP CUBIC: a throttling response cuts
 * it to 0.7 times the rate the client was sending at; other responses grow it back along
 * 0.4 (t - K)^3 + w_max, reaching the throttled rate w_max K = cbrt(w_max 0.3 / 0.4) seconds after the cut
 * and probing above it after that. The rate is never set above twice the measured sending rate (smoothed
 * 0.8 over half-second buckets), nor below 0.5 tokens a second; the bucket holds max(rate, 1) tokens.
 * These are botocore's and aws-sdk-go-v2's constants, fixed rather than parameters (docs/adaptive.md).
 *
 *     backoff_limiter *limiter;  int64_t wait_ns;
 *     backoff_limiter_new(&limiter, 0);                       // once per throttling scope
 *     for (;;) {                                              // before every attempt:
 *         backoff_limiter_acquire(&wait_ns, limiter);
 *         if (wait_ns == 0) break;                            // a token was taken: send now
 *         sleep_ns(wait_ns);                                  // none yet: wait, then ask again
 *     }
 *     int rc = call_service();
 *     backoff_limiter_record(limiter, rc == HTTP_429);         // after every response
 *
 * With backoff_retrier_set_limiter() the retry loop does both steps itself.
 *
 * Threads: every function may be called from any thread on a shared limiter. A small mutex guards the
 * state, as botocore's lock does: one lock per acquire and per record, around a few dozen floating-point
 * operations (bench/bench_adaptive.cpp: an acquire and a record cost 42 ns of CPU at explicit times,
 * 79-107 ns with the monotonic clock read by each). The clock is read before the lock is
 * taken, never under it; a time older than the latest the limiter has seen counts as that latest time.
 */

/** A client-side rate limiter for one throttling scope; see above. Thread-safe. */
typedef struct backoff_limiter backoff_limiter;

/**
 * Creates a limiter on the monotonic clock: gating off, empty bucket, fill rate 0.5/s, capacity 1. Its
 * clock starts at its first acquire or record.
 *
 * @param[out] out   receives the limiter; free it with backoff_limiter_free(). Must not be NULL.
 * @param fail_fast  0: an attempt without a token waits for one (backoff_limiter_acquire() returns
 *                   BACKOFF_OK and the wait); 1: it is refused (BACKOFF_EBUDGET), as aws-sdk-go-v2's
 *                   FailOnNoAttemptTokens. Any other value is invalid.
 * @return BACKOFF_OK; BACKOFF_ENULL if out is NULL; BACKOFF_EINVAL if fail_fast is not 0 or 1
 *         ("fail_fast: must be 0 or 1 (got 7)"); BACKOFF_ENOMEM.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_limiter_new(backoff_limiter **out, int fail_fast);

/**
 * As backoff_limiter_new(), on an injected clock.
 * @param clock      called by acquire and record (not their _at forms) on the calling thread, never under
 *                   the limiter's lock. Must not be NULL.
 * @param user_data  passed to clock unchanged; may be NULL.
 * @return as backoff_limiter_new(); BACKOFF_ENULL also if clock is NULL.
 * Thread safety: any thread; the clock is called from every thread that uses the limiter. Since: 0.1.
 */
BACKOFF_API int backoff_limiter_new_with_clock(backoff_limiter **out, int fail_fast, backoff_clock_fn clock,
                                               void *user_data);

/**
 * Frees a limiter handle. NULL is a no-op. A retrier it is attached to keeps its own reference, so the
 * limiter lives on until that retrier lets it go.
 * Thread safety: the last use of this handle. Since: 0.1.
 */
BACKOFF_API void backoff_limiter_free(backoff_limiter *limiter);

/**
 * Asks to send an attempt: call it before every attempt, the first included.
 *
 * @param[out] out_wait_ns  0: a token was taken, send now. Otherwise no token was taken and this is how
 *                          long until one will be there at the current fill rate (at least 1): wait that
 *                          long and ask again. Must not be NULL.
 * @param limiter           must not be NULL.
 * @return BACKOFF_OK; BACKOFF_EBUDGET from a fail-fast limiter without a token (the attempt should not be
 *         made; *out_wait_ns says when a token would be there; backoff_last_error() unchanged);
 *         BACKOFF_ENULL if out_wait_ns or limiter is NULL.
 * Thread safety: any thread, concurrently; takes the limiter's lock once. Since: 0.1.
 */
BACKOFF_API int backoff_limiter_acquire(int64_t *out_wait_ns, backoff_limiter *limiter);

/**
 * As backoff_limiter_acquire(), at the explicit time `now_ns` (the scale of the limiter's clock, any
 * int64_t) instead of the limiter's clock, which is not called.
 * @return as backoff_limiter_acquire(). Thread safety: as backoff_limiter_acquire(). Since: 0.1.
 */
BACKOFF_API int backoff_limiter_acquire_at(int64_t *out_wait_ns, backoff_limiter *limiter, int64_t now_ns);

/**
 * Records the response to an attempt: after every attempt that was sent, whatever came back.
 *
 * @param limiter    must not be NULL.
 * @param throttled  1: the service said to slow down (HTTP 429 or 503 with Retry-After, AWS's Throttling,
 *                   SlowDown, RequestLimitExceeded... codes): the fill rate is cut. 0: anything else, a
 *                   success or another failure: the fill rate grows. Any other value is invalid.
 * @return BACKOFF_OK; BACKOFF_ENULL if limiter is NULL; BACKOFF_EINVAL if throttled is not 0 or 1
 *         (nothing is recorded).
 * Thread safety: any thread, concurrently; takes the limiter's lock once. Since: 0.1.
 */
BACKOFF_API int backoff_limiter_record(backoff_limiter *limiter, int throttled);

/**
 * As backoff_limiter_record(), at the explicit time `now_ns` instead of the limiter's clock.
 * @return as backoff_limiter_record(). Thread safety: as backoff_limiter_record(). Since: 0.1.
 */
BACKOFF_API int backoff_limiter_record_at(backoff_limiter *limiter, int64_t now_ns, int throttled);

/**
 * Reads the tokens a second the bucket gains (at least 0.5), as of the limiter's latest acquire or record (the clock is not read).
 * @return BACKOFF_OK; BACKOFF_ENULL if out or limiter is NULL.
 * Thread safety: any thread; takes the limiter's lock once. Since: 0.1.
 */
BACKOFF_API int backoff_limiter_fill_rate(double *out, const backoff_limiter *limiter);

/**
 * Reads the client's measured rate of responses a second (smoothed 0.8 over half-second buckets), as of the limiter's latest acquire or record (the clock is not read).
 * @return BACKOFF_OK; BACKOFF_ENULL if out or limiter is NULL.
 * Thread safety: any thread; takes the limiter's lock once. Since: 0.1.
 */
BACKOFF_API int backoff_limiter_measured_rate(double *out, const backoff_limiter *limiter);

/**
 * Reads the most tokens the bucket holds (at least 1), as of the limiter's latest acquire or record (the clock is not read).
 * @return BACKOFF_OK; BACKOFF_ENULL if out or limiter is NULL.
 * Thread safety: any thread; takes the limiter's lock once. Since: 0.1.
 */
BACKOFF_API int backoff_limiter_capacity(double *out, const backoff_limiter *limiter);

/**
 * Reads the tokens in the bucket, in [0, capacity], as of the limiter's latest acquire or record (the clock is not read).
 * @return BACKOFF_OK; BACKOFF_ENULL if out or limiter is NULL.
 * Thread safety: any thread; takes the limiter's lock once. Since: 0.1.
 */
BACKOFF_API int backoff_limiter_tokens(double *out, const backoff_limiter *limiter);

/**
 * Reads 1 once a throttle has been recorded and attempts are gated, else 0, as of the limiter's latest acquire or record (the clock is not read).
 * @return BACKOFF_OK; BACKOFF_ENULL if out or limiter is NULL.
 * Thread safety: any thread; takes the limiter's lock once. Since: 0.1.
 */
BACKOFF_API int backoff_limiter_enabled(int *out, const backoff_limiter *limiter);
#endif /* BACKOFF_EXPERIMENTAL */

/* ===== Server hints ===== */

/**
 * Parses the value of an HTTP Retry-After header into the wait it asks for, in nanoseconds.
 *
 * Pass the result as `hint_ns` to backoff_state_next(): the delay is then at least the server's wait, and
 * still at most the policy's cap, so no header can make a client wait longer than the cap allows. This is
 * the parser libbackoff's own HTTP integrations use; FFI users call it so that every language reads a
 * header the same way.
 *
 * Accepted forms (RFC 9110 sections 10.2.3 and 5.6.7):
 *
 *     "120"                              delta-seconds: 120 s, whatever now_unix_ns is
 *     "Sun, 06 Nov 1994 08:49:37 GMT"    IMF-fixdate: the time from now_unix_ns until then
 *     "Sunday, 06-Nov-94 08:49:37 GMT"   RFC 850 (obsolete): the century is the one that puts the year
 *                                        within 50 years of now_unix_ns
 *     "Sun Nov  6 08:49:37 1994"         asctime (obsolete), read as GMT
 *
 * @param[out] out_ns    receives the wait: >= 0; 0 for a date that is now or past; INT64_MAX for a value
 *                       beyond the int64 range ("99999999999999999999", the year 9999). Written only on
 *                       success. Must not be NULL.
 * @param value          the header's value, NUL-terminated, without the "Retry-After:" name. Must not be
 *                       NULL.
 * @param now_unix_ns    the current wall-clock time in nanoseconds since 1970-01-01 UTC (CLOCK_REALTIME,
 *                       time.time_ns()), which an HTTP-date is measured against. Not the monotonic clock.
 *                       Any value, negative included.
 * @return BACKOFF_OK; BACKOFF_ENULL if out_ns or value is NULL; BACKOFF_EINVAL if value is neither
 *         delta-seconds nor a valid HTTP-date: then the server gave no usable hint, so wait as the policy
 *         says (hint_ns = 0). backoff_last_error() quotes the value.
 * Thread safety: any thread, concurrently. Since: 0.1.
 *
 * Notes:
 *   1. Spaces and tabs around the value are ignored. Month, weekday and "GMT" are matched without
 *      regard to case; a weekday that disagrees with the date is accepted.
 *   2. A field out of range (30 February, hour 24, minute 60) makes the date invalid. Second 60, a leap
 *      second, is the first second of the next minute.
 *   3. Signs, fractions, units and other zones are invalid: "-5", "1.5", "5s", "... 08:49:37 UTC".
 *   4. The function never reads past the terminating NUL, whatever the bytes before it.
 */
BACKOFF_API int backoff_retry_after_parse(int64_t *out_ns, const char *value, int64_t now_unix_ns);

/* ===== Retry loop ===== */

/*
 * A retrier owns the decisions of the loop around one call: attempt; on a retryable failure, wait and
 * attempt again; stop at success or at the first reason to stop. It applies the policy's delays and
 * limits, a server's hint (HTTP Retry-After), and, if you attach them, a circuit breaker's permit for
 * every attempt and a retry budget's tokens for every retry. Two ways to use it:
 *
 *   backoff_retrier_run()  the whole loop: it calls your operation, sleeps (woken at once by
 *                          backoff_retrier_cancel() from any thread), calls your hooks, and returns how the
 *                          call ended. backoff_retry() does the same with the defaults, in one call.
 *   pull style             your own loop (an event loop, coroutines, an FFI runtime that should not take
 *                          callbacks) asks before each attempt and after each failure, and sleeps itself:
 *
 *     int64_t wait_ns, delay_ns, hint_ns;
 *     for (;;) {
 *         if (backoff_retrier_before_attempt(&wait_ns, retrier) != BACKOFF_OK) break;  // circuit open
 *         if (wait_ns > 0) { sleep_ns(wait_ns); continue; }       // a limiter's wait for a send token
 *         int rc = call_service(&hint_ns);
 *         if (rc == 0) { backoff_retrier_on_success(retrier); break; }
 *         if (!retryable(rc)) { backoff_retrier_on_permanent_failure(retrier); break; }
 *         backoff_retrier_on_failure(&delay_ns, retrier, BACKOFF_ERROR_ORDINARY, hint_ns);
 *         if (delay_ns == BACKOFF_STOP) break;                 // backoff_retrier_get_outcome() says why
 *         sleep_ns(delay_ns);
 *     }
 *
 * How a call ends: its backoff_retry_outcome, and the status backoff_retrier_run() returns for it.
 *
 * | outcome                          | run returns        | why                                              |
 * |----------------------------------|--------------------|--------------------------------------------------|
 * | BACKOFF_RETRY_SUCCEEDED          | BACKOFF_OK         | an attempt succeeded                             |
 * | BACKOFF_RETRY_GAVE_UP            | BACKOFF_EGAVEUP    | the next retry would pass MAX_ATTEMPTS or        |
 * |                                  |                    | MAX_ELAPSED                                      |
 * | BACKOFF_RETRY_PERMANENT          | BACKOFF_EPERMANENT | the operation said its failure is not retryable  |
 * | BACKOFF_RETRY_BUDGET_EXHAUSTED   | BACKOFF_EBUDGET    | the retry budget refused the retry               |
 * | BACKOFF_RETRY_CIRCUIT_OPEN       | BACKOFF_EOPEN      | the breaker refused an attempt, or will still    |
 * |                                  |                    | refuse it when the delay ends                    |
 * | BACKOFF_RETRY_CANCELLED          | BACKOFF_ECANCELED  | backoff_retrier_cancel(), a sleep or a hook      |
 * | BACKOFF_RETRY_DEADLINE_EXCEEDED  | BACKOFF_EDEADLINE  | the deadline came before the next attempt, or    |
 * |                                  |                    | would come before its delay ends                 |
 *
 * The breaker. Before each attempt the retrier takes a permit. A refusal ends the call at once with the
 * breaker's remaining cooldown rather than waiting it out: a breaker is there to fail fast, and callers
 * that slept through the open period would all arrive at its end, where half-open admits only a few
 * probes. A failure that leaves the breaker open for longer than the next delay ends the call at once
 * too, since that retry could only be refused. Each attempt's result and duration (for the slow-call rule)
 * are recorded against its permit: a success, a failure for a retryable failure, and ignored for a
 * permanent one, which is the request's fault (a 400, a 404) rather than a sign the service is failing.
 *
 * The budget. A call's first attempt counts as one request. Each retry withdraws its cost when it is
 * decided, charged by the failure's error class, and holds it while it waits; a retry that succeeds
 * settles it (AWS refunds it), one that fails has spent it, one cancelled before it runs gets it back.
 * A refusal ends the call with BACKOFF_RETRY_BUDGET_EXHAUSTED, never mistaken for the operation's own
 * error. For a budget per key, attach the key's budget from backoff_budget_pool_get().
 *
 * Time. MAX_ELAPSED counts from the call's first failure, so that a slow first attempt does not use up
 * the retry window (the Python package counts the same way); a retry that would end past it is not made.
 * That needs the first attempt announced with backoff_retrier_before_attempt(), as backoff_retrier_run()
 * always does; otherwise the window starts at backoff_retrier_new() or the last reset.
 * The retrier reads its clock (monotonic, or the one backoff_retrier_set_clock() gave it) only when a
 * decision needs the time, and hands its times to the breaker and the budget: give those the same clock.
 * Every function that needs the time has an `_at` form taking `now_ns`.
 * The deadline bounds the whole call, its first attempt included: the earlier of the policy's DEADLINE
 * after the call's start (backoff_retrier_new(), the last reset, or backoff_retrier_run()'s start) and
 * the caller's own, backoff_retrier_set_deadline_at() (a request's timeout, a context's deadline). No
 * attempt starts once it has come, and no wait runs into it: when a retry's delay would end at or past
 * it, the call ends at once (BACKOFF_RETRY_DEADLINE_EXCEEDED) instead of sleeping only to be refused the
 * attempt on waking. A call that MAX_ATTEMPTS or MAX_ELAPSED also ends reports BACKOFF_RETRY_GAVE_UP.
 * STOP_WHEN (any or all) combines MAX_ATTEMPTS and MAX_ELAPSED only: the deadline is a hard bound under both.
 *
 * Threads. A retrier belongs to one thread at a time, like a backoff_state; only backoff_retrier_cancel()
 * may be called from any thread. The breaker and the budget are shared and thread-safe. Callbacks run on
 * the thread that called backoff_retrier_run(), never under an internal lock; from inside one, every
 * function of the same retrier but the getters and backoff_retrier_cancel() returns BACKOFF_EREENTRANT.
 * Callbacks must return normally: no longjmp, no exception or panic unwinding through the library.
 */

/** What one attempt of the operation came to: the return value of a backoff_attempt_fn. */
typedef enum backoff_attempt {
  BACKOFF_ATTEMPT_NONE = -1,      /**< Only from backoff_retrier_run()'s out_op_status: op never ran. */
  BACKOFF_ATTEMPT_SUCCESS = 0,    /**< Done: the call succeeded. */
  BACKOFF_ATTEMPT_RETRYABLE = 1,  /**< Failed; worth retrying. The budget charges BACKOFF_ERROR_ORDINARY. */
  BACKOFF_ATTEMPT_PERMANENT = 2,  /**< Failed; retrying cannot help (a 400, a 404): the call ends. */
  BACKOFF_ATTEMPT_TIMEOUT = 3,    /**< Retryable: a timeout or transient error (BACKOFF_ERROR_TIMEOUT). */
  BACKOFF_ATTEMPT_THROTTLED = 4   /**< Retryable: the server asked to slow down (BACKOFF_ERROR_THROTTLING). */
} backoff_attempt;

/** Where a retried call stands (backoff_retrier_get_outcome()). Every value but PENDING is final. */
typedef enum backoff_retry_outcome {
  BACKOFF_RETRY_PENDING = 0,          /**< Not ended: the next attempt may go ahead. */
  BACKOFF_RETRY_SUCCEEDED = 1,        /**< An attempt succeeded. */
  BACKOFF_RETRY_GAVE_UP = 2,          /**< MAX_ATTEMPTS or MAX_ELAPSED stopped the retries. */
  BACKOFF_RETRY_PERMANENT = 3,        /**< A failure was not retryable. */
  BACKOFF_RETRY_BUDGET_EXHAUSTED = 4, /**< The retry budget refused a retry. */
  BACKOFF_RETRY_CIRCUIT_OPEN = 5,     /**< The breaker refused an attempt, or would have. */
  BACKOFF_RETRY_CANCELLED = 6,        /**< The call was given up before its next attempt. */
  BACKOFF_RETRY_DEADLINE_EXCEEDED = 7 /**< The deadline came, or would before the next attempt. Since 0.2. */
} backoff_retry_outcome;

/**
 * The operation backoff_retrier_run() retries: makes one attempt and says what it came to.
 *
 * @param[out] out_hint_ns  0 on entry. Set it to a server's "retry after" in nanoseconds to wait at least
 *                          that long (still at most the policy's cap) and to keep a breaker this failure
 *                          opens open at least that long. Must not be made negative.
 * @param user_data         as given to backoff_retrier_run().
 * @return a backoff_attempt other than BACKOFF_ATTEMPT_NONE.
 */
typedef int (*backoff_attempt_fn)(int64_t *out_hint_ns, void *user_data);

/**
 * A sleep: waits `delay_ns` nanoseconds. Inject one to run without real time in tests, or to sleep the
 * way a runtime wants. backoff_retrier_cancel() cannot interrupt it; it is checked when the sleep returns.
 *
 * @return 0 after the whole delay; any other value cancels the call (BACKOFF_ECANCELED).
 */
typedef int (*backoff_sleep_fn)(int64_t delay_ns, void *user_data);

/**
 * Called before each sleep, once the retry is decided: tenacity's before_sleep, backoff's on_backoff.
 *
 * @param failures  failed attempts so far (1 before the first retry).
 * @param delay_ns  the sleep about to start.
 * @return 0 to go on; any other value cancels the call (BACKOFF_ECANCELED) and gives back the retry's
 *         tokens.
 */
typedef int (*backoff_before_sleep_fn)(uint64_t failures, int64_t delay_ns, void *user_data);

/**
 * Called once when a call ends without success, with the status backoff_retrier_run() is about to return
 * (BACKOFF_EGAVEUP, BACKOFF_EDEADLINE, BACKOFF_EPERMANENT, BACKOFF_EBUDGET, BACKOFF_EOPEN or
 * BACKOFF_ECANCELED) and the number of attempts made. Returns 0; other values are ignored, as the call has already ended.
 */
typedef int (*backoff_giveup_fn)(int status, uint64_t attempts, void *user_data);

/**
 * Called once when a call succeeds, with the number of attempts it took (1 when the first succeeded).
 * Returns 0; other values are ignored, as the call has already ended.
 */
typedef int (*backoff_success_fn)(uint64_t attempts, void *user_data);

/** A retry loop and the state of the call it is running. One thread at a time; see above. */
typedef struct backoff_retrier backoff_retrier;

/**
 * Creates a retrier ready for a call, on the monotonic clock, sleeping for real, with no breaker, budget or
 * hooks.
 *
 * @param[out] out  receives the retrier; free it with backoff_retrier_free(). Must not be NULL.
 * @param policy    must not be NULL; the retrier keeps its own copy, so the policy may be freed.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or policy is NULL; BACKOFF_ENOMEM.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_new(backoff_retrier **out, const backoff_policy *policy);

/**
 * Frees a retrier. NULL is a no-op. A call still going is given up first, so the tokens of a retry it
 * decided go back to the budget (at the time of the retrier's clock, which must still work) and the permit
 * of an attempt it began goes back to the breaker.
 * Thread safety: the last use of the retrier; no backoff_retrier_cancel() may be running on it. Since: 0.1.
 */
BACKOFF_API void backoff_retrier_free(backoff_retrier *retrier);

#ifdef BACKOFF_EXPERIMENTAL /* see "Experimental tier" at the top */
/**
 * Attaches a circuit breaker, or detaches it with NULL. Attach between calls; a permit the current call
 * holds from the breaker replaced is released to it first.
 *
 * @param retrier  must not be NULL.
 * @param breaker  not owned: it must outlive its use by the retrier. May be shared by any number of
 *                 retriers and threads. NULL detaches.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL; BACKOFF_EREENTRANT from a callback of this
 *         retrier. Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_set_breaker(backoff_retrier *retrier, backoff_breaker *breaker);

/**
 * Attaches a retry budget, or detaches it with NULL. Attach between calls; tokens the current call holds
 * from the budget replaced are refunded to it first.
 *
 * @param retrier  must not be NULL.
 * @param budget   a budget from backoff_budget_new() or, for a budget per key, backoff_budget_pool_get().
 *                 The retrier holds its own reference: the handle may be freed, and the pool may drop the
 *                 key, while the retrier still uses the budget. NULL detaches.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL; BACKOFF_ENOMEM; BACKOFF_EREENTRANT from a
 *         callback of this retrier. Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_set_budget(backoff_retrier *retrier, backoff_budget *budget);

/**
 * Attaches an adaptive limiter, or detaches it with NULL; attach between calls. Before each attempt the
 * retrier asks it for a send token first: without one, backoff_retrier_before_attempt() returns BACKOFF_OK
 * with the wait in *out_wait_ns (sleep it and call again; the attempt goes ahead at 0), or, from a
 * fail-fast limiter, ends the call as BACKOFF_RETRY_BUDGET_EXHAUSTED (BACKOFF_EBUDGET); backoff_retrier_run()
 * sleeps and asks again itself. Every attempt's result is recorded: a failure whose error class is
 * BACKOFF_ERROR_THROTTLING (BACKOFF_ATTEMPT_THROTTLED in the run loop) as a throttle, anything else not.
 *
 * @param retrier  must not be NULL.
 * @param limiter  the retrier holds its own reference: the handle may be freed while the retrier still
 *                 uses the limiter. Share one limiter among every retrier of a throttling scope. NULL
 *                 detaches.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL; BACKOFF_EREENTRANT from a callback of this
 *         retrier. Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_set_limiter(backoff_retrier *retrier, backoff_limiter *limiter);
#endif /* BACKOFF_EXPERIMENTAL */

/**
 * Replaces the retrier's clock, or goes back to the monotonic clock with NULL, and starts a new call on it
 * (as backoff_retrier_reset()): times from two clocks do not mix.
 *
 * @param clock      read on the calling thread, never under an internal lock: once here, to start the new
 *                   call, and then only when a decision needs the time. May be NULL.
 * @param user_data  passed to clock unchanged; may be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL; BACKOFF_EREENTRANT from a callback of this
 *         retrier. Thread safety: one thread per retrier. Since: 0.1.
 *
 * Notes:
 *   1. The default sleep waits in real time whatever the clock says; inject a sleep that moves your clock
 *      along with it (backoff_retrier_set_sleep()).
 */
BACKOFF_API int backoff_retrier_set_clock(backoff_retrier *retrier, backoff_clock_fn clock, void *user_data);

/**
 * Replaces the sleep of backoff_retrier_run(), or goes back to the default with NULL. The default waits on a
 * condition variable that backoff_retrier_cancel() signals, so a cancellation ends it at once.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL; BACKOFF_EREENTRANT from a callback of this
 *         retrier. Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_set_sleep(backoff_retrier *retrier, backoff_sleep_fn sleep, void *user_data);

/**
 * Sets the hook backoff_retrier_run() calls before each sleep; NULL removes it.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL; BACKOFF_EREENTRANT from a callback of this
 *         retrier. Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_set_before_sleep(backoff_retrier *retrier, backoff_before_sleep_fn hook,
                                                 void *user_data);

/**
 * Sets the hook backoff_retrier_run() calls when a call ends without success; NULL removes it.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL; BACKOFF_EREENTRANT from a callback of this
 *         retrier. Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_set_on_giveup(backoff_retrier *retrier, backoff_giveup_fn hook, void *user_data);

/**
 * Sets the hook backoff_retrier_run() calls when a call succeeds; NULL removes it.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL; BACKOFF_EREENTRANT from a callback of this
 *         retrier. Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_set_on_success(backoff_retrier *retrier, backoff_success_fn hook, void *user_data);

/**
 * Runs a call: attempts `op` until it succeeds or a reason to stop comes (see the table above), sleeping
 * between attempts. It starts a new call first, as backoff_retrier_reset() does, except that a pending
 * cancellation stays pending.
 *
 *     before each attempt   a cancellation ends the call; the breaker admits the attempt or ends the call
 *     op(&hint, user_data)  SUCCESS ends the call; PERMANENT ends it; RETRYABLE, TIMEOUT, THROTTLED:
 *     decide                the policy, the breaker and the budget say retry after a delay, or stop
 *     before_sleep hook     may cancel
 *     sleep                 may be cancelled
 *
 * then calls on_success or on_giveup once, and returns.
 *
 * @param retrier            must not be NULL.
 * @param op                 the operation. Must not be NULL.
 * @param user_data          passed to op unchanged; may be NULL.
 * @param[out] out_op_status receives the value op returned on its last attempt, or BACKOFF_ATTEMPT_NONE
 *                           if op never ran. Written whenever the arguments are not NULL. Must not be NULL.
 * @return BACKOFF_OK (succeeded); BACKOFF_EGAVEUP; BACKOFF_EDEADLINE; BACKOFF_EPERMANENT; BACKOFF_EBUDGET;
 *         BACKOFF_EOPEN; BACKOFF_ECANCELED: how the call ended, as in the table above, leaving backoff_last_error()
 *         unchanged. Errors: BACKOFF_ENULL; BACKOFF_EREENTRANT from a callback of this retrier;
 *         BACKOFF_EUNKNOWN if op returned a value that is not a backoff_attempt, BACKOFF_EINVAL if it set a
 *         negative hint (both end the call as a permanent failure, without hooks); BACKOFF_ENOMEM.
 * Thread safety: one thread per retrier; backoff_retrier_cancel() from any thread. Since: 0.1.
 *
 * Notes:
 *   1. A retrier may run any number of calls, one after another; each starts afresh (attempts, elapsed
 *      time), while the breaker and the budget keep what earlier calls taught them.
 *   2. op's own error (errno, an HTTP status) is op's to keep, in user_data: run's status says only why
 *      the retrying ended.
 */
BACKOFF_API int backoff_retrier_run(int *out_op_status, backoff_retrier *retrier, backoff_attempt_fn op,
                                    void *user_data);

/**
 * Runs `op` with `policy` as backoff_retrier_run() does on a fresh retrier: monotonic clock, real sleep, no
 * breaker, budget, hooks or cancellation.
 * The policy is run as it is: one without limits retries until op succeeds or fails permanently. For the
 * bounded default of a loop given no stop, set the policy's stops from BACKOFF_FIELD_RETRY_DEFAULT (see
 * "Defaults of a retry loop" under the policy parameters).
 *
 * @param policy             must not be NULL.
 * @param op                 must not be NULL.
 * @param user_data          passed to op unchanged; may be NULL.
 * @param[out] out_op_status as for backoff_retrier_run(). Must not be NULL.
 * @return as backoff_retrier_run(), BACKOFF_EREENTRANT and BACKOFF_ECANCELED aside.
 * Thread safety: any thread, concurrently (each call has its own state). Since: 0.1.
 */
BACKOFF_API int backoff_retry(int *out_op_status, const backoff_policy *policy, backoff_attempt_fn op,
                              void *user_data);

/**
 * Asks the call in progress to stop: a sleep of the default kind ends at once, and the call ends with
 * BACKOFF_ECANCELED before its next attempt (an attempt already running is not interrupted; if it succeeds,
 * the call succeeds). Tokens held for the retry go back to the budget.
 *
 * The request stays until backoff_retrier_reset() (or backoff_retrier_set_clock()): a call started after it
 * ends at once, so a cancellation that races with the start of a call is never lost.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL.
 * Thread safety: any thread, any time, also from a callback of this retrier; only freeing the retrier
 * must wait until it has returned. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_cancel(backoff_retrier *retrier);

/**
 * Starts a new call: attempts, outcome and elapsed time start over, and a pending cancellation is
 * forgotten. Whatever the old call still held goes back (its permit to the breaker, its tokens to the
 * budget). The breaker, budget, clock, sleep and hooks stay.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL; BACKOFF_EREENTRANT from a callback of this
 *         retrier. Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_reset(backoff_retrier *retrier);

/**
 * As backoff_retrier_reset(), at the explicit time `now_ns` instead of the handle's clock: the new call's
 * elapsed time starts at now_ns.
 *
 * @param retrier      must not be NULL.
 * @param now_ns       the time of the call on the scale of the handle's clock (any int64_t, negative
 *                     included); the handle's clock is not called.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL; BACKOFF_EREENTRANT from a callback of this retrier.
 * Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_reset_at(backoff_retrier *retrier, int64_t now_ns);

/**
 * Sets a deadline of the caller's own, for callers that carry one (a request's timeout, a Go context's
 * deadline): no attempt starts at or after it, and no retry waits into it (see "Time" above). The call's
 * deadline is the earlier of this one and the policy's DEADLINE after the call's start.
 *
 * @param retrier      must not be NULL.
 * @param deadline_ns  an instant on the scale of the handle's clock (backoff_monotonic_now_ns() for the
 *                     default one), any int64_t; INT64_MAX: none, the default.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL; BACKOFF_EREENTRANT from a callback of this
 *         retrier. Thread safety: one thread per retrier. Since: 0.2.
 *
 * Notes:
 *   1. It stays through backoff_retrier_reset() and backoff_retrier_run() until set again, so set it
 *      before run; a retrier reused for another call needs that call's deadline (or INT64_MAX).
 *      backoff_retrier_set_clock() drops it: it is an instant of the old clock.
 *   2. A deadline already past ends the next call at its first backoff_retrier_before_attempt(), with no
 *      attempt made.
 */
BACKOFF_API int backoff_retrier_set_deadline_at(backoff_retrier *retrier, int64_t deadline_ns);

/**
 * Reads the current call's deadline: the earlier of the caller's (backoff_retrier_set_deadline_at()) and
 * the policy's DEADLINE after the call's start, on the scale of the handle's clock; INT64_MAX when there
 * is none. A caller can bound each attempt's own timeout by it.
 *
 * @param[out] out_ns  receives the deadline. Must not be NULL.
 * @param retrier      must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out_ns or retrier is NULL.
 * Thread safety: one thread per retrier; also from its callbacks. Since: 0.2.
 */
BACKOFF_API int backoff_retrier_deadline(int64_t *out_ns, const backoff_retrier *retrier);

/**
 * Pull style: asks whether the next attempt may go ahead, and takes the breaker's permit for it.
 *
 * Call it before every attempt, the first included (the budget counts the call's request there, and the
 * call's elapsed time then counts from its first failure).
 *
 * @param retrier           must not be NULL.
 * @param[out] out_wait_ns  receives 0 when the attempt may go ahead; with BACKOFF_OK and a value above 0,
 *                          an attached limiter has no send token yet: sleep that long and ask again. When
 *                          the breaker refuses the attempt, its remaining cooldown (0 when half-open with
 *                          every probe slot taken, INT64_MAX when isolated); when a fail-fast limiter
 *                          does, the wait until it would have a token. Must not be NULL.
 * @return BACKOFF_OK (go ahead, or wait and ask again); BACKOFF_EOPEN (refused: the call has ended,
 *         backoff_last_error() unchanged); BACKOFF_EDEADLINE (the deadline has come, or the limiter's wait
 *         would pass it: the call has ended, giving back what it held; out_wait_ns 0); BACKOFF_EBUDGET (a
 *         fail-fast limiter refused: the call has ended, backoff_last_error() unchanged);
 *         BACKOFF_ECANCELED (backoff_retrier_cancel() was called: the call ends, giving back what it
 *         held); BACKOFF_ENULL; BACKOFF_EINVAL once the call has ended (reset it to start another);
 *         BACKOFF_EREENTRANT from a callback of this retrier; BACKOFF_ENOMEM.
 * Thread safety: one thread per retrier. Since: 0.1.
 *
 * Notes:
 *   1. An attempt that goes ahead holds a permit until it is reported with backoff_retrier_on_failure(),
 *      _on_success() or _on_permanent_failure(). Asking again without reporting releases it unused.
 */
BACKOFF_API int backoff_retrier_before_attempt(int64_t *out_wait_ns, backoff_retrier *retrier);

/**
 * As backoff_retrier_before_attempt(), at the explicit time `now_ns` instead of the handle's clock.
 *
 * @param[out] out_wait_ns  as for backoff_retrier_before_attempt(). Must not be NULL.
 * @param retrier           must not be NULL.
 * @param now_ns            the time of the call on the scale of the handle's clock (any int64_t, negative
 *                          included); the handle's clock is not called.
 * @return as backoff_retrier_before_attempt(): BACKOFF_OK (go ahead, or wait and ask again); BACKOFF_EOPEN;
 *         BACKOFF_EDEADLINE; BACKOFF_EBUDGET; BACKOFF_ECANCELED; BACKOFF_ENULL if out_wait_ns or retrier is
 *         NULL; BACKOFF_EINVAL
 *         once the call has ended; BACKOFF_EREENTRANT from a callback of this retrier; BACKOFF_ENOMEM.
 * Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_before_attempt_at(int64_t *out_wait_ns, backoff_retrier *retrier, int64_t now_ns);

/**
 * Pull style: records a retryable failure of the latest attempt and decides whether to retry.
 *
 * @param retrier           must not be NULL.
 * @param error_class       a backoff_error_class: what the budget charges the retry as.
 * @param hint_ns           a server's "retry after", or 0 for none: the delay is at least the hint and still
 *                          at most the cap, and a breaker this failure opens stays open at least that long.
 * @param[out] out_delay_ns receives the delay before the next attempt, or BACKOFF_STOP when the call has
 *                          ended; backoff_retrier_get_outcome() then says why. Must not be NULL.
 * @return BACKOFF_OK, whether it retries or stops; BACKOFF_ENULL; BACKOFF_EINVAL if hint_ns < 0;
 *         BACKOFF_EUNKNOWN for an unknown error_class; BACKOFF_EREENTRANT from a callback of this
 *         retrier; BACKOFF_ENOMEM.
 * Thread safety: one thread per retrier. Since: 0.1.
 *
 * Notes:
 *   1. After the call has ended, it records nothing and writes BACKOFF_STOP again.
 *   2. The delay is not slept by the retrier: sleep it, then call backoff_retrier_before_attempt(). If you
 *      give up meanwhile, backoff_retrier_reset() or backoff_retrier_free() gives the retry's tokens back.
 */
BACKOFF_API int backoff_retrier_on_failure(int64_t *out_delay_ns, backoff_retrier *retrier, int error_class,
                                           int64_t hint_ns);

/**
 * As backoff_retrier_on_failure(), at the explicit time `now_ns` instead of the handle's clock.
 *
 * @param[out] out_delay_ns  as for backoff_retrier_on_failure(). Must not be NULL.
 * @param retrier            must not be NULL.
 * @param now_ns             the time of the call on the scale of the handle's clock (any int64_t, negative
 *                           included); the handle's clock is not called.
 * @param error_class, hint_ns  as for backoff_retrier_on_failure().
 * @return BACKOFF_OK, whether it retries or stops; BACKOFF_ENULL if out_delay_ns or retrier is NULL;
 *         BACKOFF_EINVAL if hint_ns < 0; BACKOFF_EUNKNOWN for an unknown error_class;
 *         BACKOFF_EREENTRANT from a callback of this retrier; BACKOFF_ENOMEM.
 * Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_on_failure_at(int64_t *out_delay_ns, backoff_retrier *retrier, int64_t now_ns,
                                              int error_class, int64_t hint_ns);

/**
 * Pull style: records that the latest attempt succeeded; the call ends with BACKOFF_RETRY_SUCCEEDED. The
 * breaker records a success, the budget settles the retry's tokens. Nothing happens once the call has
 * ended.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EREENTRANT from a callback of this retrier; BACKOFF_ENOMEM.
 * Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_on_success(backoff_retrier *retrier);

/**
 * As backoff_retrier_on_success(), at the explicit time `now_ns` instead of the handle's clock.
 *
 * @param retrier      must not be NULL.
 * @param now_ns       the time of the call on the scale of the handle's clock (any int64_t, negative
 *                     included); the handle's clock is not called.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL; BACKOFF_EREENTRANT from a callback of this retrier;
 *         BACKOFF_ENOMEM.
 * Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_on_success_at(backoff_retrier *retrier, int64_t now_ns);

/**
 * Pull style: records a failure of the latest attempt that must not be retried; the call ends with
 * BACKOFF_RETRY_PERMANENT. It counts as a failed attempt; the breaker records it as ignored. Nothing
 * happens once the call has ended.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EREENTRANT from a callback of this retrier; BACKOFF_ENOMEM.
 * Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_on_permanent_failure(backoff_retrier *retrier);

/**
 * As backoff_retrier_on_permanent_failure(), at the explicit time `now_ns` instead of the handle's clock.
 *
 * @param retrier      must not be NULL.
 * @param now_ns       the time of the call on the scale of the handle's clock (any int64_t, negative
 *                     included); the handle's clock is not called.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL; BACKOFF_EREENTRANT from a callback of this retrier;
 *         BACKOFF_ENOMEM.
 * Thread safety: one thread per retrier. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_on_permanent_failure_at(backoff_retrier *retrier, int64_t now_ns);

/**
 * Reads where the current call stands.
 * @param[out] out  receives a backoff_retry_outcome. Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier or out is NULL.
 * Thread safety: one thread per retrier; also from its callbacks. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_get_outcome(int *out, const backoff_retrier *retrier);

/**
 * Reads how many attempts of the current call have a known result: the failures, plus one if it succeeded.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier or out is NULL.
 * Thread safety: one thread per retrier; also from its callbacks. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_attempts(uint64_t *out, const backoff_retrier *retrier);

/**
 * Reads how many attempts of the current call failed, permanent failure included.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier or out is NULL.
 * Thread safety: one thread per retrier; also from its callbacks. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_failures(uint64_t *out, const backoff_retrier *retrier);

/**
 * Reads the sum of the delays the current call was given (saturating at INT64_MAX): the time it spent
 * waiting, or was meant to. @return BACKOFF_OK; BACKOFF_ENULL if retrier or out_ns is NULL.
 * Thread safety: one thread per retrier; also from its callbacks. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_idle(int64_t *out_ns, const backoff_retrier *retrier);

/**
 * Reads the current call's elapsed time, the one MAX_ELAPSED limits: since its first failure if its first
 * attempt went through backoff_retrier_before_attempt() (those of backoff_retrier_run() always do), and
 * otherwise since the retrier was created or last reset; 0 if the clock went backwards.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier or out_ns is NULL.
 * Thread safety: one thread per retrier; also from its callbacks. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_elapsed(int64_t *out_ns, const backoff_retrier *retrier);

/**
 * As backoff_retrier_elapsed(), at the explicit time `now_ns` instead of the handle's clock: now_ns minus
 * the call's start, 0 if now_ns is earlier.
 *
 * @param[out] out_ns  receives the elapsed time, >= 0. Must not be NULL.
 * @param retrier      must not be NULL.
 * @param now_ns       the time of the call on the scale of the handle's clock (any int64_t, negative
 *                     included); the handle's clock is not called.
 * @return BACKOFF_OK; BACKOFF_ENULL if out_ns or retrier is NULL.
 * Thread safety: one thread per retrier; also from its callbacks. Since: 0.1.
 */
BACKOFF_API int backoff_retrier_elapsed_at(int64_t *out_ns, const backoff_retrier *retrier, int64_t now_ns);

/* ===== Observability: retry statistics, names and snapshots ===== */

#ifdef BACKOFF_EXPERIMENTAL /* see "Experimental tier" at the top */
/*
 * Every number a metrics exporter reads, in one call per object. A backoff_retry_stats collects what the
 * retriers attached to it decide (one per retried operation, typically); a breaker and a budget count on
 * their own. Each object may carry a name, the label an exporter gives its numbers.
 *
 * Counting is lock-free: the counters are striped per thread, so threads do not contend on a cache line,
 * and a breaker's or a budget's fast path pays nothing more for being observed. Lifetime counters only
 * grow, and stop at UINT64_MAX rather than wrap.
 *
 * Snapshot structs grow at their end in later versions. Set `size` to sizeof the struct before the call:
 * the library fills the fields it knows that fit in `size` bytes and sets `size` to the bytes it wrote. A
 * program built against an older header gets the fields it knows; one built against a newer header learns
 * from `size` which fields this library filled (it leaves the others as they were). Fields are uint64_t or
 * int64_t only, so the layout has no padding in any language. Array entries past the last value of their
 * enum are 0.
 */

/** Lifetime statistics shared by the retriers attached to them. Opaque. */
typedef struct backoff_retry_stats backoff_retry_stats;

/** Room for values of backoff_retry_outcome in backoff_retry_stats_snapshot.ends. */
#define BACKOFF_SNAPSHOT_OUTCOMES 16
/** Room for values of backoff_breaker_count and backoff_breaker_state in backoff_breaker_snapshot. */
#define BACKOFF_SNAPSHOT_BREAKER_COUNTS 32
#define BACKOFF_SNAPSHOT_BREAKER_STATES 8

/** What backoff_retry_stats_get_snapshot() reads; 168 bytes in version 0.2. */
typedef struct backoff_retry_stats_snapshot {
  uint64_t size;        /**< [in] sizeof the struct as the caller knows it, at least 168; [out] bytes written. */
  uint64_t failures;    /**< Failed attempts, retried or not (permanent ones included). */
  uint64_t retries;     /**< Retries decided; each waited its delay. */
  uint64_t slept_ns;    /**< The sum of those delays, saturating. */
  uint64_t max_elapsed; /**< The part of ends[BACKOFF_RETRY_GAVE_UP] that MAX_ELAPSED stopped; the rest ran
                             out of MAX_ATTEMPTS. */
  /** Calls ended, by backoff_retry_outcome: ends[BACKOFF_RETRY_SUCCEEDED] counts the calls that succeeded,
   *  which are also the successful attempts; every other final outcome is a reason for giving up.
   *  ends[BACKOFF_RETRY_PENDING] is 0. */
  uint64_t ends[BACKOFF_SNAPSHOT_OUTCOMES];
} backoff_retry_stats_snapshot;

/** What backoff_breaker_get_snapshot() reads; 784 bytes in version 0.2. */
typedef struct backoff_breaker_snapshot {
  uint64_t size;  /**< [in] sizeof the struct as the caller knows it, at least 784; [out] bytes written. */
  int64_t state;  /**< The stored backoff_breaker_state, as backoff_breaker_state() reports it. */
  /** Every count of backoff_breaker_get_count(), indexed by backoff_breaker_count. */
  uint64_t counts[BACKOFF_SNAPSHOT_BREAKER_COUNTS];
  /** Transitions over the breaker's life, forced ones included: [from][to], by backoff_breaker_state. */
  uint64_t transitions[BACKOFF_SNAPSHOT_BREAKER_STATES][BACKOFF_SNAPSHOT_BREAKER_STATES];
} backoff_breaker_snapshot;

/** What backoff_budget_get_snapshot() reads; 32 bytes in version 0.2. */
typedef struct backoff_budget_snapshot {
  uint64_t size;          /**< [in] sizeof the struct as the caller knows it, at least 32; [out] bytes written. */
  int64_t balance_milli;  /**< As backoff_budget_balance(). */
  uint64_t granted;       /**< Withdrawals granted (BACKOFF_BUDGET_COUNT_GRANTED). */
  uint64_t refused;       /**< Withdrawals refused (BACKOFF_BUDGET_COUNT_REFUSED). */
} backoff_budget_snapshot;

/**
 * Creates empty retry statistics, to attach to any number of retriers with backoff_retrier_set_stats().
 *
 * @param[out] out  receives the handle; free it with backoff_retry_stats_free(). Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out is NULL; BACKOFF_ENOMEM.
 * Thread safety: any thread. Cost: 168 bytes, and 2 KiB per 8 counters once a second thread records.
 * Since: 0.2.
 */
BACKOFF_API int backoff_retry_stats_new(backoff_retry_stats **out);

/**
 * Frees retry statistics. NULL is a no-op.
 * Thread safety: the last use; no retrier may still have them attached. Since: 0.2.
 */
BACKOFF_API void backoff_retry_stats_free(backoff_retry_stats *stats);

/**
 * Attaches retry statistics to a retrier, or detaches them with NULL. From then on every step of the
 * retrier records into them: each failed attempt, each retry and its delay, and how each call ended.
 *
 * @param retrier  must not be NULL.
 * @param stats    not owned: it must outlive its use by the retrier. May be shared by any number of
 *                 retriers and threads. NULL detaches.
 * @return BACKOFF_OK; BACKOFF_ENULL if retrier is NULL; BACKOFF_EREENTRANT from a callback of this
 *         retrier. Thread safety: one thread per retrier. Since: 0.2.
 */
BACKOFF_API int backoff_retrier_set_stats(backoff_retrier *retrier, backoff_retry_stats *stats);

/**
 * Reads every counter of retry statistics at once.
 *
 * @param[out] out  receives the counters; set out->size first (see above). Must not be NULL.
 * @param stats     must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or stats is NULL; BACKOFF_EINVAL if out->size is below 168.
 * Thread safety: any thread, while retriers record. Each counter is exact at some moment of the call;
 * counters being written meanwhile may be read one event apart. Cost: a sum over the thread stripes of
 * each counter: at most 12 x 33 relaxed loads, no lock. Since: 0.2.
 */
BACKOFF_API int backoff_retry_stats_get_snapshot(backoff_retry_stats_snapshot *out, const backoff_retry_stats *stats);

/**
 * Reads a breaker's state, every count and its transitions at once, at the breaker's clock (read once).
 *
 * @param[out] out  receives the snapshot; set out->size first (see above). Must not be NULL.
 * @param breaker   must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or breaker is NULL; BACKOFF_EINVAL if out->size is below 784.
 * Thread safety: any thread, concurrently with every other call. Cost: a sum over the stripes of 8
 * counters (at most 33 loads each), the window's totals, and short holds of the breaker's lock and of its
 * event lock (once per state pair): microseconds, for a scrape, never on a call's path. Since: 0.2.
 */
BACKOFF_API int backoff_breaker_get_snapshot(backoff_breaker_snapshot *out, const backoff_breaker *breaker);

/**
 * As backoff_breaker_get_snapshot(), at the explicit time `now_ns`: a time window's counts are those of the
 * window ending there. The handle's clock is not called.
 * @return as backoff_breaker_get_snapshot(). Thread safety: any thread. Since: 0.2.
 */
BACKOFF_API int backoff_breaker_get_snapshot_at(backoff_breaker_snapshot *out, const backoff_breaker *breaker,
                                            int64_t now_ns);

/**
 * Reads a budget's balance and counters at once, at the budget's clock.
 *
 * @param[out] out  receives the snapshot; set out->size first (see above). Must not be NULL.
 * @param budget    must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or budget is NULL; BACKOFF_EINVAL if out->size is below 32.
 * Thread safety: any thread. Cost: backoff_budget_balance() (AWS: a sum over stripes; Finagle: expires
 * old deposits under the ledger's lock) and two counter sums. Since: 0.2.
 */
BACKOFF_API int backoff_budget_get_snapshot(backoff_budget_snapshot *out, backoff_budget *budget);

/**
 * As backoff_budget_get_snapshot(), at the explicit time `now_ns`; the handle's clock is not called.
 * @return as backoff_budget_get_snapshot(). Thread safety: any thread. Since: 0.2.
 */
BACKOFF_API int backoff_budget_get_snapshot_at(backoff_budget_snapshot *out, backoff_budget *budget, int64_t now_ns);

/**
 * Names retry statistics for exporters ("fetch_user"), or removes the name with "". Renaming is allowed;
 * every name set stays allocated until the object is freed, so keep renames rare.
 *
 * @param stats  must not be NULL.
 * @param name   a NUL-terminated name, copied. Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if stats or name is NULL; BACKOFF_ENOMEM.
 * Thread safety: any thread, concurrently with reads of the name. Cost: one allocation. Since: 0.2.
 */
BACKOFF_API int backoff_retry_stats_set_name(backoff_retry_stats *stats, const char *name);

/**
 * Names a breaker, as backoff_retry_stats_set_name().
 * @return BACKOFF_OK; BACKOFF_ENULL if breaker or name is NULL; BACKOFF_ENOMEM.
 * Thread safety: any thread. Since: 0.2.
 */
BACKOFF_API int backoff_breaker_set_name(backoff_breaker *breaker, const char *name);

/**
 * Names a budget, as backoff_retry_stats_set_name(). A budget per key from a pool can be named too.
 * @return BACKOFF_OK; BACKOFF_ENULL if budget or name is NULL; BACKOFF_ENOMEM.
 * Thread safety: any thread. Since: 0.2.
 */
BACKOFF_API int backoff_budget_set_name(backoff_budget *budget, const char *name);

/**
 * Reads the name of retry statistics: "" when they have none.
 *
 * @param[out] out  receives the name, valid until the object is freed (a rename does not free it). Must
 *                  not be NULL.
 * @param stats     must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out or stats is NULL.
 * Thread safety: any thread; lock-free. Since: 0.2.
 */
BACKOFF_API int backoff_retry_stats_get_name(const char **out, const backoff_retry_stats *stats);

/**
 * Reads a breaker's name, as backoff_retry_stats_get_name().
 * @return BACKOFF_OK; BACKOFF_ENULL if out or breaker is NULL. Thread safety: any thread. Since: 0.2.
 */
BACKOFF_API int backoff_breaker_get_name(const char **out, const backoff_breaker *breaker);

/**
 * Reads a budget's name, as backoff_retry_stats_get_name().
 * @return BACKOFF_OK; BACKOFF_ENULL if out or budget is NULL. Thread safety: any thread. Since: 0.2.
 */
BACKOFF_API int backoff_budget_get_name(const char **out, const backoff_budget *budget);
#endif /* BACKOFF_EXPERIMENTAL */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* BACKOFF_H */
