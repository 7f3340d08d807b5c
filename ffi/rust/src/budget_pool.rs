//! Retry budgets by key (a host, a partition) in bounded memory.

use crate::budget::{BudgetBuilder, RetryBudget};
use crate::error::Error;
use crate::handle::{read, thread_safe, Handle};
use crate::pool_key::with_c_key;
use crate::sys;

/// A [`RetryBudget`] per key, so that a failing backend cannot spend a healthy one's retries; freed on
/// drop. Memory is bounded: the pool holds at most `max_keys` budgets and makes room for a new key by
/// dropping the one used least recently, which starts afresh, full, if it comes back. `Send + Sync`; a
/// key the pool holds is found without a lock. A key ends at its first NUL byte, as the library reads it.
///
/// ```
/// use backoff_ffi::{BudgetPool, RetryBudget};
///
/// let budgets = BudgetPool::new(RetryBudget::builder().set("capacity", "10"), 10_000)?;
/// assert_eq!(budgets.get("db-1")?.balance(), 10.0);
/// assert_eq!(budgets.size(), 1);
/// # Ok::<(), backoff_ffi::Error>(())
/// ```
#[derive(Debug)]
pub struct BudgetPool {
    handle: Handle<sys::backoff_budget_pool>,
}

// SAFETY: backoff.h documents a budget pool as thread-safe: any thread.
thread_safe!(BudgetPool);

impl BudgetPool {
    /// An empty pool whose budgets are all configured by `budget`; `max_keys` in [1, 2^20]. The error is
    /// the library's, naming the parameter and the value.
    pub fn new(budget: BudgetBuilder, max_keys: i64) -> Result<Self, Error> {
        let handle = budget.finish(|config| {
            // SAFETY: config is live while finish runs; out points at a valid pointer slot.
            Handle::create(|out| unsafe { sys::backoff_budget_pool_new(out, config, max_keys) })
        })?;
        Ok(Self { handle })
    }

    /// A new handle to the budget of `key`, made full on the key's first use; two handles for one key
    /// share one budget, which outlives the pool's dropping the key. Each call makes a handle: keep it
    /// for a while rather than getting one per attempt. Fails only when memory runs out.
    pub fn get(&self, key: &str) -> Result<RetryBudget, Error> {
        // SAFETY: live handle, valid out, a NUL-terminated key.
        with_c_key(key, |c_key| {
            Handle::create(|out| unsafe { sys::backoff_budget_pool_get(out, self.handle.as_ptr(), c_key) })
        })
        .map(RetryBudget::from_handle)
    }

    /// How many budgets the pool holds.
    pub fn size(&self) -> usize {
        // SAFETY: live handle, valid out.
        read(|out| unsafe { sys::backoff_budget_pool_size(out, self.handle.as_ptr()) }) as usize
    }
}
