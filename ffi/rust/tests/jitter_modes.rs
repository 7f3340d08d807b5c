//! The seed's wish list: pluggable jitter modes on a RetryPolicy, each drawn by the engine.

use std::time::Duration;

use backoff_ffi::{Jitter, Kind, Policy, RetryPolicy, State};

/// 200 draws of the wait before the third retry (attempt 2, 400 ms before jitter), each from a fresh
/// state so that every draw is independent.
fn third_waits(policy: &Policy) -> Vec<Duration> {
    (0..200).map(|_| State::new(policy).unwrap().nth(2).unwrap()).collect()
}

fn range(waits: &[Duration]) -> (Duration, Duration) {
    (*waits.iter().min().unwrap(), *waits.iter().max().unwrap())
}

fn ms(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

#[test]
fn none_full_and_equal_jitter_draw_from_their_ranges() {
    let seed = RetryPolicy::default(); // 100 ms doubling, 5 s cap
    let none = third_waits(&seed.builder().jitter(Jitter::None).build().unwrap());
    assert_eq!(range(&none), (ms(400), ms(400)));
    let (low, high) = range(&third_waits(&seed.builder().jitter(Jitter::Full).build().unwrap()));
    assert!(
        low < ms(100) && high > ms(300) && high <= ms(400),
        "full: {low:?}..{high:?}"
    );
    let (low, high) = range(&third_waits(&seed.builder().jitter(Jitter::Equal).build().unwrap()));
    assert!(
        low >= ms(200) && low < ms(250) && high > ms(350) && high <= ms(400),
        "equal: {low:?}..{high:?}"
    );
}

#[test]
fn decorrelated_jitter_grows_from_the_previous_wait() {
    // AWS's formula: U(base, previous * 3), capped; the third wait lies in [100 ms, min(cap, 2.7 s)].
    let policy = RetryPolicy::default()
        .builder()
        .kind(Kind::Decorrelated)
        .multiplier(3.0)
        .build()
        .unwrap();
    let (low, high) = range(&third_waits(&policy));
    assert!(
        low >= ms(100) && high > ms(900) && high <= ms(2700),
        "decorrelated: {low:?}..{high:?}"
    );
}

#[test]
fn the_seed_s_limits_carry_over_to_the_builder() {
    let policy = RetryPolicy::gentle().builder().jitter(Jitter::Equal).build().unwrap();
    assert_eq!(State::new(&policy).unwrap().count(), 2, "gentle: two retries");
    assert!(State::new(&policy).unwrap().all(|wait| wait <= ms(3000)));
}
