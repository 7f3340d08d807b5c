//! The crate's enums are the library's: same values, same names, in the library's order.

use backoff_ffi::{jitter_names, kind_names, policy_default, Jitter, Kind};

/// `names` (the variants' own, in declaration order) are the library's first names, and each is its
/// variant's Debug name in lower case. A prefix: a mode the library adds reaches Rust users when the
/// crate names it (docs/architecture.md).
fn check(names: &[&str], debug_names: &[String], library: &[&str]) {
    assert_eq!(names, &library[..names.len()]);
    let lower: Vec<String> = debug_names.iter().map(|name| name.to_lowercase()).collect();
    assert_eq!(lower, names);
}

#[test]
fn kinds_and_jitter_modes_are_the_library_s_in_value_order() {
    let kinds = [Kind::Constant, Kind::Linear, Kind::Exponential, Kind::Decorrelated];
    check(&kinds.map(Kind::name), &kinds.map(|kind| format!("{kind:?}")), &kind_names());
    let modes = [Jitter::None, Jitter::Full, Jitter::Equal, Jitter::Randomization];
    check(&modes.map(Jitter::name), &modes.map(|mode| format!("{mode:?}")), &jitter_names());
}

#[test]
fn defaults_come_from_the_library() {
    assert_eq!(policy_default("kind"), Some("exponential"));
    assert_eq!(policy_default("initial"), Some("100ms"));
    assert_eq!(policy_default("no_such_parameter"), None);
}
