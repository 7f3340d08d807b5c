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
 * Objects.
 *   backoff_config  a mutable set of parameters; every setter validates its value at once.
 *   backoff_policy  an immutable, validated schedule built from a config. Share it freely between threads.
 *                   Its stateless form, backoff_policy_delay(), is a pure function of (seed, key, attempt).
 *   backoff_state   the stateful form (attempt count, start time, random stream): next() / reset(), as
 *                   cenkalti/backoff's NextBackOff() / Reset(). It belongs to one thread at a time.
 *
 * Errors. Every function that can fail returns an int status: BACKOFF_OK (0) or a negative
 * backoff_status. On failure, backoff_last_error() returns a message for the calling thread that names the
 * parameter and the value ("multiplier: must be at least 1 (got 0.5)"). Out-parameters are written only on
 * success. A NULL handle or out-pointer is reported as BACKOFF_ENULL, never a crash. No C++ exception ever
 * leaves the library.
 *
 * Determinism. With a seed, the same configuration gives bit-identical delays on every machine and in
 * every language; tests/vectors/ in the source tree pins them.
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
 *         backoff_state_next(state, 0, &delay_ns);
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
  BACKOFF_ECANCELED = -8    /**< A cancellation request ended the call. */
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
 * 10 ns)". Use it to report an error, not to detect one: only the status says whether a call failed, and
 * successful calls leave the message as it was.
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

/** Returns BACKOFF_STOP, for FFI callers that cannot see macros. Since: 0.1. */
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
 * | BACKOFF_PARAM_KIND "kind"          | choice   | EXPONENTIAL | a backoff_kind                           |
 * | BACKOFF_PARAM_INITIAL_NS "initial" | duration | 100 ms      | >= 0; > 0 for exponential, decorrelated  |
 * | BACKOFF_PARAM_MULTIPLIER           | real     | 2.0         | finite, >= 1                             |
 * | BACKOFF_PARAM_INCREMENT_NS         | duration | 0           | >= 0 (linear)                            |
 * | BACKOFF_PARAM_CAP_NS "cap"         | duration | 60 s        | >= initial; unset: max(60 s, initial)    |
 * | BACKOFF_PARAM_JITTER               | choice   | FULL        | a backoff_jitter                         |
 * | BACKOFF_PARAM_RANDOMIZATION_FACTOR | real     | 0.5         | [0, 1]                                   |
 * | BACKOFF_PARAM_MAX_ATTEMPTS         | count    | 0           | >= 0; 0 = unlimited                      |
 * | BACKOFF_PARAM_MAX_ELAPSED_NS       | duration | 0           | >= 0; 0 = unlimited                      |
 * | BACKOFF_PARAM_SEED                 | seed     | unseeded    | any uint64                               |
 *
 * The other names are "multiplier", "increment", "jitter", "randomization_factor", "max_attempts",
 * "max_elapsed" and "seed". MAX_ATTEMPTS counts every attempt, the first call included, as tenacity's
 * stop_after_attempt and cenkalti's WithMaxTries do: 3 means one call and at most two retries.
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
  BACKOFF_PARAM_SEED = 9
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
   * AWS's "decorrelated jitter": delay = U(initial, previous * multiplier), the previous delay starting at
   * initial; set multiplier to 3 for AWS's formula. Its randomness is built in: BACKOFF_PARAM_JITTER does
   * not apply. The stateful form follows the chain; the stateless form draws from the chain's envelope,
   * U(initial, initial * multiplier^(n+1)), because the chain cannot be evaluated in O(1).
   */
  BACKOFF_KIND_DECORRELATED = 3
} backoff_kind;

/** Jitter applied to the delay d of each attempt; the result is then capped again. */
typedef enum backoff_jitter {
  BACKOFF_JITTER_NONE = 0,         /**< d. */
  BACKOFF_JITTER_FULL = 1,         /**< U(0, d): AWS's recommendation, the least contention. */
  BACKOFF_JITTER_EQUAL = 2,        /**< d/2 + U(0, d/2). */
  BACKOFF_JITTER_RANDOMIZATION = 3 /**< U(d(1-f), d(1+f)), f = RANDOMIZATION_FACTOR (cenkalti's). */
} backoff_jitter;

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
 * Returns a parameter's backoff_value_type, or BACKOFF_EUNKNOWN for an unknown parameter.
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_param_type(int param);

/* ===== Config ===== */

/** A mutable set of policy parameters. Not thread-safe: configure it on one thread. */
typedef struct backoff_config backoff_config;

/**
 * Creates a config holding the defaults of the table above.
 *
 * @param[out] out  receives the new config; free it with backoff_config_free(). Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out is NULL; BACKOFF_ENOMEM.
 * Since: 0.1.
 */
BACKOFF_API int backoff_config_new(backoff_config **out);

/** Frees a config. NULL is a no-op. Policies built from it stay valid. Since: 0.1. */
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
 * stream, so that clients started together do not retry in lockstep.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EUNKNOWN for an unknown param; BACKOFF_ETYPE if param is not
 *         BACKOFF_PARAM_SEED. Thread safety: one thread per config. Since: 0.1.
 */
BACKOFF_API int backoff_config_set_u64(backoff_config *config, int param, uint64_t value);

/**
 * Sets a parameter from text, as a command line or a configuration file gives it.
 *
 * Durations need a unit: "250ms", "1.5s", "2m", "1h", "100us", "10ns" ("0" alone is fine). Choices are
 * named: "exponential", "full". Numbers are written as in C: "1.5", "0x2a".
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

/** Frees a policy. NULL is a no-op. States created from it stay valid (they hold a copy). Since: 0.1. */
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
 * @param key          selects an independent random stream; any value.
 * @param[out] out_ns  receives the delay in [0, cap], or BACKOFF_STOP once MAX_ATTEMPTS attempts have been
 *                     made. Must not be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if policy or out_ns is NULL.
 * Thread safety: any thread, concurrently. Cost: O(1) for every attempt. Since: 0.1.
 *
 * Notes:
 *   1. Every attempt up to 2^64 - 1 is valid: the delay saturates at the cap, it never wraps.
 *   2. MAX_ELAPSED is not applied, since no time is known here; see backoff_policy_delay_within().
 */
BACKOFF_API int backoff_policy_delay(const backoff_policy *policy, uint64_t attempt, uint64_t key,
                                     int64_t *out_ns);

/**
 * As backoff_policy_delay(), and also BACKOFF_STOP when waiting the delay would carry the time spent
 * since the first attempt, `elapsed_ns`, past MAX_ELAPSED.
 *
 * @param elapsed_ns  time since the first attempt; negative values count as 0.
 * @return BACKOFF_OK; BACKOFF_ENULL if policy or out_ns is NULL.
 * Thread safety: any thread, concurrently. Since: 0.1.
 */
BACKOFF_API int backoff_policy_delay_within(const backoff_policy *policy, uint64_t attempt, uint64_t key,
                                            int64_t elapsed_ns, int64_t *out_ns);

/**
 * Returns the delay for `attempt` before jitter (capped): the schedule's deterministic spine, as the
 * `backoff schedule` command prints it. For a decorrelated policy it is the upper bound of the draw.
 *
 * @return BACKOFF_OK; BACKOFF_ENULL if policy or out_ns is NULL.
 * Thread safety: any thread, concurrently. Since: 0.1.
 */
BACKOFF_API int backoff_policy_base_delay(const backoff_policy *policy, uint64_t attempt, int64_t *out_ns);

/**
 * Returns the exact range [min, max] that the delay for `attempt` is drawn from, uniformly.
 *
 * Use it to show a schedule with its true extremes, or to bound the total wait, instead of sampling.
 * It covers every key and seed: backoff_policy_delay(policy, attempt, key, &d) gives min <= d <= max for
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
BACKOFF_API int backoff_policy_delay_bounds(const backoff_policy *policy, uint64_t attempt,
                                            int64_t *out_min_ns, int64_t *out_max_ns);

/**
 * Reads back a DURATION, COUNT or CHOICE parameter as the policy applies it (the effective cap, say).
 *
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_EUNKNOWN; BACKOFF_ETYPE as for backoff_config_set_i64().
 * Thread safety: any thread. Since: 0.1.
 */
BACKOFF_API int backoff_policy_get_i64(const backoff_policy *policy, int param, int64_t *out);

/** Reads back a REAL parameter. Returns as backoff_policy_get_i64(). Since: 0.1. */
BACKOFF_API int backoff_policy_get_f64(const backoff_policy *policy, int param, double *out);

/**
 * Reads back the seed the policy uses: the configured one, or the random one an unseeded policy drew.
 * Returns as backoff_policy_get_i64(). Since: 0.1.
 */
BACKOFF_API int backoff_policy_get_u64(const backoff_policy *policy, int param, uint64_t *out);

/* ===== Backoff state (stateful) ===== */

/** The stateful form of a policy. Not thread-safe: one thread at a time per state. */
typedef struct backoff_state backoff_state;

/**
 * Creates a state on the monotonic clock; elapsed time starts now.
 *
 * A seeded policy gives every state the same sequence, which equals backoff_policy_delay() with key 0
 * (decorrelated policies excepted: their state follows the chain). An unseeded policy gives every state
 * an independent random stream.
 *
 * @param[out] out  receives the state; free it with backoff_state_free(). Must not be NULL.
 * @param policy    must not be NULL; the state keeps its own copy, so the policy may be freed.
 * @return BACKOFF_OK; BACKOFF_ENULL; BACKOFF_ENOMEM. Since: 0.1.
 */
BACKOFF_API int backoff_state_new(backoff_state **out, const backoff_policy *policy);

/**
 * As backoff_state_new(), with an injected clock (tests, simulated time, a runtime's own clock).
 *
 * @param clock      must not be NULL. Called by backoff_state_new_with_clock() itself, by
 *                   backoff_state_next(), backoff_state_reset() and backoff_state_elapsed().
 * @param user_data  passed to clock unchanged; may be NULL.
 * @return BACKOFF_OK; BACKOFF_ENULL if out, policy or clock is NULL; BACKOFF_ENOMEM. Since: 0.1.
 */
BACKOFF_API int backoff_state_new_with_clock(backoff_state **out, const backoff_policy *policy,
                                             backoff_clock_fn clock, void *user_data);

/** Frees a state. NULL is a no-op. Since: 0.1. */
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
BACKOFF_API int backoff_state_next(backoff_state *state, int64_t hint_ns, int64_t *out_ns);

/** As backoff_state_next(), at the explicit time `now_ns` instead of the state's clock. Since: 0.1. */
BACKOFF_API int backoff_state_next_at(backoff_state *state, int64_t now_ns, int64_t hint_ns, int64_t *out_ns);

/**
 * Starts over: attempt 0, elapsed time measured from now. A seeded state replays its sequence.
 * @return BACKOFF_OK; BACKOFF_ENULL if state is NULL. Thread safety: one thread per state. Since: 0.1.
 */
BACKOFF_API int backoff_state_reset(backoff_state *state);

/** As backoff_state_reset(), at the explicit time `now_ns`. Since: 0.1. */
BACKOFF_API int backoff_state_reset_at(backoff_state *state, int64_t now_ns);

/**
 * Returns the time since the state was created or last reset; 0 if the clock went backwards.
 * @return BACKOFF_OK; BACKOFF_ENULL if state or out_ns is NULL. Since: 0.1.
 */
BACKOFF_API int backoff_state_elapsed(const backoff_state *state, int64_t *out_ns);

/** As backoff_state_elapsed(), at the explicit time `now_ns`. Since: 0.1. */
BACKOFF_API int backoff_state_elapsed_at(const backoff_state *state, int64_t now_ns, int64_t *out_ns);

/**
 * Returns how many delays backoff_state_next() has handed out since creation or the last reset.
 * @return BACKOFF_OK; BACKOFF_ENULL if state or out is NULL. Since: 0.1.
 */
BACKOFF_API int backoff_state_attempt(const backoff_state *state, uint64_t *out);

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

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* BACKOFF_H */
