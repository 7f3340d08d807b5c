//! Policy: the immutable schedule, and the builder that configures it.

use std::ffi::CString;
use std::os::raw::c_int;
use std::ptr::{self, NonNull};
use std::time::Duration;

use crate::error::{check, Error};
use crate::{delay_from_ns, sys};

/// How the delay grows with the attempt number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i64)]
pub enum Kind {
    Constant = 0,
    Linear = 1,
    Exponential = 2,
    /// AWS's decorrelated jitter: its randomness is built in, and [`Jitter`] does not apply.
    Decorrelated = 3,
}

/// The randomness applied to each delay d; the result is capped again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i64)]
pub enum Jitter {
    None = 0,
    /// U(0, d), AWS's recommendation.
    Full = 1,
    /// d/2 + U(0, d/2).
    Equal = 2,
    /// U(d(1-f), d(1+f)) with f the randomization factor, as cenkalti/backoff.
    Randomization = 3,
}

impl Kind {
    /// The library's name of this kind ("exponential"), as set_text and every other language read it.
    pub fn name(self) -> &'static str {
        crate::vocabulary::name_of(sys::BACKOFF_ENUM_KIND, self as i64).expect("the library names every kind")
    }
}

impl Jitter {
    /// The library's name of this jitter mode ("full").
    pub fn name(self) -> &'static str {
        crate::vocabulary::name_of(sys::BACKOFF_ENUM_JITTER, self as i64).expect("the library names every jitter mode")
    }
}

/// An immutable, validated schedule, freed on drop.
#[derive(Debug)]
pub struct Policy {
    handle: NonNull<sys::backoff_policy>,
}

// SAFETY: backoff.h documents a policy as immutable and safe to use from any number of threads at once.
unsafe impl Send for Policy {}
unsafe impl Sync for Policy {}

impl Policy {
    /// Starts from the library's defaults, which [`crate::policy_default`] reports parameter by parameter.
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder {
            config: ptr::null_mut(),
            error: None,
        }
        .started()
    }

    /// The wait before retry number `attempt` (0 after the first failure), or `None` once the maximum
    /// number of attempts has been made. A pure function of (policy, attempt, key): pass a job id as
    /// `key` so that different jobs draw different jitter.
    pub fn delay(&self, attempt: u64, key: u64) -> Option<Duration> {
        let mut out = 0;
        // SAFETY: the handle is live while self is; out is a valid i64. Cannot fail with both non-NULL.
        unsafe { sys::backoff_policy_delay(&mut out, self.handle.as_ptr(), attempt, key) };
        delay_from_ns(out)
    }

    /// The `key` of [`Policy::delay`] for a job id given as bytes (a `&str` as `id.as_bytes()`, its UTF-8):
    /// the library's `backoff_key_hash`, so one job id gives the same delays in every language.
    pub fn key_hash(id: &[u8]) -> u64 {
        let mut out = 0;
        // SAFETY: id points to id.len() readable bytes (a dangling but non-NULL pointer when empty, which
        // the library never reads); out is a valid u64. Cannot fail with both non-NULL.
        unsafe { sys::backoff_key_hash(&mut out, id.as_ptr().cast(), id.len() as u64) };
        out
    }

    pub(crate) fn as_ptr(&self) -> *const sys::backoff_policy {
        self.handle.as_ptr()
    }
}

impl Drop for Policy {
    fn drop(&mut self) {
        // SAFETY: the handle came from backoff_policy_new and is freed only here.
        unsafe { sys::backoff_policy_free(self.handle.as_ptr()) }
    }
}

/// Collects parameters; the library validates each at once, and [`build`](Self::build) reports the
/// first rejection with the library's message.
#[derive(Debug)]
pub struct PolicyBuilder {
    config: *mut sys::backoff_config,
    error: Option<Error>,
}

impl PolicyBuilder {
    fn started(mut self) -> Self {
        // SAFETY: out points at a valid pointer slot.
        self.error = check(unsafe { sys::backoff_config_new(&mut self.config) }).err();
        self
    }

    /// Applies one setter unless an earlier one failed, so that the first error is the one reported.
    fn apply(mut self, set: impl FnOnce(*mut sys::backoff_config) -> Result<(), Error>) -> Self {
        if self.error.is_none() {
            self.error = set(self.config).err();
        }
        self
    }

    fn set_i64(self, param: c_int, value: i64) -> Self {
        // SAFETY (here and below): apply runs only with a config that backoff_config_new created.
        self.apply(|config| check(unsafe { sys::backoff_config_set_i64(config, param, value) }))
    }

    fn set_f64(self, param: c_int, value: f64) -> Self {
        self.apply(|config| check(unsafe { sys::backoff_config_set_f64(config, param, value) }))
    }

    fn set_duration(self, param: c_int, name: &str, value: Duration) -> Self {
        match i64::try_from(value.as_nanos()) {
            Ok(ns) => self.set_i64(param, ns),
            Err(_) => self.apply(|_| Err(Error::invalid(format!("{name}: longer than i64::MAX ns ({value:?})")))),
        }
    }

    pub fn kind(self, kind: Kind) -> Self {
        self.set_i64(sys::BACKOFF_PARAM_KIND, kind as i64)
    }
    pub fn jitter(self, jitter: Jitter) -> Self {
        self.set_i64(sys::BACKOFF_PARAM_JITTER, jitter as i64)
    }
    pub fn initial(self, initial: Duration) -> Self {
        self.set_duration(sys::BACKOFF_PARAM_INITIAL_NS, "initial", initial)
    }
    pub fn increment(self, increment: Duration) -> Self {
        self.set_duration(sys::BACKOFF_PARAM_INCREMENT_NS, "increment", increment)
    }
    pub fn cap(self, cap: Duration) -> Self {
        self.set_duration(sys::BACKOFF_PARAM_CAP_NS, "cap", cap)
    }
    pub fn max_elapsed(self, max_elapsed: Duration) -> Self {
        self.set_duration(sys::BACKOFF_PARAM_MAX_ELAPSED_NS, "max_elapsed", max_elapsed)
    }
    /// Counts every call, the first included: 3 means one call and at most two retries.
    pub fn max_attempts(self, max_attempts: u32) -> Self {
        self.set_i64(sys::BACKOFF_PARAM_MAX_ATTEMPTS, i64::from(max_attempts))
    }
    pub fn multiplier(self, multiplier: f64) -> Self {
        self.set_f64(sys::BACKOFF_PARAM_MULTIPLIER, multiplier)
    }
    pub fn randomization_factor(self, factor: f64) -> Self {
        self.set_f64(sys::BACKOFF_PARAM_RANDOMIZATION_FACTOR, factor)
    }
    /// Makes every delay reproducible, in any process and any language.
    pub fn seed(self, seed: u64) -> Self {
        self.apply(|config| check(unsafe { sys::backoff_config_set_u64(config, sys::BACKOFF_PARAM_SEED, seed) }))
    }

    /// Sets a parameter from text, as a configuration file gives it: `.set("cap", "30s")`.
    pub fn set(self, name: &str, value: &str) -> Self {
        self.apply(|config| {
            let (Ok(name), Ok(value)) = (CString::new(name), CString::new(value)) else {
                return Err(Error::invalid(format!("{name:?}={value:?}: contains a NUL byte")));
            };
            check(unsafe { sys::backoff_config_set_text(config, name.as_ptr(), value.as_ptr()) })
        })
    }

    /// Validates the parameters together (cap >= initial, ...) and builds the policy.
    pub fn build(mut self) -> Result<Policy, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let mut handle = ptr::null_mut();
        // SAFETY: config is live (no error so far); out points at a valid pointer slot.
        check(unsafe { sys::backoff_policy_new(&mut handle, self.config) })?;
        let handle = NonNull::new(handle).expect("backoff_policy_new succeeded with a NULL policy");
        Ok(Policy { handle })
    }
}

impl Drop for PolicyBuilder {
    fn drop(&mut self) {
        // SAFETY: config is NULL (a no-op) or came from backoff_config_new; freed only here.
        unsafe { sys::backoff_config_free(self.config) }
    }
}
