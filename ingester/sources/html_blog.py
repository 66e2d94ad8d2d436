"""Live blogs in HTML: repeated post blocks, each with an anchor id, a time, a headline and a body.

One generic extractor, configured per site family by a ``BlogSelectors`` (the family modules,
``nationalworld`` and ``reach``, only set selectors). The ``html`` adapter picks the family by the page's
host, then by a marker in the markup, then by whichever family's post selector finds posts.

How a page is read, in one parse: furniture inside posts (``drop``) is removed; a query per field finds
the parts, each given to the post before it (``_blog_parts``); the bodies of all posts are read together
(``_dom_text.element_texts``: straight from the tree where they are plain paragraphs).

Per post: ``url`` is the page plus ``#id``, and ``native_id`` that permalink (the id the site's JSON-LD
gives the same post), else the first of ``id_attributes`` present; the
time is the ``datetime`` attribute (with an offset; a naive one is read in Europe/London and marked
inferred), else the displayed time placed on the election night, marked inferred; the author parts
(name, role) are joined by ``", "`` with a leading "By" dropped.

``complete`` is False: live-blog pages show only their newest posts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from operator import attrgetter, methodcaller
from typing import Final, TypeVar
from urllib.parse import urlsplit

import msgspec
from selectolax.lexbor import LexborHTMLParser, LexborNode

from ingester.sources._blog_parts import PostParts, find_parts, within
from ingester.sources._dom_text import element_texts
from ingester.sources._html import html_texts, parse_page
from ingester.sources._text import (
    LONDON,
    MAX_BODY_BYTES,
    election_date,
    finish_warnings,
    normalise_inline,
    normalise_inlines,
    parse_display_time,
    parse_iso,
    quote,
)
from ingester.types import AdapterContext, Extraction, Post

KIND: Final = "html"
_N = TypeVar("_N")
_TEXT: Final = methodcaller("text")
_ID: Final = attrgetter("id")
MAX_POSTS: Final = 5_000


class BlogSelectors(msgspec.Struct, frozen=True, kw_only=True):
    """Where a site family puts each part of a post. Selectors are CSS; the parts are relative to a post.

    ``body`` None: the post block itself, without its headline, time and author. ``hosts`` (suffixes) and
    ``marker`` (bytes only this family's pages carry) let the ``html`` adapter recognise the family.
    """

    family: str
    post: str
    headline: str | None = None
    time: str | None = None
    author: str | None = None
    body: str | None = None
    drop: str | None = None
    id_attributes: tuple[str, ...] = ("data-post-id", "id")
    hosts: tuple[str, ...] = ()
    marker: bytes | None = None


def read_blog(
    root: LexborNode, selectors: BlogSelectors, context: AdapterContext, kind: str, warnings: list[str]
) -> list[Post]:
    """The posts under ``root`` (a parsed page, or one section of it), in page order."""
    parts = find_parts(root, selectors)
    if len(parts.posts) > MAX_POSTS:
        warnings.append(f"{kind}: more than {MAX_POSTS:,} posts; the rest not read")
        parts = parts.truncated(MAX_POSTS)
    reader = _PostReader(selectors, context, election_date(context.election), kind)
    rows = reader.read(parts)  # before the bodies, whose reading may take the parts out of the posts
    bodies = _bodies(root, parts, selectors)
    posts = [post for row, body in zip(rows, bodies, strict=True) if (post := reader.complete(row, body)) is not None]
    warnings.extend(reader.warnings())
    return posts


def _bodies(root: LexborNode, parts: PostParts, selectors: BlogSelectors) -> list[str]:
    """Each post's body text: its body part, else (no body selector) the post without its other parts."""
    if selectors.body is not None:
        first = parts.first("body").get
        return element_texts(root, within(selectors.post, selectors.body), list(map(first, range(len(parts.posts)))))
    named = [parts.grouped(name) for name in ("headline", "time", "author")]
    if parts.nested:  # an outer post's text includes its inner posts as they stood when it was read
        return html_texts([_without_parts(post, [g.get(i, []) for g in named]) for i, post in enumerate(parts.posts)])
    for groups in named:
        for part in groups.values():
            for node in part:
                node.decompose()
    return element_texts(root, selectors.post, parts.posts)


def _without_parts(post: LexborNode, parts: list[list[LexborNode]]) -> str:
    for nodes in parts:
        for node in nodes:
            node.decompose()
    return post.inner_html or ""


# What is read of a post before its body: native id, url, headline, author, time, time inferred.
_Row = tuple[str | None, str | None, str | None, str | None, datetime | None, bool]


class _PostReader:
    def __init__(self, selectors: BlogSelectors, context: AdapterContext, polling_day: date | None, kind: str):
        self.selectors = selectors
        self.polling_day = polling_day
        self.kind = kind
        self.page = _page_url(context.url)
        self.no_id = self.unplaced = self.skipped = 0
        self.problems: list[str] = []

    def read(self, parts: PostParts) -> list[_Row]:
        """Everything but the bodies, read before the bodies' markup is taken apart. Field by field over
        all posts (C-level maps where the part is present in every post), not post by post."""
        count = len(parts.posts)
        headlines = _texts(parts.first("headline"), count, _TEXT)
        times = list(map(self._time, _nodes(parts.first("time"), count)))
        authors = _authors(parts.grouped("author"), count)
        anchors = [(anchor or "").strip() for anchor in map(_ID, parts.posts)]
        page = self.page
        rows: list[_Row] = []
        for node, anchor, headline, (published, inferred), author in zip(
            parts.posts, anchors, headlines, times, authors, strict=True
        ):
            url = f"{page}#{anchor}" if page and anchor else None
            # The permalink when the post has one: the same id the site's JSON-LD gives it (url#anchor), so
            # a page read by either adapter keeps its posts' identities.
            native_id = url or self._named_id(node)
            rows.append((native_id, url, headline or None, author, published, inferred))
        return rows

    def _named_id(self, node: LexborNode) -> str | None:
        attributes = node.attrs
        named = ((attributes.get(a) or "").strip() for a in self.selectors.id_attributes)
        return next((v for v in named if v), None)

    def complete(self, row: _Row, body: str) -> Post | None:
        """The post with its body; ``None`` (counted) for a block with neither headline nor text."""
        native_id, url, headline, author, published, inferred = row
        if headline is None and not body:
            self.skipped += 1
            return None
        if native_id is None:
            self.no_id += 1
        return Post(
            native_id=native_id,
            url=url,
            headline=headline,
            body=body,
            author=author,
            published_at=published,
            time_inferred=inferred,
        )

    def _time(self, node: LexborNode | None) -> tuple[datetime | None, bool]:
        if node is None:
            return None, False
        stamp = (node.attrs.get("datetime") or "").strip()
        if stamp:
            exact = parse_iso(stamp)
            if exact is not None:
                return exact, False
            local = _naive_london(stamp)
            if local is not None:
                return local, True
            self.problems.append(f"{self.kind}: time {quote(stamp)} is not an ISO 8601 timestamp")
        shown = normalise_inline(node.text(separator=" "))
        placed = parse_display_time(shown, self.polling_day) if shown else None
        if placed is None and shown:
            self.unplaced += 1
        return placed, placed is not None

    def warnings(self) -> list[str]:
        notes = list(self.problems)
        if self.skipped:
            notes.append(f"{self.kind}: {self.skipped} post block(s) with neither headline nor text skipped")
        if self.no_id:
            notes.append(f"{self.kind}: {self.no_id} post(s) without an id; they are told apart by their text")
        if self.unplaced:
            notes.append(f"{self.kind}: {self.unplaced} post time(s) that could not be placed; pass the election")
        return notes


def _nodes(found: Mapping[int, _N], count: int) -> list[_N | None]:
    """The value for each post index, None where the post has none."""
    return list(map(found.__getitem__, range(count))) if len(found) == count else list(map(found.get, range(count)))


def _texts(found: Mapping[int, LexborNode], count: int, text: Callable[[LexborNode], str]) -> list[str]:
    """The normalised one-line text of each post's node, "" where there is none."""
    nodes = _nodes(found, count)
    return normalise_inlines([text(node) if node is not None else "" for node in nodes])


def _authors(found: Mapping[int, list[LexborNode]], count: int) -> list[str | None]:
    """Each post's author parts joined by ", " (a leading "By" dropped, each name once); None for none."""
    groups = _nodes(found, count)
    texts = normalise_inlines([node.text(separator=" ") for group in groups if group for node in group])
    # Normalised, a text's only spaces are single " ": "by " starting it is what ^by\s+ finds.
    names = iter(text[3:] if text[:3].lower() == "by " else text for text in texts)
    return [_joined([next(names) for _ in group]) if group else None for group in groups]


def _joined(names: list[str]) -> str | None:
    return ", ".join(dict.fromkeys(name for name in names if name)) or None


def _naive_london(stamp: str) -> datetime | None:
    """A ``datetime`` attribute without an offset, read as UK time (what a UK site means by it)."""
    try:
        parsed = datetime.fromisoformat(stamp) if len(stamp) <= 40 and "T" in stamp else None
    except ValueError:
        return None
    if parsed is None or parsed.tzinfo is not None:
        return None
    return parsed.replace(tzinfo=LONDON).astimezone(UTC)


def _page_url(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url.split("#", 1)[0] if parts.scheme in ("http", "https", "file") else None


# --- the html adapter ----------------------------------------------------------------------------


class HtmlBlogAdapter:
    """The ``html`` adapter: the generic extractor with the selectors of the page's site family."""

    kind: str = KIND

    def __init__(self, families: tuple[BlogSelectors, ...], max_bytes: int = MAX_BODY_BYTES) -> None:
        self.families = families
        self.max_bytes = max_bytes

    def extract(self, body: bytes, context: AdapterContext) -> Extraction:
        warnings: list[str] = []
        tree = parse_page(body, context.headers, KIND, self.max_bytes, warnings)
        if tree is None:
            return Extraction(warnings=finish_warnings(warnings))
        root = tree.root
        family = family_for(context.url, body, self.families) or self._by_markup(tree)
        if root is None or family is None:
            warnings.append(f"{KIND}: no live-blog markup of a known site family found")
            return Extraction(warnings=finish_warnings(warnings))
        posts = read_blog(root, family, context, KIND, warnings)
        if not posts:
            warnings.append(f"{KIND}: no {family.family} posts found")
        return Extraction(posts=tuple(posts), warnings=finish_warnings(warnings))

    def _by_markup(self, tree: LexborHTMLParser) -> BlogSelectors | None:
        return next((f for f in self.families if tree.css_first(f.post) is not None), None)

    def looks_like(self, url: str, body: bytes, headers: Mapping[str, str]) -> bool:
        """For ``--kind auto``: markup of one of the families (by host or marker)."""
        del headers
        if not body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            return False
        return family_for(url, body, self.families) is not None


def family_for(url: str, body: bytes, families: Iterable[BlogSelectors]) -> BlogSelectors | None:
    """The family whose host the URL is on, else the family whose marker the page carries."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    candidates = list(families)
    for family in candidates:
        if host and any(host == h or host.endswith("." + h) for h in family.hosts):
            return family
    return next((f for f in candidates if f.marker and body.find(f.marker, 0, MAX_BODY_BYTES) >= 0), None)
