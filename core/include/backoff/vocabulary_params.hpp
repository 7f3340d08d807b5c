// The parameters of every configuration, defined once: policy, breaker and budget.
//
// Each list is X(identifier, id, "name", type, "unit", "default", "domain", choices, C_ENUMERATOR). From it
// come the core's parameter enum (Param, BreakerParam, BudgetParam), the tables behind every lookup,
// typed setter and set_text (kPolicyParams and its peers in param_table.hpp), the metadata the C API's backoff_param_info() hands out,
// and the compile-time pins of backoff.h's BACKOFF_*PARAM_* values. backoff.h's parameter tables repeat
// the columns as the manual; tests/header/check_header_tables.py holds them to this file.
//
// The default is written as set_text reads it, so a tool can show it and parse it back; the member
// initializers of Config, BreakerConfig and BudgetConfig must agree (tests/core/vocabulary_test.cpp).
#pragma once

#include "backoff/vocabulary.hpp"

#define BACKOFF_CHOICES(family) static_cast<int>(VocabFamily::family)

#define BACKOFF_POLICY_PARAMS(X)                                                                                   \
  X(kind, 0, "kind", choice, "", "exponential", "a kind", BACKOFF_CHOICES(kind), BACKOFF_PARAM_KIND)                \
  X(initial, 1, "initial", duration, "ns", "100ms", ">= 0; > 0 for exponential, decorrelated", kNoChoices,          \
    BACKOFF_PARAM_INITIAL_NS)                                                                                      \
  X(multiplier, 2, "multiplier", real, "", "2", "finite, >= 1", kNoChoices, BACKOFF_PARAM_MULTIPLIER)               \
  X(increment, 3, "increment", duration, "ns", "0", ">= 0 (linear)", kNoChoices, BACKOFF_PARAM_INCREMENT_NS)        \
  X(cap, 4, "cap", duration, "ns", "60s", ">= initial; unset: max(60 s, initial)", kNoChoices, BACKOFF_PARAM_CAP_NS) \
  X(jitter, 5, "jitter", choice, "", "full", "a jitter mode", BACKOFF_CHOICES(jitter), BACKOFF_PARAM_JITTER)        \
  X(randomization_factor, 6, "randomization_factor", real, "", "0.5", "[0, 1]", kNoChoices,                         \
    BACKOFF_PARAM_RANDOMIZATION_FACTOR)                                                                            \
  X(max_attempts, 7, "max_attempts", count, "attempts", "0", ">= 0; 0 = unlimited", kNoChoices,                     \
    BACKOFF_PARAM_MAX_ATTEMPTS)                                                                                    \
  X(max_elapsed, 8, "max_elapsed", duration, "ns", "0", ">= 0; 0 = unlimited", kNoChoices,                          \
    BACKOFF_PARAM_MAX_ELAPSED_NS)                                                                                  \
  X(seed, 9, "seed", seed, "", "unseeded", "any uint64", kNoChoices, BACKOFF_PARAM_SEED)                           \
  X(deadline, 10, "deadline", duration, "ns", "0", ">= 0; 0 = none", kNoChoices, BACKOFF_PARAM_DEADLINE_NS)     \
  X(stop_when, 11, "stop_when", choice, "", "any", "a stop rule", BACKOFF_CHOICES(stop_when), BACKOFF_PARAM_STOP_WHEN)

// The stop a retry loop applies when its caller sets none (no max_attempts, no max_elapsed, no deadline):
// X(identifier of a policy parameter, its value there, as set_text reads it). A policy's own default stays
// unlimited (0), since a policy also drives loops that end by other means (a job queue's max_attempts, a
// worker's breaker, a state the caller drives); a retry loop given no stop at all (a bare Python @retry,
// `backoff retry -- cmd`) takes these instead, so that it ends by itself. backoff_param_info() hands them
// out as the column BACKOFF_FIELD_RETRY_DEFAULT ("" for a parameter that is not a stop).
//
// 5 attempts, the first call and 4 retries: with the default schedule (exponential from 100 ms, doubling,
// full jitter) the waits add up to at most 1.5 s, enough to ride out a dropped connection, a restart or a
// failover, short enough that a real outage is reported within seconds. It sits between the SDKs that
// retry little (AWS SDKs and Polly: 3 attempts / retries) and the libraries that retry long (stamina: 10
// attempts within 45 s; urllib3: 10 retries), and it is what the command line always gave. No time limit:
// with attempts bounded, the schedule bounds the time, and a time default would cut short a caller's own
// long waits (initial=10s) that it never asked to be cut.
#define BACKOFF_RETRY_STOP_DEFAULTS(X) \
  X(max_attempts, "5")                 \
  X(max_elapsed, "0")                  \
  X(deadline, "0")

#define BACKOFF_BREAKER_PARAMS(X)                                                                                  \
  X(trip, 0, "trip", choice, "", "consecutive", "a trip rule", BACKOFF_CHOICES(trip), BACKOFF_BREAKER_PARAM_TRIP)   \
  X(failure_threshold, 1, "failure_threshold", count, "failures", "5", ">= 1", kNoChoices,                          \
    BACKOFF_BREAKER_PARAM_FAILURE_THRESHOLD)                                                                       \
  X(failure_ratio, 2, "failure_ratio", real, "", "0.5", "(0, 1]", kNoChoices, BACKOFF_BREAKER_PARAM_FAILURE_RATIO)  \
  X(window, 3, "window", choice, "", "time", "a window kind", BACKOFF_CHOICES(window), BACKOFF_BREAKER_PARAM_WINDOW) \
  X(window_size, 4, "window_size", count, "calls", "100", "[1, 2^20]", kNoChoices, BACKOFF_BREAKER_PARAM_WINDOW_SIZE) \
  X(window_duration, 5, "window_duration", duration, "ns", "60s", "> 0", kNoChoices,                                \
    BACKOFF_BREAKER_PARAM_WINDOW_DURATION_NS)                                                                      \
  X(window_buckets, 6, "window_buckets", count, "buckets", "10", "[1, 4096]", kNoChoices,                           \
    BACKOFF_BREAKER_PARAM_WINDOW_BUCKETS)                                                                          \
  X(min_calls, 7, "min_calls", count, "calls", "10", ">= 1", kNoChoices, BACKOFF_BREAKER_PARAM_MIN_CALLS)           \
  X(slow_call_duration, 8, "slow_call_duration", duration, "ns", "0", ">= 0; 0 = no call is slow", kNoChoices,      \
    BACKOFF_BREAKER_PARAM_SLOW_CALL_DURATION_NS)                                                                   \
  X(slow_call_ratio, 9, "slow_call_ratio", real, "", "1", "(0, 1]", kNoChoices, BACKOFF_BREAKER_PARAM_SLOW_CALL_RATIO) \
  X(open_duration, 10, "open_duration", duration, "ns", "30s", ">= 0", kNoChoices,                                  \
    BACKOFF_BREAKER_PARAM_OPEN_DURATION_NS)                                                                        \
  X(half_open_probes, 11, "half_open_probes", count, "calls", "1", "[1, 1024]", kNoChoices,                         \
    BACKOFF_BREAKER_PARAM_HALF_OPEN_PROBES)                                                                        \
  X(half_open_successes, 12, "half_open_successes", count, "calls", "1", ">= 1", kNoChoices,                        \
    BACKOFF_BREAKER_PARAM_HALF_OPEN_SUCCESSES)                                                                     \
  X(half_open_max_duration, 13, "half_open_max_duration", duration, "ns", "0", ">= 0; 0 = no limit", kNoChoices,    \
    BACKOFF_BREAKER_PARAM_HALF_OPEN_MAX_DURATION_NS)                                                               \
  X(permit_lease, 14, "permit_lease", duration, "ns", "60s", "> 0", kNoChoices, BACKOFF_BREAKER_PARAM_PERMIT_LEASE_NS) \
  X(max_hint_open, 15, "max_hint_open", duration, "ns", "1h", ">= 0; 0 = hints never extend it", kNoChoices,        \
    BACKOFF_BREAKER_PARAM_MAX_HINT_OPEN_NS)

#define BACKOFF_BUDGET_PARAMS(X)                                                                                   \
  X(calibration, 0, "calibration", choice, "", "aws", "a calibration", BACKOFF_CHOICES(calibration),                \
    BACKOFF_BUDGET_PARAM_CALIBRATION)                                                                              \
  X(capacity, 1, "capacity", real, "tokens", "500", "(0, 1e12]", kNoChoices, BACKOFF_BUDGET_PARAM_CAPACITY)         \
  X(retry_cost, 2, "retry_cost", real, "tokens", "5", "[0, capacity]", kNoChoices, BACKOFF_BUDGET_PARAM_RETRY_COST) \
  X(timeout_cost, 3, "timeout_cost", real, "tokens", "10", "[0, capacity]", kNoChoices,                             \
    BACKOFF_BUDGET_PARAM_TIMEOUT_COST)                                                                             \
  X(throttling_cost, 4, "throttling_cost", real, "tokens", "5", "[0, capacity]", kNoChoices,                        \
    BACKOFF_BUDGET_PARAM_THROTTLING_COST)                                                                          \
  X(no_retry_increment, 5, "no_retry_increment", real, "tokens", "1", "[0, 1e12]", kNoChoices,                      \
    BACKOFF_BUDGET_PARAM_NO_RETRY_INCREMENT)                                                                       \
  X(max_tokens, 6, "max_tokens", real, "tokens", "10", "(0, 1000]", kNoChoices, BACKOFF_BUDGET_PARAM_MAX_TOKENS)    \
  X(token_ratio, 7, "token_ratio", real, "tokens", "0.1", "[0.001, 1e12]", kNoChoices,                              \
    BACKOFF_BUDGET_PARAM_TOKEN_RATIO)                                                                              \
  X(percent_can_retry, 8, "percent_can_retry", real, "", "0.2", "[0, 1000]", kNoChoices,                            \
    BACKOFF_BUDGET_PARAM_PERCENT_CAN_RETRY)                                                                        \
  X(min_retries_per_second, 9, "min_retries_per_second", count, "retries/s", "10", "[0, 1e9]", kNoChoices,          \
    BACKOFF_BUDGET_PARAM_MIN_RETRIES_PER_SECOND)                                                                   \
  X(ttl, 10, "ttl", duration, "ns", "10s", "> 0", kNoChoices, BACKOFF_BUDGET_PARAM_TTL_NS)

#define BACKOFF_PARAM_ENUM(identifier, id, name, type, unit, default_text, domain, choices, c_enumerator) \
  identifier = id,

namespace backoff {

// How a parameter's value is passed: which typed setter takes it. duration: int64 nanoseconds >= 0;
// count: int64 >= 0; choice: an int64 enum value (Kind, Jitter); real: double; seed: uint64.
enum class ParamType : int { BACKOFF_VOCAB_VALUE_TYPE(BACKOFF_VOCAB_ENUM) };

// Each family's parameters, numbered as the C ABI numbers them; param_table.hpp has their lookups.
enum class Param : int { BACKOFF_POLICY_PARAMS(BACKOFF_PARAM_ENUM) };
enum class BreakerParam : int { BACKOFF_BREAKER_PARAMS(BACKOFF_PARAM_ENUM) };
enum class BudgetParam : int { BACKOFF_BUDGET_PARAMS(BACKOFF_PARAM_ENUM) };

}  // namespace backoff

