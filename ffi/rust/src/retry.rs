//! The retry loops: `retry_with_backoff` (seed 003's function, async and blocking) and [`Retry`], the same
//! loop with a circuit breaker, a retry budget, server hints and a sleep of the caller's choice.

use std::future::Future;

use crate::breaker::CircuitBreaker;
use crate::budget::RetryBudget;
use crate::call::{Call, Step, Verdict};
use crate::retry_error::RetryError;
use crate::retry_policy::{EnginePolicy, RetryPolicy};
use crate::sleep::{DefaultSleep, Sleeper};
use crate::Policy;

/// Calls `operation` until it succeeds, its error is not retryable, or `policy`'s retries run out, and
/// returns its last result: the media gateway's retry utility, every wait and stop decided by the
/// library.
///
/// Waits with tokio's timer (the `tokio` feature, on by default), otherwise with a thread per wait; use
/// [`Retry::sleep`] for another runtime's timer.
///
/// # Panics
///
/// If the library rejects `policy` (a `base_delay_ms` of 0, a `max_delay_ms` below `base_delay_ms`), with
/// its message; [`RetryPolicy::to_policy`] checks a policy without panicking.
///
/// ```
/// use backoff_ffi::{retry_with_backoff, RetryPolicy};
///
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// let mut calls = 0;
/// let result: Result<&str, std::io::Error> = retry_with_backoff(
///     || {
///         calls += 1;
///         let failing = calls < 3;
///         async move {
///             if failing {
///                 Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset"))
///             } else {
///                 Ok("response")
///             }
///         }
///     },
///     RetryPolicy::new(3, 1, 10, true),
///     |error| error.kind() == std::io::ErrorKind::ConnectionReset,
/// )
/// .await;
/// assert_eq!(result.unwrap(), "response");
/// assert_eq!(calls, 3);
/// # });
/// ```
pub async fn retry_with_backoff<F, Fut, T, E, P>(operation: F, policy: RetryPolicy, is_retryable: P) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    P: Fn(&E) -> bool,
{
    let policy = engine_policy(policy);
    let result = Retry::new(&policy).run(operation, is_retryable).await;
    result.map_err(operation_error)
}

/// [`retry_with_backoff`] for blocking code: waits with `std::thread::sleep`.
///
/// # Panics
///
/// As [`retry_with_backoff`], if the library rejects `policy`.
pub fn retry_with_backoff_blocking<F, T, E, P>(operation: F, policy: RetryPolicy, is_retryable: P) -> Result<T, E>
where
    F: FnMut() -> Result<T, E>,
    P: Fn(&E) -> bool,
{
    let policy = engine_policy(policy);
    let result = Retry::new(&policy).run_blocking(operation, is_retryable);
    result.map_err(operation_error)
}

fn engine_policy(policy: RetryPolicy) -> EnginePolicy {
    policy
        .engine_policy()
        .unwrap_or_else(|error| panic!("invalid RetryPolicy {policy:?}: {error}"))
}

/// Without a breaker or a budget, every ending but success carries the operation's error.
fn operation_error<E>(error: RetryError<E>) -> E {
    error
        .into_last_error()
        .expect("a call with no breaker or budget ends with the operation's error")
}

/// A retried call with everything the engine offers: build one per call (it only borrows), attach what
/// takes part, then [`run`](Self::run) or [`run_blocking`](Self::run_blocking).
///
/// The classifier returns anything that converts into a [`Verdict`]: a `bool`, or a `Verdict` carrying
/// the error's budget class and a server's Retry-After.
///
/// ```
/// use std::time::Duration;
/// use backoff_ffi::{CircuitBreaker, Policy, Retry, RetryError, RetryBudget, Verdict};
///
/// let policy = Policy::builder().initial(Duration::from_millis(1)).max_attempts(10).build()?;
/// let breaker = CircuitBreaker::builder().failure_threshold(3).build()?;
/// let budget = RetryBudget::builder().build()?;
///
/// let result: Result<(), RetryError<&str>> = Retry::new(&policy)
///     .breaker(&breaker)
///     .budget(&budget)
///     .run_blocking(|| Err("503"), |_| Verdict::throttled(Duration::from_millis(2)));
/// // The third failure trips the breaker, which then refuses the retry the policy would still allow.
/// assert!(matches!(result, Err(RetryError::CircuitOpen { .. })));
/// # Ok::<(), backoff_ffi::Error>(())
/// ```
#[derive(Debug)]
#[must_use = "a Retry does nothing until run"]
pub struct Retry<'a, S = DefaultSleep> {
    policy: &'a Policy,
    breaker: Option<&'a CircuitBreaker>,
    budget: Option<&'a RetryBudget>,
    sleep: S,
}

impl<'a> Retry<'a> {
    pub fn new(policy: &'a Policy) -> Self {
        Self {
            policy,
            breaker: None,
            budget: None,
            sleep: DefaultSleep,
        }
    }
}

impl<'a, S> Retry<'a, S> {
    /// Every attempt asks `breaker` first and reports its result to it; a refusal ends the call at
    /// once with [`RetryError::CircuitOpen`].
    pub fn breaker(mut self, breaker: &'a CircuitBreaker) -> Self {
        self.breaker = Some(breaker);
        self
    }

    /// Every retry withdraws from `budget` first; a refusal ends the call with
    /// [`RetryError::BudgetExhausted`].
    pub fn budget(mut self, budget: &'a RetryBudget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// Waits with `sleep` in [`run`](Self::run): `.sleep(|delay| my_runtime::sleep(delay))`.
    pub fn sleep<T: Sleeper>(self, sleep: T) -> Retry<'a, T> {
        Retry {
            policy: self.policy,
            breaker: self.breaker,
            budget: self.budget,
            sleep,
        }
    }

    /// Runs the call, waiting between attempts with `std::thread::sleep`.
    pub fn run_blocking<T, E, V>(
        self,
        mut operation: impl FnMut() -> Result<T, E>,
        mut classify: impl FnMut(&E) -> V,
    ) -> Result<T, RetryError<E>>
    where
        V: Into<Verdict>,
    {
        let mut call = Call::new(self.policy, self.breaker, self.budget);
        loop {
            call.begin()?;
            match call.settle(operation(), &mut classify) {
                Step::Done(result) => return result,
                Step::Wait(delay) => std::thread::sleep(delay),
            }
        }
    }
}

impl<S: Sleeper> Retry<'_, S> {
    /// Runs the call, awaiting the sleeper between attempts. Dropping the future gives back whatever the
    /// call holds (a breaker permit, a budget's tokens).
    pub async fn run<T, E, V, Fut>(
        mut self,
        mut operation: impl FnMut() -> Fut,
        mut classify: impl FnMut(&E) -> V,
    ) -> Result<T, RetryError<E>>
    where
        Fut: Future<Output = Result<T, E>>,
        V: Into<Verdict>,
    {
        let mut call = Call::new(self.policy, self.breaker, self.budget);
        loop {
            call.begin()?;
            match call.settle(operation().await, &mut classify) {
                Step::Done(result) => return result,
                Step::Wait(delay) => self.sleep.sleep(delay).await,
            }
        }
    }
}
