//! The raw C ABI of backoff.h: the declarations this crate uses, transcribed by hand (no bindgen, so no
//! libclang at build time). Opaque handles are zero-sized types behind raw pointers. The config
//! families' setters are declared with the one generic builder that calls them (settings.rs).

use std::ffi::{c_char, c_void};
use std::os::raw::c_int;

/// Declares the library's opaque types: never built or read on the Rust side, only pointed at.
macro_rules! opaque {
    ($($name:ident),+) => {
        $(#[repr(C)]
        pub struct $name {
            _private: [u8; 0],
        })+
    };
}

opaque!(
    backoff_config,
    backoff_policy,
    backoff_state,
    backoff_breaker_config,
    backoff_breaker,
    backoff_budget_config,
    backoff_budget,
    backoff_retrier,
    backoff_breaker_pool,
    backoff_budget_pool
);

pub const BACKOFF_OK: c_int = 0;
pub const BACKOFF_ECANCELED: c_int = -8;
pub const BACKOFF_EOPEN: c_int = -9;
pub const BACKOFF_STOP: i64 = -1;

pub const BACKOFF_PARAM_KIND: c_int = 0;
pub const BACKOFF_PARAM_INITIAL_NS: c_int = 1;
pub const BACKOFF_PARAM_MULTIPLIER: c_int = 2;
pub const BACKOFF_PARAM_INCREMENT_NS: c_int = 3;
pub const BACKOFF_PARAM_CAP_NS: c_int = 4;
pub const BACKOFF_PARAM_JITTER: c_int = 5;
pub const BACKOFF_PARAM_RANDOMIZATION_FACTOR: c_int = 6;
pub const BACKOFF_PARAM_MAX_ATTEMPTS: c_int = 7;
pub const BACKOFF_PARAM_MAX_ELAPSED_NS: c_int = 8;
pub const BACKOFF_PARAM_SEED: c_int = 9;

pub const BACKOFF_BREAKER_PARAM_TRIP: c_int = 0;
pub const BACKOFF_BREAKER_PARAM_FAILURE_THRESHOLD: c_int = 1;
pub const BACKOFF_BREAKER_PARAM_SLOW_CALL_DURATION_NS: c_int = 8;
pub const BACKOFF_BREAKER_PARAM_OPEN_DURATION_NS: c_int = 10;
pub const BACKOFF_BREAKER_PARAM_HALF_OPEN_PROBES: c_int = 11;

pub const BACKOFF_BUDGET_PARAM_CALIBRATION: c_int = 0;

pub const BACKOFF_ENUM_PARAM: c_int = 4;
pub const BACKOFF_ENUM_KIND: c_int = 5;
pub const BACKOFF_ENUM_JITTER: c_int = 6;
pub const BACKOFF_ENUM_BREAKER_TRIP: c_int = 8;
pub const BACKOFF_ENUM_BREAKER_STATE: c_int = 10;
pub const BACKOFF_ENUM_OUTCOME: c_int = 11;
pub const BACKOFF_ENUM_BREAKER_COUNT: c_int = 13;
pub const BACKOFF_ENUM_BUDGET_CALIBRATION: c_int = 15;
pub const BACKOFF_ENUM_ERROR_CLASS: c_int = 16;
pub const BACKOFF_ENUM_BUDGET_COUNT: c_int = 17;
pub const BACKOFF_ENUM_RETRY_OUTCOME: c_int = 19;
pub const BACKOFF_FIELD_DEFAULT: c_int = 3;

extern "C" {
    pub fn backoff_version_string() -> *const c_char;
    pub fn backoff_strerror(status: c_int) -> *const c_char;
    pub fn backoff_last_error() -> *const c_char;
    pub fn backoff_monotonic_now_ns() -> i64;

    pub fn backoff_version_number() -> std::os::raw::c_uint;
    pub fn backoff_name_of(family: c_int, value: c_int) -> *const c_char;
    pub fn backoff_value_of(out: *mut c_int, family: c_int, name: *const c_char) -> c_int;
    pub fn backoff_param_info(family: c_int, param: c_int, field: c_int) -> *const c_char;

    pub fn backoff_config_set_u64(config: *mut backoff_config, param: c_int, value: u64) -> c_int;

    pub fn backoff_policy_new(out: *mut *mut backoff_policy, config: *const backoff_config) -> c_int;
    pub fn backoff_policy_free(policy: *mut backoff_policy);
    pub fn backoff_policy_delay(out_ns: *mut i64, policy: *const backoff_policy, attempt: u64, key: u64) -> c_int;
    pub fn backoff_key_hash(out: *mut u64, bytes: *const c_void, size: u64) -> c_int;

    pub fn backoff_state_new(out: *mut *mut backoff_state, policy: *const backoff_policy) -> c_int;
    pub fn backoff_state_free(state: *mut backoff_state);
    pub fn backoff_state_next(out_ns: *mut i64, state: *mut backoff_state, hint_ns: i64) -> c_int;
    pub fn backoff_state_next_at(out_ns: *mut i64, state: *mut backoff_state, now_ns: i64, hint_ns: i64) -> c_int;
    pub fn backoff_state_reset(state: *mut backoff_state) -> c_int;
    pub fn backoff_state_reset_at(state: *mut backoff_state, now_ns: i64) -> c_int;
    pub fn backoff_state_elapsed_at(out_ns: *mut i64, state: *const backoff_state, now_ns: i64) -> c_int;
    pub fn backoff_state_attempt(out: *mut u64, state: *const backoff_state) -> c_int;

    pub fn backoff_breaker_new(out: *mut *mut backoff_breaker, config: *const backoff_breaker_config) -> c_int;
    pub fn backoff_breaker_free(breaker: *mut backoff_breaker);
    pub fn backoff_breaker_acquire(out_permit: *mut u64, out_wait_ns: *mut i64, breaker: *mut backoff_breaker)
        -> c_int;
    pub fn backoff_breaker_record(
        breaker: *mut backoff_breaker,
        permit: u64,
        outcome: c_int,
        duration_ns: i64,
        hint_ns: i64,
    ) -> c_int;
    pub fn backoff_breaker_release(breaker: *mut backoff_breaker, permit: u64) -> c_int;
    pub fn backoff_breaker_transition(breaker: *mut backoff_breaker, state: c_int) -> c_int;
    pub fn backoff_breaker_get_state(out: *mut c_int, breaker: *const backoff_breaker) -> c_int;
    pub fn backoff_breaker_get_count(out: *mut u64, breaker: *const backoff_breaker, which: c_int) -> c_int;
    pub fn backoff_breaker_get_i64(out: *mut i64, breaker: *const backoff_breaker, param: c_int) -> c_int;

    pub fn backoff_budget_new(out: *mut *mut backoff_budget, config: *const backoff_budget_config) -> c_int;
    pub fn backoff_budget_free(budget: *mut backoff_budget);
    pub fn backoff_budget_balance(out_milli: *mut i64, budget: *mut backoff_budget) -> c_int;
    pub fn backoff_budget_get_count(out: *mut u64, budget: *const backoff_budget, which: c_int) -> c_int;

    /// Experimental tier (LIBBACKOFF_EXPERIMENTAL_0), as are the pools' other functions.
    pub fn backoff_breaker_pool_new(
        out: *mut *mut backoff_breaker_pool,
        config: *const backoff_breaker_config,
        max_keys: i64,
    ) -> c_int;
    pub fn backoff_breaker_pool_free(pool: *mut backoff_breaker_pool);
    pub fn backoff_breaker_pool_acquire(
        out_permit: *mut u64,
        out_wait_ns: *mut i64,
        pool: *mut backoff_breaker_pool,
        key: *const c_char,
    ) -> c_int;
    pub fn backoff_breaker_pool_record(
        pool: *mut backoff_breaker_pool,
        key: *const c_char,
        permit: u64,
        outcome: c_int,
        duration_ns: i64,
        hint_ns: i64,
    ) -> c_int;
    pub fn backoff_breaker_pool_release(pool: *mut backoff_breaker_pool, key: *const c_char, permit: u64) -> c_int;
    pub fn backoff_breaker_pool_state(out: *mut c_int, pool: *mut backoff_breaker_pool, key: *const c_char) -> c_int;
    pub fn backoff_breaker_pool_size(out: *mut i64, pool: *const backoff_breaker_pool) -> c_int;

    pub fn backoff_budget_pool_new(
        out: *mut *mut backoff_budget_pool,
        config: *const backoff_budget_config,
        max_keys: i64,
    ) -> c_int;
    pub fn backoff_budget_pool_free(pool: *mut backoff_budget_pool);
    pub fn backoff_budget_pool_get(
        out: *mut *mut backoff_budget,
        pool: *mut backoff_budget_pool,
        key: *const c_char,
    ) -> c_int;
    pub fn backoff_budget_pool_size(out: *mut i64, pool: *const backoff_budget_pool) -> c_int;

    pub fn backoff_retry_after_parse(out_ns: *mut i64, value: *const c_char, now_unix_ns: i64) -> c_int;

    pub fn backoff_retrier_new(out: *mut *mut backoff_retrier, policy: *const backoff_policy) -> c_int;
    pub fn backoff_retrier_free(retrier: *mut backoff_retrier);
    /// Experimental tier (LIBBACKOFF_EXPERIMENTAL_0).
    pub fn backoff_retrier_set_breaker(retrier: *mut backoff_retrier, breaker: *mut backoff_breaker) -> c_int;
    /// Experimental tier (LIBBACKOFF_EXPERIMENTAL_0).
    pub fn backoff_retrier_set_budget(retrier: *mut backoff_retrier, budget: *mut backoff_budget) -> c_int;
    pub fn backoff_retrier_before_attempt(out_wait_ns: *mut i64, retrier: *mut backoff_retrier) -> c_int;
    pub fn backoff_retrier_on_failure(
        out_delay_ns: *mut i64,
        retrier: *mut backoff_retrier,
        error_class: c_int,
        hint_ns: i64,
    ) -> c_int;
    pub fn backoff_retrier_on_success(retrier: *mut backoff_retrier) -> c_int;
    pub fn backoff_retrier_on_permanent_failure(retrier: *mut backoff_retrier) -> c_int;
    pub fn backoff_retrier_get_outcome(out: *mut c_int, retrier: *const backoff_retrier) -> c_int;
    pub fn backoff_retrier_attempts(out: *mut u64, retrier: *const backoff_retrier) -> c_int;
}
