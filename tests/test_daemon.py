"""The daemon end to end: real HTTP server on 127.0.0.1, real redis-server, real adapters and publisher."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
import trio

from ingester.cli import main
from ingester.daemon import Daemon
from ingester.errors import ConfigError
from ingester.feedback import ReportBoard, ReportingProcessor
from ingester.night import NightWriter, read_night
from ingester.replay import replay_night
from ingester.store import make_client
from ingester.types import Fetched, SourceConfig
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


def serve_pages(server: Server, count: int) -> dict[str, bytes]:
    bodies = {name: page(name, count) for name in NAMES}
    for name, body in bodies.items():
        server.route(f"/{name}", body=body, headers={"content-type": "text/plain; charset=utf-8"})
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
        await _run_for_two_polls(server, make_daemon(config, redis_url))
    client = make_client(redis_url)
    posts = stream_events(client, "live:posts")
    assert sorted(event.post_id for event in posts if event.source == "alpha") == sorted(post_ids(bodies["alpha"]))
    client.close()


async def _run_for_two_polls(server: Server, daemon: Daemon) -> None:
    codes: list[int] = []
    served = len(server.answered("/alpha"))
    async with trio.open_nursery() as nursery:
        await start(nursery, daemon, codes)
        await wait_for(lambda: len(server.answered("/alpha")) >= served + 2 and daemon.board.waiting() == 0)
        daemon.request_stop()
    assert codes == [0]


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
        body = page("alpha", 3)
        path = f"/alpha?token={SECRETS[1]}"
        server.route(path, body=body, headers={"content-type": "text/plain"})
        text = config_text(protected.url, {"alpha": server.url(path), "gone": gone})
        text = text.replace("[redis]", '[redis]\npassword_env = "TEST_REDIS_PASSWORD"')
        (tmp_path / "ingester.toml").write_text(text)
        process, log_path = _start_daemon(tmp_path, {"TEST_REDIS_PASSWORD": SECRETS[0]})
        try:
            _wait_for_posts(protected.socket, len(post_ids(body)))
            _wait(lambda: '"source": "gone"' in log_path.read_text())
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        finally:
            _stop(process)
        log = log_path.read_text()
        assert process.returncode == 0, log[-2000:]
        lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
        assert any(line.get("event") == "daemon stopped" for line in lines)
        assert any(line.get("source") == "gone" and line.get("url") for line in lines)
        for secret in SECRETS:
            assert secret not in log
    finally:
        protected.close()


def test_a_second_signal_exits_at_once(server: Server, redis_url: str, tmp_path: Path) -> None:
    server.route("/hang", hang=True)
    text = config_text(redis_url, {"stuck": server.url("/hang")}, grace="60s", total_timeout="60s")
    (tmp_path / "ingester.toml").write_text(text.replace('read_timeout = "5s"', 'read_timeout = "60s"'))
    process, log_path = _start_daemon(tmp_path, {})
    try:
        _wait(lambda: len(server.seen("/hang")) >= 1)
        process.send_signal(signal.SIGTERM)
        _wait(lambda: "stopping: draining" in log_path.read_text())
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    finally:
        _stop(process)
    assert process.returncode == 128 + signal.SIGINT


def _start_daemon(tmp_path: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], Path]:
    log_path = tmp_path / "daemon.log"
    command = [sys.executable, "-m", "ingester", "--log-format", "json", "run", "--config", "ingester.toml"]
    environment = {key: value for key, value in os.environ.items() if key != "INGESTER_REDIS_URL"}
    environment |= env | {"INGESTER_DATA_DIR": str(tmp_path / "data")}
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=tmp_path, env=environment, stdout=subprocess.DEVNULL, stderr=log)
    return process, log_path


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


def _wait(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def _wait_for_posts(socket: Path, count: int) -> None:
    client = redis.Redis(unix_socket_path=str(socket), password=SECRETS[0], socket_timeout=5)
    try:
        _wait(lambda: client.xlen("live:posts") >= count, timeout=20)
    finally:
        client.close()


def test_a_304_and_an_unchanged_body_cost_no_parsing() -> None:
    board = ReportBoard()
    config = SourceConfig(name="alpha", url="http://x/alpha", kind="text", election="parl.2024-07-04")
    processor = ReportingProcessor({"alpha": config}, {}, board)
    body = page("alpha", 3)
    moments = [datetime(2024, 7, 5, 0, minute, tzinfo=UTC) for minute in range(4)]
    fetches = [
        Fetched(source="alpha", url=config.url, fetched_at=moments[0], status=200, body=body),
        Fetched(source="alpha", url=config.url, fetched_at=moments[1], status=304),
        Fetched(source="alpha", url=config.url, fetched_at=moments[2], status=200, body=body),
        Fetched(source="alpha", url=config.url, fetched_at=moments[3], status=200, body=page("alpha", 4)),
    ]
    reports = []
    for fetched in fetches:
        slot = board.expect(fetched)
        processor.process(fetched)
        assert slot.done.is_set()
        reports.append(slot.report)
    assert [report.parsed for report in reports] == [True, False, False, True]
    assert processor.skipped == 2
    assert (reports[0].posts, reports[0].created, reports[0].moved_on) == (3, 3, True)
    assert (reports[3].posts, reports[3].created, reports[3].moved_on) == (4, 1, False)


@trio_test
async def test_a_taken_metrics_port_is_a_one_line_config_error(redis_url: str, tmp_path: Path) -> None:
    taken = trio.socket.socket()
    await taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    text = config_text(redis_url, {"alpha": "http://127.0.0.1:9/alpha"}).replace("127.0.0.1:0", f"127.0.0.1:{port}")
    daemon = make_daemon(daemon_config(tmp_path, text), redis_url)
    with pytest.raises(ConfigError, match=f"metrics.listen: cannot listen on 127.0.0.1:{port}"):
        await daemon.run()
    taken.close()


def test_run_without_the_password_variable_fails_with_one_line(
    redis_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = config_text(None, {"alpha": "http://127.0.0.1:9/alpha"})
    (tmp_path / "ingester.toml").write_text(text.replace("[redis]", '[redis]\npassword_env = "INGESTER_TEST_UNSET"'))
    assert main(["--redis", redis_url, "run", "--config", str(tmp_path / "ingester.toml")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "redis.password_env: the environment variable INGESTER_TEST_UNSET" in err
