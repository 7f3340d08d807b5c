"""Times libbackoff through ctypes (ffi/python_ctypes): what a ctypes call costs on top of the C core.

Prints one line per case, "python<TAB>name<TAB>ns per call" (the median of several rounds), for
bench/ffi/run to tabulate. Needs BACKOFF_LIBRARY (bench/ffi/run sets it).
"""
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "ffi" / "python_ctypes"))
import backoff_ctypes  # noqa: E402

CALLS, ROUNDS = 200_000, 5


def report(name: str, statement) -> None:
    rounds = sorted(timeit.repeat(statement, number=CALLS, repeat=ROUNDS))
    print(f"python\t{name}\t{rounds[ROUNDS // 2] / CALLS * 1e9:.2f}")


def main() -> None:
    # cenkalti/backoff's defaults, as in the C and Go benchmarks.
    policy = backoff_ctypes.Policy(initial="500ms", multiplier=1.5, cap="60s", jitter="randomization",
                                   randomization_factor=0.5, max_elapsed="15m")
    state = backoff_ctypes.State(policy)
    version = backoff_ctypes.load_library().backoff_version_number
    report("ctypes: empty call into libbackoff.so", version)
    report("ours: State.next_at (no clock)", lambda: state.next_at(0))
    report("ours: Policy.delay (stateless)", lambda: policy.delay(7, 42))


main()
