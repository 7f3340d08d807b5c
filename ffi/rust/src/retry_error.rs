//! How a retried call ended without success, with the operation's last error when one ran.

use std::fmt;
use std::time::Duration;

/// Why [`crate::Retry`] gave up. The operation's own error is kept: [`RetryError::last_error`].
#[derive(Debug, PartialEq, Eq)]
pub enum RetryError<E> {
    /// The classifier said the error is not worth retrying.
    Permanent(E),
    /// The policy's attempts ran out, or the next wait would pass its `max_elapsed`.
    GaveUp { last: E, attempts: u64 },
    /// The retry budget refused the retry.
    BudgetExhausted { last: E, attempts: u64 },
    /// The circuit breaker refused an attempt (`retry_in`: when it may admit one), or opened on this
    /// call's failure for longer than the next wait (`retry_in` is then `None`).
    CircuitOpen {
        retry_in: Option<Duration>,
        last: Option<E>,
    },
    /// The engine reported the call cancelled.
    Cancelled { last: Option<E> },
}

impl<E> RetryError<E> {
    /// The operation's error from its last attempt; `None` when the breaker refused the first attempt.
    pub fn last_error(&self) -> Option<&E> {
        match self {
            Self::Permanent(last) | Self::GaveUp { last, .. } | Self::BudgetExhausted { last, .. } => Some(last),
            Self::CircuitOpen { last, .. } | Self::Cancelled { last } => last.as_ref(),
        }
    }

    /// As [`last_error`](Self::last_error), by value.
    pub fn into_last_error(self) -> Option<E> {
        match self {
            Self::Permanent(last) | Self::GaveUp { last, .. } | Self::BudgetExhausted { last, .. } => Some(last),
            Self::CircuitOpen { last, .. } | Self::Cancelled { last } => last,
        }
    }
}

impl<E: fmt::Display> fmt::Display for RetryError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Permanent(last) => write!(f, "not retryable: {last}"),
            Self::GaveUp { last, attempts } => write!(f, "gave up after {attempts} attempts: {last}"),
            Self::BudgetExhausted { last, attempts } => {
                write!(f, "retry budget exhausted after {attempts} attempts: {last}")
            }
            Self::CircuitOpen { retry_in, .. } => match retry_in {
                Some(wait) => write!(f, "circuit open: retry in {wait:?}"),
                None => write!(f, "circuit open"),
            },
            Self::Cancelled { .. } => write!(f, "cancelled"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for RetryError<E> {}
