"""A saved night served as recorded, and the ground truth derived from it."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta
from pathlib import Path

from ingester.night import read_night
from ingester.samples.night import DERBYSHIRE_NIGHT
from ingester.simulate.clock import VirtualClock
from ingester.simulate.faults import FaultPlan
from ingester.simulate.harness import ingester
from ingester.simulate.recorded import RecordedSite, local_path, recorded_truth
from ingester.simulate.truth import read_truth

BASE = "http://127.0.0.1:9"


class Wall:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_each_url_serves_what_was_recorded_at_or_before_now() -> None:
    night = read_night(DERBYSHIRE_NIGHT)
    wall = Wall()
    start = night.fetches[0].fetched_at
    clock = VirtualClock(start, 1.0, wall=wall)
    site = RecordedSite(night, clock, FaultPlan([], start), BASE)
    source = next(s for s in site.served_sources() if s.name == "derbyshire-times")
    ok = [f for f in night.fetches if f.status == 200 and f.source == source.name]
    for fetched in (ok[0], ok[len(ok) // 2], ok[-1]):
        wall.now = clock.wall_of(fetched.fetched_at + timedelta(seconds=1))
        reply = site.respond(source.path, {}, 0)
        assert (reply.status, reply.body) == (200, fetched.body)
    failed = next(f for f in night.fetches if f.error is not None)
    wall.now = clock.wall_of(failed.fetched_at)
    assert site.respond(source.path, {}, 0).delivery == "reset"
    refused = next(f for f in night.fetches if f.status == 503)
    wall.now = clock.wall_of(refused.fetched_at)
    assert site.respond(source.path, {}, 0).status == 503
    wall.now = clock.wall_of(start) - 10
    assert site.respond(source.path, {}, 0).status == 404
    assert site.respond("/elsewhere", {}, 0).status == 404
    assert local_path("https://www.example.co.uk/a/b?c=d") == "/www.example.co.uk/a/b?c=d"


def test_the_truth_of_a_saved_night_is_what_the_pipeline_reads_from_it() -> None:
    night = read_night(DERBYSHIRE_NIGHT)
    clock = VirtualClock(night.fetches[0].fetched_at, 1.0)
    lines = list(recorded_truth(night, clock, BASE))
    assert {line.action for line in lines} == {"created", "updated", "deleted"}
    assert all(line.derived for line in lines)
    assert {line.source for line in lines} == set(night.configs)
    assert {f.kind for line in lines for f in line.facts} >= {"flash", "result", "tally"}


def test_the_command_serves_a_saved_night_and_writes_its_truth(tmp_path: Path) -> None:
    truth = tmp_path / "truth.jsonl"
    command = ingester(
        "simulate", "--night", str(DERBYSHIRE_NIGHT), "--speed", "40000", "--truth", str(truth),
        "--config-out", str(tmp_path / "sim.toml"), "--lead-in", "0", "--linger", "0",
    )  # fmt: skip
    done = subprocess.run(command, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    ready = json.loads(done.stdout.splitlines()[0])
    assert ready["url"].startswith("http://127.0.0.1:")
    assert 'kind = "jsonld"' in (tmp_path / "sim.toml").read_text()
    read = read_truth(truth)
    assert "derbyshire-times" in {s.name for s in read.header.sources} and len(read.lines) > 20
