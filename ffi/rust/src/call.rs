//! One retried call as a step machine, shared by the async and the blocking loops: the loops only run
//! attempts and wait; every decision comes from the engine's retrier.

use std::time::Duration;

use crate::breaker::CircuitBreaker;
use crate::budget::RetryBudget;
use crate::retrier::{ErrorClass, Refusal, Retrier, RetryOutcome};
use crate::retry_error::RetryError;
use crate::Policy;

/// What an operation's error calls for, as a classifier returns it. A `bool` converts: `true` is
/// [`Verdict::RETRY`], `false` is [`Verdict::Permanent`], so the seed's `is_retryable` predicates work
/// unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Retrying cannot help (a 400, a 404): the call ends with this error.
    Permanent,
    /// Worth retrying. `class` is what the retry budget charges; `after` is a server's Retry-After (zero
    /// for none): the wait is at least that long, still at most the policy's cap, and a breaker this
    /// failure opens stays open at least that long.
    Retry { class: ErrorClass, after: Duration },
}

impl Verdict {
    /// An ordinary retryable failure, with no hint.
    pub const RETRY: Self = Self::Retry {
        class: ErrorClass::Ordinary,
        after: Duration::ZERO,
    };

    /// The server asked to slow down and to wait `after` (parse the header with [`crate::retry_after`]).
    pub fn throttled(after: Duration) -> Self {
        Self::Retry {
            class: ErrorClass::Throttling,
            after,
        }
    }
}

impl From<bool> for Verdict {
    fn from(retryable: bool) -> Self {
        if retryable {
            Self::RETRY
        } else {
            Self::Permanent
        }
    }
}

/// What the loop does next.
pub(crate) enum Step<T, E> {
    Done(Result<T, RetryError<E>>),
    Wait(Duration),
}

pub(crate) struct Call<'a, E> {
    policy: &'a Policy,
    /// Created at once when a breaker or a budget takes part (they count every attempt); otherwise at
    /// the first failure, the first decision there is to make, so that a call that succeeds at once
    /// never crosses into the library. The engine counts the call's time from its first failure
    /// either way.
    retrier: Option<Retrier>,
    /// The error of the latest failed attempt, kept while the call waits to retry.
    last: Option<E>,
}

impl<'a, E> Call<'a, E> {
    pub(crate) fn new(
        policy: &'a Policy,
        breaker: Option<&'a CircuitBreaker>,
        budget: Option<&'a RetryBudget>,
    ) -> Self {
        let joined = breaker.is_some() || budget.is_some();
        Self {
            policy,
            retrier: joined.then(|| Retrier::new(policy, breaker, budget)),
            last: None,
        }
    }

    /// Before each attempt: the breaker's admission (and the cancellation the engine may report).
    pub(crate) fn begin(&mut self) -> Result<(), RetryError<E>> {
        let Some(retrier) = self.retrier.as_mut() else {
            return Ok(());
        };
        retrier.before_attempt().map_err(|refusal| {
            let last = self.last.take();
            crate::events::refused(refusal);
            match refusal {
                Refusal::CircuitOpen(wait) => RetryError::CircuitOpen {
                    retry_in: Some(wait),
                    last,
                },
                Refusal::Cancelled => RetryError::Cancelled { last },
            }
        })
    }

    /// After each attempt: done, or wait this long and attempt again.
    pub(crate) fn settle<T, V: Into<Verdict>>(
        &mut self,
        result: Result<T, E>,
        classify: &mut impl FnMut(&E) -> V,
    ) -> Step<T, E> {
        let error = match result {
            Ok(value) => {
                if let Some(retrier) = self.retrier.as_mut() {
                    retrier.on_success();
                }
                return Step::Done(Ok(value));
            }
            Err(error) => error,
        };
        let (class, after) = match classify(&error).into() {
            Verdict::Permanent => {
                if let Some(retrier) = self.retrier.as_mut() {
                    retrier.on_permanent_failure();
                }
                return Step::Done(Err(RetryError::Permanent(error)));
            }
            Verdict::Retry { class, after } => (class, after),
        };
        let policy = self.policy;
        let retrier = self.retrier.get_or_insert_with(|| {
            let mut retrier = Retrier::new(policy, None, None);
            retrier
                .before_attempt()
                .expect("a retrier with no breaker admits its first attempt");
            retrier
        });
        match retrier.on_failure(class, after) {
            Some(delay) => {
                crate::events::retrying(retrier, delay);
                self.last = Some(error);
                Step::Wait(delay)
            }
            None => {
                let (outcome, attempts) = (retrier.outcome(), retrier.attempts());
                crate::events::gave_up(outcome, attempts);
                Step::Done(Err(match outcome {
                    RetryOutcome::BudgetExhausted => RetryError::BudgetExhausted { last: error, attempts },
                    RetryOutcome::CircuitOpen => RetryError::CircuitOpen {
                        retry_in: None,
                        last: Some(error),
                    },
                    RetryOutcome::Cancelled => RetryError::Cancelled { last: Some(error) },
                    _ => RetryError::GaveUp { last: error, attempts },
                }))
            }
        }
    }
}
