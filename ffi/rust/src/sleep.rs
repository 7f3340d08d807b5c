//! How an async retry waits: the runtime's timer, chosen by the caller. Only the waiting is Rust's; the
//! engine says how long.

use std::future::Future;
use std::time::Duration;

/// Waits out a delay in an async retry. Any `FnMut(Duration) -> impl Future<Output = ()>` is one, so a
/// runtime's own sleep plugs in as it is: `.sleep(async_std::task::sleep)`, `.sleep(smol::Timer::after)`
/// wrapped to return `()`, or a test's fake clock.
pub trait Sleeper {
    type Sleep: Future<Output = ()>;
    fn sleep(&mut self, delay: Duration) -> Self::Sleep;
}

impl<F, Fut> Sleeper for F
where
    F: FnMut(Duration) -> Fut,
    Fut: Future<Output = ()>,
{
    type Sleep = Fut;
    fn sleep(&mut self, delay: Duration) -> Fut {
        self(delay)
    }
}

/// The sleep of [`crate::Retry`] unless one is given: tokio's timer with the `tokio` feature (the
/// default), otherwise [`ThreadSleep`], which needs no runtime at all.
#[derive(Clone, Copy, Debug, Default)]
pub struct DefaultSleep;

impl Sleeper for DefaultSleep {
    #[cfg(feature = "tokio")]
    type Sleep = tokio::time::Sleep;
    #[cfg(not(feature = "tokio"))]
    type Sleep = ThreadSleep;

    fn sleep(&mut self, delay: Duration) -> Self::Sleep {
        #[cfg(feature = "tokio")]
        return tokio::time::sleep(delay);
        #[cfg(not(feature = "tokio"))]
        return ThreadSleep::new(delay);
    }
}

#[cfg(not(feature = "tokio"))]
pub use thread_sleep::ThreadSleep;

#[cfg(not(feature = "tokio"))]
mod thread_sleep {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll, Waker};
    use std::time::Duration;

    /// A wait that works under any executor: on its first poll a thread sleeps the delay and then
    /// wakes the task. A thread per wait costs tens of microseconds, nothing beside a backoff delay;
    /// with a runtime at hand, the `tokio` feature or [`crate::Retry::sleep`] avoids it.
    #[derive(Debug)]
    pub struct ThreadSleep {
        delay: Duration,
        shared: Option<Arc<Mutex<Wake>>>,
    }

    #[derive(Debug, Default)]
    struct Wake {
        done: bool,
        waker: Option<Waker>,
    }

    impl ThreadSleep {
        pub(crate) fn new(delay: Duration) -> Self {
            Self { delay, shared: None }
        }
    }

    impl Future for ThreadSleep {
        type Output = ();

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            let delay = self.delay;
            let shared = self.shared.get_or_insert_with(|| {
                let shared = Arc::new(Mutex::new(Wake::default()));
                let timer = Arc::clone(&shared);
                std::thread::spawn(move || {
                    std::thread::sleep(delay);
                    let mut wake = timer.lock().expect("timer lock");
                    wake.done = true;
                    if let Some(waker) = wake.waker.take() {
                        waker.wake();
                    }
                });
                shared
            });
            let mut wake = shared.lock().expect("timer lock");
            if wake.done {
                return Poll::Ready(());
            }
            wake.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}
