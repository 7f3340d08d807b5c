//! `tracing` events, with the `tracing` feature; without it these compile to nothing.

use std::time::Duration;

use crate::retrier::{Refusal, Retrier, RetryOutcome};

/// A retryable failure; the call retries after `delay`.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn retrying(retrier: &Retrier, delay: Duration) {
    #[cfg(feature = "tracing")]
    tracing::debug!(
        failures = retrier.attempts(),
        delay_ms = delay.as_millis() as u64,
        "retrying"
    );
}

/// The engine ended the call after a failure.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn gave_up(outcome: RetryOutcome, attempts: u64) {
    #[cfg(feature = "tracing")]
    tracing::warn!(outcome = outcome.name(), attempts, "giving up");
}

/// The engine refused an attempt before it ran.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn refused(refusal: Refusal) {
    #[cfg(feature = "tracing")]
    tracing::warn!(?refusal, "attempt refused");
}
