"""Metrics and health: the pure counters, the tiny HTTP endpoint, and a live daemon's /metrics and /healthz."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import trio

from ingester.cadence import Outcome
from ingester.events import PostEvent
from ingester.feedback import PageReport
from ingester.metrics import Metrics, serve_metrics
from ingester.types import Fetched
from tests.conftest import RedisServer
from tests.daemon_support import config_text, daemon_config, make_daemon, page, start, wait_for
from tests.httpserver import Server, trio_test

OBSERVED = datetime(2024, 7, 5, 0, 3, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def post_event(source: str) -> PostEvent:
    return PostEvent(
        event_id=f"id-{source}",
        source=source,
        post_id="p1",
        revision=0,
        published_at=None,
        observed_at=OBSERVED,
        url=None,
        election=None,
        test=False,
        text="Labour gain Mid Derbyshire",
        action="created",
        headline=None,
        body="Labour gain Mid Derbyshire",
        author=None,
    )


def sample(metrics: Metrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


def test_fetches_posts_events_and_ages_are_counted() -> None:
    clock = FakeClock(OBSERVED.timestamp() + 30)
    metrics = Metrics(clock=clock)
    ok = Fetched(source="a", url="u", fetched_at=OBSERVED, status=200, body=b"12345")
    metrics.fetched("a", ok, 0.2)
    metrics.fetched("a", Fetched(source="a", url="u", fetched_at=OBSERVED, error="timed out"), 5.0)
    metrics.reported("a", PageReport(parsed=True, posts=3, created_ids=frozenset({"a", "b"}), updated=1))
    metrics.published([post_event("a")])
    assert sample(metrics, "ingester_fetches_total", source="a", status="200") == 1
    assert sample(metrics, "ingester_fetches_total", source="a", status="error") == 1
    assert sample(metrics, "ingester_fetch_bytes_total", source="a") == 5
    assert sample(metrics, "ingester_fetch_seconds_count") == 2
    assert sample(metrics, "ingester_posts_total", source="a", action="created") == 2
    assert sample(metrics, "ingester_events_total", kind="post") == 1
    assert sample(metrics, "ingester_publish_latency_seconds_sum") == 30.0
    clock.now += 60
    assert sample(metrics, "ingester_newest_event_age_seconds", source="a") == 90.0


def test_failing_sources_are_counted_until_they_recover() -> None:
    metrics = Metrics()
    metrics.cycle_done("a", Outcome(ok=False))
    metrics.cycle_done("b", Outcome(ok=False))
    metrics.cycle_done("b", Outcome(ok=False))
    assert metrics.failing_sources() == ["a", "b"] and sample(metrics, "ingester_sources_failing") == 2
    metrics.cycle_done("a", Outcome(ok=True))
    assert metrics.failing_sources() == ["b"]
    assert sample(metrics, "ingester_source_failing", source="a") == 0
    assert sample(metrics, "ingester_source_failing", source="b") == 1


def test_health_needs_redis_and_a_recent_success() -> None:
    clock = FakeClock(1000.0)
    metrics = Metrics(healthy_within=60, clock=clock)
    assert metrics.health() == (False, ["redis is unreachable"])
    metrics.redis_up = True
    assert metrics.health() == (True, [])  # warming up: the window counts from the start
    clock.now += 61
    assert metrics.health() == (False, ["no source succeeded in the last 60s"])
    metrics.cycle_done("a", Outcome(ok=True))
    assert metrics.health() == (True, [])
    metrics.redis_up = False
    assert metrics.health()[0] is False


@trio_test
async def test_the_endpoint_serves_metrics_and_health_and_survives_bad_clients() -> None:
    metrics = Metrics()
    metrics.redis_up = True
    async with trio.open_nursery() as nursery:
        port = await nursery.start(serve_metrics, metrics, "127.0.0.1", 0)
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(timeout=5) as client:
            scraped = await client.get(f"{base}/metrics")
            assert scraped.status_code == 200 and "# TYPE ingester_fetches_total counter" in scraped.text
            assert "ingester_sources_failing 0.0" in scraped.text
            assert scraped.headers["content-type"].startswith("text/plain")
            assert (await client.get(f"{base}/healthz")).text == "ok\n"
            assert (await client.get(f"{base}/nope")).status_code == 404
            assert (await client.post(f"{base}/metrics")).status_code == 405
            metrics.redis_up = False
            unhealthy = await client.get(f"{base}/healthz")
            assert unhealthy.status_code == 503 and "redis is unreachable" in unhealthy.text
            with trio.fail_after(10):
                stream = await trio.open_tcp_stream("127.0.0.1", port)
                await stream.send_all(b"GET /" + b"x" * 20000)  # a head over the cap, never finished
                try:
                    answer = await stream.receive_some(100)
                except trio.BrokenResourceError:  # reset: it closed with our bytes unread
                    answer = b""
                assert answer == b""  # closed without an answer
                await stream.aclose()
            assert (await client.get(f"{base}/metrics")).status_code == 200
        nursery.cancel_scope.cancel()


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    try:
        yield running
    finally:
        running.close()


@trio_test
async def test_a_running_daemon_reports_its_work_and_turns_unhealthy_without_redis(
    server: Server, redis_server: RedisServer, tmp_path: Path
) -> None:
    server.route("/alpha", body=page("alpha", 2), headers={"content-type": "text/plain"})
    server.route("/broken", status=503, body=b"down")
    urls = {"alpha": server.url("/alpha"), "broken": server.url("/broken")}
    config = daemon_config(tmp_path, config_text(redis_server.url, urls))
    daemon = make_daemon(config, redis_server.url, redis_probe_every=0.1)
    codes: list[int] = []
    async with trio.open_nursery() as nursery, httpx.AsyncClient(timeout=5) as client:
        await start(nursery, daemon, codes)
        base = f"http://127.0.0.1:{daemon.metrics_port}"
        await wait_for(lambda: daemon.metrics.failing_sources() == ["broken"] and daemon.metrics.redis_up)
        await wait_for(lambda: (sample(daemon.metrics, "ingester_events_total", kind="post") or 0) >= 2)
        text = (await client.get(f"{base}/metrics")).text
        for line in (
            'ingester_fetches_total{source="alpha",status="200"}',
            'ingester_fetches_total{source="broken",status="503"}',
            'ingester_posts_total{action="created",source="alpha"}',
            'ingester_source_failing{source="broken"} 1.0',
            'ingester_newest_event_age_seconds{source="alpha"}',
            'ingester_queue_depth{stage="fetches"}',
            "ingester_publish_latency_seconds_count",
            "ingester_poll_drift_seconds_count",
            "ingester_redis_up 1.0",
        ):
            assert line in text, line
        assert (await client.get(f"{base}/healthz")).status_code == 200
        redis_server.stop()
        await wait_for(lambda: not daemon.metrics.redis_up)
        unhealthy = await client.get(f"{base}/healthz")
        assert unhealthy.status_code == 503 and "redis is unreachable" in unhealthy.text
        daemon.request_stop()
    assert codes == [0]
