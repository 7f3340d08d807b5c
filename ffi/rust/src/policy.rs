//! Policy: the immutable schedule, and the builder that configures it.

use std::time::Duration;

use crate::error::{check, Error};
use crate::handle::{read, thread_safe, Handle};
use crate::settings::{build_handle, builder};
use crate::vocabulary::library_enum;
use crate::{delay_from_ns, sys};

library_enum! {
    /// How the delay grows with the attempt number (backoff_kind).
    pub enum Kind in BACKOFF_ENUM_KIND {
        Constant,
        Linear,
        Exponential,
        /// AWS's decorrelated jitter, min(cap, U(initial, previous * multiplier)); multiplier 3 is AWS's
        /// formula. Its randomness is built in, and [`Jitter`] does not apply.
        Decorrelated,
    }
}

library_enum! {
    /// The randomness applied to each delay d (backoff_jitter); the result is capped again.
    pub enum Jitter in BACKOFF_ENUM_JITTER {
        None,
        /// U(0, d), AWS's recommendation and the library's default.
        Full,
        /// d/2 + U(0, d/2).
        Equal,
        /// U(d(1-f), d(1+f)) with f the randomization factor, as cenkalti/backoff.
        Randomization,
    }
}

/// An immutable, validated schedule, freed on drop.
#[derive(Debug)]
pub struct Policy {
    handle: Handle<sys::backoff_policy>,
}

// SAFETY: backoff.h documents a policy as immutable and safe to use from any number of threads at once.
thread_safe!(Policy);

impl Policy {
    /// Starts from the library's defaults, which [`crate::policy_default`] reports parameter by parameter.
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::default()
    }

    /// The wait before retry number `attempt` (0 after the first failure), or `None` once the maximum
    /// number of attempts has been made. A pure function of (policy, attempt, key): pass a job id as
    /// `key` so that different jobs draw different jitter.
    pub fn delay(&self, attempt: u64, key: u64) -> Option<Duration> {
        // SAFETY: the handle is live while self is; out is a valid i64. Cannot fail with both non-NULL.
        delay_from_ns(read(|out| unsafe {
            sys::backoff_policy_delay(out, self.handle.as_ptr(), attempt, key)
        }))
    }

    /// The `key` of [`Policy::delay`] for a job id given as bytes (a `&str` as `id.as_bytes()`, its UTF-8):
    /// the library's `backoff_key_hash`, so one job id gives the same delays in every language.
    pub fn key_hash(id: &[u8]) -> u64 {
        // SAFETY: id points to id.len() readable bytes (a dangling but non-NULL pointer when empty, which
        // the library never reads); out is a valid u64. Cannot fail with both non-NULL.
        read(|out| unsafe { sys::backoff_key_hash(out, id.as_ptr().cast(), id.len() as u64) })
    }

    pub(crate) fn as_ptr(&self) -> *const sys::backoff_policy {
        self.handle.as_ptr()
    }
}

builder! {
    /// Collects parameters; the library validates each at once, and [`build`](Self::build) reports the
    /// first rejection with the library's message.
    pub struct PolicyBuilder for sys::backoff_config {
        choice kind(Kind) = BACKOFF_PARAM_KIND;
        choice jitter(Jitter) = BACKOFF_PARAM_JITTER;
        duration initial(Duration) = BACKOFF_PARAM_INITIAL_NS;
        duration increment(Duration) = BACKOFF_PARAM_INCREMENT_NS;
        duration cap(Duration) = BACKOFF_PARAM_CAP_NS;
        /// Deadline-based retries: no retry is made whose wait would end more than `max_elapsed` after the
        /// call's first failure.
        duration max_elapsed(Duration) = BACKOFF_PARAM_MAX_ELAPSED_NS;
        /// Counts every call, the first included: 3 means one call and at most two retries.
        count max_attempts(u32) = BACKOFF_PARAM_MAX_ATTEMPTS;
        real multiplier(f64) = BACKOFF_PARAM_MULTIPLIER;
        real randomization_factor(f64) = BACKOFF_PARAM_RANDOMIZATION_FACTOR;
    }
}

impl PolicyBuilder {
    /// Makes every delay reproducible, in any process and any language.
    pub fn seed(mut self, seed: u64) -> Self {
        // SAFETY: apply passes a live config.
        self.settings
            .apply(|config| check(unsafe { sys::backoff_config_set_u64(config, sys::BACKOFF_PARAM_SEED, seed) }));
        self
    }

    /// Validates the parameters together (cap >= initial, ...) and builds the policy.
    pub fn build(self) -> Result<Policy, Error> {
        self.settings
            .finish(|config| build_handle(config, sys::backoff_policy_new))
            .map(|handle| Policy { handle })
    }
}
