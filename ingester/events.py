"""The public event contract (``shared/CONTRACT.md``) as frozen, tagged msgspec Structs.

Every event shares the envelope of :class:`Envelope`; the ``type`` field is the msgspec tag.
Schema evolution follows msgspec's rules: new fields are appended with defaults, none is renamed or
retyped, so that an event written by any earlier version still decodes (``tests/golden/events.jsonl``).

The encoder and the decoder are built once, here, at import.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Final, Literal

import msgspec

SCHEMA_VERSION: Final = 1

Outcome = Literal["gain", "hold"]


class Party(msgspec.Struct, frozen=True):
    """A party as a contract code (``LAB``) and the name as the contract or the page gives it."""

    code: str
    name: str


class Constituency(msgspec.Struct, frozen=True):
    name: str
    code: str | None = None
    ballot: str | None = None


class Candidate(msgspec.Struct, frozen=True):
    name: str
    party: Party
    votes: int | None = None
    share: float | None = None
    share_change: float | None = None
    elected: bool = False


class SeatCount(msgspec.Struct, frozen=True):
    party: Party
    seats: int
    change: int | None = None


class Envelope(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    """Fields every event carries. ``type`` is written by msgspec from each kind's tag."""

    event_id: str
    schema: int = SCHEMA_VERSION
    source: str
    post_id: str
    revision: int
    published_at: datetime | None
    observed_at: datetime
    url: str | None
    election: str | None
    test: bool
    text: str


class Result(Envelope, frozen=True, kw_only=True, tag="result"):
    constituency: Constituency
    candidates: tuple[Candidate, ...]
    winner: Party | None
    outcome: Outcome | None = None
    gained_from: Party | None = None
    majority: int | None = None
    turnout: float | None = None
    electorate: int | None = None
    complete: bool
    status: Literal["declared", "correction"] = "declared"
    supersedes: str | None = None
    warnings: tuple[str, ...] = ()


class Flash(Envelope, frozen=True, kw_only=True, tag="flash"):
    constituency: Constituency
    winner: Party
    outcome: Outcome
    gained_from: Party | None = None
    candidate: str | None = None
    defeated: str | None = None


class Tally(Envelope, frozen=True, kw_only=True, tag="tally"):
    scope: str
    seats: tuple[SeatCount, ...]
    declared: int | None = None
    total: int | None = None


class Recount(Envelope, frozen=True, kw_only=True, tag="recount"):
    constituency: Constituency | None
    stage: Literal["possible", "requested", "under_way", "completed"]


class Count(Envelope, frozen=True, kw_only=True, tag="count"):
    constituency: Constituency | None
    stage: Literal["verification", "counting", "expected", "delayed"]
    expected_at: datetime | None = None


class ExitPoll(Envelope, frozen=True, kw_only=True, tag="exit_poll"):
    seats: tuple[SeatCount, ...]
    majority: int | None = None
    winner: Party | None = None


class PostEvent(Envelope, frozen=True, kw_only=True, tag="post"):
    action: Literal["created", "updated", "deleted"]
    headline: str | None
    body: str
    author: str | None


Event = Result | Flash | Tally | Recount | Count | ExitPoll | PostEvent
TypedEvent = Result | Flash | Tally | Recount | Count | ExitPoll

KINDS: Final[tuple[str, ...]] = ("result", "flash", "tally", "recount", "count", "exit_poll", "post")

_encoder: Final = msgspec.json.Encoder()
_decoder: Final[msgspec.json.Decoder[Event]] = msgspec.json.Decoder(Event)


def encode(event: Event) -> bytes:
    return _encoder.encode(event)


def decode(data: bytes | str) -> Event:
    """Decode one event; raises ``msgspec.ValidationError`` or ``msgspec.DecodeError`` on bad input."""
    return _decoder.decode(data)


def kind_of(event: Event) -> str:
    tag = type(event).__struct_config__.tag
    assert isinstance(tag, str)
    return tag


def event_id(source: str, post_id: str, revision: int, kind: str, ordinal: int) -> str:
    """The stable id: the same (source, post, revision, kind, ordinal) always gives the same id."""
    key = "\x1f".join((source, post_id, str(revision), kind, str(ordinal)))
    return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def json_schema() -> dict[str, Any]:
    """The JSON Schema of every event, as ``ingester schema`` prints it."""
    schema: dict[str, Any] = msgspec.json.schema(Event)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ingester events"
    return schema
