"""A real HTTP/1.1 server on 127.0.0.1 that answers from a script, and a sleep that records its waits.

The transports are tested against real sockets, not mocks: refused connections, read timeouts, kept-alive
connections and closed responses are httpx's and the kernel's own.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"ok"
    delay: float = 0.0  # seconds to wait before answering: longer than a read timeout makes one


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class ScriptedServer:
    """Answers the n-th request with the n-th reply, then with 200 "ok"; records every request."""

    def __init__(self, replies: tuple[Reply, ...], port: int = 0) -> None:
        self.replies = list(replies)
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._port = port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def start(self) -> ScriptedServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real servers

            def handle_one_request(self) -> None:
                try:
                    super().handle_one_request()
                except ConnectionError:  # the client closed a response it did not read: expected
                    self.close_connection = True

            def _read_body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
                    return self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = b""
                while size := int(self.rfile.readline().split(b";")[0], 16):
                    body += self.rfile.read(size)
                    self.rfile.readline()  # the CRLF after each chunk
                self.rfile.readline()  # the CRLF after the last, empty chunk
                return body

            def _answer(self) -> None:
                body = self._read_body()
                with server._lock:
                    server.received.append(Received(self.command, self.path, dict(self.headers), body))
                    reply = server.replies.pop(0) if server.replies else Reply()
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self._httpd.daemon_threads = True
        self._port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.01,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @property
    def methods(self) -> list[str]:
        return [request.method for request in self.received]


@pytest.fixture
def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


#: A scripted reply: a status, or the fields of Reply ({"status": 429, "headers": {"Retry-After": "3"}}).
ReplySpec = int | dict[str, Any]


class Servers:
    """Starts scripted servers for one test and stops them all at its end."""

    def __init__(self) -> None:
        self._all: list[ScriptedServer] = []

    def start(self, *replies: ReplySpec) -> ScriptedServer:
        return self.unstarted(*replies).start()

    def unstarted(self, *replies: ReplySpec, port: int = 0) -> ScriptedServer:
        """A server to start later, on `port` (from free_port(): refused until then)."""
        script = tuple(Reply(spec) if isinstance(spec, int) else Reply(**spec) for spec in replies)
        server = ScriptedServer(script, port)
        self._all.append(server)
        return server

    def stop_all(self) -> None:
        for server in self._all:
            server.stop()


@pytest.fixture
def servers() -> Iterator[Servers]:
    started = Servers()
    yield started
    started.stop_all()


class RecordingSleep:
    """Stands in for the transports' sleep: records each wait instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()
