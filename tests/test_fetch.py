"""The fetcher against a real HTTP server on 127.0.0.1 (and MockTransport for single functions)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import httpx
import pytest
import trio
import trio.testing

from ingester.fetch import Fetcher, FetchLimits, FetchRefused, HostGate, redirect_target, safe_url, user_agent
from ingester.types import Fetched
from tests.httpserver import Server, SilentListener, trio_test

FAST = FetchLimits(connect_timeout=2, read_timeout=2, total_timeout=5, min_gap=0, per_host_concurrency=4)


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    try:
        yield running
    finally:
        running.close()


async def fetch_once(url: str, limits: FetchLimits = FAST, **options: object) -> Fetched:
    fetcher = Fetcher(limits, **options)  # type: ignore[arg-type]
    try:
        with trio.fail_after(15):
            return await fetcher.fetch("src", url)
    finally:
        await fetcher.aclose()


@trio_test
async def test_a_plain_fetch_gives_status_headers_and_body(server: Server) -> None:
    server.route("/page", body=b"hello", headers={"Content-Type": "text/plain"})
    fetched = await fetch_once(server.url("/page"), agent=user_agent("https://newsroom.example/bot"))
    assert (fetched.status, fetched.body, fetched.error) == (200, b"hello", None)
    assert fetched.headers["content-type"] == "text/plain"
    sent = server.seen("/page")[0].headers
    assert sent["user-agent"].startswith("ingester/") and "(+https://newsroom.example/bot)" in sent["user-agent"]


@trio_test
async def test_conditional_get_sends_back_etag_and_last_modified_and_gets_304(server: Server) -> None:
    modified = "Thu, 04 Jul 2024 23:00:00 GMT"
    server.route("/blog", body=b"posts", etag='"v1"', last_modified=modified)
    fetcher = Fetcher(FAST)
    try:
        with trio.fail_after(10):
            first = await fetcher.fetch("src", server.url("/blog"))
            second = await fetcher.fetch("src", server.url("/blog"))
            server.route("/blog", body=b"more posts", etag='"v2"')
            third = await fetcher.fetch("src", server.url("/blog"))
            fourth = await fetcher.fetch("src", server.url("/blog"))
    finally:
        await fetcher.aclose()
    assert [f.status for f in (first, second, third, fourth)] == [200, 304, 200, 304]
    assert second.body == b"" and third.body == b"more posts"
    sent = [seen.headers for seen in server.seen("/blog")]
    assert "if-none-match" not in sent[0]
    assert sent[1]["if-none-match"] == '"v1"' and sent[1]["if-modified-since"] == modified
    assert sent[3]["if-none-match"] == '"v2"' and "if-modified-since" not in sent[3]


@trio_test
async def test_a_body_over_the_cap_is_refused_by_length_and_by_stream(server: Server) -> None:
    limits = FetchLimits(max_body_bytes=1024, total_timeout=5, min_gap=0)
    server.route("/declared", body=b"x" * 5000)
    server.route("/streamed", body=b"y" * 5000, send_length=False)
    server.route("/small", body=b"z" * 1024)
    declared = await fetch_once(server.url("/declared"), limits)
    streamed = await fetch_once(server.url("/streamed"), limits)
    small = await fetch_once(server.url("/small"), limits)
    assert declared.status is None and "5000 bytes is over the 1024-byte limit" in (declared.error or "")
    assert streamed.status is None and "over the 1024-byte limit" in (streamed.error or "")
    assert small.body == b"z" * 1024


@trio_test
async def test_redirects_are_followed_to_http_only_and_up_to_the_limit(server: Server) -> None:
    server.route("/final", body=b"landed")
    server.redirect("/hop1", "/hop2", status=301)
    server.redirect("/hop2", server.url("/final"), status=307)
    server.redirect("/to-file", "file:///etc/passwd")
    server.redirect("/to-ftp", "ftp://127.0.0.1/x")
    server.redirect("/loop", "/loop")
    followed = await fetch_once(server.url("/hop1"))
    assert (followed.status, followed.body, followed.url) == (200, b"landed", server.url("/hop1"))
    for path in ("/to-file", "/to-ftp"):
        refused = await fetch_once(server.url(path))
        assert refused.status is None and "only http and https" in (refused.error or "")
    looped = await fetch_once(server.url("/loop"), FetchLimits(max_redirects=3, min_gap=0))
    assert looped.status is None and "more than 3 redirects" in (looped.error or "")
    assert len(server.seen("/loop")) == 4


@trio_test
async def test_a_server_that_never_answers_times_out(server: Server) -> None:
    server.route("/hang", hang=True)
    limits = FetchLimits(connect_timeout=1, read_timeout=0.3, total_timeout=5, min_gap=0)
    fetched = await fetch_once(server.url("/hang"), limits)
    assert fetched.status is None and "ReadTimeout" in (fetched.error or "")


@trio_test
async def test_a_listener_that_accepts_and_never_reads_times_out() -> None:
    listener = SilentListener()
    try:
        limits = FetchLimits(connect_timeout=1, read_timeout=0.3, total_timeout=5, min_gap=0)
        fetched = await fetch_once(listener.url("/"), limits)
    finally:
        listener.close()
    assert fetched.status is None and "timed out" in (fetched.error or "")


@trio_test
async def test_a_trickling_body_hits_the_total_deadline(server: Server) -> None:
    server.route("/trickle", chunk_delay=0.05, chunk_size=8, endless=True)
    limits = FetchLimits(read_timeout=1, total_timeout=0.5, min_gap=0, max_body_bytes=1 << 20)
    fetched = await fetch_once(server.url("/trickle"), limits)
    assert fetched.status is None and "deadline" in (fetched.error or "")


@trio_test
async def test_a_refused_connection_is_an_error_not_an_exception() -> None:
    listener = SilentListener()
    url = listener.url("/")
    listener.close()
    fetched = await fetch_once(url)
    assert fetched.status is None and fetched.error


@pytest.mark.parametrize("path", ["/hang", "/slow-body", "/redirect-to-hang"])
@trio_test
async def test_a_cancelled_fetch_does_not_leak_the_connection_slot(server: Server, path: str) -> None:
    server.route("/hang", hang=True)
    server.route("/slow-body", chunk_delay=0.02, endless=True)
    server.redirect("/redirect-to-hang", "/hang")
    server.route("/ok", body=b"fine")
    # One connection in the pool: a leaked slot would make every later fetch wait for the pool.
    limits = FetchLimits(per_host_concurrency=1, connect_timeout=1, read_timeout=5, total_timeout=2, min_gap=0)
    fetcher = Fetcher(limits)
    try:
        for cancel_after in (0.0, 0.005, 0.05, 0.2):  # at connect, headers, body: wherever it lands
            with trio.move_on_after(cancel_after) as cancelled:
                await fetcher.fetch("src", server.url(path))
            assert cancelled.cancelled_caught
            with trio.fail_after(10):
                after = await fetcher.fetch("src", server.url("/ok"))
            assert (after.status, after.error) == (200, None)
    finally:
        await fetcher.aclose()


@trio_test
async def test_the_host_gate_caps_requests_in_flight(server: Server) -> None:
    server.route("/slow", body=b"ok", delay=0.1)
    fetcher = Fetcher(FetchLimits(per_host_concurrency=2, min_gap=0, total_timeout=10))
    try:
        with trio.fail_after(15):
            async with trio.open_nursery() as nursery:
                for index in range(6):
                    nursery.start_soon(fetcher.fetch, f"s{index}", server.url("/slow"))
    finally:
        await fetcher.aclose()
    assert server.max_in_flight == 2
    assert len(server.seen("/slow")) == 6


async def gate_starts() -> None:
    gate = HostGate(concurrency=3, min_gap=2.0)
    starts: list[float] = []

    async def one() -> None:
        async with gate.slot():
            starts.append(trio.current_time())
            await trio.sleep(0.5)

    async with trio.open_nursery() as nursery:
        for _ in range(5):
            nursery.start_soon(one)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert len(starts) == 5 and all(gap >= 2.0 for gap in gaps)


def test_the_host_gate_spaces_request_starts_by_the_minimum_gap() -> None:
    trio.run(gate_starts, clock=trio.testing.MockClock(autojump_threshold=0))


@trio_test
async def test_clients_are_one_per_group_of_sources_per_host() -> None:
    seen_hosts: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen_hosts.append(request.url.host)
        return httpx.Response(200, content=b"ok")

    fetcher = Fetcher(FetchLimits(min_gap=0), sources_per_client=2, transport=httpx.MockTransport(answer))
    try:
        for index in range(5):
            await fetcher.fetch(f"a{index}", f"http://a.test/{index}")
        await fetcher.fetch("b0", "http://b.test/")
        await fetcher.fetch("a0", "http://a.test/again")
        assert fetcher.client_count() == 3 + 1
    finally:
        await fetcher.aclose()
    shared = Fetcher(FetchLimits(min_gap=0), client_per="shared", transport=httpx.MockTransport(answer))
    try:
        await shared.fetch("a0", "http://a.test/")
        await shared.fetch("b0", "http://b.test/")
        assert shared.client_count() == 1
    finally:
        await shared.aclose()


def test_redirect_target_resolves_relative_locations_and_refuses_other_schemes() -> None:
    assert redirect_target("https://x.test/a/b", "../c") == "https://x.test/c"
    assert redirect_target("https://x.test/a", "//y.test/z") == "https://y.test/z"
    for location in ("javascript:alert(1)", "data:text/plain,hi", "gopher://x.test/"):
        with pytest.raises(FetchRefused):
            redirect_target("https://x.test/", location)


def test_safe_url_hides_userinfo_and_secret_parameters() -> None:
    shown = safe_url("https://user:hunter2@feeds.test/live?api_key=SEKRET&page=2&token=T0K")
    assert "hunter2" not in shown and "SEKRET" not in shown and "T0K" not in shown
    assert "page=2" in shown and "feeds.test/live" in shown
