"""Key names, cursors, connecting, and reading the differ's state back from a real redis-server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from structlog.testing import capture_logs

from ingester.errors import ConfigError, RedisUnavailable
from ingester.publish import RedisPublisher
from ingester.store import (
    RedisStateStore,
    connect,
    format_cursor,
    has_hash_tag,
    keys_for,
    load_state,
    make_client,
    parse_cursor,
    redact_url,
)
from ingester.types import PostState, PublishUnit, SourceState
from tests.conftest import RedisServer

T0 = datetime(2024, 7, 5, 0, 3, tzinfo=UTC)
utc_times = st.datetimes(min_value=datetime(1, 1, 1), timezones=st.just(UTC))


def test_keys_name_every_stream_and_hash() -> None:
    keys = keys_for("{ingester}")
    assert keys.events == "{ingester}:events"
    assert keys.stream("result") == "{ingester}:events:result"
    assert keys.stream("post") == keys.posts == "{ingester}:posts"
    assert keys.seen("abc") == "{ingester}:seen:abc"
    assert keys.state("bbc") == "{ingester}:state:bbc"
    assert keys.cursors == "{ingester}:cursors"


@pytest.mark.parametrize(
    ("prefix", "tagged"),
    [
        ("{ingester}", True),
        ("a{b}c", True),
        ("ingester", False),
        ("{}", False),
        ("}{x", False),
        ("{x", False),
    ],
)
def test_hash_tag_detection_follows_redis_rules(prefix: str, tagged: bool) -> None:
    assert has_hash_tag(prefix) is tagged


@given(utc_times, utc_times)
def test_cursor_strings_sort_like_the_times(first: datetime, second: datetime) -> None:
    a, b = format_cursor(first), format_cursor(second)
    assert len(a) == len(b) == 27
    assert (a < b) == (first < second)
    assert parse_cursor(a) == first


def test_cursor_of_another_zone_is_written_in_utc() -> None:
    plus_one = datetime(2024, 7, 5, 1, 3, tzinfo=timezone(timedelta(hours=1)))
    assert format_cursor(plus_one) == "2024-07-05T00:03:00.000000Z"


def test_state_round_trips_through_the_publisher(redis_server: RedisServer) -> None:
    state = PostState(content_hash="abc", revision=2, published_at=T0)
    RedisPublisher(redis_server.url).write([PublishUnit(source="s", cursor=T0, states=(("p1", state),))])
    loaded = RedisStateStore(redis_server.client()).load("s")
    assert loaded == SourceState(posts={"p1": state}, cursor=T0)
    assert load_state(redis_server.client(), "ingester", "other") == SourceState()


def test_corrupt_state_and_cursor_are_skipped_with_warnings(redis_server: RedisServer) -> None:
    client = redis_server.client()
    good = PostState(content_hash="abc", revision=0)
    RedisPublisher(redis_server.url).write([PublishUnit(source="s", cursor=T0, states=(("good", good),))])
    client.hset("ingester:state:s", mapping={"bad": b"{not json", "wrong": b'{"revision": "x"}'})
    client.hset("ingester:cursors", "s", "yesterday")

    with capture_logs() as logs:
        state = load_state(client, "ingester", "s")

    assert state == SourceState(posts={"good": good}, cursor=None)
    warned = sorted(entry.get("post_id", "cursor") for entry in logs if entry["log_level"] == "warning")
    assert warned == ["bad", "cursor", "wrong"]


@pytest.mark.parametrize("url", ["unix:///nonexistent/dir/redis.sock", "redis://:hunter2@127.0.0.1:1/0"])
def test_unreachable_redis_is_a_one_line_error(url: str) -> None:
    with pytest.raises(RedisUnavailable) as caught:
        connect(url, socket_timeout=2)
    message = str(caught.value)
    assert message.startswith("cannot reach Redis at ")
    assert "\n" not in message
    assert "hunter2" not in message


def test_state_read_from_a_stopped_redis_is_a_one_line_error(redis_server: RedisServer) -> None:
    client = redis_server.client()
    redis_server.stop()
    with pytest.raises(RedisUnavailable, match="cannot read state of 's'"):
        load_state(client, "ingester", "s")


def test_connect_answers_with_a_working_client(redis_server: RedisServer) -> None:
    client = connect(redis_server.url)
    assert client.ping() is True


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379", "127.0.0.1:6379", "redis://127.0.0.1:6379/notadb"])
def test_bad_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError):
        make_client(url)


def test_empty_prefix_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        keys_for("")


def test_redact_url_hides_only_the_password() -> None:
    assert redact_url("redis://user:secret@host:6380/0") == "redis://user:***@host:6380/0"
    assert redact_url("unix:///run/redis.sock") == "unix:///run/redis.sock"
