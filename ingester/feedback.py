"""The path back from the processor to the pollers: what each fetch gave.

    poller ──Fetched──► [fetch channel] ──► ReportingProcessor ──PublishUnit──► publisher
       ▲                                          │
       └──────────── ReportBoard (PageReport) ◄───┘

A poller registers the fetch it is about to hand over (``board.expect``), sends it, and waits for its
``PageReport``: how many posts the page held, how many were new or updated (the cadence speeds up while
a source produces), which posts were new, which post is the page's oldest, and the adapter's
``next_urls``. When the oldest post on a page is one first seen in the current cycle, the posts below
it may be new too (pushed down since the last poll): the poller reads the next page. The report is
matched to the very ``Fetched`` object, so a stale report can never be taken for a newer fetch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec
import trio

from ingester import differ
from ingester.classify.base import Rule
from ingester.classify.rules import RULES
from ingester.events import PostEvent
from ingester.pipeline import Processor
from ingester.types import Extraction, Fetched, Post, PublishUnit, SourceConfig, SourceState


class PageReport(msgspec.Struct, frozen=True, kw_only=True):
    parsed: bool = False  # False: an error, a 304, an unchanged body, or a stale fetch
    posts: int = 0
    updated: int = 0
    events: int = 0
    next_urls: tuple[str, ...] = ()
    created_ids: frozenset[str] = frozenset()  # the posts this fetch saw for the first time
    oldest: frozenset[str] = frozenset()  # the page's oldest posts (several when they share a time)

    @property
    def created(self) -> int:
        return len(self.created_ids)

    @property
    def moved_on(self) -> bool:
        """The page's oldest post is new: posts below it may have been pushed to the next page."""
        return not self.oldest.isdisjoint(self.created_ids)


class _Slot:
    def __init__(self) -> None:
        self.done = trio.Event()
        self.report = PageReport()


class ReportBoard:
    """Hands each fetch's report to the poller waiting for it."""

    def __init__(self) -> None:
        self._slots: dict[int, _Slot] = {}

    def expect(self, fetched: Fetched) -> _Slot:
        slot = self._slots[id(fetched)] = _Slot()
        return slot

    def forget(self, fetched: Fetched) -> None:
        self._slots.pop(id(fetched), None)

    def deliver(self, fetched: Fetched, report: PageReport) -> None:
        slot = self._slots.pop(id(fetched), None)
        if slot is not None:
            slot.report = report
            slot.done.set()

    async def wait(self, slot: _Slot) -> PageReport:
        await slot.done.wait()
        return slot.report

    def waiting(self) -> int:
        return len(self._slots)


class ReportingProcessor(Processor):
    """The pipeline's processor, telling the board what each fetch gave."""

    def __init__(
        self,
        configs: Mapping[str, SourceConfig],
        states: Mapping[str, SourceState],
        board: ReportBoard,
        rules: Sequence[Rule] = RULES,
    ) -> None:
        super().__init__(configs, states, rules)
        self.board = board
        self.events_out = 0  # events handed on towards the publisher

    def process(self, fetched: Fetched) -> PublishUnit | None:
        unit = super().process(fetched)
        if unit is not None:
            self.events_out += len(unit.events)
        self.board.deliver(fetched, report_of(self.last_extraction, unit))
        return unit


def report_of(extraction: Extraction | None, unit: PublishUnit | None) -> PageReport:
    if extraction is None:
        return PageReport()
    keyed = differ.identify(extraction.posts)
    # A pinned post stays on page 1 however far the stream moves on: it must not keep ``moved_on`` false.
    pinned = {pid for pid, post in keyed.items() if post.pinned}
    created: set[str] = set()
    updated = 0
    for event in unit.events if unit is not None else ():
        if isinstance(event, PostEvent) and event.post_id not in pinned:
            if event.action == "created":
                created.add(event.post_id)
            updated += event.action == "updated"
    return PageReport(
        parsed=True,
        posts=len(keyed) - len(pinned),
        updated=updated,
        events=len(unit.events) if unit is not None else 0,
        next_urls=extraction.next_urls,
        created_ids=frozenset(created),
        oldest=oldest_posts(keyed, pinned),
    )


def oldest_posts(keyed: Mapping[str, Post], pinned: set[str]) -> frozenset[str]:
    """The page's oldest posts: those of the earliest time, else the last in page order (pages list
    newest first)."""
    unpinned = [(pid, post) for pid, post in keyed.items() if pid not in pinned]
    times = [post.published_at for _, post in unpinned if post.published_at is not None]
    if times:
        earliest = min(times)
        return frozenset(pid for pid, post in unpinned if post.published_at == earliest)
    return frozenset({unpinned[-1][0]}) if unpinned else frozenset()
