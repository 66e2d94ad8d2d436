"""Body text read from the parsed page reads as the serialised markup does (``_dom_text``)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from ingester.sources._dom_text import element_texts, may_hold_comments
from ingester.sources._html import html_to_text
from tests.sources.test_html_text import wrapped

CHARACTERS = [
    *("Labour gain Erewash", "a", " ", "  ", "\n", "\t", "\r\n", "\x0c", "\u00a0", "&amp;", "&lt;", "&nbsp;"),
    *("&#8217;", "&am", "p;", "<", ">", "é", "’", "\x1f", "\x0b", "\x00", "\x7f", "\u200b", "\u2028", "&#x1e;"),
    *("&#x1d;", "&#0;", "&#13;", "&#x0b;", "&#1;", "\x01"),
]
ODD = ["<!-- c -->", "<?pi?>", "</ x>", "</3", "<![CDATA[x]]>", "<br>", "<img src=x>"]
TEXT = st.lists(st.sampled_from(CHARACTERS), max_size=6).map("".join)
TEXT_OR_ODD = st.lists(st.sampled_from(CHARACTERS + ODD), max_size=6).map("".join)

# Plain blocks of text: the parsed tree is read directly. Then markup that is not (inline elements,
# tables, scripts, comments), which must go the serialising way and agree all the same.
PLAIN = st.recursive(
    TEXT | wrapped(["p", "h2", "li"], TEXT),
    lambda inner: wrapped(["div", "blockquote", "section", "ul", "pre", "p"], inner),
    max_leaves=8,
)
MARKUP = st.recursive(
    TEXT_OR_ODD
    | st.sampled_from(["<table><tr><td>a</td><td>b</td></tr></table>", "<script>var x='<p>';</script>"])
    | st.sampled_from(["<template><p>t</p></template>", "<svg><text>s</text></svg>", "<my-el>x</my-el>"]),
    lambda inner: wrapped(["div", "p", "b", "a", "span", "li", "em"], inner),
    max_leaves=8,
)
BODIES = st.lists(st.lists(PLAIN, max_size=4).map("".join) | MARKUP, min_size=1, max_size=6)


def page(bodies: list[str], prefix: str = "") -> LexborHTMLParser:
    posts = "".join(f'<div class="post"><h2>Headline</h2><div class="body">{b}</div></div>\n' for b in bodies)
    return LexborHTMLParser(f"<!DOCTYPE html><html><body>{prefix}<main>{posts}</main></body></html>")


@settings(max_examples=300, deadline=None)
@given(BODIES, st.sampled_from(["", "<!-- analytics -->", "<p>x</ y></p>"]))
def test_the_parsed_page_reads_as_its_serialised_markup(bodies: list[str], prefix: str) -> None:
    tree = page(bodies, prefix)
    assert tree.root is not None
    nodes = tree.root.css(".post .body")
    expected = [html_to_text(node.inner_html or "") for node in nodes]
    assert element_texts(tree.root, ".post .body", nodes) == expected


def test_missing_bodies_are_empty_and_order_is_kept() -> None:
    tree = page(["<p>One</p><p>two  words</p>", "<p>Three <b>bold</b></p>", "<p>Four</p>"])
    assert tree.root is not None
    nodes = tree.root.css(".post .body")
    texts = element_texts(tree.root, ".post .body", [nodes[0], None, nodes[1], nodes[2]])
    assert texts == ["One\ntwo words", "", "Three bold", "Four"]


def test_comments_split_no_line() -> None:
    tree = page(["<p>Labour <!-- held -->gain</p><p>Erewash</p>"])
    assert tree.root is not None
    assert element_texts(tree.root, ".post .body", tree.root.css(".post .body")) == ["Labour gain\nErewash"]


def test_what_can_make_a_comment_node() -> None:
    assert not may_hold_comments(b"<!DOCTYPE html><p>Wow! Really? a</b> <p>x</p>")
    for markup in (b"<p>a<!-- c -->b", b"<p>a<?pi?>b", b"<p>a</ b>c", b"<!doctype html><![CDATA[x]]>"):
        assert may_hold_comments(markup), markup


def test_pretty_printed_paragraphs_read_as_written_inline() -> None:
    # Spaces around a text node are what the first, unstripped read cannot take: the stripped read does.
    tree = page(["<p>\n  Labour gain\n  Erewash\n</p>\n<p>Adam Thompson</p>", "<p>Plain</p>"])
    assert tree.root is not None
    texts = element_texts(tree.root, ".post .body", tree.root.css(".post .body"))
    assert texts == ["Labour gain Erewash\nAdam Thompson", "Plain"]
