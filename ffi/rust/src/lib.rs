//! Safe Rust over libbackoff.so: the C library decides every delay, this crate only translates.
//!
//! - [`Policy`] is an immutable, validated schedule, `Send + Sync`: share it behind an `Arc`.
//!   [`Policy::delay`] is the stateless form, a pure function of (seed, key, attempt).
//! - [`State`] is the stateful form. It is an [`Iterator`] of delays on the library's monotonic clock,
//!   like backon's backoffs; [`State::next_at`] takes the time instead, for simulated time.
//! - `None` in place of a delay means "stop retrying" (BACKOFF_STOP in C).
//! - Handles are freed by `Drop`.
//!
//! The library is found at link time through `BACKOFF_LIB_DIR` (see build.rs) and at run time by the
//! system loader (`LD_LIBRARY_PATH` or an installed copy). See docs/ffi/rust.md in the source tree.
//!
//! ```
//! use std::time::Duration;
//! use backoff_ffi::{Jitter, Policy, State};
//!
//! let policy = Policy::builder().initial(Duration::from_millis(100)).jitter(Jitter::None).max_attempts(4).build()?;
//! let waits: Vec<Duration> = State::new(&policy)?.collect();
//! assert_eq!(waits, [100, 200, 400].map(Duration::from_millis));
//!
//! let error = Policy::builder().multiplier(0.5).build().unwrap_err();
//! assert_eq!(error.message(), "multiplier: must be at least 1 (got 0.5)");
//! # Ok::<(), backoff_ffi::Error>(())
//! ```

mod breaker;
mod budget;
mod call;
mod error;
mod events;
mod policy;
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

pub use breaker::{BreakerBuilder, BreakerCount, BreakerError, BreakerState, CircuitBreaker, CircuitOpen, Outcome, Permit, Trip};
pub use budget::{BudgetBuilder, BudgetCount, Calibration, RetryBudget};
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
