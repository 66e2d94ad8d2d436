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

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from operator import attrgetter, methodcaller
from typing import Final, NamedTuple, cast
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
_TEXT: Final = methodcaller("text")
_SPACED_TEXT: Final = methodcaller("text", separator=" ")
_ID: Final = attrgetter("id")
_TZINFO: Final = attrgetter("tzinfo")
_IN_UTC: Final = methodcaller("astimezone", UTC)
_BY: Final = frozenset({"by ", "By ", "bY ", "BY "})
MAX_POSTS: Final = 5_000
MAX_STAMP: Final = 64  # the longest timestamp ``parse_iso`` reads


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
    columns = reader.read(parts)  # before the bodies, whose reading may take the parts out of the posts
    posts = reader.posts(columns, _bodies(parts.scope or root, parts, selectors))
    warnings.extend(reader.warnings())
    return posts


def _bodies(root: LexborNode, parts: PostParts, selectors: BlogSelectors) -> list[str]:
    """Each post's body text: its body part, else (no body selector) the post without its other parts."""
    if selectors.body is not None:
        return element_texts(root, within(selectors.post, selectors.body), parts.each("body")[0])
    named = [parts.grouped(name) for name in ("headline", "time", "author")]
    if parts.nested:  # an outer post's text includes its inner posts as they stood when it was read
        return html_texts([_without_parts(post, [g.get(i, []) for g in named]) for i, post in enumerate(parts.posts)])
    for groups in named:
        for part in groups.values():
            for node in part:
                node.decompose(recursive=False)
    return element_texts(root, selectors.post, parts.posts)


def _without_parts(post: LexborNode, parts: list[list[LexborNode]]) -> str:
    for nodes in parts:
        for node in nodes:
            node.decompose(recursive=False)
    return post.inner_html or ""


class _Columns(NamedTuple):
    """What is read of the posts before their bodies, a list per field in post order."""

    native_ids: list[str | None]
    urls: list[str | None]
    headlines: list[str | None]
    authors: list[str | None]
    times: list[datetime | None]
    inferred: list[bool]


class _PostReader:
    def __init__(self, selectors: BlogSelectors, context: AdapterContext, polling_day: date | None, kind: str):
        self.selectors = selectors
        self.polling_day = polling_day
        self.kind = kind
        self.page = _page_url(context.url)
        self.no_id = self.unplaced = self.skipped = 0
        self.problems: list[str] = []

    def read(self, parts: PostParts) -> _Columns:
        """Everything but the bodies, read before the bodies' markup is taken apart. Field by field over
        all posts, in C-level maps where the usual page allows, not post by post."""
        urls, native_ids = self._ids(parts.posts)
        headlines = _headlines(*parts.each("headline"))
        times, inferred = self._times(*parts.each("time"))
        return _Columns(native_ids, urls, headlines, _authors(parts), times, inferred)

    def _ids(self, posts: list[LexborNode]) -> tuple[list[str | None], list[str | None]]:
        """Each post's permalink (the page plus ``#`` its anchor), and its native id: the permalink when it
        has one (the id the site's JSON-LD gives it, so that a page read by either adapter keeps its posts'
        identities), else the first of ``id_attributes`` present."""
        anchors = [(anchor or "").strip() for anchor in map(_ID, posts)]
        page = self.page
        urls: list[str | None]
        if not page:
            urls = [None] * len(posts)
        elif "" in anchors:
            urls = [f"{page}#{anchor}" if anchor else None for anchor in anchors]
        else:
            urls = list(map(f"{page}#".__add__, anchors))
        if None not in urls:
            return urls, urls
        return urls, [url or self._named_id(node) for url, node in zip(urls, posts, strict=True)]

    def _named_id(self, node: LexborNode) -> str | None:
        attributes = node.attrs
        named = ((attributes.get(a) or "").strip() for a in self.selectors.id_attributes)
        return next((v for v in named if v), None)

    def posts(self, columns: _Columns, bodies: list[str]) -> list[Post]:
        """The posts with their bodies; a block with neither headline nor text is skipped (counted)."""
        rows = zip(*columns, bodies, strict=True)
        posts = [
            Post(native_id=i, url=u, headline=h, body=b, author=a, published_at=t, time_inferred=f)
            for i, u, h, a, t, f, b in rows
            if h is not None or b
        ]
        self.skipped = len(bodies) - len(posts)
        if None in columns.native_ids:
            self.no_id = sum(post.native_id is None for post in posts)
        return posts

    def _times(self, nodes: list[LexborNode | None], every: bool) -> tuple[list[datetime | None], list[bool]]:
        """Each post's time and whether it was inferred: all exact offsets (the usual page) read in a few
        C-level maps, anything else time by time."""
        exact = _exact_times(cast(list[LexborNode], nodes)) if every and nodes else None
        if exact is not None:
            return exact, [False] * len(nodes)
        read = list(map(self._time, nodes))
        return [t for t, _ in read], [inferred for _, inferred in read]

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


def _exact_times(nodes: list[LexborNode]) -> list[datetime | None] | None:
    """The ``datetime`` attribute of every node in UTC, when each is an ISO 8601 timestamp with an offset
    and nothing to trim (what ``parse_iso`` reads the same way); else None, and they are read one by one."""
    try:
        stamps = [node.attrs["datetime"] for node in nodes]  # KeyError: a node without one
        if None in stamps or max(map(len, cast(list[str], stamps))) > MAX_STAMP:
            return None
        # fromisoformat refuses surrounding spaces and "": those take the one-by-one way, which trims them.
        parsed = list(map(datetime.fromisoformat, cast(list[str], stamps)))
        if None in map(_TZINFO, parsed):
            return None
        return list(map(_IN_UTC, parsed))
    except (KeyError, ValueError, OverflowError):
        return None


def _headlines(nodes: list[LexborNode | None], every: bool) -> list[str | None]:
    """Each post's headline on one line; None for none or an empty one."""
    texts = list(map(_TEXT, nodes)) if every else [node.text() if node is not None else "" for node in nodes]
    headlines = normalise_inlines(texts)
    return [h or None for h in headlines] if "" in headlines else list(headlines)


def _authors(parts: PostParts) -> list[str | None]:
    """Each post's author parts joined by ", " (a leading "By" dropped, each name once); None for none."""
    nodes, owners = parts.fields.get("author", ([], []))
    count = len(parts.posts)
    if not nodes:
        return [None] * count
    # Normalised, a text's only spaces are single " ": "by " starting it is what ^by\s+ finds.
    names = [text[3:] if text[:3] in _BY else text for text in normalise_inlines(list(map(_SPACED_TEXT, nodes)))]
    each = parts.per_post("author")
    if each == 1:
        return [name or None for name in names] if "" in names else list(names)
    firsts, seconds = names[::2], names[1::2]
    if each == 2 and "" not in names and not any(map(str.__eq__, firsts, seconds)):
        return list(map(", ".join, zip(firsts, seconds, strict=True)))
    groups: dict[int, list[str]] = {}
    for name, owner in zip(names, owners, strict=True):
        groups.setdefault(owner, []).append(name)
    return [_joined(groups[i]) if i in groups else None for i in range(count)]


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
