"""A BBC Derbyshire live page of the 2024 election night, rendered as the BBC serves it.

- ``live_at(moment)``: the posts the page showed at a moment (newest first, drafts before their edit,
  withdrawn posts gone) and whether the summary and seats banner were up yet.
- ``render_live_page(...)``: the HTML page: visible markup (with the generated class names of the BBC's
  CSS-in-JS) and the same data in ``window.__INITIAL_DATA__``, JSON inside a JavaScript string. The page
  holds the first ``PAGE_SIZE`` posts of the stream.
- ``render_stream_page(...)``: one page of the stream JSON that the page polls:
  ``{"page": {"index", "total"}, "results": [...]}``; ``display_times`` leaves out the ISO times and keeps
  only the displayed ``01:03`` and ``5 July`` (as archived copies of old streams do).

Pure and deterministic: the same arguments always give the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import msgspec

from ingester.samples.bbc_live_posts import BANNER, LIVE_DRAFTS, LIVE_POSTS, SUMMARY, SUMMARY_FROM, LivePost

PAGE_URL: Final = "https://www.bbc.co.uk/news/live/c4ngq5d8l0xt"
STREAM_ID: Final = "7E1D3F2BA6A74C57B0E2AB4D0C6A9F21"
STREAM_URL: Final = "https://www.bbc.co.uk/wc-data/container/stream"
PAGE_SIZE: Final = 20
TITLE: Final = "Election 2024: Derbyshire results and reaction"
_BST: Final = timedelta(hours=1)


def bst(time: str) -> datetime:
    """A BST wall time of the night (``HH:MM``; from 20:00 on 4 July, else 5 July) in UTC."""
    hour, minute = (int(part) for part in time.split(":"))
    day = 4 if hour >= 20 else 5
    return datetime(2024, 7, day, hour, minute, tzinfo=UTC) - _BST


def live_at(moment: datetime) -> tuple[list[LivePost], bool]:
    """The posts shown at ``moment``, newest first, and whether the summary and banner are shown."""
    shown: list[LivePost] = []
    for post in LIVE_POSTS:
        if bst(post.time) > moment or (post.withdrawn and bst(post.withdrawn) <= moment):
            continue
        draft = LIVE_DRAFTS.get(post.urn)
        shown.append(draft if draft is not None and post.edited and bst(post.edited) > moment else post)
    return shown[::-1], bst(SUMMARY_FROM) <= moment


def stream_query(page_number: int) -> str:
    return f"liveTextStreamId={STREAM_ID}&pageNumber={page_number}"


def render_stream_page(
    posts: Sequence[LivePost], page_number: int, *, page_size: int = PAGE_SIZE, display_times: bool = False
) -> bytes:
    return msgspec.json.encode(_stream(posts, page_number, page_size, display_times))


def render_live_page(
    posts: Sequence[LivePost], *, summary: bool = False, page_size: int = PAGE_SIZE, url: str = PAGE_URL
) -> bytes:
    data: dict[str, Any] = {
        f"live-page-data?assetId=c4ngq5d8l0xt&pageUrl={url}": {
            "name": "live-page-data",
            "data": {
                "title": TITLE,
                "isLive": True,
                "summaryPoints": _summary() if summary else None,
                "liveTextStream": {"id": STREAM_ID, "contributors": "Edited by Rachel Hinds"},
            },
        },
        f"stream-data?{stream_query(1)}&pageSize={page_size}": {
            "name": "stream-data",
            "data": _stream(posts, 1, page_size, display_times=False),
        },
    }
    if summary:
        data["election-banner?region=uk"] = BANNER
    inner = msgspec.json.encode({"data": data}).decode()
    literal = msgspec.json.encode(inner).decode().replace("</", "<\\/")
    page = _PAGE.format(
        title=html.escape(TITLE),
        url=html.escape(url),
        summary=_summary_html() if summary else "",
        posts="\n".join(_post_html(p) for p in posts[:page_size]),
        data=literal,
    )
    return page.encode("utf-8")


# --- the data ------------------------------------------------------------------------------------


def _stream(posts: Sequence[LivePost], page_number: int, page_size: int, display_times: bool) -> dict[str, Any]:
    total = max(1, -(-len(posts) // page_size))
    chosen = posts[(page_number - 1) * page_size : page_number * page_size]
    return {
        "page": {"index": page_number, "total": total if posts else 0},
        "results": [_post_data(p, display_times) for p in chosen],
    }


def _published(post: LivePost) -> datetime:
    number = int(post.urn.rsplit("-", 1)[-1][-6:])
    return bst(post.time) + timedelta(seconds=(number * 13) % 60)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _text_blocks(text: str) -> dict[str, Any]:
    fragment = {"type": "fragment", "model": {"text": text, "attributes": []}}
    return {"type": "paragraph", "model": {"text": text, "blocks": [fragment]}}


def _text(*paragraphs: str) -> dict[str, Any]:
    return {"type": "text", "model": {"blocks": [_text_blocks(p) for p in paragraphs]}}


def _content(post: LivePost) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for paragraph in post.paragraphs:
        if isinstance(paragraph, str):
            blocks.append(_text_blocks(paragraph))
        else:
            items = [{"type": "listItem", "model": {"blocks": [_text_blocks(i)]}} for i in paragraph]
            blocks.append({"type": "unorderedList", "model": {"blocks": items}})
    content = [{"type": "text", "model": {"blocks": blocks}}]
    if post.quote:
        quote = [{"type": "quoteText", "model": {"blocks": [_text(post.quote)]}}]
        content.append({"type": "quote", "model": {"blocks": quote}})
    if post.caption:
        image = [
            {"type": "altText", "model": {"blocks": [_text(post.caption)]}},
            {"type": "rawImage", "model": {"width": 976, "height": 549, "locator": f"{post.urn[-6:]}.jpg"}},
            {"type": "caption", "model": {"blocks": [_text(post.caption)]}},
        ]
        content.append({"type": "image", "model": {"blocks": image}})
    return content


def _post_data(post: LivePost, display_times: bool) -> dict[str, Any]:
    header: list[dict[str, Any]] = [{"type": "headline", "model": {"blocks": [_text(post.headline)]}}]
    if post.name:
        parts = [{"type": "name", "model": {"blocks": [_text(post.name)]}}]
        if post.role:
            parts.append({"type": "role", "model": {"blocks": [_text(post.role)]}})
        header.append({"type": "contributor", "model": {"blocks": parts}})
    published = _published(post)
    last = bst(post.edited) if post.edited and LIVE_DRAFTS.get(post.urn) is not post else published
    shown = published + _BST
    dates: dict[str, Any] = {
        "firstPublished": None if display_times else _iso(published),
        "lastPublished": None if display_times else _iso(last),
        "time": shown.strftime("%H:%M") if display_times else None,
        "date": f"{shown.day} {shown:%B}" if display_times else None,
        "curated": None if display_times else _iso(last + timedelta(seconds=1)),
    }
    return {
        "typeCode": None,
        "header": {"model": {"blocks": header}},
        "content": {"model": {"blocks": _content(post)}},
        "link": None,
        "urn": post.urn,
        "type": "POST",
        "options": {"isBreakingNews": post.breaking, "isPinnedPost": False},
        "dates": dates,
    }


def _summary() -> dict[str, Any]:
    items = [{"type": "listItem", "model": {"blocks": [_text_blocks(s)]}} for s in SUMMARY]
    blocks = [{"type": "text", "model": {"blocks": [{"type": "unorderedList", "model": {"blocks": items}}]}}]
    return {"id": "urn:bbc:optimo:asset:c4ngq5d8l0xt-summary", "content": {"model": {"blocks": blocks}}}


# --- the visible markup --------------------------------------------------------------------------


def _summary_html() -> str:
    items = "".join(f'<li class="ssrcss-1w8ntg5-ListItem">{html.escape(s)}</li>' for s in SUMMARY)
    return (
        '<section class="ssrcss-1bmnxg7-SummaryContainer" aria-labelledby="summary-points">'
        f'<h2 id="summary-points">Summary</h2><ul class="ssrcss-6d5ldx-List">{items}</ul></section>'
    )


def _post_html(post: LivePost) -> str:
    shown = _published(post) + _BST
    stamp = f"{shown:%H:%M} British Summer Time {shown.day} {shown:%B}"
    byline = ""
    if post.name:
        role = f'<span class="ssrcss-nvj2ej-Role">{html.escape(post.role or "")}</span>'
        byline = (
            '<div class="ssrcss-1n7rnmq-ContributorContainer">'
            f'<span class="ssrcss-68pt20-Name">{html.escape(post.name)}</span>{role}</div>'
        )
    body = "".join(
        f'<p class="ssrcss-1q0x1qg-Paragraph">{html.escape(p)}</p>'
        if isinstance(p, str)
        else "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in p) + "</ul>"
        for p in post.paragraphs
    )
    badge = '<span class="ssrcss-4m7gqi-Breaking">Breaking</span>' if post.breaking else ""
    return (
        f'<li class="ssrcss-qtbdxl-StyledListItem"><article data-testid="content-post" '
        f'class="ssrcss-1h5ra4a-Article"><header class="ssrcss-17wfr1b-HeaderWrapper">{badge}'
        f'<h3 class="ssrcss-1w5x3pe-StyledHeading"><span role="text">'
        f'<span class="ssrcss-1kpwvle-Headline">{html.escape(post.headline)}</span>'
        f'<span class="visually-hidden ssrcss-1f39n02-VisuallyHidden">published at {stamp}</span></span></h3>'
        f'{byline}<div class="ssrcss-m2y5md-TimestampContainer"><span aria-hidden="true">{shown:%H:%M} BST '
        f"{shown.day} {shown:%B}</span></div></header>"
        f'<div class="ssrcss-7uxr49-RichTextContainer">{body}</div></article></li>'
    )


_PAGE: Final = """<!DOCTYPE html>
<html lang="en-GB" class="no-js">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - BBC News</title>
<link rel="canonical" href="{url}">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="BBC News">
<link rel="stylesheet" href="https://static.files.bbci.co.uk/core/website/assets/static/webcore/css/live.css">
</head>
<body>
<div id="__next">
<header class="ssrcss-1ox7t1n-GlobalNavigation"><a href="https://www.bbc.co.uk">BBC</a>
<nav><ul><li><a href="/news">News</a></li><li><a href="/news/election/2024">Election 2024</a></li>
<li><a href="/news/england/derbyshire">Derby</a></li></ul></nav></header>
<main id="main-content" class="ssrcss-1o4c6nd-Main">
<h1 class="ssrcss-gcq6xq-StyledHeading">{title}</h1>
{summary}
<div class="ssrcss-1cx6d9b-LiveStream" data-testid="live-stream">
<ol class="ssrcss-1yoqzi8-Stream">
{posts}
</ol>
</div>
</main>
<footer class="ssrcss-19ll7cd-Footer"><p>Copyright 2024 BBC. The BBC is not responsible for the content of
external sites.</p></footer>
</div>
<script>window.__INITIAL_DATA__={data};</script>
<script src="https://static.files.bbci.co.uk/core/website/assets/static/webcore/js/live.js" defer></script>
</body>
</html>
"""
