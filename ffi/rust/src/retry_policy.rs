//! `RetryPolicy`: the plain-data policy of the media gateway's retry utility (seed 003), translated into
//! an engine [`Policy`] once and cached.

use std::cell::RefCell;
use std::ops::Deref;
use std::sync::Mutex;
use std::time::Duration;

use crate::error::Error;
use crate::policy::{Jitter, Policy, PolicyBuilder};

/// How often to retry and how long to wait: exponential from `base_delay_ms`, doubling at each retry
/// (the library's default multiplier), at most `max_delay_ms`, with the library's default jitter
/// ([`Jitter::Full`], U(0, d)) when `jitter` is set. `max_retries` counts retries, not calls: 3 means at
/// most 4 calls.
///
/// The library validates it when a call starts: `base_delay_ms` must be above 0 and `max_delay_ms` at
/// least `base_delay_ms`. For another jitter mode or growth, start from [`RetryPolicy::builder`].
///
/// ```
/// use backoff_ffi::RetryPolicy;
///
/// let policy = RetryPolicy::new(3, 100, 5000, false);
/// assert_eq!(policy, RetryPolicy { jitter: false, ..RetryPolicy::default() });
/// let waits: Vec<Option<u128>> = (0..4).map(|n| policy.delay(n).map(|d| d.map(|d| d.as_millis()))).collect::<Result<_, _>>()?;
/// assert_eq!(waits, [Some(100), Some(200), Some(400), None]); // no fourth retry
/// # Ok::<(), backoff_ffi::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
    pub jitter: bool,
}

impl Default for RetryPolicy {
    /// 3 retries from 100 ms, at most 5 s apart, jittered.
    fn default() -> Self {
        Self::new(3, 100, 5000, true)
    }
}

/// How many distinct RetryPolicy values get an engine policy built once and kept for the life of the
/// process: a service retries with a handful of policies all its life, and building one costs several
/// library calls. Past this many, each call builds and frees its own.
const INTERNED: usize = 64;

/// The interned engine policies (never freed: at most INTERNED small handles).
static INTERNED_POLICIES: Mutex<Vec<(RetryPolicy, &'static Policy)>> = Mutex::new(Vec::new());

thread_local! {
    /// This thread's copy of the interned list, read without a lock on every call.
    static SEEN: RefCell<Vec<(RetryPolicy, &'static Policy)>> = const { RefCell::new(Vec::new()) };
}

/// The engine policy of a RetryPolicy: interned, or the call's own.
pub(crate) enum EnginePolicy {
    Interned(&'static Policy),
    Owned(Policy),
}

impl Deref for EnginePolicy {
    type Target = Policy;
    fn deref(&self) -> &Policy {
        match self {
            Self::Interned(policy) => policy,
            Self::Owned(policy) => policy,
        }
    }
}

impl RetryPolicy {
    pub const fn new(max_retries: u32, base_delay_ms: u64, max_delay_ms: u64, jitter: bool) -> Self {
        Self {
            max_retries,
            base_delay_ms,
            max_delay_ms,
            jitter,
        }
    }

    /// For critical paths: 5 retries from 50 ms, at most 5 s apart, jittered.
    pub const fn aggressive() -> Self {
        Self::new(5, 50, 5000, true)
    }

    /// For work that can wait: 2 retries from 500 ms, at most 3 s apart, jittered.
    pub const fn gentle() -> Self {
        Self::new(2, 500, 3000, true)
    }

    /// The engine policy's builder with this policy's settings, to change what the four fields cannot
    /// say: `.jitter(Jitter::Equal)`, `.kind(Kind::Decorrelated).multiplier(3.0)`, `.max_elapsed(..)`.
    pub fn builder(&self) -> PolicyBuilder {
        let builder = Policy::builder()
            .initial(Duration::from_millis(self.base_delay_ms))
            .cap(Duration::from_millis(self.max_delay_ms))
            .max_attempts(self.max_retries.saturating_add(1));
        if self.jitter {
            builder // the library's default jitter mode
        } else {
            builder.jitter(Jitter::None)
        }
    }

    /// The engine policy, or the library's message naming the field it rejects.
    pub fn to_policy(&self) -> Result<Policy, Error> {
        self.builder().build()
    }

    /// The wait before retry number `attempt` (0 after the first failure), drawn by the engine, or
    /// `None` past `max_retries`. Each call draws afresh.
    pub fn delay(&self, attempt: u32) -> Result<Option<Duration>, Error> {
        Ok(self.to_policy()?.delay(u64::from(attempt), 0))
    }

    /// The engine policy for this value: this thread's copy of the interned list, then the list itself,
    /// then a new policy, interned while there is room.
    pub(crate) fn engine_policy(&self) -> Result<EnginePolicy, Error> {
        let find =
            |list: &[(RetryPolicy, &'static Policy)]| list.iter().find(|(known, _)| known == self).map(|entry| entry.1);
        if let Some(policy) = SEEN.with(|seen| find(&seen.borrow())) {
            return Ok(EnginePolicy::Interned(policy));
        }
        let mut interned = INTERNED_POLICIES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let policy = match find(&interned) {
            Some(policy) => policy,
            None if interned.len() < INTERNED => {
                let policy: &'static Policy = Box::leak(Box::new(self.to_policy()?));
                interned.push((*self, policy));
                policy
            }
            None => return Ok(EnginePolicy::Owned(self.to_policy()?)),
        };
        SEEN.with(|seen| seen.borrow_mut().push((*self, policy)));
        Ok(EnginePolicy::Interned(policy))
    }
}
