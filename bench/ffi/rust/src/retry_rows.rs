//! The retry wrappers' success path, the path every call takes: seed 003's `retry_with_backoff` and
//! `Retry` against backon's `Retryable` and `BlockingRetryable`, all with 3 retries from 100 ms up to 5 s,
//! jittered.

use std::hint::black_box;
use std::time::Duration;

use backoff_ffi::{retry_with_backoff, retry_with_backoff_blocking, Retry, RetryPolicy};
use backon::{BlockingRetryable, ExponentialBuilder, Retryable};

use crate::timing::{complete, Group};

fn backon_policy() -> ExponentialBuilder {
    ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(100))
        .with_max_delay(Duration::from_secs(5))
        .with_max_times(3)
        .with_jitter()
}

pub fn run() {
    let policy = RetryPolicy::default().to_policy().expect("policy");
    Group::default()
        .row("ours: retry_with_backoff success (async)", |i| {
            let call = retry_with_backoff(|| async move { Ok::<_, ()>(i) }, RetryPolicy::default(), |_| true);
            black_box(complete(call).unwrap());
        })
        .row("ours: Retry::run success (async)", |i| {
            let call = Retry::new(&policy).run(|| async move { Ok::<_, ()>(i) }, |_| true);
            black_box(complete(call).unwrap());
        })
        .row("backon: Retryable::retry success (async)", |i| {
            let call = (|| async move { Ok::<_, ()>(i) }).retry(backon_policy()).when(|_| true);
            black_box(complete(call).unwrap());
        })
        .row("ours: retry_with_backoff_blocking success (blocking)", |i| {
            black_box(retry_with_backoff_blocking(|| Ok::<_, ()>(i), RetryPolicy::default(), |_| true).unwrap());
        })
        .row("backon: BlockingRetryable::retry success (blocking)", |i| {
            black_box(
                (|| Ok::<_, ()>(i))
                    .retry(backon_policy())
                    .when(|_| true)
                    .call()
                    .unwrap(),
            );
        })
        .run();
}
