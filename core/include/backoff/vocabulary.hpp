// The vocabulary of libbackoff: every enum family, defined once.
//
// Each family is an X-macro list of X(identifier, value, "name", C_ENUMERATOR). From it come the core's
// enum (BACKOFF_VOCAB_ENUM), the name table every layer asks at run time (name_of, value_of, and the C
// API's backoff_name_of / backoff_value_of), and the compile-time pins of backoff.h's enumerators
// (capi/src/capi_vocabulary.cpp expands the C_ENUMERATOR column). So a value added here is an enumerator,
// a name for the CLI, Python and every FFI, and a compile error until backoff.h declares it.
//
// Values are the C ABI's and are never renumbered. Names are what users type: set_text choices, Python
// enum members, command-line options. The parameter families (policy, breaker and budget parameters)
// carry more columns and live in vocabulary_params.hpp; their names are part of this vocabulary too.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace backoff {

// The enum families, the C API's backoff_enum_family.
#define BACKOFF_VOCAB_FAMILIES(X)                                  \
  X(family, 0, "family", BACKOFF_ENUM_FAMILY)                      \
  X(status, 1, "status", BACKOFF_ENUM_STATUS)                      \
  X(value_type, 2, "value_type", BACKOFF_ENUM_VALUE_TYPE)          \
  X(param_field, 3, "param_field", BACKOFF_ENUM_PARAM_FIELD)       \
  X(param, 4, "param", BACKOFF_ENUM_PARAM)                         \
  X(kind, 5, "kind", BACKOFF_ENUM_KIND)                            \
  X(jitter, 6, "jitter", BACKOFF_ENUM_JITTER)                      \
  X(breaker_param, 7, "breaker_param", BACKOFF_ENUM_BREAKER_PARAM) \
  X(trip, 8, "trip", BACKOFF_ENUM_BREAKER_TRIP)                    \
  X(window, 9, "window", BACKOFF_ENUM_BREAKER_WINDOW)              \
  X(breaker_state, 10, "breaker_state", BACKOFF_ENUM_BREAKER_STATE) \
  X(outcome, 11, "outcome", BACKOFF_ENUM_OUTCOME)                  \
  X(breaker_cause, 12, "breaker_cause", BACKOFF_ENUM_BREAKER_CAUSE) \
  X(breaker_count, 13, "breaker_count", BACKOFF_ENUM_BREAKER_COUNT) \
  X(budget_param, 14, "budget_param", BACKOFF_ENUM_BUDGET_PARAM)   \
  X(calibration, 15, "calibration", BACKOFF_ENUM_BUDGET_CALIBRATION) \
  X(error_class, 16, "error_class", BACKOFF_ENUM_ERROR_CLASS)       \
  X(budget_count, 17, "budget_count", BACKOFF_ENUM_BUDGET_COUNT)   \
  X(attempt, 18, "attempt", BACKOFF_ENUM_ATTEMPT)                  \
  X(retry_outcome, 19, "retry_outcome", BACKOFF_ENUM_RETRY_OUTCOME) \
  X(stop_when, 20, "stop_when", BACKOFF_ENUM_STOP_WHEN)

#define BACKOFF_VOCAB_STATUS(X)                                         \
  X(ok, 0, "ok", BACKOFF_OK)                                            \
  X(invalid_value, -1, "invalid_value", BACKOFF_EINVAL)                 \
  X(null_argument, -2, "null_argument", BACKOFF_ENULL)                  \
  X(unknown_name, -3, "unknown_name", BACKOFF_EUNKNOWN)                 \
  X(wrong_type, -4, "wrong_type", BACKOFF_ETYPE)                        \
  X(out_of_memory, -5, "out_of_memory", BACKOFF_ENOMEM)                 \
  X(internal, -6, "internal", BACKOFF_EINTERNAL)                        \
  X(reentrant_call, -7, "reentrant_call", BACKOFF_EREENTRANT)           \
  X(cancelled, -8, "cancelled", BACKOFF_ECANCELED)                      \
  X(circuit_open, -9, "circuit_open", BACKOFF_EOPEN)                    \
  X(budget_exhausted, -10, "budget_exhausted", BACKOFF_EBUDGET)         \
  X(gave_up, -11, "gave_up", BACKOFF_EGAVEUP)                           \
  X(permanent_failure, -12, "permanent_failure", BACKOFF_EPERMANENT)   \
  X(deadline_exceeded, -13, "deadline_exceeded", BACKOFF_EDEADLINE)

#define BACKOFF_VOCAB_VALUE_TYPE(X)                      \
  X(duration, 0, "duration", BACKOFF_TYPE_DURATION)      \
  X(count, 1, "count", BACKOFF_TYPE_COUNT)               \
  X(choice, 2, "choice", BACKOFF_TYPE_CHOICE)            \
  X(real, 3, "real", BACKOFF_TYPE_REAL)                  \
  X(seed, 4, "seed", BACKOFF_TYPE_SEED)

// The columns of a parameter table (vocabulary_params.hpp), for backoff_param_info().
#define BACKOFF_VOCAB_PARAM_FIELD(X)                     \
  X(name, 0, "name", BACKOFF_FIELD_NAME)                 \
  X(type, 1, "type", BACKOFF_FIELD_TYPE)                 \
  X(unit, 2, "unit", BACKOFF_FIELD_UNIT)                 \
  X(default_text, 3, "default", BACKOFF_FIELD_DEFAULT)   \
  X(domain, 4, "domain", BACKOFF_FIELD_DOMAIN)           \
  X(choices, 5, "choices", BACKOFF_FIELD_CHOICES)        \
  X(retry_default, 6, "retry_default", BACKOFF_FIELD_RETRY_DEFAULT)

#define BACKOFF_VOCAB_KIND(X)                                       \
  X(constant, 0, "constant", BACKOFF_KIND_CONSTANT)                 \
  X(linear, 1, "linear", BACKOFF_KIND_LINEAR)                       \
  X(exponential, 2, "exponential", BACKOFF_KIND_EXPONENTIAL)        \
  X(decorrelated, 3, "decorrelated", BACKOFF_KIND_DECORRELATED)

#define BACKOFF_VOCAB_JITTER(X)                                      \
  X(none, 0, "none", BACKOFF_JITTER_NONE)                            \
  X(full, 1, "full", BACKOFF_JITTER_FULL)                            \
  X(equal, 2, "equal", BACKOFF_JITTER_EQUAL)                         \
  X(randomization, 3, "randomization", BACKOFF_JITTER_RANDOMIZATION)

#define BACKOFF_VOCAB_TRIP(X)                                        \
  X(consecutive, 0, "consecutive", BACKOFF_BREAKER_TRIP_CONSECUTIVE) \
  X(count, 1, "count", BACKOFF_BREAKER_TRIP_COUNT)                   \
  X(ratio, 2, "ratio", BACKOFF_BREAKER_TRIP_RATIO)

#define BACKOFF_VOCAB_WINDOW(X)                      \
  X(count, 0, "count", BACKOFF_BREAKER_WINDOW_COUNT) \
  X(time, 1, "time", BACKOFF_BREAKER_WINDOW_TIME)

// BACKOFF_BREAKER_NONE (-1, "no state": an empty event poll) is a C sentinel, not a state.
#define BACKOFF_VOCAB_BREAKER_STATE(X)                        \
  X(closed, 0, "closed", BACKOFF_BREAKER_CLOSED)              \
  X(open, 1, "open", BACKOFF_BREAKER_OPEN)                    \
  X(half_open, 2, "half_open", BACKOFF_BREAKER_HALF_OPEN)     \
  X(isolated, 3, "isolated", BACKOFF_BREAKER_ISOLATED)        \
  X(disabled, 4, "disabled", BACKOFF_BREAKER_DISABLED)

#define BACKOFF_VOCAB_OUTCOME(X)                       \
  X(success, 0, "success", BACKOFF_OUTCOME_SUCCESS)    \
  X(failure, 1, "failure", BACKOFF_OUTCOME_FAILURE)    \
  X(ignored, 2, "ignored", BACKOFF_OUTCOME_IGNORED)

#define BACKOFF_VOCAB_BREAKER_CAUSE(X)                                              \
  X(failures, 0, "failures", BACKOFF_BREAKER_CAUSE_FAILURES)                        \
  X(failure_ratio, 1, "failure_ratio", BACKOFF_BREAKER_CAUSE_FAILURE_RATIO)         \
  X(slow_calls, 2, "slow_calls", BACKOFF_BREAKER_CAUSE_SLOW_CALLS)                  \
  X(probe_failed, 3, "probe_failed", BACKOFF_BREAKER_CAUSE_PROBE_FAILED)            \
  X(half_open_timeout, 4, "half_open_timeout", BACKOFF_BREAKER_CAUSE_HALF_OPEN_TIMEOUT) \
  X(open_elapsed, 5, "open_elapsed", BACKOFF_BREAKER_CAUSE_OPEN_ELAPSED)            \
  X(probes_succeeded, 6, "probes_succeeded", BACKOFF_BREAKER_CAUSE_PROBES_SUCCEEDED) \
  X(manual, 7, "manual", BACKOFF_BREAKER_CAUSE_MANUAL)

#define BACKOFF_VOCAB_BREAKER_COUNT(X)                                                       \
  X(admitted, 0, "admitted", BACKOFF_BREAKER_COUNT_ADMITTED)                                 \
  X(rejected, 1, "rejected", BACKOFF_BREAKER_COUNT_REJECTED)                                 \
  X(successes, 2, "successes", BACKOFF_BREAKER_COUNT_SUCCESSES)                              \
  X(failures, 3, "failures", BACKOFF_BREAKER_COUNT_FAILURES)                                 \
  X(ignored, 4, "ignored", BACKOFF_BREAKER_COUNT_IGNORED)                                    \
  X(released, 5, "released", BACKOFF_BREAKER_COUNT_RELEASED)                                 \
  X(stale, 6, "stale", BACKOFF_BREAKER_COUNT_STALE)                                          \
  X(slow, 7, "slow", BACKOFF_BREAKER_COUNT_SLOW)                                             \
  X(expired, 8, "expired", BACKOFF_BREAKER_COUNT_EXPIRED)                                    \
  X(trips, 9, "trips", BACKOFF_BREAKER_COUNT_TRIPS)                                          \
  X(consecutive_failures, 10, "consecutive_failures", BACKOFF_BREAKER_COUNT_CONSECUTIVE_FAILURES) \
  X(window_calls, 11, "window_calls", BACKOFF_BREAKER_COUNT_WINDOW_CALLS)                    \
  X(window_failures, 12, "window_failures", BACKOFF_BREAKER_COUNT_WINDOW_FAILURES)           \
  X(window_slow, 13, "window_slow", BACKOFF_BREAKER_COUNT_WINDOW_SLOW)                       \
  X(probes_in_flight, 14, "probes_in_flight", BACKOFF_BREAKER_COUNT_PROBES_IN_FLIGHT)        \
  X(events_dropped, 15, "events_dropped", BACKOFF_BREAKER_COUNT_EVENTS_DROPPED)              \
  X(listener_errors, 16, "listener_errors", BACKOFF_BREAKER_COUNT_LISTENER_ERRORS)

#define BACKOFF_VOCAB_CALIBRATION(X)              \
  X(aws, 0, "aws", BACKOFF_BUDGET_AWS)            \
  X(grpc, 1, "grpc", BACKOFF_BUDGET_GRPC)         \
  X(finagle, 2, "finagle", BACKOFF_BUDGET_FINAGLE)

#define BACKOFF_VOCAB_ERROR_CLASS(X)                          \
  X(ordinary, 0, "ordinary", BACKOFF_ERROR_ORDINARY)          \
  X(timeout, 1, "timeout", BACKOFF_ERROR_TIMEOUT)             \
  X(throttling, 2, "throttling", BACKOFF_ERROR_THROTTLING)

#define BACKOFF_VOCAB_BUDGET_COUNT(X)                         \
  X(granted, 0, "granted", BACKOFF_BUDGET_COUNT_GRANTED)      \
  X(refused, 1, "refused", BACKOFF_BUDGET_COUNT_REFUSED)

// What one attempt of an operation came to, as a C retry loop's operation reports it. BACKOFF_ATTEMPT_NONE
// (-1, "the operation never ran") is a C sentinel of backoff_retrier_run()'s out_op_status.
#define BACKOFF_VOCAB_ATTEMPT(X)                              \
  X(success, 0, "success", BACKOFF_ATTEMPT_SUCCESS)           \
  X(retryable, 1, "retryable", BACKOFF_ATTEMPT_RETRYABLE)     \
  X(permanent, 2, "permanent", BACKOFF_ATTEMPT_PERMANENT)     \
  X(timeout, 3, "timeout", BACKOFF_ATTEMPT_TIMEOUT)           \
  X(throttled, 4, "throttled", BACKOFF_ATTEMPT_THROTTLED)

// The core's identifiers predate the C names; the names are the C API's.
#define BACKOFF_VOCAB_RETRY_OUTCOME(X)                                              \
  X(retry, 0, "pending", BACKOFF_RETRY_PENDING)                                     \
  X(succeeded, 1, "succeeded", BACKOFF_RETRY_SUCCEEDED)                             \
  X(exhausted, 2, "gave_up", BACKOFF_RETRY_GAVE_UP)                                 \
  X(permanent, 3, "permanent", BACKOFF_RETRY_PERMANENT)                             \
  X(budget_exhausted, 4, "budget_exhausted", BACKOFF_RETRY_BUDGET_EXHAUSTED)        \
  X(circuit_open, 5, "circuit_open", BACKOFF_RETRY_CIRCUIT_OPEN)                    \
  X(cancelled, 6, "cancelled", BACKOFF_RETRY_CANCELLED)                             \
  X(deadline_exceeded, 7, "deadline_exceeded", BACKOFF_RETRY_DEADLINE_EXCEEDED)

// Which of a policy's limits end retrying (its stop_when parameter): any one reached (tenacity's `|`), or
// only once all the limits that are set are reached (tenacity's `&`).
#define BACKOFF_VOCAB_STOP_WHEN(X)               \
  X(any, 0, "any", BACKOFF_STOP_WHEN_ANY)        \
  X(all, 1, "all", BACKOFF_STOP_WHEN_ALL)

// Expands a list into enumerators: enum class Kind : std::int64_t { BACKOFF_VOCAB_KIND(BACKOFF_VOCAB_ENUM) };
#define BACKOFF_VOCAB_ENUM(identifier, value, name, c_enumerator) identifier = value,
// Counts a list's entries: BACKOFF_VOCAB_KIND(BACKOFF_VOCAB_COUNT) 0 is 4.
#define BACKOFF_VOCAB_COUNT(identifier, value, name, c_enumerator) 1 +

enum class VocabFamily : int { BACKOFF_VOCAB_FAMILIES(BACKOFF_VOCAB_ENUM) };
constexpr int kVocabFamilyCount = BACKOFF_VOCAB_FAMILIES(BACKOFF_VOCAB_COUNT) 0;

// The name of `value` in `family`, or nullptr when the family or the value is unknown. Static storage.
const char* name_of(VocabFamily family, std::int64_t value) noexcept;

// The value named `name` in `family`. Throws Error(unknown_name) "<what>: unknown value 'x' (known: a, b)",
// `what` being the parameter that was given the name (the family's name when nullptr).
std::int64_t value_of(VocabFamily family, std::string_view name, const char* what = nullptr);

// Per family (indexed by VocabFamily): n when its members are the values 0 .. n-1, else 0.
extern const std::array<std::int64_t, kVocabFamilyCount> kDenseMemberCount;

// require_member's table walk and error, out of line.
std::int64_t require_listed_member(VocabFamily family, std::int64_t value, const char* what);

// `value` if it is a member of `family`; otherwise Error(unknown_name) "<what>: unknown value 7 (known: 0 a,
// 1 b)". Every enum a caller hands in as a plain integer (a C int, a parameter's choice) is checked here.
// A family numbered 0 .. n-1 (most are) is checked inline, with no call: hot paths such as a breaker's
// record take an enum on every call.
inline std::int64_t require_member(VocabFamily family, std::int64_t value, const char* what) {
  const int id = static_cast<int>(family);
  if (id >= 0 && id < kVocabFamilyCount && value >= 0 && value < kDenseMemberCount[id]) return value;
  return require_listed_member(family, value, what);
}

// require_member, as the core's enum type.
template <typename Enum>
Enum member_of(VocabFamily family, std::int64_t value, const char* what) {
  return static_cast<Enum>(require_member(family, value, what));
}

// The names of a family for a message or a usage text: "none, full, equal, randomization", or with
// `with_values` "0 none, 1 full, 2 equal, 3 randomization". Empty for an unknown family.
std::string known_names(VocabFamily family, bool with_values);

// known_names(family, false) in static storage, for callers that need a C string that lives on
// (backoff_param_info's "choices"); nullptr for an unknown family.
const char* known_names_static(VocabFamily family) noexcept;

// The family for a C caller's int, or Error(unknown_name) "family: unknown enum family 42".
VocabFamily vocab_family_from_id(int id);

}  // namespace backoff
