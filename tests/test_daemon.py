"""The daemon end to end: real HTTP server on 127.0.0.1, real redis-server, real adapters and publisher."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import trio

from ingester.night import NightWriter, read_night
from ingester.replay import replay_night
from ingester.store import make_client
from tests.conftest import RedisServer
from tests.daemon_support import (
    answered_with,
    config_text,
    daemon_config,
    make_daemon,
    page,
    post_ids,
    start,
    stream_events,
    wait_for,
)
from tests.httpserver import Server, SilentListener, trio_test

NAMES = ("alpha", "beta", "gamma")


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    try:
        yield running
    finally:
        running.close()


def serve_pages(server: Server, count: int, **route: object) -> dict[str, bytes]:
    bodies = {name: page(name, count) for name in NAMES}
    for name, body in bodies.items():
        server.route(f"/{name}", body=body, headers={"content-type": "text/plain; charset=utf-8"}, **route)
    return bodies


@trio_test
async def test_shutdown_publishes_everything_fetched_exactly_once(
    server: Server, redis_url: str, tmp_path: Path
) -> None:
    first = serve_pages(server, 3)
    config = daemon_config(tmp_path, config_text(redis_url, {n: server.url(f"/{n}") for n in NAMES}))
    daemon = make_daemon(config, redis_url)
    codes: list[int] = []
    async with trio.open_nursery() as nursery:
        await start(nursery, daemon, codes)
        await wait_for(lambda: all(answered_with(server, f"/{n}", first[n]) for n in NAMES))
        second = serve_pages(server, 6)
        await wait_for(lambda: all(answered_with(server, f"/{n}", second[n]) for n in NAMES))
        daemon.request_stop()  # the newest bodies are still in flight somewhere in the flow
    assert codes == [0]
    client = make_client(redis_url)
    posts = stream_events(client, "live:posts")
    assert len({event.event_id for event in posts}) == len(posts)
    for name in NAMES:
        created = Counter(event.post_id for event in posts if event.source == name and event.action == "created")
        assert set(created) == post_ids(second[name]) and set(created.values()) == {1}
    client.close()


@trio_test
async def test_a_restart_publishes_nothing_twice(server: Server, redis_url: str, tmp_path: Path) -> None:
    bodies = serve_pages(server, 4)
    config = daemon_config(tmp_path, config_text(redis_url, {n: server.url(f"/{n}") for n in NAMES}))
    for _ in range(2):
        daemon = make_daemon(config, redis_url)
        codes: list[int] = []
        served = len(server.answered("/alpha"))
        async with trio.open_nursery() as nursery:
            await start(nursery, daemon, codes)
            await wait_for(lambda: len(server.answered("/alpha")) >= served + 2 and daemon.board.waiting() == 0)
            daemon.request_stop()
        assert codes == [0]
    client = make_client(redis_url)
    posts = stream_events(client, "live:posts")
    assert sorted(event.post_id for event in posts if event.source == "alpha") == sorted(post_ids(bodies["alpha"]))
    client.close()


@trio_test
async def test_record_saves_every_fetch_and_a_replay_gives_the_same_events(
    server: Server, redis_url: str, tmp_path: Path
) -> None:
    body = page("alpha", 3)
    server.route("/alpha", body=body, etag='"v1"', headers={"content-type": "text/plain"})
    server.route("/broken", status=500, body=b"oops")
    closed = SilentListener()
    closed_url = closed.url("/gone")
    closed.close()
    urls = {"alpha": server.url("/alpha"), "broken": server.url("/broken"), "gone": closed_url}
    config = daemon_config(tmp_path, config_text(redis_url, urls))
    night_path = tmp_path / "night.warc.gz"
    daemon = make_daemon(config, redis_url, night=NightWriter(night_path))
    codes: list[int] = []
    async with trio.open_nursery() as nursery:
        await start(nursery, daemon, codes)
        await wait_for(lambda: [seen.status for seen in server.answered("/alpha")][:2] == [200, 304])
        newer = page("alpha", 5)
        server.route("/alpha", body=newer, etag='"v2"', headers={"content-type": "text/plain"})
        await wait_for(lambda: answered_with(server, "/alpha", newer) and daemon.metrics.failing_sources() != [])
        await wait_for(lambda: daemon.metrics.fetches.labels("gone", "error")._value.get() >= 1)
        daemon.request_stop()
    assert codes == [0]
    night = read_night(night_path)
    assert set(night.configs) == {"alpha", "broken", "gone"}
    statuses = {(fetched.source, fetched.status) for fetched in night.fetches}
    assert {("alpha", 200), ("alpha", 304), ("broken", 500), ("gone", None)} <= statuses
    await replay_night(night, redis_url, prefix="replayed")
    client = make_client(redis_url)
    for stream in ("posts", "events"):
        live = [event.event_id for event in stream_events(client, f"live:{stream}")]
        replayed = [event.event_id for event in stream_events(client, f"replayed:{stream}")]
        assert sorted(live) == sorted(replayed)
    assert len(stream_events(client, "live:posts")) == len(post_ids(newer))
    client.close()


@trio_test
async def test_a_drain_longer_than_the_grace_period_is_cut_short(
    server: Server, redis_url: str, tmp_path: Path
) -> None:
    server.route("/hang", hang=True)
    text = config_text(redis_url, {"stuck": server.url("/hang")}, grace="1s", total_timeout="30s")
    text = text.replace('read_timeout = "5s"', 'read_timeout = "30s"')
    daemon = make_daemon(daemon_config(tmp_path, text), redis_url)
    codes: list[int] = []
    with trio.fail_after(20):
        async with trio.open_nursery() as nursery:
            await start(nursery, daemon, codes)
            await wait_for(lambda: len(server.seen("/hang")) >= 1)
            daemon.request_stop()
    assert codes == [1]


SECRETS = ("s3cr3t-redis-pw", "T0KEN-in-the-url", "K3Y-in-the-url")


def test_the_command_drains_on_sigterm_exits_0_and_logs_no_secret(server: Server, tmp_path: Path) -> None:
    redis_dir = tmp_path / "redis"
    redis_dir.mkdir()
    protected = RedisServer(redis_dir, extra_config=f"requirepass {SECRETS[0]}\n")
    protected.start()
    closed = SilentListener()
    gone = closed.url(f"/feed?api_key={SECRETS[2]}")
    closed.close()
    try:
        bodies = serve_pages(server, 3)
        urls = {"alpha": server.url(f"/alpha?token={SECRETS[1]}"), "gone": gone}
        server.route(f"/alpha?token={SECRETS[1]}", body=bodies["alpha"], headers={"content-type": "text/plain"})
        text = config_text(protected.url, urls).replace("[redis]", '[redis]\npassword_env = "TEST_REDIS_PASSWORD"')
        (tmp_path / "ingester.toml").write_text(text)
        process = _start_daemon(tmp_path, {"TEST_REDIS_PASSWORD": SECRETS[0]})
        try:
            _wait_for_posts(protected, 3)
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == 0, stderr[-2000:]
        log_lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
        assert any(line.get("event") == "daemon stopped" for line in log_lines)
        assert any(line.get("source") == "gone" for line in log_lines)
        for secret in SECRETS:
            assert secret not in stderr
    finally:
        protected.close()


def test_a_second_signal_exits_at_once(server: Server, redis_url: str, tmp_path: Path) -> None:
    server.route("/hang", hang=True)
    text = config_text(redis_url, {"stuck": server.url("/hang")}, grace="60s", total_timeout="60s")
    (tmp_path / "ingester.toml").write_text(text.replace('read_timeout = "5s"', 'read_timeout = "60s"'))
    process = _start_daemon(tmp_path, {})
    try:
        _wait(lambda: len(server.seen("/hang")) >= 1)
        process.send_signal(signal.SIGTERM)
        _wait(lambda: "stopping: draining" in _peek(process))
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 128 + signal.SIGINT


def _start_daemon(tmp_path: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    log_path = tmp_path / "daemon.log"
    command = [sys.executable, "-m", "ingester", "--log-format", "json", "run", "--config", "ingester.toml"]
    environment = {key: value for key, value in os.environ.items() if key != "INGESTER_REDIS_URL"}
    environment |= env | {"INGESTER_DATA_DIR": str(tmp_path / "data")}
    return subprocess.Popen(
        command, cwd=tmp_path, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) if not log_path.exists() else subprocess.Popen(command)  # the branch keeps mypy's Popen[str] type


def _peek(process: subprocess.Popen[str]) -> str:
    assert process.stderr is not None
    os.set_blocking(process.stderr.fileno(), False)
    chunk = process.stderr.read() or ""
    _peeked.append(chunk)
    return "".join(_peeked)


_peeked: list[str] = []


def _wait(condition: object, timeout: float = 15.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def _wait_for_posts(redis_server: RedisServer, count: int) -> None:
    client = make_client(redis_server.url.replace("unix://", f"unix://:{SECRETS[0]}@", 1))
    try:
        _wait(lambda: client.xlen("live:posts") >= count, timeout=20)
    finally:
        client.close()
