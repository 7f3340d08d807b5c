"""Policies: immutable, validated backoff schedules, and their stateless form.

A :class:`Policy` wraps the core's ``backoff::Policy``. Every delay, cap and stop decision is the
core's; this module only names things the Python way and converts units (float seconds in, float
seconds out, ``None`` for "stop").
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Generic, TypedDict, TypeVar, cast, overload

from . import _convert, _core, _params
from ._convert import Duration

if TYPE_CHECKING:
    from typing_extensions import Unpack


class Kind(str, enum.Enum):
    """How the base delay grows with the attempt number."""

    CONSTANT = "constant"  #: always ``initial``
    LINEAR = "linear"  #: ``initial + increment * attempt``
    EXPONENTIAL = "exponential"  #: ``initial * multiplier ** attempt``
    DECORRELATED = "decorrelated"  #: AWS: ``min(cap, U(initial, previous * multiplier))``, capped after the draw


class Jitter(str, enum.Enum):
    """How a base delay ``d`` is randomized. The cap holds after jitter too."""

    NONE = "none"  #: exactly ``d``
    FULL = "full"  #: ``U(0, d)``; the default, as AWS recommends
    EQUAL = "equal"  #: ``d/2 + U(0, d/2)``
    #: ``U(d(1-f), min(cap, d(1+f)))`` with ``f = randomization_factor``: capped before the draw, so unlike
    #: cenkalti/backoff's it never exceeds the cap
    RANDOMIZATION = "randomization"


class StopWhen(str, enum.Enum):
    """Which limits end retrying: ``max_attempts`` and ``max_elapsed`` each (``|``) or only together
    (``&``). A limit that is not set takes no part; a ``deadline`` always ends the call."""

    ANY = "any"  #: whichever limit is reached first: tenacity's ``stop_after_attempt(n) | stop_after_delay(s)``
    ALL = "all"  #: only once every limit set is reached: tenacity's ``stop_after_attempt(n) & stop_after_delay(s)``


# How each keyword reaches the core (the type in the core's parameter table): durations as nanoseconds,
# integers as text so that the core's parser checks sign and range, choices by name.
_KINDS = _params.kinds_of("param")
_PARAMS = {name: _core.param_from_name(name) for name in _KINDS}
# The enums of the choice parameters; held to the core's names by tests/python/test_vocabulary.py.
_CHOICES: dict[str, type[enum.Enum]] = {"kind": Kind, "jitter": Jitter, "stop_when": StopWhen}
_CHOICE_NAMES = {name: dict(_core.enum_names(name)) for name in _CHOICES}
T = TypeVar("T")

#: A key of the stateless form: an int in [0, 2**64), or a str or bytes (a job id) hashed by the core.
Key = int | str | bytes


def key_number(key: Key) -> int:
    """The core's uint64 key for ``key``: an int as it is, text through the core's stable key hash."""
    if isinstance(key, str):
        try:
            data = key.encode("utf-8")
        except UnicodeEncodeError as error:
            why = f"{error.reason} at index {error.start}"
            raise ValueError(f"key: a str key must encode as UTF-8 to be hashed ({why})") from None
        return _core.key_hash(data)
    if isinstance(key, (bytes, bytearray, memoryview)):
        return _core.key_hash(bytes(key))
    return _convert.uint64(key, "key")


_CHOICE_EXAMPLES = {"kind": "exponential", "jitter": "full", "stop_when": "all"}  # for type errors


class LimitOptions(TypedDict, total=False):
    """The keyword arguments every constructor (:func:`decorrelated` too) passes on to :class:`Policy`
    unchanged: written once here, so that the constructors' signatures cannot drift apart from each
    other or from Policy's."""

    cap: Duration
    max_attempts: int
    max_elapsed: Duration
    seed: int
    deadline: Duration
    stop_when: StopWhen | str


class ShapeOptions(LimitOptions, total=False):
    """:class:`LimitOptions` and the jitter, for the jittered constructors (:func:`constant`,
    :func:`linear`, :func:`exponential`)."""

    jitter: Jitter | str
    randomization_factor: float


class PolicyOptions(ShapeOptions, total=False):
    """The keyword arguments of :class:`Policy`, for :meth:`Policy.replace`."""

    kind: Kind | str
    initial: Duration
    multiplier: float
    increment: Duration


class _Applied(Generic[T]):
    """A parameter of a :class:`Policy` as the core applies it (the effective cap and seed), read by its
    type in the core's parameter table: a duration as float seconds, a choice as its enum."""

    def __init__(self, doc: str) -> None:
        self.__doc__ = doc
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, policy: None, owner: type | None = None) -> _Applied[T]: ...
    @overload
    def __get__(self, policy: Policy, owner: type | None = None) -> T: ...
    def __get__(self, policy: Policy | None, owner: type | None = None) -> T | _Applied[T]:
        if policy is None:
            return self
        return cast(T, _read_applied(policy._policy, self._name))


def _read_applied(policy: _core.Policy, name: str) -> object:
    param, kind = _PARAMS[name], _KINDS[name]
    if kind == "duration":
        return policy.get_i64(param) / 1e9
    if kind == "real":
        return policy.get_f64(param)
    if kind == "count":
        return policy.get_i64(param)
    if kind == "seed":
        return policy.get_u64(param) if policy.seeded() else None
    return _CHOICES[name](_CHOICE_NAMES[name][policy.get_i64(param)])


class Policy:
    """An immutable, validated backoff schedule; safe to share between threads.

    Every parameter is optional; an omitted one keeps the core's default (exponential, initial 0.1 s,
    multiplier 2, cap 60 s, full jitter, unlimited attempts and time). Durations are float seconds, a
    ``datetime.timedelta`` or text with a unit (``"250ms"``, ``"1.5s"``, ``"2m"``).

    Args:
        kind: a :class:`Kind` or its name.
        initial: the first delay.
        multiplier: growth per attempt for exponential and decorrelated policies (>= 1).
        increment: growth per attempt for linear policies.
        cap: no delay exceeds it, jitter and server hints included (>= initial).
        jitter: a :class:`Jitter` or its name.
        randomization_factor: ``f`` in [0, 1] for :attr:`Jitter.RANDOMIZATION`.
        max_attempts: total attempts including the first; 0 = unlimited.
        max_elapsed: stop when the time since the first failure plus the next delay would pass it;
            0 = unlimited.
        seed: an int in [0, 2**64) that makes every jitter draw reproducible, in every language.
        deadline: a retried call's limit from its start, the first attempt included: no wait runs into
            it and no attempt starts after it; 0 = none. A retrier's limit: :meth:`delay` ignores it.
        stop_when: a :class:`StopWhen` or its name: ``"any"`` (the default) stops at the first of
            ``max_attempts`` and ``max_elapsed`` reached, ``"all"`` only once both are (when both are
            set). The ``deadline`` is a hard bound under both. :meth:`delay` without ``elapsed`` knows no
            time spent, so under ``"all"`` it stops at ``max_attempts`` only when ``max_elapsed`` is 0.

    Raises:
        ValueError: a value outside its domain; the message names the parameter and the value.
        TypeError: a value of the wrong type, likewise named.
    """

    __slots__ = ("_policy",)

    _policy: _core.Policy

    def __init__(
        self,
        kind: Kind | str | None = None,
        *,
        initial: Duration | None = None,
        multiplier: float | None = None,
        increment: Duration | None = None,
        cap: Duration | None = None,
        jitter: Jitter | str | None = None,
        randomization_factor: float | None = None,
        max_attempts: int | None = None,
        max_elapsed: Duration | None = None,
        seed: int | None = None,
        deadline: Duration | None = None,
        stop_when: StopWhen | str | None = None,
    ) -> None:
        config = _core.Config()
        # Every parameter but self, by the names in the core's table (a parameter added there and here
        # needs nothing more).
        _configure(config, **{name: value for name, value in locals().items() if name in _KINDS})
        self._policy = _core.Policy(config)

    @classmethod
    def from_text(cls, text: str) -> Policy:
        """Builds a policy from ``"name=value,name=value"``, as the command line and the C API's
        string setter read it: ``"kind=exponential,initial=100ms,cap=30s,jitter=full,seed=42"``.
        """
        config = _core.Config()
        for pair in filter(None, (part.strip() for part in text.split(","))):
            name, equals, value = pair.partition("=")
            if not equals:
                raise ValueError(f"policy text: expected name=value (got {pair!r})")
            config.set_text(name.strip(), value.strip())
        return cls._from_core(_core.Policy(config))

    @classmethod
    def _from_core(cls, policy: _core.Policy) -> Policy:
        self = cls.__new__(cls)
        self._policy = policy
        return self

    def replace(self, **changes: Unpack[PolicyOptions]) -> Policy:
        """Returns a copy with the given parameters changed (validated again by the core)."""
        config = _core.Config(self._policy.config())
        _configure(config, **changes)
        return Policy._from_core(_core.Policy(config))

    # The stateless form.

    def delay(self, attempt: int, key: Key = 0, *, elapsed: Duration | None = None) -> float | None:
        """The delay in seconds before retry number ``attempt``, or ``None`` once ``max_attempts``
        forbids it, or once ``elapsed`` (time already spent retrying) plus the delay would pass
        ``max_elapsed``. Attempts count from 0: ``delay(0)`` is the wait after the first failure,
        before the second attempt.

        A pure function of (seed, key, attempt): a job queue that stores only the attempt number gets
        the same delay on any machine and in any language. ``key`` gives unrelated jobs unrelated
        jitter: an int in [0, 2**64), or a job id as ``str`` or ``bytes``, which the core's key hash
        (C: ``backoff_key_hash``; a ``str`` as its UTF-8 bytes) turns into the same int in every
        process and language, unlike Python's salted ``hash()``. Constant time for any attempt up to
        2**64 - 1.
        """
        ns = self.delay_ns(attempt, key, elapsed=elapsed)
        return None if ns is None else ns / 1e9

    def delay_ns(self, attempt: int, key: Key = 0, *, elapsed: Duration | None = None) -> int | None:
        """As :meth:`delay`, in exact integer nanoseconds."""
        attempt, key = _convert.uint64(attempt, "attempt"), key_number(key)
        if elapsed is None:
            ns = self._policy.delay(attempt, key)
        else:
            ns = self._policy.delay_within(attempt, key, _convert.duration_ns(elapsed, "elapsed"))
        return None if ns == _core.STOP else ns

    def base_delay(self, attempt: int) -> float:
        """The capped delay before jitter for ``attempt`` (0-based, as :meth:`delay`): the schedule's
        deterministic spine. For a decorrelated policy, the capped upper bound of the stateless draw."""
        return self._policy.base_delay(_convert.uint64(attempt, "attempt")) / 1e9

    # Parameters as the policy applies them (the effective cap and seed).

    kind = _Applied[Kind]("How the base delay grows.")
    initial = _Applied[float]("The first delay, in seconds.")
    multiplier = _Applied[float]("Growth per attempt of exponential and decorrelated policies.")
    increment = _Applied[float]("Growth per attempt of linear policies, in seconds.")
    cap = _Applied[float]("The largest delay, in seconds.")
    jitter = _Applied[Jitter]("How delays are randomized.")
    randomization_factor = _Applied[float]("``f`` of :attr:`Jitter.RANDOMIZATION`.")
    max_attempts = _Applied[int]("Total attempts including the first; 0 = unlimited.")
    max_elapsed = _Applied[float]("The time limit in seconds; 0 = unlimited.")
    seed = _Applied["int | None"](
        "The configured seed, or ``None`` for an unseeded policy: fresh randomness in every process, a child"
        " of ``os.fork()`` included, and for every :class:`Backoff` and retried call."
    )
    deadline = _Applied[float]("A retried call's limit in seconds from its start; 0 = none.")
    stop_when = _Applied[StopWhen]("Whether ``max_attempts`` and ``max_elapsed`` stop each or together.")

    def __repr__(self) -> str:
        fields = [f"kind={self.kind.value!r}", f"initial={self.initial!r}"]
        kind = self.kind
        if kind in (Kind.EXPONENTIAL, Kind.DECORRELATED):
            fields.append(f"multiplier={self.multiplier!r}")
        if kind is Kind.LINEAR:
            fields.append(f"increment={self.increment!r}")
        fields += [f"cap={self.cap!r}", f"jitter={self.jitter.value!r}"]
        if self.jitter is Jitter.RANDOMIZATION:
            fields.append(f"randomization_factor={self.randomization_factor!r}")
        if self.max_attempts:
            fields.append(f"max_attempts={self.max_attempts!r}")
        if self.max_elapsed:
            fields.append(f"max_elapsed={self.max_elapsed!r}")
        if self.seed is not None:
            fields.append(f"seed={self.seed!r}")
        if self.deadline:
            fields.append(f"deadline={self.deadline!r}")
        if self.stop_when is StopWhen.ALL:
            fields.append(f"stop_when={self.stop_when.value!r}")
        return f"Policy({', '.join(fields)})"


def _configure(config: _core.Config, **values: object) -> None:
    """Hands each given value to the core's typed setter for its parameter."""
    for name in values:
        if name not in _KINDS:
            raise TypeError(f"unexpected keyword argument {name!r}")
    _params.set_params(config, _PARAMS, _KINDS, values, _CHOICE_EXAMPLES)


def constant(delay: Duration, **options: Unpack[ShapeOptions]) -> Policy:
    """The same base delay every time (0 for "retry at once"); jitter still applies (full by
    default: pass ``jitter="none"`` for fixed waits). ``cap`` bounds jitter and server hints.
    ``options``: those of :class:`Policy` from ``cap`` to ``seed``."""
    return _shaped(Kind.CONSTANT, options, initial=delay)


def linear(initial: Duration, increment: Duration, **options: Unpack[ShapeOptions]) -> Policy:
    """``initial + increment * attempt``, capped (tenacity's ``wait_incrementing``).
    ``options``: those of :class:`Policy` from ``cap`` to ``seed``."""
    return _shaped(Kind.LINEAR, options, initial=initial, increment=increment)


def exponential(
    initial: Duration | None = None, multiplier: float | None = None, **options: Unpack[ShapeOptions]
) -> Policy:
    """``initial * multiplier ** attempt``, capped, full jitter by default (tenacity's
    ``wait_random_exponential``, backoff's ``expo`` with ``full_jitter``).
    ``options``: those of :class:`Policy` from ``cap`` to ``seed``."""
    return _shaped(Kind.EXPONENTIAL, options, initial=initial, multiplier=multiplier)


def _shaped(kind: Kind, options: LimitOptions, **shape: Duration | float | None) -> Policy:
    """The Policy of a constructor. ``**options`` alone would let ``constant(1, multiplier=3)`` through
    to Policy, which takes every option; the constructor's own parameters do not."""
    allowed = LimitOptions if kind is Kind.DECORRELATED else ShapeOptions
    _params.refuse_unknown(options, allowed.__optional_keys__, kind.value)
    return Policy(kind, **shape, **options)  # type: ignore[arg-type]


def decorrelated(
    initial: Duration | None = None, multiplier: float | None = None, **options: Unpack[LimitOptions]
) -> Policy:
    """AWS "decorrelated jitter": each delay is ``min(cap, U(initial, previous * multiplier))``
    (AWS uses ``multiplier=3``). The jitter is built in, so there is no ``jitter`` parameter.
    ``options``: ``cap``, ``max_attempts``, ``max_elapsed``, ``seed``, as :class:`Policy`'s."""
    return _shaped(Kind.DECORRELATED, options, initial=initial, multiplier=multiplier)
