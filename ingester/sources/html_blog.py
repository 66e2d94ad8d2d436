"""Live blogs in HTML: repeated post blocks, each with an anchor id, a time, a headline and a body.

One generic extractor, configured per site family by a ``BlogSelectors`` (the family modules,
``nationalworld`` and ``reach``, only set selectors). The ``html`` adapter picks the family by the page's
host, then by a marker in the markup, then by whichever family's post selector finds posts.

How a page is read, in one parse: furniture inside posts (``drop``) is removed; one combined query
returns the posts and their parts in document order, so each part lands in the post before it; the
bodies of all posts are converted to text together (``_html.html_texts``).

Per post: ``url`` is the page plus ``#id``, and ``native_id`` that permalink (the id the site's JSON-LD
gives the same post), else the first of ``id_attributes`` present; the
time is the ``datetime`` attribute (with an offset; a naive one is read in Europe/London and marked
inferred), else the displayed time placed on the election night, marked inferred; the author parts
(name, role) are joined by ``", "`` with a leading "By" dropped.

``complete`` is False: live-blog pages show only their newest posts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Final
from urllib.parse import urlsplit

import msgspec
from selectolax.lexbor import LexborHTMLParser, LexborNode

from ingester.sources._html import html_texts, parse_page
from ingester.sources._text import (
    LONDON,
    MAX_BODY_BYTES,
    election_date,
    finish_warnings,
    normalise_inline,
    parse_display_time,
    parse_iso,
    quote,
)
from ingester.types import AdapterContext, Extraction, Post

KIND: Final = "html"
MAX_POSTS: Final = 5_000
FIELDS: Final = ("headline", "time", "author", "body")
_BYLINE: Final = re.compile(r"^by\s+", re.IGNORECASE)
_MEM_ID: Final = attrgetter("mem_id")


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


class _Draft:
    """A post block and its parts (name to nodes, in page order)."""

    __slots__ = ("node", "parts")

    def __init__(self, node: LexborNode) -> None:
        self.node = node
        self.parts: dict[str, list[LexborNode]] = {}

    def first(self, name: str) -> LexborNode | None:
        found = self.parts.get(name)
        return found[0] if found else None


def read_blog(
    root: LexborNode, selectors: BlogSelectors, context: AdapterContext, kind: str, warnings: list[str]
) -> list[Post]:
    """The posts under ``root`` (a parsed page, or one section of it), in page order."""
    if selectors.drop:
        for node in root.css(_within(selectors.post, selectors.drop)):
            node.decompose()
    drafts = _drafts(root, selectors)
    if len(drafts) > MAX_POSTS:
        warnings.append(f"{kind}: more than {MAX_POSTS:,} posts; the rest not read")
        drafts = drafts[:MAX_POSTS]
    reader = _PostReader(selectors, context, election_date(context.election), kind)
    partial = [reader.read(d) for d in drafts]
    bodies = html_texts([_body_html(d, selectors) for d in drafts])
    posts = [post for p, body in zip(partial, bodies, strict=True) if (post := reader.complete(p, body)) is not None]
    warnings.extend(reader.warnings())
    return posts


def _within(post: str, parts: str) -> str:
    """``parts`` (a selector list) restricted to descendants of ``post``."""
    return ", ".join(f"{post} {part.strip()}" for part in parts.split(",") if part.strip())


def _drafts(root: LexborNode, selectors: BlogSelectors) -> list[_Draft]:
    """Posts with their parts: one query in document order, each part given to the post before it."""
    # Node ids are gathered by C-level maps: a page of 200 posts returns over a thousand nodes.
    posts = set(map(_MEM_ID, root.css(selectors.post)))
    if not posts:
        return []
    queries = [selectors.post]
    found: list[tuple[str, list[LexborNode]]] = []
    for name in FIELDS:
        selector: str | None = getattr(selectors, name)
        if selector:
            queries.append(_within(selectors.post, selector))
            found.append((name, root.css(queries[-1])))
    kinds: dict[int, str] = {}
    for name, nodes in reversed(found):  # a node two fields select goes to the earlier field
        kinds.update(dict.fromkeys(map(_MEM_ID, nodes), name))
    drafts: list[_Draft] = []
    current: _Draft | None = None
    nodes = root.css(", ".join(queries))
    for node, node_id in zip(nodes, map(_MEM_ID, nodes), strict=True):
        if node_id in posts:
            current = _Draft(node)
            drafts.append(current)
        elif current is not None and (part := kinds.get(node_id)) is not None:
            current.parts.setdefault(part, []).append(node)
    return drafts


def _body_html(draft: _Draft, selectors: BlogSelectors) -> str:
    body = draft.first("body")
    if body is not None:
        return str(body.inner_html or "")
    if selectors.body is not None:
        return ""
    for name in ("headline", "time", "author"):
        for node in draft.parts.get(name, ()):
            node.decompose()
    return draft.node.inner_html or ""


class _PostReader:
    def __init__(self, selectors: BlogSelectors, context: AdapterContext, polling_day: date | None, kind: str):
        self.selectors = selectors
        self.polling_day = polling_day
        self.kind = kind
        self.page = _page_url(context.url)
        self.no_id = self.unplaced = self.skipped = 0
        self.problems: list[str] = []

    def read(self, draft: _Draft) -> Post:
        """Everything but the body, read before the body's markup is taken apart."""
        parts = draft.parts
        headline_nodes = parts.get("headline")
        headline = normalise_inline(headline_nodes[0].text(separator="")) if headline_nodes else ""
        attributes = draft.node.attributes
        anchor = (attributes.get("id") or "").strip()
        url = f"{self.page}#{anchor}" if self.page and anchor else None
        # The permalink when the post has one: the same id the site's JSON-LD gives it (url#anchor), so a
        # page read by either adapter keeps its posts' identities.
        native_id = url or self._named_id(attributes)
        time_nodes = parts.get("time")
        published, inferred = self._time(time_nodes[0] if time_nodes else None)
        author_nodes = parts.get("author")
        return Post(
            native_id=native_id,
            url=url,
            headline=headline or None,
            author=_author(author_nodes) if author_nodes else None,
            published_at=published,
            time_inferred=inferred,
        )

    def _named_id(self, attributes: Mapping[str, str | None]) -> str | None:
        named = ((attributes.get(a) or "").strip() for a in self.selectors.id_attributes)
        return next((v for v in named if v), None)

    def complete(self, post: Post, body: str) -> Post | None:
        """The post with its body; ``None`` (counted) for a block with neither headline nor text."""
        if post.headline is None and not body:
            self.skipped += 1
            return None
        if post.native_id is None:
            self.no_id += 1
        return msgspec.structs.replace(post, body=body)

    def _time(self, node: LexborNode | None) -> tuple[datetime | None, bool]:
        if node is None:
            return None, False
        stamp = (node.attributes.get("datetime") or "").strip()
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


def _author(nodes: Iterable[LexborNode]) -> str | None:
    names: list[str] = []
    for node in nodes:
        text = normalise_inline(node.text(separator=" "))
        if text[:2].lower() == "by":  # the regex only for the texts it can change
            text = _BYLINE.sub("", text)
        if text and text not in names:
            names.append(text)
    return ", ".join(names) or None


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
