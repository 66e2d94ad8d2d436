"""Entries read before are taken from the cache, and the result is always the full parse's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingester.sources._feed_entries import EntryCache, split_entries
from ingester.sources.feed import FeedAdapter
from ingester.types import AdapterContext

CONTEXT = AdapterContext(url="https://example.com/wire", headers={}, election="parl.2024-07-04")
RSS_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    "<channel><title>Wire</title><lastBuildDate>{built}</lastBuildDate>"
)
ATOM_HEAD = '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'


def rss_item(number: int, text: str) -> str:
    return (
        f"<item><title>Update {number}</title><guid>https://example.com/wire#{number}</guid>"
        f"<pubDate>Fri, 05 Jul 2024 01:{number % 60:02d}:00 GMT</pubDate>"
        f"<dc:creator>Desk</dc:creator><description>{text}</description></item>"
    )


def rss(items: list[str], built: int = 0) -> bytes:
    return (RSS_HEAD.format(built=built) + "\n".join(items) + "</channel></rss>").encode()


def atom(entries: list[tuple[int, str]]) -> bytes:
    body = "".join(
        f"<entry><id>tag:example.com,2024:{n}</id><title>Update {n}</title>"
        f"<published>2024-07-05T01:{n % 60:02d}:00Z</published><content type='html'>{text}</content></entry>"
        for n, text in entries
    )
    return (ATOM_HEAD + body + "</feed>").encode()


def test_only_new_entries_are_parsed() -> None:
    adapter = FeedAdapter()
    first = adapter.extract(rss([rss_item(n, f"Labour hold seat {n}") for n in range(30, 0, -1)]), CONTEXT)
    assert (adapter.entries.hits, adapter.entries.misses) == (0, 30)
    later = rss([rss_item(n, f"Labour hold seat {n}") for n in range(32, 0, -1)], built=1)
    second = adapter.extract(later, CONTEXT)
    assert (adapter.entries.hits, adapter.entries.misses) == (30, 32)
    assert second.posts[2:] == first.posts
    assert second == FeedAdapter(cached_entries=0).extract(later, CONTEXT)


def test_an_edited_entry_is_read_again() -> None:
    adapter = FeedAdapter()
    adapter.extract(rss([rss_item(2, "Counting continues"), rss_item(1, "Verification under way")]), CONTEXT)
    edited = adapter.extract(rss([rss_item(2, "Labour gain Erewash"), rss_item(1, "Verification under way")]), CONTEXT)
    assert [p.body for p in edited.posts] == ["Labour gain Erewash", "Verification under way"]


def test_entries_not_cleanly_separated_are_not_split() -> None:
    cdata_end = rss([rss_item(2, "a"), rss_item(1, "<![CDATA[ a literal </item> here ]]>")])
    assert split_entries(cdata_end) is None
    commented = rss([rss_item(2, "a") + "<!-- x -->" + rss_item(1, "b")])
    assert split_entries(commented) is None
    clean = split_entries(rss([rss_item(2, "a"), rss_item(1, "b")]))
    assert clean is not None and len(clean.entries) == 2
    assert b'xmlns:dc="http://purl.org/dc/elements/1.1/"' in clean.context


def test_the_cache_is_bounded_in_entries_and_bytes() -> None:
    cache: EntryCache[int] = EntryCache(size=3, max_bytes=100)
    for n in range(5):
        cache.put((b"", b"x" * 10 + bytes([n])), n)
    assert len(cache) == 3 and cache.get((b"", b"x" * 10 + b"\x04")) == 4
    cache.put((b"", b"y" * 90), 9)
    assert (len(cache), cache.bytes) == (1, 90)
    assert cache.get((b"", b"x" * 10 + b"\x04")) is None


TEXTS = st.sampled_from(
    [
        "Labour gain Erewash",
        "&lt;p&gt;Turnout 61%&lt;/p&gt;",
        "<![CDATA[ a literal </item> and <item> ]]>",
        "<![CDATA[ <p>Recount in <b>Hendon</b></p> ]]>",
        "AT&amp;T &#163; 5",
        "",
        "<item>",
    ]
)
VERSION = st.lists(st.tuples(st.integers(0, 40), TEXTS), max_size=12, unique_by=lambda pair: pair[0])


@settings(max_examples=60, deadline=None)
@given(st.lists(VERSION, min_size=1, max_size=5), st.booleans())
def test_a_cached_night_reads_as_the_full_parse(versions: list[list[tuple[int, str]]], use_atom: bool) -> None:
    cached, whole = FeedAdapter(cached_entries=8), FeedAdapter(cached_entries=0)
    for built, version in enumerate(versions):
        body = atom(version) if use_atom else rss([rss_item(n, text) for n, text in version], built)
        assert cached.extract(body, CONTEXT) == whole.extract(body, CONTEXT)
