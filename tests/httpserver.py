"""A real HTTP server on 127.0.0.1 for tests, programmable per path.

Each path answers as its :class:`Route` says: status, headers, body, a delay before answering, a hang
(read the request, never answer), a slow body (chunks with pauses), a redirect, and conditional
requests (``etag`` / ``last_modified`` → 304 when the client sends them back). Every request is
logged (path, headers, what was answered) so tests can assert on what the client really sent.

Runs in a thread (``http.server``), so it is independent of the trio loop under test. ``close()``
releases every hanging handler.
"""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ParamSpec

import trio

P = ParamSpec("P")


def trio_test(test: Callable[P, Awaitable[None]]) -> Callable[P, None]:
    """Runs an async test function with ``trio.run`` (pytest-trio is not a dependency)."""

    @functools.wraps(test)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        trio.run(functools.partial(test, *args, **kwargs))

    return run


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before the status line
    hang: bool = False  # read the request, then never answer
    chunk_delay: float | None = None  # send the body in chunks, pausing between them
    chunk_size: int = 64
    endless: bool = False  # with chunk_delay: keep sending chunks until the client goes
    location: str | None = None  # a redirect (status defaults to 302 via Server.redirect)
    etag: str | None = None
    last_modified: str | None = None
    send_length: bool = True


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    status: int
    started: float
    finished: float | None = None
    route: Route | None = None


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        route = owner.route_for(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        seen = Seen(self.path, headers, route.status if route else 404, time.monotonic(), route=route)
        owner.log(seen)
        with owner.in_flight():
            self._answer(route, headers, seen)
        seen.finished = time.monotonic()

    def _answer(self, route: Route | None, headers: dict[str, str], seen: Seen) -> None:
        owner = self.server.owner
        if route is None:
            self._send(404, {}, b"not found")
            return
        if route.hang:
            owner.released.wait(30)
            self.close_connection = True
            return
        if route.delay and owner.released.wait(route.delay):
            return
        if _not_modified(route, headers):
            seen.status = 304
            self._send(304, _validators(route), b"", length=False)
            return
        extra = dict(route.headers) | _validators(route)
        if route.location is not None:
            extra["location"] = route.location
        if route.chunk_delay is None:
            self._send(route.status, extra, route.body, length=route.send_length)
            return
        self._send_slowly(route, extra)

    def _send(self, status: int, headers: dict[str, str], body: bytes, *, length: bool = True) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if length:
            self.send_header("content-length", str(len(body)))
        elif status != 304:
            self.close_connection = True
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _send_slowly(self, route: Route, headers: dict[str, str]) -> None:
        assert route.chunk_delay is not None
        self.send_response(route.status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        body = route.body or b"x" * route.chunk_size
        offset = 0
        released = self.server.owner.released
        try:
            while route.endless or offset < len(body):
                chunk = body[offset : offset + route.chunk_size] or body[: route.chunk_size]
                offset += len(chunk)
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
                if released.wait(route.chunk_delay):
                    break
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client went away, as the tests intend
        self.close_connection = True


def _validators(route: Route) -> dict[str, str]:
    headers = {}
    if route.etag:
        headers["etag"] = route.etag
    if route.last_modified:
        headers["last-modified"] = route.last_modified
    return headers


def _not_modified(route: Route, headers: dict[str, str]) -> bool:
    if route.etag and headers.get("if-none-match") == route.etag:
        return True
    return bool(route.last_modified and headers.get("if-modified-since") == route.last_modified)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: Server


class Server:
    """The test server; ``url(path)`` gives an absolute URL on 127.0.0.1."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self.requests: list[Seen] = []
        self.released = threading.Event()
        self.max_in_flight = 0
        self._in_flight = 0
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, route: Route | None = None, **fields: object) -> Route:
        built = route if route is not None else Route(**fields)  # type: ignore[arg-type]
        with self._lock:
            self._routes[path] = built
        return built

    def redirect(self, path: str, location: str, status: int = 302) -> Route:
        return self.route(path, Route(status=status, location=location))

    def route_for(self, path: str) -> Route | None:
        with self._lock:
            return self._routes.get(path)

    def log(self, seen: Seen) -> None:
        with self._lock:
            self.requests.append(seen)

    def seen(self, path: str) -> list[Seen]:
        with self._lock:
            return [entry for entry in self.requests if entry.path == path]

    def answered(self, path: str) -> list[Seen]:
        """Requests for ``path`` whose answer has been sent in full."""
        return [entry for entry in self.seen(path) if entry.finished is not None]

    @contextmanager
    def in_flight(self) -> Iterator[None]:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1

    def close(self) -> None:
        self.released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


class SilentListener:
    """Accepts connections and never reads or answers: a server that has wedged."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.port = self._socket.getsockname()[1]
        self._accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self._socket.settimeout(0.05)
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except OSError:
                continue
            self._accepted.append(connection)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for connection in self._accepted:
            connection.close()
        self._socket.close()
