"""Redis key names, client construction and reading the differ's state back.

Every Redis key of the ingester is named here (:class:`Keys`), so that the publisher (the only writer)
and the readers (state loading, ``tail``) cannot disagree. With a hash tag in the prefix
(``{ingester}``) every key of one prefix lives in one Redis Cluster slot.

    {prefix}:events              firehose of typed events (every kind but post)
    {prefix}:events:{kind}       one stream per typed kind
    {prefix}:posts               the ``post`` events
    {prefix}:seen:{event_id}     dedupe marker (SET NX EX ttl)
    {prefix}:state:{source}      hash post_id -> PostState JSON
    {prefix}:cursors             hash source -> cursor (fixed-width ISO time, compares lexically)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

import msgspec
import redis
import structlog
from redis.backoff import NoBackoff
from redis.retry import Retry

from ingester.errors import ConfigError, RedisUnavailable
from ingester.types import PostState, SourceState

DEFAULT_PREFIX: Final = "ingester"
DEFAULT_SOCKET_TIMEOUT: Final = 5.0
CURSOR_FORMAT: Final = "%Y-%m-%dT%H:%M:%S.%fZ"

_state_decoder: Final = msgspec.json.Decoder(PostState)
_log = structlog.get_logger()


@dataclass(frozen=True, slots=True)
class Keys:
    """The names of every key under one prefix."""

    prefix: str

    @property
    def events(self) -> str:
        return f"{self.prefix}:events"

    @property
    def posts(self) -> str:
        return f"{self.prefix}:posts"

    @property
    def cursors(self) -> str:
        return f"{self.prefix}:cursors"

    def stream(self, kind: str) -> str:
        """The stream an event of ``kind`` is appended to besides the firehose (``post``: the posts)."""
        return self.posts if kind == "post" else f"{self.prefix}:events:{kind}"

    @property
    def seen_prefix(self) -> str:
        return f"{self.prefix}:seen:"

    def seen(self, event_id: str) -> str:
        return self.seen_prefix + event_id

    def state(self, source: str) -> str:
        return f"{self.prefix}:state:{source}"


def keys_for(prefix: str = DEFAULT_PREFIX) -> Keys:
    if not prefix:
        raise ConfigError("the Redis key prefix must not be empty")
    return Keys(prefix)


def has_hash_tag(prefix: str) -> bool:
    """True when ``prefix`` holds a Redis Cluster hash tag: ``{`` then a non-empty run then ``}``."""
    start = prefix.find("{")
    return start >= 0 and prefix.find("}", start + 1) > start + 1


def format_cursor(moment: datetime) -> str:
    """A fixed-width UTC ISO string, so that string order is time order (also inside Lua)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    # Built by hand: strftime("%Y") does not pad years below 1000 on every platform.
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}.{moment.microsecond:06d}Z"
    )


def parse_cursor(text: str) -> datetime:
    """The inverse of :func:`format_cursor`; raises ``ValueError`` on anything else."""
    return datetime.strptime(text, CURSOR_FORMAT).replace(tzinfo=UTC)


def redact_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def make_client(url: str, *, socket_timeout: float = DEFAULT_SOCKET_TIMEOUT) -> redis.Redis:
    """A client for ``redis://``, ``rediss://`` or ``unix://`` with a timeout on every socket op.

    redis-py's own retries are off: the publisher retries whole batches with its own backoff and
    commands want to fail fast. Nothing connects until the first command.
    """
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"Redis URL must start with redis://, rediss:// or unix://: {redact_url(url)}")
    if url.startswith("redis") and not re.fullmatch(r"/?\d*", urlsplit(url).path):
        # redis-py would silently fall back to database 0.
        raise ConfigError(f"the path of a Redis URL is a database number: {redact_url(url)}")
    try:
        return redis.Redis.from_url(
            url,
            socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,
            retry=Retry(NoBackoff(), 0),
            decode_responses=False,
        )
    except ValueError as err:
        raise ConfigError(f"bad Redis URL {redact_url(url)}: {err}") from err


def connect(url: str, *, socket_timeout: float = DEFAULT_SOCKET_TIMEOUT) -> redis.Redis:
    """:func:`make_client`, then one PING: ``RedisUnavailable`` at once when Redis cannot be reached."""
    client = make_client(url, socket_timeout=socket_timeout)
    try:
        client.ping()
    except redis.RedisError as err:
        client.close()
        raise RedisUnavailable(f"cannot reach Redis at {redact_url(url)}: {err}") from err
    return client


def load_state(client: redis.Redis, prefix: str, source: str) -> SourceState:
    """The state the publisher last wrote for ``source``; corrupt entries are skipped with a warning."""
    keys = keys_for(prefix)
    try:
        raw_posts: dict[Any, Any] = client.hgetall(keys.state(source))
        raw_cursor: Any = client.hget(keys.cursors, source)
    except (redis.ConnectionError, redis.TimeoutError) as err:
        raise RedisUnavailable(f"cannot read state of {source!r} from Redis: {err}") from err
    posts: dict[str, PostState] = {}
    for raw_id, raw_json in raw_posts.items():
        post_id = _text(raw_id)
        try:
            posts[post_id] = _state_decoder.decode(raw_json)
        except (msgspec.DecodeError, msgspec.ValidationError) as err:
            _log.warning("corrupt post state skipped", source=source, post_id=post_id, error=str(err))
    return SourceState(posts=posts, cursor=_decode_cursor(raw_cursor, source))


def _decode_cursor(raw: bytes | str | None, source: str) -> datetime | None:
    if raw is None:
        return None
    try:
        return parse_cursor(_text(raw))
    except ValueError:
        _log.warning("corrupt cursor ignored", source=source, cursor=_text(raw)[:64])
        return None


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw


class RedisStateStore:
    """The ``types.StateStore`` the differ reads at startup."""

    def __init__(self, client: redis.Redis, prefix: str = DEFAULT_PREFIX) -> None:
        self._client = client
        self._prefix = prefix

    def load(self, source: str) -> SourceState:
        return load_state(self._client, self._prefix, source)
