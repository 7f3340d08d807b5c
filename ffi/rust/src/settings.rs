//! One builder core for the library's three config objects (policy, breaker, budget): a config handle,
//! typed setters that the library validates at once, and the first rejection kept for `build()`.

use std::ffi::CString;
use std::os::raw::{c_char, c_int};
use std::ptr;
use std::time::Duration;

use crate::error::{check, Error};
use crate::handle::{Free, Handle};
use crate::sys;

/// The C entry points of one config family. Implemented only for the library's config types.
pub(crate) trait ConfigApi: Sized {
    /// # Safety
    /// `out` points at a writable pointer slot.
    unsafe fn create(out: *mut *mut Self) -> c_int;
    /// # Safety
    /// `config` is NULL or came from `create` and is not used afterwards.
    unsafe fn free(config: *mut Self);
    /// # Safety (for the setters)
    /// `config` came from `create` and is live; `name` and `value` are NUL-terminated.
    unsafe fn set_i64(config: *mut Self, param: c_int, value: i64) -> c_int;
    unsafe fn set_f64(config: *mut Self, param: c_int, value: f64) -> c_int;
    unsafe fn set_text(config: *mut Self, name: *const c_char, value: *const c_char) -> c_int;
}

/// Declares one config family's C entry points (here rather than in sys.rs: nothing else calls them)
/// and implements ConfigApi with them.
macro_rules! config_api {
    ($config:ident: $new:ident, $free:ident, $set_i64:ident, $set_f64:ident, $set_text:ident) => {
        extern "C" {
            fn $new(out: *mut *mut sys::$config) -> c_int;
            fn $free(config: *mut sys::$config);
            fn $set_i64(config: *mut sys::$config, param: c_int, value: i64) -> c_int;
            fn $set_f64(config: *mut sys::$config, param: c_int, value: f64) -> c_int;
            fn $set_text(config: *mut sys::$config, name: *const c_char, value: *const c_char) -> c_int;
        }

        impl ConfigApi for sys::$config {
            unsafe fn create(out: *mut *mut Self) -> c_int {
                $new(out)
            }
            unsafe fn free(config: *mut Self) {
                $free(config)
            }
            unsafe fn set_i64(config: *mut Self, param: c_int, value: i64) -> c_int {
                $set_i64(config, param, value)
            }
            unsafe fn set_f64(config: *mut Self, param: c_int, value: f64) -> c_int {
                $set_f64(config, param, value)
            }
            unsafe fn set_text(config: *mut Self, name: *const c_char, value: *const c_char) -> c_int {
                $set_text(config, name, value)
            }
        }
    };
}

config_api!(backoff_config: backoff_config_new, backoff_config_free, backoff_config_set_i64,
            backoff_config_set_f64, backoff_config_set_text);
config_api!(backoff_breaker_config: backoff_breaker_config_new, backoff_breaker_config_free,
            backoff_breaker_config_set_i64, backoff_breaker_config_set_f64, backoff_breaker_config_set_text);
config_api!(backoff_budget_config: backoff_budget_config_new, backoff_budget_config_free,
            backoff_budget_config_set_i64, backoff_budget_config_set_f64, backoff_budget_config_set_text);

/// A config being filled in. Setters after a rejection do nothing, so the first error is the one
/// `finish` reports.
pub(crate) struct Settings<C: ConfigApi> {
    config: *mut C,
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
    pub(crate) fn apply(&mut self, set: impl FnOnce(*mut C) -> Result<(), Error>) {
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
    pub(crate) fn finish<T>(mut self, build: impl FnOnce(*const C) -> Result<T, Error>) -> Result<T, Error> {
        match self.error.take() {
            Some(error) => Err(error),
            None => build(self.config),
        }
    }
}

impl<C: ConfigApi> Default for Settings<C> {
    fn default() -> Self {
        Self::new()
    }
}

/// Declares a public builder over `Settings<$config>`, with one method per typed parameter
/// (`duration cap(Duration) = BACKOFF_PARAM_CAP_NS;`, also `count`, `real` and `choice`, a library enum)
/// and `set(name, value)` for every parameter by name. Its `build` is written beside it.
macro_rules! builder {
    ($(#[$meta:meta])* pub struct $builder:ident for $config:ty {
        $($(#[$doc:meta])* $type:ident $name:ident($value:ty) = $param:ident;)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Default)]
        pub struct $builder {
            settings: crate::settings::Settings<$config>,
        }

        impl $builder {
            $($(#[$doc])*
            pub fn $name(mut self, value: $value) -> Self {
                builder!(@set $type, self.settings, crate::sys::$param, stringify!($name), value);
                self
            })*

            /// Sets any parameter by its library name, from text as a configuration file gives it
            /// (`.set("cap", "30s")`, `.set("failure_ratio", "0.25")`); the library reads it as its own
            /// text setter does.
            pub fn set(mut self, name: &str, value: &str) -> Self {
                self.settings.set_text(name, value);
                self
            }
        }
    };
    (@set duration, $settings:expr, $param:expr, $name:expr, $value:ident) => {
        $settings.set_duration($param, $name, $value)
    };
    (@set count, $settings:expr, $param:expr, $name:expr, $value:ident) => {
        $settings.set_i64($param, i64::from($value))
    };
    (@set real, $settings:expr, $param:expr, $name:expr, $value:ident) => {
        $settings.set_f64($param, $value)
    };
    (@set choice, $settings:expr, $param:expr, $name:expr, $value:ident) => {
        $settings.set_i64($param, i64::from($value.value()))
    };
}
pub(crate) use builder;

impl<C: ConfigApi> Drop for Settings<C> {
    fn drop(&mut self) {
        // SAFETY: config is NULL (a no-op) or came from C::create; freed only here.
        unsafe { C::free(self.config) }
    }
}

impl<C: ConfigApi> std::fmt::Debug for Settings<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

/// The object the library builds from a finished config with `new(&mut out, config)`.
pub(crate) fn build_handle<T: Free, C>(
    config: *const C,
    new: unsafe extern "C" fn(*mut *mut T, *const C) -> c_int,
) -> Result<Handle<T>, Error> {
    // SAFETY: config is live (Settings::finish passes it); out points at a valid pointer slot.
    Handle::create(|out| unsafe { new(out, config) })
}
