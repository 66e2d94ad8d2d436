"""HTTP fetching: the only code that talks to the sites. Every fetch ends as a ``Fetched``, never raises.

Politeness and bounds, per fetch:

- a per-host gate: at most ``per_host_concurrency`` requests in flight to one host, and at least
  ``min_gap`` between the starts of two of them;
- httpx's per-phase timeouts (connect, read, write, pool) under one total deadline (``trio.fail_after``)
  that covers redirects and the body; waiting at the host gate is not part of it;
- the body streamed and refused once past ``max_body_bytes`` (decoded bytes, so a compressed bomb is
  refused too), or at once when Content-Length says so;
- redirects followed by hand, only to http and https, at most ``max_redirects``;
- conditional requests: the ETag and Last-Modified of each URL's last 200 are sent back as
  If-None-Match and If-Modified-Since, so an unchanged page costs a 304 and no body.

Clients: one ``httpx.AsyncClient`` shared by many requests in flight costs CPU quadratic in the number
in flight (a linear scan of httpcore's pool per request; encode/httpcore#1035), so each host gets its
own clients, one per ``sources_per_client`` of its sources, each with a pool no larger than the host's
concurrency (``client_per = "shared"`` keeps one client, for ``bench/poll.py`` to compare).

httpx leaks a pool slot when a streamed response is abandoned by a cancellation before it is closed:
the connection stays checked out for good. Every response is therefore closed in a ``finally`` under a
shielded (and bounded) cancel scope.
"""

from __future__ import annotations

import math
import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Final, Literal
from urllib.parse import urlsplit, urlunsplit

import httpx
import msgspec
import trio

from ingester import __version__
from ingester.log import redact_text
from ingester.settings import LimitsSettings
from ingester.types import Fetched

REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
MAX_VALIDATORS: Final = 20_000  # URLs whose ETag/Last-Modified we remember (pagination adds URLs)
_CLOSE_TIMEOUT: Final = 2.0
ClientScope = Literal["host", "shared"]


class FetchRefused(Exception):
    """A response that we will not take: too large, a redirect to another scheme, too many redirects."""


class FetchLimits(msgspec.Struct, frozen=True, kw_only=True):
    max_body_bytes: int = 10 * 1024 * 1024
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 20.0
    max_redirects: int = 5
    per_host_concurrency: int = 4
    min_gap: float = 0.2

    @classmethod
    def from_settings(cls, settings: LimitsSettings) -> FetchLimits:
        return cls(**{name: getattr(settings, name) for name in cls.__struct_fields__})


def user_agent(contact: str | None) -> str:
    return f"ingester/{__version__} (+{contact})" if contact else f"ingester/{__version__}"


def utc_now() -> datetime:
    return datetime.now(UTC)


def safe_url(url: str) -> str:
    """The URL without userinfo and without the values of secret-looking query parameters, for logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if "@" in parts.netloc:
        url = urlunsplit(parts._replace(netloc="redacted@" + parts.netloc.rpartition("@")[2]))
    return redact_text(url)


class HostGate:
    """At most ``concurrency`` requests in flight, starts spaced by ``min_gap`` (trio's Lock is FIFO)."""

    def __init__(self, concurrency: int, min_gap: float) -> None:
        self._slots = trio.Semaphore(concurrency)
        self._spacing = trio.Lock()
        self._min_gap = min_gap
        self._last_start = -math.inf

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            async with self._spacing:
                await trio.sleep_until(self._last_start + self._min_gap)
                self._last_start = trio.current_time()
            yield


class _Validators:
    """ETag and Last-Modified per URL, the oldest forgotten first past ``MAX_VALIDATORS``."""

    def __init__(self) -> None:
        self._by_url: dict[str, tuple[str | None, str | None]] = {}

    def headers_for(self, url: str) -> dict[str, str]:
        etag, modified = self._by_url.get(url, (None, None))
        headers = {"if-none-match": etag} if etag else {}
        if modified:
            headers["if-modified-since"] = modified
        return headers

    def remember(self, url: str, response: httpx.Response) -> None:
        if response.status_code == 304:
            return
        etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
        self._by_url.pop(url, None)
        if response.status_code == 200 and (etag or modified):
            self._by_url[url] = (etag, modified)
            if len(self._by_url) > MAX_VALIDATORS:
                del self._by_url[next(iter(self._by_url))]


class Fetcher:
    """Fetches URLs for sources, politely and within bounds; see the module docstring."""

    def __init__(
        self,
        limits: FetchLimits,
        *,
        agent: str = user_agent(None),
        client_per: ClientScope = "host",
        sources_per_client: int = 32,
        now: Callable[[], datetime] = utc_now,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.limits = limits
        self._agent = agent
        self._client_per = client_per
        self._sources_per_client = sources_per_client
        self._now = now
        self._transport = transport  # for unit tests of single functions only
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._groups: dict[str, dict[str, int]] = {}
        self._gates: dict[str, HostGate] = {}
        self._validators = _Validators()
        self._tls: ssl.SSLContext | None = None  # one for every client: loading the CA store costs ~15 ms

    async def fetch(self, source: str, url: str) -> Fetched:
        fetched_at = self._now()
        try:
            async with self._gate(url).slot():
                with trio.fail_after(self.limits.total_timeout):
                    status, headers, body = await self._follow(self._client(source, url), url)
        except trio.TooSlowError:
            error = f"no complete answer within the {self.limits.total_timeout:g}s deadline"
        except httpx.TimeoutException as err:
            error = f"timed out: {type(err).__name__}"
        except (FetchRefused, httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as err:
            error = _one_line(f"{type(err).__name__}: {err}")
        else:
            return Fetched(source=source, url=url, fetched_at=fetched_at, status=status, headers=headers, body=body)
        return Fetched(source=source, url=url, fetched_at=fetched_at, error=error)

    async def aclose(self) -> None:
        with trio.CancelScope(shield=True):
            for client in self._clients.values():
                await client.aclose()
        self._clients.clear()

    def client_count(self) -> int:
        return len(self._clients)

    async def _follow(self, client: httpx.AsyncClient, url: str) -> tuple[int, dict[str, str], bytes]:
        for _ in range(self.limits.max_redirects + 1):
            request = client.build_request("GET", url, headers=self._validators.headers_for(url))
            response = await client.send(request, stream=True)
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECT_STATUSES and location:
                    url = redirect_target(url, location)
                    continue
                body = await self._read_body(response)
                self._validators.remember(url, response)
                headers = {name.lower(): value for name, value in response.headers.items()}
                return response.status_code, headers, body
            finally:
                # Shielded so that a cancellation cannot leave the connection checked out (a pool leak).
                with trio.move_on_after(_CLOSE_TIMEOUT) as closing:
                    closing.shield = True
                    await response.aclose()
        raise FetchRefused(f"more than {self.limits.max_redirects} redirects")

    async def _read_body(self, response: httpx.Response) -> bytes:
        cap = self.limits.max_body_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchRefused(f"body of {declared} bytes is over the {cap}-byte limit")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchRefused(f"body is over the {cap}-byte limit")
            chunks.append(chunk)
        return b"".join(chunks)

    def _gate(self, url: str) -> HostGate:
        host = urlsplit(url).hostname or ""
        gate = self._gates.get(host)
        if gate is None:
            gate = self._gates[host] = HostGate(self.limits.per_host_concurrency, self.limits.min_gap)
        return gate

    def _client(self, source: str, url: str) -> httpx.AsyncClient:
        key = "shared" if self._client_per == "shared" else self._group_key(source, url)
        client = self._clients.get(key)
        if client is None:
            client = self._clients[key] = self._new_client(shared=key == "shared")
        return client

    def _group_key(self, source: str, url: str) -> str:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
        members = self._groups.setdefault(origin, {})
        group = members.setdefault(source, len(members) // self._sources_per_client)
        return f"{origin}#{group}"

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            self._tls = httpx.create_ssl_context()
        return self._tls

    def _new_client(self, *, shared: bool) -> httpx.AsyncClient:
        limits = self.limits
        pool = 1000 if shared else limits.per_host_concurrency
        timeout = httpx.Timeout(
            connect=limits.connect_timeout,
            read=limits.read_timeout,
            write=limits.read_timeout,
            pool=limits.total_timeout,
        )
        return httpx.AsyncClient(
            headers={"user-agent": self._agent},
            limits=httpx.Limits(max_connections=pool, max_keepalive_connections=pool, keepalive_expiry=30),
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,  # no proxy or .netrc credentials picked up from the environment
            verify=self._tls_context(),
            transport=self._transport,
        )


def redirect_target(current: str, location: str) -> str:
    """The absolute URL a redirect points at; refused unless it is http or https."""
    target = httpx.URL(current).join(location.strip())
    if target.scheme not in {"http", "https"} or not target.host:
        raise FetchRefused(f"redirect to a {target.scheme or 'relative'}: URL refused (only http and https)")
    return str(target)


def _one_line(text: str, limit: int = 300) -> str:
    return " ".join(redact_text(text).split())[:limit]
