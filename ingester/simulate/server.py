"""A small HTTP/1.1 server on trio for the simulator: GET and HEAD, keep-alive, and faults on the wire.

Bounded everywhere: connections (beyond ``max_connections`` a new one is closed at once), the request
head (size and time to arrive), idle keep-alive time, requests per connection, a request body (read
and thrown away, up to a cap), the time to send, and how long a hung or slow reply may last. The
answer itself comes from a ``respond`` function (the site): this module only delivers it, including
the faults that live on the wire: a reset (TCP RST), a hang, a body dribbled out, a body cut short.
"""

from __future__ import annotations

import socket
import struct
from collections import Counter
from collections.abc import Callable, Mapping
from email.utils import formatdate
from http import HTTPStatus
from typing import Final

import msgspec
import structlog
import trio

from ingester.simulate.site import Reply

log = structlog.get_logger("ingester.simulate")

Respond = Callable[[str, Mapping[str, str], int], Reply]
_MAX_SLOW_SECONDS: Final = 120.0


class ServerLimits(msgspec.Struct, frozen=True, kw_only=True):
    max_connections: int = 4096
    head_bytes: int = 16 * 1024
    idle_timeout: float = 30.0  # waiting for the next request on a kept-alive connection
    head_timeout: float = 10.0  # from the first byte of a request head to its end
    send_timeout: float = 30.0
    max_requests: int = 10_000  # per connection
    max_body_bytes: int = 64 * 1024  # of a request body, read and discarded


class Request(msgspec.Struct, frozen=True):
    method: str
    target: str
    version: str
    headers: dict[str, str]


class BadRequest(Exception):
    pass


class HttpServer:
    def __init__(self, respond: Respond, limits: ServerLimits | None = None) -> None:
        self._respond = respond
        self.limits = limits or ServerLimits()
        self.requests = 0
        self.connections = 0
        self.by_status: Counter[int] = Counter()
        self.by_source: Counter[str] = Counter()

    async def serve(
        self, host: str = "127.0.0.1", port: int = 0, *, task_status: trio.TaskStatus[int] = trio.TASK_STATUS_IGNORED
    ) -> None:
        """Listens on ``host:port`` (0: any free port, handed to ``task_status.started``) until cancelled."""
        listeners = await trio.open_tcp_listeners(port, host=host, backlog=1024)
        task_status.started(listeners[0].socket.getsockname()[1])
        await trio.serve_listeners(self._connection, listeners)

    async def _connection(self, stream: trio.SocketStream) -> None:
        if self.connections >= self.limits.max_connections:
            await stream.aclose()
            return
        self.connections += 1
        try:
            await self._requests(stream)
        except (trio.BrokenResourceError, trio.ClosedResourceError, trio.TooSlowError, BadRequest, OSError):
            pass
        finally:
            self.connections -= 1
            with trio.CancelScope(shield=True):
                await stream.aclose()

    async def _requests(self, stream: trio.SocketStream) -> None:
        buffer = bytearray()
        for _ in range(self.limits.max_requests):
            request = await self._read_request(stream, buffer)
            if request is None:
                return
            number = self.requests
            self.requests += 1
            if request.method not in {"GET", "HEAD"}:
                reply = Reply(status=405, headers={"allow": "GET, HEAD"})
            else:
                reply = self._respond(request.target, request.headers, number)
            self.by_status[reply.status] += 1
            if reply.source is not None:
                self.by_source[reply.source] += 1
            if not await self._deliver(stream, request, reply):
                return

    async def _read_request(self, stream: trio.SocketStream, buffer: bytearray) -> Request | None:
        limits = self.limits
        with trio.move_on_after(limits.idle_timeout):
            while not buffer:
                chunk = await stream.receive_some(65536)
                if not chunk:
                    return None
                buffer += chunk
        if not buffer:
            return None
        with trio.fail_after(limits.head_timeout):
            while (end := buffer.find(b"\r\n\r\n")) < 0:
                if len(buffer) > limits.head_bytes:
                    raise BadRequest("request head too large")
                chunk = await stream.receive_some(65536)
                if not chunk:
                    return None
                buffer += chunk
            if end > limits.head_bytes:
                raise BadRequest("request head too large")
            request = parse_head(bytes(buffer[:end]))
            del buffer[: end + 4]
            await self._discard_body(stream, buffer, request)
        return request

    async def _discard_body(self, stream: trio.SocketStream, buffer: bytearray, request: Request) -> None:
        length = request.headers.get("content-length", "0")
        if not length.isdigit() or int(length) > self.limits.max_body_bytes:
            raise BadRequest("request body missing a length or too large")
        need = int(length)
        while len(buffer) < need:
            chunk = await stream.receive_some(65536)
            if not chunk:
                raise BadRequest("request body cut short")
            buffer += chunk
        del buffer[:need]

    async def _deliver(self, stream: trio.SocketStream, request: Request, reply: Reply) -> bool:
        """Sends the reply as its delivery says; True when the connection may serve another request."""
        if reply.delivery == "reset":
            stream.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        if reply.delivery == "hang":
            await _hold(stream, reply.hang)
            return False
        keep_alive = _keeps_alive(request)
        head = _head(reply, keep_alive and reply.delivery != "truncate")
        body = b"" if request.method == "HEAD" or reply.status in {204, 304} else reply.body
        with trio.fail_after(self.limits.send_timeout):
            await stream.send_all(head)
        if reply.delivery == "slow":
            await _dribble(stream, body, reply.chunk_size, reply.chunk_delay)
        elif reply.delivery == "truncate":
            with trio.fail_after(self.limits.send_timeout):
                await stream.send_all(body[: len(body) // 2])
            return False
        elif body:
            with trio.fail_after(self.limits.send_timeout):
                await stream.send_all(body)
        return keep_alive


def parse_head(raw: bytes) -> Request:
    try:
        text = raw.decode("latin-1")
        line, *lines = text.split("\r\n")
        method, target, version = line.split(" ")
    except ValueError:
        raise BadRequest("malformed request line") from None
    if not version.startswith("HTTP/1.") or not target.startswith("/"):
        raise BadRequest("not an HTTP/1.x origin-form request")
    headers: dict[str, str] = {}
    for header in lines:
        name, sep, value = header.partition(":")
        if not sep:
            raise BadRequest("malformed header line")
        headers[name.strip().lower()] = value.strip()
    return Request(method, target, version, headers)


def _keeps_alive(request: Request) -> bool:
    connection = request.headers.get("connection", "").lower()
    if request.version == "HTTP/1.0":
        return connection == "keep-alive"
    return connection != "close"


def _head(reply: Reply, keep_alive: bool) -> bytes:
    try:
        reason = HTTPStatus(reply.status).phrase
    except ValueError:
        reason = "Unknown"
    headers = {
        "date": formatdate(usegmt=True),
        "server": "ingester-simulate",
        **reply.headers,
        "content-length": str(len(reply.body)),
        "connection": "keep-alive" if keep_alive else "close",
    }
    lines = [f"HTTP/1.1 {reply.status} {reason}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


async def _hold(stream: trio.SocketStream, seconds: float) -> None:
    """Says nothing for ``seconds``, or until the client gives up and closes."""
    with trio.move_on_after(min(seconds, _MAX_SLOW_SECONDS)):
        while await stream.receive_some(4096):
            pass


async def _dribble(stream: trio.SocketStream, body: bytes, size: int, delay: float) -> None:
    with trio.fail_after(_MAX_SLOW_SECONDS):
        for start in range(0, len(body), size):
            await stream.send_all(body[start : start + size])
            await trio.sleep(delay)
