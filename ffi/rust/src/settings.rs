//! One builder core for the library's three config objects (policy, breaker, budget): a config handle,
//! typed setters that the library validates at once, and the first rejection kept for `build()`.

use std::ffi::CString;
use std::os::raw::{c_char, c_int};
use std::ptr;
use std::time::Duration;

use crate::error::{check, Error};
use crate::sys;

/// The C entry points of one config family. Implemented only for the library's config types.
pub(crate) trait ConfigApi {
    type Config;
    /// # Safety
    /// `out` points at a writable pointer slot.
    unsafe fn create(out: *mut *mut Self::Config) -> c_int;
    /// # Safety
    /// `config` is NULL or came from `create` and is not used afterwards.
    unsafe fn free(config: *mut Self::Config);
    /// # Safety (for the setters)
    /// `config` came from `create` and is live; `name` and `value` are NUL-terminated.
    unsafe fn set_i64(config: *mut Self::Config, param: c_int, value: i64) -> c_int;
    unsafe fn set_f64(config: *mut Self::Config, param: c_int, value: f64) -> c_int;
    unsafe fn set_text(config: *mut Self::Config, name: *const c_char, value: *const c_char) -> c_int;
}

/// Implements ConfigApi for a family whose functions are named `backoff_<prefix>_new`, `_free`, ...
macro_rules! config_api {
    ($config:ty, $new:ident, $free:ident, $set_i64:ident, $set_f64:ident, $set_text:ident) => {
        impl ConfigApi for $config {
            type Config = $config;
            unsafe fn create(out: *mut *mut $config) -> c_int {
                sys::$new(out)
            }
            unsafe fn free(config: *mut $config) {
                sys::$free(config)
            }
            unsafe fn set_i64(config: *mut $config, param: c_int, value: i64) -> c_int {
                sys::$set_i64(config, param, value)
            }
            unsafe fn set_f64(config: *mut $config, param: c_int, value: f64) -> c_int {
                sys::$set_f64(config, param, value)
            }
            unsafe fn set_text(config: *mut $config, name: *const c_char, value: *const c_char) -> c_int {
                sys::$set_text(config, name, value)
            }
        }
    };
}

config_api!(
    sys::backoff_config,
    backoff_config_new,
    backoff_config_free,
    backoff_config_set_i64,
    backoff_config_set_f64,
    backoff_config_set_text
);
config_api!(
    sys::backoff_breaker_config,
    backoff_breaker_config_new,
    backoff_breaker_config_free,
    backoff_breaker_config_set_i64,
    backoff_breaker_config_set_f64,
    backoff_breaker_config_set_text
);
config_api!(
    sys::backoff_budget_config,
    backoff_budget_config_new,
    backoff_budget_config_free,
    backoff_budget_config_set_i64,
    backoff_budget_config_set_f64,
    backoff_budget_config_set_text
);

/// A config being filled in. Setters after a rejection do nothing, so the first error is the one
/// `finish` reports.
pub(crate) struct Settings<C: ConfigApi> {
    config: *mut C::Config,
    error: Option<Error>,
}

// SAFETY: the config is owned by this value alone and used by one thread at a time (&mut self).
unsafe impl<C: ConfigApi> Send for Settings<C> {}

impl<C: ConfigApi> Settings<C> {
    /// A config holding the library's defaults.
    pub(crate) fn new() -> Self {
        let mut config = ptr::null_mut();
        // SAFETY: out points at a valid pointer slot.
        let error = check(unsafe { C::create(&mut config) }).err();
        Self { config, error }
    }

    /// Applies one setter unless an earlier one failed.
    pub(crate) fn apply(&mut self, set: impl FnOnce(*mut C::Config) -> Result<(), Error>) {
        if self.error.is_none() {
            self.error = set(self.config).err();
        }
    }

    pub(crate) fn set_i64(&mut self, param: c_int, value: i64) {
        // SAFETY (here and below): apply runs only while no setter failed, so config is live.
        self.apply(|config| check(unsafe { C::set_i64(config, param, value) }))
    }

    pub(crate) fn set_f64(&mut self, param: c_int, value: f64) {
        self.apply(|config| check(unsafe { C::set_f64(config, param, value) }))
    }

    /// A duration in ns; one beyond i64::MAX ns is rejected under `name`, never truncated.
    pub(crate) fn set_duration(&mut self, param: c_int, name: &str, value: Duration) {
        match i64::try_from(value.as_nanos()) {
            Ok(ns) => self.set_i64(param, ns),
            Err(_) => self.apply(|_| Err(Error::invalid(format!("{name}: longer than i64::MAX ns ({value:?})")))),
        }
    }

    /// A parameter by name, from text as a configuration file gives it ("30s", "ratio", "0.25").
    pub(crate) fn set_text(&mut self, name: &str, value: &str) {
        self.apply(|config| {
            let (Ok(c_name), Ok(c_value)) = (CString::new(name), CString::new(value)) else {
                return Err(Error::invalid(format!("{name:?}={value:?}: contains a NUL byte")));
            };
            check(unsafe { C::set_text(config, c_name.as_ptr(), c_value.as_ptr()) })
        })
    }

    /// The first rejection, or `build(config)`'s result: the object built from the config.
    pub(crate) fn finish<T>(mut self, build: impl FnOnce(*const C::Config) -> Result<T, Error>) -> Result<T, Error> {
        match self.error.take() {
            Some(error) => Err(error),
            None => build(self.config),
        }
    }
}

impl<C: ConfigApi> Drop for Settings<C> {
    fn drop(&mut self) {
        // SAFETY: config is NULL (a no-op) or came from C::create; freed only here.
        unsafe { C::free(self.config) }
    }
}

impl<C: ConfigApi> std::fmt::Debug for Settings<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings").field("error", &self.error).finish_non_exhaustive()
    }
}

/// A handle the library creates with `new(&mut out, config)`: wraps the status and the pointer.
pub(crate) fn build_handle<T, C>(
    config: *const C,
    new: unsafe extern "C" fn(*mut *mut T, *const C) -> c_int,
) -> Result<ptr::NonNull<T>, Error> {
    let mut handle = ptr::null_mut();
    // SAFETY: config is live (Settings::finish passes it); out points at a valid pointer slot.
    check(unsafe { new(&mut handle, config) })?;
    Ok(ptr::NonNull::new(handle).expect("the library returned OK with a NULL handle"))
}
