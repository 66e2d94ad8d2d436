"""``ingester tail``: print events from the streams as they arrive.

Without a group it reads like ``tail -f`` (from now, or from the start). With ``--group`` it is a
stream consumer: it first re-reads its own pending entries (printed before a crash but never
acknowledged), then claims entries that a dead consumer of the group left pending for longer than
``claim_idle_ms`` (XAUTOCLAIM), then reads new ones; it acknowledges each entry once printed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import msgspec
import redis

from ingester.events import Count, Event, Flash, PostEvent, Recount, Result, Tally, decode, kind_of

Entry = tuple[bytes, dict[bytes, bytes]]


def stream_for(prefix: str, kind: str | None) -> str:
    if kind is None:
        return f"{prefix}:events"
    return f"{prefix}:posts" if kind == "post" else f"{prefix}:events:{kind}"


@dataclass(frozen=True)
class TailOptions:
    stream: str
    group: str | None = None
    consumer: str = "tail"
    from_start: bool = False
    once: bool = False
    block_ms: int = 1000
    claim_idle_ms: int = 60_000
    batch: int = 100


def tail(client: redis.Redis, options: TailOptions, emit: Callable[[bytes], None]) -> int:
    """Emit each entry's ``data``; returns how many were emitted (``once``: stops when caught up)."""
    entries = _group_entries(client, options) if options.group else _plain_entries(client, options)
    emitted = 0
    for entry_id, fields in entries:
        data = fields.get(b"data")
        if data is not None:
            emit(data)
            emitted += 1
        if options.group:
            client.xack(options.stream, options.group, entry_id)
    return emitted


def _plain_entries(client: redis.Redis, options: TailOptions) -> Iterator[Entry]:
    last = "0-0" if options.from_start else _newest_id(client, options.stream)
    while True:
        block = None if options.once else options.block_ms
        reply = client.xread({options.stream: last}, count=options.batch, block=block)
        batch = _entries_of(reply)
        yield from batch
        if batch:
            last = batch[-1][0].decode()
        elif options.once:
            return


def _newest_id(client: redis.Redis, stream: str) -> str:
    newest = _entries_of([(stream, client.xrevrange(stream, count=1))])
    return _text(newest[0][0]) if newest else "0-0"


def _group_entries(client: redis.Redis, options: TailOptions) -> Iterator[Entry]:
    assert options.group is not None
    try:
        client.xgroup_create(options.stream, options.group, id="0" if options.from_start else "$", mkstream=True)
    except redis.ResponseError as err:
        if "BUSYGROUP" not in str(err):
            raise
    yield from _read_group(client, options, "0")
    yield from _claim_abandoned(client, options)
    while True:
        batch = _entries_of(
            client.xreadgroup(
                options.group,
                options.consumer,
                {options.stream: ">"},
                count=options.batch,
                block=None if options.once else options.block_ms,
            )
        )
        yield from batch
        if not batch and options.once:
            return


def _read_group(client: redis.Redis, options: TailOptions, start: str) -> Iterator[Entry]:
    """This consumer's own pending entries (id ``0``): what it printed but never acknowledged."""
    assert options.group is not None
    while True:
        reply = client.xreadgroup(options.group, options.consumer, {options.stream: start}, count=options.batch)
        batch = [entry for entry in _entries_of(reply) if entry[1]]
        if not batch:
            return
        yield from batch
        start = batch[-1][0].decode()


def _claim_abandoned(client: redis.Redis, options: TailOptions) -> Iterator[Entry]:
    assert options.group is not None
    cursor = "0-0"
    while True:
        reply = client.xautoclaim(
            options.stream,
            options.group,
            options.consumer,
            options.claim_idle_ms,
            cursor,
            count=options.batch,
        )
        cursor = _text(reply[0])
        yield from (entry for entry in reply[1] if entry and entry[1])
        if cursor == "0-0":
            return


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _entries_of(reply: object) -> list[Entry]:
    if not reply:
        return []
    if isinstance(reply, dict):  # RESP3 shape
        return [entry for entries in reply.values() for entry in entries[0]]
    assert isinstance(reply, list)
    return [entry for _, entries in reply for entry in entries]


def summarise(data: bytes) -> str:
    """One readable line for a terminal."""
    try:
        event = decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return data.decode("utf-8", "replace")
    when = event.observed_at.strftime("%H:%M:%SZ")
    return f"{when}  {kind_of(event):<9} {_what(event)}  [{event.source}]"


def _what(event: Event) -> str:
    match event:
        case Flash():
            taken = f" from {event.gained_from.code}" if event.gained_from else ""
            return f"{event.constituency.name}: {event.winner.code} {event.outcome}{taken}"
        case Result():
            top = ", ".join(f"{c.name} ({c.party.code}) {c.votes}" for c in event.candidates[:3])
            extra = " (correction)" if event.status == "correction" else ""
            return f"{event.constituency.name}: {top}{' …' if len(event.candidates) > 3 else ''}{extra}"
        case Tally():
            seats = ", ".join(f"{s.party.code} {s.seats}" for s in event.seats)
            return f"{event.scope}: {seats}"
        case Recount() | Count():
            seat = event.constituency.name if event.constituency else "-"
            return f"{seat}: {event.stage}"
        case PostEvent(action="deleted"):
            return f"deleted {event.post_id}"
        case PostEvent():
            return f"{event.action} {event.headline or event.body[:60]!r}"
        case _:
            return event.text[:60]
