//! How every row is timed and printed, the same for ours and the peers'.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

pub const CALLS_PER_ROUND: u32 = 2_000_000;
const ROUNDS: usize = 7;

/// Rows timed side by side: round r of every row runs before round r + 1 of any, so ours and the peer
/// meet the same load on a shared machine. Each row reports its median round, per call, in ns.
#[derive(Default)]
pub struct Group<'a> {
    rows: Vec<(&'static str, Round<'a>)>,
}

/// One round of a row: CALLS_PER_ROUND calls.
type Round<'a> = Box<dyn FnMut() + 'a>;

impl<'a> Group<'a> {
    /// A row whose `step(i)` is one call.
    pub fn row(self, name: &'static str, mut step: impl FnMut(u32) + 'a) -> Self {
        self.round(name, move || (0..CALLS_PER_ROUND).for_each(&mut step))
    }

    /// A row whose `round()` makes CALLS_PER_ROUND calls in all.
    pub fn round(mut self, name: &'static str, round: impl FnMut() + 'a) -> Self {
        self.rows.push((name, Box::new(round)));
        self
    }

    /// Times every row and prints one line each for bench/ffi/report.py: "rust<TAB>name<TAB>ns per call".
    pub fn run(mut self) {
        let mut times = vec![Vec::with_capacity(ROUNDS); self.rows.len()];
        for _ in 0..ROUNDS {
            for ((_, round), times) in self.rows.iter_mut().zip(&mut times) {
                let start = Instant::now();
                round();
                times.push(start.elapsed().as_nanos() as f64 / f64::from(CALLS_PER_ROUND));
            }
        }
        for ((name, _), mut times) in self.rows.into_iter().zip(times) {
            times.sort_by(f64::total_cmp);
            println!("rust\t{name}\t{:.2}", times[ROUNDS / 2]);
        }
    }
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
