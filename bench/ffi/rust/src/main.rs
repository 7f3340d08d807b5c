//! Times libbackoff's Rust crate against its peers: the bare FFI call, the backoff iterators against
//! backon's, the retry wrappers' success path against backon's, and the engine's circuit breaker against
//! a plain `Mutex` breaker. Prints one line per case: "rust<TAB>name<TAB>ns per call" (the median of
//! several rounds), for bench/ffi/run to tabulate.

mod breaker_rows;
mod retry_rows;
mod timing;

use std::hint::black_box;
use std::time::Duration;

use backoff_ffi::{Jitter, Policy, State};
use backon::{BackoffBuilder, ExponentialBuilder};

use timing::Group;

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

fn main() {
    let policy = ours();
    let (mut clocked, mut unclocked) = (State::new(&policy).expect("state"), State::new(&policy).expect("state"));
    let mut peer = ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(500))
        .with_factor(1.5)
        .with_max_delay(Duration::from_secs(60))
        .with_jitter()
        .without_max_times()
        .build();
    Group::default()
        .row("extern \"C\": empty call into libbackoff.so", |_| {
            black_box(backoff_ffi::version_number());
        })
        .row("ours: State::next via Iterator (monotonic clock)", |_| {
            black_box(clocked.next());
        })
        .row("ours: State::next_at (no clock)", |_| {
            black_box(unclocked.next_at(Duration::ZERO, Duration::ZERO));
        })
        .row("ours: Policy::delay (stateless)", |i| {
            black_box(policy.delay(u64::from(i & 63), 42));
        })
        .row("backon: ExponentialBackoff::next (no clock)", |_| {
            black_box(peer.next());
        })
        .run();
    retry_rows::run();
    breaker_rows::run();
}
