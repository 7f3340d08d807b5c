//! The crate's enums are the library's: same values, same names, in the library's order.

use backoff_ffi::{jitter_names, kind_names, policy_default, Jitter, Kind};

#[test]
fn the_kinds_are_the_library_s_in_value_order() {
    let kinds = [Kind::Constant, Kind::Linear, Kind::Exponential, Kind::Decorrelated];
    assert_eq!(kinds.map(Kind::name).to_vec(), kind_names()[..kinds.len()]);
    for kind in kinds {
        assert_eq!(format!("{kind:?}").to_lowercase(), kind.name());
    }
}

#[test]
fn the_jitter_modes_are_the_library_s_in_value_order() {
    let modes = [Jitter::None, Jitter::Full, Jitter::Equal, Jitter::Randomization];
    // A prefix: a mode the library adds reaches Rust users when the crate names it (docs/architecture.md).
    assert_eq!(modes.map(Jitter::name).to_vec(), jitter_names()[..modes.len()]);
    for mode in modes {
        assert_eq!(format!("{mode:?}").to_lowercase(), mode.name());
    }
}

#[test]
fn defaults_come_from_the_library() {
    assert_eq!(policy_default("kind"), Some("exponential"));
    assert_eq!(policy_default("initial"), Some("100ms"));
    assert_eq!(policy_default("no_such_parameter"), None);
}
