"""State-change listeners: what the core calls at each change of a :class:`CircuitBreaker`, and how
the change reaches the listeners in Python."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from ._filters import optional_callable as _optional_callable
from .circuit_state import CAUSES, STATES, StateChange

#: The breaker a listener hears from: generic, so that this module, which the breaker imports, does not
#: import the breaker back (breaker.py names ``StateListener = Listener[CircuitBreaker]``).
_B = TypeVar("_B")

#: A state-change listener: called with the breaker and the change, on the thread that caused it.
Listener = Callable[[_B, StateChange], object]

#: Held while a breaker's listeners change, for every breaker: the changes are rare, and one lock for all
#: costs no breaker the bytes of a lock of its own.
CHANGING = threading.Lock()


class Listeners(Generic[_B]):
    """What the core calls at each state change. A breaker makes its Listeners only when it is given
    its first listener, and only then installs them in the core: a core breaker makes its event queues
    (about 1.8 KiB) for its first listener, so that a breaker nobody listens to never carries them. It
    refers to its breaker weakly, so that a breaker whose listeners do not refer back to it is freed as
    soon as its last reference goes (a cycle through the core would wait for the garbage collector)."""

    __slots__ = ("breaker", "listeners")

    def __init__(self, breaker: _B, listeners: tuple[Listener[_B], ...]) -> None:
        self.breaker = weakref.ref(breaker)
        self.listeners = listeners

    def __call__(self, state: int, previous: int, cause: int, at_ns: int) -> None:
        listeners, breaker = self.listeners, self.breaker()
        if not listeners or breaker is None:
            return
        change = state_change(state, previous, cause, at_ns)
        first_error: BaseException | None = None
        for listener in listeners:  # every listener hears of every change, whatever the others do
            try:
                listener(breaker, change)
            except BaseException as exc:  # the first is reported by the binding, through sys.unraisablehook
                first_error = first_error or exc
        if first_error is not None:
            raise first_error


def state_change(state: int, previous: int, cause: int, at_ns: int) -> StateChange:
    """A change as the core reports it (enum values, nanoseconds), in the package's names and seconds."""
    return StateChange(STATES[state], STATES[previous], CAUSES[cause], at_ns / 1e9)


def listener_tuple(value: Listener[_B] | Iterable[Listener[_B]] | None) -> tuple[Listener[_B], ...]:
    """The listeners of ``on_state_change``: none, one callable, or an iterable of them."""
    if value is None:
        return ()
    if callable(value):
        return (value,)
    if not isinstance(value, Iterable):
        raise TypeError(f"on_state_change: expected a callable or an iterable of them (got {value!r})")
    listeners = tuple(value)
    for listener in listeners:
        _optional_callable(listener, "on_state_change")
    return listeners
