/* One pointer per function of backoff.h, each typed with the prototype the ABI promises. Included by
 * header_test.c and header_test.cpp, so the same list is checked by a C and a C++ compiler.
 *
 * A changed parameter or return type fails to compile here before it can break a caller, and since the
 * pointers have external linkage the linker must resolve every one: a declaration without a definition,
 * or one that C++ would mangle, fails to link. check_exports.py checks that the list is complete. The
 * includer defines BACKOFF_EXPERIMENTAL, so the experimental tier is pinned too. */
#ifndef BACKOFF_HEADER_PROTOTYPES_H
#define BACKOFF_HEADER_PROTOTYPES_H

#include "backoff.h"

/* Version */
unsigned (*pin_version_number)(void) = backoff_version_number;
const char *(*pin_version_string)(void) = backoff_version_string;
/* Errors */
const char *(*pin_strerror)(int) = backoff_strerror;
const char *(*pin_last_error)(void) = backoff_last_error;
int (*pin_last_error_set)(int, const char *) = backoff_last_error_set;
/* Time */
int64_t (*pin_stop)(void) = backoff_stop;
int64_t (*pin_monotonic_now_ns)(void) = backoff_monotonic_now_ns;
/* Parameters */
int (*pin_param_from_name)(int *, const char *) = backoff_param_from_name;
const char *(*pin_param_name)(int) = backoff_param_name;
int (*pin_param_type)(int) = backoff_param_type;
/* Vocabulary */
const char *(*pin_name_of)(int, int) = backoff_name_of;
int (*pin_value_of)(int *, int, const char *) = backoff_value_of;
const char *(*pin_param_info)(int, int, int) = backoff_param_info;
/* Config */
int (*pin_config_new)(backoff_config **) = backoff_config_new;
void (*pin_config_free)(backoff_config *) = backoff_config_free;
int (*pin_config_set_i64)(backoff_config *, int, int64_t) = backoff_config_set_i64;
int (*pin_config_set_f64)(backoff_config *, int, double) = backoff_config_set_f64;
int (*pin_config_set_u64)(backoff_config *, int, uint64_t) = backoff_config_set_u64;
int (*pin_config_set_text)(backoff_config *, const char *, const char *) = backoff_config_set_text;
/* Policy */
int (*pin_policy_new)(backoff_policy **, const backoff_config *) = backoff_policy_new;
void (*pin_policy_free)(backoff_policy *) = backoff_policy_free;
int (*pin_policy_delay)(int64_t *, const backoff_policy *, uint64_t, uint64_t) = backoff_policy_delay;
int (*pin_key_hash)(uint64_t *, const void *, uint64_t) = backoff_key_hash;
int (*pin_policy_delay_within)(int64_t *, const backoff_policy *, uint64_t, uint64_t, int64_t) =
    backoff_policy_delay_within;
int (*pin_policy_delay_hinted)(int64_t *, const backoff_policy *, uint64_t, uint64_t, int64_t, int64_t) =
    backoff_policy_delay_hinted;
int (*pin_policy_base_delay)(int64_t *, const backoff_policy *, uint64_t) = backoff_policy_base_delay;
int (*pin_policy_get_i64)(int64_t *, const backoff_policy *, int) = backoff_policy_get_i64;
int (*pin_policy_get_f64)(double *, const backoff_policy *, int) = backoff_policy_get_f64;
int (*pin_policy_get_u64)(uint64_t *, const backoff_policy *, int) = backoff_policy_get_u64;
/* State */
int (*pin_state_new)(backoff_state **, const backoff_policy *) = backoff_state_new;
int (*pin_state_new_with_clock)(backoff_state **, const backoff_policy *, backoff_clock_fn, void *) =
    backoff_state_new_with_clock;
void (*pin_state_free)(backoff_state *) = backoff_state_free;
int (*pin_state_next)(int64_t *, backoff_state *, int64_t) = backoff_state_next;
int (*pin_state_next_at)(int64_t *, backoff_state *, int64_t, int64_t) = backoff_state_next_at;
int (*pin_state_reset)(backoff_state *) = backoff_state_reset;
int (*pin_state_reset_at)(backoff_state *, int64_t) = backoff_state_reset_at;
int (*pin_state_elapsed)(int64_t *, const backoff_state *) = backoff_state_elapsed;
int (*pin_state_elapsed_at)(int64_t *, const backoff_state *, int64_t) = backoff_state_elapsed_at;
int (*pin_state_attempt)(uint64_t *, const backoff_state *) = backoff_state_attempt;
/* Server hints */
int (*pin_retry_after_parse)(int64_t *, const char *, int64_t) = backoff_retry_after_parse;

/* The clock callback type: a user's clock function has this shape. */
static int64_t user_clock(void *user_data) {
  (void)user_data;
  return 0;
}
backoff_clock_fn pin_clock_fn = user_clock;

/* Time: durations as text */
int (*pin_duration_parse)(int64_t *, const char *, const char *) = backoff_duration_parse;
/* Policy: exact bounds */
int (*pin_policy_delay_bounds)(int64_t *, int64_t *, const backoff_policy *, uint64_t) =
    backoff_policy_delay_bounds;
/* Circuit breaker */
int (*pin_breaker_param_from_name)(int *, const char *) = backoff_breaker_param_from_name;
const char * (*pin_breaker_param_name)(int) = backoff_breaker_param_name;
int (*pin_breaker_param_type)(int) = backoff_breaker_param_type;
int (*pin_breaker_config_new)(backoff_breaker_config **) = backoff_breaker_config_new;
void (*pin_breaker_config_free)(backoff_breaker_config *) = backoff_breaker_config_free;
int (*pin_breaker_config_set_i64)(backoff_breaker_config *, int, int64_t) = backoff_breaker_config_set_i64;
int (*pin_breaker_config_set_f64)(backoff_breaker_config *, int, double) = backoff_breaker_config_set_f64;
int (*pin_breaker_config_set_text)(backoff_breaker_config *, const char *, const char *) =
    backoff_breaker_config_set_text;
int (*pin_breaker_config_set_open_policy)(backoff_breaker_config *, const backoff_policy *) =
    backoff_breaker_config_set_open_policy;
int (*pin_breaker_new)(backoff_breaker **, const backoff_breaker_config *) = backoff_breaker_new;
int (*pin_breaker_new_with_clock)(backoff_breaker **, const backoff_breaker_config *, backoff_clock_fn, void *) =
    backoff_breaker_new_with_clock;
void (*pin_breaker_free)(backoff_breaker *) = backoff_breaker_free;
int (*pin_breaker_acquire)(uint64_t *, int64_t *, backoff_breaker *) = backoff_breaker_acquire;
int (*pin_breaker_acquire_at)(uint64_t *, int64_t *, backoff_breaker *, int64_t) = backoff_breaker_acquire_at;
int (*pin_breaker_record)(backoff_breaker *, uint64_t, int, int64_t, int64_t) = backoff_breaker_record;
int (*pin_breaker_record_at)(backoff_breaker *, int64_t, uint64_t, int, int64_t, int64_t) =
    backoff_breaker_record_at;
int (*pin_breaker_release)(backoff_breaker *, uint64_t) = backoff_breaker_release;
int (*pin_breaker_transition)(backoff_breaker *, int) = backoff_breaker_transition;
int (*pin_breaker_transition_at)(backoff_breaker *, int64_t, int) = backoff_breaker_transition_at;
int (*pin_breaker_get_state)(int *, const backoff_breaker *) = backoff_breaker_get_state;
int (*pin_breaker_get_count)(uint64_t *, const backoff_breaker *, int) = backoff_breaker_get_count;
int (*pin_breaker_get_count_at)(uint64_t *, const backoff_breaker *, int64_t, int) =
    backoff_breaker_get_count_at;
int (*pin_breaker_get_i64)(int64_t *, const backoff_breaker *, int) = backoff_breaker_get_i64;
int (*pin_breaker_get_f64)(double *, const backoff_breaker *, int) = backoff_breaker_get_f64;
int (*pin_breaker_set_listener)(backoff_breaker *, backoff_breaker_listener_fn, void *) =
    backoff_breaker_set_listener;
int (*pin_breaker_poll_event)(int *, int *, int *, int64_t *, backoff_breaker *) = backoff_breaker_poll_event;
/* Retry budget */
int (*pin_budget_param_from_name)(int *, const char *) = backoff_budget_param_from_name;
const char * (*pin_budget_param_name)(int) = backoff_budget_param_name;
int (*pin_budget_param_type)(int) = backoff_budget_param_type;
int (*pin_budget_config_new)(backoff_budget_config **) = backoff_budget_config_new;
void (*pin_budget_config_free)(backoff_budget_config *) = backoff_budget_config_free;
int (*pin_budget_config_set_i64)(backoff_budget_config *, int, int64_t) = backoff_budget_config_set_i64;
int (*pin_budget_config_set_f64)(backoff_budget_config *, int, double) = backoff_budget_config_set_f64;
int (*pin_budget_config_set_text)(backoff_budget_config *, const char *, const char *) =
    backoff_budget_config_set_text;
int (*pin_budget_new)(backoff_budget **, const backoff_budget_config *) = backoff_budget_new;
int (*pin_budget_new_with_clock)(backoff_budget **, const backoff_budget_config *, backoff_clock_fn, void *) =
    backoff_budget_new_with_clock;
void (*pin_budget_free)(backoff_budget *) = backoff_budget_free;
int (*pin_budget_record_request)(backoff_budget *) = backoff_budget_record_request;
int (*pin_budget_record_request_at)(backoff_budget *, int64_t) = backoff_budget_record_request_at;
int (*pin_budget_record_failure)(backoff_budget *) = backoff_budget_record_failure;
int (*pin_budget_withdraw)(uint64_t *, backoff_budget *, int) = backoff_budget_withdraw;
int (*pin_budget_withdraw_at)(uint64_t *, backoff_budget *, int64_t, int) = backoff_budget_withdraw_at;
int (*pin_budget_record_success)(backoff_budget *, uint64_t) = backoff_budget_record_success;
int (*pin_budget_record_success_at)(backoff_budget *, int64_t, uint64_t) = backoff_budget_record_success_at;
int (*pin_budget_refund)(backoff_budget *, uint64_t) = backoff_budget_refund;
int (*pin_budget_refund_at)(backoff_budget *, int64_t, uint64_t) = backoff_budget_refund_at;
int (*pin_budget_balance)(int64_t *, backoff_budget *) = backoff_budget_balance;
int (*pin_budget_balance_at)(int64_t *, backoff_budget *, int64_t) = backoff_budget_balance_at;
int (*pin_budget_get_count)(uint64_t *, const backoff_budget *, int) = backoff_budget_get_count;
int (*pin_budget_get_i64)(int64_t *, const backoff_budget *, int) = backoff_budget_get_i64;
int (*pin_budget_get_f64)(double *, const backoff_budget *, int) = backoff_budget_get_f64;
int (*pin_budget_pool_new)(backoff_budget_pool **, const backoff_budget_config *, int64_t) =
    backoff_budget_pool_new;
int (*pin_budget_pool_new_with_clock)(backoff_budget_pool **, const backoff_budget_config *, int64_t, backoff_clock_fn, void *) =
    backoff_budget_pool_new_with_clock;
void (*pin_budget_pool_free)(backoff_budget_pool *) = backoff_budget_pool_free;
int (*pin_budget_pool_get)(backoff_budget **, backoff_budget_pool *, const char *) = backoff_budget_pool_get;
int (*pin_budget_pool_size)(int64_t *, const backoff_budget_pool *) = backoff_budget_pool_size;
/* Adaptive limiter */
int (*pin_limiter_new)(backoff_limiter **, int) = backoff_limiter_new;
int (*pin_limiter_new_with_clock)(backoff_limiter **, int, backoff_clock_fn, void *) = backoff_limiter_new_with_clock;
void (*pin_limiter_free)(backoff_limiter *) = backoff_limiter_free;
int (*pin_limiter_acquire)(int64_t *, backoff_limiter *) = backoff_limiter_acquire;
int (*pin_limiter_acquire_at)(int64_t *, backoff_limiter *, int64_t) = backoff_limiter_acquire_at;
int (*pin_limiter_record)(backoff_limiter *, int) = backoff_limiter_record;
int (*pin_limiter_record_at)(backoff_limiter *, int64_t, int) = backoff_limiter_record_at;
int (*pin_limiter_fill_rate)(double *, const backoff_limiter *) = backoff_limiter_fill_rate;
int (*pin_limiter_measured_rate)(double *, const backoff_limiter *) = backoff_limiter_measured_rate;
int (*pin_limiter_capacity)(double *, const backoff_limiter *) = backoff_limiter_capacity;
int (*pin_limiter_tokens)(double *, const backoff_limiter *) = backoff_limiter_tokens;
int (*pin_limiter_enabled)(int *, const backoff_limiter *) = backoff_limiter_enabled;
int (*pin_breaker_pool_new)(backoff_breaker_pool **, const backoff_breaker_config *, int64_t) =
    backoff_breaker_pool_new;
void (*pin_breaker_pool_free)(backoff_breaker_pool *) = backoff_breaker_pool_free;
int (*pin_breaker_pool_acquire)(uint64_t *, int64_t *, backoff_breaker_pool *, const char *) =
    backoff_breaker_pool_acquire;
int (*pin_breaker_pool_acquire_at)(uint64_t *, int64_t *, backoff_breaker_pool *, const char *, int64_t) =
    backoff_breaker_pool_acquire_at;
int (*pin_breaker_pool_record)(backoff_breaker_pool *, const char *, uint64_t, int, int64_t, int64_t) =
    backoff_breaker_pool_record;
int (*pin_breaker_pool_record_at)(backoff_breaker_pool *, const char *, int64_t, uint64_t, int, int64_t, int64_t) =
    backoff_breaker_pool_record_at;
int (*pin_breaker_pool_release)(backoff_breaker_pool *, const char *, uint64_t) = backoff_breaker_pool_release;
int (*pin_breaker_pool_state)(int *, backoff_breaker_pool *, const char *) = backoff_breaker_pool_state;
int (*pin_breaker_pool_size)(int64_t *, const backoff_breaker_pool *) = backoff_breaker_pool_size;

/* Retry loop */
int (*pin_retrier_new)(backoff_retrier **, const backoff_policy *) = backoff_retrier_new;
void (*pin_retrier_free)(backoff_retrier *) = backoff_retrier_free;
int (*pin_retrier_set_breaker)(backoff_retrier *, backoff_breaker *) = backoff_retrier_set_breaker;
int (*pin_retrier_set_budget)(backoff_retrier *, backoff_budget *) = backoff_retrier_set_budget;
int (*pin_retrier_set_limiter)(backoff_retrier *, backoff_limiter *) = backoff_retrier_set_limiter;
int (*pin_retrier_set_clock)(backoff_retrier *, backoff_clock_fn, void *) = backoff_retrier_set_clock;
int (*pin_retrier_set_sleep)(backoff_retrier *, backoff_sleep_fn, void *) = backoff_retrier_set_sleep;
int (*pin_retrier_set_before_sleep)(backoff_retrier *, backoff_before_sleep_fn, void *) =
    backoff_retrier_set_before_sleep;
int (*pin_retrier_set_on_giveup)(backoff_retrier *, backoff_giveup_fn, void *) = backoff_retrier_set_on_giveup;
int (*pin_retrier_set_on_success)(backoff_retrier *, backoff_success_fn, void *) = backoff_retrier_set_on_success;
int (*pin_retrier_run)(int *, backoff_retrier *, backoff_attempt_fn, void *) = backoff_retrier_run;
int (*pin_retry)(int *, const backoff_policy *, backoff_attempt_fn, void *) = backoff_retry;
int (*pin_retrier_cancel)(backoff_retrier *) = backoff_retrier_cancel;
int (*pin_retrier_reset)(backoff_retrier *) = backoff_retrier_reset;
int (*pin_retrier_reset_at)(backoff_retrier *, int64_t) = backoff_retrier_reset_at;
int (*pin_retrier_set_deadline_at)(backoff_retrier *, int64_t) = backoff_retrier_set_deadline_at;
int (*pin_retrier_deadline)(int64_t *, const backoff_retrier *) = backoff_retrier_deadline;
int (*pin_retrier_before_attempt)(int64_t *, backoff_retrier *) = backoff_retrier_before_attempt;
int (*pin_retrier_before_attempt_at)(int64_t *, backoff_retrier *, int64_t) = backoff_retrier_before_attempt_at;
int (*pin_retrier_on_failure)(int64_t *, backoff_retrier *, int, int64_t) = backoff_retrier_on_failure;
int (*pin_retrier_on_failure_at)(int64_t *, backoff_retrier *, int64_t, int, int64_t) =
    backoff_retrier_on_failure_at;
int (*pin_retrier_on_success)(backoff_retrier *) = backoff_retrier_on_success;
int (*pin_retrier_on_success_at)(backoff_retrier *, int64_t) = backoff_retrier_on_success_at;
int (*pin_retrier_on_permanent_failure)(backoff_retrier *) = backoff_retrier_on_permanent_failure;
int (*pin_retrier_on_permanent_failure_at)(backoff_retrier *, int64_t) = backoff_retrier_on_permanent_failure_at;
int (*pin_retrier_get_outcome)(int *, const backoff_retrier *) = backoff_retrier_get_outcome;
int (*pin_retrier_attempts)(uint64_t *, const backoff_retrier *) = backoff_retrier_attempts;
int (*pin_retrier_failures)(uint64_t *, const backoff_retrier *) = backoff_retrier_failures;
int (*pin_retrier_idle)(int64_t *, const backoff_retrier *) = backoff_retrier_idle;
int (*pin_retrier_elapsed)(int64_t *, const backoff_retrier *) = backoff_retrier_elapsed;
int (*pin_retrier_elapsed_at)(int64_t *, const backoff_retrier *, int64_t) = backoff_retrier_elapsed_at;

/* The retry loop's callback types: a user's operation, sleep and hooks have these shapes. */
static int user_attempt(int64_t *out_hint_ns, void *user_data) {
  (void)out_hint_ns;
  (void)user_data;
  return BACKOFF_ATTEMPT_SUCCESS;
}
static int user_sleep(int64_t delay_ns, void *user_data) {
  (void)delay_ns;
  (void)user_data;
  return 0;
}
static int user_before_sleep(uint64_t failures, int64_t delay_ns, void *user_data) {
  (void)failures;
  (void)delay_ns;
  (void)user_data;
  return 0;
}
static int user_giveup(int status, uint64_t attempts, void *user_data) {
  (void)status;
  (void)attempts;
  (void)user_data;
  return 0;
}
static int user_success(uint64_t attempts, void *user_data) {
  (void)attempts;
  (void)user_data;
  return 0;
}
backoff_attempt_fn pin_attempt_fn = user_attempt;
backoff_sleep_fn pin_sleep_fn = user_sleep;
backoff_before_sleep_fn pin_before_sleep_fn = user_before_sleep;
backoff_giveup_fn pin_giveup_fn = user_giveup;
backoff_success_fn pin_success_fn = user_success;

/* Observability */
int (*pin_retry_stats_new)(backoff_retry_stats **) = backoff_retry_stats_new;
void (*pin_retry_stats_free)(backoff_retry_stats *) = backoff_retry_stats_free;
int (*pin_retrier_set_stats)(backoff_retrier *, backoff_retry_stats *) = backoff_retrier_set_stats;
int (*pin_retry_stats_get_snapshot)(backoff_retry_stats_snapshot *, const backoff_retry_stats *) =
    backoff_retry_stats_get_snapshot;
int (*pin_breaker_get_snapshot)(backoff_breaker_snapshot *, const backoff_breaker *) = backoff_breaker_get_snapshot;
int (*pin_breaker_get_snapshot_at)(backoff_breaker_snapshot *, const backoff_breaker *, int64_t) =
    backoff_breaker_get_snapshot_at;
int (*pin_budget_get_snapshot)(backoff_budget_snapshot *, backoff_budget *) = backoff_budget_get_snapshot;
int (*pin_budget_get_snapshot_at)(backoff_budget_snapshot *, backoff_budget *, int64_t) = backoff_budget_get_snapshot_at;
int (*pin_retry_stats_set_name)(backoff_retry_stats *, const char *) = backoff_retry_stats_set_name;
int (*pin_breaker_set_name)(backoff_breaker *, const char *) = backoff_breaker_set_name;
int (*pin_budget_set_name)(backoff_budget *, const char *) = backoff_budget_set_name;
int (*pin_retry_stats_get_name)(const char **, const backoff_retry_stats *) = backoff_retry_stats_get_name;
int (*pin_breaker_get_name)(const char **, const backoff_breaker *) = backoff_breaker_get_name;
int (*pin_budget_get_name)(const char **, const backoff_budget *) = backoff_budget_get_name;

#endif /* BACKOFF_HEADER_PROTOTYPES_H */
