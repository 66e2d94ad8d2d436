"""Body text read straight from the parsed page, for elements that hold plain blocks of text.

``html_to_text(node.inner_html)`` serialises an element and reads the markup back with regular
expressions; on a page of 200 posts that was most of an adapter's time. For an element whose content is
plain blocks (``_html``'s fast-path blocks: paragraphs, lists, headings, ``<br>``) and text, and no
comment, the same text is the element's text nodes with a line break between each two (a block
boundary separates any two), normalised as ``_html``'s fast path normalises. ``element_texts`` reads
such elements so, and serialises the others as before; a property test checks that both agree.

Why the conditions: an inline element (``<a>``, ``<b>``) joins the text around it without a break, and
so does a comment (which the parser keeps as a node between two texts); the parser never leaves two
texts side by side otherwise, and never a NUL in a text, so NUL can stand for the line breaks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import attrgetter, methodcaller
from typing import Final

from selectolax.lexbor import LexborNode

from ingester.sources._html import (
    _FAST_BLOCKS,
    _FAST_INLINE,
    _INLINE_MARK,
    _SEPARATOR,
    _SPECIAL,
    _flatten_newlines,
    _special,
    html_texts,
)

# Every fast-path block; the commonest first, because lexbor tries a ``:not()`` list in order.
_PLAIN_BLOCK_ORDER: Final = (
    *("p", "div", "br", "li", "ul", "ol", "h2", "h3", "h4", "blockquote", "h1", "h5", "h6", "section"),
    *("article", "header", "footer", "aside", "figure", "figcaption", "hr", "pre", "dl", "dt", "dd"),
)
assert frozenset(_PLAIN_BLOCK_ORDER) == _FAST_BLOCKS
_PLAIN_BLOCKS: Final = ",".join(_PLAIN_BLOCK_ORDER)
_PLAIN_OWN_TAGS: Final = _FAST_BLOCKS | _FAST_INLINE
_MEM_ID: Final = attrgetter("mem_id")
# Each text stripped (its ends are a line's ends) and blank ones skipped, by lexbor.
_TEXT_NODES: Final = methodcaller("text", separator="\x00", strip=True, skip_empty=True)
_TEXT_NODES_AS_THEY_ARE: Final = methodcaller("text", separator="\x00", skip_empty=True)
_BREAKS_TO_LINES: Final = methodcaller("replace", "\x00", "\n")
_TAG: Final = attrgetter("tag")
_CONTROLS: Final = (*map(chr, range(0x01, 0x20)), "\x7f")
# The quick read's check: every line break a space, any other control deleted (see ``_quick_texts``).
_QUICK_CHECK: Final = str.maketrans({**dict.fromkeys(_CONTROLS), **dict.fromkeys("\x00\t\n\r\x0c", " ")})
# The full normalisation of ``_html._fast_texts``, for the texts the quick read leaves.
_DOM_ASCII: Final = str.maketrans(
    {**dict.fromkeys(_CONTROLS), **dict.fromkeys("\t\n\r\x0c", " "), "\x00": "\n", "\x0b": "\n", _SEPARATOR: _SEPARATOR}
)
_DOUBLE_SPACE: Final = re.compile("  ")  # a literal search: three times faster than ``in`` for two spaces
_LINE_RUN: Final = re.compile(r" ?\n[ \n]*")
_BOGUS_END_TAG: Final = re.compile(rb"</[^a-zA-Z>]")


def element_texts(root: LexborNode, selector: str, nodes: Sequence[LexborNode | None]) -> list[str]:
    """The body text of each node's content, as ``html_to_text(node.inner_html)`` reads it; ``""`` for None.

    ``nodes`` are elements that ``selector`` finds under ``root``. Those that hold only plain blocks of text
    (and no comment) are read from the tree, the others serialised and converted by ``html_texts``.
    """
    present = [(i, node) for i, node in enumerate(nodes) if node is not None]
    if not present:
        return [""] * len(nodes)
    marked = set(map(_MEM_ID, root.css(_holding_markup(selector))))
    if not marked and len(present) == len(nodes) and _PLAIN_OWN_TAGS.issuperset(map(_TAG, nodes)):
        plain = present  # the usual page: every body plain blocks of text
    else:
        plain = [(i, node) for i, node in present if node.tag in _PLAIN_OWN_TAGS and node.mem_id not in marked]
    if plain and may_hold_comments(root.parser.raw_html):
        plain = [(i, node) for i, node in plain if not _holds_comment(node.html or "")]
    if len(plain) == len(nodes):
        return _dom_texts([node for _, node in plain])
    done = {i for i, _ in plain}
    others = [(i, node) for i, node in present if i not in done]
    texts = [""] * len(nodes)
    for (i, _), text in zip(plain, _dom_texts([node for _, node in plain]), strict=True):
        texts[i] = text
    for (i, _), text in zip(others, html_texts([str(node.inner_html or "") for _, node in others]), strict=True):
        texts[i] = text
    return texts


def _holding_markup(selector: str) -> str:
    """The elements ``selector`` finds that hold an element other than a plain block. (Lexbor reads
    ``:has(*:not(...))`` as meant; ``:has(:not(...))`` finds nothing.)"""
    return ", ".join(f"{part.strip()}:has(*:not({_PLAIN_BLOCKS}))" for part in selector.split(",") if part.strip())


def may_hold_comments(markup: bytes) -> bool:
    """Whether the parser can have made a comment node of the markup: from ``<!`` (other than a doctype),
    ``<?``, or ``</`` followed by neither a letter nor ``>``. The first two are found by their second
    character, which is rare (a scan at memory speed), the third by one regex pass."""
    for mark in (b"!", b"?"):
        at = markup.find(mark, 1)
        while at >= 0:
            if markup[at - 1] == 0x3C and not (mark == b"!" and markup[at + 1 : at + 8].lower() == b"doctype"):
                return True
            at = markup.find(mark, at + 1)
    return _BOGUS_END_TAG.search(markup) is not None


def _holds_comment(markup: str) -> bool:
    """In serialised markup (where a "<" of text is "&lt;"), a comment or a processing instruction (lexbor
    keeps ``<?x?>`` as one)."""
    return "<!" in markup or "<?" in markup


def _dom_texts(nodes: list[LexborNode]) -> list[str]:
    """The text of plain-block elements: their text nodes (each a line) normalised, all at once. Read first
    unstripped (lexbor then decodes each element's text once, not each text node): when that needs no
    normalising, stripping would have changed nothing either."""
    if not nodes:
        return []
    quick = _quick_texts(list(map(_TEXT_NODES_AS_THEY_ARE, nodes)))
    if quick is not None:
        return quick
    raw = list(map(_TEXT_NODES, nodes))
    quick = _quick_texts(raw)
    return quick if quick is not None else _normalised(raw)


def _quick_texts(raw: list[str]) -> list[str] | None:
    """The texts when they are ASCII and need no more than their line breaks set: no control, no run of
    spaces, no space at a line's end; ``None`` otherwise. A few passes in C over all of them together."""
    filled = [text for text in raw if text]
    if not filled:
        return raw
    # Joined by a text node break: a text that is empty, or starts or ends with a space, shows as a
    # double space or a space at an end once every break is a space.
    joined = "\x00".join(filled)
    if not joined.isascii():
        return None
    # One pass both finds what needs more (a control other than the breaks is deleted, so the length
    # changes) and spaces every line break, so that a space at a line's end shows as two spaces.
    spaced = joined.translate(_QUICK_CHECK)
    if len(spaced) != len(joined) or spaced[0] == " " or spaced[-1] == " " or _DOUBLE_SPACE.search(spaced):
        return None
    done = raw
    for char in "\t\n\r\x0c":  # rare in a text node: a scan at memory speed each
        if char in joined:
            done = [text.replace(char, " ") for text in done]
    return list(map(_BREAKS_TO_LINES, done))


def _normalised(raw: list[str]) -> list[str]:
    """The full normalisation of ``_html._fast_texts`` (less the unescaping: a DOM text is unescaped)."""
    joined = _SEPARATOR.join(raw)
    if joined.count(_SEPARATOR) != len(raw) - 1:  # a text holds the separator itself (which is invisible)
        joined = _SEPARATOR.join(text.replace(_SEPARATOR, "") for text in raw)
    if joined.isascii():
        joined = joined.translate(_DOM_ASCII)
    else:
        joined = _flatten_newlines(joined).replace("\x00", "\n")
        joined = _SPECIAL.sub(_special, joined).replace(_INLINE_MARK, "")
    while "  " in joined:
        joined = joined.replace("  ", " ")
    if " \n" in joined or "\n " in joined or "\n\n" in joined:
        joined = _LINE_RUN.sub("\n", joined)
    return [text.strip(" \n") for text in joined.split(_SEPARATOR)]
