"""AsyncRetryTransport: retries for ``httpx.AsyncClient``, on asyncio or trio."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from .._asyncio import _event_loop_sleep
from ..policy import Policy
from ..testing import switch
from ._options import Options, TransportOptions
from ._request_retry import HttpxRequestRetry

if TYPE_CHECKING:
    from typing_extensions import Unpack


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """:class:`RetryTransport` for ``httpx.AsyncClient``: wraps an async transport (default
    ``httpx.AsyncHTTPTransport()``) and takes the same options; ``sleep``, if given, is an ``async``
    function of float seconds. The wait is ``asyncio.sleep`` or ``trio.sleep``, so cancelling the task
    ends it at once (and gives back the budget's ticket for the retry that will not run)."""

    def __init__(self, transport: httpx.AsyncBaseTransport | None = None, **options: Unpack[TransportOptions]) -> None:
        if transport is not None and not isinstance(transport, httpx.AsyncBaseTransport):
            raise TypeError(f"transport: expected an httpx.AsyncBaseTransport (got {transport!r})")
        self._options = Options(**options)
        self._transport = httpx.AsyncHTTPTransport() if transport is None else transport

    @property
    def policy(self) -> Policy:
        """The policy that decides the waits."""
        return self._options.policy

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        call = HttpxRequestRetry(self._options, request)
        while True:
            permit = call.admit()
            try:
                response = await self._transport.handle_async_request(request)
            except BaseException as exc:
                call.after_exception(permit, exc)
            else:
                if call.delivers(permit, response):
                    return response
                await response.aclose()  # a retried response, or a hook raised: no one else will close it
            await self._wait(call)

    async def _wait(self, call: HttpxRequestRetry) -> None:
        delay = call.delay()
        try:
            if self._options.sleep is not None:
                await self._options.sleep(delay)
            elif switch.waiting:
                await _event_loop_sleep(delay)
        except BaseException:
            call.abandon_wait()
            raise

    async def aclose(self) -> None:
        await self._transport.aclose()

    def __repr__(self) -> str:
        return f"AsyncRetryTransport({self._transport!r}, policy={self._options.policy!r})"
