"""The ``feed`` adapter: keys, the BBC's reused guids and re-stamped times, zones, charsets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingester import differ
from ingester.sources.feed import FeedAdapter, feed_time, looks_like_feed
from ingester.types import AdapterContext, Extraction, SourceState
from tests.sources.cases import case

ADAPTER = FeedAdapter()
CONTEXT = AdapterContext(url="https://feeds.example/news.xml")


def read(name: str) -> Extraction:
    found = case(f"feed/{name}")
    return ADAPTER.extract(found.body(), found.context)


def rss(*items: str, declaration: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return f'{declaration}<rss version="2.0"><channel><title>t</title>{"".join(items)}</channel></rss>'.encode()


def test_entries_are_keyed_on_guid_then_link_then_content() -> None:
    extraction = read("derbyshire-dales-council.atom")
    ids = [p.native_id for p in extraction.posts]
    assert ids == [
        "tag:derbyshiredales.gov.uk,2024:elections/parliamentary-2024/declaration",
        "tag:derbyshiredales.gov.uk,2024:elections/parliamentary-2024/count-update",
        "https://www.derbyshiredales.gov.uk/elections/parliamentary-2024/verification",
        None,  # neither guid nor link: the differ keys it on its text
    ]
    assert extraction.posts[0].body.split("\n")[1] == "John Whitby, Labour - 17,759"
    assert "True & Fair Party - 317" in extraction.posts[0].body


def test_the_night_across_two_snapshots() -> None:
    state = SourceState()
    seen: list[list[tuple[str, str]]] = []
    for n in (1, 2):
        changes = differ.diff(state, read(f"bbc-derbyshire.{n}.xml"))
        seen.append([(c.action, c.post_id) for c in changes])
        for change in changes:
            state.posts[change.post_id] = differ.next_state(change, ())
    second = {pid: action for action, pid in seen[1]}
    # a rewritten title is an edit; a re-stamped time alone is not; an item gone from the feed is deleted
    assert second["https://www.bbc.co.uk/news/articles/c0kw5x4n2n7o#0"] == "updated"
    assert "https://www.bbc.co.uk/news/live/c4ngq5d8l0xt#1" not in second
    assert second["https://www.bbc.co.uk/news/articles/c8v9rz3dq2ko#0"] == "deleted"
    reused = [pid for pid in second if pid.startswith("https://www.bbc.co.uk/news/uk-england-derbyshire-69123456#0 ")]
    assert len(reused) == 2 and all(second[pid] == "created" for pid in reused)


def test_a_guid_repeated_with_the_same_link_is_one_story() -> None:
    item = "<item><title>A</title><guid>g1</guid><link>https://x/a?at_medium=RSS</link></item>"
    again = "<item><title>A</title><guid>g1</guid><link>https://x/a?at_campaign=rss</link></item>"
    extraction = ADAPTER.extract(rss(item, again), CONTEXT)
    assert [p.native_id for p in extraction.posts] == ["g1", "g1"]
    assert extraction.warnings == ()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Fri, 05 Jul 2024 01:49:12 GMT", datetime(2024, 7, 5, 1, 49, 12, tzinfo=UTC)),
        ("Fri, 05 Jul 2024 02:49:12 +0100", datetime(2024, 7, 5, 1, 49, 12, tzinfo=UTC)),
        ("Fri, 05 Jul 2024 02:49:12 BST", datetime(2024, 7, 5, 1, 49, 12, tzinfo=UTC)),
        ("2024-07-05T02:49:12+01:00", datetime(2024, 7, 5, 1, 49, 12, tzinfo=UTC)),
        ("Fri, 05 Jul 2024 02:49:12 -0000", None),  # RFC 822: zone unknown
        ("2024-07-05T02:49:12", None),
        ("last night", None),
    ],
)
def test_times_need_a_zone(raw: str, expected: datetime | None) -> None:
    assert feed_time(raw) == expected


def test_the_charset_comes_from_the_xml_declaration() -> None:
    body = rss("<item><title>Caf\u00e9 \u2013 result</title><guid>g</guid></item>", declaration="").replace(
        b"<rss", b'<?xml version="1.0" encoding="windows-1252"?><rss'
    )
    latin = body.decode("utf-8").encode("cp1252")
    [post] = ADAPTER.extract(latin, CONTEXT).posts
    assert post.headline == "Caf\u00e9 \u2013 result"


def test_html_in_titles_and_descriptions_becomes_text() -> None:
    item = (
        "<item><title>Labour &lt;b&gt;gain&lt;/b&gt; Erewash</title>"
        "<description>&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two&lt;/p&gt;</description><guid>g</guid></item>"
    )
    [post] = ADAPTER.extract(rss(item), CONTEXT).posts
    assert (post.headline, post.body) == ("Labour gain Erewash", "One\nTwo")


@pytest.mark.parametrize("body", [b"<html><body>not a feed</body></html>", b"\x00\xff" * 100, b"{}"])
def test_a_body_that_is_not_a_feed_is_a_warning(body: bytes) -> None:
    extraction = ADAPTER.extract(body, CONTEXT)
    assert extraction.posts == ()
    assert extraction.warnings[-1] == "feed: no <rss>, <feed> or <rdf:RDF> element at the start: not a feed"


def test_detection() -> None:
    assert looks_like_feed("", case("feed/bbc-derbyshire.1.xml").body(), {})
    assert looks_like_feed("", case("feed/derbyshire-dales-council.atom").body(), {})
    assert looks_like_feed("", b"", {"content-type": "application/atom+xml"})
    assert not looks_like_feed("", b"<html><rss>", {})
