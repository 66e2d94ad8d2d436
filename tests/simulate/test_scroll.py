"""Proof 1's hardest case: posts that scroll off page 1 of a paginated stream between two polls.

A BBC stream (20 posts a page) gains 30 posts at one instant, between two polls of the daemon: page 1
then holds only new posts, so the poller must read page 2 in the same cycle to find the other ten.
The simulator runs in this process (its own trio loop, in a thread), the daemon as a child process.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import trio

from ingester.simulate.app import RunOptions, run_simulation
from ingester.simulate.clock import VirtualClock
from ingester.simulate.faults import FaultPlan
from ingester.simulate.harness import Daemon, published
from ingester.simulate.measure import detection_latency, post_changes
from ingester.simulate.model import Blog, Night, SimPost, Version
from ingester.simulate.shapes import get_shape
from ingester.simulate.site import GeneratedSite, Site
from ingester.simulate.truth import TruthLine, generated_truth, read_truth
from tests.conftest import RedisServer

START = datetime(2024, 7, 5, 3, 0, tzinfo=UTC)
SPEED = 120.0  # two minutes of the night per wall second


def post(number: int, minute: float) -> SimPost:
    version = Version(
        at=START + timedelta(minutes=minute),
        headline=f"Update {number} from the count",
        paragraphs=(f"Counting goes on in hall {number}.",),
    )
    return SimPost(id=f"p{number:03d}", author="Newsdesk", versions=(version,))


def stream_night() -> Night:
    posts = [post(n, 2 + n / 10) for n in range(5)]  # before the burst
    # 30 within 30 ms of the night (a quarter of a millisecond on the wall): a page and a half between two polls
    posts += [post(n, 8 + n / 60_000) for n in range(5, 35)]
    posts += [post(n, 11 + n / 10) for n in range(35, 40)]
    shape = get_shape("bbc-live")
    blog = Blog(
        name="stream", shape="bbc-live", path=shape.path_for("stream", "/stream"), title="Results live",
        posts=tuple(posts), election="parl.2024-07-04",
    )  # fmt: skip
    return Night(start=START, end=START + timedelta(minutes=18), blogs=(blog,))


def test_posts_that_scroll_off_page_one_between_polls_are_all_published(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    night = stream_night()

    def make_site(base_url: str) -> tuple[Site, list[TruthLine], datetime]:
        site = GeneratedSite(night, VirtualClock(START, SPEED, lead_in=2.0), FaultPlan([], START), base_url)
        return site, list(generated_truth(site)), night.end

    options = RunOptions(truth=tmp_path / "truth.jsonl", config_out=tmp_path / "sim.toml", interval=1.0, linger=3.0)
    started = threading.Event()
    failures: list[BaseException] = []

    def serve() -> None:
        try:
            trio.run(lambda: run_simulation(make_site, options, on_ready=lambda _: started.set()))
        except BaseException as err:  # reported by the test below
            failures.append(err)
            started.set()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(20) and not failures, failures
    daemon = Daemon(tmp_path, options.config_out or tmp_path, redis_server.url, "scroll")
    thread.join(timeout=60)
    assert not thread.is_alive() and not failures, failures
    assert daemon.alive(), daemon.log_tail()
    assert daemon.stop() == 0
    truth, items = read_truth(tmp_path / "truth.jsonl"), published(redis_server.url, "scroll")
    assert sum(1 for line in truth.lines if line.action == "created") == 40
    latency = detection_latency(truth, items, interval=1.0, visible_for=2.0)
    assert (latency.missed, latency.measured) == ([], 40)
    changes = post_changes(truth, items, visible_for=2.0)
    assert (changes.missing, changes.spurious) == ({}, [])
    assert b"pageNumber=2" in daemon.log_path.read_bytes()  # the burst was read across two pages
