"""Replay end to end against a real redis-server: determinism, idempotence and crash safety.

The crash tests run the real console script in a child process and SIGKILL it, restart Redis under
it, or run two replays at once; the streams must end up equal, id for id and in order, to those of
an uninterrupted replay of the same night under another prefix.
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
import trio

from ingester import events
from ingester.night import read_night
from ingester.replay import replay_night
from ingester.samples.busy import write_busy_night
from ingester.samples.night import DERBYSHIRE_NIGHT, SAMPLE_NIGHTS
from tests.conftest import RedisServer
from tests.nights import ingester_command, run_ingester, stream_data, stream_ids


@pytest.fixture(scope="module")
def busy_night(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_busy_night(tmp_path_factory.mktemp("nights") / "busy.warc.gz", count=300)


@pytest.mark.parametrize("night", sorted(SAMPLE_NIGHTS), ids=lambda p: p.name)
def test_sample_night_is_built_by_the_library_writer(tmp_path: Path, night: Path) -> None:
    rebuilt = SAMPLE_NIGHTS[night](tmp_path / night.name)
    assert rebuilt.read_bytes() == night.read_bytes(), "run `python -m ingester.samples.night`"
    assert night.stat().st_size < 1_000_000


def test_replay_publishes_the_night_and_a_second_replay_appends_nothing(redis_server: RedisServer) -> None:
    night = read_night(DERBYSHIRE_NIGHT)
    first = trio.run(lambda: replay_night(night, redis_server.url))
    client = redis_server.client()
    after_first = stream_ids(client, "ingester")
    posts = [events.decode(d) for d in stream_data(client, "ingester", ":posts")]
    assert first.events_new == sum(len(ids) for name, ids in after_first.items() if name != ":events") > 0
    actions = {p.action for p in posts if isinstance(p, events.PostEvent)}
    assert actions == {"created", "updated", "deleted"}
    # event times come from the recording, never the wall clock
    recorded = {f.fetched_at for f in night.fetches}
    assert all(p.observed_at in recorded for p in posts)
    second = trio.run(lambda: replay_night(night, redis_server.url))
    assert second.events_new == 0
    assert stream_ids(client, "ingester") == after_first


def test_the_same_night_gives_byte_identical_events(redis_server: RedisServer) -> None:
    night = read_night(DERBYSHIRE_NIGHT)
    trio.run(lambda: replay_night(night, redis_server.url, prefix="one"))
    trio.run(lambda: replay_night(night, redis_server.url, prefix="two"))
    client = redis_server.client()
    assert stream_data(client, "one", ":posts") == stream_data(client, "two", ":posts")
    assert stream_data(client, "one", ":events") == stream_data(client, "two", ":events")


def test_replay_killed_at_20_random_points_ends_as_if_never_killed(redis_server: RedisServer, busy_night: Path) -> None:
    run_ingester(redis_server.url, "replay", str(busy_night), prefix="reference")
    client = redis_server.client()
    expected = stream_ids(client, "reference")
    rng = random.Random(20240705)
    for _ in range(20):
        child = subprocess.Popen(
            ingester_command(redis_server.url, "replay", str(busy_night)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.35, 1.4))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    run_ingester(redis_server.url, "replay", str(busy_night))
    assert stream_ids(client, "ingester") == expected


def wait_until_publishing(redis_server: RedisServer, timeout: float = 30.0) -> None:
    """Until the replay has connected and appended something (a loaded machine starts it slowly)."""
    client = redis_server.client()
    deadline = time.monotonic() + timeout
    while client.xlen("ingester:posts") == 0:
        assert time.monotonic() < deadline, "the replay never started publishing"
        time.sleep(0.05)


def test_redis_restarted_mid_replay_loses_and_duplicates_nothing(redis_server: RedisServer, busy_night: Path) -> None:
    run_ingester(redis_server.url, "replay", str(busy_night), prefix="reference")
    client = redis_server.client()
    expected = stream_ids(client, "reference")
    # 300 fetches 30 s apart, at 3000x: about three seconds of replay
    child = subprocess.Popen(
        ingester_command(redis_server.url, "replay", str(busy_night), "--speed", "3000"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wait_until_publishing(redis_server)
    redis_server.stop()
    time.sleep(1.0)
    redis_server.start()
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 0, stderr.decode()
    assert stream_ids(redis_server.client(), "ingester") == expected


def test_redis_killed_mid_replay_then_replayed_again_is_exact(redis_server: RedisServer, busy_night: Path) -> None:
    run_ingester(redis_server.url, "replay", str(busy_night), prefix="reference")
    expected = stream_ids(redis_server.client(), "reference")
    child = subprocess.Popen(
        ingester_command(redis_server.url, "replay", str(busy_night), "--speed", "3000"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until_publishing(redis_server)
    redis_server.kill()
    time.sleep(0.5)
    redis_server.start()
    child.wait(timeout=60)
    run_ingester(redis_server.url, "replay", str(busy_night))
    assert stream_ids(redis_server.client(), "ingester") == expected


def test_two_concurrent_replays_append_nothing_twice(redis_server: RedisServer, busy_night: Path) -> None:
    run_ingester(redis_server.url, "replay", str(busy_night), prefix="reference")
    expected = stream_ids(redis_server.client(), "reference")
    children = [
        subprocess.Popen(
            ingester_command(redis_server.url, "replay", str(busy_night)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    assert [child.wait(timeout=60) for child in children] == [0, 0]
    got = stream_ids(redis_server.client(), "ingester")
    assert {name: sorted(ids) for name, ids in got.items()} == {name: sorted(ids) for name, ids in expected.items()}
    assert all(len(ids) == len(set(ids)) for ids in got.values())
