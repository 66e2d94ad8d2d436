"""Prometheus metrics and the health check, served by the daemon itself on ``/metrics`` and ``/healthz``.

The endpoint is a tiny HTTP/1.0 responder on a trio socket server (one request per connection, the
request head capped in size and time), listening where ``[metrics] listen`` says (127.0.0.1 by
default). ``/healthz`` answers 200 while Redis answers and some source succeeded within
``healthy_within`` (counted from the start, so a fresh daemon is healthy while it warms up); else 503
with the reasons.

Each daemon has its own registry, so tests and benches can run several side by side.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Final

import structlog
import trio
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from ingester.cadence import Outcome
from ingester.errors import ConfigError
from ingester.events import Event, kind_of
from ingester.feedback import PageReport
from ingester.types import Fetched

MAX_REQUEST_HEAD: Final = 8192
REQUEST_TIMEOUT: Final = 5.0
_LATENCY_BUCKETS: Final = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0)
_DRIFT_BUCKETS: Final = (0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

log = structlog.get_logger("ingester.metrics")


class Metrics:
    """Every metric of the daemon; also the pollers' ``PollObserver`` and the publisher's hook."""

    def __init__(self, *, healthy_within: float = 300.0, clock: Callable[[], float] = time.time) -> None:
        self.registry = CollectorRegistry()
        self._clock = clock
        self._healthy_within = healthy_within
        self._started = clock()
        self._last_success: float | None = None
        self._newest_event: dict[str, float] = {}
        self._failing: set[str] = set()
        self.redis_up = False
        r = self.registry
        self.fetches = Counter(
            "ingester_fetches", "Fetches by source and HTTP status", ["source", "status"], registry=r
        )
        self.fetch_bytes = Counter("ingester_fetch_bytes", "Body bytes received", ["source"], registry=r)
        self.fetch_seconds = Histogram(
            "ingester_fetch_seconds",
            "Fetch duration, redirects included",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.posts = Counter("ingester_posts", "New and updated posts", ["source", "action"], registry=r)
        self.events = Counter("ingester_events", "Events appended to Redis, by kind", ["kind"], registry=r)
        self.publish_seconds = Histogram(
            "ingester_publish_latency_seconds",
            "From the fetch to the event's append in Redis",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.queue_depth = Gauge("ingester_queue_depth", "Items waiting between stages", ["stage"], registry=r)
        self.newest_event_age = Gauge(
            "ingester_newest_event_age_seconds",
            "Age of the newest event published, per source",
            ["source"],
            registry=r,
        )
        self.source_failing = Gauge("ingester_source_failing", "1 while a source's polls fail", ["source"], registry=r)
        self.sources_failing = Gauge("ingester_sources_failing", "How many sources are failing", registry=r)
        self.poll_drift = Histogram(
            "ingester_poll_drift_seconds",
            "How late polls start against their schedule",
            buckets=_DRIFT_BUCKETS,
            registry=r,
        )
        self.redis_up_gauge = Gauge("ingester_redis_up", "1 while Redis answers", registry=r)
        self.sources_failing.set_function(lambda: len(self._failing))
        self.redis_up_gauge.set_function(lambda: 1.0 if self.redis_up else 0.0)

    # PollObserver

    def fetched(self, source: str, fetched: Fetched, seconds: float) -> None:
        self.fetches.labels(source, str(fetched.status) if fetched.status is not None else "error").inc()
        self.fetch_bytes.labels(source).inc(len(fetched.body))
        self.fetch_seconds.observe(seconds)

    def reported(self, source: str, report: PageReport) -> None:
        if report.created:
            self.posts.labels(source, "created").inc(report.created)
        if report.updated:
            self.posts.labels(source, "updated").inc(report.updated)

    def polled(self, source: str, drift: float) -> None:
        self.poll_drift.observe(max(0.0, drift))

    def cycle_done(self, source: str, outcome: Outcome) -> None:
        if outcome.ok:
            self._last_success = self._clock()
            if source in self._failing:
                self._failing.discard(source)
                self.source_failing.labels(source).set(0)
        elif source not in self._failing:
            self._failing.add(source)
            self.source_failing.labels(source).set(1)

    # the publisher's on_published hook

    def published(self, events: Sequence[Event]) -> None:
        now = self._clock()
        for event in events:
            self.events.labels(kind_of(event)).inc()
            self.publish_seconds.observe(max(0.0, now - event.observed_at.timestamp()))
            if event.source not in self._newest_event:
                self.newest_event_age.labels(event.source).set_function(self._age_of(event.source))
            self._newest_event[event.source] = max(
                self._newest_event.get(event.source, 0.0), event.observed_at.timestamp()
            )

    def _age_of(self, source: str) -> Callable[[], float]:
        return lambda: self._clock() - self._newest_event[source]

    def failing_sources(self) -> list[str]:
        return sorted(self._failing)

    def health(self) -> tuple[bool, list[str]]:
        problems = []
        if not self.redis_up:
            problems.append("redis is unreachable")
        since = self._last_success if self._last_success is not None else self._started
        if self._clock() - since > self._healthy_within:
            problems.append(f"no source succeeded in the last {self._healthy_within:g}s")
        return not problems, problems

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


async def probe_redis(ping: Callable[[], object], metrics: Metrics, every: float = 5.0) -> None:
    """Keeps ``metrics.redis_up`` current; ``ping`` is blocking (run in a thread) and raises when down."""
    limiter = trio.CapacityLimiter(1)
    while True:
        try:
            await trio.to_thread.run_sync(ping, limiter=limiter)
        except Exception as err:  # any failure to answer means down; the reason goes to the log
            if metrics.redis_up:
                log.warning("redis stopped answering", error=f"{type(err).__name__}: {err}")
            metrics.redis_up = False
        else:
            metrics.redis_up = True
        await trio.sleep(every)


async def serve_metrics(
    metrics: Metrics, host: str, port: int, *, task_status: trio.TaskStatus[int] = trio.TASK_STATUS_IGNORED
) -> None:
    """Serves ``/metrics`` and ``/healthz``; ``task_status.started`` gets the port really bound."""
    try:
        listeners = await trio.open_tcp_listeners(port, host=host)
    except OSError as err:
        raise ConfigError(f"metrics.listen: cannot listen on {host}:{port}: {err.strerror or err}") from None
    bound: int = listeners[0].socket.getsockname()[1]
    log.info("metrics listening", host=host, port=bound)
    task_status.started(bound)

    async def handle(stream: trio.SocketStream) -> None:
        await _answer(stream, metrics)

    await trio.serve_listeners(handle, listeners)


async def _answer(stream: trio.SocketStream, metrics: Metrics) -> None:
    try:
        with trio.move_on_after(REQUEST_TIMEOUT):
            head = await _read_head(stream)
            if head is not None:
                await stream.send_all(_response(head, metrics))
    except (trio.BrokenResourceError, trio.ClosedResourceError, OSError):
        pass  # the scraper went away
    finally:
        with trio.CancelScope(shield=True):
            await stream.aclose()


async def _read_head(stream: trio.SocketStream) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data and b"\n\n" not in data:
        if len(data) > MAX_REQUEST_HEAD:
            return None
        chunk = await stream.receive_some(4096)
        if not chunk:
            break
        data += chunk
    return data or None


def _response(head: bytes, metrics: Metrics) -> bytes:
    parts = head.split(b"\r\n", 1)[0].split()
    method, path = (parts[0], parts[1]) if len(parts) >= 2 else (b"", b"")
    path = path.split(b"?", 1)[0]
    if method not in {b"GET", b"HEAD"}:
        return _http(405, "text/plain", b"method not allowed\n")
    if path == b"/metrics":
        body = metrics.exposition()
        return _http(200, CONTENT_TYPE_LATEST, body, head_only=method == b"HEAD")
    if path == b"/healthz":
        ok, problems = metrics.health()
        text = ("ok\n" if ok else "".join(f"{problem}\n" for problem in problems)).encode()
        return _http(200 if ok else 503, "text/plain; charset=utf-8", text, head_only=method == b"HEAD")
    return _http(404, "text/plain", b"not found\n")


def _http(status: int, content_type: str, body: bytes, *, head_only: bool = False) -> bytes:
    reason = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"}[status]
    head = (
        f"HTTP/1.0 {status} {reason}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + (b"" if head_only else body)
