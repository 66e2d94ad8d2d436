"""The publisher: the only Redis writer. One Lua script per batch makes dedupe, append and state atomic.

    units ──(bounded trio memory channel)──► RedisPublisher.run ──batch──► worker thread ──EVALSHA──► Redis

Backpressure: :meth:`RedisPublisher.run` takes no unit while a batch is being written, so the bounded
channel the caller creates (``trio.open_memory_channel(N)``) fills up and the producers' ``send`` blocks.
Pick N to bound memory: N units are held at most, plus one batch in flight.

Exactly once per stream: for each event the script sets ``seen:{event_id}`` with NX and appends only
when that key was new, in the same atomic step. A reply lost after the script ran is therefore safe to
retry (the retry returns 0 for every event). Transient Redis failures (connection refused or reset,
timeouts, Redis loading its AOF, a read-only replica, a cluster failing over, OOM, MISCONF) retry the
same batch with capped exponential backoff and jitter until cancelled; nothing is dropped. Wrong
credentials are a ConfigError. Anything else (a script bug, WRONGTYPE) is a bug and propagates.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Sequence
from typing import Any, Final, TypeVar

import msgspec
import redis
import structlog
import trio
from redis.commands.core import Script

from ingester.errors import ConfigError
from ingester.events import KINDS, Event, encode, kind_of
from ingester.store import (
    DEFAULT_PREFIX,
    DEFAULT_SOCKET_TIMEOUT,
    format_cursor,
    has_hash_tag,
    keys_for,
    make_client,
    redact_url,
)
from ingester.types import PostState, PublishUnit

_T = TypeVar("_T")

DEFAULT_DEDUPE_TTL: Final = 7 * 24 * 3600

# Streams in the order of their one-byte codes (1 = post); STREAM_KINDS[i] goes to the stream KEYS[3 + i].
STREAM_KINDS: Final = ("post", *(kind for kind in KINDS if kind != "post"))
_STREAM_CODE: Final = {kind: code for code, kind in enumerate(STREAM_KINDS, start=1)}

# KEYS: cursors, firehose, then the stream of each of STREAM_KINDS; then per unit: its state hash, then
#       per event: its seen key.
# ARGV: ttl, maxlen (0: never trim), length of the seen-key prefix, the batch's stream codes (one byte
#       per event), unit count, the kind names of STREAM_KINDS; then per unit: source, cursor, event
#       count, state count, per event: its JSON; per state: post_id, PostState JSON.
# Every key arrives in KEYS (none is built here) so that Redis Cluster can route and check the slots.
# Per event only the seen key and the JSON travel: the id is the seen key's tail, the kind a code byte.
PUBLISH_LUA: Final = """
local cursors, firehose = KEYS[1], KEYS[2]
local ttl, maxlen, skip, codes = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local nkinds = NKINDS
local k, a, n = 3 + nkinds, 6 + nkinds, 0
local flags, newest, advanced = {}, {}, {}

local function xadd(stream, kind, id, data)
  if maxlen > 0 then
    redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'type', kind, 'event_id', id, 'data', data)
  else
    redis.call('XADD', stream, '*', 'type', kind, 'event_id', id, 'data', data)
  end
end

-- Byte order, not Lua's '<' (strcoll under Redis's locale). Cursors are fixed-width ISO times.
local function not_older(new, old)
  if not old or new == old then return true end
  for i = 1, math.min(#new, #old) do
    local x, y = string.byte(new, i), string.byte(old, i)
    if x ~= y then return x > y end
  end
  return #new > #old
end

for _ = 1, tonumber(ARGV[5]) do
  local state_key = KEYS[k]
  local source, cursor = ARGV[a], ARGV[a + 1]
  local nevents, nstates = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  k, a = k + 1, a + 4
  for _ = 1, nevents do
    local seen, data = KEYS[k], ARGV[a]
    k, a, n = k + 1, a + 1, n + 1
    if redis.call('SET', seen, '1', 'NX', 'EX', ttl) then
      local code = string.byte(codes, n)
      local kind, id = ARGV[5 + code], string.sub(seen, skip + 1)
      if code ~= 1 then xadd(firehose, kind, id, data) end
      xadd(KEYS[2 + code], kind, id, data)
      flags[n] = 1
    else
      flags[n] = 0
    end
  end
  -- A lagging unit (a concurrent replay of older fetches) must not overwrite newer state.
  local stored = newest[source]
  if stored == nil then stored = redis.call('HGET', cursors, source) end
  if not_older(cursor, stored) then
    for i = a, a + 2 * nstates - 1, 2 do
      redis.call('HSET', state_key, ARGV[i], ARGV[i + 1])
    end
    newest[source], advanced[source] = cursor, true
  else
    newest[source] = stored
  end
  a = a + 2 * nstates
end
for source in pairs(advanced) do
  redis.call('HSET', cursors, source, newest[source])
end
return flags
""".replace("NKINDS", str(len(STREAM_KINDS)))

# Worth waiting out: Redis restarting, loading its AOF, failing over (a read-only replica, a cluster
# down or moving slots), or out of memory. A script never half-runs on OOM: Redis refuses only a
# script's first write.
_TRANSIENT: Final = (
    redis.ConnectionError,
    redis.TimeoutError,
    redis.exceptions.ReadOnlyError,
    redis.exceptions.ClusterDownError,
    redis.exceptions.TryAgainError,
    redis.exceptions.OutOfMemoryError,
)
_CONFIG_FAILURES: Final = (redis.AuthenticationError, redis.exceptions.AuthorizationError)

_state_encoder: Final = msgspec.json.Encoder()
_log = structlog.get_logger()

OnPublished = Callable[[Sequence[Event]], None]
ScriptArg = bytes | str | int


class RedisPublisher:
    """Batches :class:`PublishUnit` s from a channel and writes each batch with one atomic script.

    A batch is whatever is queued when the last write ends, up to ``batch_max_events``. By default it
    waits for nothing more (``batch_max_ms = 0``): a wait would delay every event on a quiet night, and
    on a busy one units queue up while a write is in flight, so batches grow by themselves.

    Counters for metrics: ``events_new``, ``events_duplicate``, ``batches``, ``retries``.
    """

    def __init__(
        self,
        redis_url: str | Callable[[], redis.Redis],
        *,
        prefix: str = DEFAULT_PREFIX,
        batch_max_events: int = 100,
        batch_max_ms: float = 0.0,
        dedupe_ttl: int = DEFAULT_DEDUPE_TTL,
        retry_initial: float = 0.05,
        retry_max: float = 2.0,
        maxlen: int | None = None,
        socket_timeout: float = DEFAULT_SOCKET_TIMEOUT,
        on_published: OnPublished | None = None,
    ) -> None:
        _check_settings(
            batch_max_events=batch_max_events,
            batch_max_ms=batch_max_ms,
            dedupe_ttl=dedupe_ttl,
            retry_initial=retry_initial,
            retry_max=retry_max,
            maxlen=maxlen,
        )
        if isinstance(redis_url, str):
            url = redis_url
            make_client(url)  # a bad URL is a ConfigError now, not a retry loop later
            self._factory: Callable[[], redis.Redis] = lambda: make_client(url, socket_timeout=socket_timeout)
            self._where = redact_url(url)
        else:
            self._factory = redis_url
            self._where = "client factory"
        self.keys = keys_for(prefix)
        self._batch_max_events = batch_max_events
        self._batch_max_s = batch_max_ms / 1000
        self._ttl = dedupe_ttl
        self._retry_initial = retry_initial
        self._retry_max = retry_max
        self._maxlen = maxlen or 0
        self._on_published = on_published
        self._limiter = trio.CapacityLimiter(1)
        self._client: redis.Redis | None = None
        self._script: Script | None = None
        self.events_new = 0
        self.events_duplicate = 0
        self.batches = 0
        self.retries = 0

    async def run(
        self,
        receive: trio.MemoryReceiveChannel[PublishUnit],
        *,
        task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
    ) -> None:
        """Publish every unit from ``receive`` until it is closed, then return.

        ``started()`` is called once Redis answered (retrying while it does not), so that a caller
        using ``nursery.start`` knows the publisher is ready. Closes ``receive`` on the way out, so that
        producers fail loudly rather than block forever if the publisher dies.
        """
        try:
            await self._with_retry(self.prepare)
            task_status.started()
            async with receive:
                await self._publish_all(receive)
        finally:
            self.close()

    async def _publish_all(self, receive: trio.MemoryReceiveChannel[PublishUnit]) -> None:
        carry: PublishUnit | None = None
        while True:
            batch, carry = await self._next_batch(receive, carry)
            if not batch:
                return
            new_events = await self._with_retry(functools.partial(self.write, batch))
            self.batches += 1
            self.events_new += len(new_events)
            self.events_duplicate += sum(len(unit.events) for unit in batch) - len(new_events)
            if new_events and self._on_published is not None:
                self._on_published(new_events)

    def prepare(self) -> None:
        """Connect, refuse a cluster without a hash-tag prefix, and load the script (blocking)."""
        client = self._connected()
        if _is_cluster(client) and not has_hash_tag(self.keys.prefix):
            raise ConfigError(
                f"Redis at {self._where} is a cluster: set the key prefix to a hash tag such as "
                f"'{{{self.keys.prefix}}}' so that all keys share one slot"
            )
        script = client.register_script(PUBLISH_LUA)
        client.script_load(PUBLISH_LUA)  # a Lua error shows now, not at the first batch
        self._script = script

    def write(self, units: Sequence[PublishUnit]) -> list[Event]:
        """Run the script once for ``units`` (blocking; no retry) and return the events that were new."""
        if self._script is None:
            self.prepare()
        assert self._script is not None
        keys, args, events = self._script_input(units)
        flags: list[int] = self._script(keys=keys, args=args)
        return [event for event, flag in zip(events, flags, strict=True) if flag]

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
            self._script = None

    def _connected(self) -> redis.Redis:
        if self._client is None:
            self._client = self._factory()
        return self._client

    def _script_input(self, units: Sequence[PublishUnit]) -> tuple[list[str], list[ScriptArg], list[Event]]:
        keys_of, seen_prefix = self.keys, self.keys.seen_prefix
        keys = [keys_of.cursors, keys_of.events, *(keys_of.stream(kind) for kind in STREAM_KINDS)]
        args: list[ScriptArg] = [self._ttl, self._maxlen, len(seen_prefix), b"", len(units), *STREAM_KINDS]
        codes = bytearray()
        events: list[Event] = []
        for unit in units:
            keys.append(keys_of.state(unit.source))
            args += (unit.source, format_cursor(unit.cursor), len(unit.events), len(unit.states))
            for event in unit.events:
                codes.append(_STREAM_CODE[kind_of(event)])
                keys.append(seen_prefix + event.event_id)
                args.append(encode(event))
            for post_id, state in unit.states:
                args += (post_id, _encode_state(state))
            events += unit.events
        args[3] = bytes(codes)
        return keys, args, events

    async def _next_batch(
        self, receive: trio.MemoryReceiveChannel[PublishUnit], carry: PublishUnit | None
    ) -> tuple[list[PublishUnit], PublishUnit | None]:
        """Units up to the event limit or the time limit; the unit that would overflow is carried."""
        if carry is None:
            try:
                carry = await receive.receive()
            except trio.EndOfChannel:
                return [], None
        batch, size = [carry], _weight(carry)
        deadline = trio.current_time() + self._batch_max_s
        while size < self._batch_max_events:
            unit = await _receive_by(receive, deadline)
            if unit is None:
                break
            if size + _weight(unit) > self._batch_max_events:
                return batch, unit
            batch.append(unit)
            size += _weight(unit)
        return batch, None

    async def _with_retry(self, call: Callable[[], _T]) -> _T:
        delay = self._retry_initial
        while True:
            try:
                return await trio.to_thread.run_sync(call, limiter=self._limiter)
            except _CONFIG_FAILURES as err:
                raise ConfigError(f"Redis at {self._where} refused our credentials: {err}") from err
            except redis.RedisError as err:
                if not _is_transient(err):
                    raise
                pause = random.uniform(delay / 2, delay)
                self.retries += 1
                _log.warning(
                    "redis unavailable; retrying, nothing dropped",
                    redis=self._where,
                    error=f"{type(err).__name__}: {err}",
                    retry_in_s=round(pause, 3),
                    retries=self.retries,
                )
                await trio.sleep(pause)
                delay = min(delay * 2, self._retry_max)


def _is_cluster(client: redis.Redis) -> bool:
    try:
        cluster_info: dict[str, Any] = client.info("cluster")
    except redis.exceptions.ResponseError as err:  # some hosted services restrict INFO
        _log.warning("cannot ask Redis whether it is a cluster; assuming not", error=str(err))
        return False
    return int(cluster_info.get("cluster_enabled", 0)) == 1


def _is_transient(err: Exception) -> bool:
    if isinstance(err, _TRANSIENT):
        return True
    # Refusals that an operator fixes (memory, a full disk failing snapshots: MISCONF); inside the
    # script they come back wrapped in a script error, so match the text.
    message = str(err)
    return "OOM command not allowed" in message or "MISCONF" in message


async def _receive_by(receive: trio.MemoryReceiveChannel[PublishUnit], deadline: float) -> PublishUnit | None:
    """The next unit, or None when the deadline passes or the channel is closed."""
    try:
        return receive.receive_nowait()
    except trio.WouldBlock:
        pass
    except trio.EndOfChannel:
        return None
    with trio.move_on_at(deadline):
        try:
            return await receive.receive()
        except trio.EndOfChannel:
            return None
    return None


def _weight(unit: PublishUnit) -> int:
    # A unit without events still costs a slot, so that state-only units cannot pile up unbounded.
    return max(1, len(unit.events))


def _encode_state(state: PostState) -> bytes:
    encoded: bytes = _state_encoder.encode(state)
    return encoded


def _check_settings(
    *,
    batch_max_events: int,
    batch_max_ms: float,
    dedupe_ttl: int,
    retry_initial: float,
    retry_max: float,
    maxlen: int | None,
) -> None:
    problems = [
        (batch_max_events < 1, f"batch_max_events must be at least 1, not {batch_max_events}"),
        (batch_max_ms < 0, f"batch_max_ms must not be negative, not {batch_max_ms}"),
        (dedupe_ttl < 1, f"dedupe_ttl must be at least 1 second, not {dedupe_ttl}"),
        (not 0 < retry_initial <= retry_max, f"need 0 < retry_initial <= retry_max, not {retry_initial}"),
        (maxlen is not None and maxlen < 1, f"maxlen must be at least 1 or unset, not {maxlen}"),
    ]
    for bad, message in problems:
        if bad:
            raise ConfigError(message)
