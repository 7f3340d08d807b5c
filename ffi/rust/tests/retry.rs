//! The stateful API in a retry loop, on simulated time (next_at) and on the real clock (Iterator).

use std::sync::Arc;
use std::time::Duration;

use backoff_ffi::{Jitter, Policy, State};

#[derive(Debug, PartialEq)]
struct Transient;

/// The loop a caller writes on a clock it keeps itself: ask next_at for each wait, then move the clock.
/// Returns how many times `op` ran and its last result.
fn retry_on_simulated_time(
    state: &mut State,
    mut op: impl FnMut() -> Result<(), Transient>,
) -> (u32, Result<(), Transient>) {
    let mut now = Duration::ZERO;
    state.reset_at(now);
    let mut calls = 0;
    loop {
        calls += 1;
        let result = op();
        if result.is_ok() {
            return (calls, result);
        }
        match state.next_at(now, Duration::ZERO) {
            Some(delay) => now += delay,
            None => return (calls, result),
        }
    }
}

fn state(policy: Policy) -> State {
    State::new(&policy).expect("state")
}

#[test]
fn retry_loop_succeeds_once_the_operation_recovers() {
    let mut state = state(Policy::builder().max_attempts(5).build().unwrap());
    let mut failures = 2;
    let (calls, result) = retry_on_simulated_time(&mut state, || {
        if failures == 0 {
            return Ok(());
        }
        failures -= 1;
        Err(Transient)
    });
    assert_eq!((calls, result, state.attempt()), (3, Ok(()), 2));
}

#[test]
fn max_attempts_counts_the_first_call() {
    let mut state = state(Policy::builder().max_attempts(3).build().unwrap());
    let (calls, result) = retry_on_simulated_time(&mut state, || Err(Transient));
    assert_eq!((calls, result), (3, Err(Transient)));
}

#[test]
fn max_elapsed_stops_before_a_wait_that_would_pass_it() {
    // Waits of 1 s, 2 s and 4 s bring the simulated clock to 7 s; another 8 s would pass 10 s.
    let policy = Policy::builder()
        .initial(Duration::from_secs(1))
        .jitter(Jitter::None)
        .max_elapsed(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut state = state(policy);
    let (calls, _) = retry_on_simulated_time(&mut state, || Err(Transient));
    assert_eq!(calls, 4);
    assert_eq!(state.elapsed_at(Duration::from_secs(7)), Duration::from_secs(7));
}

#[test]
fn server_hint_is_a_floor_and_still_capped() {
    let policy = Policy::builder()
        .jitter(Jitter::None)
        .cap(Duration::from_secs(2))
        .build()
        .unwrap();
    let mut state = state(policy);
    assert_eq!(
        state.next_at(Duration::ZERO, Duration::from_millis(500)),
        Some(Duration::from_millis(500))
    );
    assert_eq!(
        state.next_at(Duration::ZERO, Duration::MAX),
        Some(Duration::from_secs(2))
    );
}

#[test]
fn iterator_ends_at_max_attempts_and_reset_replays_it() {
    let policy = Policy::builder().max_attempts(4).seed(11).build().unwrap();
    let mut state = state(policy);
    let first: Vec<Duration> = state.by_ref().collect();
    assert_eq!(first.len(), 3, "four attempts leave three waits");
    assert_eq!(state.next(), None, "stop is sticky");
    state.reset();
    assert_eq!(state.collect::<Vec<_>>(), first);
}

#[test]
fn seeded_state_follows_the_stateless_schedule_with_key_zero() {
    let policy = Policy::builder().seed(7).jitter(Jitter::Full).build().unwrap();
    let delays: Vec<_> = State::new(&policy).unwrap().take(20).collect();
    let stateless: Vec<_> = (0..20).map(|attempt| policy.delay(attempt, 0).unwrap()).collect();
    assert_eq!(delays, stateless);
}

#[test]
fn delay_never_passes_the_cap_for_huge_attempts() {
    let policy = Policy::builder().cap(Duration::from_secs(30)).seed(1).build().unwrap();
    for attempt in [63, 64, 1 << 63, u64::MAX] {
        let delay = policy.delay(attempt, 99).expect("unlimited attempts never stop");
        assert!(delay <= Duration::from_secs(30), "delay({attempt}) = {delay:?}");
    }
}

#[test]
fn state_outlives_its_policy() {
    let policy = Policy::builder().jitter(Jitter::None).build().unwrap();
    let mut state = State::new(&policy).unwrap();
    drop(policy);
    assert_eq!(state.next(), Some(Duration::from_millis(100)));
}

#[test]
fn one_policy_serves_many_threads() {
    let policy = Arc::new(Policy::builder().seed(3).build().unwrap());
    let expected: Vec<_> = (0..100).map(|attempt| policy.delay(attempt, 5)).collect();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let policy = Arc::clone(&policy);
            std::thread::spawn(move || (0..100).map(|attempt| policy.delay(attempt, 5)).collect::<Vec<_>>())
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap(), expected);
    }
}

#[test]
fn retry_loop_sleeps_on_the_real_clock() {
    let policy = Policy::builder()
        .initial(Duration::from_millis(1))
        .max_attempts(5)
        .build()
        .unwrap();
    let mut calls = 0;
    let mut waits = State::new(&policy).unwrap();
    let result = loop {
        calls += 1;
        if calls == 3 {
            break Ok(());
        }
        match waits.next() {
            Some(delay) => std::thread::sleep(delay),
            None => break Err(Transient),
        }
    };
    assert_eq!((result, calls), (Ok(()), 3));
}
