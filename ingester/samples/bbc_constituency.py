"""BBC constituency pages of the 2017 general election (Derby North, Luton North), as the BBC laid them out.

Results and names are those of seeds 000 and 004; the "Latest updates" posts restate them in our own
words, and change during the night: one is corrected in the morning, one published twice by mistake and
taken down. The declaration times (BST, 9 June 2017) are illustrative: the seeds do not give them.

- ``SEATS``: the two pages' facts; ``page_at(seat, moment)`` the page's state at a moment (before the
  declaration: no result; after it: the table; the posts as they stood; the UK banner once every seat
  had declared), and ``render_constituency_page(seat, state)`` its HTML, pure and deterministic.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta, timezone
from typing import Final

import msgspec

ELECTION: Final = "parl.2017-06-08"
_BST: Final = timedelta(hours=1)


class Row(msgspec.Struct, frozen=True):
    code: str
    party: str
    name: str
    votes: int
    share: float
    change: float


class Update(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    time: str  # "DD HH:MM" BST, June 2017
    headline: str
    paragraphs: tuple[str, ...]
    name: str | None = None
    role: str = "BBC News"
    draft: tuple[str, ...] | None = None  # the paragraphs first published, until ``edited``
    edited: str | None = None
    withdrawn: str | None = None  # when the post was taken down


class Seat(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    code: str  # GSS code on the 2010 boundaries
    verdict: str
    declared: str  # "DD HH:MM" BST
    rows: tuple[Row, ...]
    majority: int
    turnout: float | None
    updates: tuple[Update, ...]

    @property
    def url(self) -> str:
        return f"https://www.bbc.co.uk/news/politics/constituencies/{self.code}"


class PageState(msgspec.Struct, frozen=True):
    declared: bool
    updates: tuple[Update, ...]  # newest first, each as it stood
    banner: bool


def june(stamp: str) -> datetime:
    """``"DD HH:MM"`` BST in June 2017, in UTC."""
    day, clock = stamp.split()
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime(2017, 6, int(day), hour, minute, tzinfo=UTC) - _BST


BANNER_FROM: Final = "09 21:00"  # the last seat declared during the evening of 9 June
UK_BANNER: Final = (
    (
        "Party",
        (
            "Conservative",
            "Labour",
            "Scottish National Party",
            "Liberal Democrat",
            "Democratic Unionist Party",
            "Others",
        ),
    ),
    ("Seats", ("318", "262", "35", "12", "10", "13")),
    ("Change", ("\u221213", "+30", "\u221221", "+4", "+2", "\u22122")),
)

DERBY_NORTH: Final = Seat(
    name="Derby North",
    code="E14000662",
    verdict="LAB GAIN FROM CON",
    declared="09 03:40",
    rows=(
        Row("LAB", "Labour", "Chris Williamson", 23_622, 48.5, 12.0),
        Row("CON", "Conservative", "Amanda Solloway", 21_607, 44.4, 7.7),
        Row("LD", "Liberal Democrat", "Lucy Care", 2_262, 4.6, -3.9),
        Row("UKIP", "UKIP", "Bill Piper", 1_181, 2.4, -12.2),
    ),
    majority=2_015,
    turnout=None,  # not in the seed
    updates=(
        Update(
            id="p05d8r1x",
            time="08 22:02",
            headline="Polls close in Derby North",
            paragraphs=("Voting has ended and the ballot boxes are on their way to the count.",),
            role="BBC Radio Derby",
        ),
        Update(
            id="p05d9k2m",
            time="09 03:46",
            headline="Labour's Chris Williamson takes Derby North",
            paragraphs=(
                "Labour's Chris Williamson has won Derby North with 23,622 votes, 2,015 more than the "
                "Conservative MP Amanda Solloway.",
                "UKIP's Bill Piper came fourth with 1,181 votes, 12.2 points down on 2015.",
            ),
            draft=(
                "Labour's Chris Williamson has won Derby North with 23,622 votes, 2,015 more than the "
                "Conservative MP Amanda Solloway.",
            ),
            edited="09 08:15",
            role="BBC Radio Derby",
        ),
        Update(
            id="p05d9k5t",
            time="09 03:45",
            headline="Labour's Chris Williamson takes Derby North",
            paragraphs=("Chris Williamson is the new MP for Derby North.",),
            withdrawn="09 04:05",  # published twice by mistake, then taken down
            role="BBC Radio Derby",
        ),
    ),
)

LUTON_NORTH: Final = Seat(
    name="Luton North",
    code="E14000800",
    verdict="LAB HOLD",
    declared="09 02:55",
    rows=(
        Row("LAB", "Labour", "Kelvin Hopkins", 29_765, 63.8, 11.6),
        Row("CON", "Conservative", "Caroline Kerswell", 15_401, 33.0, 3.1),
        Row("LD", "Liberal Democrat", "Rabi Martins", 808, 1.7, -1.3),
        Row("GRN", "Green Party", "Simon Hall", 648, 1.4, -0.9),
    ),
    majority=14_364,
    turnout=71.0,
    updates=(
        Update(
            id="p05d8s4q",
            time="08 22:05",
            headline="Counting begins in Luton",
            paragraphs=("The polls have closed and the first ballot boxes have reached the count.",),
            role="BBC Three Counties Radio",
        ),
        Update(
            id="p05d9f7w",
            time="09 03:01",
            headline="Kelvin Hopkins holds Luton North",
            paragraphs=(
                "Labour's Kelvin Hopkins keeps Luton North with a majority of 14,364.",
                "His share of the vote rose by 11.6 points to 63.8%, and the Conservative Caroline Kerswell's "
                "by 3.1 points.",
                "UKIP did not field a candidate here this time, which helped both main parties.",
            ),
            draft=(
                "Labour's Kelvin Hopkins keeps Luton North with a majority of 14,364.",
                "His share of the vote rose by 11.6 points to 63.8%, and the Conservative Caroline Kerswell's "
                "by 3.1 points.",
            ),
            edited="09 10:05",
            name="Patrick Byrne",
        ),
        Update(
            id="p05db2c9",
            time="09 09:40",
            headline="Labour MP 'expects another election soon'",
            paragraphs=(
                "The re-elected Labour MP for Luton North, Kelvin Hopkins, has told the BBC he expects another "
                "general election before long, as in 1974.",
                "He called Labour a government in waiting.",
            ),
            name="Jonathan Vernon-Smith",
            role="BBC Three Counties Radio",
        ),
    ),
)

SEATS: Final = (DERBY_NORTH, LUTON_NORTH)


def page_at(seat: Seat, moment: datetime) -> PageState:
    updates = []
    for update in seat.updates:
        if june(update.time) > moment or (update.withdrawn and june(update.withdrawn) <= moment):
            continue
        if update.draft is not None and update.edited and june(update.edited) > moment:
            update = msgspec.structs.replace(update, paragraphs=update.draft, edited=None)
        updates.append(update)
    return PageState(
        declared=june(seat.declared) <= moment, updates=tuple(updates[::-1]), banner=june(BANNER_FROM) <= moment
    )


def render_constituency_page(seat: Seat, state: PageState) -> bytes:
    page = _PAGE.format(
        name=html.escape(seat.name),
        url=seat.url,
        banner=_banner() if state.banner else "",
        verdict=_verdict(seat.verdict) if state.declared else "",
        results=_results(seat) if state.declared else _NOT_DECLARED,
        updates="\n".join(_update(u) for u in state.updates),
    )
    return page.encode("utf-8")


def _banner() -> str:
    rows = "\n".join(
        f'<tr><th scope="row">{label}</th>\n' + "\n".join(f"<td>{html.escape(v)}</td>" for v in values) + "</tr>"
        for label, values in UK_BANNER
    )
    return (
        '<section class="ge2017-banner" aria-labelledby="uk-results">\n<h2 id="uk-results">UK results</h2>\n'
        f'<table class="ge2017-banner__table">\n{rows}\n</table>\n'
        '<p class="ge2017-banner__progress">After <b>650</b> of <b>650</b> seats</p>\n</section>'
    )


def _verdict(verdict: str) -> str:
    return (
        f'<div class="ge2017-flash"><span aria-hidden="true">{verdict}</span> '
        f'<span class="off-screen">{verdict}</span></div>'
    )


def _row(row: Row) -> str:
    return (
        f'<li class="ge2017-constituency-result__row ge2017-party--{row.code.lower()}">\n'
        f'<div class="ge2017-party"><div class="off-screen">Party</div>\n'
        f'<div><abbr title="{html.escape(row.party)}">{row.code}</abbr></div>\n'
        f'<div class="ge2017-party__name">{html.escape(row.party)}</div></div>\n'
        f'<p class="ge2017-constituency-result__candidate"><span>{html.escape(row.name)}</span>\n'
        f'<span class="off-screen">Votes</span> <span>{row.votes:,}</span>\n'
        f'<span class="off-screen">header_vote_share</span> <span>{row.share:.1f}</span>\n'
        f'<span class="off-screen">Net percentage change in seats</span> <span>{row.change:+.1f}</span></p>\n</li>'
    )


def _results(seat: Seat) -> str:
    winner = seat.rows[0].code
    turnout = f'<div><p>Turnout</p><p class="ge2017-turnout">{seat.turnout:.1f}%</p></div>' if seat.turnout else ""
    shares = "\n".join(f"<tr><td>{html.escape(r.party)}</td> <td>{r.share:.1f}</td></tr>" for r in seat.rows)
    return (
        '<section class="ge2017-constituency-result" aria-labelledby="results">\n<h2 id="results">Results</h2>\n'
        "<h3>General Election 2017 results</h3>\n"
        '<div class="ge2017-constituency-result__header" aria-hidden="true"><span>Party</span> <span>Votes</span> '
        "<span>%</span> <span>Net percentage change in seats</span></div>\n"
        f'<ol class="ge2017-constituency-result__rows">\n{"".join(_row(r) for r in seat.rows)}\n</ol>\n'
        f"<h3>Turnout and {winner} majority</h3>\n"
        f'<div><p>{winner} majority</p><p class="ge2017-majority">{seat.majority:,}</p></div>\n{turnout}\n'
        f'<h3>Vote share</h3>\n<table class="ge2017-share">\n<tr><th>Party</th> <th>%</th></tr>\n{shares}\n</table>\n'
        "</section>"
    )


def _update(update: Update) -> str:
    shown = june(update.time).astimezone(timezone(_BST))
    byline = f"<p>{html.escape(update.name)}</p>" if update.name else ""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in update.paragraphs)
    return (
        f'<li class="lx-stream__post-container">\n<article id="{update.id}" class="lx-stream-post">\n'
        f'<header class="lx-stream-post__header"><time datetime="{shown.isoformat()}">'
        f'<span class="qa-post-auto-meta">{shown:%H:%M}</span> <span class="off-screen">{shown.day} June</span>'
        f"</time>\n<h3>{html.escape(update.headline)}</h3>\n"
        f'<div class="lx-stream-post__contributor">{byline}<p>{html.escape(update.role)}</p></div></header>\n'
        f'<div class="lx-stream-post-body">{body}</div>\n</article>\n</li>'
    )


_NOT_DECLARED: Final = (
    '<section class="ge2017-constituency-result ge2017-constituency-result--pending">\n<h2>Results</h2>\n'
    "<p>This constituency has not declared yet. Results will appear here as soon as they are announced.</p>\n"
    "</section>"
)

_PAGE: Final = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{name} parliamentary constituency - Election 2017 - BBC News</title>
<link rel="canonical" href="{url}">
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
<div class="orb-nav"><a href="https://www.bbc.co.uk">BBC</a> <a href="/news">News</a></div>
<div id="site-container" role="main">
{banner}
<div class="constituency-title">
<h1 class="constituency-title__title">{name}</h1>
<p class="constituency-title__type">Parliamentary constituency</p>
</div>
{verdict}
{results}
<section class="lx-stream" aria-labelledby="latest-updates">
<h2 id="latest-updates">Latest updates</h2>
<ol class="lx-stream__feed">
{updates}
</ol>
</section>
</div>
<div class="orb-footer"><p>Copyright &copy; 2017 BBC. The BBC is not responsible for the content of external
sites.</p></div>
</body>
</html>
"""
