"""A Derbyshire Live-style live blog (a Reach plc site) of the 2024 election night, in Reach's markup.

The facts are those of seed 003 and of the official results (names, parties and vote figures exact), in
our own words. As on Reach sites, a post shows only its wall-clock time (``04:45``). The night has what
seed 003 has: a run-on result paragraph, a figure corrected with a rewritten headline, and a post taken
down. ``blog_at(moment)`` gives the posts shown at a moment (newest first), ``render_reach_page(posts)``
the page; both pure and deterministic.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Final

import msgspec

PAGE_URL: Final = "https://www.derbytelegraph.co.uk/news/derby-news/general-election-2024-live-derbyshire-9381234"
TITLE: Final = "General election 2024 LIVE: Derbyshire results as counts declare"
_BST: Final = timedelta(hours=1)


class ReachPost(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    time: str  # HH:MM BST, 4-5 July 2024
    headline: str
    paragraphs: tuple[str, ...]
    author: str = "Sam Kerrigan"
    draft: tuple[str, tuple[str, ...]] | None = None  # (headline, paragraphs) until ``edited``
    edited: str | None = None
    withdrawn: str | None = None
    advert: bool = False  # an in-feed advert inside the body


def night_time(time: str) -> datetime:
    hour, minute = (int(part) for part in time.split(":"))
    return datetime(2024, 7, 4 if hour >= 20 else 5, hour, minute, tzinfo=UTC) - _BST


REACH_POSTS: Final[tuple[ReachPost, ...]] = (
    ReachPost(
        id="7f3a01",
        time="23:40",
        headline="Ballot boxes arrive in Chesterfield",
        paragraphs=("The first ballot boxes have reached the Chesterfield count and verification has started.",),
    ),
    ReachPost(
        id="7f3a02",
        time="02:40",
        headline="Erewash goes to Labour",
        paragraphs=("Adam Thompson has taken Erewash for Labour, defeating the Conservative Maggie Throup.",),
    ),
    ReachPost(
        id="7f3a03",
        time="03:05",
        headline="Natalie Fleet wins Bolsover",
        paragraphs=(
            "Labour's Natalie Fleet has won Bolsover from the Conservative Mark Fletcher, who took the seat "
            "from Dennis Skinner in 2019.",
        ),
        advert=True,
    ),
    ReachPost(
        id="7f3a04",
        time="04:30",
        headline="Recount in Derbyshire Dales?",
        paragraphs=("We are hearing that a recount may be requested in Derbyshire Dales.",),
        withdrawn="05:40",
    ),
    ReachPost(
        id="7f3a05",
        time="04:45",
        headline="Toby Perkins re-elected in Chesterfield",
        paragraphs=(
            "Toby Perkins has held Chesterfield for Labour with 19,316 votes.",
            "The Conservatives' Ben Flook was second on 8,496.",
        ),
        draft=(
            "Perkins holds Chesterfield",
            ("Toby Perkins has held Chesterfield for Labour with 19,361 votes.", "Ben Flook was second."),
        ),
        edited="05:20",
    ),
    ReachPost(
        id="7f3a06",
        time="04:52",
        headline="Chesterfield result in full",
        paragraphs=(
            "The full Chesterfield result: Toby Perkins (Labour) 19,316, Ben Flook (Conservative) 8,496, Dan "
            "Price (Reform UK) 7,897, David Wadsworth (Green) 2,682, Ian Barfield (Liberal Democrat) 2,553, "
            "Kris Stone (Chesterfield and North Derbyshire Independents) 363, Julie Lowe (Workers Party of "
            "Britain) 248",
        ),
        author="Priya Chauhan",
    ),
    ReachPost(
        id="7f3a07",
        time="04:58",
        headline="Louise Jones wins North East Derbyshire",
        paragraphs=("Labour's Louise Jones has unseated the Conservative Lee Rowley by 1,753 votes.",),
        author="Priya Chauhan",
    ),
    ReachPost(
        id="7f3a08",
        time="05:12",
        headline="Mid Derbyshire turns red",
        paragraphs=("Jonathan Davies has won Mid Derbyshire for Labour, beating the Conservative Luke Gardiner.",),
    ),
    ReachPost(
        id="7f3a09",
        time="06:55",
        headline="John Whitby wins Derbyshire Dales",
        paragraphs=("Labour's John Whitby takes Derbyshire Dales after a long count, the county's last seat.",),
        author="Priya Chauhan",
    ),
)


def blog_at(moment: datetime) -> list[ReachPost]:
    """The posts shown at ``moment``, newest first, drafts before their edit, withdrawn posts gone."""
    shown: list[ReachPost] = []
    for post in REACH_POSTS:
        if night_time(post.time) > moment or (post.withdrawn and night_time(post.withdrawn) <= moment):
            continue
        if post.draft is not None and post.edited and night_time(post.edited) > moment:
            headline, paragraphs = post.draft
            post = msgspec.structs.replace(post, headline=headline, paragraphs=paragraphs)
        shown.append(post)
    return shown[::-1]


def render_reach_page(posts: Sequence[ReachPost], *, url: str = PAGE_URL) -> bytes:
    return _PAGE.format(
        title=html.escape(TITLE), url=html.escape(url), posts="\n".join(_post_html(p) for p in posts)
    ).encode("utf-8")


def _post_html(post: ReachPost) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in post.paragraphs)
    if post.advert:
        body += '<div class="live-event__ad" data-ad-slot="inline-1">Advertisement</div>'
    return (
        f'<li class="live-event__post" id="post-{post.id}" data-post-id="{post.id}">\n'
        f'<div class="live-event__post-header"><span class="live-event__post-time">{post.time}</span>\n'
        f'<h2 class="live-event__post-title">{html.escape(post.headline)}</h2></div>\n'
        f'<div class="live-event__post-author"><span>{html.escape(post.author)}</span></div>\n'
        f'<div class="live-event__post-body">{body}</div>\n'
        '<div class="live-event__post-share"><button type="button">Share</button>'
        f'<a href="#post-{post.id}">Copy link</a></div>\n</li>'
    )


_PAGE: Final = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>{title} - Derbyshire Live</title>
<link rel="canonical" href="{url}">
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body class="live-event-page">
<header class="mod-header"><a class="logo" href="/">Derbyshire Live</a>
<nav><a href="/news/">News</a> <a href="/sport/">Sport</a> <a href="/whats-on/">What's On</a></nav></header>
<main>
<article class="article-main">
<h1 class="publication-font">{title}</h1>
<p class="article-intro">Follow every Derbyshire declaration as it happens.</p>
<div class="live-event" data-live-event-id="9381234">
<div class="live-event__ad" data-ad-slot="top">Advertisement</div>
<ul class="live-event__feed">
{posts}
</ul>
</div>
</article>
</main>
<footer class="mod-footer"><p>&copy; 2024 a Reach plc subsidiary</p></footer>
</body>
</html>
"""
