"""What both retry transports share: the transport they wrap, their checked options, their policy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from ..policy import Policy
from ._options import Options, TransportOptions

if TYPE_CHECKING:
    from typing_extensions import Unpack

T = TypeVar("T")


class Wrapping(Generic[T]):
    """The base of :class:`RetryTransport` (``T``: ``httpx.BaseTransport``) and of
    :class:`AsyncRetryTransport` (``httpx.AsyncBaseTransport``)."""

    #: The kind of transport wrapped, and the one made when none is given.
    _wraps: ClassVar[type[Any]]
    _default: ClassVar[type[Any]]

    def __init__(self, transport: T | None = None, **options: Unpack[TransportOptions]) -> None:
        if transport is not None and not isinstance(transport, self._wraps):
            raise TypeError(f"transport: expected an httpx.{self._wraps.__name__} (got {transport!r})")
        self._options = Options(**options)
        self._transport: T = self._default() if transport is None else transport

    @property
    def policy(self) -> Policy:
        """The policy that decides the waits."""
        return self._options.policy

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._transport!r}, policy={self._options.policy!r})"
