//! With the `tracing` feature, a retried call emits a debug event per retry and a warning when it ends
//! without success. Captured here by a minimal subscriber of the test's own.
#![cfg(feature = "tracing")]

use std::sync::{Arc, Mutex};

use backoff_ffi::{retry_with_backoff_blocking, RetryPolicy};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// Every event as "LEVEL message field=value ...".
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0.push_str(&format!(" {value:?}"));
        } else {
            self.0.push_str(&format!(" {}={value:?}", field.name()));
        }
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut line = Line(event.metadata().level().to_string());
        event.record(&mut line);
        self.0.lock().unwrap().push(line.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn each_retry_and_the_give_up_are_events() {
    let recorder = Recorder::default();
    tracing::subscriber::with_default(recorder.clone(), || {
        let result = retry_with_backoff_blocking(|| Err::<(), _>("reset"), RetryPolicy::new(2, 1, 4, false), |_| true);
        assert_eq!(result, Err("reset"));
    });
    let lines = recorder.0.lock().unwrap().clone();
    assert_eq!(
        lines,
        [
            format!("{} retrying failures=1 delay_ms=1", Level::DEBUG),
            format!("{} retrying failures=2 delay_ms=2", Level::DEBUG),
            format!("{} giving up outcome=\"gave_up\" attempts=3", Level::WARN),
        ]
    );
}
