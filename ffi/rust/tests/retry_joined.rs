//! `Retry` with the engine's breaker, budget, server hints and deadline: every ending the engine decides,
//! on tokio's paused clock (each wait is exact and free) or, where the engine must see time pass, real time.

use std::cell::Cell;
use std::time::Duration;

use backoff_ffi::{
    BreakerCount, BreakerState, BudgetCount, CircuitBreaker, Jitter, Kind, Policy, Retry, RetryBudget, RetryError,
    RetryPolicy, State, Verdict,
};
use tokio::time::Instant;

#[derive(Debug, PartialEq)]
struct Unavailable;

fn policy(initial_ms: u64, max_attempts: u32) -> Policy {
    Policy::builder()
        .initial(Duration::from_millis(initial_ms))
        .jitter(Jitter::None)
        .max_attempts(max_attempts)
        .build()
        .unwrap()
}

/// Runs `retry` on an operation that fails every time (retryably); returns how the call ended and how
/// many times the operation ran.
async fn run_failing(retry: Retry<'_>) -> (Result<(), RetryError<Unavailable>>, u32) {
    let calls = Cell::new(0);
    let operation = || {
        calls.set(calls.get() + 1);
        std::future::ready(Err(Unavailable))
    };
    (retry.run(operation, |_| true).await, calls.get())
}

/// A budget of `capacity` tokens whose retries cost `retry_cost` (AWS calibration).
fn budget(capacity: &str, retry_cost: &str) -> RetryBudget {
    RetryBudget::builder()
        .set("capacity", capacity)
        .set("retry_cost", retry_cost)
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn an_open_breaker_refuses_the_first_attempt_and_the_operation_never_runs() {
    let breaker = CircuitBreaker::builder()
        .open_duration(Duration::from_secs(30))
        .build()
        .unwrap();
    breaker.transition(BreakerState::Open);
    let (result, calls) = run_failing(Retry::new(&policy(10, 5)).breaker(&breaker)).await;
    let Err(RetryError::CircuitOpen {
        retry_in: Some(wait),
        last: None,
    }) = result
    else {
        panic!("{result:?}")
    };
    assert!(
        wait > Duration::from_secs(29) && wait <= Duration::from_secs(30),
        "{wait:?}"
    );
    assert_eq!((calls, breaker.count(BreakerCount::Rejected)), (0, 1));
}

#[tokio::test(start_paused = true)]
async fn a_breaker_that_trips_during_the_call_ends_it_with_the_last_error() {
    let breaker = CircuitBreaker::builder().failure_threshold(2).build().unwrap();
    let (result, calls) = run_failing(Retry::new(&policy(10, 10)).breaker(&breaker)).await;
    assert_eq!(
        result,
        Err(RetryError::CircuitOpen {
            retry_in: None,
            last: Some(Unavailable)
        })
    );
    assert_eq!((calls, breaker.state()), (2, BreakerState::Open));
}

#[tokio::test(start_paused = true)]
async fn a_permanent_error_is_ignored_by_the_breaker() {
    let breaker = CircuitBreaker::builder().failure_threshold(1).build().unwrap();
    let result: Result<(), _> = Retry::new(&policy(10, 5))
        .breaker(&breaker)
        .run(|| async { Err(Unavailable) }, |_| false)
        .await;
    assert_eq!(result, Err(RetryError::Permanent(Unavailable)));
    assert_eq!(
        (breaker.state(), breaker.count(BreakerCount::Ignored)),
        (BreakerState::Closed, 1)
    );
}

#[tokio::test(start_paused = true)]
async fn an_exhausted_budget_refuses_the_retry() {
    let budget = budget("10", "5"); // two retries' worth
    let (result, calls) = run_failing(Retry::new(&policy(10, 10)).budget(&budget)).await;
    assert_eq!(
        result,
        Err(RetryError::BudgetExhausted {
            last: Unavailable,
            attempts: 3
        })
    );
    assert_eq!(calls, 3);
    assert_eq!(
        (budget.count(BudgetCount::Granted), budget.count(BudgetCount::Refused)),
        (2, 1)
    );
    assert_eq!(budget.balance(), 0.0);
}

#[tokio::test(start_paused = true)]
async fn a_retry_that_succeeds_gets_its_tokens_back() {
    let budget = budget("10", "5");
    let calls = Cell::new(0);
    let result = Retry::new(&policy(10, 10))
        .budget(&budget)
        .run(
            || async {
                calls.set(calls.get() + 1);
                if calls.get() < 2 {
                    Err(Unavailable)
                } else {
                    Ok(())
                }
            },
            |_| true,
        )
        .await;
    assert_eq!(result, Ok(()));
    assert_eq!(budget.balance(), 10.0);
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_hint_is_a_floor_and_the_cap_still_holds() {
    let policy = Policy::builder()
        .initial(Duration::from_millis(10))
        .cap(Duration::from_secs(1))
        .jitter(Jitter::None)
        .max_attempts(2)
        .build()
        .unwrap();
    for (hint, waited) in [
        (Duration::from_millis(300), Duration::from_millis(300)),
        (Duration::from_secs(10), Duration::from_secs(1)),
    ] {
        let start = Instant::now();
        let result: Result<(), _> = Retry::new(&policy)
            .run(|| async { Err(Unavailable) }, |_| Verdict::throttled(hint))
            .await;
        assert_eq!(
            result,
            Err(RetryError::GaveUp {
                last: Unavailable,
                attempts: 2
            })
        );
        assert_eq!(start.elapsed(), waited, "hint {hint:?}");
    }
}

#[tokio::test]
async fn a_sleeper_of_the_caller_s_choice_is_given_the_engine_s_delays() {
    let policy = Policy::builder().seed(42).max_attempts(6).build().unwrap();
    let mut slept = Vec::new();
    let result: Result<(), _> = Retry::new(&policy)
        .sleep(|delay| {
            slept.push(delay);
            std::future::ready(())
        })
        .run(|| async { Err(Unavailable) }, |_| true)
        .await;
    assert!(
        matches!(result, Err(RetryError::GaveUp { attempts: 6, .. })),
        "{result:?}"
    );
    assert_eq!(
        slept,
        State::new(&policy).unwrap().collect::<Vec<_>>(),
        "the seeded schedule"
    );
}

#[tokio::test(start_paused = true)]
async fn dropping_a_waiting_call_gives_its_tokens_back() {
    let budget = budget("10", "5");
    let policy = policy(60_000, 5);
    let waiting = Retry::new(&policy)
        .budget(&budget)
        .run(|| async { Err::<(), _>(Unavailable) }, |_| true);
    assert!(
        tokio::time::timeout(Duration::from_secs(1), waiting).await.is_err(),
        "still waiting its minute"
    );
    assert_eq!((budget.count(BudgetCount::Granted), budget.balance()), (1, 10.0));
}

/// Deadline-based retries on real time: constant 50 ms waits and max_elapsed 130 ms allow two retries
/// (the third would end near 150 ms), and the engine must see the time pass to know it.
#[test]
fn max_elapsed_stops_the_retry_that_would_end_past_it() {
    let policy = Policy::builder()
        .kind(Kind::Constant)
        .initial(Duration::from_millis(50))
        .jitter(Jitter::None)
        .max_elapsed(Duration::from_millis(130))
        .build()
        .unwrap();
    let mut calls = 0;
    let result: Result<(), _> = Retry::new(&policy).run_blocking(
        || {
            calls += 1;
            Err(Unavailable)
        },
        |_| true,
    );
    assert_eq!(
        (result, calls),
        (
            Err(RetryError::GaveUp {
                last: Unavailable,
                attempts: 3
            }),
            3
        )
    );
}

/// `retry_with_backoff_blocking` on an operation that succeeds at its call number `succeeds_at`;
/// returns the result (the number of the call that succeeded).
fn blocking_until(succeeds_at: u32, policy: RetryPolicy) -> Result<u32, Unavailable> {
    let mut calls = 0;
    let operation = || {
        calls += 1;
        if calls < succeeds_at {
            Err(Unavailable)
        } else {
            Ok(calls)
        }
    };
    backoff_ffi::retry_with_backoff_blocking(operation, policy, |_| true)
}

#[test]
fn the_blocking_form_retries_with_the_seed_s_signature() {
    assert_eq!(blocking_until(3, RetryPolicy::new(3, 1, 10, true)), Ok(3));
    assert_eq!(
        blocking_until(5, RetryPolicy::new(3, 1, 10, true)),
        Err(Unavailable),
        "3 retries: 4 calls"
    );
}

#[test]
#[should_panic(expected = "cap: must be at least initial")]
fn an_invalid_seed_policy_panics_with_the_library_s_message() {
    let _ = backoff_ffi::retry_with_backoff_blocking(|| Ok::<_, ()>(()), RetryPolicy::new(3, 500, 100, true), |_| true);
}

#[test]
fn retry_error_keeps_the_operation_s_error_and_says_why() {
    let error = RetryError::GaveUp {
        last: "reset",
        attempts: 4,
    };
    assert_eq!(error.to_string(), "gave up after 4 attempts: reset");
    assert_eq!(error.last_error(), Some(&"reset"));
    assert_eq!(
        RetryError::<&str>::CircuitOpen {
            retry_in: None,
            last: None
        }
        .into_last_error(),
        None
    );
}

#[test]
fn a_retried_call_is_a_send_future_that_tokio_spawn_takes() {
    fn send<T: Send>(_: &T) {}
    let breaker = CircuitBreaker::builder().build().unwrap();
    let policy = policy(1, 2);
    let call = Retry::new(&policy)
        .breaker(&breaker)
        .run(|| async { Ok::<_, Unavailable>(()) }, |_| true);
    send(&call);
    send(&backoff_ffi::retry_with_backoff(
        || async { Ok::<_, Unavailable>(()) },
        RetryPolicy::default(),
        |_| true,
    ));
}

#[test]
fn policies_past_the_interned_ones_are_built_per_call_and_still_retry() {
    for max_delay_ms in 1..=100 {
        let policy = RetryPolicy::new(1, 1, max_delay_ms, false); // one wait of 1 ms
        assert_eq!(blocking_until(2, policy), Ok(2), "{policy:?}");
    }
}

/// The engine policy of a RetryPolicy is shared by every call; each call's retrier still draws its own
/// jitter (tokio's paused clock measures each wait, to the millisecond).
#[tokio::test(start_paused = true)]
async fn calls_sharing_a_retry_policy_draw_their_own_jitter() {
    let mut waits = std::collections::HashSet::new();
    for _ in 0..8 {
        let start = Instant::now();
        let mut failed = false;
        let result = backoff_ffi::retry_with_backoff(
            || {
                let outcome = if failed { Ok(()) } else { Err(Unavailable) };
                failed = true;
                std::future::ready(outcome)
            },
            RetryPolicy::default(),
            |_| true,
        )
        .await;
        assert_eq!(result, Ok(()));
        waits.insert(start.elapsed());
    }
    assert!(waits.len() > 2, "{waits:?}");
    assert!(
        waits.iter().all(|wait| *wait <= Duration::from_millis(101)),
        "{waits:?}"
    );
}
