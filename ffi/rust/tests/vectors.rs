//! The shared test vectors (tests/vectors/delays.tsv): every delay bit-identical to the C library's.

use std::path::PathBuf;
use std::time::Duration;

use backoff_ffi::{Policy, State};

const STOP: i64 = -1;

/// $BACKOFF_VECTORS, or the file in the source tree.
fn vector_path() -> PathBuf {
    std::env::var_os("BACKOFF_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            [env!("CARGO_MANIFEST_DIR"), "..", "..", "tests", "vectors", "delays.tsv"]
                .iter()
                .collect()
        })
}

fn ns(delay: Option<Duration>) -> i64 {
    delay.map_or(STOP, |d| i64::try_from(d.as_nanos()).expect("a delay beyond i64 ns"))
}

fn policy_of(config: &str) -> Policy {
    config
        .split(',')
        .fold(Policy::builder(), |builder, pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            builder.set(name, value)
        })
        .build()
        .unwrap_or_else(|error| panic!("config {config:?}: {error}"))
}

/// A key's bytes from their lowercase hex digits.
fn hex_bytes(hex: &str) -> Vec<u8> {
    assert!(hex.len() % 2 == 0, "odd number of hex digits in {hex:?}");
    (0..hex.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&hex[at..at + 2], 16).expect("hex"))
        .collect()
}

/// Checks one row; returns a description of every mismatch.
fn mismatches(name: &str, config: &str, form: &str, key: &str, expected: &str) -> Vec<String> {
    let policy = policy_of(config);
    let key: u64 = match key.strip_prefix("bytes:") {
        Some(hex) => Policy::key_hash(&hex_bytes(hex)),
        None if key == "-" => 0,
        None => key.parse().expect("key"),
    };
    let mut found = Vec::new();
    match form {
        "delay" => {
            for pair in expected.split(',') {
                let (attempt, want) = pair.split_once(':').expect("attempt:delay_ns");
                let (attempt, want): (u64, i64) = (attempt.parse().expect("attempt"), want.parse().expect("delay"));
                let got = ns(policy.delay(attempt, key));
                if got != want {
                    found.push(format!("{name}: delay({attempt}, {key}) = {got} ns, want {want} ns"));
                }
            }
        }
        "next" => {
            let mut state = State::new(&policy).expect("state");
            for (call, want) in expected.split(',').enumerate() {
                let want: i64 = want.parse().expect("delay");
                let got = ns(state.next_at(Duration::ZERO, Duration::ZERO));
                if got != want {
                    found.push(format!("{name}: call {call}: next_at(0, 0) = {got} ns, want {want} ns"));
                }
            }
        }
        other => found.push(format!("{name}: unknown form {other:?}")),
    }
    found
}

#[test]
fn shared_vectors_give_bit_identical_delays() {
    let path = vector_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("the shared test vectors are required: {}: {error}", path.display()));
    let mut rows = 0;
    let mut failures = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [name, config, form, key, expected] = fields[..] else {
            panic!(
                "{}:{}: want 5 tab-separated fields, got {}",
                path.display(),
                number + 1,
                fields.len()
            );
        };
        failures.extend(mismatches(name, config, form, key, expected));
        rows += 1;
    }
    assert!(rows > 0, "{} holds no vectors", path.display());
    assert!(
        failures.is_empty(),
        "{} mismatches in {rows} rows:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
