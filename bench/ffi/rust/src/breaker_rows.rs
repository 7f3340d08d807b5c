//! A breaker-guarded call that succeeds, through the engine's breaker and through the breaker most Rust
//! services write by hand: a consecutive-failure counter and an open-until time behind a `Mutex`.

use std::hint::black_box;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use backoff_ffi::CircuitBreaker;

use crate::timing::{Group, CALLS_PER_ROUND};

/// The hand-written peer: trips after `threshold` failures in a row, refuses calls for `open` after.
struct MutexBreaker {
    threshold: u32,
    open: Duration,
    state: Mutex<(u32, Option<Instant>)>, // (failures in a row, open until)
}

impl MutexBreaker {
    fn call<T, E>(&self, call: impl FnOnce() -> Result<T, E>) -> Option<Result<T, E>> {
        if let (_, Some(until)) = *self.state.lock().unwrap() {
            if Instant::now() < until {
                return None;
            }
        }
        let result = call();
        let mut state = self.state.lock().unwrap();
        match result {
            Ok(_) => *state = (0, None),
            Err(_) => {
                state.0 += 1;
                if state.0 >= self.threshold {
                    state.1 = Some(Instant::now() + self.open);
                }
            }
        }
        Some(result)
    }
}

/// A round of CALLS_PER_ROUND calls shared by `threads` threads calling at once.
fn shared_round(threads: u32, call: &(impl Fn(u32) + Sync)) {
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(move || (0..CALLS_PER_ROUND / threads).for_each(call));
        }
    })
}

pub fn run() {
    let ours = CircuitBreaker::builder()
        .failure_threshold(5)
        .open_duration(Duration::from_secs(30))
        .build()
        .expect("breaker");
    let peer = MutexBreaker {
        threshold: 5,
        open: Duration::from_secs(30),
        state: Mutex::new((0, None)),
    };
    let ours_call = |i| {
        black_box(ours.call(|| Ok::<_, ()>(i)).unwrap());
    };
    let peer_call = |i| {
        black_box(peer.call(|| Ok::<_, ()>(i)).unwrap().unwrap());
    };
    Group::default()
        .row("ours: CircuitBreaker::call success", ours_call)
        .row("plain Mutex breaker: call success", peer_call)
        .round("ours: CircuitBreaker::call success (2 threads)", || {
            shared_round(2, &ours_call)
        })
        .round("plain Mutex breaker: call success (2 threads)", || {
            shared_round(2, &peer_call)
        })
        .run();
}
