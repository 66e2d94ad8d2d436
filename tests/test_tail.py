"""``tail`` against a real redis-server: plain reads, consumer groups, acknowledgement, XAUTOCLAIM."""

from __future__ import annotations

import trio

from ingester import events
from ingester.night import read_night
from ingester.replay import replay_night
from ingester.samples.night import DERBYSHIRE_NIGHT
from ingester.tail import TailOptions, stream_for, summarise, tail
from tests.conftest import RedisServer
from tests.nights import entries


def replayed(redis_server: RedisServer) -> int:
    trio.run(lambda: replay_night(read_night(DERBYSHIRE_NIGHT), redis_server.url))
    return int(redis_server.client().xlen("ingester:posts"))


def test_plain_tail_from_start_reads_everything_in_order(redis_server: RedisServer) -> None:
    total = replayed(redis_server)
    client = redis_server.client()
    seen: list[bytes] = []
    options = TailOptions(stream=stream_for("ingester", "post"), from_start=True, once=True, batch=7)
    assert tail(client, options, seen.append) == total
    assert seen == [fields[b"data"] for _, fields in entries(client, "ingester:posts")]


def test_plain_tail_without_from_start_skips_history(redis_server: RedisServer) -> None:
    replayed(redis_server)
    options = TailOptions(stream=stream_for("ingester", "post"), once=True)
    assert tail(redis_server.client(), options, lambda _: None) == 0


def test_group_acknowledges_and_claims_what_a_dead_consumer_left(redis_server: RedisServer) -> None:
    total = replayed(redis_server)
    client = redis_server.client()
    stream = stream_for("ingester", "post")
    client.xgroup_create(stream, "graphics", id="0")
    # a consumer that read five entries and died before acknowledging them
    client.xreadgroup("graphics", "dead", {stream: ">"}, count=5)
    seen: list[bytes] = []
    options = TailOptions(stream=stream, group="graphics", consumer="live", once=True, claim_idle_ms=0)
    assert tail(client, options, seen.append) == total
    assert len(set(seen)) == total
    assert client.xpending(stream, "graphics")["pending"] == 0
    assert tail(client, options, seen.append) == 0


def test_group_consumer_rereads_its_own_unacknowledged_entries(redis_server: RedisServer) -> None:
    total = replayed(redis_server)
    client = redis_server.client()
    stream = stream_for("ingester", "post")
    client.xgroup_create(stream, "alerts", id="0")
    client.xreadgroup("alerts", "me", {stream: ">"}, count=3)  # printed, then crashed before XACK
    options = TailOptions(stream=stream, group="alerts", consumer="me", once=True, claim_idle_ms=3_600_000)
    assert tail(client, options, lambda _: None) == total


def test_summary_lines_are_readable() -> None:
    for line in (events.encode(e) for e in _golden()):
        text = summarise(line)
        assert text and "\n" not in text
    assert summarise(b"not json") == "not json"


def _golden() -> list[events.Event]:
    from tests.test_events import GOLDEN

    return [events.decode(line) for line in GOLDEN.read_bytes().splitlines()]
