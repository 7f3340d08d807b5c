#!/usr/bin/env python3
"""Writes tests/vectors/delays.tsv, the delays every language's tests check libbackoff against.

The delays come from a second, independent implementation of the delay spec written here in plain
Python, never from the C++ core: the vectors check the core instead of copying it. The spec is the one in
capi/include/backoff.h and core/include/backoff/random.hpp:

  * randomness: draw(stream, attempt) = mix64(stream + (attempt + 1) * golden_gamma), the stream being
    mix64(mix64(seed + golden_gamma) ^ key), all modulo 2^64; a uniform integer in [lo, hi] is
    lo + high64(bits * (hi - lo + 1));
  * growth: initial * multiplier^n in IEEE doubles, the power taken by squaring, rounded half away from
    zero to int64 nanoseconds, saturating at INT64_MAX, never below initial, then capped; initial
    itself, not a double, when n = 0 or multiplier = 1;
  * jitter none / full / equal / randomization, capped again after jitter;
  * decorrelated (AWS's published formula): min(cap, U(initial, previous * multiplier)), the product
    rounded to whole ns and saturating, never capped before the draw; a state follows the chain from
    previous = initial, the stateless form takes previous = growth(n), the largest delay the chain can
    have reached before retry n (its envelope);
  * max_attempts counts the first call: attempt n is refused once n >= max_attempts - 1;
  * stop_when "all" stops only once both limits are reached, a limit not set (0) taking no part: the
    stateless form, which knows no elapsed time, then refuses no attempt while max_elapsed is set;
  * a key given as bytes is key_hash(bytes): FNV-1a 64 over the bytes, then mix64.

Python integers are unbounded, so 64-bit wraparound is written out as masks; Python floats are IEEE
doubles, so double arithmetic needs nothing special.

The model's own formulas are independent; its defaults are not a second source: a case that leaves a
parameter out relies on the library's default, so --check --library compares DEFAULTS with the defaults the
library reports (backoff_param_info), and fails on any difference.

Usage: gen_vectors.py            rewrite tests/vectors/delays.tsv
       gen_vectors.py --check    exit 1 if the checked-in file differs from what the model gives
       gen_vectors.py --check --library build/capi/libbackoff.so
                                 also exit 1 if DEFAULTS are not the library's defaults
"""

import argparse
import ctypes
import difflib
import math
import pathlib
import sys

U64_MASK = (1 << 64) - 1
U64_MAX = U64_MASK
I64_MAX = (1 << 63) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15
STOP = -1

VECTORS_FILE = pathlib.Path(__file__).resolve().parent.parent / "tests" / "vectors" / "delays.tsv"


# ----- randomness -----

def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & U64_MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & U64_MASK
    return z ^ (z >> 31)


def stream_of(seed, key):
    return mix64(mix64((seed + GOLDEN_GAMMA) & U64_MASK) ^ key)


def draw(stream, attempt):
    return mix64((stream + (attempt + 1) * GOLDEN_GAMMA) & U64_MASK)


def key_hash(data):
    """FNV-1a over the bytes, then SplitMix64's finaliser: backoff_key_hash()."""
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & U64_MASK
    return mix64(h)


def uniform_between(bits, lo, hi):
    assert 0 <= lo <= hi <= I64_MAX
    return lo + ((bits * (hi - lo + 1)) >> 64)


# ----- time arithmetic -----

def power(base, n):
    """base**n by squaring, one IEEE multiplication at a time, as every implementation must do it."""
    result = 1.0
    while n:
        if n & 1:
            result *= base
        base *= base
        n >>= 1
    return result


def ns_from_double(ns):
    """Rounds half away from zero into [0, INT64_MAX]; NaN gives 0."""
    if not ns > 0.0:
        return 0
    if not ns < 2.0 ** 63:
        return I64_MAX
    whole = math.floor(ns)
    return int(whole) + (1 if ns - whole >= 0.5 else 0)  # ns - whole is exact for ns >= 0


def saturate(ns):
    return min(ns, I64_MAX)


# ----- the policy -----

# What a case that leaves a parameter out gets; held to the library's defaults by --check --library.
DEFAULTS = {
    "kind": "exponential", "initial": 100_000_000, "multiplier": 2.0, "increment": 0, "cap": None,
    "jitter": "full", "randomization_factor": 0.5, "max_attempts": 0, "max_elapsed": 0, "seed": None,
    "deadline": 0,  # a retrier's limit: no delay depends on it
    "stop_when": "any",
}
CAP_WHEN_UNSET = 60_000_000_000  # the cap of a policy whose cap was never set: max(this, initial)
DURATIONS = ("initial", "increment", "cap", "max_elapsed")


class Policy:
    def __init__(self, params):
        unknown = set(params) - set(DEFAULTS)
        assert not unknown, unknown
        p = dict(DEFAULTS, **params)
        self.kind, self.jitter = p["kind"], p["jitter"]
        self.initial, self.increment = p["initial"], p["increment"]
        self.multiplier, self.factor = float(p["multiplier"]), float(p["randomization_factor"])
        self.cap = p["cap"] if p["cap"] is not None else max(CAP_WHEN_UNSET, self.initial)
        self.max_attempts, self.max_elapsed = p["max_attempts"], p["max_elapsed"]
        self.all_limits = p["stop_when"] == "all"
        self.seed = p["seed"]
        assert 0 <= self.initial <= self.cap <= I64_MAX and self.multiplier >= 1.0
        assert self.kind in ("constant", "linear") or self.initial > 0
        needs_seed = self.kind == "decorrelated" or self.jitter != "none"
        assert self.seed is not None or not needs_seed, "a random case needs a seed to be reproducible"

    def attempts_reached(self, attempt):
        return self.max_attempts != 0 and attempt >= self.max_attempts - 1

    def attempts_exhausted(self, attempt):
        """max_attempts stops on its own: under "all" only when max_elapsed is not set."""
        return self.attempts_reached(attempt) and not (self.all_limits and self.max_elapsed != 0)

    def elapsed_exhausted(self, attempt, elapsed, delay):
        """max_elapsed stops: under "all" only once max_attempts (when set) is reached too."""
        if self.all_limits and self.max_attempts != 0 and not self.attempts_reached(attempt):
            return False
        return self.max_elapsed != 0 and elapsed + delay > self.max_elapsed

    def grown(self, n):
        if n == 0 or self.multiplier == 1.0:
            return self.initial  # exactly: initial need not be a double
        return min(self.cap, max(self.initial, ns_from_double(float(self.initial) * power(self.multiplier, n))))

    def base_delay(self, attempt):
        if self.kind == "constant":
            return self.initial
        if self.kind == "linear":
            return min(self.cap, saturate(self.initial + saturate(self.increment * attempt)))
        if self.kind == "exponential":
            return self.grown(attempt)
        return self.grown(attempt)  # decorrelated: the chain's envelope, the largest previous delay

    def jittered(self, base, bits):
        if self.jitter == "none":
            return base
        if self.jitter == "full":
            return uniform_between(bits, 0, base)
        if self.jitter == "equal":
            return uniform_between(bits, base - base // 2, base)
        spread = self.factor * float(base)
        lo = min(base, ns_from_double(float(base) - spread))
        hi = max(base, min(self.cap, ns_from_double(float(base) + spread)))
        return uniform_between(bits, lo, hi)

    def decorrelated_step(self, previous, bits):
        upper = ns_from_double(float(previous) * self.multiplier)
        return min(self.cap, uniform_between(bits, self.initial, max(self.initial, upper)))

    def delay(self, attempt, key):
        """The stateless form: Policy::delay(attempt, key)."""
        if self.attempts_exhausted(attempt):
            return STOP
        if isinstance(key, bytes):
            key = key_hash(key)
        bits = draw(stream_of(self.seed or 0, key), attempt)  # unseeded cases have no randomness to use
        if self.kind == "decorrelated":
            return self.decorrelated_step(self.base_delay(attempt), bits)
        return self.jittered(self.base_delay(attempt), bits)

    def next_delays(self, calls):
        """The stateful form: a fresh Backoff's next_at(now_ns=0, hint_ns=0), `calls` times."""
        stream, attempt, previous, stopped, delays = stream_of(self.seed or 0, 0), 0, self.initial, False, []
        for _ in range(calls):
            if stopped or self.attempts_exhausted(attempt):
                delays.append(STOP)
                continue
            bits = draw(stream, attempt)
            if self.kind == "decorrelated":
                delay = self.decorrelated_step(previous, bits)
            else:
                delay = self.jittered(self.base_delay(attempt), bits)
            if self.elapsed_exhausted(attempt, 0, delay):  # elapsed is 0 at now_ns = 0
                stopped = True  # a stop is final until reset
                delays.append(STOP)
                continue
            previous, attempt = delay, attempt + 1
            delays.append(delay)
        return delays


# ----- the cases -----

HUGE_ATTEMPTS = [10**12, 2**62, 2**63 - 1, 2**63, U64_MAX - 1, U64_MAX]
FIRST = list(range(0, 12))
SPREAD = FIRST + [20, 40, 63, 64, 65, 1000] + HUGE_ATTEMPTS
H = 3_600_000_000_000
S, MS, US = 1_000_000_000, 1_000_000, 1_000


def around_cap(params):
    """The attempts just before, at and after the first whose growth reaches the cap: where rounding bites."""
    policy, below, reached = Policy(dict(params, jitter="none")), 0, U64_MAX
    while reached - below > 1:
        middle = (below + reached) // 2
        below, reached = (below, middle) if policy.grown(middle) >= policy.cap else (middle, reached)
    return [reached - 2, reached - 1, reached, reached + 1]


def delay_case(name, params, key, attempts):
    return (name, params, "delay", key, attempts)


def next_case(name, params, calls):
    return (name, params, "next", None, calls)


CASES = [
    # constant, including zero backoff
    delay_case("constant_plain", dict(kind="constant", initial=250 * MS, jitter="none"), 0, SPREAD),
    delay_case("constant_zero", dict(kind="constant", initial=0, jitter="none"), 0, SPREAD),
    delay_case("constant_zero_full_jitter", dict(kind="constant", initial=0, jitter="full", seed=1), 7, SPREAD),
    delay_case("constant_full_jitter", dict(kind="constant", initial=1 * S, jitter="full", seed=7), 0, SPREAD),
    delay_case("constant_equal_jitter", dict(kind="constant", initial=999 * MS, jitter="equal", seed=3), 5, SPREAD),
    delay_case("constant_randomization_capped",
               dict(kind="constant", initial=1 * S, cap=1200 * MS, jitter="randomization",
                    randomization_factor=0.5, seed=11), 0, SPREAD),
    delay_case("constant_max_attempts_4", dict(kind="constant", initial=2 * S, jitter="none", max_attempts=4),
               0, [0, 1, 2, 3, 4, 100, U64_MAX]),
    delay_case("constant_max_attempts_1", dict(kind="constant", initial=2 * S, jitter="none", max_attempts=1),
               0, [0, 1, U64_MAX]),
    next_case("constant_next_max_attempts", dict(kind="constant", initial=2 * S, jitter="full", seed=5,
                                                 max_attempts=4), 6),
    # linear
    delay_case("linear_plain_capped", dict(kind="linear", initial=1 * S, increment=500 * MS, cap=5 * S,
                                           jitter="none"), 0, SPREAD),
    delay_case("linear_default_cap", dict(kind="linear", initial=1 * S, increment=7 * S, jitter="none"), 0, SPREAD),
    delay_case("linear_zero_increment", dict(kind="linear", initial=3 * S, jitter="none"), 0, SPREAD),
    delay_case("linear_huge_increment", dict(kind="linear", initial=1, increment=2562047 * H, cap=I64_MAX,
                                             jitter="none"), 0, SPREAD),
    delay_case("linear_huge_increment_full_jitter",
               dict(kind="linear", initial=1, increment=2562047 * H, cap=I64_MAX, jitter="full", seed=2),
               3, SPREAD),
    delay_case("linear_randomization_factor_1",
               dict(kind="linear", initial=100 * MS, increment=100 * MS, cap=10 * S, jitter="randomization",
                    randomization_factor=1.0, seed=13), 0, SPREAD),
    next_case("linear_next_equal_jitter", dict(kind="linear", initial=10 * MS, increment=25 * MS, cap=100 * MS,
                                               jitter="equal", seed=17, max_attempts=8), 10),
    # exponential
    delay_case("exponential_defaults_no_jitter", dict(jitter="none"), 0, SPREAD),
    delay_case("exponential_full_seed42_key0",
               dict(kind="exponential", initial=100 * MS, multiplier=2, cap=10 * S, jitter="full", seed=42),
               0, SPREAD),
    delay_case("exponential_full_seed42_key1",
               dict(kind="exponential", initial=100 * MS, multiplier=2, cap=10 * S, jitter="full", seed=42),
               1, SPREAD),
    delay_case("exponential_full_seed43_key0",
               dict(kind="exponential", initial=100 * MS, multiplier=2, cap=10 * S, jitter="full", seed=43),
               0, SPREAD),
    delay_case("exponential_full_seed0_keymax",
               dict(kind="exponential", initial=100 * MS, multiplier=2, cap=10 * S, jitter="full", seed=0),
               U64_MAX, SPREAD),
    delay_case("exponential_full_seedmax_key_job",
               dict(kind="exponential", initial=1 * S, multiplier=3, cap=1 * H, jitter="full", seed=U64_MAX),
               123456789012345, SPREAD),
    delay_case("exponential_equal_jitter",
               dict(kind="exponential", initial=50 * MS, multiplier=2, cap=30 * S, jitter="equal", seed=5),
               0, SPREAD),
    delay_case("exponential_randomization_factor_0",
               dict(kind="exponential", initial=500 * MS, multiplier=1.5, cap=60 * S, jitter="randomization",
                    randomization_factor=0.0, seed=9), 0, SPREAD),
    delay_case("exponential_randomization_factor_half",
               dict(kind="exponential", initial=500 * MS, multiplier=1.5, cap=60 * S, jitter="randomization",
                    randomization_factor=0.5, seed=9), 0, SPREAD),
    delay_case("exponential_randomization_factor_1",
               dict(kind="exponential", initial=500 * MS, multiplier=1.5, cap=60 * S, jitter="randomization",
                    randomization_factor=1.0, seed=9), 4242, SPREAD),
    delay_case("exponential_cap_never_hit",
               dict(kind="exponential", initial=1 * US, multiplier=2, cap=1 * H, jitter="none"), 0, FIRST),
    delay_case("exponential_multiplier_1", dict(kind="exponential", initial=300 * MS, multiplier=1, cap=1 * H,
                                                jitter="none"), 0, SPREAD),
    delay_case("exponential_multiplier_1e300",
               dict(kind="exponential", initial=1, multiplier=1e300, cap=I64_MAX, jitter="none"), 0, SPREAD),
    delay_case("exponential_multiplier_1e300_full_jitter",
               dict(kind="exponential", initial=1, multiplier=1e300, cap=I64_MAX, jitter="full", seed=8),
               0, SPREAD),
    delay_case("exponential_initial_is_cap_is_int64_max",
               dict(kind="exponential", initial=I64_MAX, cap=I64_MAX, jitter="none"), 0, SPREAD),
    delay_case("exponential_int64_max_full_jitter",
               dict(kind="exponential", initial=I64_MAX, cap=I64_MAX, jitter="full", seed=21), 0, SPREAD),
    delay_case("exponential_int64_max_equal_jitter",
               dict(kind="exponential", initial=I64_MAX, cap=I64_MAX, jitter="equal", seed=22), 0, SPREAD),
    delay_case("exponential_int64_max_randomization_1",
               dict(kind="exponential", initial=I64_MAX, cap=I64_MAX, jitter="randomization",
                    randomization_factor=1.0, seed=23), 0, SPREAD),
    delay_case("exponential_tiny_multiplier",
               dict(kind="exponential", initial=1 * S, multiplier=1.0000001, cap=1 * H, jitter="none"),
               0, FIRST + [10**6, 10**7, 5 * 10**7] + around_cap(dict(initial=1 * S, multiplier=1.0000001, cap=1 * H))
               + [10**8, 10**9] + HUGE_ATTEMPTS),
    delay_case("exponential_smallest_multiplier",
               dict(kind="exponential", initial=1 * S, multiplier=1.0000000000000002, cap=I64_MAX, jitter="none"),
               0, [0, 1, 2**20, 2**40, 2**50, 2**52, 2**53, 2**55, 2**56] + HUGE_ATTEMPTS),
    delay_case("exponential_rounding_above_2_pow_52",
               dict(kind="exponential", initial=2**52 + 1, multiplier=2, cap=I64_MAX, jitter="none"),
               0, [0, 1, 2, 10, 11, 12] + HUGE_ATTEMPTS),
    delay_case("exponential_odd_cap_2_pow_53_plus_1",
               dict(kind="exponential", initial=1, multiplier=2, cap=2**53 + 1, jitter="none"),
               0, [0, 1, 51, 52, 53, 54] + HUGE_ATTEMPTS),
    delay_case("exponential_fractional_growth",
               dict(kind="exponential", initial=333 * MS, multiplier=1.7, cap=1 * H, jitter="none"),
               0, list(range(0, 16)) + around_cap(dict(initial=333 * MS, multiplier=1.7, cap=1 * H)) + HUGE_ATTEMPTS),
    next_case("exponential_next_full_jitter", dict(kind="exponential", initial=100 * MS, multiplier=2, cap=2 * S,
                                                   jitter="full", seed=42, max_attempts=9), 11),
    next_case("exponential_next_max_elapsed", dict(kind="exponential", initial=1 * S, multiplier=2, cap=1 * H,
                                                   jitter="none", max_elapsed=5 * S), 6),
    # stop_when all: the attempts run out first and retrying goes on until the time does too
    next_case("exponential_next_stop_when_all", dict(kind="exponential", initial=1 * S, multiplier=2, cap=1 * H,
                                                     jitter="none", max_attempts=2, max_elapsed=5 * S,
                                                     stop_when="all"), 6),
    delay_case("constant_stop_when_all", dict(kind="constant", initial=2 * S, jitter="none", max_attempts=2,
                                              max_elapsed=1 * S, stop_when="all"), 0, [0, 1, 2, U64_MAX]),
    delay_case("constant_stop_when_all_attempts_only", dict(kind="constant", initial=2 * S, jitter="none",
                                                            max_attempts=2, stop_when="all"), 0, [0, 1, 2]),
    next_case("exponential_next_randomization", dict(kind="exponential", initial=1 * S, multiplier=2, cap=20 * S,
                                                     jitter="randomization", randomization_factor=0.5, seed=99),
              12),
    # keys given as bytes (text as UTF-8), through backoff_key_hash()
    delay_case("bytes_key_job_id", dict(kind="exponential", initial=100 * MS, multiplier=2, cap=10 * S,
                                        jitter="full", seed=42), b"job-42", FIRST),
    delay_case("bytes_key_empty", dict(kind="exponential", initial=100 * MS, multiplier=2, cap=10 * S,
                                       jitter="full", seed=42), b"", FIRST),
    delay_case("bytes_key_last_byte_differs", dict(kind="exponential", initial=100 * MS, multiplier=2, cap=10 * S,
                                                   jitter="full", seed=42), b"job-43", FIRST),
    delay_case("bytes_key_utf8_text", dict(kind="constant", initial=1 * S, jitter="full", seed=7),
               "ジョブ-7 ü".encode(), FIRST),
    delay_case("bytes_key_not_utf8", dict(kind="constant", initial=1 * S, jitter="equal", seed=7),
               bytes([0xFF, 0x00, 0xFE, 0x80]), FIRST),
    delay_case("bytes_key_long", dict(kind="linear", initial=1 * S, increment=1 * S, cap=30 * S,
                                      jitter="randomization", randomization_factor=0.5, seed=U64_MAX),
               bytes(range(256)) * 3, FIRST),
    delay_case("bytes_key_decorrelated", dict(kind="decorrelated", initial=100 * MS, multiplier=3, cap=20 * S,
                                              seed=1), b"order/2026-12-06/17", SPREAD),
    # decorrelated (AWS): the chain in a state, its envelope statelessly
    delay_case("decorrelated_aws_key0",
               dict(kind="decorrelated", initial=100 * MS, multiplier=3, cap=20 * S, seed=1), 0, SPREAD),
    delay_case("decorrelated_aws_key99",
               dict(kind="decorrelated", initial=100 * MS, multiplier=3, cap=20 * S, seed=1), 99, SPREAD),
    delay_case("decorrelated_multiplier_1",
               dict(kind="decorrelated", initial=700 * MS, multiplier=1, cap=20 * S, seed=4), 0, SPREAD),
    delay_case("decorrelated_int64_max",
               dict(kind="decorrelated", initial=I64_MAX, cap=I64_MAX, seed=6), 0, SPREAD),
    delay_case("decorrelated_multiplier_1e300",
               dict(kind="decorrelated", initial=1, multiplier=1e300, cap=I64_MAX, seed=10), 0, SPREAD),
    delay_case("decorrelated_envelope_past_cap",
               dict(kind="decorrelated", initial=5 * MS, multiplier=3, cap=2 * S, seed=77), 5, SPREAD),
    next_case("decorrelated_next_sits_at_cap", dict(kind="decorrelated", initial=5 * MS, multiplier=3, cap=2 * S,
                                                   seed=1), 24),
    next_case("decorrelated_next_aws", dict(kind="decorrelated", initial=100 * MS, multiplier=3, cap=20 * S,
                                            seed=1), 20),
    next_case("decorrelated_next_ignores_jitter", dict(kind="decorrelated", initial=100 * MS, multiplier=3,
                                                       cap=20 * S, jitter="equal", seed=1), 20),
    next_case("decorrelated_next_max_attempts", dict(kind="decorrelated", initial=10 * MS, multiplier=3,
                                                     cap=1 * S, seed=12345, max_attempts=6), 8),
    next_case("decorrelated_next_multiplier_1e300", dict(kind="decorrelated", initial=1, multiplier=1e300,
                                                         cap=I64_MAX, seed=31), 6),
    next_case("decorrelated_next_int64_max", dict(kind="decorrelated", initial=I64_MAX, cap=I64_MAX, seed=32), 4),
]


# ----- the file -----

HEADER = """\
# libbackoff shared test vectors: the delays every language's tests check the library against.
# Generated by tools/gen_vectors.py from an independent Python model of the spec; do not edit by hand.
#
# One case per line, 5 TAB-separated fields; lines starting with '#' and blank lines are ignored.
#   1. a unique case name
#   2. the config: comma-separated name=value pairs, each as backoff_config_set_text() takes it
#   3. the form: 'delay' = stateless backoff_policy_delay(attempt, key);
#                'next'  = a fresh state, backoff_state_next_at(now_ns = 0, hint_ns = 0) called repeatedly
#   4. the key for 'delay': a decimal uint64, or 'bytes:' and the key's bytes in lowercase hex (possibly
#      none), which backoff_key_hash() turns into the uint64 key; '-' for 'next'
#   5. 'delay': comma-separated attempt:delay_ns pairs; 'next': comma-separated delays in call order.
#      A delay of -1 is BACKOFF_STOP.
"""

UNITS = (("h", H), ("m", 60 * S), ("s", S), ("ms", MS), ("us", US), ("ns", 1))


def duration_text(ns):
    if ns == 0:
        return "0"
    return next(f"{ns // size}{suffix}" for suffix, size in UNITS if ns % size == 0)


def config_text(params):
    def value_text(name, value):
        if name in DURATIONS:
            return duration_text(value)
        if name in ("multiplier", "randomization_factor"):
            return repr(float(value))  # the shortest text that reads back as the same double
        return str(value)
    return ",".join(f"{name}={value_text(name, value)}" for name, value in params.items())


def key_text(key):
    return "bytes:" + key.hex() if isinstance(key, bytes) else str(key)


def case_line(name, params, form, key, what):
    policy = Policy(params)
    if form == "delay":
        results = ",".join(f"{attempt}:{policy.delay(attempt, key)}" for attempt in what)
        return "\t".join([name, config_text(params), form, key_text(key), results])
    results = ",".join(str(d) for d in policy.next_delays(what))
    return "\t".join([name, config_text(params), form, "-", results])


def render():
    names = [case[0] for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    return HEADER + "".join(case_line(*case) + "\n" for case in CASES)


def library_defaults(path):
    """The library's policy defaults, in the model's units: durations in ns, reals as floats, the cap's
    default as CAP_WHEN_UNSET and the seed's ("unseeded") as None."""
    lib = ctypes.CDLL(str(path))
    lib.backoff_param_info.restype = ctypes.c_char_p
    lib.backoff_param_info.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    enum_param, field_name, field_type, field_default = 4, 0, 1, 3  # backoff.h's values
    defaults = {}
    for param in range(64):
        name = lib.backoff_param_info(enum_param, param, field_name)
        if name is None:
            break
        kind, text = (lib.backoff_param_info(enum_param, param, field).decode() for field in (field_type, field_default))
        if kind == "duration":
            ns = ctypes.c_int64()
            assert lib.backoff_duration_parse(ctypes.byref(ns), text.encode(), name) == 0, text
            defaults[name.decode()] = ns.value
        else:
            defaults[name.decode()] = {"real": float, "count": int}.get(kind, str)(text)
    return defaults


def check_defaults(path):
    """Problems, one a line, where DEFAULTS are not the library's defaults."""
    library = library_defaults(path)
    model = dict(DEFAULTS, cap=CAP_WHEN_UNSET, seed="unseeded")
    return [f"{name}: the model's default is {model.get(name)!r}, the library's {value!r}"
            for name, value in library.items() if model.get(name) != value] + \
           [f"{name}: the model has a default the library lacks" for name in set(model) - set(library)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the checked-in file; write nothing")
    parser.add_argument("--output", type=pathlib.Path, default=VECTORS_FILE)
    parser.add_argument("--library", type=pathlib.Path, help="with --check: libbackoff.so, to check DEFAULTS")
    args = parser.parse_args()
    if args.library:
        problems = check_defaults(args.library)
        for problem in problems:
            print(problem)
        if problems:
            print("DEFAULTS differ from the library's defaults")
            return 1
    text = render()
    if not args.check:
        args.output.write_text(text)
        print(f"wrote {len(CASES)} cases to {args.output}")
        return 0
    current = args.output.read_text() if args.output.exists() else ""
    if current == text:
        print(f"{args.output}: {len(CASES)} cases match the reference model")
        return 0
    sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), text.splitlines(True),
                                               str(args.output), "reference model"))
    print(f"{args.output} differs from the reference model; run tools/gen_vectors.py to regenerate")
    return 1


if __name__ == "__main__":
    sys.exit(main())
