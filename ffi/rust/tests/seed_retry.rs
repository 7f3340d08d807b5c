//! The 16 test cases seed 003 names for the media gateway's retry utility, by name, against this crate:
//! the same API (`RetryPolicy`, `retry_with_backoff`), every delay and stop decided by libbackoff.
//!
//! Async tests run on tokio's paused clock, which jumps over each wait, so the seed's real delays (up to
//! seconds) cost no time and the total waited is exact.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use backoff_ffi::{retry_with_backoff, RetryPolicy};
use tokio::time::Instant;

/// The seed's error type: its `is_retryable()` is what the seed's callers pass as the predicate.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::enum_variant_names)] // the seed's names
enum MediaGatewayError {
    RateLimitError,
    ServiceUnavailableError,
    TimeoutError,
    NetworkError,
    ValidationError(String),
    AuthenticationError,
    NotFoundError,
}

impl MediaGatewayError {
    fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::RateLimitError | Self::ServiceUnavailableError | Self::TimeoutError | Self::NetworkError
        )
    }
}

#[derive(Debug, PartialEq)]
struct Transient;

/// Runs `policy` against an operation that fails with `error()` its first `failures` times; returns
/// the result and how many times the operation ran.
async fn run<E>(
    policy: RetryPolicy,
    failures: u32,
    error: impl Fn() -> E,
    is_retryable: impl Fn(&E) -> bool,
) -> (Result<&'static str, E>, u32) {
    let calls = Arc::new(AtomicU32::new(0));
    let result = retry_with_backoff(
        || {
            let call = calls.fetch_add(1, Ordering::SeqCst);
            let outcome = if call < failures { Err(error()) } else { Ok("done") };
            async move { outcome }
        },
        policy,
        is_retryable,
    )
    .await;
    (result, calls.load(Ordering::SeqCst))
}

fn millis(delays: &[Duration]) -> Vec<u128> {
    delays.iter().map(Duration::as_millis).collect()
}

#[test]
fn test_retry_policy_default() {
    let policy = RetryPolicy::default();
    assert_eq!(
        (
            policy.max_retries,
            policy.base_delay_ms,
            policy.max_delay_ms,
            policy.jitter
        ),
        (3, 100, 5000, true)
    );
}

#[test]
fn test_retry_policy_aggressive() {
    assert_eq!(
        RetryPolicy::aggressive(),
        RetryPolicy {
            max_retries: 5,
            base_delay_ms: 50,
            max_delay_ms: 5000,
            jitter: true
        }
    );
}

#[test]
fn test_retry_policy_gentle() {
    assert_eq!(
        RetryPolicy::gentle(),
        RetryPolicy {
            max_retries: 2,
            base_delay_ms: 500,
            max_delay_ms: 3000,
            jitter: true
        }
    );
}

#[test]
fn test_retry_policy_new() {
    let policy = RetryPolicy::new(7, 25, 900, false);
    assert_eq!(
        policy,
        RetryPolicy {
            max_retries: 7,
            base_delay_ms: 25,
            max_delay_ms: 900,
            jitter: false
        }
    );
    assert!(policy.to_policy().is_ok(), "the library accepts it");
}

#[test]
fn test_calculate_delay_exponential_progression() {
    let policy = RetryPolicy::new(5, 100, 5000, false);
    let delays: Vec<Duration> = (0..5).map(|n| policy.delay(n).unwrap().unwrap()).collect();
    assert_eq!(millis(&delays), [100, 200, 400, 800, 1600]);
}

#[test]
fn test_calculate_delay_max_cap() {
    let policy = RetryPolicy::new(10, 100, 1000, false);
    let delays: Vec<Duration> = (0..10).map(|n| policy.delay(n).unwrap().unwrap()).collect();
    assert_eq!(
        millis(&delays),
        [100, 200, 400, 800, 1000, 1000, 1000, 1000, 1000, 1000]
    );
    assert_eq!(policy.delay(10).unwrap(), None, "no eleventh retry");
}

/// The seed added 0-30 % to each delay; here `jitter: true` is the library's default mode, full jitter,
/// U(0, d): every delay lies in [0, d], and the draws differ.
#[test]
fn test_calculate_delay_with_jitter() {
    let policy = RetryPolicy::new(5, 100, 5000, true);
    for attempt in 0..5u32 {
        let bound = Duration::from_millis(100 << attempt);
        let draws: Vec<Duration> = (0..50).map(|_| policy.delay(attempt).unwrap().unwrap()).collect();
        assert!(
            draws.iter().all(|delay| *delay <= bound),
            "attempt {attempt}: {draws:?} above {bound:?}"
        );
        let distinct: std::collections::HashSet<_> = draws.iter().collect();
        assert!(
            distinct.len() > 40,
            "attempt {attempt}: only {} distinct draws",
            distinct.len()
        );
    }
}

#[tokio::test(start_paused = true)]
async fn test_retry_succeeds_immediately() {
    let start = Instant::now();
    let (result, calls) = run(RetryPolicy::default(), 0, || Transient, |_| true).await;
    assert_eq!((result, calls), (Ok("done"), 1));
    assert_eq!(start.elapsed(), Duration::ZERO, "no wait before success");
}

#[tokio::test(start_paused = true)]
async fn test_retry_succeeds_after_failures() {
    let start = Instant::now();
    let (result, calls) = run(RetryPolicy::new(3, 100, 5000, false), 2, || Transient, |_| true).await;
    assert_eq!((result, calls), (Ok("done"), 3));
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(100 + 200),
        "the engine's two waits"
    );
}

#[tokio::test(start_paused = true)]
async fn test_retry_exhausts_attempts() {
    let start = Instant::now();
    let (result, calls) = run(RetryPolicy::new(3, 100, 5000, false), u32::MAX, || Transient, |_| true).await;
    assert_eq!(
        (result, calls),
        (Err(Transient), 4),
        "the initial call and max_retries retries"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(100 + 200 + 400),
        "no wait after the last call"
    );
}

#[tokio::test(start_paused = true)]
async fn test_non_retryable_error_fails_immediately() {
    let start = Instant::now();
    let (result, calls) = run(RetryPolicy::default(), u32::MAX, || Transient, |_| false).await;
    assert_eq!((result, calls), (Err(Transient), 1));
    assert_eq!(start.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn test_retry_with_media_gateway_error() {
    for error in [
        MediaGatewayError::RateLimitError,
        MediaGatewayError::ServiceUnavailableError,
        MediaGatewayError::TimeoutError,
        MediaGatewayError::NetworkError,
    ] {
        let (result, calls) = run(
            RetryPolicy::default(),
            2,
            || error.clone(),
            MediaGatewayError::is_retryable,
        )
        .await;
        assert_eq!((result, calls), (Ok("done"), 3), "{error:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn test_retry_with_non_retryable_media_gateway_error() {
    let validation = || MediaGatewayError::ValidationError("title: required".into());
    let (result, calls) = run(
        RetryPolicy::default(),
        u32::MAX,
        validation,
        MediaGatewayError::is_retryable,
    )
    .await;
    assert_eq!((result, calls), (Err(validation()), 1));
    for error in [MediaGatewayError::AuthenticationError, MediaGatewayError::NotFoundError] {
        let (result, calls) = run(
            RetryPolicy::default(),
            u32::MAX,
            || error.clone(),
            MediaGatewayError::is_retryable,
        )
        .await;
        assert_eq!((result.unwrap_err(), calls), (error, 1));
    }
}

#[tokio::test(start_paused = true)]
async fn test_aggressive_policy_more_retries() {
    let (result, calls) = run(RetryPolicy::aggressive(), u32::MAX, || Transient, |_| true).await;
    assert_eq!((result, calls), (Err(Transient), 6));
}

#[tokio::test(start_paused = true)]
async fn test_gentle_policy_fewer_retries() {
    let start = Instant::now();
    let (result, calls) = run(RetryPolicy::gentle(), u32::MAX, || Transient, |_| true).await;
    assert_eq!((result, calls), (Err(Transient), 3));
    assert!(
        start.elapsed() <= Duration::from_millis(500 + 1000),
        "full jitter waits at most d: {:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn test_zero_retries() {
    let (result, calls) = run(RetryPolicy::new(0, 100, 5000, true), u32::MAX, || Transient, |_| true).await;
    assert_eq!((result, calls), (Err(Transient), 1));
}
