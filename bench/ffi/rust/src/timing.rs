//! How every row is timed and printed, the same for ours and the peers'.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

pub const CALLS_PER_ROUND: u32 = 2_000_000;
const ROUNDS: usize = 7;

/// The median over ROUNDS of the time per call of `step`, in ns.
pub fn time_per_call(mut step: impl FnMut(u32)) -> f64 {
    time_rounds(|| (0..CALLS_PER_ROUND).for_each(&mut step))
}

/// The median over ROUNDS of the time of `round`, which makes CALLS_PER_ROUND calls, per call in ns.
pub fn time_rounds(mut round: impl FnMut()) -> f64 {
    let mut rounds: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            round();
            start.elapsed().as_nanos() as f64 / f64::from(CALLS_PER_ROUND)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[ROUNDS / 2]
}

/// One row for bench/ffi/report.py: "rust<TAB>name<TAB>ns per call".
pub fn report(name: &str, ns: f64) {
    println!("rust\t{name}\t{ns:.2}");
}

/// Runs a future that completes without waiting (a success path), with no executor: so the rows time
/// the retry wrappers alone, not a runtime's scheduling.
pub fn complete<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a success path that waits"),
    }
}
