//! The retry wrappers' success path, the path every call takes: seed 003's `retry_with_backoff` and
//! `Retry` against backon's `Retryable` and `BlockingRetryable`, all with 3 retries from 100 ms up to 5 s,
//! jittered.

use std::hint::black_box;
use std::time::Duration;

use backoff_ffi::{retry_with_backoff, retry_with_backoff_blocking, Retry, RetryPolicy};
use backon::{BlockingRetryable, ExponentialBuilder, Retryable};

use crate::timing::{complete, report, time_per_call};

fn backon_policy() -> ExponentialBuilder {
    ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(100))
        .with_max_delay(Duration::from_secs(5))
        .with_max_times(3)
        .with_jitter()
}

pub fn run() {
    report(
        "ours: retry_with_backoff success (async)",
        time_per_call(|i| {
            let result = complete(retry_with_backoff(|| async move { Ok::<_, ()>(i) }, RetryPolicy::default(), |_| true));
            black_box(result.unwrap());
        }),
    );
    let policy = RetryPolicy::default().to_policy().expect("policy");
    report(
        "ours: Retry::run success (async)",
        time_per_call(|i| {
            let result = complete(Retry::new(&policy).run(|| async move { Ok::<_, ()>(i) }, |_| true));
            black_box(result.unwrap());
        }),
    );
    report(
        "backon: Retryable::retry success (async)",
        time_per_call(|i| {
            let result = complete((|| async move { Ok::<_, ()>(i) }).retry(backon_policy()).when(|_| true));
            black_box(result.unwrap());
        }),
    );
    report(
        "ours: retry_with_backoff_blocking success (blocking)",
        time_per_call(|i| {
            let result = retry_with_backoff_blocking(|| Ok::<_, ()>(i), RetryPolicy::default(), |_| true);
            black_box(result.unwrap());
        }),
    );
    report(
        "backon: BlockingRetryable::retry success (blocking)",
        time_per_call(|i| {
            let result = (|| Ok::<_, ()>(i)).retry(backon_policy()).when(|_| true).call();
            black_box(result.unwrap());
        }),
    );
}
