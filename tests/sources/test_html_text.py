"""HTML to text: the fast path and the parser agree, fragments read together read as they do alone."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from ingester.sources._html import (
    _END_TAG_OPEN,
    _ends_at_least,
    _fast_texts,
    _is_utf8,
    _parsed_text,
    html_texts,
    html_to_text,
    node_text,
    page_too_deep,
)

ATTRIBUTES = st.sampled_from(["", ' class="x"', " href='/a?b=1&amp;c=2'", ' data-x="a>b"', " hidden", ' title="x y"'])
TEXT = st.lists(
    st.sampled_from(
        [
            "a",
            "B",
            " ",
            "\n",
            "\t",
            "\u00a0",
            "&amp;",
            "&lt;",
            "&nbsp;",
            "&#8217;",
            "&am",
            "p;",
            "5",
            "<",
            "é",
            "\x1f",
            "\x0b",
            "\x00",
            "\x7f",
            "\u200b",
            "&#x1e;",
            "\u2028",
        ]
    ),
    max_size=12,
).map("".join)


def wrapped(tags: list[str], children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attributes, inner: f"<{tag}{attributes}>{''.join(inner)}</{tag}>",
        st.sampled_from(tags),
        ATTRIBUTES,
        st.lists(children, max_size=3),
    )


# Well-formed fragments as CMSs write them: every end tag closes an open element, and elements nest as
# HTML allows (inline in anything; no paragraph or heading inside a paragraph or heading; list items in
# lists), so the parser never closes an element the markup did not.
INLINE = st.recursive(
    TEXT | st.just("<br>"), lambda inner: wrapped(["b", "i", "a", "span", "strong", "em"], inner), max_leaves=6
)
PHRASES = wrapped(["p", "h2", "h3"], INLINE)
LISTS = st.builds(
    lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>", st.lists(INLINE, max_size=3)
)
FLOW = st.recursive(
    INLINE | PHRASES | LISTS, lambda inner: wrapped(["div", "blockquote", "section"], inner), max_leaves=8
)
FRAGMENTS = st.lists(FLOW, max_size=4).map("".join)


@settings(max_examples=400, deadline=None)
@given(FRAGMENTS)
def test_the_fast_path_reads_what_the_parser_reads(fragment: str) -> None:
    [fast] = _fast_texts([fragment])
    if fast is not None:
        assert fast == _parsed_text(fragment)


def test_a_stray_block_end_tag_is_a_line_break_on_the_fast_path_only() -> None:
    # The parser drops an end tag with no open element; the fast path cannot know, and breaks the line.
    assert (_fast_texts(["a<b></li>a"])[0], _parsed_text("a<b></li>a")) == ("a\na", "aa")


@settings(max_examples=100, deadline=None)
@given(st.lists(FRAGMENTS | st.text(max_size=30), max_size=6))
def test_fragments_read_together_read_as_they_do_alone(batch: list[str]) -> None:
    assert html_texts(batch) == [html_to_text(f) for f in batch]


def test_most_blog_markup_takes_the_fast_path() -> None:
    fragment = '<p>Toby Perkins, <a href="/x">Labour</a> &amp; co</p><ul><li>19,316</li></ul><br/>'
    assert _fast_texts([fragment]) == ["Toby Perkins, Labour & co\n19,316"]
    assert _fast_texts(["<table><tr><td>a</td></tr></table>", "<!-- c --><p>x</p>", "<o:p>x</o:p>"]) == [None] * 3


def test_line_breaks_inside_a_paragraph_are_spaces() -> None:
    assert html_to_text("<p>Labour gain\nErewash</p>\n<p>Adam\r\nThompson</p>") == "Labour gain Erewash\nAdam Thompson"


def test_table_cells_are_apart() -> None:
    assert html_to_text("<table><tr><th>Seats</th><td>318</td><td>262</td></tr></table>") == "Seats 318 262"


def test_page_depth_is_measured_only_when_it_could_matter() -> None:
    assert not page_too_deep("<div>" * 1_500)
    assert page_too_deep("<div>" * 6_000)
    assert not page_too_deep("<div></div>" * 20_000)
    assert not page_too_deep("</div>" * 10_000 + "<div>" * 1_000 + "<span>" * 10_000)
    started = time.perf_counter()
    assert page_too_deep("<section>" * 2_000_000)
    assert time.perf_counter() - started < 3


def test_end_tags_are_counted_whatever_chunk_they_straddle() -> None:
    page = "x" * 9 + "</a>" * 5  # the first "</" straddles the first boundary of chunks of 10
    assert _ends_at_least(_END_TAG_OPEN.findall, page, 5, chunk=10)
    assert not _ends_at_least(_END_TAG_OPEN.findall, page, 6, chunk=10)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "x", "<", "/"]), max_size=60), st.integers(1, 12))
def test_end_tags_counted_by_chunks_are_all_of_them(pieces: list[str], chunk: int) -> None:
    page = "".join(pieces)
    total = page.count("</")
    for wanted in (total - 1, total, total + 1):
        assert _ends_at_least(_END_TAG_OPEN.findall, page, wanted, chunk=chunk) == (total >= wanted)


def test_bytes_and_text_are_measured_alike() -> None:
    for page in ("<div>" * 6_000, "<div></div>" * 6_000, "<div>" * 1_500 + "</i>" * 6_000 + "<i>" * 6_000):
        assert page_too_deep(page) == page_too_deep(page.encode())


UTF8_PIECES = [
    b"a",
    b"\x80",
    b"\xbf",
    b"\xc3",
    b"\xc3\xa9",
    b"\xe2\x88\x92",
    b"\xf0\x9f\x98\x80",
    b"\xed\xa0\x80",
    b"\xf8",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(UTF8_PIECES), max_size=24).map(b"".join), st.integers(1, 6))
def test_utf8_is_checked_chunk_by_chunk_as_a_whole_decode_checks_it(data: bytes, chunk: int) -> None:
    try:
        data.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    assert _is_utf8(data, chunk) == valid


PAGE_PARTS = st.recursive(
    TEXT
    | st.sampled_from(["<br>", "<!-- c -->", "<img src=x>", "<script>var x = '<p>';</script>", "<abbr>LAB</abbr>"]),
    lambda inner: wrapped(["div", "section", "p", "span", "table", "tr", "td", "th", "li", "b", "my-el"], inner),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PAGE_PARTS, max_size=4).map("".join))
def test_an_element_read_in_place_reads_as_its_markup(markup: str) -> None:
    root = LexborHTMLParser(f"<!DOCTYPE html><html><body>{markup}</body></html>").body
    assert root is not None
    for node in [root, *root.css("*")]:
        assert node_text(node) == html_to_text(node.html or "")
