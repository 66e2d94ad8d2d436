"""One trio task per source: fetch, hand over, learn what it gave, wait, again. Never returns until stopped.

A cycle fetches page 1 of the source. Its report (see :mod:`ingester.feedback`) says whether the page
moved on past what was seen (every post on it new); only then is the adapter's next page fetched too,
and so on up to ``max_pages``, staying on the source's host. The cycle's outcome (page 1's status,
whether any page produced posts) sets the wait before the next cycle (:mod:`ingester.cadence`).

Shutdown (:class:`Stopper`) interrupts only waiting: the sleep between cycles and the wait for a
report. A fetch already under way is finished (bounded by its deadline) and handed over, so that what
was fetched is published; the daemon's grace period bounds the whole drain.

Per-source failures never escape: the fetcher turns them into ``Fetched(error=...)``, which become
backoff, a log line and metrics. Anything else is a bug and propagates.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
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
        self._host = urlsplit(settings.url).hostname

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
        url: str | None = self.settings.url
        visited: set[str] = set()
        # Further pages as named so far: a stream's first page names them all, later pages none.
        pending: list[str] = []
        first: Fetched | None = None
        produced = False
        for _ in range(self.settings.max_pages):
            if url is None or self._stopper.stopping:
                break
            visited.add(url)
            fetched, report = await self._poll_page(url)
            first = first or fetched
            if report is None:
                return None
            produced = produced or report.created + report.updated > 0
            if not outcome_of(fetched).ok or not report.moved_on:
                break
            pending.extend(report.next_urls)
            url = self._next_page(pending, visited)
        if first is None:
            return None
        return outcome_of(first, produced=produced)

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

    def _next_page(self, pending: list[str], visited: set[str]) -> str | None:
        """The next page named so far that is not yet visited and is on the source's own host."""
        while pending:
            candidate = pending.pop(0)
            parts = urlsplit(candidate)
            if parts.scheme in {"http", "https"} and parts.hostname == self._host and candidate not in visited:
                return candidate
        return None

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
