"""RSS and Atom feeds, parsed by feedparser from the bytes the poller fetched.

feedparser never fetches anything here: it is handed a ``BytesIO`` of the body (never a string, which it
could take for a URL or a file name) and no ``Content-Location``. Before it sees the body, the body is
decoded by ``_text.decode_body`` (header, BOM, XML declaration, else UTF-8), re-encoded as UTF-8 under a
plain XML declaration, and stripped of any ``<!DOCTYPE>`` with its internal subset, so no entity (external
or an exponential "billion laughs") is ever defined; feedparser also turns off external entities in its
XML parser.

Each entry becomes a Post keyed on its guid, then its link, then its content (no native id: the differ
hashes the text). The BBC reuses a guid for different stories: entries of one body that share a guid
but not a link get ids qualified by their link. A changed publish time alone is not an edit (the
differ's content hash covers only headline and body), so the BBC's re-stamped entries stay quiet.

Times: the entry's own ``published`` (else ``updated``) text, as ISO 8601 or RFC 822 with a zone; a time
without a zone is left empty with a warning rather than guessed. ``complete`` is False: a feed lists
only its latest entries.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from io import BytesIO
from typing import Any, Final, NamedTuple
from urllib.parse import urljoin, urlsplit

import feedparser

from ingester.sources._feed_entries import CACHE_ENTRIES, EntryCache, read_entries
from ingester.sources._html import looks_like_html, rich_texts
from ingester.sources._text import (
    finish_warnings,
    normalise_inline,
    parse_iso,
    read_body,
)
from ingester.types import AdapterContext, Extraction, Post

KIND: Final = "feed"
# Feeds are small; feedparser's tolerant parser is slow on megabytes of junk, so the cap is lower.
MAX_FEED_BYTES: Final = 4 * 1024 * 1024
MAX_ENTRIES: Final = 2_000
# feedparser's tolerant parser (used when a feed is not well-formed XML) takes some 25 µs per tag: a body
# with more tags than any real feed has is refused rather than read for seconds.
MAX_FEED_TAGS: Final = 40_000
_XML_DECLARATION: Final = re.compile(r"^\s*<\?xml\b[^>]{0,200}\?>")
_DOCTYPE: Final = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_SUBSET_END: Final = re.compile(r"\]\s*>")
# The first element of a feed, after any XML declaration, processing instructions, comments and DOCTYPE.
_FEED_ROOT: Final = re.compile(
    rb"^(?:\s*(?:<\?[^>]{0,500}\?>|<!--.{0,2000}?-->|<!DOCTYPE[^>]{0,500}>))*\s*<(?:rss|feed|rdf:RDF)\b", re.DOTALL
)
_FEED_ROOT_TEXT: Final = re.compile(r"<(?:rss|feed|rdf:RDF)\b")
_FEED_TYPES: Final = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_BST: Final = timezone(timedelta(hours=1))


class FeedAdapter:
    """The ``feed`` adapter; see the module docstring."""

    kind: str = KIND

    def __init__(self, max_bytes: int = MAX_FEED_BYTES, cached_entries: int = CACHE_ENTRIES) -> None:
        self.max_bytes = max_bytes
        # Not state that changes what is read: the same entry bytes always give the same entry.
        self.entries: EntryCache[EntryFields] = EntryCache(cached_entries)

    def extract(self, body: bytes, context: AdapterContext) -> Extraction:
        text, warnings = read_body(body, context.headers, KIND, self.max_bytes)
        if text is None:
            return Extraction(warnings=tuple(warnings))
        if _FEED_ROOT_TEXT.search(text, 0, 65_536) is None:
            warnings.append(f"{KIND}: no <rss>, <feed> or <rdf:RDF> element at the start: not a feed")
            return Extraction(warnings=finish_warnings(warnings))
        if text.count("<") > MAX_FEED_TAGS:
            warnings.append(f"{KIND}: more than {MAX_FEED_TAGS:,} tags, more than any feed has; not read")
            return Extraction(warnings=finish_warnings(warnings))
        fields, parsed = _read(text, context.url, warnings, self.entries)
        if not fields:
            problem = parsed.get("bozo_exception") if isinstance(parsed, dict) else None
            detail = f" ({type(problem).__name__}: {str(problem)[:60]})" if problem else ""
            warnings.append(f"{KIND}: no feed entries found{detail}")
            return Extraction(warnings=finish_warnings(warnings))
        return Extraction(posts=_posts(fields, warnings), warnings=finish_warnings(warnings))


def looks_like_feed(url: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """For ``--kind auto``: a feed content type, or an ``<rss>``, ``<feed>`` or ``<rdf:RDF>`` root."""
    del url
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "").lower()
    if content_type.startswith(_FEED_TYPES):
        return True
    return _FEED_ROOT.match(body[:4096].lstrip(b"\xef\xbb\xbf")) is not None


def _read(
    text: str, page_url: str, warnings: list[str], cache: EntryCache[EntryFields]
) -> tuple[list[EntryFields], Any]:
    """feedparser over safe UTF-8 bytes: a plain XML declaration, no DOCTYPE, no URL, no file name;
    entries read before come from the cache (:mod:`ingester.sources._feed_entries`)."""
    without, doctypes = _strip_doctypes(_XML_DECLARATION.sub("", text, count=1))
    if doctypes:
        warnings.append(f"{KIND}: the feed's DOCTYPE (and any entities it declares) was ignored")
    data = ('<?xml version="1.0" encoding="utf-8"?>\n' + without).encode("utf-8", errors="replace")
    read = functools.partial(_fields, page_url=page_url)
    scope = page_url.encode("utf-8", errors="replace")
    try:
        return read_entries(data, _feedparser, read, cache, scope=scope, limit=MAX_ENTRIES)
    except (ValueError, TypeError, LookupError, AttributeError, RecursionError, UnicodeError) as exc:
        # feedparser is third-party code meeting hostile bytes: its failure is a fact about the input.
        warnings.append(f"{KIND}: feedparser could not read the body ({type(exc).__name__})")
        return [], None


def _feedparser(data: bytes) -> Any:
    headers = {"content-type": "application/xml; charset=utf-8"}
    return feedparser.parse(BytesIO(data), response_headers=headers, resolve_relative_uris=False)


def _strip_doctypes(text: str) -> tuple[str, int]:
    """The text without its ``<!DOCTYPE ...>`` declarations, internal subsets included, in one linear pass.

    An unterminated declaration takes the rest of the text with it.
    """
    kept: list[str] = []
    position = count = 0
    while (found := _DOCTYPE.search(text, position)) is not None:
        kept.append(text[position : found.start()])
        count += 1
        close = text.find(">", found.end())
        bracket = text.find("[", found.end(), close if close >= 0 else len(text))
        if bracket >= 0:
            subset_end = _SUBSET_END.search(text, bracket)
            close = subset_end.end() - 1 if subset_end else -1
        if close < 0:
            return "".join(kept), count
        position = close + 1
    kept.append(text[position:])
    return "".join(kept), count


class EntryFields(NamedTuple):
    """What a post is made of, read from one feed entry."""

    guid: str | None
    link: str | None
    headline: str | None
    body: str
    author: str | None
    published: datetime | None
    updated: datetime | None
    unzoned: bool  # it gave a time, but without a usable zone


def _fields(entries: list[dict[str, Any]], page_url: str) -> list[EntryFields]:
    bodies = rich_texts([_body(e) for e in entries])
    fields: list[EntryFields] = []
    for entry, body in zip(entries, bodies, strict=True):
        published, late = _time(entry, ("published", "updated")), _time(entry, ("updated",))
        fields.append(
            EntryFields(
                guid=_text(entry.get("id")),
                link=_link(entry, page_url),
                headline=_headline(entry),
                body=body,
                author=normalise_inline(_text(_raw(entry, "author")) or "") or None,
                published=published,
                updated=late if late != published else None,
                unzoned=published is None and any(_text(_raw(entry, k)) for k in ("published", "updated")),
            )
        )
    return fields


def _posts(entries: list[EntryFields], warnings: list[str]) -> tuple[Post, ...]:
    # A guid used by entries with different links names different stories: qualify those by link.
    shared = {g for g, n in Counter(e.guid for e in entries).items() if g and n > 1}
    reused = {g for g in shared if len({_plain(e.link) for e in entries if e.guid == g}) > 1}
    posts = tuple(
        Post(
            native_id=f"{e.guid} {e.link}" if e.guid in reused and e.link else (e.guid or e.link),
            url=e.link,
            headline=e.headline,
            body=e.body,
            author=e.author,
            published_at=e.published,
            updated_at=e.updated,
        )
        for e in entries
        if e.headline or e.body
    )
    if reused:
        warnings.append(f"{KIND}: {len(reused)} guid(s) shared by entries with different links; ids qualified by link")
    if unzoned := sum(e.unzoned for e in entries if e.headline or e.body):
        warnings.append(f"{KIND}: {unzoned} entry time(s) without a usable zone; left empty")
    return posts


def _raw(entry: Mapping[str, Any], key: str) -> Any:
    """The entry's own value: feedparser's ``get`` maps missing keys to others (``updated`` to
    ``published``), which would make an entry's times look alike when they are not."""
    return dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _link(entry: Mapping[str, Any], base: str) -> str | None:
    link = _text(_raw(entry, "link"))
    if link is None:
        return None
    try:
        return urljoin(base, link) if urlsplit(base).scheme in ("http", "https") else link
    except ValueError:
        return link


def _plain(link: str | None) -> str | None:
    """A link without its query and fragment (tracking parameters are not a different story)."""
    return link.split("#", 1)[0].split("?", 1)[0] if link else None


def _headline(entry: Mapping[str, Any]) -> str | None:
    title = _text(_raw(entry, "title"))
    if title is None:
        return None
    return normalise_inline(rich_texts([title])[0] if looks_like_html(title) else title) or None


def _body(entry: Mapping[str, Any]) -> str:
    for content in _raw(entry, "content") or ():
        value = _text(content.get("value")) if isinstance(content, dict) else None
        if value:
            return value
    return _text(_raw(entry, "summary")) or ""


def _time(entry: Mapping[str, Any], keys: tuple[str, ...]) -> datetime | None:
    for key in keys:
        raw = _text(_raw(entry, key))
        if raw is not None:
            return feed_time(raw)
    return None


def feed_time(raw: str) -> datetime | None:
    """An ISO 8601 or RFC 822 time with a zone, in UTC; ``None`` for one without a zone or unreadable."""
    if len(raw) > 64:
        return None
    iso = parse_iso(raw)
    if iso is not None:
        return iso
    try:
        parsed = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        if not raw.rstrip().upper().endswith("BST"):  # RFC 822 knows no BST; a UK feed means +01:00
            return None
        parsed = parsed.replace(tzinfo=_BST)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
