"""Benchmark: the publisher's events/s end to end against a plain pipelined-XADD floor, same server.

    .venv/bin/python bench/publish.py [--quick] [--events N] [--trials K]

Starts its own embedded redis-server (AOF on, appendfsync everysec) in a temporary directory.

- publisher: units of 5 typed events (~500 bytes of JSON each) and one post state go through a bounded
  trio channel into ``RedisPublisher.run`` (batches of 100 events): per event a dedupe SET NX EX and
  two XADDs (firehose + per-kind stream) inside the Lua script, plus the state and cursor HSETs.
- floor: the same events, encoded the same way, written with redis-py pipelines of 100 events, each
  event XADDed to the same two streams (no dedupe, no state): the least work that appends them.

Trials alternate floor / publisher on a flushed database; the best of each is compared. Prints one
line of JSON last: ``{"publish_ratio": ..., "events_per_s": ..., "xadd_events_per_s": ...}``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import redis
import trio

from ingester.events import Constituency, Event, Flash, Party, encode, event_id, kind_of
from ingester.publish import RedisPublisher
from ingester.redis_embedded import EmbeddedRedis
from ingester.store import keys_for, make_client
from ingester.types import PostState, PublishUnit

EVENTS_PER_UNIT = 5
FLOOR_BATCH = 100
T0 = datetime(2024, 7, 5, 0, 3, tzinfo=UTC)
TEXT = "Labour gain Mid Derbyshire"


def make_units(count: int) -> list[PublishUnit]:
    """``count`` events in units of EVENTS_PER_UNIT, one fetch (and cursor step) each."""
    units = []
    for number in range(0, count, EVENTS_PER_UNIT):
        post_id = f"post-{number}"
        size = min(EVENTS_PER_UNIT, count - number)
        events = tuple(flash_event(post_id, ordinal) for ordinal in range(size))
        state = PostState(content_hash=f"hash-{number}", revision=0, published_at=T0)
        cursor = T0 + timedelta(milliseconds=number)
        units.append(PublishUnit(source="bench", cursor=cursor, events=events, states=((post_id, state),)))
    return units


def flash_event(post_id: str, ordinal: int) -> Flash:
    return Flash(
        event_id=event_id("bench", post_id, 0, "flash", ordinal),
        source="bench",
        post_id=post_id,
        revision=0,
        published_at=T0,
        observed_at=T0,
        url=f"https://www.example.co.uk/live#{post_id}",
        election="parl.2024-07-04",
        test=True,
        text=TEXT,
        constituency=Constituency(name="Mid Derbyshire", code="E14001368", ballot="parl.mid-derbyshire.2024-07-04"),
        winner=Party(code="LAB", name="Labour"),
        outcome="gain",
        gained_from=Party(code="CON", name="Conservative"),
        candidate="Jonathan Davies",
        defeated=None,
    )


def floor_run(client: redis.Redis, prefix: str, events: Sequence[Event]) -> float:
    """Seconds to XADD every event to the firehose and its kind stream, pipelined 100 events at a time."""
    keys = keys_for(prefix)
    started = time.perf_counter()
    for start in range(0, len(events), FLOOR_BATCH):
        pipe = client.pipeline(transaction=False)
        for event in events[start : start + FLOOR_BATCH]:
            kind = kind_of(event)
            fields = {"type": kind, "event_id": event.event_id, "data": encode(event)}
            pipe.xadd(keys.events, fields)  # type: ignore[arg-type]
            pipe.xadd(keys.stream(kind), fields)  # type: ignore[arg-type]
        pipe.execute()
    return time.perf_counter() - started


def publisher_run(url: str, prefix: str, units: Sequence[PublishUnit]) -> float:
    """Seconds from the first send to ``RedisPublisher.run`` returning with everything written."""
    publisher = RedisPublisher(url, prefix=prefix)

    async def main() -> float:
        send, receive = trio.open_memory_channel[PublishUnit](256)
        async with trio.open_nursery() as nursery:
            await nursery.start(publisher.run, receive)
            started = time.perf_counter()
            async with send:
                for unit in units:
                    await send.send(unit)
        return time.perf_counter() - started

    elapsed = trio.run(main)
    expected = sum(len(unit.events) for unit in units)
    if publisher.events_new != expected:
        raise SystemExit(f"publisher wrote {publisher.events_new} of {expected} events")
    return elapsed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer, smaller trials (well under 60 s)")
    parser.add_argument("--events", type=int, help="events per trial (default 100000, --quick 20000)")
    parser.add_argument("--trials", type=int, help="trials of each side (default 5, --quick 3)")
    args = parser.parse_args(argv)
    count = args.events or (20_000 if args.quick else 100_000)
    trials = args.trials or (3 if args.quick else 5)
    units = make_units(count)
    events = [event for unit in units for event in unit.events]
    print(
        f"{count} events x {trials} trials; floor: encode + pipelined XADD to 2 streams, "
        f"{FLOOR_BATCH} events per round trip; publisher: RedisPublisher.run (dedupe, 2 XADDs, state)",
        file=sys.stderr,
    )

    with tempfile.TemporaryDirectory(prefix="ingester-bench-") as data_dir:
        server = EmbeddedRedis(data_dir)
        url = server.ensure_running()
        client = make_client(url, socket_timeout=30)
        try:
            floor_s, publish_s = [], []
            for trial in range(trials):
                client.flushall()
                floor_s.append(floor_run(client, f"floor{trial}", events))
                client.flushall()
                publish_s.append(publisher_run(url, f"pub{trial}", units))
                print(
                    f"trial {trial}: floor {count / floor_s[-1]:,.0f} ev/s, "
                    f"publisher {count / publish_s[-1]:,.0f} ev/s",
                    file=sys.stderr,
                )
        finally:
            client.close()
            server.stop()

    best_publish, best_floor = count / min(publish_s), count / min(floor_s)
    result = {
        "publish_ratio": round(best_publish / best_floor, 3),
        "events_per_s": round(best_publish),
        "xadd_events_per_s": round(best_floor),
        "median_ratio": round(statistics.median(floor_s) / statistics.median(publish_s), 3),
        "events": count,
        "trials": trials,
        "event_bytes": len(encode(events[0])),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
