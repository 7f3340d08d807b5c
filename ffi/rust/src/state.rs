//! State: the stateful form of a policy (attempt count, start time, random stream).

use std::time::Duration;

use crate::error::Error;
use crate::handle::{read, Handle};
use crate::{delay_from_ns, duration_from_ns, ns_from_duration, sys, Policy};

/// Counts attempts and measures elapsed time, freed on drop. Its [`Iterator`] yields the delay before
/// each retry on the library's monotonic clock and ends when the policy says stop. The `_at` methods
/// take the time instead, on any scale the caller keeps: use them for simulated time.
#[derive(Debug)]
pub struct State {
    handle: Handle<sys::backoff_state>,
}

// SAFETY: a state may move between threads; it is used by one at a time, which &mut self enforces.
unsafe impl Send for State {}

impl State {
    /// Starts on `policy`; elapsed time starts now. The state keeps its own copy of the policy.
    pub fn new(policy: &Policy) -> Result<Self, Error> {
        // SAFETY: the policy is live; out points at a valid pointer slot.
        let handle = Handle::create(|out| unsafe { sys::backoff_state_new(out, policy.as_ptr()) })?;
        Ok(Self { handle })
    }

    /// The wait before the next retry at the time `now`, or `None` to stop; counts the attempt. `hint`
    /// is a server's Retry-After (zero for none): the delay is at least the hint, still at most the cap.
    pub fn next_at(&mut self, now: Duration, hint: Duration) -> Option<Duration> {
        let mut out = 0;
        // SAFETY: live handle, valid out; a hint converted from a Duration is never negative, so the
        // call cannot fail.
        unsafe {
            sys::backoff_state_next_at(
                &mut out,
                self.handle.as_ptr(),
                ns_from_duration(now),
                ns_from_duration(hint),
            )
        };
        delay_from_ns(out)
    }

    /// Starts over at the time `now`: attempt 0, elapsed time measured from `now`.
    pub fn reset_at(&mut self, now: Duration) {
        // SAFETY: live handle.
        unsafe { sys::backoff_state_reset_at(self.handle.as_ptr(), ns_from_duration(now)) };
    }

    /// Starts over on the monotonic clock. A seeded state replays its delays.
    pub fn reset(&mut self) {
        // SAFETY: live handle.
        unsafe { sys::backoff_state_reset(self.handle.as_ptr()) };
    }

    /// The time from the start or the last reset until `now`; zero if `now` is earlier.
    pub fn elapsed_at(&self, now: Duration) -> Duration {
        // SAFETY: live handle, valid out.
        duration_from_ns(read(|out| unsafe {
            sys::backoff_state_elapsed_at(out, self.handle.as_ptr(), ns_from_duration(now))
        }))
    }

    /// How many delays the state has handed out since the start or the last reset.
    pub fn attempt(&self) -> u64 {
        // SAFETY: live handle, valid out.
        read(|out| unsafe { sys::backoff_state_attempt(out, self.handle.as_ptr()) })
    }
}

impl Iterator for State {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        // SAFETY: live handle, valid out, zero hint: cannot fail.
        delay_from_ns(read(|out| unsafe {
            sys::backoff_state_next(out, self.handle.as_ptr(), 0)
        }))
    }
}
