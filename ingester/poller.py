"""One trio task per source: fetch, hand over, learn what it gave, wait, again. Never returns until stopped.

A cycle fetches page 1 of the source. Pages it names (the adapter's ``next_urls``, on the source's own
host, up to ``max_pages`` in all) are read in two ways:

- the chase: while the last page read ends in a post first seen this cycle (:mod:`ingester.feedback`),
  the posts below it may be new too, pushed down since the last poll: read the next page. A burst of
  posts between two polls is read however many pages it fills, up to ``max_pages`` (beyond that a
  warning says paging fell behind);
- the sweep: one further page a cycle, in turn, re-read so that edits and removals of posts that have
  scrolled past page 1 are seen (a page unchanged since its last read costs a 304).

The cycle's outcome (page 1's status, whether any page produced posts) sets the wait before the next
cycle (:mod:`ingester.cadence`).

Shutdown (:class:`Stopper`) interrupts only waiting: the sleep between cycles and the wait for a
report. A fetch already under way is finished (bounded by its deadline) and handed over, so that what
was fetched is published; the daemon's grace period bounds the whole drain.

Per-source failures never escape: the fetcher turns them into ``Fetched(error=...)``, which become
backoff, a log line and metrics. Anything else is a bug and propagates.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

import structlog
import trio

from ingester.cadence import Cadence, Outcome, outcome_of
from ingester.feedback import PageReport, ReportBoard
from ingester.fetch import safe_url, utc_now
from ingester.settings import SourceSettings
from ingester.types import Fetched

FetchFn = Callable[[str, str], Awaitable[Fetched]]
Emit = Callable[[Fetched], Awaitable[None]]

log = structlog.get_logger("ingester.poller")


def _parsable(fetched: Fetched) -> bool:
    return fetched.error is None and fetched.status is not None and 200 <= fetched.status < 300


class Stopper:
    """The first stage of a graceful shutdown: every ``interruptible`` wait ends, and stays ended."""

    def __init__(self) -> None:
        self.stopping = False
        self._scopes: set[trio.CancelScope] = set()

    def stop(self) -> None:
        self.stopping = True
        for scope in self._scopes:
            scope.cancel()

    @contextmanager
    def interruptible(self) -> Iterator[None]:
        scope = trio.CancelScope()
        if self.stopping:
            scope.cancel()
        self._scopes.add(scope)
        try:
            with scope:
                yield
        finally:
            self._scopes.discard(scope)


class PollObserver(Protocol):
    """Where pollers report for metrics and health (``metrics.Metrics``; a no-op by default)."""

    def fetched(self, source: str, fetched: Fetched, seconds: float) -> None: ...

    def reported(self, source: str, report: PageReport) -> None: ...

    def polled(self, source: str, drift: float) -> None: ...

    def cycle_done(self, source: str, outcome: Outcome) -> None: ...


class NullObserver:
    def fetched(self, source: str, fetched: Fetched, seconds: float) -> None:
        pass

    def reported(self, source: str, report: PageReport) -> None:
        pass

    def polled(self, source: str, drift: float) -> None:
        pass

    def cycle_done(self, source: str, outcome: Outcome) -> None:
        pass


class PageList:
    """The deeper pages of a source as its pages name them: on its own host, at most ``max_pages - 1``,
    and whose turn it is to be swept."""

    def __init__(self, url: str, max_pages: int) -> None:
        self._host = urlsplit(url).hostname
        self._limit = max(0, max_pages - 1)
        self._turn = 0
        self.named: list[str] = []

    def named_by_first(self, urls: Sequence[str]) -> None:
        """Page 1's list is the truth (a stream's first page names them all); pages found further down a
        chain of "next" links are kept after it. A first page naming none: the source has one page."""
        self.named = self._merged(urls, self.named) if urls else []

    def named_by_deeper(self, urls: Sequence[str]) -> None:
        self.named = self._merged(self.named, urls)

    def next_to_sweep(self, visited: Collection[str]) -> str | None:
        for step in range(len(self.named)):
            url = self.named[(self._turn + step) % len(self.named)]
            if url not in visited:
                self._turn = (self._turn + step + 1) % len(self.named)
                return url
        return None

    def _merged(self, first: Sequence[str], then: Sequence[str]) -> list[str]:
        merged = [url for url in dict.fromkeys([*first, *then]) if self._followable(url)]
        return merged[: self._limit]

    def _followable(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in {"http", "https"} and parts.hostname == self._host


class _Walk:
    """One cycle's way down a source's pages."""

    def __init__(self, *, visited: set[str], fresh: set[str], last: PageReport) -> None:
        self.visited = visited
        self.fresh = fresh  # posts first seen in this cycle
        self.last = last
        self.produced = False

    def moving_on(self) -> bool:
        return not self.last.oldest.isdisjoint(self.fresh)


class Poller:
    def __init__(
        self,
        settings: SourceSettings,
        *,
        fetch: FetchFn,
        emit: Emit,
        board: ReportBoard,
        stopper: Stopper,
        cadence: Cadence,
        observer: PollObserver | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings
        self._fetch = fetch
        self._emit = emit
        self._board = board
        self._stopper = stopper
        self._cadence = cadence
        self._observer = observer or NullObserver()
        self._now = now
        self._pages = PageList(settings.url, settings.max_pages)

    async def run(self) -> None:
        """Polls until the stopper stops it."""
        next_at = trio.current_time() + self._cadence.first_delay(self._now())
        while True:
            with self._stopper.interruptible():
                await trio.sleep_until(next_at)
            if self._stopper.stopping:
                return
            started = trio.current_time()
            self._observer.polled(self.settings.name, started - next_at)
            outcome = await self._cycle()
            if outcome is None:
                return
            self._observer.cycle_done(self.settings.name, outcome)
            delay = self._cadence.next_delay(outcome, self._now())
            # The cadence counts from the start of a cycle (a cycle that overran it makes the next poll
            # late, which the drift metric shows); a backoff or Retry-After counts from its end.
            next_at = started + delay if outcome.ok else trio.current_time() + delay

    async def _cycle(self) -> Outcome | None:
        url = self.settings.url
        first, report = await self._poll_page(url)
        if report is None:
            return None
        produced = report.created + report.updated > 0
        if outcome_of(first).ok:
            if report.parsed:
                self._pages.named_by_first(report.next_urls)
            walk = _Walk(visited={url}, fresh=set(report.created_ids), last=report)
            if not await self._chase(walk) or not await self._sweep(walk):
                return None
            produced = produced or walk.produced
        return outcome_of(first, produced=produced)

    async def _chase(self, walk: _Walk) -> bool:
        """Reads deeper pages while the last page's oldest post is new this cycle: posts pushed below it
        since the last poll are on the next page. False when stopped."""
        while walk.moving_on() and not self._stopper.stopping:
            url = next((url for url in self._pages.named if url not in walk.visited), None)
            if url is None:
                return True
            if len(walk.visited) >= self.settings.max_pages:
                log.warning("paging fell behind", source=self.settings.name, max_pages=self.settings.max_pages)
                return True
            if not await self._walk_to(url, walk):
                return False
        return True

    async def _sweep(self, walk: _Walk) -> bool:
        """Re-reads one deeper page a cycle, in turn, so that edits and removals of posts that scrolled
        past page 1 are seen too. False when stopped."""
        url = self._pages.next_to_sweep(walk.visited)
        if url is None or len(walk.visited) >= self.settings.max_pages or self._stopper.stopping:
            return True
        return await self._walk_to(url, walk)

    async def _walk_to(self, url: str, walk: _Walk) -> bool:
        fetched, report = await self._poll_page(url)
        if report is None:
            return False
        walk.visited.add(url)
        walk.fresh.update(report.created_ids)
        walk.produced = walk.produced or report.created + report.updated > 0
        walk.last = report if outcome_of(fetched).ok else PageReport()
        self._pages.named_by_deeper(report.next_urls)
        return True

    async def _poll_page(self, url: str) -> tuple[Fetched, PageReport | None]:
        began = trio.current_time()
        fetched = await self._fetch(self.settings.name, url)
        seconds = trio.current_time() - began
        self._observer.fetched(self.settings.name, fetched, seconds)
        report: PageReport | None = None
        if not _parsable(fetched):
            # A 304, an error or an error status is never parsed: nothing to wait for.
            await self._emit(fetched)
            report = PageReport()
        else:
            slot = self._board.expect(fetched)
            try:
                await self._emit(fetched)
                with self._stopper.interruptible():
                    report = await self._board.wait(slot)
            finally:
                self._board.forget(fetched)
        if report is not None:
            self._observer.reported(self.settings.name, report)
        self._log(fetched, seconds, report)
        return fetched, report

    def _log(self, fetched: Fetched, seconds: float, report: PageReport | None) -> None:
        report = report or PageReport()
        changed = report.created + report.updated > 0
        failed = not outcome_of(fetched).ok
        emit = log.warning if failed else (log.info if changed else log.debug)
        emit(
            "fetch failed" if failed else "fetched",
            source=self.settings.name,
            url=safe_url(fetched.url),
            status=fetched.status,
            bytes=len(fetched.body),
            duration_ms=round(seconds * 1000, 1),
            new=report.created,
            updated=report.updated,
            error=fetched.error,
        )
