//! The library's status codes and its thread-local message, as a Rust error.

use std::ffi::CStr;
use std::fmt;
use std::os::raw::c_int;

use crate::sys;

/// What kind of failure a status code reports. The numbers are the C API's and never change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// A value outside its domain: NaN, negative, multiplier < 1, cap < initial, ...
    Invalid,
    /// A NULL handle, out-pointer or string reached the library.
    Null,
    /// An unknown parameter name or choice.
    Unknown,
    /// A parameter set through the setter of another type.
    Type,
    NoMemory,
    /// A bug in libbackoff.
    Internal,
    Reentrant,
    Canceled,
    /// A code this crate predates.
    Other(i32),
}

impl ErrorCode {
    fn from_status(status: c_int) -> Self {
        match status {
            -1 => Self::Invalid,
            -2 => Self::Null,
            -3 => Self::Unknown,
            -4 => Self::Type,
            -5 => Self::NoMemory,
            -6 => Self::Internal,
            -7 => Self::Reentrant,
            -8 => Self::Canceled,
            other => Self::Other(other),
        }
    }
}

/// A failed call: its code and backoff_last_error()'s message, which names the parameter and the value
/// ("multiplier: must be at least 1 (got 0.5)").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    status: i32,
    message: String,
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The C status code, negative.
    pub fn status(&self) -> i32 {
        self.status
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// An error this crate raises itself, for a value the C types cannot carry.
    pub(crate) fn invalid(message: String) -> Self {
        Self {
            code: ErrorCode::Invalid,
            status: -1,
            message,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SAFETY: backoff_strerror returns a static string for any int.
        let description = unsafe { CStr::from_ptr(sys::backoff_strerror(self.status)) };
        write!(f, "{} ({})", self.message, description.to_string_lossy())
    }
}

impl std::error::Error for Error {}

/// Turns a status into a Result, reading the message at once: it is thread-local and the next failing
/// call on this thread replaces it. Inlined, so a call that succeeds pays one comparison.
#[inline]
pub(crate) fn check(status: c_int) -> Result<(), Error> {
    if status == sys::BACKOFF_OK {
        Ok(())
    } else {
        Err(failure(status))
    }
}

#[cold]
fn failure(status: c_int) -> Error {
    // SAFETY: backoff_last_error never returns NULL; the string stays valid until the next failing call
    // on this thread, and it is copied before that.
    let message = unsafe { CStr::from_ptr(sys::backoff_last_error()) }
        .to_string_lossy()
        .into_owned();
    Error {
        code: ErrorCode::from_status(status),
        status,
        message,
    }
}
