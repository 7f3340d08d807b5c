//! The library's version and clock, as the wrapper exposes them.

use std::time::Duration;

use backoff_ffi::{monotonic_now, version, Policy, State};

#[test]
fn version_is_the_one_this_crate_speaks() {
    assert!(version().starts_with("0."), "{}", version());
}

#[test]
fn monotonic_now_is_the_scale_of_the_states_own_clock() {
    let state = State::new(&Policy::builder().build().unwrap()).unwrap(); // started on the monotonic clock
    let elapsed = state.elapsed_at(monotonic_now() + Duration::from_secs(1));
    assert!(
        elapsed >= Duration::from_secs(1) && elapsed < Duration::from_secs(61),
        "{elapsed:?}"
    );
}
