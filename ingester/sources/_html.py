"""HTML to body text, for one fragment or for every post of a page at once.

The text of an HTML fragment follows the body convention of ``_text``: a paragraph, heading, list item
or table row per line, ``<br>`` a line break, script and style dropped. Whitespace inside the HTML
(the line breaks of pretty-printed markup included) is a space, as a browser shows it.

Two ways give the same text:

- the fast path, for the simple markup that live blogs carry (paragraphs, lists, links, emphasis): a
  linear pass of regular expressions over all the page's fragments joined into one string, so a page
  of 200 posts costs a handful of regex passes instead of 200 parses;
- the HTML parser (lexbor), for everything else: tables, comments, scripts, unknown or malformed tags.
  A fragment nested deeper than ``MAX_HTML_DEPTH`` (only hostile input does that; the parser's time grows
  with the square of the depth) is read by a linear tag-stripping fallback instead.

A fragment takes the fast path only when every ``<`` in it opens a tag the fast path knows; a property
test checks that both paths agree on such fragments when they are well formed. (A stray end tag of a
block, which the parser drops, is a line break on the fast path.)
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from itertools import accumulate, islice
from operator import methodcaller, sub
from typing import AnyStr, Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ingester.sources._text import body_codec, decode_with, normalise_text, size_refusal

_BLOCKS: Final = (
    "p,div,li,ul,ol,dl,dt,dd,h1,h2,h3,h4,h5,h6,blockquote,pre,table,tr,section,article,"
    "header,footer,aside,figure,figcaption,hr"
)
_DROPPED: Final = "script,style,noscript,template,iframe,svg"
_CELLS: Final = ("td", "th")
_BREAKS: Final = f"{_BLOCKS},br,td,th"
_TAG: Final = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]{0,20})\b[^<>]{0,2000}?(/?)>")
_VOID: Final = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
)
_BLOCK_NAMES: Final = frozenset(_BLOCKS.split(",")) | {"br"}
MAX_HTML_DEPTH: Final = 400
_LOOKS_LIKE_HTML: Final = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]{0,20}[\s/>]|/[a-zA-Z]|!--)")
_HTML_NEWLINES: Final = ("\r", "\n", "\f")
_UTF8_CHUNK: Final = 1 << 14


def _flatten_newlines(text: str) -> str:
    """Line breaks in HTML source are spaces. (A replace per character present: str.translate with a
    table looks every character of a non-ASCII text up in a dict, some 30 times slower.)"""
    for newline in _HTML_NEWLINES:
        if newline in text:
            text = text.replace(newline, " ")
    return text


# --- the fast path -------------------------------------------------------------------------------

# Tags whose parsing has no surprises (no raw text, no foster parenting, no implied structure that
# moves text): blocks give line breaks, the others nothing.
_FAST_BLOCKS: Final = _BLOCK_NAMES - {"table", "tr"}
_FAST_INLINE: Final = frozenset(
    {
        *("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "img"),
        *("ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u"),
        *("var", "wbr", "picture", "source", "main", "nav", "address", "summary", "details"),
    }
)
_NOT_FAST_ELEMENT: Final = f":not({','.join(sorted(_FAST_BLOCKS | _FAST_INLINE))})"
_ATTRIBUTES: Final = r"""(?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>"""


def _tag_pattern(names: frozenset[str]) -> re.Pattern[str]:
    """Start and end tags of ``names``. The names are grouped by their first letter (``b(?:di|do)?``):
    the same matches, but the engine tries a few names at each ``<`` instead of all forty."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name[0], []).append(name[1:])
    alternatives = "|".join(_letter_group(first, rests) for first, rests in sorted(groups.items()))
    return re.compile(rf"<(?i:/?(?:{alternatives}))(?![a-zA-Z0-9]){_ATTRIBUTES}")


def _letter_group(first: str, rests: list[str]) -> str:
    longer = sorted((rest for rest in rests if rest), key=lambda n: (-len(n), n))
    if not longer:
        return first
    return f"{first}(?:{'|'.join(longer)})" + ("?" if "" in rests else "")


# Constant replacements (no Python callback per tag): blocks, then inline tags; any tag left is unknown.
_FAST_BLOCK_TAG: Final = _tag_pattern(_FAST_BLOCKS)
_FAST_INLINE_TAG: Final = _tag_pattern(_FAST_INLINE)
_COMMON_BLOCK_TAGS: Final = re.compile("</?(?:p|li)>|<br>")
_TRIM_SPACE: Final = methodcaller("strip", " ")
# Characters the fast path uses as markers; a fragment holding one (only hostile input does) is parsed.
_SEPARATOR: Final = "\x1e"  # between fragments
_INLINE_MARK: Final = "\x1d"  # where an inline tag was: keeps "&am<b></b>p;" from becoming an entity
_LEFTOVER_TAG: Final = re.compile(r"<[a-zA-Z/!?]")
# _text's normalisation, with the markers spared, as one pass: an invisible character is dropped, an
# odd line break ("\r" and "\f" are spaces in HTML) becomes "\n", an odd space " ".
_SPECIAL: Final = re.compile(
    r"[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1c\x1f\x7f"  # invisible
    r"\u2028\u2029\x85\x0b"  # line breaks
    r"\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"  # spaces
)


_ASCII_SPECIALS: Final = str.maketrans(
    {**dict.fromkeys([*map(chr, range(0x09)), *map(chr, range(0x0E, 0x1D)), "\x1f", "\x7f"]), "\x0b": "\n", "\t": " "}
)


def _special(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\u2028\u2029\x85\x0b":
        return "\n"
    if char in "\t\u00a0\u1680\u202f\u205f\u3000" or "\u2000" <= char <= "\u200a":
        return " "
    return ""


# Whole pages. The parser checks its stack of open elements at every block-level start tag, so its time
# grows with the square of how deep such tags nest: 50,000 nested <div>s take seconds. A page with few
# start tags cannot nest deep enough to matter; one with many is measured before it is parsed.
MAX_PAGE_DEPTH: Final = 2_000
_FEW_START_TAGS: Final = 5_000
_NESTING_BLOCKS: Final = re.compile(
    r"<(/?)(?i:div|ul|ol|dl|section|article|aside|nav|header|footer|main|blockquote|figure|figcaption|form"
    r"|fieldset|details|summary|address|center|menu|dir|h[1-6]|pre|dialog|hgroup|listing|search)(?=[\s/>])"
)
_STEP: Final = {"": 1, "/": -1}
_END_TAG_OPEN: Final = re.compile("</")
_END_TAG_OPEN_BYTES: Final = re.compile(b"</")
_END_TAG_CHUNK: Final = 1 << 15


def page_too_deep(source: str | bytes, limit: int = MAX_PAGE_DEPTH) -> bool:
    """Whether block elements nest deeper than ``limit`` anywhere in the page (too slow to parse)."""
    few = max(limit, _FEW_START_TAGS)
    # Each count is a pass over the page: the second only when the first does not settle it.
    if isinstance(source, bytes):
        if (tags := source.count(b"<")) <= few or _ends_at_least(_END_TAG_OPEN_BYTES.findall, source, tags - few):
            return False
        text = source.decode("utf-8", errors="replace")
    else:
        if (tags := source.count("<")) <= few or _ends_at_least(_END_TAG_OPEN.findall, source, tags - few):
            return False
        text = source
    totals = list(accumulate(map(_STEP.__getitem__, _NESTING_BLOCKS.findall(text))))
    # The parser ignores stray end tags: the depth after each tag is the running total minus the lowest
    # total so far (or zero). All of it runs in C: no Python step per tag.
    floors = islice(accumulate(totals, min, initial=0), 1, None)
    return max(map(sub, totals, floors), default=0) > limit


def _ends_at_least(
    findall: Callable[[AnyStr, int, int], list[AnyStr]], page: AnyStr, wanted: int, chunk: int = _END_TAG_CHUNK
) -> bool:
    """Whether the page has at least ``wanted`` end tags (``</``), counted a chunk at a time until there
    are that many (by a regex: ``count`` is slower for a two-character needle). An end tag across two
    chunks is missed, so a count short of ``wanted`` is made again over the whole page."""
    found = 0
    for start in range(0, len(page), chunk):
        found += len(findall(page, start, start + chunk))
        if found >= wanted:
            return True
    return len(findall(page, 0, len(page))) >= wanted


def read_markup(body: bytes, headers: Mapping[str, str], kind: str, limit: int) -> tuple[str | bytes | None, list[str]]:
    """``read_body`` for a parser that reads UTF-8: the body's own bytes (after any byte-order mark) when
    they are the UTF-8 of the text ``read_body`` gives, so that they need not be decoded and encoded
    again; else that text."""
    refusal = size_refusal(body, kind, limit)
    if refusal is not None:
        return None, [refusal]
    problems: list[str] = []
    codec, start = body_codec(body, headers, problems)
    data = body[start:] if start else body
    source: str | bytes = data if codec == "utf-8" and _is_utf8(data) else decode_with(data, codec, problems)
    return source, [f"{kind}: {problem}" for problem in problems]


def _is_utf8(data: bytes, chunk: int = _UTF8_CHUNK) -> bool:
    """Whether ``data`` is valid UTF-8. A page is mostly ASCII: it is checked in chunks, and only a chunk
    that is not ASCII is decoded (a chunk ends where a character starts, so each decodes on its own)."""
    if data.isascii():
        return True
    start, size = 0, len(data)
    while start < size:
        end = min(start + chunk, size)
        for _ in range(3):  # a continuation byte: the character goes on (for at most three bytes)
            if end < size and data[end] & 0xC0 == 0x80:
                end += 1
        if end < size and data[end] & 0xC0 == 0x80:  # a fourth: no character is that long
            return False
        piece = data[start:end]
        if not piece.isascii():
            try:
                piece.decode("utf-8")
            except UnicodeDecodeError:
                return False
        start = end
    return True


def parse_page(
    body: bytes, headers: Mapping[str, str], kind: str, max_bytes: int, warnings: list[str]
) -> LexborHTMLParser | None:
    """A whole page decoded and parsed once; ``None``, with the warning why, when it is over the size cap
    (refused unread) or nested too deep to parse in good time."""
    source, problems = read_markup(body, headers, kind, max_bytes)
    warnings.extend(problems)
    if source is None:
        return None
    if page_too_deep(source):
        warnings.append(f"{kind}: markup nested more than {MAX_PAGE_DEPTH:,} elements deep; not read")
        return None
    return LexborHTMLParser(source)


def looks_like_html(text: str) -> bool:
    return _LOOKS_LIKE_HTML.search(text) is not None


def html_to_text(fragment: str) -> str:
    """An HTML fragment as body text: paragraphs, list items, rows and ``<br>`` become line breaks."""
    return html_texts([fragment])[0]


def node_text(node: LexborNode) -> str:
    """``html_to_text(node.html)``. An element that is or holds one the fast path does not know (a table,
    the page body) would leave a tag the fast path cannot read: it goes to the parser directly, without
    the fast path's passes over its markup first."""
    markup = node.html or ""
    if node.css_first(_NOT_FAST_ELEMENT) is not None:
        return _parsed_text(markup)
    return html_to_text(markup)


def rich_text(value: str) -> str:
    """A field that may hold HTML or plain text (``articleBody``, ``description``) as body text."""
    return rich_texts([value])[0]


def rich_texts(values: Sequence[str]) -> list[str]:
    """``rich_text`` of many values, the HTML ones converted together."""
    marked = [i for i, value in enumerate(values) if looks_like_html(value)]
    out = list(values)
    for i, text in zip(marked, html_texts([values[i] for i in marked]), strict=True):
        out[i] = text
    if len(marked) < len(values):
        done = set(marked)
        out = [text if i in done else normalise_text(text) for i, text in enumerate(out)]
    return out


def html_texts(fragments: Sequence[str]) -> list[str]:
    """The body text of each fragment, in order; simple markup goes through the fast path together."""
    candidates = [i for i, f in enumerate(fragments) if _SEPARATOR not in f and _INLINE_MARK not in f]
    texts: list[str | None] = [None] * len(fragments)
    for i, text in zip(candidates, _fast_texts([fragments[i] for i in candidates]), strict=True):
        texts[i] = text
    return [text if text is not None else _parsed_text(fragments[i]) for i, text in enumerate(texts)]


def _fast_texts(fragments: list[str]) -> list[str | None]:
    """The fast path over all fragments at once; ``None`` for a fragment it cannot read.

    Every step is a pass in C over the joined text (about 1 ns a character), and a step whose trigger
    character is absent (a line break to flatten, a tag left, an entity, a marker) is skipped.
    """
    if not fragments:
        return []
    joined = _SEPARATOR.join(fragments)
    joined = _flatten_newlines(joined)
    # The bare tags that make up most markup, in one regex pass with a constant replacement.
    joined = _COMMON_BLOCK_TAGS.sub("\n", joined)
    readable = [True] * len(fragments)
    if "<" in joined:
        joined = _FAST_INLINE_TAG.sub(_INLINE_MARK, _FAST_BLOCK_TAG.sub("\n", joined))
        if "<" in joined:
            pieces = joined.split(_SEPARATOR)
            readable = ["<" not in p or _LEFTOVER_TAG.search(p) is None for p in pieces]
            joined = _SEPARATOR.join(p for p, ok in zip(pieces, readable, strict=True) if ok)
    text = html.unescape(joined) if "&" in joined else joined
    if _INLINE_MARK in text:
        text = text.replace(_INLINE_MARK, "")
    # An ASCII text can hold only the ASCII specials, which a translate table handles ten times faster.
    text = text.translate(_ASCII_SPECIALS) if text.isascii() else _SPECIAL.sub(_special, text)
    # Runs of spaces, halved per pass (str.replace is far cheaper than a regex that stops at every space).
    while "  " in text:
        text = text.replace("  ", " ")
    # Lines trimmed (there are no double spaces) and blank lines dropped, by C calls over all the lines.
    text = "\n".join(filter(None, map(_TRIM_SPACE, text.split("\n"))))
    done = iter(text.split(_SEPARATOR))
    return [next(done).strip(" \n") if ok else None for ok in readable]


# --- the parser ----------------------------------------------------------------------------------


def _parsed_text(fragment: str) -> str:
    fragment = _flatten_newlines(fragment)
    # Each tag opens at most one level: a fragment with few "<" cannot nest too deep (the scan is slow).
    if fragment.count("<") > MAX_HTML_DEPTH and _nesting_depth(fragment) > MAX_HTML_DEPTH:
        return _strip_tags(fragment)
    tree = LexborHTMLParser(fragment)
    for node in tree.css(_DROPPED):
        node.decompose(recursive=False)
    # One query for the rest (the text is the same whatever order the breaks go in).
    for node in tree.css(_BREAKS):
        tag = node.tag
        if tag == "br":
            node.replace_with("\n")
        elif tag in _CELLS:  # cells of a row are apart on screen: a space between them
            node.insert_after(" ")
        else:
            node.insert_before("\n")
            node.insert_after("\n")
    root = tree.body if tree.body is not None else tree.root
    text = root.text(deep=True, separator="") if root is not None else ""
    return normalise_text(text, unescape=False)


def _nesting_depth(fragment: str) -> int:
    """The deepest nesting of open elements, counted by a linear scan of the tags."""
    depth = deepest = 0
    for match in _TAG.finditer(fragment):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _strip_tags(fragment: str) -> str:
    def replace(match: re.Match[str]) -> str:
        return "\n" if match.group(2).lower() in _BLOCK_NAMES else ""

    return normalise_text(_TAG.sub(replace, fragment))
