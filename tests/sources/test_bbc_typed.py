"""BBC live data decoded into Structs reads as the generic decoding does (``_bbc_blocks``, ``_bbc_data``)."""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from ingester.sources._bbc_blocks import TBlocks, blocks, contributor, lines, typed_contributor, typed_lines
from ingester.sources._bbc_data import Found, typed_found
from ingester.sources._text import normalise_inline

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
ENTRY = st.fixed_dictionaries({}, optional={"name": st.sampled_from(["election-banner", "stream-data"]), "data": DATA})
KEYS = st.sampled_from(["live-page-data?x", "stream-data?liveTextStreamId=AB", "summaryPoints", "election-banner"])
PAGE = st.one_of(st.fixed_dictionaries({"data": st.dictionaries(KEYS, ENTRY, max_size=4)}), STREAM)


@settings(max_examples=300, deadline=None)
@given(PAGE)
def test_the_typed_page_finds_what_the_generic_walk_finds(page: dict[str, Any]) -> None:
    text = msgspec.json.encode(page).decode()
    typed = typed_found(text)
    if typed is None:
        return  # not the known shape: read generically
    walked = Found().walk(msgspec.json.decode(text))
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


STRINGS = st.sampled_from(["Labour gain", " ends ", "a  b", "AT&T", 'say "hi"', "tab\there", "é", "\x7f", "x\ny", "ok"])
PLAIN_PAGE = st.fixed_dictionaries(
    {
        "data": st.dictionaries(
            st.sampled_from(["stream-data?liveTextStreamId=AB&pageNumber=1", "live-page-data?a=1&b=2", "k"]),
            st.fixed_dictionaries(
                {"name": STRINGS, "data": st.fixed_dictionaries({"title": STRINGS, "isLive": st.booleans()})}
            ),
            max_size=3,
        )
    }
)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return [s for v in value for s in _strings(v)] if isinstance(value, list) else []


@settings(max_examples=200, deadline=None)
@given(PLAIN_PAGE)
def test_a_page_said_to_be_plain_holds_only_strings_that_need_trimming_at_most(page: dict[str, Any]) -> None:
    text = msgspec.json.encode(page).decode()
    found = typed_found(text)
    assert found is not None
    strings = _strings(msgspec.json.decode(text))
    plain = all(normalise_inline(s, unescape=False) == s.strip(" ") for s in strings)
    assert found.plain == (plain and "&" not in "".join(strings) and text.isascii() and "\\" not in text)
