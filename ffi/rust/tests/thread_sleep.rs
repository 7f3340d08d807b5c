//! Without the `tokio` feature, async retries wait on a thread of their own: any executor runs them, here
//! one without a timer at all (tokio's current-thread runtime with time disabled).
#![cfg(not(feature = "tokio"))]

use std::time::{Duration, Instant};

use backoff_ffi::{retry_with_backoff, RetryPolicy};

#[test]
fn an_executor_without_a_timer_runs_the_waits() {
    let executor = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let start = Instant::now();
    let mut calls = 0;
    let result = executor.block_on(retry_with_backoff(
        || {
            calls += 1;
            let outcome = if calls < 3 { Err("reset") } else { Ok(calls) };
            async move { outcome }
        },
        RetryPolicy::new(3, 20, 1000, false),
        |_| true,
    ));
    assert_eq!(result, Ok(3));
    assert!(
        start.elapsed() >= Duration::from_millis(20 + 40),
        "waited {:?}",
        start.elapsed()
    );
}
