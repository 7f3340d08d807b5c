//! The library's retry budget: a token bucket shared by many callers, so retries cannot amplify an outage.

use crate::error::Error;
use crate::handle::{read, thread_safe, Handle};
use crate::settings::{build_handle, builder};
use crate::sys;
use crate::vocabulary::library_enum;

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
    handle: Handle<sys::backoff_budget>,
}

// SAFETY: backoff.h documents a budget as thread-safe and made to be shared.
thread_safe!(RetryBudget);

impl RetryBudget {
    /// Starts from the library's defaults (the AWS calibration: 500 tokens, 5 a retry).
    pub fn builder() -> BudgetBuilder {
        BudgetBuilder::default()
    }

    /// The tokens left.
    pub fn balance(&self) -> f64 {
        // SAFETY: live handle, valid out.
        read(|out| unsafe { sys::backoff_budget_balance(out, self.as_ptr()) }) as f64 / 1000.0
    }

    pub fn count(&self, which: BudgetCount) -> u64 {
        // SAFETY: live handle, valid out; every BudgetCount is a library value.
        read(|out| unsafe { sys::backoff_budget_get_count(out, self.as_ptr(), which.value()) })
    }

    /// Owns a budget handle the library made (from a config or a pool).
    pub(crate) fn from_handle(handle: Handle<sys::backoff_budget>) -> Self {
        Self { handle }
    }

    pub(crate) fn as_ptr(&self) -> *mut sys::backoff_budget {
        self.handle.as_ptr()
    }
}

builder! {
    /// Collects budget parameters; [`set`](Self::set) reaches each by its library name ("capacity",
    /// "retry_cost", "token_ratio", "ttl", ...).
    pub struct BudgetBuilder for sys::backoff_budget_config {
        choice calibration(Calibration) = BACKOFF_BUDGET_PARAM_CALIBRATION;
    }
}

impl BudgetBuilder {
    /// The first rejection, or what `build` makes of the finished config (a budget, a pool).
    pub(crate) fn finish<T>(
        self,
        build: impl FnOnce(*const sys::backoff_budget_config) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.settings.finish(build)
    }

    pub fn build(self) -> Result<RetryBudget, Error> {
        self.finish(|config| build_handle(config, sys::backoff_budget_new))
            .map(RetryBudget::from_handle)
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
