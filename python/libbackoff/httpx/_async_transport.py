"""AsyncRetryTransport: retries for ``httpx.AsyncClient``, on asyncio or trio."""

from __future__ import annotations

import httpx

from .._event_loop import event_loop_sleep as _event_loop_sleep
from ..http.retry_wait import wait_before_retry_async
from ._request_retry import HttpxRequestRetry
from ._wrapping import Wrapping


class AsyncRetryTransport(Wrapping[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport):
    """:class:`RetryTransport` for ``httpx.AsyncClient``: wraps an async transport (default
    ``httpx.AsyncHTTPTransport()``) and takes the same options; ``sleep``, if given, is an ``async``
    function of float seconds. The wait is ``asyncio.sleep`` or ``trio.sleep``, so cancelling the task
    ends it at once (and gives back the budget's ticket for the retry that will not run)."""

    _wraps = httpx.AsyncBaseTransport
    _default = httpx.AsyncHTTPTransport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        call = HttpxRequestRetry(self._options, request)
        while True:
            while pause := call.send_wait():  # an adaptive limiter's wait for a send token
                await (self._options.sleep or _event_loop_sleep)(pause)
            permit = call.admit()
            try:
                response = await self._transport.handle_async_request(request)
            except BaseException as exc:
                call.after_exception(permit, exc)
            else:
                if call.delivers(permit, response):
                    return response
                await response.aclose()  # a retried response, or a hook raised: no one else will close it
            await wait_before_retry_async(call, self._options.sleep, call.delay())

    async def aclose(self) -> None:
        await self._transport.aclose()
