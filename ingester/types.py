"""Internal types that flow between the stages, and the Protocol of each stage.

    poller / night reader ──Fetched──► adapter ──Extraction(Post…)──► differ ──Change…──►
    classifier ──events──► PublishUnit ──► publisher (the only Redis writer)

All are frozen msgspec Structs; ``PostState`` and ``SourceConfig`` also travel as JSON (Redis, WARC).
Every datetime here is timezone-aware UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Literal, Protocol

import msgspec
import trio

from ingester.events import Event

Action = Literal["created", "updated", "deleted"]


class SourceConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=False):
    """One configured source. Recorded into every night so that a replay needs no config file."""

    name: str
    url: str
    kind: str = "auto"
    interval: float = 15.0
    election: str | None = None
    test: bool = False


class Fetched(msgspec.Struct, frozen=True, kw_only=True):
    """One fetch of one URL: a response (any status) or an error that left no response.

    ``headers`` has lower-cased names. ``status`` is None exactly when ``error`` is set.
    """

    source: str
    url: str
    fetched_at: datetime
    status: int | None = None
    headers: Mapping[str, str] = msgspec.field(default_factory=dict)
    body: bytes = b""
    error: str | None = None


class AdapterContext(msgspec.Struct, frozen=True, kw_only=True):
    """What an adapter may know besides the body: no clock, no I/O."""

    url: str
    headers: Mapping[str, str] = msgspec.field(default_factory=dict)
    election: str | None = None


class Post(msgspec.Struct, frozen=True, kw_only=True):
    """One post as an adapter read it. Identity is resolved by the differ (``differ.post_identity``)."""

    native_id: str | None = None
    url: str | None = None
    headline: str | None = None
    body: str = ""
    author: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    time_inferred: bool = False
    # Kept at the top of a page whatever its age (a BBC stream's running tally): it says nothing about
    # which span of time the page covers.
    pinned: bool = False


class Extraction(msgspec.Struct, frozen=True, kw_only=True):
    """What one body gave.

    ``complete`` says the body lists every post of the source (a whole text file, a one-page blog),
    so a post missing from it is deleted even without a time. Otherwise only posts whose time lies in
    the window spanned by this body's posts can be judged deleted. ``next_urls`` are further pages the
    poller should fetch (pagination).
    """

    posts: tuple[Post, ...] = ()
    warnings: tuple[str, ...] = ()
    complete: bool = False
    next_urls: tuple[str, ...] = ()


class Fact(msgspec.Struct, frozen=True):
    """A typed event already published for a post: lets an edit publish only facts that changed."""

    slot: str
    event_id: str
    digest: str


class PostState(msgspec.Struct, frozen=True, kw_only=True):
    """What the differ remembers of one post; persisted in Redis by the publisher's atomic step."""

    content_hash: str
    revision: int
    published_at: datetime | None = None
    deleted: bool = False
    facts: tuple[Fact, ...] = ()
    pinned: bool = False  # held above the others on page 1, whatever its time


class SourceState(msgspec.Struct, kw_only=True):
    """A source's differ state: its posts and the time of the newest fetch already published."""

    posts: dict[str, PostState] = msgspec.field(default_factory=dict)
    cursor: datetime | None = None


class Change(msgspec.Struct, frozen=True, kw_only=True):
    action: Action
    post_id: str
    revision: int
    post: Post
    previous: PostState | None = None


class PublishUnit(msgspec.Struct, frozen=True, kw_only=True):
    """Everything one fetch changed, written in one atomic step so that a crash never splits it."""

    source: str
    cursor: datetime
    events: tuple[Event, ...] = ()
    states: tuple[tuple[str, PostState], ...] = ()


class Adapter(Protocol):
    """Turns one body into posts. Pure: no I/O, no clock, no global state; never raises on bad input."""

    kind: str

    def extract(self, body: bytes, context: AdapterContext) -> Extraction: ...


class Publisher(Protocol):
    """The last stage: takes units from a bounded channel until it closes (``RedisPublisher``, or
    ``flow.CollectingPublisher`` in tests). Calls ``task_status.started()`` once it can take units."""

    async def run(
        self,
        receive: trio.MemoryReceiveChannel[PublishUnit],
        *,
        task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
    ) -> None: ...


class StateStore(Protocol):
    """Where the differ's state is read back from at start (``store.RedisStateStore``)."""

    def load(self, source: str) -> SourceState: ...
