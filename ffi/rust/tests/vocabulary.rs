//! Every enum of the crate is the library's: each variant's snake-case name is the one backoff_name_of
//! gives its value and the one backoff_value_of maps back to it. The variants are the family's first
//! values: a value the library adds reaches Rust users when the crate names it (docs/architecture.md,
//! "Adding a jitter mode"), and until then `from_name` reports it as newer than the crate.

use backoff_ffi::{
    names, policy_default, BreakerCount, BreakerState, BudgetCount, Calibration, ErrorClass, ErrorCode, Jitter, Kind,
    Outcome, RetryOutcome, Trip,
};

/// "HalfOpen" -> "half_open".
fn snake_case(name: &str) -> String {
    let mut snake = String::new();
    for (at, c) in name.char_indices() {
        if c.is_ascii_uppercase() && at > 0 {
            snake.push('_');
        }
        snake.push(c.to_ascii_lowercase());
    }
    snake
}

/// Holds `variants` (ALL, in value order) to the library's family, both ways.
fn check_family<T>(
    variants: &[T],
    family: i32,
    name: fn(T) -> &'static str,
    from_name: fn(&str) -> Result<T, backoff_ffi::Error>,
) where
    T: Copy + std::fmt::Debug + PartialEq,
{
    let ours: Vec<String> = variants
        .iter()
        .map(|variant| snake_case(&format!("{variant:?}")))
        .collect();
    let library = names(family);
    assert!(
        ours.len() <= library.len(),
        "{variants:?}: more variants than family {family} has values"
    );
    assert_eq!(ours, library[..ours.len()], "{variants:?} against family {family}");
    for (variant, snake) in variants.iter().zip(&ours) {
        assert_eq!(name(*variant), snake, "backoff_name_of of {variant:?}");
        assert_eq!(from_name(snake).ok(), Some(*variant), "backoff_value_of({snake:?})");
    }
}

macro_rules! check {
    ($($t:ty),+) => {
        $(check_family(<$t>::ALL, <$t>::FAMILY, <$t>::name, <$t>::from_name);)+
    };
}

#[test]
fn every_enum_is_the_library_s_family_by_name_and_value() {
    check!(
        Kind,
        Jitter,
        Trip,
        BreakerState,
        BreakerCount,
        Outcome,
        Calibration,
        BudgetCount,
        ErrorClass,
        RetryOutcome
    );
}

#[test]
fn an_unknown_name_is_the_library_s_error_listing_the_known_ones() {
    let error = Jitter::from_name("ful").unwrap_err();
    assert_eq!(error.code(), ErrorCode::Unknown);
    assert!(error.message().contains("none, full, equal"), "{error}");
}

#[test]
fn display_is_the_library_s_name() {
    assert_eq!(BreakerState::HalfOpen.to_string(), "half_open");
}

#[test]
fn defaults_come_from_the_library() {
    assert_eq!(policy_default("kind"), Some("exponential"));
    assert_eq!(policy_default("initial"), Some("100ms"));
    assert_eq!(policy_default("no_such_parameter"), None);
}
