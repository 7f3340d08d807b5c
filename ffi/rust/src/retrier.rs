//! The library's retrier, pull-style: it decides every step of one retried call (the policy's delays and
//! limits, a server's hint, the breaker's permit, the budget's tokens); the caller runs the attempts and
//! sleeps.

use std::os::raw::c_int;
use std::time::Duration;

use crate::breaker::CircuitBreaker;
use crate::budget::RetryBudget;
use crate::error::check;
use crate::handle::{read, Handle};
use crate::vocabulary::library_enum;
use crate::{delay_from_ns, duration_from_ns, ns_from_duration, sys, Policy};

library_enum! {
    /// Where a retried call stands (backoff_retry_outcome). Every value but `Pending` is final.
    pub enum RetryOutcome in BACKOFF_ENUM_RETRY_OUTCOME {
        Pending,
        Succeeded,
        /// The policy's attempts or its max_elapsed ran out.
        GaveUp,
        Permanent,
        BudgetExhausted,
        CircuitOpen,
        Cancelled,
        /// The call's deadline came (a policy's `deadline`): no wait may run into it.
        DeadlineExceeded,
    }
}

library_enum! {
    /// What a retry after a failure costs the budget (backoff_error_class). Only the AWS calibration
    /// charges the classes differently.
    pub enum ErrorClass in BACKOFF_ENUM_ERROR_CLASS {
        Ordinary,
        /// A timeout or a transient error.
        Timeout,
        /// The server asked to slow down (HTTP 429, 503 with Retry-After).
        Throttling,
    }
}

/// Why the engine refused an attempt before it ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The breaker refused it; it may admit a call after this long.
    CircuitOpen(Duration),
    /// A cancellation ended the call.
    Cancelled,
}

/// One retried call at a time, freed on drop (which gives back a permit or tokens the call still held).
#[derive(Debug)]
pub(crate) struct Retrier {
    handle: Handle<sys::backoff_retrier>,
}

// SAFETY: backoff.h: a retrier belongs to one thread at a time and may move between threads; &mut self
// enforces one user. The breaker it points at is thread-safe.
unsafe impl Send for Retrier {}

impl Retrier {
    /// A retrier on `policy`, with the breaker and the budget attached. The breaker must outlive the
    /// retrier (the caller borrows it for as long); the budget is reference-counted by the library.
    pub(crate) fn new(policy: &Policy, breaker: Option<&CircuitBreaker>, budget: Option<&RetryBudget>) -> Self {
        // SAFETY: the policy is live; out points at a valid pointer slot. The library copies the policy.
        let handle = Handle::create(|out| unsafe { sys::backoff_retrier_new(out, policy.as_ptr()) });
        let retrier = Self {
            handle: handle.expect("backoff_retrier_new"),
        };
        if let Some(breaker) = breaker {
            // SAFETY: live handles; the caller keeps the breaker alive while the retrier exists.
            check(unsafe { sys::backoff_retrier_set_breaker(retrier.handle.as_ptr(), breaker.as_ptr()) })
                .expect("backoff_retrier_set_breaker");
        }
        if let Some(budget) = budget {
            // SAFETY: live handles; the retrier takes its own reference to the budget.
            check(unsafe { sys::backoff_retrier_set_budget(retrier.handle.as_ptr(), budget.as_ptr()) })
                .expect("backoff_retrier_set_budget");
        }
        retrier
    }

    /// Asks whether the next attempt may go ahead, taking the breaker's permit for it.
    pub(crate) fn before_attempt(&mut self) -> Result<(), Refusal> {
        let mut wait = 0;
        // SAFETY: live handle, valid out.
        match unsafe { sys::backoff_retrier_before_attempt(&mut wait, self.handle.as_ptr()) } {
            sys::BACKOFF_EOPEN => Err(Refusal::CircuitOpen(duration_from_ns(wait))),
            sys::BACKOFF_ECANCELED => Err(Refusal::Cancelled),
            status => {
                check(status).expect("backoff_retrier_before_attempt");
                Ok(())
            }
        }
    }

    pub(crate) fn on_success(&mut self) {
        // SAFETY: live handle; never called from a callback of this retrier (we give it none).
        check(unsafe { sys::backoff_retrier_on_success(self.handle.as_ptr()) }).expect("backoff_retrier_on_success");
    }

    pub(crate) fn on_permanent_failure(&mut self) {
        // SAFETY: as on_success.
        check(unsafe { sys::backoff_retrier_on_permanent_failure(self.handle.as_ptr()) })
            .expect("backoff_retrier_on_permanent_failure");
    }

    /// Records a retryable failure: the wait before the next attempt, or None when the call has ended
    /// ([`Self::outcome`] says why). `hint` is a server's Retry-After, zero for none.
    pub(crate) fn on_failure(&mut self, class: ErrorClass, hint: Duration) -> Option<Duration> {
        let mut delay = 0;
        // SAFETY: live handle, valid out; the class is a library value and the hint is never negative.
        let status = unsafe {
            sys::backoff_retrier_on_failure(&mut delay, self.handle.as_ptr(), class.value(), ns_from_duration(hint))
        };
        check(status).expect("backoff_retrier_on_failure");
        delay_from_ns(delay)
    }

    pub(crate) fn outcome(&self) -> RetryOutcome {
        // SAFETY: live handle, valid out.
        RetryOutcome::from_value(read::<c_int>(|out| unsafe {
            sys::backoff_retrier_get_outcome(out, self.handle.as_ptr())
        }))
        .expect("an outcome this crate knows")
    }

    /// Attempts of the current call with a known result.
    pub(crate) fn attempts(&self) -> u64 {
        // SAFETY: live handle, valid out.
        read(|out| unsafe { sys::backoff_retrier_attempts(out, self.handle.as_ptr()) })
    }
}
