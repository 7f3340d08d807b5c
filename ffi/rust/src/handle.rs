//! One owner for every handle the library hands out: created through an out-parameter, freed on drop.

use std::fmt;
use std::os::raw::c_int;
use std::ptr::{self, NonNull};

use crate::error::{check, Error};
use crate::sys;

/// A library type whose handles are freed by one `backoff_*_free` function.
pub(crate) trait Free {
    /// # Safety
    /// `handle` came from the library and is not used afterwards.
    unsafe fn free(handle: *mut Self);
}

macro_rules! free_with {
    ($($type:ident => $free:ident,)+) => {
        $(impl Free for sys::$type {
            unsafe fn free(handle: *mut Self) {
                sys::$free(handle)
            }
        })+
    };
}

free_with! {
    backoff_policy => backoff_policy_free,
    backoff_state => backoff_state_free,
    backoff_breaker => backoff_breaker_free,
    backoff_budget => backoff_budget_free,
    backoff_retrier => backoff_retrier_free,
    backoff_breaker_pool => backoff_breaker_pool_free,
    backoff_budget_pool => backoff_budget_pool_free,
}

/// Declares a wrapper `Send + Sync`, for the handles backoff.h documents as safe to use from any
/// number of threads at once. Each use states that contract in a SAFETY comment.
macro_rules! thread_safe {
    ($type:ty) => {
        unsafe impl Send for $type {}
        unsafe impl Sync for $type {}
    };
}
pub(crate) use thread_safe;

/// A live handle, never NULL, freed on drop. Neither `Send` nor `Sync` by itself: each wrapper states
/// what the C contract allows.
pub(crate) struct Handle<T: Free>(NonNull<T>);

impl<T: Free> Handle<T> {
    /// The handle `create` writes to its out-parameter, or the library's error.
    pub(crate) fn create(create: impl FnOnce(*mut *mut T) -> c_int) -> Result<Self, Error> {
        let mut handle = ptr::null_mut();
        check(create(&mut handle))?;
        Ok(Self(
            NonNull::new(handle).expect("the library returned OK with a NULL handle"),
        ))
    }

    pub(crate) fn as_ptr(&self) -> *mut T {
        self.0.as_ptr()
    }
}

impl<T: Free> Drop for Handle<T> {
    fn drop(&mut self) {
        // SAFETY: the handle came from the library through `create` and is freed only here.
        unsafe { T::free(self.0.as_ptr()) }
    }
}

impl<T: Free> fmt::Debug for Handle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:p}", self.0)
    }
}

/// What a getter that cannot fail (a live handle, a valid out-pointer) writes to its out-parameter.
pub(crate) fn read<T: Default>(get: impl FnOnce(&mut T) -> c_int) -> T {
    let mut out = T::default();
    get(&mut out);
    out
}
