"""Tabulates bench/ffi/run's measurements as the Markdown of docs/ffi/benchmarks.md.

Reads "runtime<TAB>call<TAB>ns per call" lines on stdin. Every row is compared with the C core doing the
same kind of call (the kind is the parenthesised tag ending each call's name), and each of our FFI calls
with the peer it replaces.
"""
from __future__ import annotations

import sys

# Which C row each kind of call is measured against.
C_REFERENCE = {
    "empty call": "C: empty call into libbackoff.so",
    "(no clock)": "C core: backoff_state_next_at (no clock)",
    "(monotonic clock)": "C core: backoff_state_next (monotonic clock)",
    "(time.Now)": "C core: backoff_state_next (monotonic clock)",
    "(stateless)": "C core: backoff_policy_delay (stateless)",
}


def within(runtime: str, pairs: list[tuple[str, str]]) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """(ours, peer) calls both measured in `runtime`, as HEAD_TO_HEAD's (runtime, call) keys."""
    return [((runtime, ours), (runtime, peer)) for ours, peer in pairs]


CENKALTI_V4_NOW = ("go", "cenkalti/backoff v4: NextBackOff (time.Now)")
CENKALTI_V5_NO_CLOCK = ("go", "cenkalti/backoff v5: NextBackOff (no clock)")
BACKON_NO_CLOCK = ("rust", "backon: ExponentialBackoff::next (no clock)")
C_NEXT_AT = ("c", "C core: backoff_state_next_at (no clock)")

# (ours, peer): like for like, the clock read or not on both sides.
HEAD_TO_HEAD = [
    (("go", "ours: State.NextBackOff (monotonic clock)"), CENKALTI_V4_NOW),
    (("go", "ours: State.NextAt (no clock)"), CENKALTI_V5_NO_CLOCK),
    (("go", "ours: ExponentialBackOff.NextBackOff, seed API (time.Now)"), CENKALTI_V4_NOW),
    *within("go", [
        ("ours: Retry, first attempt succeeds (success path)",
         "cenkalti/backoff v5: Retry, first attempt succeeds (success path)"),
        ("ours: Retry, one failure then success, zero backoff (retry path)",
         "cenkalti/backoff v5: Retry, one failure then success, zero backoff (retry path)"),
        ("ours: CircuitBreaker.Execute, closed (breaker call)", "sony/gobreaker v2: Execute, closed (breaker call)"),
        ("ours: CircuitBreaker.Execute, closed, all cores (breaker call, parallel)",
         "sony/gobreaker v2: Execute, closed, all cores (breaker call, parallel)"),
        ("ours: Retry with a breaker, first attempt succeeds (guarded success path)",
         "cenkalti/backoff v5 + sony/gobreaker v2: Retry of Execute (guarded success path)"),
    ]),
    (("c", "C core: backoff_state_next (monotonic clock)"), CENKALTI_V4_NOW),
    (C_NEXT_AT, CENKALTI_V5_NO_CLOCK),
    (("rust", "ours: State::next_at (no clock)"), BACKON_NO_CLOCK),
    (C_NEXT_AT, BACKON_NO_CLOCK),
    *within("rust", [
        ("ours: retry_with_backoff success (async)", "backon: Retryable::retry success (async)"),
        ("ours: retry_with_backoff_blocking success (blocking)", "backon: BlockingRetryable::retry success (blocking)"),
        ("ours: CircuitBreaker::call success", "plain Mutex breaker: call success"),
        ("ours: CircuitBreaker::call success (2 threads)", "plain Mutex breaker: call success (2 threads)"),
    ]),
    # Node: the success overhead of a wrapped async call.
    *within("node", [
        ("ours: withJitteredRetry(withCircuitBreaker(fn)) (retry + breaker) overhead",
         "cockatiel: wrap(retry, circuitBreaker) (retry + breaker) overhead"),
        ("ours: withCircuitBreaker (breaker) overhead", "opossum: fire (breaker) overhead"),
        ("ours: withCircuitBreaker (breaker) overhead", "cockatiel: circuitBreaker (breaker) overhead"),
        ("ours: withJitteredRetry (retry) overhead", "p-retry: pRetry (retry) overhead"),
        ("ours: withJitteredRetry (retry) overhead", "cockatiel: retry (retry) overhead"),
    ]),
]


def reference_of(call: str) -> str | None:
    return next((c_call for tag, c_call in C_REFERENCE.items() if tag in call), None)


def main() -> None:
    rows = [line.rstrip("\n").split("\t") for line in sys.stdin if line.strip()]
    ns = {(runtime, call): float(value) for runtime, call, value in rows}
    print("| runtime | call | ns per call | x the C core's same call |")
    print("|---|---|---:|---:|")
    for runtime, call, value in rows:
        reference = ns.get(("c", reference_of(call)))
        ratio = f"{float(value) / reference:.2f}" if reference else ""
        print(f"| {runtime} | {call} | {float(value):.1f} | {ratio} |")
    print()
    print("| ours | peer | ours ns | peer ns | ours / peer |")
    print("|---|---|---:|---:|---:|")
    for ours, peer in HEAD_TO_HEAD:
        if ours in ns and peer in ns:
            print(f"| {ours[0]}: {ours[1]} | {peer[0]}: {peer[1]} | {ns[ours]:.1f} | {ns[peer]:.1f} "
                  f"| {ns[ours] / ns[peer]:.2f} |")


main()
