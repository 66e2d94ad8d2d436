"""Proofs 1 and 2 on a short night: the daemon against the simulator, then Redis against the truth.

1. Every post that appeared on the server reached Redis (its ``post`` event), every edit and removal
   too; the latency itself is bench/night.py's to report, never asserted here.
2. The streams hold exactly the events an uninterrupted run reads from every state of every page (no
   event missing, none twice), and no fact the night stated was published twice.
"""

from __future__ import annotations

from pathlib import Path

from ingester.simulate.harness import differences, live_streams, reference_for, run_night
from ingester.simulate.measure import completeness, detection_latency, duplicate_ids, post_changes
from ingester.simulate.model import MEASURED_KINDS
from tests.conftest import RedisServer
from tests.simulate.support import night_spec

VISIBLE_FOR = 2.0  # wall seconds: twice the poll interval


def test_a_night_is_published_whole_and_exactly_once(redis_server: RedisServer, tmp_path: Path) -> None:
    spec = night_spec()
    run = run_night(tmp_path, spec, redis_server.url, "night")
    assert (run.alive, run.exit_code) == (True, 0), (tmp_path / "daemon.log").read_text()[-2000:]
    truth, items, simulator = run.truth, run.items, run.simulator

    latency = detection_latency(truth, items, interval=spec.interval, visible_for=VISIBLE_FOR)
    assert latency.missed == []
    assert latency.measured == latency.posts > 100
    changes = post_changes(truth, items, visible_for=VISIBLE_FOR)
    assert (changes.missing, changes.spurious) == ({}, [])

    assert set(differences(live_streams(items), reference_for(spec, simulator.ready.url)).values()) == {(0, 0, 0)}
    assert set(duplicate_ids(redis_server.client(), "night").values()) == {0}
    scores = completeness(truth, items, visible_for=VISIBLE_FOR)
    for kind in MEASURED_KINDS:
        assert scores[kind].stated > 0, kind
        assert scores[kind].duplicates == 0, kind
