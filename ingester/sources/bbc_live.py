"""BBC live pages: the page's ``window.__INITIAL_DATA__`` and the stream JSON that feeds it.

Two bodies, one post shape:

- The HTML page carries its data as JSON inside a JavaScript string,
  ``window.__INITIAL_DATA__="{\\"data\\":…}"``, so it is decoded twice. The string is found by a linear scan
  (it ends where its script ends). Inside, each piece of data the page fetched is keyed by its request:
  ``stream-data?liveTextStreamId=…&pageNumber=1…`` holds the first page of the stream,
  ``live-page-data?…`` the page's summary points, ``election-banner?…`` the seats banner.
- The stream JSON (``/wc-data/container/stream?liveTextStreamId=…&pageNumber=N``) is
  ``{"page": {"index": N, "total": T}, "results": [post, …]}``.

A post (``type: "POST"``) becomes a Post: ``native_id`` is its ``urn``; the headline and the contributor
(name and role, as ``"Name, Role"``) come from the header blocks; the body from the content blocks
(paragraphs, list items, quotes, image and video captions, the text of embeds), one per line, with a
first line ``Breaking news`` when ``options.isBreakingNews`` is set. ``dates.firstPublished`` and
``dates.lastPublished`` are ISO times with an offset; a post with only a displayed time (``dates.time``
such as ``01:03``, with ``dates.date`` such as ``5 July`` when given) is read in Europe/London on the
election night and marked ``time_inferred``.

The summary points become a post headlined ``Summary`` and the banner one headlined with its title
(``Results: parties by seats``), each with a fixed id, so that their claims and tally are read too.

An empty body or a stream with no posts is a warning and no posts, never a page of deletions. Only the
first page of a stream names further pages: ``next_urls`` lists the stream URLs of pages 2 to T (at most
``MAX_PAGES``), which the poller fetches as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, Final
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from ingester.sources._html import html_to_text
from ingester.sources._json import as_dict, as_int, as_list, as_str, decode_json
from ingester.sources._text import (
    MAX_BODY_BYTES,
    election_date,
    finish_warnings,
    normalise_inline,
    parse_display_time,
    parse_iso,
    read_body,
)
from ingester.types import AdapterContext, Extraction, Post

KIND: Final = "bbc-live"
MAX_PAGES: Final = 50
MAX_NODES: Final = 500_000
MAX_BLOCK_DEPTH: Final = 12
MAX_FIND_DEPTH: Final = 8
STREAM_PATH: Final = "/wc-data/container/stream"
BBC_ORIGIN: Final = "https://www.bbc.co.uk"
SUMMARY_ID: Final = "summary"
BANNER_ID: Final = "election-banner"

_INITIAL_DATA: Final = re.compile(r"window\.__INITIAL_DATA__\s*=\s*")
_SCRIPT_CLOSE: Final = re.compile(r"</script", re.IGNORECASE)
_JS_HEX_ESCAPE: Final = re.compile(r"(?<!\\)\\x([0-9a-fA-F]{2})")
_STREAM_ID: Final = re.compile(r"liveTextStreamId=([A-Za-z0-9_-]{1,64})")
_LIST_TYPES: Final = frozenset({"unorderedList", "orderedList"})
_LINE_TYPES: Final = frozenset({"paragraph", "subheadline", "heading", "crosshead"})
_NESTING_TYPES: Final = frozenset({"text", "listItem", "quote", "quoteText", "quoteSource", "caption"})
_MEDIA_TYPES: Final = frozenset({"image", "video", "media", "audio"})
_EMBED_TYPES: Final = frozenset({"embed", "oEmbed", "social", "socialEmbed", "twitter", "instagram"})
_CONTAINER_TYPES: Final = _LIST_TYPES | _NESTING_TYPES | {"headline"}
# The characters ``quote(..., safe="")`` leaves as they are, plus ":" (which it spells "%3A").
_URN_SAFE: Final = re.compile(r"[A-Za-z0-9_.~:-]*")


class BbcLiveAdapter:
    """The ``bbc-live`` adapter; see the module docstring."""

    kind: str = KIND

    def __init__(self, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.max_bytes = max_bytes

    def extract(self, body: bytes, context: AdapterContext) -> Extraction:
        text, warnings = read_body(body, context.headers, KIND, self.max_bytes)
        if text is None:
            return Extraction(warnings=tuple(warnings))
        if not text.strip():
            warnings.append(f"{KIND}: empty body; no posts read")
            return Extraction(warnings=finish_warnings(warnings))
        data, raw = _page_data(text, warnings)
        found = _Found(data)
        if found.truncated:
            warnings.append(f"{KIND}: more than {MAX_NODES:,} JSON objects and lists; the rest not read")
        reader = _PostReader(context, election_date(context.election), warnings)
        posts = reader.posts(found)
        if not found.streams and data is not None:
            warnings.append(f"{KIND}: no live stream found in the page data")
        elif found.streams and not any(as_list(s.get("results")) for s in found.streams):
            warnings.append(f"{KIND}: the stream has no posts yet")
        return Extraction(
            posts=posts,
            warnings=finish_warnings(warnings),
            next_urls=_next_urls(found.streams, _stream_id(raw, context.url), context.url),
        )


def looks_like_bbc_live(url: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """For ``--kind auto``: a page with ``__INITIAL_DATA__`` and a live stream, or the stream JSON."""
    del headers
    if body.find(b"window.__INITIAL_DATA__", 0, MAX_BODY_BYTES) >= 0:
        return body.find(b"liveTextStream", 0, MAX_BODY_BYTES) >= 0
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] != b"{":
        return False
    if STREAM_PATH in url and b'"results"' in body[:MAX_BODY_BYTES]:
        return True
    return head.find(b'"page"') >= 0 and head.find(b'"results"') >= 0 and (b'"urn"' in head or b"[]" in head)


# --- finding the data ----------------------------------------------------------------------------


def _page_data(text: str, warnings: list[str]) -> tuple[Any, str]:
    """The decoded data and the JSON text it came from: the stream JSON, or the page's initial data."""
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        return decode_json(stripped, "body", KIND, warnings), stripped
    match = _INITIAL_DATA.search(text)
    if match is None:
        warnings.append(f"{KIND}: no window.__INITIAL_DATA__ in the page")
        return None, ""
    closing = _SCRIPT_CLOSE.search(text, match.end())
    literal = text[match.end() : closing.start() if closing else len(text)].strip().rstrip(";").rstrip()
    if literal.startswith('"'):
        # A JavaScript string: JSON's escapes plus "\xNN", which JSON spells "\u00NN".
        if "\\x" in literal:
            literal = _JS_HEX_ESCAPE.sub(r"\\u00\1", literal)
        inner = decode_json(literal, "__INITIAL_DATA__ string", KIND, warnings)
        if not isinstance(inner, str):
            if inner is not None:
                warnings.append(f"{KIND}: __INITIAL_DATA__ is not a string; not read")
            return None, ""
        return decode_json(inner, "__INITIAL_DATA__", KIND, warnings), inner
    return decode_json(literal, "__INITIAL_DATA__", KIND, warnings), literal


class _Found:
    """The streams, summary points and banner in the data, found by an iterative walk.

    They sit near the top of the page data, so the walk goes no deeper than ``MAX_FIND_DEPTH`` and never
    into a stream's posts: a page of 200 posts has tens of thousands of objects in them.
    """

    def __init__(self, data: Any) -> None:
        self.streams: list[dict[str, Any]] = []
        self.summaries: list[dict[str, Any]] = []
        self.banners: list[dict[str, Any]] = []
        self.truncated = False
        stack: list[tuple[Any, int]] = [(data, 0)] if isinstance(data, dict | list) else []
        visited = 0
        while stack:
            visited += 1
            if visited > MAX_NODES:
                self.truncated = True
                break
            value, depth = stack.pop()
            children = value.values() if isinstance(value, dict) else value
            if isinstance(value, dict) and self._note(value):
                continue
            if depth < MAX_FIND_DEPTH:
                stack.extend((v, depth + 1) for v in reversed(children) if isinstance(v, dict | list))

    def _note(self, node: dict[str, Any]) -> bool:
        """Notes what the node is; True for a stream (whose posts are not walked)."""
        if isinstance(node.get("summaryPoints"), dict):
            self.summaries.append(node["summaryPoints"])
        if node.get("name") == BANNER_ID and isinstance(node.get("data"), dict):
            self.banners.append(node["data"])
        results = node.get("results")
        if isinstance(results, list) and ("page" in node or _has_posts(results)):
            self.streams.append(node)
            return True
        return False


def _has_posts(results: list[Any]) -> bool:
    return any(isinstance(r, dict) and "urn" in r for r in results[:5])


def _stream_id(raw: str, url: str) -> str | None:
    match = _STREAM_ID.search(url) or _STREAM_ID.search(raw, 0, MAX_BODY_BYTES)
    return match.group(1) if match else None


# --- posts ---------------------------------------------------------------------------------------


class _PostReader:
    def __init__(self, context: AdapterContext, polling_day: date | None, warnings: list[str]) -> None:
        self.context = context
        self.polling_day = polling_day
        self.warnings = warnings
        self.page_url = _page_url(context.url)
        self.unplaced = 0

    def posts(self, found: _Found) -> tuple[Post, ...]:
        posts: dict[str, Post] = {}
        extras = [self._summary(s) for s in found.summaries[:1]] + [self._banner(b) for b in found.banners[:1]]
        for extra in extras:
            if extra is not None and extra.native_id is not None:
                posts.setdefault(extra.native_id, extra)
        skipped = 0
        for stream in found.streams:
            for result in as_list(stream.get("results")):
                post = self._post(as_dict(result))
                if post is None:
                    skipped += 1
                    continue
                posts.setdefault(post.native_id or f"#{len(posts)}", post)
        if skipped:
            self.warnings.append(f"{KIND}: {skipped} stream item(s) that are not readable posts skipped")
        if self.unplaced:
            self.warnings.append(f"{KIND}: {self.unplaced} post time(s) shown without a date; pass the election")
        return tuple(posts.values())

    def _post(self, result: dict[str, Any]) -> Post | None:
        kind = as_str(result.get("type"))
        urn = as_str(result.get("urn"))
        if (kind is not None and kind.upper() != "POST") or not urn or not urn.strip():
            return None
        header = _blocks(result.get("header"))
        headline = " ".join(_lines(b for b in header if b.get("type") == "headline")) or None
        lines = _lines(_blocks(result.get("content")))
        options = as_dict(result.get("options"))
        if options.get("isBreakingNews") is True:
            lines.insert(0, "Breaking news")
        if headline is None and not lines:
            return None
        published, updated, inferred = self._times(as_dict(result.get("dates")))
        return Post(
            native_id=urn.strip(),
            url=self._permalink(urn.strip()),
            headline=headline,
            body="\n".join(lines),
            author=_contributor(header),
            published_at=published,
            updated_at=updated,
            time_inferred=inferred,
            pinned=options.get("isPinnedPost") is True,
        )

    def _times(self, dates: dict[str, Any]) -> tuple[datetime | None, datetime | None, bool]:
        first, last = as_str(dates.get("firstPublished")), as_str(dates.get("lastPublished"))
        problems: list[str] = []
        published = parse_iso(first, problems) if first else None
        updated = parse_iso(last, problems) if last else None
        if problems:
            self.warnings.extend(f"{KIND}: {problem}" for problem in problems)
        if published is not None:
            return published, updated, False
        shown = " ".join(v for v in (as_str(dates.get("time")), as_str(dates.get("date"))) if v)
        if not shown:
            return None, updated, False
        inferred = parse_display_time(shown, self.polling_day)
        if inferred is None:
            self.unplaced += 1
        return inferred, updated, inferred is not None

    def _permalink(self, urn: str) -> str | None:
        if not self.page_url:
            return None
        # A BBC urn ("urn:asset:...") needs only its colons escaped; anything else goes through quote.
        escaped = urn.replace(":", "%3A") if _URN_SAFE.fullmatch(urn) else quote(urn, safe="")
        return f"{self.page_url}?post={escaped}#post"

    def _summary(self, summary: dict[str, Any]) -> Post | None:
        lines = _lines(_blocks(summary.get("content")))
        if not lines:
            return None
        return Post(native_id=SUMMARY_ID, url=self.page_url, headline="Summary", body="\n".join(lines))

    def _banner(self, banner: dict[str, Any]) -> Post | None:
        lines = []
        if (majority := as_int(banner.get("majorityThreshold"))) is not None:
            lines.append(f"{majority} seats for a majority")
        if (to_go := as_int(banner.get("seatsToGo"))) is not None:
            lines.append(f"{to_go} seats to go")
        for party in as_list(banner.get("parties"))[:50]:
            line = _banner_line(as_dict(party))
            if line:
                lines.append(line)
        title = normalise_inline(as_str(banner.get("title")) or "", unescape=False) or "Results: parties by seats"
        if len(lines) < 2:
            return None
        return Post(native_id=BANNER_ID, url=self.page_url, headline=title, body="\n".join(lines))


def _banner_line(party: dict[str, Any]) -> str | None:
    name = normalise_inline(as_str(party.get("name")) or "", unescape=False)
    seats, change = as_int(party.get("seats")), as_int(party.get("change"))
    if not name or seats is None:
        return None
    if change is None:
        return f"{name}: {seats} seats"
    moved = "No change" if change == 0 else f"{abs(change)} seats {'gained' if change > 0 else 'lost'}"
    return f"{name}: {seats} seats, {moved}"


def _blocks(value: Any) -> list[dict[str, Any]]:
    """The blocks of a ``{"model": {"blocks": [...]}}`` value."""
    # The hottest function of the adapter (several calls per post): plain type checks, no helpers.
    model = value.get("model") if isinstance(value, dict) else None
    blocks = model.get("blocks") if isinstance(model, dict) else None
    return [b for b in blocks if isinstance(b, dict)] if isinstance(blocks, list) else []


def _lines(blocks: Iterable[dict[str, Any]], depth: int = 0) -> list[str]:
    """The text lines of content blocks, in order; unknown block types give nothing."""
    lines: list[str] = []
    if depth > MAX_BLOCK_DEPTH:
        return lines
    for block in blocks:
        kind = block.get("type")
        if kind in _LINE_TYPES:
            line = _block_text(block.get("model"))
            if line:
                lines.append(line)
        elif kind in _CONTAINER_TYPES:
            lines.extend(_lines(_blocks(block), depth + 1))
        elif kind in _MEDIA_TYPES:
            lines.extend(_lines((b for b in _blocks(block) if b.get("type") == "caption"), depth + 1))
        elif kind in _EMBED_TYPES:
            lines.extend(_embed_lines(as_dict(block.get("model"))))
    return lines


def _block_text(model: Any) -> str:
    if not isinstance(model, dict):
        return ""
    text = model.get("text")
    if not isinstance(text, str):  # only fragments: join their texts
        text = "".join(as_str(as_dict(f.get("model")).get("text")) or "" for f in _blocks({"model": model}))
    return normalise_inline(text, unescape=False)


def _embed_lines(model: dict[str, Any]) -> list[str]:
    oembed = as_dict(model.get("oembed"))
    markup = as_str(oembed.get("html")) or as_str(model.get("html"))
    if markup:
        return [line for line in html_to_text(markup).split("\n") if line]
    text = as_str(model.get("text")) or as_str(oembed.get("title"))
    return [normalise_inline(text, unescape=False)] if text and text.strip() else []


def _contributor(header: list[dict[str, Any]]) -> str | None:
    """``"Name, Role"`` from a contributor block (also inside a byline block)."""
    for block in header:
        if block.get("type") == "byline":
            found = _contributor(_blocks(block))
            if found:
                return found
        if block.get("type") != "contributor":
            continue
        parts = {b.get("type"): " ".join(_lines(_blocks(b), 1)) for b in _blocks(block)}
        name, role = parts.get("name"), parts.get("role")
        if name:
            return f"{name}, {role}" if role else name
    return None


# --- pages ---------------------------------------------------------------------------------------


def _page_url(url: str) -> str | None:
    """The live page's address: the page itself, or the ``pageUrl`` a stream request names."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    if parts.path.startswith(STREAM_PATH):
        page = dict(parse_qsl(parts.query)).get("pageUrl")
        return urljoin(url, page) if page and page.startswith("/") else None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _next_urls(streams: list[dict[str, Any]], stream_id: str | None, url: str) -> tuple[str, ...]:
    """Stream pages 2..T, named only by the first page so that later pages do not multiply requests."""
    page = as_dict(streams[0].get("page")) if streams else {}
    index, total = as_int(page.get("index")), as_int(page.get("total"))
    if stream_id is None or index != 1 or total is None or total < 2:
        return ()
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = urlsplit(BBC_ORIGIN)
    if parts.scheme in ("http", "https") and parts.path.startswith(STREAM_PATH):
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "pageNumber"]
        base = (parts.scheme, parts.netloc, parts.path)
    elif parts.scheme in ("http", "https") and parts.netloc:
        # pageUrl names the live page, so that the posts of further pages get their permalinks too.
        query = [("liveTextStreamId", stream_id), ("pageUrl", parts.path)]
        base = (parts.scheme, parts.netloc, STREAM_PATH)
    else:
        query = [("liveTextStreamId", stream_id)]
        origin = urlsplit(BBC_ORIGIN)
        base = (origin.scheme, origin.netloc, STREAM_PATH)
    return tuple(
        urlunsplit((*base, urlencode([*query, ("pageNumber", str(n))]), ""))
        for n in range(2, min(total, MAX_PAGES) + 1)
    )
