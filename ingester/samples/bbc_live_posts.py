"""The posts of a BBC Derbyshire live page for the 2024 election night, in our own words.

The first thirteen restate seed 001 (the page as saved at 01:03 BST on 5 July: names, seats and times
exact); the later ones carry the declarations that its summary lists, at the times the sample
Derbyshire Times blog gives them. Times are BST (4-5 July 2024).
"""

from __future__ import annotations

from typing import Final

import msgspec

Paragraph = str | tuple[str, ...]  # a tuple is a bulleted list


class LivePost(msgspec.Struct, frozen=True, kw_only=True):
    """One post. ``quote`` and ``caption`` are shown after the paragraphs; times are ``HH:MM`` BST."""

    urn: str
    time: str
    headline: str
    paragraphs: tuple[Paragraph, ...]
    name: str | None = None
    role: str | None = None
    quote: str | None = None
    caption: str | None = None
    breaking: bool = False
    edited: str | None = None  # when the final version replaced the draft
    withdrawn: str | None = None  # when the post was taken down


GEORGE: Final = {"name": "George Torr", "role": "Political reporter, East Midlands"}


def _urn(number: int) -> str:
    return f"urn:asset:5d1e{number:04x}-2b7c-4e0a-9c41-0d3f6a{number:06d}"


def _p(number: int, time: str, headline: str, *paragraphs: Paragraph, **extra: object) -> LivePost:
    return msgspec.convert(
        {"urn": _urn(number), "time": time, "headline": headline, "paragraphs": paragraphs, **extra}, LivePost
    )


LIVE_POSTS: Final[tuple[LivePost, ...]] = (
    _p(
        1,
        "20:00",
        "Welcome to our election coverage",
        "People across the UK have been voting all day in the 2024 general election. From 22:00 BST we will "
        "follow the results and the reaction in every part of Derbyshire.",
        "BBC Derby has reporters at each count, and every development will appear here on the BBC News "
        "website and app.",
    ),
    _p(
        2,
        "22:50",
        "Labour 'has hit South Derbyshire hard'",
        "On paper South Derbyshire is a safe Conservative seat, but this is not an ordinary election.",
        "Heather Wheeler has held it since 2010 with a majority of more than 19,000, the largest in Derbyshire.",
        "Labour's Samantha Niblett started campaigning here long before the election was called, and she is "
        "well thought of in her party.",
        "Labour needs a swing of 17.5% to win, and I am told Reform UK's vote could help them find it.",
        caption="Swadlincote town centre",
        **GEORGE,
    ),
    _p(
        3,
        "23:24",
        "Border towns 'could hold the key in North East Derbyshire'",
        "North East Derbyshire fell to the Conservatives in 2017, two years before the so-called red wall.",
        "The Conservative MP Lee Rowley has run a campaign with little party branding, all about local issues.",
        "Labour has to overturn a majority of nearly 13,000. Its candidate is a former Army intelligence "
        "officer who served in Afghanistan.",
        "Sources say the seat will be won in the towns on the Sheffield border: Dronfield, Eckington and Killamarsh.",
        caption="Dronfield",
        **GEORGE,
    ),
    _p(
        4,
        "23:39",
        "Counts get under way across Derbyshire",
        "The counting has begun at venues around the county.",
        "In Wirksworth the Derbyshire Dales votes are being counted, and the ballot boxes have reached the "
        "Erewash count as well.",
        caption="Votes being counted in Wirksworth",
        name="Laura Hammond",
        role="BBC News, East Midlands",
    ),
    _p(
        5,
        "00:01",
        "Mid Derbyshire 'could be an interesting watch'",
        "Mid Derbyshire was created in 2010 and has voted Conservative ever since, by growing margins.",
        "The MP Pauline Latham is standing down, and with the swing to Labour the seat is now worth watching.",
        "The Conservative candidate, Luke Gardiner, once a special adviser to Rishi Sunak, has been busy in "
        "the constituency.",
        **GEORGE,
    ),
    _p(
        6,
        "00:14",
        "When can we expect the first Derbyshire declarations?",
        "In 2019 Erewash was the first Derbyshire count to finish, re-electing the Conservative Maggie Throup "
        "at 03:09 GMT.",
        "Amber Valley and High Peak followed six minutes later, then South Derbyshire.",
        "We expect Erewash to be first again tonight, but there are a few hours to go yet.",
    ),
    _p(
        7,
        "00:15",
        "Queues to get in",
        "At the Bolsover count it is the ballot boxes that have to queue.",
        "The BBC's Kat Harbourne photographed the line outside Dronfield Leisure Centre.",
        caption="Queues of people carrying ballot boxes",
    ),
    _p(
        8,
        "00:22",
        "No sign of blue rosettes at Derby count",
        "If the exit poll is right, Conservatives across Derbyshire will lose their seats tonight.",
        "So far the only rosettes on the count floor are Labour ones.",
        **GEORGE,
    ),
    _p(
        9,
        "00:23",
        "Labour on song, says Derbyshire Dales candidate",
        "Labour's John Whitby in Derbyshire Dales played in a band that once supported the Red Hot Chili Peppers.",
        "He told BBC Radio Derby's Jack Tymon that the exit poll means the Conservatives cannot stop a Labour "
        "landslide.",
        quote="As long as we get a Labour government, I will be happy.",
        caption="Labour candidate John Whitby",
    ),
    _p(
        10,
        "00:24",
        "Bolsover may declare earlier than expected",
        "Verification in Bolsover, and then the count, should begin at about 01:00 BST.",
        "The declaration there is now expected at about 03:45.",
        name="Kate Linderholm",
        role="BBC Derby",
    ),
    _p(
        11,
        "00:40",
        "Climate change 'completely missed' by bigger parties",
        "Kelda Boothroyd, the Green candidate in Derbyshire Dales, does not expect to win.",
        "She says climate change came up on the doorstep and the main parties ignored it.",
        name="Jack Tymon",
        role="BBC Radio Derby",
    ),
    _p(
        12,
        "00:41",
        "Reform UK 'will have representation in Parliament'",
        "Alan Graves, standing for Reform UK in Derby South, says he is neck and neck with Labour there.",
        "His party is predicted to win 13 seats, and he expects it to be represented in Parliament.",
        **GEORGE,
    ),
    _p(
        13,
        "01:03",
        "'We've both got losing in common'",
        "At South Derbyshire's count in the Green Bank Leisure Centre I heard the independent Paul Liversuch "
        "joke with the Conservatives that neither of them was going to win.",
        name="Owen Bradley",
        role="BBC Radio Derby Sport",
    ),
    _p(
        14,
        "02:34",
        "Labour gain Erewash",
        "Labour's Adam Thompson has won Erewash, defeating the Conservative Maggie Throup.",
        "It is the first declaration in Derbyshire.",
        breaking=True,
        edited="02:52",
    ),
    _p(15, "03:01", "Labour gain Bolsover", "Natalie Fleet takes Bolsover from the Conservative Mark Fletcher."),
    _p(
        16,
        "03:02",
        "Labour gain Bolsover",
        "Natalie Fleet takes Bolsover from the Conservative Mark Fletcher.",
        withdrawn="03:10",
    ),
    _p(17, "03:39", "Labour gain Amber Valley", "Linsey Farnsworth beats the Conservative Nigel Mills."),
    _p(18, "03:42", "Labour gain High Peak", "Jon Pearce unseats the Conservative Robert Largan."),
    _p(19, "04:01", "Labour gain Derby North", "Catherine Atkinson defeats the Conservative Amanda Solloway."),
    _p(20, "04:03", "Labour gain South Derbyshire", "Samantha Niblett wins South Derbyshire for Labour."),
    _p(21, "04:18", "Labour hold Derby South", "Baggy Shanker keeps Derby South for Labour."),
    _p(22, "04:40", "Labour hold Chesterfield", "Toby Perkins is re-elected in Chesterfield."),
    _p(23, "04:49", "Labour gain North East Derbyshire", "Louise Jones defeats the Conservative Lee Rowley."),
    _p(24, "05:09", "Labour gain Mid Derbyshire", "Jonathan Davies beats the Conservative Luke Gardiner."),
    _p(
        25,
        "06:51",
        "Labour gain Derbyshire Dales",
        "John Whitby takes Derbyshire Dales for Labour after a long count.",
        breaking=True,
    ),
    _p(
        26,
        "07:05",
        "Conservatives wiped out in Derbyshire",
        "Labour now hold all eleven of the county's seats.",
        (
            "Gains: Erewash, Derbyshire Dales, Bolsover, High Peak, Amber Valley, Derby North, South "
            "Derbyshire, Mid Derbyshire and North East Derbyshire",
            "Holds: Derby South and Chesterfield",
        ),
        **GEORGE,
    ),
)

# Earlier versions of edited posts, shown until the final version's ``edited`` time.
LIVE_DRAFTS: Final[dict[str, LivePost]] = {
    _urn(14): _p(
        14,
        "02:34",
        "Labour gain Erewash",
        "Labour's Adam Thompson has won Erewash, defeating the Conservative Maggie Thorp.",
        breaking=True,
    ),
}

# Shown from the end of the night: the page's summary and the seats banner.
SUMMARY_FROM: Final = "07:20"
SUMMARY: Final = (
    "Conservatives completely wiped out by Labour in county",
    "Labour take Erewash, Derbyshire Dales, Bolsover, High Peak and Amber Valley from the Tories",
    "Derby North, South Derbyshire, Mid Derbyshire and North East Derbyshire also change from blue to red",
    "Derby South and Chesterfield remain under Labour control",
)
BANNER: Final = {
    "name": "election-banner",
    "data": {
        "title": "Results: parties by seats",
        "majorityThreshold": 326,
        "seatsToGo": 0,
        "changeLabel": "Change since 2019",
        "parties": [
            {"name": "Labour", "seats": 412, "change": 211},
            {"name": "Conservative", "seats": 121, "change": -251},
            {"name": "Liberal Democrat", "seats": 72, "change": 64},
            {"name": "Scottish National Party", "seats": 9, "change": -39},
            {"name": "Sinn Fein", "seats": 7, "change": 0},
            {"name": "Others", "seats": 29, "change": 15},
        ],
    },
}
