//! The library's retry budget: a token bucket shared by many callers, so retries cannot amplify an outage.

use std::ptr::NonNull;

use crate::error::Error;
use crate::settings::{build_handle, Settings};
use crate::vocabulary::library_enum;
use crate::sys;

library_enum! {
    /// How the budget counts (backoff_budget_calibration).
    pub enum Calibration in BACKOFF_ENUM_BUDGET_CALIBRATION {
        /// The AWS SDKs' standard retry mode: a retry costs tokens, a successful retry refunds them.
        Aws,
        /// gRFC A6 retry throttling: failures take tokens, successes add a fraction.
        Grpc,
        /// Finagle's RetryBudget: each request deposits a fraction of a retry, deposits expire.
        Finagle,
    }
}

library_enum! {
    /// The counts a budget keeps (backoff_budget_count).
    pub enum BudgetCount in BACKOFF_ENUM_BUDGET_COUNT {
        /// Retries the budget allowed.
        Granted,
        /// Retries the budget refused.
        Refused,
    }
}

/// A retry budget, freed on drop. `Send + Sync`: share one between every caller of a dependency and
/// attach it to their calls with [`crate::Retry::budget`].
///
/// ```
/// use backoff_ffi::{BudgetCount, Calibration, RetryBudget};
///
/// let budget = RetryBudget::builder().calibration(Calibration::Aws).set("capacity", "10").build()?;
/// assert_eq!(budget.balance(), 10.0);
/// assert_eq!(budget.count(BudgetCount::Refused), 0);
/// # Ok::<(), backoff_ffi::Error>(())
/// ```
#[derive(Debug)]
pub struct RetryBudget {
    handle: NonNull<sys::backoff_budget>,
}

// SAFETY: backoff.h documents a budget as thread-safe and made to be shared.
unsafe impl Send for RetryBudget {}
unsafe impl Sync for RetryBudget {}

impl RetryBudget {
    /// Starts from the library's defaults (the AWS calibration: 500 tokens, 5 a retry).
    pub fn builder() -> BudgetBuilder {
        BudgetBuilder {
            settings: Settings::new(),
        }
    }

    /// The tokens left.
    pub fn balance(&self) -> f64 {
        let mut milli = 0;
        // SAFETY: live handle, valid out.
        unsafe { sys::backoff_budget_balance(&mut milli, self.as_ptr()) };
        milli as f64 / 1000.0
    }

    pub fn count(&self, which: BudgetCount) -> u64 {
        let mut count = 0;
        // SAFETY: live handle, valid out; every BudgetCount is a library value.
        unsafe { sys::backoff_budget_get_count(&mut count, self.as_ptr(), which.value()) };
        count
    }

    pub(crate) fn as_ptr(&self) -> *mut sys::backoff_budget {
        self.handle.as_ptr()
    }
}

impl Drop for RetryBudget {
    fn drop(&mut self) {
        // SAFETY: the handle came from backoff_budget_new and is freed only here; a retrier that still
        // uses the budget holds a reference of its own.
        unsafe { sys::backoff_budget_free(self.as_ptr()) }
    }
}

/// Collects budget parameters; [`set`](Self::set) reaches each by its library name ("capacity",
/// "retry_cost", "token_ratio", "ttl", ...).
#[derive(Debug)]
pub struct BudgetBuilder {
    settings: Settings<sys::backoff_budget_config>,
}

impl BudgetBuilder {
    pub fn calibration(mut self, calibration: Calibration) -> Self {
        self.settings
            .set_i64(sys::BACKOFF_BUDGET_PARAM_CALIBRATION, calibration.value().into());
        self
    }
    /// Any parameter by its library name, from text: `.set("retry_cost", "5")`.
    pub fn set(mut self, name: &str, value: &str) -> Self {
        self.settings.set_text(name, value);
        self
    }
    pub fn build(self) -> Result<RetryBudget, Error> {
        self.settings
            .finish(|config| build_handle(config, sys::backoff_budget_new))
            .map(|handle| RetryBudget { handle })
    }
}
