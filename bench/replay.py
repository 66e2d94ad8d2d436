"""Benchmark: replay throughput in snapshots/s, against the bare parse of the same pages as the floor.

    .venv/bin/python bench/replay.py [--quick] [--fetches N]

Builds a busy night with the library writer (a live blog that gains a post on every fetch and edits
an earlier one every third fetch; the page shows the newest 60 posts, about 40 KB), starts its own
embedded redis-server, and times:

- replay: ``replay_night`` into a flushed Redis (adapter → differ → classifier → publisher, every
  event through the atomic script), after the night has been read;
- floor: selectolax's parse of each snapshot's HTML plus a select of its JSON-LD script blocks, the
  least work that reads the same pages.

Prints one line of JSON last: ``{"snapshots_per_s": ..., "floor_snapshots_per_s": ..., "replay_ratio": ...}``
where ``replay_ratio`` is replay time over floor time (how many bare parses one replayed snapshot costs).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import trio
from selectolax.lexbor import LexborHTMLParser

from ingester.night import Night, read_night
from ingester.redis_embedded import EmbeddedRedis
from ingester.replay import replay_night
from ingester.samples.busy import write_busy_night
from ingester.store import make_client


def floor_run(night: Night) -> float:
    started = time.perf_counter()
    for fetched in night.fetches:
        tree = LexborHTMLParser(fetched.body)
        tree.css('script[type="application/ld+json"]')
    return time.perf_counter() - started


def replay_run(night: Night, url: str) -> tuple[float, int]:
    make_client(url).flushdb()
    started = time.perf_counter()
    stats = trio.run(lambda: replay_night(night, url))
    return time.perf_counter() - started, stats.events_new


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smaller night, one trial (well under 60 s)")
    parser.add_argument("--fetches", type=int, default=None, help="snapshots in the night (default 1000; quick 300)")
    parser.add_argument("--trials", type=int, default=None, help="best of K (default 3; quick 1)")
    args = parser.parse_args(argv)
    fetches = args.fetches or (300 if args.quick else 1000)
    trials = args.trials or (1 if args.quick else 3)
    with tempfile.TemporaryDirectory(prefix="bench-replay-") as scratch:
        night_path = write_busy_night(Path(scratch) / "busy.warc.gz", count=fetches)
        night = read_night(night_path)
        server = EmbeddedRedis(Path(scratch) / "data")
        url = server.ensure_running()
        try:
            floor = min(floor_run(night) for _ in range(trials))
            runs = [replay_run(night, url) for _ in range(trials)]
        finally:
            server.stop()
    best, events = min(runs)
    figures = {
        "snapshots": fetches,
        "events": events,
        "snapshots_per_s": round(fetches / best, 1),
        "events_per_s": round(events / best, 1),
        "floor_snapshots_per_s": round(fetches / floor, 1),
        "replay_ratio": round(best / floor, 2),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
