//! The engine's circuit breaker through the safe wrapper: trips, refusals, permits and threads.

use std::sync::Arc;
use std::time::Duration;

use backoff_ffi::{
    BreakerCount, BreakerError, BreakerState, CircuitBreaker, CircuitOpen, ErrorCode, Policy, RetryBudget, State,
};

fn breaker(threshold: u32) -> CircuitBreaker {
    CircuitBreaker::builder()
        .failure_threshold(threshold)
        .open_duration(Duration::from_secs(10))
        .build()
        .unwrap()
}

#[test]
fn consecutive_failures_trip_it_and_it_refuses_with_the_time_left() {
    let breaker = breaker(3);
    for _ in 0..3 {
        assert_eq!(breaker.call(|| Err::<(), _>("down")), Err(BreakerError::Failed("down")));
    }
    assert_eq!(breaker.state(), BreakerState::Open);
    let Err(CircuitOpen { retry_in }) = breaker.acquire() else {
        panic!("admitted while open")
    };
    assert!(
        retry_in > Duration::from_secs(9) && retry_in <= Duration::from_secs(10),
        "{retry_in:?}"
    );
    assert_eq!(
        (
            breaker.count(BreakerCount::Trips),
            breaker.count(BreakerCount::Rejected)
        ),
        (1, 1)
    );
}

#[test]
fn a_success_resets_the_run_of_failures() {
    let breaker = breaker(2);
    for _ in 0..5 {
        let _ = breaker.call(|| Err::<(), _>("down"));
        assert_eq!(breaker.call(|| Ok::<_, ()>(())), Ok(()));
    }
    assert_eq!(breaker.state(), BreakerState::Closed);
}

#[test]
fn a_dropped_permit_frees_its_half_open_probe_slot() {
    let breaker = breaker(1);
    breaker.transition(BreakerState::HalfOpen);
    let probe = breaker.acquire().expect("the one probe slot");
    assert_eq!(breaker.acquire().unwrap_err().retry_in, Duration::ZERO, "slot taken");
    drop(probe);
    breaker.acquire().expect("slot given back").success();
    assert_eq!(breaker.state(), BreakerState::Closed);
    assert_eq!(breaker.count(BreakerCount::Released), 1);
}

#[test]
fn a_failure_hint_keeps_the_breaker_open_at_least_that_long() {
    let breaker = breaker(1);
    breaker.acquire().unwrap().failure(Duration::from_secs(120));
    let retry_in = breaker.acquire().unwrap_err().retry_in;
    assert!(retry_in > Duration::from_secs(119), "{retry_in:?}");
}

#[test]
fn ignored_results_do_not_trip_it() {
    let breaker = breaker(1);
    breaker.acquire().unwrap().ignore();
    assert_eq!(
        (breaker.state(), breaker.count(BreakerCount::Ignored)),
        (BreakerState::Closed, 1)
    );
}

#[tokio::test]
async fn call_async_guards_a_future() {
    let breaker = breaker(1);
    assert_eq!(
        breaker.call_async(async { Err::<(), _>("down") }).await,
        Err(BreakerError::Failed("down"))
    );
    let refused = breaker.call_async(async { Ok::<_, ()>(1) }).await;
    assert!(matches!(refused, Err(BreakerError::Open(_))), "{refused:?}");
}

#[test]
fn one_breaker_serves_many_threads_and_every_permit_is_accounted_for() {
    let breaker = Arc::new(CircuitBreaker::builder().failure_threshold(1_000_000).build().unwrap());
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let breaker = Arc::clone(&breaker);
            std::thread::spawn(move || {
                for i in 0..5000 {
                    let _ = breaker.call(|| if (i + t) % 3 == 0 { Err(()) } else { Ok(()) });
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let count = |which| breaker.count(which);
    assert_eq!(count(BreakerCount::Admitted), 20_000);
    assert_eq!(count(BreakerCount::Successes) + count(BreakerCount::Failures), 20_000);
}

#[test]
fn a_bad_setting_is_the_library_s_error_naming_it() {
    let error = CircuitBreaker::builder().failure_threshold(0).build().unwrap_err();
    assert_eq!(error.code(), ErrorCode::Invalid);
    assert!(error.message().contains("failure_threshold"), "{error}");
    let error = CircuitBreaker::builder().set("trip", "sometimes").build().unwrap_err();
    assert!(error.message().contains("sometimes"), "{error}");
}

#[test]
fn handles_are_send_and_sync_where_the_library_allows() {
    fn shared<T: Send + Sync>() {}
    fn movable<T: Send>() {}
    shared::<CircuitBreaker>();
    shared::<RetryBudget>();
    shared::<Policy>();
    movable::<State>();
}
