"""The publisher against a real redis-server: exactly-once appends, state, cursors, batching, faults."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec
import pytest
import redis
import trio
import trio.testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingester.errors import ConfigError
from ingester.events import Constituency, Event, Flash, Party, PostEvent, decode, event_id
from ingester.publish import RedisPublisher
from ingester.store import format_cursor, keys_for, load_state
from ingester.types import PostState, PublishUnit
from tests.conftest import RedisServer

SOURCE = "bbc-derbyshire"
T0 = datetime(2024, 7, 5, 0, 3, tzinfo=UTC)
_post_ids = itertools.count()


def flash(post_id: str, *, revision: int = 0, seat: str = "Mid Derbyshire") -> Flash:
    return Flash(
        event_id=event_id(SOURCE, post_id, revision, "flash", 0),
        source=SOURCE,
        post_id=post_id,
        revision=revision,
        published_at=T0,
        observed_at=T0,
        url=None,
        election="parl.2024-07-04",
        test=True,
        text=f"Labour gain {seat}",
        constituency=Constituency(name=seat),
        winner=Party(code="LAB", name="Labour"),
        outcome="gain",
        gained_from=Party(code="CON", name="Conservative"),
    )


def post_event(post_id: str, *, revision: int = 0) -> PostEvent:
    return PostEvent(
        event_id=event_id(SOURCE, post_id, revision, "post", 0),
        source=SOURCE,
        post_id=post_id,
        revision=revision,
        published_at=T0,
        observed_at=T0,
        url=None,
        election=None,
        test=True,
        text="Labour gain Mid Derbyshire",
        action="created" if revision == 0 else "updated",
        headline=None,
        body="Labour gain Mid Derbyshire",
        author=None,
    )


def fetch_unit(cursor: datetime = T0, *, revision: int = 0, source: str = SOURCE) -> PublishUnit:
    """One fetch's worth: a post event, its flash, and the post's state."""
    post_id = f"p{next(_post_ids)}"
    state = PostState(content_hash=f"h{revision}", revision=revision)
    return PublishUnit(
        source=source,
        cursor=cursor,
        events=(post_event(post_id, revision=revision), flash(post_id, revision=revision)),
        states=((post_id, state),),
    )


def sized_unit(events: int) -> PublishUnit:
    post_id = f"p{next(_post_ids)}"
    return PublishUnit(source=SOURCE, cursor=T0, events=tuple(flash(post_id, revision=n) for n in range(events)))


def entries(client: redis.Redis, stream: str) -> list[dict[bytes, bytes]]:
    reply: list[tuple[bytes, dict[bytes, bytes]]] = client.xrange(stream)  # type: ignore[assignment]
    return [fields for _, fields in reply]


def ids_in(client: redis.Redis, stream: str) -> list[str]:
    return [fields[b"event_id"].decode() for fields in entries(client, stream)]


def all_ids(units: Sequence[PublishUnit]) -> list[str]:
    return [event.event_id for unit in units for event in unit.events]


def run_publisher(publisher: RedisPublisher, units: Sequence[PublishUnit], clock: trio.abc.Clock | None = None) -> None:
    """Queue every unit, close the channel, and let ``run`` drain it."""

    async def main() -> None:
        send, receive = trio.open_memory_channel[PublishUnit](len(units) + 1)
        async with send:
            for unit in units:
                send.send_nowait(unit)
        with trio.fail_after(30):
            await publisher.run(receive)

    trio.run(main, clock=clock)


def collector() -> tuple[list[list[str]], Callable[[Sequence[Event]], None]]:
    batches: list[list[str]] = []
    return batches, lambda events: batches.append([event.event_id for event in events])


def test_write_appends_each_event_once_to_its_streams(redis_server: RedisServer) -> None:
    client = redis_server.client()
    publisher = RedisPublisher(redis_server.url)
    unit = fetch_unit()
    post, typed = unit.events

    assert publisher.write([unit]) == [post, typed]
    assert publisher.write([unit]) == []  # the retry after a lost reply

    keys = keys_for("ingester")
    assert ids_in(client, keys.posts) == [post.event_id]
    assert ids_in(client, keys.events) == [typed.event_id]
    assert ids_in(client, keys.stream("flash")) == [typed.event_id]
    assert client.ttl(keys.seen(typed.event_id)) > 6 * 24 * 3600
    [fields] = entries(client, keys.events)
    assert set(fields) == {b"type", b"event_id", b"data"}
    assert fields[b"type"] == b"flash"
    assert decode(fields[b"data"]) == typed


def test_flags_mark_only_new_events_in_order(redis_server: RedisServer) -> None:
    publisher = RedisPublisher(redis_server.url)
    first, second, third = fetch_unit(), fetch_unit(), fetch_unit()
    publisher.write([second])

    new = publisher.write([first, second, third])

    assert new == [*first.events, *third.events]


def test_state_and_cursor_written_with_the_events(redis_server: RedisServer) -> None:
    client = redis_server.client()
    publisher = RedisPublisher(redis_server.url)
    unit = fetch_unit(T0 + timedelta(microseconds=7))

    publisher.write([unit])

    state = load_state(client, "ingester", SOURCE)
    assert state.cursor == unit.cursor
    assert state.posts == dict(unit.states)
    assert client.hget("ingester:cursors", SOURCE) == b"2024-07-05T00:03:00.000007Z"


def test_lagging_unit_appends_events_but_keeps_newer_state(redis_server: RedisServer) -> None:
    client = redis_server.client()
    publisher = RedisPublisher(redis_server.url)
    newer = fetch_unit(T0 + timedelta(minutes=5), revision=1)
    post_id = newer.states[0][0]
    lagging = msgspec.structs.replace(fetch_unit(T0), states=((post_id, PostState(content_hash="old", revision=0)),))

    publisher.write([newer])
    assert publisher.write([lagging]) == list(lagging.events)

    state = load_state(client, "ingester", SOURCE)
    assert state.cursor == newer.cursor
    assert state.posts[post_id] == newer.states[0][1]


def test_equal_cursor_still_applies_state(redis_server: RedisServer) -> None:
    client = redis_server.client()
    publisher = RedisPublisher(redis_server.url)
    first = fetch_unit(T0)
    post_id = first.states[0][0]
    again = PublishUnit(source=SOURCE, cursor=T0, states=((post_id, PostState(content_hash="x", revision=1)),))

    publisher.write([first, again])

    assert load_state(client, "ingester", SOURCE).posts[post_id].content_hash == "x"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cursors=st.lists(
        st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
        min_size=1,
        max_size=6,
    )
)
def test_stored_cursor_is_the_newest_published(redis_server: RedisServer, cursors: list[datetime]) -> None:
    prefix = f"prop{next(_post_ids)}"
    publisher = RedisPublisher(redis_server.url, prefix=prefix)
    publisher.write([PublishUnit(source=SOURCE, cursor=cursor) for cursor in cursors])
    stored = redis_server.client().hget(f"{prefix}:cursors", SOURCE)
    assert stored == format_cursor(max(cursors)).encode()


def test_run_batches_by_event_count_without_splitting_units(redis_server: RedisServer) -> None:
    batches, on_published = collector()
    publisher = RedisPublisher(redis_server.url, batch_max_events=5, on_published=on_published)
    units = [sized_unit(n) for n in (2, 2, 2, 6, 1)]

    run_publisher(publisher, units)

    sizes = [len(batch) for batch in batches]
    assert sizes == [4, 2, 6, 1]
    assert [event_id for batch in batches for event_id in batch] == all_ids(units)
    assert (publisher.batches, publisher.events_new, publisher.events_duplicate) == (4, 13, 0)


def test_run_flushes_a_partial_batch_after_the_time_limit(redis_server: RedisServer) -> None:
    batches, on_published = collector()
    publisher = RedisPublisher(redis_server.url, batch_max_ms=20, on_published=on_published)
    early, late = [sized_unit(1) for _ in range(3)], [sized_unit(1) for _ in range(2)]

    async def main() -> None:
        send, receive = trio.open_memory_channel[PublishUnit](10)
        async with trio.open_nursery() as nursery:
            await nursery.start(publisher.run, receive)
            async with send:
                for unit in early:
                    await send.send(unit)
                await trio.sleep(1)  # far beyond 20 ms: the first three must have gone alone
                for unit in late:
                    await send.send(unit)

    trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))

    assert batches == [all_ids(early), all_ids(late)]


def test_a_lost_reply_is_retried_without_duplicates(redis_server: RedisServer) -> None:
    client = redis_server.client()
    units = [fetch_unit() for _ in range(4)]
    RedisPublisher(redis_server.url).write(units)  # the script ran; its reply never came back

    publisher = RedisPublisher(redis_server.url)
    run_publisher(publisher, units)

    assert (publisher.events_new, publisher.events_duplicate) == (0, 8)
    assert ids_in(client, "ingester:events") == [unit.events[1].event_id for unit in units]
    assert ids_in(client, "ingester:posts") == [unit.events[0].event_id for unit in units]


@pytest.mark.parametrize("outage", ["stop", "kill"])
def test_redis_outage_mid_run_loses_and_repeats_nothing(redis_server: RedisServer, outage: str) -> None:
    units = [fetch_unit(T0 + timedelta(seconds=n)) for n in range(10)]
    publisher = RedisPublisher(redis_server.url, retry_initial=0.01, retry_max=0.05, socket_timeout=2)

    async def wait_for(condition: Callable[[], bool]) -> None:
        while not condition():
            await trio.sleep(0.01)

    async def main() -> None:
        send, receive = trio.open_memory_channel[PublishUnit](100)
        with trio.fail_after(30):
            await publish_through_outage(send, receive)

    async def publish_through_outage(
        send: trio.MemorySendChannel[PublishUnit], receive: trio.MemoryReceiveChannel[PublishUnit]
    ) -> None:
        async with trio.open_nursery() as nursery:
            await nursery.start(publisher.run, receive)
            async with send:
                for unit in units[:5]:
                    await send.send(unit)
                await wait_for(lambda: publisher.events_new == 10)
                await trio.to_thread.run_sync(getattr(redis_server, outage))
                for unit in units[5:]:
                    await send.send(unit)
                await wait_for(lambda: publisher.retries >= 3)
                await trio.to_thread.run_sync(redis_server.start)

    trio.run(main)

    client = redis_server.client()
    assert ids_in(client, "ingester:posts") == [unit.events[0].event_id for unit in units]
    assert ids_in(client, "ingester:events:flash") == [unit.events[1].event_id for unit in units]
    assert load_state(client, "ingester", SOURCE).cursor == units[-1].cursor
    assert publisher.events_new == 20


def test_out_of_memory_is_retried_until_memory_frees(redis_server: RedisServer) -> None:
    client = redis_server.client()
    client.config_set("maxmemory", 1)
    publisher = RedisPublisher(redis_server.url, retry_initial=0.01, retry_max=0.02)
    units = [fetch_unit()]

    async def main() -> None:
        send, receive = trio.open_memory_channel[PublishUnit](1)
        with trio.fail_after(20):
            async with trio.open_nursery() as nursery:
                await nursery.start(publisher.run, receive)
                async with send:
                    await send.send(units[0])
                    while publisher.retries < 2:
                        await trio.sleep(0.01)
                    await trio.to_thread.run_sync(client.config_set, "maxmemory", 0)

    trio.run(main)
    assert ids_in(client, "ingester:posts") == [units[0].events[0].event_id]


def test_a_script_error_propagates_as_a_bug(redis_server: RedisServer) -> None:
    redis_server.client().set("ingester:posts", "not a stream")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        run_publisher(RedisPublisher(redis_server.url), [fetch_unit()])


def test_hash_tag_prefix_keeps_every_key_in_the_tag(redis_server: RedisServer) -> None:
    client = redis_server.client()
    publisher = RedisPublisher(redis_server.url, prefix="{ingester}")
    publisher.write([fetch_unit()])
    keys = {key.decode() if isinstance(key, bytes) else key for key in client.keys("*")}
    assert keys and all(key.startswith("{ingester}:") for key in keys)
    assert {"{ingester}:events", "{ingester}:events:flash", "{ingester}:posts", "{ingester}:cursors"} <= keys


def test_cluster_needs_a_hash_tag_and_works_with_one(tmp_path: Path) -> None:
    server = RedisServer(tmp_path, extra_config="cluster-enabled yes\n")
    try:
        server.start()
        client = server.client()
        client.cluster("ADDSLOTS", *range(16384))
        with pytest.raises(ConfigError, match=r"\{ingester\}"):
            run_publisher(RedisPublisher(server.url), [])
        # The fresh one-node cluster says CLUSTERDOWN for a moment: the publisher waits it out.
        publisher = RedisPublisher(server.url, prefix="{ingester}", retry_initial=0.1, retry_max=0.5)
        unit = fetch_unit()
        run_publisher(publisher, [unit])
        assert ids_in(client, "{ingester}:posts") == [unit.events[0].event_id]
    finally:
        server.close()


def test_a_redis_without_info_is_taken_for_a_single_server(tmp_path: Path) -> None:
    server = RedisServer(tmp_path, extra_config='rename-command INFO ""\n')
    try:
        server.start()
        unit = fetch_unit()
        run_publisher(RedisPublisher(server.url), [unit])
        assert ids_in(server.client(), "ingester:posts") == [unit.events[0].event_id]
    finally:
        server.close()


def test_wrong_password_is_a_config_error(tmp_path: Path) -> None:
    server = RedisServer(tmp_path, extra_config="requirepass sesame\n")
    try:
        server.start()
        url = f"unix://:not-sesame-42@{server.socket}"
        with pytest.raises(ConfigError, match="credentials") as caught:
            run_publisher(RedisPublisher(url), [])
        assert "not-sesame-42" not in str(caught.value)
    finally:
        server.close()


def test_maxlen_trims_only_when_configured(redis_server: RedisServer) -> None:
    client = redis_server.client()
    units = [sized_unit(50) for _ in range(6)]
    RedisPublisher(redis_server.url, maxlen=10).write(units)
    assert client.xlen("ingester:events") < 300
    RedisPublisher(redis_server.url, prefix="untrimmed").write(units)
    assert client.xlen("untrimmed:events") == 300


@pytest.mark.parametrize(
    "settings_",
    [
        {"batch_max_events": 0},
        {"batch_max_ms": -1},
        {"dedupe_ttl": 0},
        {"retry_initial": 0},
        {"retry_initial": 3, "retry_max": 2},
        {"maxlen": 0},
        {"prefix": ""},
    ],
)
def test_bad_settings_are_config_errors(settings_: dict[str, int | str]) -> None:
    with pytest.raises(ConfigError):
        RedisPublisher("redis://127.0.0.1:1/0", **settings_)  # type: ignore[arg-type]


def test_bad_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="redis://"):
        RedisPublisher("http://127.0.0.1:6379")
