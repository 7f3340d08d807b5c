//! Circuit breakers by key (a host, a partition, a tenant) in bounded memory, decided in C.

use std::future::Future;
use std::os::raw::c_int;
use std::time::{Duration, Instant};

use crate::breaker::{
    permit_reports, settle_async, BreakerBuilder, BreakerError, BreakerState, CircuitOpen, Outcome, Report,
};
use crate::error::{check, Error};
use crate::handle::{read, thread_safe, Handle};
use crate::pool_key::with_c_key;
use crate::{duration_from_ns, ns_from_duration, sys};

/// A [`CircuitBreaker`](crate::CircuitBreaker) per key, so that one failing backend cannot open the
/// circuit of the healthy ones; freed on drop. Memory is bounded: the pool holds at most `max_keys`
/// breakers and makes room for a new key by dropping the one used least recently, which starts afresh,
/// closed, if it comes back. `Send + Sync`; a key the pool holds is found without a lock. A key ends at
/// its first NUL byte, as the library reads it. Its breakers have no listener: read [`state`](Self::state).
///
/// ```
/// use backoff_ffi::{BreakerError, BreakerPool, BreakerState, CircuitBreaker};
///
/// let breakers = BreakerPool::new(CircuitBreaker::builder().failure_threshold(1), 10_000)?;
/// assert_eq!(breakers.call("db-1", || Err::<(), _>("down")), Err(BreakerError::Failed("down")));
/// assert_eq!((breakers.state("db-1"), breakers.state("db-2")), (BreakerState::Open, BreakerState::Closed));
/// # Ok::<(), backoff_ffi::Error>(())
/// ```
#[derive(Debug)]
pub struct BreakerPool {
    handle: Handle<sys::backoff_breaker_pool>,
}

// SAFETY: backoff.h documents a breaker pool as thread-safe: any thread, concurrently.
thread_safe!(BreakerPool);

impl BreakerPool {
    /// An empty pool whose breakers are all configured by `breaker`; `max_keys` in [1, 2^20]. The error
    /// is the library's, naming the parameter and the value.
    pub fn new(breaker: BreakerBuilder, max_keys: i64) -> Result<Self, Error> {
        let handle = breaker.finish(|config| {
            // SAFETY: config is live while finish runs; out points at a valid pointer slot.
            Handle::create(|out| unsafe { sys::backoff_breaker_pool_new(out, config, max_keys) })
        })?;
        Ok(Self { handle })
    }

    /// Asks the breaker of `key` (made closed on the key's first call) to make a call: a [`PoolPermit`],
    /// or the refusal.
    pub fn acquire<'a>(&'a self, key: &'a str) -> Result<PoolPermit<'a>, CircuitOpen> {
        let (mut permit, mut wait) = (0, 0);
        // SAFETY: live handle, valid outs, a NUL-terminated key. EOPEN is a decision, not an error.
        let status = with_c_key(key, |c_key| unsafe {
            sys::backoff_breaker_pool_acquire(&mut permit, &mut wait, self.handle.as_ptr(), c_key)
        });
        match status {
            sys::BACKOFF_EOPEN => Err(CircuitOpen {
                retry_in: duration_from_ns(wait),
            }),
            status => {
                check(status).expect("backoff_breaker_pool_acquire");
                Ok(PoolPermit {
                    pool: self,
                    key,
                    id: permit,
                    // Every call is timed: a pool cannot say whether its breakers' slow-call rule is on.
                    started: Instant::now(),
                })
            }
        }
    }

    /// Runs `call` if the breaker of `key` admits it and reports its result, as
    /// [`CircuitBreaker::call`](crate::CircuitBreaker::call) does.
    pub fn call<T, E>(&self, key: &str, call: impl FnOnce() -> Result<T, E>) -> Result<T, BreakerError<E>> {
        let permit = self.acquire(key).map_err(BreakerError::Open)?;
        permit.settle(call())
    }

    /// As [`call`](Self::call), for a future. Dropping the returned future before it completes gives
    /// the permit back unused, so a cancelled call frees its half-open probe slot at once.
    pub async fn call_async<T, E, F>(&self, key: &str, call: F) -> Result<T, BreakerError<E>>
    where
        F: Future<Output = Result<T, E>>,
    {
        settle_async(self.acquire(key), call).await
    }

    /// The state of the breaker of `key` as last stored; `Closed` for a key the pool does not hold (it
    /// would start closed). Adds no key.
    pub fn state(&self, key: &str) -> BreakerState {
        // SAFETY: live handle, valid out, a NUL-terminated key.
        let state = with_c_key(key, |c_key| {
            read::<c_int>(|out| unsafe { sys::backoff_breaker_pool_state(out, self.handle.as_ptr(), c_key) })
        });
        BreakerState::from_value(state).expect("a breaker state this crate knows")
    }

    /// How many breakers the pool holds.
    pub fn size(&self) -> usize {
        // SAFETY: live handle, valid out.
        read(|out| unsafe { sys::backoff_breaker_pool_size(out, self.handle.as_ptr()) }) as usize
    }
}

/// Leave from the breaker of one key to make one call: report what happened with
/// [`success`](Self::success), [`failure`](Self::failure) or [`ignore`](Self::ignore); a permit dropped
/// unreported is given back unused, so a cancelled call frees its half-open probe slot at once. A permit
/// whose key the pool dropped since is stale and changes nothing.
#[derive(Debug)]
#[must_use = "report the call's outcome, or the permit is released as unused"]
pub struct PoolPermit<'a> {
    pool: &'a BreakerPool,
    key: &'a str,
    id: u64,
    started: Instant,
}

permit_reports!(PoolPermit<'_>);

impl PoolPermit<'_> {
    fn record(self, outcome: Outcome, hint: Duration) {
        let duration = ns_from_duration(self.started.elapsed());
        // SAFETY: live pool (borrowed); a NUL-terminated key; a permit the key's breaker issued;
        // non-negative times.
        let status = with_c_key(self.key, |c_key| unsafe {
            sys::backoff_breaker_pool_record(
                self.pool.handle.as_ptr(),
                c_key,
                self.id,
                outcome.value(),
                duration,
                ns_from_duration(hint),
            )
        });
        check(status).expect("backoff_breaker_pool_record");
        std::mem::forget(self); // reported: nothing to release
    }
}

impl Drop for PoolPermit<'_> {
    fn drop(&mut self) {
        // SAFETY: live pool (borrowed); a NUL-terminated key; a non-zero permit the key's breaker issued
        // and nobody reported.
        with_c_key(self.key, |c_key| unsafe {
            sys::backoff_breaker_pool_release(self.pool.handle.as_ptr(), c_key, self.id)
        });
    }
}
