//! The raw C ABI of backoff.h: the declarations this crate uses, transcribed by hand (no bindgen, so no
//! libclang at build time). Opaque handles are zero-sized types behind raw pointers.

use std::ffi::{c_char, c_void};
use std::os::raw::c_int;

#[repr(C)]
pub struct backoff_config {
    _private: [u8; 0],
}
#[repr(C)]
pub struct backoff_policy {
    _private: [u8; 0],
}
#[repr(C)]
pub struct backoff_state {
    _private: [u8; 0],
}

pub const BACKOFF_OK: c_int = 0;
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

pub const BACKOFF_ENUM_PARAM: c_int = 4;
pub const BACKOFF_ENUM_KIND: c_int = 5;
pub const BACKOFF_ENUM_JITTER: c_int = 6;
pub const BACKOFF_FIELD_DEFAULT: c_int = 3;

extern "C" {
    pub fn backoff_version_string() -> *const c_char;
    pub fn backoff_strerror(status: c_int) -> *const c_char;
    pub fn backoff_last_error() -> *const c_char;
    pub fn backoff_monotonic_now_ns() -> i64;

    pub fn backoff_name_of(family: c_int, value: c_int) -> *const c_char;
    pub fn backoff_param_info(family: c_int, param: c_int, field: c_int) -> *const c_char;

    pub fn backoff_config_new(out: *mut *mut backoff_config) -> c_int;
    pub fn backoff_config_free(config: *mut backoff_config);
    pub fn backoff_config_set_i64(config: *mut backoff_config, param: c_int, value: i64) -> c_int;
    pub fn backoff_config_set_f64(config: *mut backoff_config, param: c_int, value: f64) -> c_int;
    pub fn backoff_config_set_u64(config: *mut backoff_config, param: c_int, value: u64) -> c_int;
    pub fn backoff_config_set_text(config: *mut backoff_config, name: *const c_char, value: *const c_char) -> c_int;

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
}
