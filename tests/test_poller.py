"""Cadence (pure), the poller under trio's MockClock, and the poller against a real HTTP server."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta

import pytest
import trio
import trio.testing
from hypothesis import given
from hypothesis import strategies as st

from ingester.cadence import Cadence, Outcome, in_window, outcome_of, parse_retry_after, phase_at
from ingester.feedback import PageReport, ReportBoard
from ingester.fetch import Fetcher, FetchLimits
from ingester.poller import Poller, Stopper
from ingester.settings import ClockWindow, SourceSettings
from ingester.types import Fetched
from tests.httpserver import Server, trio_test

NIGHT = datetime(2024, 7, 4, 20, 0, tzinfo=UTC)  # 21:00 in London


def settings(**overrides: object) -> SourceSettings:
    fields: dict[str, object] = {
        "name": "src",
        "url": "http://127.0.0.1/live",
        "kind": "text",
        "interval": 10.0,
        "min_interval": 2.0,
        "max_interval": 40.0,
        "election": None,
        "test": False,
        "max_pages": 3,
    }
    return SourceSettings(**(fields | overrides))  # type: ignore[arg-type]


def fetched_with(status: int | None, headers: dict[str, str] | None = None, url: str = "u") -> Fetched:
    error = None if status is not None else "ConnectError: refused"
    return Fetched(source="src", url=url, fetched_at=NIGHT, status=status, headers=headers or {}, error=error)


# --- cadence, pure --------------------------------------------------------------------------------


def test_the_interval_shrinks_while_a_source_produces_and_grows_when_quiet_within_bounds() -> None:
    cadence = Cadence(settings(), jitter=0)
    busy = [cadence.next_delay(Outcome(ok=True, produced=True), NIGHT) for _ in range(4)]
    quiet = [cadence.next_delay(Outcome(ok=True), NIGHT) for _ in range(30)]
    assert busy == [5.0, 2.5, 2.0, 2.0]
    assert quiet[0] == pytest.approx(2.4) and quiet == sorted(quiet) and quiet[-1] == 40.0


def test_failures_back_off_exponentially_with_a_cap_and_recover_at_once() -> None:
    cadence = Cadence(settings(), jitter=0, backoff_max=100, rng=random.Random(7))
    failed = [cadence.next_delay(Outcome(ok=False), NIGHT) for _ in range(8)]
    for count, delay in enumerate(failed, 1):
        ceiling = min(100.0, 10.0 * 2**count)
        assert max(10.0, ceiling / 2) <= delay <= ceiling
    assert failed[-1] >= 50.0
    assert cadence.next_delay(Outcome(ok=True), NIGHT) == 12.0 and cadence.failures == 0


def test_retry_after_is_honoured_on_429_and_503_and_capped() -> None:
    cadence = Cadence(settings(), jitter=0, backoff_max=30, retry_after_max=600)
    assert cadence.next_delay(outcome_of(fetched_with(429, {"retry-after": "120"})), NIGHT) == 120.0
    assert cadence.next_delay(outcome_of(fetched_with(503, {"retry-after": "99999"})), NIGHT) == 600.0
    assert outcome_of(fetched_with(500, {"retry-after": "120"})).retry_after is None
    assert outcome_of(fetched_with(304)).ok and not outcome_of(fetched_with(None)).ok


def test_retry_after_reads_seconds_and_http_dates_and_ignores_garbage() -> None:
    assert parse_retry_after("30", NIGHT) == 30.0
    assert parse_retry_after("Thu, 04 Jul 2024 20:02:00 GMT", NIGHT) == 120.0
    assert parse_retry_after("Thu, 04 Jul 2024 19:00:00 GMT", NIGHT) == 0.0
    for garbage in ("soon", "-5", "", "9" * 40, "Thu, 99 Jul 2024 20:02:00 GMT"):
        assert parse_retry_after(garbage, NIGHT) is None


def test_the_schedule_puts_each_moment_in_its_phase() -> None:
    night = settings(active=ClockWindow(time(22), time(12)), fast=ClockWindow(time(0, 30), time(6)))
    london = [(NIGHT, "idle"), (NIGHT + timedelta(hours=1), "active"), (NIGHT + timedelta(hours=4), "fast")]
    london += [(NIGHT + timedelta(hours=9, minutes=30), "active"), (NIGHT + timedelta(hours=15), "idle")]
    for moment, phase in london:
        assert phase_at(night, moment) == phase, moment
    cadence = Cadence(night, jitter=0)
    assert [cadence.base(moment) for moment, _ in london[:3]] == [40.0, 10.0, 2.0]


@given(st.times(), st.times(), st.times())
def test_a_window_and_its_complement_split_the_day(moment: time, start: time, end: time) -> None:
    if start != end:
        assert in_window(moment, ClockWindow(start, end)) != in_window(moment, ClockWindow(end, start))


# --- the poller under MockClock -------------------------------------------------------------------

Plan = Callable[[int, str], tuple[Fetched, PageReport]]


async def drive(source: SourceSettings, plan: Plan, duration: float) -> list[tuple[float, str]]:
    """Runs one poller for ``duration`` virtual seconds; ``plan`` answers each fetch and its report."""
    board, stopper = ReportBoard(), Stopper()
    fetches: list[tuple[float, str]] = []
    reports: dict[int, PageReport] = {}
    send, receive = trio.open_memory_channel[Fetched](4)

    async def fetch(name: str, url: str) -> Fetched:
        fetches.append((trio.current_time(), url))
        fetched, report = plan(len(fetches), url)
        reports[id(fetched)] = report
        return fetched

    async def processor() -> None:
        async for fetched in receive:
            board.deliver(fetched, reports.pop(id(fetched)))

    now = _virtual_now(trio.current_time())
    cadence = Cadence(source, jitter=0, backoff_max=120, rng=random.Random(1))
    poller = Poller(source, fetch=fetch, emit=send.send, board=board, stopper=stopper, cadence=cadence, now=now)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(processor)
        async with send, trio.open_nursery() as polling:  # the poller ends before the channel closes
            polling.start_soon(poller.run)
            await trio.sleep(duration)
            stopper.stop()
    return fetches


def _virtual_now(origin: float) -> Callable[[], datetime]:
    return lambda: NIGHT + timedelta(seconds=trio.current_time() - origin)


def run_virtual(test: Callable[[], object]) -> None:
    trio.run(test, clock=trio.testing.MockClock(autojump_threshold=0))  # type: ignore[arg-type]


def gaps(fetches: list[tuple[float, str]]) -> list[float]:
    return [round(later[0] - earlier[0], 6) for earlier, later in itertools.pairwise(fetches)]


def test_the_poller_speeds_up_while_posts_arrive_and_slows_down_after() -> None:
    def plan(count: int, url: str) -> tuple[Fetched, PageReport]:
        busy = 2 <= count <= 5
        return fetched_with(200, url=url), PageReport(parsed=True, posts=9, created_ids=frozenset("a" if busy else ""))

    async def main() -> None:
        fetches = await drive(settings(max_pages=1), plan, duration=200)
        assert gaps(fetches)[:7] == [12.0, 6.0, 3.0, 2.0, 2.0, 2.4, 2.88]
        assert max(gaps(fetches)) <= 40.0

    run_virtual(main)


def test_the_poller_backs_off_on_errors_honours_retry_after_and_recovers() -> None:
    def plan(count: int, url: str) -> tuple[Fetched, PageReport]:
        if count in (2, 3, 4):
            return fetched_with(None, url=url), PageReport()
        if count == 5:
            return fetched_with(429, {"retry-after": "90"}, url=url), PageReport()
        return fetched_with(304, url=url), PageReport()

    async def main() -> None:
        between = gaps(await drive(settings(max_pages=1), plan, duration=400))
        assert between[0] == 12.0  # after a success: the quiet interval
        assert 12.0 <= between[1] <= 24.0 and between[2] >= 12.0 and between[3] >= 12.0  # backing off
        assert between[4] == 90.0  # Retry-After beats the backoff
        assert between[5] == pytest.approx(12.0 * 1.2)  # recovered at once

    run_virtual(main)


def test_the_schedule_slows_polling_outside_the_night_and_speeds_it_in_the_fast_window() -> None:
    # NIGHT is 21:00 London: idle until 21:10, active until 21:20, fast after.
    night = settings(max_pages=1, active=ClockWindow(time(21, 10), time(12)), fast=ClockWindow(time(21, 20), time(6)))

    def plan(count: int, url: str) -> tuple[Fetched, PageReport]:
        return fetched_with(304, url=url), PageReport()

    async def main() -> None:
        fetches = await drive(night, plan, duration=1500)
        early = [gap for (at, _), gap in zip(fetches, gaps(fetches), strict=False) if at < 500]
        late = [gap for (at, _), gap in zip(fetches, gaps(fetches), strict=False) if at > 1250]
        assert early and all(gap == 40.0 for gap in early)
        assert late and all(gap == 2.0 for gap in late)

    run_virtual(main)


def page_report(new: str, oldest: str, following: tuple[str, ...] = ()) -> PageReport:
    """A page whose posts ``new`` (one letter each) were first seen by this fetch, ``oldest`` its last."""
    return PageReport(
        parsed=True,
        posts=5,
        created_ids=frozenset(new),
        oldest=frozenset(oldest),
        next_urls=following,
    )


BASE = "http://127.0.0.1/live"
PAGES = (f"{BASE}?page=2", f"{BASE}?page=3", f"{BASE}?page=4")


def test_the_chase_reads_on_while_a_page_ends_in_a_post_new_this_cycle_and_the_sweep_rereads_one_more() -> None:
    cycles: list[dict[str, PageReport | None]] = [
        # a burst: pages 1 and 2 end in new posts, page 3 in one seen before; then page 4 is swept
        {
            BASE: page_report("abcde", "e", PAGES),
            PAGES[0]: page_report("fghij", "j"),
            PAGES[1]: page_report("k", "m"),
            PAGES[2]: page_report("", "r"),
        },
        {BASE: page_report("", "e", PAGES), PAGES[0]: page_report("", "j")},  # nothing new: sweep page 2
        {BASE: None, PAGES[1]: page_report("", "m")},  # page 1 unchanged (304): sweep page 3
        # page 2 now starts with what page 1 showed a moment ago: its oldest is still new this cycle
        {
            BASE: page_report("vw", "w", PAGES),
            PAGES[0]: page_report("", "w"),
            PAGES[1]: page_report("", "e"),
            PAGES[2]: page_report("", "j"),
        },
    ]
    visits = iter([(index, url) for index, cycle in enumerate(cycles) for url in cycle])

    def plan(count: int, url: str) -> tuple[Fetched, PageReport]:
        index, expected = next(visits, (None, url))
        assert url == expected
        report = cycles[index][url] if index is not None else None
        return (fetched_with(200, url=url), report) if report else (fetched_with(304, url=url), PageReport())

    async def main() -> None:
        fetches = await drive(settings(max_pages=4), plan, duration=30)
        expected = [url for cycle in cycles for url in cycle]
        assert [url for _, url in fetches][: len(expected)] == expected

    run_virtual(main)


def test_the_chase_stops_at_max_pages_and_pages_on_other_hosts_are_never_read() -> None:
    elsewhere = ("http://elsewhere.test/live?page=2", PAGES[0], PAGES[1])
    reports = {BASE: page_report("abcde", "e", elsewhere), PAGES[0]: page_report("fghij", "j")}

    def plan(count: int, url: str) -> tuple[Fetched, PageReport]:
        return fetched_with(200, url=url), reports.get(url, page_report("", "z"))

    async def main() -> None:
        fetches = await drive(settings(max_pages=2), plan, duration=25)
        assert [url for _, url in fetches][:4] == [BASE, PAGES[0], BASE, PAGES[0]]
        assert all("elsewhere" not in url and url != PAGES[1] for _, url in fetches)

    run_virtual(main)


def test_stopping_ends_a_poller_that_is_waiting() -> None:
    async def main() -> None:
        stopper = Stopper()
        source = settings(interval=3600.0, min_interval=3600.0, max_interval=3600.0)
        poller = Poller(
            source,
            fetch=_never_called,
            emit=_never_called_emit,
            board=ReportBoard(),
            stopper=stopper,
            cadence=Cadence(source, rng=random.Random(3)),
        )
        async with trio.open_nursery() as nursery:
            nursery.start_soon(poller.run)
            await trio.sleep(1)
            started = trio.current_time()
            stopper.stop()
        assert trio.current_time() == started

    run_virtual(main)


async def _never_called(source: str, url: str) -> Fetched:
    raise AssertionError("the first poll is at least a second away")


async def _never_called_emit(fetched: Fetched) -> None:
    raise AssertionError("nothing was fetched")


# --- against a real HTTP server --------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    try:
        yield running
    finally:
        running.close()


async def poll_real(server: Server, source: SourceSettings, until: Callable[[], bool]) -> None:
    """One poller with a real fetcher; reports come from the JSON pages the server serves."""
    board, stopper = ReportBoard(), Stopper()
    seen: set[str] = set()
    send, receive = trio.open_memory_channel[Fetched](4)

    async def processor() -> None:
        async for fetched in receive:
            if fetched.status != 200:
                board.deliver(fetched, PageReport())
                continue
            page = json.loads(fetched.body)
            created = frozenset(page["posts"]) - seen
            seen.update(page["posts"])
            following = page.get("next") or []
            next_urls = tuple(server.url(path) for path in ([following] if isinstance(following, str) else following))
            report = PageReport(
                parsed=True,
                posts=len(page["posts"]),
                created_ids=created,
                oldest=frozenset(page["posts"][-1:]),
                next_urls=next_urls,
            )
            board.deliver(fetched, report)

    fetcher = Fetcher(FetchLimits(min_gap=0, total_timeout=5))
    cadence = Cadence(source, jitter=0, rng=random.Random(5))
    poller = Poller(source, fetch=fetcher.fetch, emit=send.send, board=board, stopper=stopper, cadence=cadence)
    try:
        with trio.fail_after(20):
            async with trio.open_nursery() as nursery:
                nursery.start_soon(processor)
                async with send, trio.open_nursery() as polling:
                    polling.start_soon(poller.run)
                    while not until():
                        await trio.sleep(0.05)
                    stopper.stop()
    finally:
        await fetcher.aclose()


def _page(posts: list[str], following: str | list[str] | None) -> bytes:
    return json.dumps({"posts": posts, "next": following}).encode()


@trio_test
async def test_a_429_with_retry_after_delays_the_next_request(server: Server) -> None:
    server.route("/busy", status=429, headers={"Retry-After": "2"}, body=b"slow down")
    source = settings(url=server.url("/busy"), interval=1.0, min_interval=1.0, max_interval=1.0, max_pages=1)
    await poll_real(server, source, until=lambda: len(server.answered("/busy")) >= 2)
    first, second = server.seen("/busy")[:2]
    assert first.finished is not None and second.started - first.finished >= 2.0


@trio_test
async def test_against_a_real_server_new_pages_are_chased_then_one_deeper_page_is_swept_a_cycle(server: Server) -> None:
    server.route("/live", body=_page(["a", "b"], "/live?page=2"), etag='"1"')
    server.route("/live?page=2", body=_page(["c", "d"], "/live?page=3"))
    server.route("/live?page=3", body=_page(["e"], None))
    source = settings(url=server.url("/live"), interval=1.0, min_interval=1.0, max_interval=1.0, max_pages=5)
    await poll_real(server, source, until=lambda: len(server.answered("/live")) >= 4)
    order = [seen.path for seen in server.requests if seen.path.startswith("/live")]
    assert order[:7] == ["/live", "/live?page=2", "/live?page=3", "/live", "/live?page=2", "/live", "/live?page=3"]
    assert [seen.status for seen in server.answered("/live")][:3] == [200, 304, 304]


@trio_test
async def test_pages_named_by_page_one_alone_are_all_walked_while_each_moved_on(server: Server) -> None:
    # a BBC stream: page 1 names pages 2 and 3; page 2 names none, yet page 3 is still read after it
    server.route("/stream", body=_page(["a", "b"], ["/stream?p=2", "/stream?p=3"]), etag='"1"')
    server.route("/stream?p=2", body=_page(["c", "d"], None))
    server.route("/stream?p=3", body=_page(["e"], None))
    source = settings(url=server.url("/stream"), interval=1.0, min_interval=1.0, max_interval=1.0, max_pages=5)
    await poll_real(server, source, until=lambda: len(server.answered("/stream")) >= 2)
    order = [seen.path for seen in server.requests if seen.path.startswith("/stream")]
    assert order[:4] == ["/stream", "/stream?p=2", "/stream?p=3", "/stream"]
