"""Proof 5 on a short night: every fault at once, each on its own source, for a window of the night.

The daemon keeps running; each faulty source is answered again after its window (so it recovered) and
everything that appeared on it was published (nothing lost); a source told to wait (503 or 429 with
Retry-After) asked less often than a healthy one; the healthy sources published exactly what an
uninterrupted run reads. Latency under faults is bench/night.py's to report.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import msgspec

from ingester.simulate.faults import Fault, matches
from ingester.simulate.harness import differences, live_streams, reference_for, run_night
from ingester.simulate.measure import duplicate_ids, post_changes
from ingester.simulate.plan import plan_night
from tests.conftest import RedisServer
from tests.simulate.support import night_spec, seats

SPEED = 400.0
WINDOW = ("50m", "1h40m")  # of the night: 50 virtual minutes, 7.5 s on the wall


def _faults(seat_pages: list[str]) -> tuple[Fault, ...]:
    begin, end = WINDOW
    on = {
        "503": "local-01-*", "slow": "local-02-*", "truncate": "local-03-*", "stale": "local-04-*",
        "layout": "local-05-*", "reset": "wire", "charset": "bbc-uk", "sister": "sister-01",
        "500": seat_pages[0], "429": seat_pages[1], "hang": seat_pages[2],
    }  # fmt: skip
    return tuple(
        Fault(kind=kind, sources=(source,), start=begin, end=end, retry_after=3, lag="30m", hang=30.0)  # type: ignore[arg-type]
        for kind, source in on.items()
    )


class Request(msgspec.Struct, frozen=True):
    wall: float
    source: str | None
    status: int
    delivery: str


def _requests(log: Path) -> list[Request]:
    return [msgspec.json.decode(line, type=Request) for line in log.read_bytes().splitlines() if line.strip()]


def test_every_fault_at_once_loses_nothing_and_every_source_recovers(redis_server: RedisServer, tmp_path: Path) -> None:
    base = night_spec(blogs=7, speed=SPEED)
    night = plan_night(seats(), base.plan())
    seat_pages = [blog.name for blog in night.blogs if blog.seat is not None]
    spec = night_spec(blogs=7, speed=SPEED, faults=_faults(seat_pages))
    run = run_night(tmp_path, spec, redis_server.url, "hostile", "--linger", "10")
    assert (run.alive, run.exit_code) == (True, 0), (tmp_path / "daemon.log").read_text()[-2000:]
    truth, items, simulator = run.truth, run.items, run.simulator
    ready = simulator.ready
    start_wall = ready.wall_start + 50 * 60 / SPEED
    end_wall = ready.wall_start + 100 * 60 / SPEED
    requests = _requests(simulator.access_log)

    # nothing lost: every appearance, edit and removal of the night reached Redis, none twice
    changes = post_changes(truth, items, visible_for=2.0)
    assert (changes.missing, changes.spurious) == ({}, [])
    assert set(duplicate_ids(redis_server.client(), "hostile").values()) == {0}
    # every faulty source answered normally again after its window
    faulty = {s.name for s in truth.header.sources if any(matches(f, s.name) for f in spec.faults)}
    recovered = {r.source for r in requests if r.wall > end_wall and r.status in (200, 304)}
    assert faulty <= recovered
    # told to wait, the source asked less often than the healthy ones did in the same window
    healthy = set(seat_pages[3:])
    in_window = [r for r in requests if start_wall <= r.wall < end_wall]
    counts = {name: sum(1 for r in in_window if r.source == name) for name in healthy | faulty}
    typical = statistics.median(counts[name] for name in healthy)
    for kind in ("503", "429"):
        fault = next(f for f in spec.faults if f.kind == kind)
        name = next(n for n in faulty if matches(fault, n))
        assert counts[name] < typical, (kind, counts[name], typical)
    # the healthy sources published exactly what an uninterrupted run reads
    expected = reference_for(spec, ready.url, healthy)
    assert set(differences(live_streams(items, healthy), expected).values()) == {(0, 0, 0)}
