//! Times libbackoff's Rust wrapper (an extern "C" call into libbackoff.so per delay) against backon's
//! ExponentialBackoff iterator. Prints one line per case: "rust<TAB>name<TAB>ns per call" (the median of
//! several rounds), for bench/ffi/run to tabulate.

use std::hint::black_box;
use std::time::{Duration, Instant};

use backoff_ffi::{Jitter, Policy, State};
use backon::{BackoffBuilder, ExponentialBuilder};

const CALLS_PER_ROUND: u32 = 2_000_000;
const ROUNDS: usize = 7;

/// The median over ROUNDS of the time per call of `step`, in ns.
fn time_per_call(mut step: impl FnMut(u32)) -> f64 {
    let mut rounds: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for i in 0..CALLS_PER_ROUND {
                step(i);
            }
            start.elapsed().as_nanos() as f64 / f64::from(CALLS_PER_ROUND)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[ROUNDS / 2]
}

/// Both libraries grow from 500 ms by 1.5 up to 60 s, with jitter and without an attempt limit. backon
/// adds U(0, d) to d; libbackoff draws from d +- 50 % (cenkalti's default, as in the Go benchmark).
fn ours() -> Policy {
    Policy::builder()
        .initial(Duration::from_millis(500))
        .multiplier(1.5)
        .cap(Duration::from_secs(60))
        .jitter(Jitter::Randomization)
        .randomization_factor(0.5)
        .build()
        .expect("policy")
}

fn report(name: &str, ns: f64) {
    println!("rust\t{name}\t{ns:.2}");
}

fn main() {
    let policy = ours();
    let mut state = State::new(&policy).expect("state");
    report(
        "ours: State::next via Iterator (monotonic clock)",
        time_per_call(|_| {
            black_box(state.next());
        }),
    );
    let mut state = State::new(&policy).expect("state");
    report(
        "ours: State::next_at (no clock)",
        time_per_call(|_| {
            black_box(state.next_at(Duration::ZERO, Duration::ZERO));
        }),
    );
    report(
        "ours: Policy::delay (stateless)",
        time_per_call(|i| {
            black_box(policy.delay(u64::from(i & 63), 42));
        }),
    );
    let mut peer = ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(500))
        .with_factor(1.5)
        .with_max_delay(Duration::from_secs(60))
        .with_jitter()
        .without_max_times()
        .build();
    report(
        "backon: ExponentialBackoff::next (no clock)",
        time_per_call(|_| {
            black_box(peer.next());
        }),
    );
}
