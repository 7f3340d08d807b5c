//! The library's circuit breaker: closed -> open -> half-open -> closed, decided in C, shared by threads.

use std::fmt;
use std::future::Future;
use std::os::raw::c_int;
use std::time::{Duration, Instant};

use crate::error::{check, Error};
use crate::handle::{read, thread_safe, Handle};
use crate::settings::{build_handle, builder};
use crate::vocabulary::library_enum;
use crate::{duration_from_ns, ns_from_duration, sys};

library_enum! {
    /// A breaker's state (backoff_breaker_state).
    pub enum BreakerState in BACKOFF_ENUM_BREAKER_STATE {
        /// Admits every call; the trip rule watches the results.
        Closed,
        /// Rejects every call until the open period is over.
        Open,
        /// Admits a few probe calls at a time.
        HalfOpen,
        /// Forced open: rejects every call until a manual transition.
        Isolated,
        /// Admits every call and never trips, until a manual transition.
        Disabled,
    }
}

library_enum! {
    /// What trips a closed breaker (backoff_breaker_trip).
    pub enum Trip in BACKOFF_ENUM_BREAKER_TRIP {
        /// `failure_threshold` failures in a row.
        Consecutive,
        /// `failure_threshold` failures within the window.
        Count,
        /// A failure ratio within the window, once it holds `min_calls` calls.
        Ratio,
    }
}

library_enum! {
    /// The counts a breaker keeps (backoff_breaker_count).
    pub enum BreakerCount in BACKOFF_ENUM_BREAKER_COUNT {
        Admitted,
        Rejected,
        Successes,
        Failures,
        Ignored,
        Released,
        Stale,
        Slow,
        Expired,
        Trips,
        ConsecutiveFailures,
        WindowCalls,
        WindowFailures,
        WindowSlow,
        ProbesInFlight,
        EventsDropped,
        ListenerErrors,
    }
}

library_enum! {
    /// What happened to a call that held a permit (backoff_outcome).
    pub enum Outcome in BACKOFF_ENUM_OUTCOME {
        Success,
        Failure,
        /// Says nothing about the service's health (a validation error, a cancellation).
        Ignored,
    }
}

/// A call the breaker refused: it may admit one after `retry_in` (zero when half-open with every probe
/// slot taken, i64::MAX ns (292 years) when isolated).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CircuitOpen {
    pub retry_in: Duration,
}

impl fmt::Display for CircuitOpen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "circuit open: retry in {:?}", self.retry_in)
    }
}

impl std::error::Error for CircuitOpen {}

/// The result of [`CircuitBreaker::call`]: the breaker refused, or the call ran and failed.
#[derive(Debug, PartialEq, Eq)]
pub enum BreakerError<E> {
    Open(CircuitOpen),
    Failed(E),
}

impl<E: fmt::Display> fmt::Display for BreakerError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open(open) => open.fmt(f),
            Self::Failed(error) => error.fmt(f),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for BreakerError<E> {}

/// A circuit breaker, freed on drop. `Send + Sync`: share one per dependency, in an `Arc` or a static.
///
/// ```
/// use std::time::Duration;
/// use backoff_ffi::{BreakerError, BreakerState, CircuitBreaker};
///
/// let breaker = CircuitBreaker::builder()
///     .failure_threshold(2)
///     .open_duration(Duration::from_secs(30))
///     .build()?;
/// for _ in 0..2 {
///     assert_eq!(breaker.call(|| Err::<(), _>("refused")), Err(BreakerError::Failed("refused")));
/// }
/// assert_eq!(breaker.state(), BreakerState::Open);
/// assert!(matches!(breaker.call(|| Ok::<_, ()>(1)), Err(BreakerError::Open(_))));
/// # Ok::<(), backoff_ffi::Error>(())
/// ```
#[derive(Debug)]
pub struct CircuitBreaker {
    handle: Handle<sys::backoff_breaker>,
    /// Whether results need a duration (the slow-call rule is on), read once: otherwise no clock is read.
    times_calls: bool,
}

// SAFETY: backoff.h documents a breaker as thread-safe: any thread, concurrently.
thread_safe!(CircuitBreaker);

impl CircuitBreaker {
    /// Starts from the library's defaults (5 consecutive failures trip it, open for 30 s, one probe).
    pub fn builder() -> BreakerBuilder {
        BreakerBuilder::default()
    }

    /// Asks to make a call: a [`Permit`] to report the call's outcome with, or the refusal.
    pub fn acquire(&self) -> Result<Permit<'_>, CircuitOpen> {
        let (mut permit, mut wait) = (0, 0);
        // SAFETY: live handle, valid outs. EOPEN is a decision, not an error.
        match unsafe { sys::backoff_breaker_acquire(&mut permit, &mut wait, self.as_ptr()) } {
            sys::BACKOFF_EOPEN => Err(CircuitOpen {
                retry_in: duration_from_ns(wait),
            }),
            status => {
                check(status).expect("backoff_breaker_acquire");
                Ok(Permit {
                    breaker: self,
                    id: permit,
                    started: self.times_calls.then(Instant::now),
                })
            }
        }
    }

    /// Runs `call` if the breaker admits it and reports its result: `Ok` as a success, `Err` as a failure.
    pub fn call<T, E>(&self, call: impl FnOnce() -> Result<T, E>) -> Result<T, BreakerError<E>> {
        let permit = self.acquire().map_err(BreakerError::Open)?;
        permit.settle(call())
    }

    /// As [`call`](Self::call), for a future. Dropping the returned future before it completes gives
    /// the permit back unused.
    pub async fn call_async<T, E, F>(&self, call: F) -> Result<T, BreakerError<E>>
    where
        F: Future<Output = Result<T, E>>,
    {
        settle_async(self.acquire(), call).await
    }

    /// The state as last stored: an open breaker whose period has passed reads `Open` until a call
    /// observes it.
    pub fn state(&self) -> BreakerState {
        // SAFETY: live handle, valid out.
        BreakerState::from_value(read::<c_int>(|out| unsafe {
            sys::backoff_breaker_get_state(out, self.as_ptr())
        }))
        .expect("a breaker state this crate knows")
    }

    /// Forces a state (an operator's switch); outstanding permits become stale.
    pub fn transition(&self, state: BreakerState) {
        // SAFETY: live handle; every BreakerState is a library value.
        check(unsafe { sys::backoff_breaker_transition(self.as_ptr(), state.value()) })
            .expect("backoff_breaker_transition");
    }

    /// One of the breaker's counts.
    pub fn count(&self, which: BreakerCount) -> u64 {
        // SAFETY: live handle, valid out; every BreakerCount is a library value.
        read(|out| unsafe { sys::backoff_breaker_get_count(out, self.as_ptr(), which.value()) })
    }

    pub(crate) fn as_ptr(&self) -> *mut sys::backoff_breaker {
        self.handle.as_ptr()
    }
}

/// The reports of a permit type that has `fn record(self, Outcome, hint: Duration)`: `success`, `failure`
/// and `ignore`, for its users and as its [`Report`].
macro_rules! permit_reports {
    ($permit:ty) => {
        impl $permit {
            pub fn success(self) {
                self.record(Outcome::Success, Duration::ZERO);
            }

            /// `retry_after` is a server's hint (zero for none): if this failure opens the breaker, it
            /// stays open at least that long.
            pub fn failure(self, retry_after: Duration) {
                self.record(Outcome::Failure, retry_after);
            }

            /// The call's result says nothing about the service's health.
            pub fn ignore(self) {
                self.record(Outcome::Ignored, Duration::ZERO);
            }
        }

        impl crate::breaker::Report for $permit {
            fn success(self) {
                <$permit>::success(self)
            }

            fn failure(self, retry_after: Duration) {
                <$permit>::failure(self, retry_after)
            }
        }
    };
}
pub(crate) use permit_reports;

/// Leave to make one call. Report what happened with [`success`](Self::success),
/// [`failure`](Self::failure) or [`ignore`](Self::ignore); a permit dropped unreported is given back
/// unused, so a cancelled call can never leave the breaker stuck half-open.
#[derive(Debug)]
#[must_use = "report the call's outcome, or the permit is released as unused"]
pub struct Permit<'a> {
    breaker: &'a CircuitBreaker,
    id: u64,
    started: Option<Instant>,
}

permit_reports!(Permit<'_>);

impl Permit<'_> {
    fn record(self, outcome: Outcome, hint: Duration) {
        let duration = self.started.map_or(0, |started| ns_from_duration(started.elapsed()));
        // SAFETY: live breaker (borrowed); a non-zero permit it issued; non-negative times.
        let status = unsafe {
            sys::backoff_breaker_record(
                self.breaker.as_ptr(),
                self.id,
                outcome.value(),
                duration,
                ns_from_duration(hint),
            )
        };
        check(status).expect("backoff_breaker_record");
        std::mem::forget(self); // reported: nothing to release
    }
}

/// A permit that reports its call's outcome: a breaker's or a pool's. `call` runs through `settle`.
pub(crate) trait Report: Sized {
    fn success(self);
    fn failure(self, retry_after: Duration);

    /// Reports `result`: `Ok` as a success, `Err` as a failure.
    fn settle<T, E>(self, result: Result<T, E>) -> Result<T, BreakerError<E>> {
        match result {
            Ok(value) => {
                self.success();
                Ok(value)
            }
            Err(error) => {
                self.failure(Duration::ZERO);
                Err(BreakerError::Failed(error))
            }
        }
    }
}

/// Awaits `call` under the permit `acquired` holds and reports its result, or returns the refusal: the
/// body of every `call_async`. Dropped before `call` completes, it drops the permit unreported, which
/// gives it back unused.
pub(crate) async fn settle_async<P: Report, T, E>(
    acquired: Result<P, CircuitOpen>,
    call: impl Future<Output = Result<T, E>>,
) -> Result<T, BreakerError<E>> {
    let permit = acquired.map_err(BreakerError::Open)?;
    permit.settle(call.await)
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        // SAFETY: live breaker; a non-zero permit it issued and nobody reported.
        unsafe { sys::backoff_breaker_release(self.breaker.as_ptr(), self.id) };
    }
}

builder! {
    /// Collects breaker parameters, each validated by the library at once: the [`Trip`] rule, the
    /// `failure_threshold` that trips it (in a row, or within the window), the `open_duration` before a
    /// probe, the `half_open_probes` admitted at a time, and any other by its library name with
    /// [`set`](Self::set). [`build`](Self::build) reports the first rejection.
    pub struct BreakerBuilder for sys::backoff_breaker_config {
        choice trip(Trip) = BACKOFF_BREAKER_PARAM_TRIP; count failure_threshold(u32) = BACKOFF_BREAKER_PARAM_FAILURE_THRESHOLD;
        duration open_duration(Duration) = BACKOFF_BREAKER_PARAM_OPEN_DURATION_NS;
        count half_open_probes(u32) = BACKOFF_BREAKER_PARAM_HALF_OPEN_PROBES;
    }
}

impl BreakerBuilder {
    /// The first rejection, or what `build` makes of the finished config (a breaker, a pool).
    pub(crate) fn finish<T>(
        self,
        build: impl FnOnce(*const sys::backoff_breaker_config) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.settings.finish(build)
    }

    pub fn build(self) -> Result<CircuitBreaker, Error> {
        let handle = self.finish(|config| build_handle(config, sys::backoff_breaker_new))?;
        let param = sys::BACKOFF_BREAKER_PARAM_SLOW_CALL_DURATION_NS;
        // SAFETY: live handle, valid out, a DURATION parameter.
        let slow = read(|out| unsafe { sys::backoff_breaker_get_i64(out, handle.as_ptr(), param) });
        Ok(CircuitBreaker {
            handle,
            times_calls: slow > 0,
        })
    }
}
