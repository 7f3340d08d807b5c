"""The base of every stop, wait and retry strategy, apart from ``_utils`` so that the helpers the call
state itself uses (``_utils``) sit below it."""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from ._state import RetryCallState

_Answer = TypeVar("_Answer", covariant=True)


class Strategy(abc.ABC, Generic[_Answer]):
    """What every stop, wait and retry strategy is: ``strategy(retry_state)`` is its answer for the state."""

    @abc.abstractmethod
    def __call__(self, retry_state: RetryCallState) -> _Answer: ...
