//! The library's vocabulary: names and defaults asked of the library, never typed again here.

use std::ffi::CStr;
use std::os::raw::{c_char, c_int};

use crate::sys;

fn static_text(text: *const c_char) -> Option<&'static str> {
    // SAFETY: backoff.h documents these strings as static, NUL-terminated and never freed.
    (!text.is_null()).then(|| unsafe { CStr::from_ptr(text) }.to_str().expect("the library's names are ASCII"))
}

/// The name of `value` in the enum family `family` (backoff.h's backoff_enum_family), or None.
pub(crate) fn name_of(family: c_int, value: i64) -> Option<&'static str> {
    let value = c_int::try_from(value).ok()?;
    static_text(unsafe { sys::backoff_name_of(family, value) })
}

fn names(family: c_int) -> Vec<&'static str> {
    (0..).map_while(|value| name_of(family, value)).collect()
}

/// Every kind's name, in value order: what a [`crate::Kind`] may be.
pub fn kind_names() -> Vec<&'static str> {
    names(sys::BACKOFF_ENUM_KIND)
}

/// Every jitter mode's name, in value order: what a [`crate::Jitter`] may be.
pub fn jitter_names() -> Vec<&'static str> {
    names(sys::BACKOFF_ENUM_JITTER)
}

/// The library's default of a policy parameter, as its text setter reads it ("100ms", "full"), or None
/// for an unknown name.
pub fn policy_default(name: &str) -> Option<&'static str> {
    let param = names(sys::BACKOFF_ENUM_PARAM).iter().position(|known| *known == name)?;
    let param = c_int::try_from(param).ok()?;
    static_text(unsafe { sys::backoff_param_info(sys::BACKOFF_ENUM_PARAM, param, sys::BACKOFF_FIELD_DEFAULT) })
}
