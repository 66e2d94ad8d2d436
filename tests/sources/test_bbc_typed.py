"""BBC live data decoded into Structs reads as the generic decoding does (``_bbc_blocks``, ``_bbc_data``),
real pages' unknown fields and all."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingester.samples import bbc_live
from ingester.sources._bbc_blocks import (
    TBlocks,
    blocks,
    contributor,
    lines,
    normalise_text_value,
    typed_contributor,
    typed_headline,
    typed_lines,
)
from ingester.sources._bbc_data import Found, page_json, typed_found
from ingester.sources._text import normalise_inline
from ingester.sources.bbc_live import BbcLiveAdapter
from ingester.types import AdapterContext
from tests.sources.cases import case

TYPES = st.sampled_from(
    [
        *("paragraph", "text", "headline", "listItem", "unorderedList", "quote", "caption", "image", "embed"),
        *("contributor", "name", "role", "byline", "fragment", "subheadline", "unknown", None),
    ]
)
TEXT = st.sampled_from(["Labour gain Erewash", " a  b ", "", "x\ny", "<b>bold</b>", "é’", None])
EMBED = st.sampled_from([{"html": "<p>Embedded</p>"}, {"title": "A title"}, None, 4])


def block(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    model = st.fixed_dictionaries(
        {},
        optional={
            "text": TEXT,
            "blocks": st.lists(children, max_size=3),
            "oembed": EMBED,
            "html": st.sampled_from(["<p>h</p>", None]),
            "attributes": st.just([]),
        },
    )
    return st.fixed_dictionaries({}, optional={"type": TYPES, "model": model})


BLOCK = st.recursive(st.fixed_dictionaries({"type": TYPES, "model": st.fixed_dictionaries({"text": TEXT})}), block)
# Mostly what the typed decoding accepts, now and then what only the generic one does.
ODD = st.sampled_from(["junk", 3, {"type": 5}, {"model": "m"}, {"model": {"text": 7}}])
HOLDER = st.fixed_dictionaries({}, optional={"model": st.fixed_dictionaries({}, optional={"blocks": st.lists(BLOCK)})})
POSTS = st.lists(HOLDER | st.fixed_dictionaries({"model": st.fixed_dictionaries({"blocks": st.lists(ODD)})}))

_HOLDER: msgspec.json.Decoder[TBlocks] = msgspec.json.Decoder(TBlocks)


@settings(max_examples=300, deadline=None)
@given(POSTS)
def test_typed_blocks_read_as_generic_blocks(holders: list[dict[str, Any]]) -> None:
    for holder in holders:
        encoded = msgspec.json.encode(holder)
        try:
            typed = _HOLDER.decode(encoded).items()
        except msgspec.ValidationError:
            continue  # such a page is read generically
        generic = blocks(msgspec.json.decode(encoded))
        assert typed_lines(typed) == lines(generic)
        assert typed_contributor(typed) == contributor(generic)
        assert typed_headline(typed) == (" ".join(lines(b for b in generic if b.get("type") == "headline")) or None)


STREAM = st.fixed_dictionaries(
    {"results": st.lists(st.fixed_dictionaries({}, optional={"urn": st.just("u"), "type": st.just("POST")}))},
    optional={"page": st.sampled_from([{"index": 1, "total": 2}, None])},
)
SUMMARY = st.fixed_dictionaries({"content": HOLDER}, optional={"results": st.just([{"urn": "x"}])})
DATA = st.one_of(
    st.fixed_dictionaries({"title": st.just("t")}, optional={"summaryPoints": SUMMARY | st.none()}),
    STREAM,
    st.fixed_dictionaries({"title": st.just("Seats"), "parties": st.just([{"name": "Labour", "seats": 412}])}),
    st.fixed_dictionaries({"title": st.just("t"), "extra": st.just({"results": []})}),
)
# Fields the typed decoding skips: mostly noise, now and then what the walk notes, hidden where it looks.
NOISE = st.sampled_from([False, "application/json; charset=utf-8", {"href": "/news", "isExternal": False}, [1, 2]])
HIDDEN = st.sampled_from(
    [
        {"results": [{"urn": "hidden", "type": "POST"}]},
        {"summaryPoints": {"content": {}}},
        {"name": "election-banner", "data": {"title": "Seats"}},
        [{"page": 1, "results": []}],
        "results",
        {"deep": {"er": {"still": {"results": [{"urn": "deep"}], "page": None}}}},
    ]
)
UNKNOWN = st.dictionaries(
    st.sampled_from(["props", "isError", "contentType", "links", "x"]), NOISE | HIDDEN, max_size=2
)


def padded(base: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(lambda found, extra: {**extra, **found}, base, UNKNOWN)


ENTRY = padded(
    st.fixed_dictionaries(
        {}, optional={"name": st.sampled_from(["election-banner", "stream-data"]), "data": padded(DATA) | NOISE}
    )
)
KEYS = st.sampled_from(["live-page-data?x", "stream-data?liveTextStreamId=AB", "summaryPoints", "election-banner"])
PAGE = st.one_of(
    padded(st.fixed_dictionaries({"data": st.dictionaries(KEYS, ENTRY | NOISE, max_size=4)})), padded(STREAM)
)


@settings(max_examples=300, deadline=None)
@given(PAGE)
def test_the_typed_page_finds_what_the_generic_walk_finds(page: dict[str, Any]) -> None:
    text = msgspec.json.encode(page).decode()
    typed = typed_found(text)
    walked = Found().walk(msgspec.json.decode(text))
    if typed is None:
        return  # something skipped may hold what the walk notes (or the shape is not the known one)
    read = ("title", "majorityThreshold", "seatsToGo", "parties")  # what the reader reads of a banner
    banners = [{key: banner[key] for key in read if key in banner} for banner in walked.banners]
    assert (typed.summaries, typed.banners, typed.truncated) == (walked.summaries, banners, False)
    assert [_stream(s) for s in typed.streams] == [_stream(s) for s in walked.streams]


def _stream(stream: dict[str, Any]) -> tuple[object, list[object]]:
    """A stream's page and its items' urns (typed items are Structs, generic ones dicts)."""
    urns = [
        r.get("urn", "-") if isinstance(r, dict) else msgspec.to_builtins(r).get("urn", "-") for r in stream["results"]
    ]
    return stream.get("page", "-"), urns


# --- real pages: many more fields than the reader reads ---------------------------------------------

PAGE_CONTEXT = AdapterContext(url=bbc_live.PAGE_URL, election="parl.2024-07-04")
# Fields of real BBC data the reader never reads, with values of their kinds.
EXTRA_KEYS = ["props", "isDarkMode", "contentType", "isError", "error", "links", "images", "locator", "typeCode"]
PROMOS: list[Any] = [{"urn": "urn:bbc:promo:1", "headline": "Most read", "type": "STY"}]
EXTRA_VALUES: list[Any] = [
    False,
    None,
    "application/json; charset=utf-8",
    {"href": "https://www.bbc.co.uk/news/election/2024", "text": "Election 2024", "isExternal": False},
    PROMOS,
    {"originCode": "cpsprodpb", "width": 976, "altText": "Counting at the Derby Arena", "copyright": "BBC"},
]


def _page_data(page: bytes) -> Any:
    raw, _ = page_json(page.decode(), [])
    return msgspec.json.decode(raw or "")


def _pad(value: Any, extras: Iterator[tuple[str, Any]]) -> Any:
    """``value`` with an unknown field added to each of its objects (``extras`` says which, ``None`` none)."""
    if isinstance(value, list):
        return [_pad(item, extras) for item in value]
    if not isinstance(value, dict):
        return value
    padded = {key: _pad(item, extras) for key, item in value.items()}
    key, extra = next(extras)
    return {key: extra, **padded} if key not in padded else padded


def _as_page(data: Any) -> bytes:
    """A live page with ``data`` as its ``window.__INITIAL_DATA__``, as the BBC serves it."""
    literal = msgspec.json.encode(msgspec.json.encode(data).decode()).decode().replace("</", "<\\/")
    return f"<html><body><script>window.__INITIAL_DATA__={literal};</script></body></html>".encode()


def _real_shape(page: bytes) -> Any:
    """The page's data as a real page's: fetchers keyed by long requests, flags, links, images, navigation."""
    data = _pad(_page_data(page), itertools.cycle(itertools.product(EXTRA_KEYS[:3], EXTRA_VALUES)))
    navigation = {"navigation": [{"id": f"nav-{n}", "title": f"Section {n}", "url": f"/news/{n}"} for n in range(40)]}
    fetchers = {
        "chameleon-global-navigation?country=gb&language=en-GB&service=news&variant=default": {
            "name": "chameleon-global-navigation",
            "props": {"country": "gb", "language": "en-GB"},
            "data": navigation,
            "contentType": "application/json; charset=utf-8",
            "isError": False,
            "error": None,
        },
        "most-read?edition=domestic&service=news": {"name": "most-read", "data": {"items": PROMOS * 10}},
    }
    return {
        "contexts": {"isDarkMode": False, "isApp": False, "appVersion": "2.431.0"},
        "data": {**fetchers, **data["data"]},
        "features": {"isDarkMode": False, "liveTextStreamRefreshInterval": 15000},
    }


@pytest.mark.parametrize("name", ["derbyshire-live.1.html", "derbyshire-live.3.html"])
def test_a_real_pages_data_is_read_typed_to_the_same_posts(name: str) -> None:
    page = case(f"bbc-live/{name}").body()
    real = _as_page(_real_shape(page))
    raw, _ = page_json(real.decode(), [])
    assert raw is not None and typed_found(raw) is not None  # the fast path, unknown fields and all
    typed, generic = (
        BbcLiveAdapter().extract(real, PAGE_CONTEXT),
        BbcLiveAdapter(typed=False).extract(real, PAGE_CONTEXT),
    )
    assert typed == generic == BbcLiveAdapter().extract(page, PAGE_CONTEXT)
    assert len(typed.posts) >= 10


def test_a_real_stream_page_is_read_typed_to_the_same_posts() -> None:
    body = case("bbc-live/derbyshire-stream.p2.json").body()
    extras = itertools.cycle(itertools.product(EXTRA_KEYS, EXTRA_VALUES))
    real = msgspec.json.encode({"pinned": None, **_pad(msgspec.json.decode(body), extras)})
    assert typed_found(real.decode()) is not None
    context = case("bbc-live/derbyshire-stream.p2.json").context
    typed, generic = BbcLiveAdapter().extract(real, context), BbcLiveAdapter(typed=False).extract(real, context)
    assert typed == generic == BbcLiveAdapter().extract(body, context)


def test_a_stream_where_the_typed_decoding_does_not_look_is_still_found() -> None:
    data = _real_shape(case("bbc-live/derbyshire-live.1.html").body())
    hidden = {"urn": "urn:asset:hidden", "type": "POST", "header": {"model": {"blocks": []}}}
    hidden["content"] = {"model": {"blocks": [{"type": "paragraph", "model": {"text": "Labour gain Erewash"}}]}}
    data["contexts"]["extra"] = {"page": {"index": 1, "total": 1}, "results": [hidden]}
    real = _as_page(data)
    raw, _ = page_json(real.decode(), [])
    assert raw is not None and typed_found(raw) is None  # a "results" the typed decoding did not read
    extraction = BbcLiveAdapter().extract(real, PAGE_CONTEXT)
    assert "urn:asset:hidden" in [p.native_id for p in extraction.posts]
    assert extraction == BbcLiveAdapter(typed=False).extract(real, PAGE_CONTEXT)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(EXTRA_KEYS), st.sampled_from(EXTRA_VALUES)), min_size=1, max_size=8))
def test_unknown_fields_anywhere_keep_the_fast_path_and_the_posts(extras: list[tuple[str, Any]]) -> None:
    page = case("bbc-live/derbyshire-live.3.html").body()
    real = _as_page(_pad(_page_data(page), itertools.cycle(extras)))
    raw, _ = page_json(real.decode(), [])
    assert raw is not None and typed_found(raw) is not None
    assert BbcLiveAdapter().extract(real, PAGE_CONTEXT) == BbcLiveAdapter().extract(page, PAGE_CONTEXT)


# --- normalising ------------------------------------------------------------------------------------


def test_every_character_normalisation_changes_is_known_to_the_fast_check() -> None:
    for code in range(0x10000):
        text = f"a{chr(code)}b"
        assert normalise_text_value(text) == normalise_inline(text, unescape=False), hex(code)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from([*"ab &;’—é ", "\t", "\n", "\r", "\x7f", "\x85", "\xa0", "\u200b", "\u2028", "\u3000"])))
def test_text_values_normalise_as_normalise_inline_does(text: str) -> None:
    assert normalise_text_value(text) == normalise_inline(text, unescape=False)
