"""What the per-key pools (RetryBudgetPool, CircuitBreakerPool) share: reading them like a mapping."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

T = TypeVar("T")


class KeyedPoolView(Generic[T]):
    """``pool[key]``, ``len(pool)``, ``max_keys`` and the repr, over ``self._pool`` (a core pool) and
    ``self.get``."""

    __slots__ = ()

    _pool: Any

    def get(self, key: str) -> T:
        raise NotImplementedError

    def __getitem__(self, key: str) -> T:
        return self.get(key)

    def __len__(self) -> int:
        return int(self._pool.size())

    @property
    def max_keys(self) -> int:
        """The most keys the pool holds."""
        return int(self._pool.max_keys())

    def __repr__(self) -> str:
        return f"{type(self).__name__}(size={len(self)}, max_keys={self.max_keys})"
