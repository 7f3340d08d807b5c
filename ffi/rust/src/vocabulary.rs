//! The library's vocabulary: names and defaults asked of the library, never typed again here.
//!
//! Each enum of this crate mirrors one of the library's enum families. Its variants are listed in the
//! library's value order and numbered from 0 by declaration, so no number is typed here; its names come
//! from `backoff_name_of`; and tests/vocabulary.rs holds every variant to `backoff_value_of` of its own
//! name in snake case, so a reordered or renamed value fails the tests rather than shifting silently.

use std::ffi::CStr;
use std::os::raw::{c_char, c_int};

use crate::sys;

fn static_text(text: *const c_char) -> Option<&'static str> {
    // SAFETY: backoff.h documents these strings as static, NUL-terminated and never freed.
    (!text.is_null()).then(|| {
        unsafe { CStr::from_ptr(text) }
            .to_str()
            .expect("the library's names are ASCII")
    })
}

/// The name of `value` in the enum family `family` (backoff.h's backoff_enum_family), or None.
pub(crate) fn name_of(family: c_int, value: c_int) -> Option<&'static str> {
    // SAFETY: any ints are accepted; NULL comes back for an unknown family or value.
    static_text(unsafe { sys::backoff_name_of(family, value) })
}

/// The value of `name` in `family`, asked of the library.
pub(crate) fn value_of(family: c_int, name: &str) -> Result<c_int, crate::Error> {
    let text =
        std::ffi::CString::new(name).map_err(|_| crate::Error::invalid(format!("{name:?}: contains a NUL byte")))?;
    let mut value = 0;
    // SAFETY: valid out, NUL-terminated name.
    crate::error::check(unsafe { sys::backoff_value_of(&mut value, family, text.as_ptr()) })?;
    Ok(value)
}

/// Every name of `family`, in value order: `names(BACKOFF_ENUM_JITTER)` is `["none", "full", ...]`.
pub fn names(family: c_int) -> Vec<&'static str> {
    (0..).map_while(|value| name_of(family, value)).collect()
}

/// Declares an enum of one of the library's families: its variants in the library's value order, with
/// `name()` asked of the library and `ALL` in value order.
macro_rules! library_enum {
    ($(#[$meta:meta])* pub enum $name:ident in $family:ident { $($(#[$vmeta:meta])* $variant:ident,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every variant, in the library's value order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];
            /// The library's enum family (backoff.h's backoff_enum_family) this type mirrors.
            pub const FAMILY: std::os::raw::c_int = crate::sys::$family;

            /// The library's name of this value, as text settings and every other language spell it.
            pub fn name(self) -> &'static str {
                crate::vocabulary::name_of(Self::FAMILY, self.value()).expect("the library names every value")
            }

            /// The value the library names `name` ("full" for [`crate::Jitter::Full`]), or the library's
            /// error listing the names it knows.
            pub fn from_name(name: &str) -> Result<Self, crate::Error> {
                let value = crate::vocabulary::value_of(Self::FAMILY, name)?;
                Self::from_value(value)
                    .ok_or_else(|| crate::Error::invalid(format!("{name}: newer than this crate (value {value})")))
            }

            /// The value the C API takes.
            pub(crate) fn value(self) -> std::os::raw::c_int {
                self as std::os::raw::c_int
            }

            /// The variant of a value the C API returned; None for a value this crate predates.
            pub(crate) fn from_value(value: std::os::raw::c_int) -> Option<Self> {
                usize::try_from(value).ok().and_then(|index| Self::ALL.get(index).copied())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}
pub(crate) use library_enum;

/// The library's default of a policy parameter, as its text setter reads it ("100ms", "full"), or None
/// for an unknown name.
pub fn policy_default(name: &str) -> Option<&'static str> {
    let param = names(sys::BACKOFF_ENUM_PARAM).iter().position(|known| *known == name)?;
    let param = c_int::try_from(param).ok()?;
    // SAFETY: any ints are accepted; NULL comes back for an unknown parameter.
    static_text(unsafe { sys::backoff_param_info(sys::BACKOFF_ENUM_PARAM, param, sys::BACKOFF_FIELD_DEFAULT) })
}
