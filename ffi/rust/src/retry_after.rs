//! HTTP Retry-After, read by the library's parser so every language reads a header the same way.

use std::ffi::CString;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::{duration_from_ns, sys};

/// The wait an HTTP `Retry-After` value asks for: delta-seconds (`"120"`) or an HTTP-date, measured
/// against the system clock. `None` when the value is neither: then wait as the policy says.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(backoff_ffi::retry_after("120"), Some(Duration::from_secs(120)));
/// assert_eq!(backoff_ffi::retry_after("Sun, 06 Nov 1994 08:49:37 GMT"), Some(Duration::ZERO)); // past
/// assert_eq!(backoff_ffi::retry_after("soon"), None);
/// ```
pub fn retry_after(value: &str) -> Option<Duration> {
    let value = CString::new(value).ok()?;
    // Before 1970 or past 2262 the wall clock does not fit; saturate, as the library does with dates.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| i64::try_from(since.as_nanos()).unwrap_or(i64::MAX));
    let mut wait = 0;
    // SAFETY: valid out, NUL-terminated value. EINVAL (no usable hint) leaves backoff_last_error() set,
    // which only reports errors and is never read to detect one.
    let status = unsafe { sys::backoff_retry_after_parse(&mut wait, value.as_ptr(), now) };
    (status == sys::BACKOFF_OK).then(|| duration_from_ns(wait))
}
