"""The ``bbc-live`` adapter beyond its golden files: both shapes, times, pagination, the night's changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingester import differ
from ingester.samples import bbc_live
from ingester.samples.bbc_live_posts import LIVE_POSTS
from ingester.sources._json import utc_time
from ingester.sources._text import parse_iso
from ingester.sources.bbc_live import MAX_PAGES, BbcLiveAdapter, looks_like_bbc_live
from ingester.types import AdapterContext, Extraction, Post, SourceState
from tests.sources.cases import case

ADAPTER = BbcLiveAdapter()
PAGE = AdapterContext(url=bbc_live.PAGE_URL, election="parl.2024-07-04")
STREAM = AdapterContext(url=f"{bbc_live.STREAM_URL}?{bbc_live.stream_query(1)}", election="parl.2024-07-04")


def read(name: str) -> Extraction:
    found = case(f"bbc-live/{name}")
    return ADAPTER.extract(found.body(), found.context)


def by_headline(extraction: Extraction, headline: str) -> Post:
    return next(p for p in extraction.posts if p.headline == headline)


def stream(*results: object, index: int = 1, total: int = 1) -> bytes:
    return msgspec.json.encode({"page": {"index": index, "total": total}, "results": list(results)})


def post(urn: str = "urn:asset:1", **fields: object) -> dict[str, object]:
    paragraph = {"type": "paragraph", "model": {"text": "Labour gain Erewash"}}
    content = {"model": {"blocks": [{"type": "text", "model": {"blocks": [paragraph]}}]}}
    return {"urn": urn, "type": "POST", "content": content, **fields}


def test_the_page_data_is_decoded_twice_into_posts() -> None:
    extraction = read("derbyshire-live.1.html")
    assert extraction.warnings == ()
    first = by_headline(extraction, "Bolsover may declare earlier than expected")
    assert first.native_id == LIVE_POSTS[9].urn
    assert first.author == "Kate Linderholm, BBC Derby"
    assert first.published_at is not None and first.published_at.utcoffset() is not None
    assert first.published_at.replace(second=0) == datetime(2024, 7, 4, 23, 24, tzinfo=UTC)
    assert first.url == f"{bbc_live.PAGE_URL}?post=urn%3Aasset%3A5d1e000a-2b7c-4e0a-9c41-0d3f6a000010#post"
    quote = by_headline(extraction, "Labour on song, says Derbyshire Dales candidate")
    assert quote.body.split("\n")[-2:] == [
        "As long as we get a Labour government, I will be happy.",
        "Labour candidate John Whitby",
    ]


def test_lists_breaking_news_summary_and_banner() -> None:
    extraction = read("derbyshire-live.3.html")
    wrap_up = by_headline(extraction, "Conservatives wiped out in Derbyshire")
    assert wrap_up.body.split("\n")[1:] == [
        "Gains: Erewash, Derbyshire Dales, Bolsover, High Peak, Amber Valley, Derby North, South Derbyshire, "
        "Mid Derbyshire and North East Derbyshire",
        "Holds: Derby South and Chesterfield",
    ]
    assert by_headline(extraction, "Labour gain Derbyshire Dales").body.startswith("Breaking news\n")
    assert by_headline(extraction, "Summary").body.startswith("Conservatives completely wiped out")
    banner = by_headline(extraction, "Results: parties by seats").body.split("\n")
    assert banner[:3] == ["326 seats for a majority", "0 seats to go", "Labour: 412 seats, 211 seats gained"]
    assert "Sinn Fein: 7 seats, No change" in banner


def test_the_night_edits_and_withdraws_posts_under_stable_urns() -> None:
    early, middle, late = (read(f"derbyshire-live.{n}.html") for n in (1, 2, 3))
    erewash = [p for p in middle.posts if p.headline == "Labour gain Erewash"]
    assert [p.native_id for p in erewash] == [LIVE_POSTS[13].urn]
    assert "Maggie Throup" in erewash[0].body
    assert len([p for p in middle.posts if p.headline == "Labour gain Bolsover"]) == 2  # the duplicate
    state = SourceState()
    for snapshot in (early, middle, late):
        changes = differ.diff(state, snapshot)
        for change in changes:
            state.posts[change.post_id] = differ.next_state(change, ())
    assert state.posts[LIVE_POSTS[15].urn].deleted  # the duplicate was taken down
    assert not state.posts[LIVE_POSTS[14].urn].deleted


def test_pages_beyond_the_first_are_named_only_by_the_first() -> None:
    final = read("derbyshire-live.3.html")
    assert final.next_urls == (
        f"{bbc_live.STREAM_URL}?liveTextStreamId={bbc_live.STREAM_ID}&pageUrl=%2Fnews%2Flive%2Fc4ngq5d8l0xt"
        "&pageNumber=2",
    )
    second = read("derbyshire-stream.p2.json")
    assert second.next_urls == ()
    assert [p.headline for p in second.posts][-1] == "Welcome to our election coverage"
    assert all(p.url and p.url.startswith(bbc_live.PAGE_URL) for p in second.posts)
    many = ADAPTER.extract(stream(post(), total=500), STREAM)
    assert len(many.next_urls) == MAX_PAGES - 1
    assert many.next_urls[0] == f"{bbc_live.STREAM_URL}?liveTextStreamId={bbc_live.STREAM_ID}&pageNumber=2"


def test_display_times_are_placed_on_the_election_night_and_marked() -> None:
    extraction = read("derbyshire-stream.display-times.json")
    times = {p.headline: p for p in extraction.posts}
    welcome = times["Welcome to our election coverage"]
    assert welcome.time_inferred and welcome.published_at == datetime(2024, 7, 4, 19, 0, tzinfo=UTC)
    late = times["'We've both got losing in common'"]
    assert late.time_inferred and late.published_at == datetime(2024, 7, 5, 0, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ({"time": "00:14"}, datetime(2024, 7, 4, 23, 14, tzinfo=UTC)),  # after midnight: 5 July BST
        ({"time": "23:39"}, datetime(2024, 7, 4, 22, 39, tzinfo=UTC)),
        ({"time": "01:03", "date": "5 July"}, datetime(2024, 7, 5, 0, 3, tzinfo=UTC)),
    ],
)
def test_displayed_times_roll_over_midnight(shown: dict[str, str], expected: datetime) -> None:
    [found] = ADAPTER.extract(stream(post(dates=shown)), STREAM).posts
    assert (found.published_at, found.time_inferred) == (expected, True)


def test_a_displayed_time_without_an_election_is_left_empty_with_a_warning() -> None:
    context = AdapterContext(url=STREAM.url)
    extraction = ADAPTER.extract(stream(post(dates={"time": "01:03"})), context)
    assert extraction.posts[0].published_at is None
    assert extraction.warnings == ("bbc-live: 1 post time(s) shown without a date; pass the election",)


def test_iso_times_win_and_need_an_offset() -> None:
    dates = {"firstPublished": "2024-07-05T01:03:00+01:00", "lastPublished": "2024-07-05T01:09:00", "time": "09:99"}
    extraction = ADAPTER.extract(stream(post(dates=dates)), STREAM)
    [found] = extraction.posts
    assert (found.published_at, found.updated_at, found.time_inferred) == (
        datetime(2024, 7, 5, 0, 3, tzinfo=UTC),
        None,
        False,
    )
    assert extraction.warnings == ("bbc-live: time '2024-07-05T01:09:00' has no UTC offset; left empty",)


@pytest.mark.parametrize("body", [b"", b"   \n", b'{"page":{"index":1,"total":0},"results":[]}'])
def test_an_empty_response_is_a_warning_and_deletes_nothing(body: bytes) -> None:
    extraction = ADAPTER.extract(body, STREAM)
    assert extraction.posts == () and len(extraction.warnings) == 1
    state = SourceState(posts={"urn:asset:1": differ.next_state(differ.diff(SourceState(), read_one())[0], ())})
    assert differ.diff(state, extraction) == []


def read_one() -> Extraction:
    return ADAPTER.extract(stream(post(dates={"firstPublished": "2024-07-05T01:03:00Z"})), STREAM)


def test_items_that_are_not_posts_are_skipped_with_a_warning() -> None:
    extraction = ADAPTER.extract(stream(post(), {"type": "ADVERT", "urn": "x"}, {"urn": 3}, "junk"), STREAM)
    assert [p.native_id for p in extraction.posts] == ["urn:asset:1"]
    assert extraction.warnings == ("bbc-live: 3 stream item(s) that are not readable posts skipped",)


def test_javascript_escapes_in_the_page_string() -> None:
    inner = msgspec.json.encode(
        {"data": {"stream-data?liveTextStreamId=AB": {"data": msgspec.json.decode(stream(post()))}}}
    )
    literal = msgspec.json.encode(inner.decode()).decode().replace("<", "\\x3C")
    page = f"<html><script>window.__INITIAL_DATA__ = {literal} ;</script></html>".encode()
    extraction = ADAPTER.extract(page, PAGE)
    assert [p.body for p in extraction.posts] == ["Labour gain Erewash"]


def test_detection() -> None:
    assert looks_like_bbc_live(bbc_live.PAGE_URL, case("bbc-live/derbyshire-live.1.html").body(), {})
    assert looks_like_bbc_live(STREAM.url, b'{"results": []}', {})
    assert looks_like_bbc_live("file:///x.json", case("bbc-live/empty-stream.json").body(), {})
    assert not looks_like_bbc_live("https://example.org/", b'{"page": 1}', {})
    assert not looks_like_bbc_live("https://example.org/", b"<script>window.__INITIAL_DATA__={}</script>", {})


TIMES = st.one_of(
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=1)), timezone(-timedelta(hours=5))])).map(
        datetime.isoformat
    ),
    st.datetimes().map(lambda moment: moment.isoformat(timespec="milliseconds") + "Z"),
    st.text(st.sampled_from("0123456789-:TZ+. "), max_size=30),
)


@settings(max_examples=300, deadline=None)
@given(TIMES)
def test_utc_times_read_as_parse_iso_reads_them(text: str) -> None:
    problems: list[str] = []
    expected: list[str] = []
    parsed = utc_time(text, problems)
    assert parsed == parse_iso(text, expected) and problems == expected
    assert parsed is None or parsed.tzinfo is UTC
