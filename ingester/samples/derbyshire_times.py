"""A Derbyshire Times-style live blog (a National World site) of the 2024 election night, as HTML pages.

The posts restate, in our own words, the facts of the seed pages (names, parties, vote figures and seats
exact); their times follow the night of 4-5 July 2024 in BST. National World pages carry the blog twice:
as visible markup and as a schema.org ``LiveBlogPosting`` in a JSON-LD script block, which is what the
``jsonld`` adapter reads.

- ``DERBYSHIRE_POSTS``: every post the blog ever published, oldest first, in its final version; the one
  that was taken down has ``withdrawn`` set.
- ``DERBYSHIRE_DRAFTS``: the earlier version of each post that was edited, shown until the final
  version's ``modified`` time.
- ``blog_at(moment)``: the posts as the page showed them at a moment, newest first.
- ``render_blog_page(posts)``: the page for a list of posts, as bytes; pure and deterministic.

A simulated night polls ``render_blog_page(blog_at(t))`` at each time ``t``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

import msgspec

BLOG_URL: Final = (
    "https://www.derbyshiretimes.co.uk/news/politics/general-election-2024-live-updates-from-derbyshire-4693817"
)
BLOG_TITLE: Final = "General Election 2024: Live updates from Derbyshire as the results come in"
BLOG_STARTED: Final = "2024-07-04T21:30:00+01:00"
BLOG_ENDS: Final = "2024-07-05T12:00:00+01:00"


class SamplePost(msgspec.Struct, frozen=True, kw_only=True):
    """One live-blog post. Times are ISO 8601 with an offset; ``modified`` None means never edited."""

    id: str
    headline: str
    paragraphs: tuple[str, ...]
    published: str
    modified: str | None = None
    author: str = "Helen Marsh"
    withdrawn: str | None = None

    @property
    def last_modified(self) -> str:
        return self.modified or self.published


def _post(number: int, time: str, headline: str, *paragraphs: str, **extra: Any) -> SamplePost:
    day = "04" if time >= "20:00" else "05"
    return SamplePost(
        id=f"post-{number:04d}",
        headline=headline,
        paragraphs=paragraphs,
        published=f"2024-07-{day}T{time}:00+01:00",
        **extra,
    )


TOM: Final = "Tom Castle"

DERBYSHIRE_POSTS: Final[tuple[SamplePost, ...]] = (
    _post(
        1,
        "21:31",
        "Welcome to our live coverage of election night in Derbyshire",
        "Polling stations close at 10pm and the counting starts soon after.",
        "Stay with us through the night: we will bring you the result from each of Derbyshire's eleven "
        "constituencies as it is declared.",
    ),
    _post(
        2,
        "22:02",
        "Exit poll points to a Labour landslide",
        "The broadcasters' exit poll, released as the polls closed, suggests Labour are on course for a "
        "large majority in the Commons.",
        "Going into this election the Conservatives held nine of Derbyshire's eleven seats and Labour two.",
        author=TOM,
    ),
    _post(
        3,
        "00:24",
        "Bolsover could declare earlier than expected",
        "Verification of the Bolsover ballot papers, followed by the count itself, should be under way by "
        "about 01:00 BST.",
        "The declaration there is now expected at around 03:45.",
    ),
    _post(
        4,
        "02:34",
        "Labour gain Erewash",
        "Labour's Adam Thompson has won Erewash, unseating the Conservative MP Maggie Throup.",
        "It is the first declaration of the night in Derbyshire.",
        modified="2024-07-05T03:20:00+01:00",
    ),
    _post(
        5,
        "03:01",
        "Labour gain Bolsover",
        "Natalie Fleet takes Bolsover for Labour.",
        "The Conservative Mark Fletcher, who won the seat from Dennis Skinner in 2019, loses it after a single term.",
        author=TOM,
    ),
    _post(
        6,
        "03:39",
        "Labour gain Amber Valley",
        "Linsey Farnsworth wins Amber Valley for Labour, defeating the Conservative Nigel Mills.",
    ),
    _post(
        7,
        "03:42",
        "Labour gain High Peak",
        "Jon Pearce takes High Peak from the Conservatives' Robert Largan, who had held it since 2019.",
        author=TOM,
    ),
    _post(
        8,
        "04:01",
        "Labour gain Derby North",
        "Catherine Atkinson wins Derby North for Labour. The Conservative Amanda Solloway loses the seat.",
    ),
    _post(
        9,
        "04:03",
        "Labour gain South Derbyshire",
        "Samantha Niblett takes South Derbyshire for Labour, overturning the biggest Conservative majority "
        "in the county.",
        author=TOM,
    ),
    _post(
        10,
        "04:18",
        "Labour hold Derby South",
        "Baggy Shanker keeps Derby South, the former seat of Margaret Beckett, in Labour hands.",
    ),
    _post(
        11,
        "04:40",
        "Labour wins in Chesterfield as Toby Perkins keeps his seat",
        "Toby Perkins holds Chesterfield for Labour with 19,316 votes.",
        "The Conservative candidate, Ben Flook, came second on 8,496.",
        modified="2024-07-05T05:55:00+01:00",
        author=TOM,
    ),
    _post(
        12,
        "04:46",
        "Full Chesterfield results",
        "Here is the full result from Chesterfield:",
        "Toby Perkins, Labour - 19,316",
        "Ben Flook, Conservative - 8,496",
        "Dan Price, Reform UK - 7,897",
        "David Wadsworth, Green - 2,682",
        "Ian Barfield, Liberal Democrat - 2,553",
        "Kris Stone, Chesterfield And North Derbyshire Independents - 363",
        "Workers Party of Britain, Julie Lowe - 248",
        author=TOM,
    ),
    _post(
        13,
        "04:49",
        "Labour gain North East Derbyshire",
        "Louise Jones has won North East Derbyshire for Labour, beating the Conservative Lee Rowley by "
        "fewer than 2,000 votes.",
    ),
    _post(
        14,
        "04:53",
        "Full results for North East Derbyshire",
        "The full North East Derbyshire result is as follows Labour - Louise Jones - 17,591 Elected "
        "Conservative - Lee Rowley - 15,838 Reform Uk - Andy Egginton - 7,899 Green Party - Frank "
        "Adlington-Stringer - 2,271 Liberal Democrat - Ross Shipman - 2,159 Freedom Alliance - Wesley "
        "Massumbukolt - 108",
    ),
    _post(
        15,
        "05:09",
        "Labour gain Mid Derbyshire",
        "Jonathan Davies wins Mid Derbyshire for Labour, defeating the Conservative Luke Gardiner.",
        "The seat had been Conservative since it was created in 2010; Pauline Latham did not stand again.",
        author=TOM,
    ),
    _post(
        16,
        "05:31",
        "Still no result in Derbyshire Dales",
        "Derbyshire Dales is now the only seat in the county still to declare.",
        "Many of the counters have put their ballot papers down and some bundles are being re-thumbed: "
        "it looks as though the result could be very close.",
    ),
    _post(
        17,
        "05:36",
        "Recount in Derbyshire Dales",
        "We understand a recount has been requested in Derbyshire Dales.",
        author=TOM,
        withdrawn="2024-07-05T05:52:00+01:00",
    ),
    _post(
        18,
        "05:58",
        "Labour dominates Derbyshire",
        "Nationally, Labour have now won 368 seats and the Conservatives 93, with 77 seats yet to be assigned.",
        "In Derbyshire Labour have taken every seat declared so far: Erewash, Amber Valley, High Peak, "
        "Bolsover, Chesterfield, North East Derbyshire, Mid Derbyshire, South Derbyshire, Derby North and "
        "Derby South.",
        "That leaves Derbyshire Dales, where the Conservatives were defending a big majority, as their "
        "last hope in the county.",
    ),
    _post(
        19,
        "06:51",
        "Labour gain Derbyshire Dales",
        "John Whitby wins Derbyshire Dales for Labour after a long and tense count.",
        "It completes the sweep: Labour now hold all eleven of Derbyshire's seats.",
        author=TOM,
    ),
    _post(
        20,
        "07:12",
        "Derbyshire turns completely red",
        "Before the election the Conservatives held nine of Derbyshire's eleven seats and Labour two. This "
        "morning Labour hold all eleven.",
        "The Conservatives who lost their seats overnight include Lee Rowley in North East Derbyshire, "
        "Mark Fletcher in Bolsover, Robert Largan in High Peak, Nigel Mills in Amber Valley, Maggie Throup "
        "in Erewash and Amanda Solloway in Derby North.",
        "Toby Perkins, Chesterfield's MP since 2010, held his seat.",
    ),
)

# The versions first published of the posts that were edited later (a figure corrected, a headline
# rewritten, a paragraph added).
DERBYSHIRE_DRAFTS: Final[Mapping[str, SamplePost]] = {
    "post-0004": _post(
        4,
        "02:34",
        "Labour gain Erewash",
        "Labour's Adam Thompson has won Erewash, unseating the Conservative MP Maggie Throup.",
    ),
    "post-0011": _post(
        11,
        "04:40",
        "Toby Perkins holds Chesterfield",
        "Toby Perkins holds Chesterfield for Labour with 19,361 votes.",
        "The Conservative candidate, Ben Flook, came second on 8,496.",
        author=TOM,
    ),
}


def blog_at(moment: datetime) -> list[SamplePost]:
    """The posts the page showed at ``moment`` (timezone-aware), newest first, as each stood then."""
    shown: list[SamplePost] = []
    for post in DERBYSHIRE_POSTS:
        if _at(post.published) > moment or (post.withdrawn and _at(post.withdrawn) <= moment):
            continue
        draft = DERBYSHIRE_DRAFTS.get(post.id)
        shown.append(draft if draft is not None and _at(post.last_modified) > moment else post)
    return shown[::-1]


def render_blog_page(
    posts: Iterable[SamplePost | Mapping[str, Any]],
    *,
    url: str = BLOG_URL,
    title: str = BLOG_TITLE,
    jsonld: bool = True,
) -> bytes:
    """The live-blog page for these posts (given newest first), as UTF-8 bytes.

    A post may be a ``SamplePost`` or a mapping with the same keys (``id``, ``headline``,
    ``paragraphs``, ``published``, optionally ``modified`` and ``author``). ``jsonld=False`` leaves out
    the JSON-LD block, as the site's older templates did: only the visible markup carries the posts.
    """
    items = [p if isinstance(p, SamplePost) else msgspec.convert(p, SamplePost) for p in posts]
    page = _PAGE.format(
        title=_escape(title),
        url=_escape(url),
        published=BLOG_STARTED,
        modified=max((p.last_modified for p in items), key=_at, default=BLOG_STARTED),
        jsonld=f'<script type="application/ld+json">{_jsonld(items, url, title)}</script>\n' if jsonld else "",
        posts="\n".join(_post_html(p) for p in items),
    )
    return page.encode("utf-8")


def _at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _jsonld(posts: Sequence[SamplePost], url: str, title: str) -> str:
    blog = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": f"{url}#liveblog",
        "url": url,
        "headline": title,
        "datePublished": BLOG_STARTED,
        "dateModified": max((p.last_modified for p in posts), key=_at, default=BLOG_STARTED),
        "coverageStartTime": BLOG_STARTED,
        "coverageEndTime": BLOG_ENDS,
        "publisher": {"@type": "NewsMediaOrganization", "name": "Derbyshire Times"},
        "about": {"@type": "Event", "name": "UK General Election 2024", "startDate": "2024-07-04"},
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "@id": f"{url}#{post.id}",
                "url": f"{url}#{post.id}",
                "headline": post.headline,
                "articleBody": "".join(f"<p>{_escape(p)}</p>" for p in post.paragraphs),
                "datePublished": post.published,
                "dateModified": post.last_modified,
                "author": {"@type": "Person", "name": post.author},
            }
            for post in posts
        ],
    }
    # "</" inside a script block would end it early; JSON allows "<\/" for the same characters.
    return msgspec.json.encode(blog).decode("utf-8").replace("</", "<\\/")


def _post_html(post: SamplePost) -> str:
    shown = _at(post.published).strftime("%H:%M")
    body = "".join(f"<p>{_escape(p)}</p>" for p in post.paragraphs)
    return (
        f'<div class="live-blog-post" id="{post.id}" data-post-id="{post.id}">'
        f'<div class="live-blog-post__meta"><time datetime="{post.published}">{shown}</time> '
        f'<span class="live-blog-post__author">By {_escape(post.author)}</span></div>'
        f'<h2 class="live-blog-post__headline">{_escape(post.headline)}</h2>'
        f'<div class="live-blog-post__body">{body}</div></div>'
    )


_PAGE: Final = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Derbyshire Times</title>
<meta name="description" content="Follow every declaration from Derbyshire's eleven constituencies.">
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="Derbyshire Times">
<meta property="article:published_time" content="{published}">
<meta property="article:modified_time" content="{modified}">
{jsonld}<script type="application/ld+json">{{"@context":"https://schema.org","@type":"BreadcrumbList",\
"itemListElement":[{{"@type":"ListItem","position":1,"name":"News","item":"https://www.derbyshiretimes.co.uk/news"}},\
{{"@type":"ListItem","position":2,"name":"Politics","item":"https://www.derbyshiretimes.co.uk/news/politics"}}]}}</script>
<script>window.dataLayer = window.dataLayer || [];
dataLayer.push({{"pageType": "liveblog", "section": "politics"}});</script>
</head>
<body class="article-page">
<header class="site-header"><a class="site-header__logo" href="/">Derbyshire Times</a>
<nav class="site-nav"><ul><li><a href="/news">News</a></li><li><a href="/news/politics">Politics</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/whats-on">What's On</a></li></ul></nav></header>
<main id="content">
<article class="article live-blog">
<h1 class="article__headline">{title}</h1>
<div class="article__byline">Live coverage from the Derbyshire Times newsroom</div>
<div class="live-blog__status"><span class="live-badge">LIVE</span>
Updated <time datetime="{modified}">{modified}</time></div>
<div class="live-blog__posts">
{posts}
</div>
</article>
<aside class="related"><h3>Most read</h3>
<ul><li><a href="/news/people">Your pictures of the week</a></li></ul></aside>
</main>
<footer class="site-footer"><p>&copy; 2024 National World Publishing Ltd. All rights reserved.</p></footer>
<script src="/static/js/main.js" defer></script>
</body>
</html>
"""
