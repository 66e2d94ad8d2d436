"""BBC live pages: the page's ``window.__INITIAL_DATA__`` and the stream JSON that feeds it.

Two bodies, one post shape:

- The HTML page carries its data as JSON inside a JavaScript string,
  ``window.__INITIAL_DATA__="{\\"data\\":…}"``, so it is decoded twice (``_bbc_data``: found by plain
  scans; the data's known shape decoded into Structs, anything else generically, to the same posts).
  Inside, each piece of data the page fetched is keyed by its request:
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
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from ingester.sources._bbc_blocks import blocks, contributor, lines, typed_contributor, typed_headline, typed_lines
from ingester.sources._bbc_data import (
    BANNER_ID,
    KIND,
    MAX_NODES,
    Found,
    TDates,
    TOptions,
    TPost,
    page_json,
    typed_found,
)
from ingester.sources._json import as_dict, as_int, as_list, as_str, decode_json, utc_time
from ingester.sources._text import (
    MAX_BODY_BYTES,
    election_date,
    finish_warnings,
    normalise_inline,
    parse_display_time,
    read_body,
)
from ingester.types import AdapterContext, Extraction, Post

MAX_PAGES: Final = 50
STREAM_PATH: Final = "/wc-data/container/stream"
BBC_ORIGIN: Final = "https://www.bbc.co.uk"
SUMMARY_ID: Final = "summary"
_NO_OPTIONS: Final = TOptions()
_NO_DATES: Final = TDates()

_STREAM_ID: Final = re.compile(r"liveTextStreamId=([A-Za-z0-9_-]{1,64})")
# The characters ``quote(..., safe="")`` leaves as they are, plus ":" (which it spells "%3A").
_URN_SAFE: Final = re.compile(r"[A-Za-z0-9_.~:-]*")


class BbcLiveAdapter:
    """The ``bbc-live`` adapter; see the module docstring."""

    kind: str = KIND

    def __init__(self, max_bytes: int = MAX_BODY_BYTES, *, typed: bool = True) -> None:
        self.max_bytes = max_bytes
        # Whether the page data's known shape is decoded into Structs (``typed_found``), which reads the same
        # posts faster; without, every page is decoded and walked generically (tests compare the two).
        self.typed = typed

    def extract(self, body: bytes, context: AdapterContext) -> Extraction:
        text, warnings = read_body(body, context.headers, KIND, self.max_bytes)
        if text is None:
            return Extraction(warnings=tuple(warnings))
        if not text or text.isspace():
            warnings.append(f"{KIND}: empty body; no posts read")
            return Extraction(warnings=finish_warnings(warnings))
        raw, where = page_json(text, warnings)
        found, decoded = _found(raw, where, warnings, typed=self.typed)
        if found.truncated:
            warnings.append(f"{KIND}: more than {MAX_NODES:,} JSON objects and lists; the rest not read")
        reader = _PostReader(context, election_date(context.election), warnings)
        posts = reader.posts(found)
        if not found.streams and decoded:
            warnings.append(f"{KIND}: no live stream found in the page data")
        elif found.streams and not any(as_list(s.get("results")) for s in found.streams):
            warnings.append(f"{KIND}: the stream has no posts yet")
        return Extraction(
            posts=posts,
            warnings=finish_warnings(warnings),
            next_urls=_next_urls(found.streams, _stream_id(raw or "", context.url), context.url),
        )


def _found(raw: str | None, where: str, warnings: list[str], *, typed: bool) -> tuple[Found, bool]:
    """What the data holds, and whether there was data: its known shape typed, else decoded generically."""
    if raw is None:
        return Found(), False
    found = typed_found(raw) if typed else None
    if found is not None:
        return found, True
    data = decode_json(raw, where, KIND, warnings)
    return Found().walk(data), data is not None


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

    def posts(self, found: Found) -> tuple[Post, ...]:
        posts: dict[str, Post] = {}
        extras = [self._summary(s) for s in found.summaries[:1]] + [self._banner(b) for b in found.banners[:1]]
        for extra in extras:
            if extra is not None and extra.native_id is not None:
                posts.setdefault(extra.native_id, extra)
        skipped = 0
        for stream in found.streams:
            for result in as_list(stream.get("results")):
                post = self._typed_post(result) if isinstance(result, TPost) else self._post(result)
                if post is None:
                    skipped += 1
                    continue
                posts.setdefault(post.native_id or f"#{len(posts)}", post)
        if skipped:
            self.warnings.append(f"{KIND}: {skipped} stream item(s) that are not readable posts skipped")
        if self.unplaced:
            self.warnings.append(f"{KIND}: {self.unplaced} post time(s) shown without a date; pass the election")
        return tuple(posts.values())

    def _post(self, item: Any) -> Post | None:
        result = as_dict(item)
        urn = _post_urn(result.get("type"), result.get("urn"))
        if urn is None:
            return None
        header = blocks(result.get("header"))
        headline = " ".join(lines(b for b in header if b.get("type") == "headline")) or None
        body = lines(blocks(result.get("content")))
        options, dates = as_dict(result.get("options")), as_dict(result.get("dates"))
        return self._built(
            urn,
            headline,
            body,
            contributor(header),
            options=TOptions(options.get("isBreakingNews"), options.get("isPinnedPost")),
            dates=TDates(dates.get("firstPublished"), dates.get("lastPublished"), dates.get("time"), dates.get("date")),
        )

    def _typed_post(self, result: TPost) -> Post | None:
        """``_post`` of a typed item (see ``_bbc_blocks``)."""
        urn = _post_urn(result.type, result.urn)
        if urn is None:
            return None
        header = result.header.items() if result.header is not None else []
        body = typed_lines(result.content.items()) if result.content is not None else []
        options, dates = result.options, result.dates
        return self._built(
            urn,
            typed_headline(header),
            body,
            typed_contributor(header),
            options=options if isinstance(options, TOptions) else _NO_OPTIONS,
            dates=dates if isinstance(dates, TDates) else _NO_DATES,
        )

    def _built(
        self, urn: str, headline: str | None, body: list[str], author: str | None, *, options: TOptions, dates: TDates
    ) -> Post | None:
        """The post from its parts, read alike from either decoding."""
        if options.isBreakingNews is True:
            body.insert(0, "Breaking news")
        if headline is None and not body:
            return None
        published, updated, inferred = self._times(dates)
        return Post(
            native_id=urn,
            url=self._permalink(urn),
            headline=headline,
            body="\n".join(body),
            author=author,
            published_at=published,
            updated_at=updated,
            time_inferred=inferred,
            pinned=options.isPinnedPost is True,
        )

    def _times(self, dates: TDates) -> tuple[datetime | None, datetime | None, bool]:
        first, last = as_str(dates.firstPublished), as_str(dates.lastPublished)
        problems: list[str] = []
        published = utc_time(first, problems) if first else None
        # Unedited, a post's last time is its first: the same text reads the same (no warning to repeat).
        updated = published if last == first and published is not None else utc_time(last, problems) if last else None
        if problems:
            self.warnings.extend(f"{KIND}: {problem}" for problem in problems)
        if published is not None:
            return published, updated, False
        shown = " ".join(v for v in (as_str(dates.time), as_str(dates.date)) if v)
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
        found = lines(blocks(summary.get("content")))
        if not found:
            return None
        return Post(native_id=SUMMARY_ID, url=self.page_url, headline="Summary", body="\n".join(found))

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


def _post_urn(kind: Any, urn: Any) -> str | None:
    """The urn of a stream item that is a post (its ``type`` POST, or absent or not a string), stripped;
    else None."""
    if isinstance(kind, str) and kind != "POST" and kind.upper() != "POST":
        return None
    return (urn.strip() or None) if isinstance(urn, str) else None


def _banner_line(party: dict[str, Any]) -> str | None:
    name = normalise_inline(as_str(party.get("name")) or "", unescape=False)
    seats, change = as_int(party.get("seats")), as_int(party.get("change"))
    if not name or seats is None:
        return None
    if change is None:
        return f"{name}: {seats} seats"
    moved = "No change" if change == 0 else f"{abs(change)} seats {'gained' if change > 0 else 'lost'}"
    return f"{name}: {seats} seats, {moved}"


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
