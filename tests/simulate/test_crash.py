"""Proof 3 on short nights: SIGKILL the daemon 20 times, restart Redis under it, take Redis away.

Each night's streams must end equal, event id for event id, to those of an uninterrupted run of the
same night (``reference_for``: every state of every page read once by the same pipeline): no event
missing and none twice. Every version of every post stays up at least 10 wall seconds (``min_gap``),
much longer than a kill and a restart take (each life polls every source before it is killed), so an
uninterrupted poller would see them all too.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from ingester.simulate.harness import (
    Daemon,
    NightSpec,
    Simulator,
    differences,
    live_streams,
    published,
    reference_for,
)
from tests.conftest import RedisServer
from tests.simulate.support import night_spec

CRASH_NIGHT = night_spec(speed=150.0, min_gap=1500.0)
OUTAGE_NIGHT = night_spec(speed=400.0, min_gap=1600.0)
KILLS = 20


def _equal_to_uninterrupted(redis_url: str, prefix: str, spec: NightSpec, simulator: Simulator) -> None:
    found = differences(live_streams(published(redis_url, prefix)), reference_for(spec, simulator.ready.url))
    assert found == {"posts": (0, 0, 0), "events": (0, 0, 0)}, "(missing, extra, repeated) per stream"


def test_a_daemon_killed_20_times_ends_as_if_never_killed(redis_server: RedisServer, tmp_path: Path) -> None:
    simulator = Simulator(tmp_path, CRASH_NIGHT, "--linger", "40")
    rng = random.Random(20240705)
    try:
        for n in range(KILLS):
            daemon = Daemon(tmp_path, simulator.config, redis_server.url, "crash", name=f"daemon-{n}")
            daemon.wait_started()
            # a random moment once every source has been polled once (within an interval of starting)
            time.sleep(rng.uniform(1.1, 2.4))
            assert daemon.alive(), daemon.log_path.read_text()[-2000:]
            daemon.kill()
        last = Daemon(tmp_path, simulator.config, redis_server.url, "crash", name="daemon-last")
        time.sleep(max(0.0, simulator.ready.wall_end - time.time()) + 3.0)
        assert last.stop() == 0
    finally:
        simulator.close()
    _equal_to_uninterrupted(redis_server.url, "crash", CRASH_NIGHT, simulator)


def test_redis_restarted_then_down_for_a_while_loses_nothing(redis_server: RedisServer, tmp_path: Path) -> None:
    simulator = Simulator(tmp_path, OUTAGE_NIGHT)
    ready = simulator.ready
    try:
        daemon = Daemon(tmp_path, simulator.config, redis_server.url, "outage")
        span = ready.wall_end - ready.wall_start
        time.sleep(max(0.0, ready.wall_start + 0.3 * span - time.time()))
        redis_server.stop()  # a clean restart: SHUTDOWN flushes the AOF
        redis_server.start()
        time.sleep(max(0.0, ready.wall_start + 0.5 * span - time.time()))
        redis_server.kill()  # a crash, then an outage of 3 wall seconds: 1,200 s of this night, well over 60
        time.sleep(max(3.0, 60.0 / OUTAGE_NIGHT.speed))
        redis_server.start()
        simulator.wait()
        assert daemon.alive(), daemon.log_path.read_text()[-2000:]
        assert daemon.stop() == 0
    finally:
        simulator.close()
    _equal_to_uninterrupted(redis_server.url, "outage", OUTAGE_NIGHT, simulator)
