//! Bad input comes back as an Error carrying backoff_last_error()'s message.

use std::time::Duration;

use backoff_ffi::{ErrorCode, Policy};

#[test]
fn multiplier_below_one_is_rejected_with_its_name_and_value() {
    let error = Policy::builder().multiplier(0.5).build().unwrap_err();
    assert_eq!(error.code(), ErrorCode::Invalid);
    assert_eq!(error.status(), -1);
    assert!(
        error.message().contains("multiplier") && error.message().contains("0.5"),
        "{error}"
    );
}

#[test]
fn cap_below_initial_is_rejected_when_the_policy_is_built() {
    let error = Policy::builder()
        .initial(Duration::from_secs(10))
        .cap(Duration::from_secs(1))
        .build()
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::Invalid);
    assert!(error.message().contains("cap"), "{error}");
}

#[test]
fn misspelled_parameter_name_is_unknown() {
    let error = Policy::builder().set("multipler", "2").build().unwrap_err();
    assert_eq!(error.code(), ErrorCode::Unknown);
    assert!(error.message().contains("multipler"), "{error}");
}

#[test]
fn first_rejection_is_the_one_reported() {
    let error = Policy::builder()
        .randomization_factor(2.0)
        .multiplier(0.5)
        .build()
        .unwrap_err();
    assert!(error.message().contains("randomization_factor"), "{error}");
}

#[test]
fn duration_beyond_i64_nanoseconds_is_rejected_not_truncated() {
    let error = Policy::builder().cap(Duration::MAX).build().unwrap_err();
    assert_eq!(error.code(), ErrorCode::Invalid);
    assert!(error.message().contains("cap"), "{error}");
}

#[test]
fn display_carries_the_message_and_the_status_description() {
    let text = Policy::builder().multiplier(0.5).build().unwrap_err().to_string();
    assert!(text.contains("multiplier") && text.contains("invalid"), "{text}");
}

#[test]
fn each_thread_reads_the_message_of_its_own_failure() {
    let threads: Vec<_> = (0..4)
        .map(|t| {
            std::thread::spawn(move || {
                let factor = 1.5 + f64::from(t) / 4.0;
                for _ in 0..200 {
                    let error = Policy::builder().randomization_factor(factor).build().unwrap_err();
                    assert!(error.message().contains(&factor.to_string()), "thread {t}: {error}");
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("a thread read another thread's message");
    }
}
