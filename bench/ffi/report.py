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

# (ours, peer): like for like, the clock read or not on both sides.
HEAD_TO_HEAD = [
    (("go", "ours: State.NextBackOff (monotonic clock)"), ("go", "cenkalti/backoff v4: NextBackOff (time.Now)")),
    (("go", "ours: State.NextAt (no clock)"), ("go", "cenkalti/backoff v5: NextBackOff (no clock)")),
    (("go", "ours: ExponentialBackOff.NextBackOff, seed API (time.Now)"),
     ("go", "cenkalti/backoff v4: NextBackOff (time.Now)")),
    (("go", "ours: Retry, first attempt succeeds (success path)"),
     ("go", "cenkalti/backoff v5: Retry, first attempt succeeds (success path)")),
    (("go", "ours: Retry, one failure then success, zero backoff (retry path)"),
     ("go", "cenkalti/backoff v5: Retry, one failure then success, zero backoff (retry path)")),
    (("go", "ours: CircuitBreaker.Execute, closed (breaker call)"),
     ("go", "sony/gobreaker v2: Execute, closed (breaker call)")),
    (("go", "ours: CircuitBreaker.Execute, closed, all cores (breaker call, parallel)"),
     ("go", "sony/gobreaker v2: Execute, closed, all cores (breaker call, parallel)")),
    (("go", "ours: Retry with a breaker, first attempt succeeds (guarded success path)"),
     ("go", "cenkalti/backoff v5 + sony/gobreaker v2: Retry of Execute (guarded success path)")),
    (("c", "C core: backoff_state_next (monotonic clock)"), ("go", "cenkalti/backoff v4: NextBackOff (time.Now)")),
    (("c", "C core: backoff_state_next_at (no clock)"), ("go", "cenkalti/backoff v5: NextBackOff (no clock)")),
    (("rust", "ours: State::next_at (no clock)"), ("rust", "backon: ExponentialBackoff::next (no clock)")),
    (("c", "C core: backoff_state_next_at (no clock)"), ("rust", "backon: ExponentialBackoff::next (no clock)")),
    (("rust", "ours: retry_with_backoff success (async)"), ("rust", "backon: Retryable::retry success (async)")),
    (("rust", "ours: retry_with_backoff_blocking success (blocking)"),
     ("rust", "backon: BlockingRetryable::retry success (blocking)")),
    (("rust", "ours: CircuitBreaker::call success"), ("rust", "plain Mutex breaker: call success")),
    (("rust", "ours: CircuitBreaker::call success (2 threads)"), ("rust", "plain Mutex breaker: call success (2 threads)")),
    # Node: the success overhead of a wrapped async call.
    (("node", "ours: withJitteredRetry(withCircuitBreaker(fn)) (retry + breaker) overhead"),
     ("node", "cockatiel: wrap(retry, circuitBreaker) (retry + breaker) overhead")),
    (("node", "ours: withCircuitBreaker (breaker) overhead"), ("node", "opossum: fire (breaker) overhead")),
    (("node", "ours: withCircuitBreaker (breaker) overhead"), ("node", "cockatiel: circuitBreaker (breaker) overhead")),
    (("node", "ours: withJitteredRetry (retry) overhead"), ("node", "p-retry: pRetry (retry) overhead")),
    (("node", "ours: withJitteredRetry (retry) overhead"), ("node", "cockatiel: retry (retry) overhead")),
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
