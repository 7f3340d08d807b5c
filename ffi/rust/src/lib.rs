//! Retries with backoff, a circuit breaker and a retry budget for Rust, every decision made by
//! libbackoff's C engine (libbackoff.so) through its C ABI: this crate only translates and waits.
//!
//! - [`retry_with_backoff`] and [`RetryPolicy`] (`default()`, `aggressive()`, `gentle()`, `new(..)`):
//!   the media gateway's retry utility, async over any future, and [`retry_with_backoff_blocking`].
//! - [`Retry`]: the same loop with a [`CircuitBreaker`], a [`RetryBudget`], a server's Retry-After
//!   ([`Verdict::throttled`], [`retry_after`]) and any runtime's sleep ([`Retry::sleep`]); it ends with a
//!   [`RetryError`] that keeps the operation's last error and says why it stopped.
//! - [`Policy`]: the engine's schedule. Jitter modes ([`Jitter`]: none, full, equal, randomization) and
//!   growth ([`Kind`], decorrelated jitter included), `max_elapsed` for deadline-based retries, a seed for
//!   reproducible delays. [`State`] is its stateful form, an [`Iterator`] of delays.
//! - [`BreakerPool`] and [`BudgetPool`]: a breaker or a budget per key (a host, a tenant) in bounded memory.
//! - Handles are freed by `Drop`. `Policy`, `CircuitBreaker` and `RetryBudget` are `Send + Sync`, as the
//!   C library documents them; `State` is `Send`.
//! - Features: `tokio` (default) waits on tokio's timer; without it, on a thread per wait. `tracing`
//!   emits an event per retry, per give-up and per refused attempt.
//!
//! The library is found at link time through `BACKOFF_LIB_DIR` (see build.rs) and at run time by the
//! system loader (`LD_LIBRARY_PATH` or an installed copy). See docs/ffi/rust.md in the source tree.
//!
//! ```
//! use std::time::Duration;
//! use backoff_ffi::{retry_with_backoff, CircuitBreaker, Jitter, Policy, Retry, RetryError, RetryPolicy, State};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
//! // The seed's function: 3 retries from 100 ms, jittered; `true` from the predicate means retry.
//! let body = retry_with_backoff(|| async { Ok::<_, std::io::Error>("body") }, RetryPolicy::default(), |_| true).await;
//! assert_eq!(body.unwrap(), "body");
//!
//! // The engine's schedule, and the same loop guarded by a breaker.
//! let policy = Policy::builder().initial(Duration::from_millis(1)).jitter(Jitter::None).max_attempts(4).build()?;
//! assert_eq!(State::new(&policy)?.collect::<Vec<_>>(), [1, 2, 4].map(Duration::from_millis));
//! let breaker = CircuitBreaker::builder().failure_threshold(2).build()?;
//! let result = Retry::new(&policy).breaker(&breaker).run(|| async { Err::<(), _>("down") }, |_| true).await;
//! assert!(matches!(result, Err(RetryError::CircuitOpen { last: Some("down"), .. })));
//!
//! // Bad input is the library's error, naming the parameter and the value.
//! let error = Policy::builder().multiplier(0.5).build().unwrap_err();
//! assert_eq!(error.message(), "multiplier: must be at least 1 (got 0.5)");
//! # Ok::<(), backoff_ffi::Error>(())
//! # }).unwrap();
//! ```

mod breaker;
mod breaker_pool;
mod budget;
mod budget_pool;
mod call;
mod error;
mod events;
mod handle;
mod policy;
mod pool_key;
mod retrier;
mod retry;
mod retry_after;
mod retry_error;
mod retry_policy;
mod settings;
mod sleep;
mod state;
mod sys;
mod vocabulary;

pub use breaker::{
    BreakerBuilder, BreakerCount, BreakerError, BreakerState, CircuitBreaker, CircuitOpen, Outcome, Permit, Trip,
};
pub use breaker_pool::{BreakerPool, PoolPermit};
pub use budget::{BudgetBuilder, BudgetCount, Calibration, RetryBudget};
pub use budget_pool::BudgetPool;
pub use call::Verdict;
pub use error::{Error, ErrorCode};
pub use policy::{Jitter, Kind, Policy, PolicyBuilder};
pub use retrier::{ErrorClass, RetryOutcome};
pub use retry::{retry_with_backoff, retry_with_backoff_blocking, Retry};
pub use retry_after::retry_after;
pub use retry_error::RetryError;
pub use retry_policy::RetryPolicy;
#[cfg(not(feature = "tokio"))]
pub use sleep::ThreadSleep;
pub use sleep::{DefaultSleep, Sleeper};
pub use state::State;
pub use vocabulary::{names, policy_default};

use std::ffi::CStr;
use std::time::Duration;

/// Does nothing in the library: what crossing into libbackoff.so costs by itself (the benchmarks' bare
/// FFI call). Returns the loaded library's version number, MAJOR * 10000 + MINOR * 100 + PATCH.
pub fn version_number() -> u32 {
    // SAFETY: no arguments; never fails.
    unsafe { sys::backoff_version_number() }
}

/// The version of the library actually loaded, as "MAJOR.MINOR.PATCH".
pub fn version() -> &'static str {
    // SAFETY: the library returns a static, NUL-terminated ASCII string.
    unsafe { CStr::from_ptr(sys::backoff_version_string()) }
        .to_str()
        .unwrap_or("?")
}

/// The library's monotonic clock: the time scale of [`State::next_at`] and [`State::reset_at`].
pub fn monotonic_now() -> Duration {
    // SAFETY: no arguments; the clock never fails.
    duration_from_ns(unsafe { sys::backoff_monotonic_now_ns() })
}

/// A C delay: BACKOFF_STOP becomes `None`; every other value the library returns is in [0, cap].
fn delay_from_ns(ns: i64) -> Option<Duration> {
    (ns != sys::BACKOFF_STOP).then(|| duration_from_ns(ns))
}

fn duration_from_ns(ns: i64) -> Duration {
    Duration::from_nanos(u64::try_from(ns).unwrap_or(0))
}

/// A time or a hint for the C API. Past i64::MAX ns (292 years) it saturates, which the library itself
/// does with any sum that large.
fn ns_from_duration(duration: Duration) -> i64 {
    i64::try_from(duration.as_nanos()).unwrap_or(i64::MAX)
}
