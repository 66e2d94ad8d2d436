"""Count progress: "Bolsover verification ... to get under way by around 01:00 BST" (verification),
"Counting has started" (counting), "Bolsover's predicted to declare at about 03:45" (expected;
``expected_at`` is resolved in Europe/London against the post's time, across midnight, or against the
election day when the post has no time: before noon is the night after polling day), "results are
expected any minute now" (expected, no time), "declaration delayed" (delayed). One stage per sentence,
the first of delayed, expected, verification, counting; not from a sentence about a recount
(:mod:`recount`) or another year's story. The seat: :mod:`count_seat`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Final, Literal
from zoneinfo import ZoneInfo

from ingester.classify._hedges import other_year
from ingester.classify._post import post_lower, post_sentences
from ingester.classify._scan import Searcher, may_hold
from ingester.classify._text import election_year, has_any
from ingester.classify.base import RuleInput
from ingester.classify.count_seat import COUNT_WORDS, sentence_seat
from ingester.classify.places import DEFAULT, Places
from ingester.classify.recount import RECOUNT, RECOUNT_STEMS
from ingester.events import Count, TypedEvent

LONDON: Final = ZoneInfo("Europe/London")
_ZONES: Final = {"bst": timezone(timedelta(hours=1)), "gmt": UTC}

CountStage = Literal["verification", "counting", "expected", "delayed"]

_COUNT_STEMS: Final = ("count", "declar", "result", "verification")
# Each searched only where the words it starts with are (``Searcher``), and asked only where the words
# it cannot match without are (``_DELAYED_STEMS``, ...).
_DELAYED: Final = Searcher(
    re.compile(r"\b(?:delay(?:ed|s)?|postponed|suspended|held up|pushed back|paused)\b", re.I),
    ("delay", "postponed", "suspended", "held up", "pushed back", "paused"),
)
_EXPECTED: Final = Searcher(
    re.compile(
        r"\b(?:(?:expected|predicted|due|set|scheduled|likely|anticipated|estimated|poised) to declare"
        r"|declaration (?:is |now |now is )?(?:expected|due|scheduled|predicted|anticipated|imminent)"
        r"|results? (?:is |are )?(?:now )?(?:expected|due|imminent)"
        r"|expect(?:ing)? (?:the |a )?(?:\w{1,30} ){0,4}(?:declaration|result)s?"
        r"|(?:is|are|was|were) (?:now )?(?:expected|due|scheduled|predicted)"
        r" (?=(?:at|by|around|about|before|shortly|any)\b))\b",
        re.I,
    ),
    ("expect", "predicted", "due", "set", "scheduled", "likely", "anticipated", "estimated", "poised",
     "declaration", "result", "is", "are", "was", "were"),
)  # fmt: skip
_IMMINENT: Final = Searcher(
    re.compile(
        r"\b(?:any minute|any moment|shortly|imminent(?:ly)?|very soon"
        r"|(?:within|in) the next (?:half hour|hour|few minutes|\d{1,2} minutes))\b",
        re.I,
    ),
    ("any minute", "any moment", "shortly", "imminent", "very soon", "within the next", "in the next"),
)
_TIME: Final = re.compile(
    r"(?<![\d:.])(?P<h>[01]?\d|2[0-3])(?:[:.](?P<m>[0-5]\d))?\s?(?P<ampm>[ap]\.?m\b\.?)?(?:\s?(?P<zone>BST|GMT))?(?![\d:])",
    re.I,
)
_VERIFICATION: Final = Searcher(re.compile(r"\bverification\b", re.I), ("verification",))
_VERIFIED: Final = re.compile(r"\bverification (?:is |has )?(?:now )?(?:complete|completed|finished|over|done)\b", re.I)
_COUNTING: Final = Searcher(
    re.compile(
        r"\b(?:counting|counts?) (?:has |have |is |are |now ){0,2}(?:started|begun|began|commenced|under ?way"
        r"|in progress|gets? under ?way|got under ?way|getting under ?way)\b"
        r"|\b(?:started|begun|began|begin|start|starts) counting\b",
        re.I,
    ),
    ("count", "start", "begun", "began", "begin"),
)


# -------------------------------------------------------------------------------------------------- count


def count_rule(post: RuleInput, found: Sequence[TypedEvent], places: Places = DEFAULT) -> list[Count]:
    if not has_any(post_lower(post), _COUNT_STEMS):
        return []
    year = election_year(post)
    all_sentences = post_sentences(post)
    out: list[Count] = []
    seen: set[tuple[str, str]] = set()
    for index, sentence in enumerate(all_sentences):
        text = sentence.text
        lower = text.lower()
        if not has_any(lower, _COUNT_STEMS) or not COUNT_WORDS.search(text, lower):
            continue
        if (may_hold(lower, RECOUNT_STEMS) and RECOUNT.search(text, lower)) or other_year(text, year):
            continue
        stage, at, expected_at = _count_stage(text, lower, post)
        if stage is None:
            continue
        seat = sentence_seat(all_sentences, index, at, post=post, places=places, found=found)
        key = (stage, seat.name if seat else "")
        if key not in seen:
            seen.add(key)
            out.append(Count(**post.envelope, constituency=seat, stage=stage, expected_at=expected_at))
    return out


def _count_stage(text: str, lower: str, post: RuleInput) -> tuple[CountStage | None, int, datetime | None]:
    """(stage, where its keyword starts, expected time) of a sentence (``lower``: in lower case).
    Each pattern is tried only when a word it needs is there."""
    if may_hold(lower, _DELAYED_STEMS) and (match := _DELAYED.search(text, lower)) is not None:
        return "delayed", match.start(), None
    if may_hold(lower, _EXPECTED_STEMS) and (match := _EXPECTED.search(text, lower)) is not None:
        moment = _time_after(text[match.end() : match.end() + 40], post)
        if moment is not None or _IMMINENT.search(text, lower):
            return "expected", match.start(), moment
    if may_hold(lower, ("verification",)) and (match := _VERIFICATION.search(text, lower)) is not None:
        return ("counting" if _VERIFIED.search(text) else "verification"), match.start(), None
    if may_hold(lower, ("count",)) and (match := _COUNTING.search(text, lower)) is not None:
        return "counting", match.start(), None
    return None, 0, None


# What each pattern cannot match without (lower case): ``_DELAYED``, ``_EXPECTED``.
_DELAYED_STEMS: Final = ("delay", "postponed", "suspended", "held up", "pushed back", "paused")
_EXPECTED_STEMS: Final = ("declar", "result", "expect", "due", "scheduled", "predicted")


def _time_after(text: str, post: RuleInput) -> datetime | None:
    for match in _TIME.finditer(text):
        if match["m"] is None and match["ampm"] is None:
            continue
        hour, minute = int(match["h"]), int(match["m"] or 0)
        if match["ampm"]:
            if hour > 12:
                continue
            hour = hour % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
        return resolve_time(hour, minute, (match["zone"] or "").lower(), post.published_at, post.election_date)
    return None


def resolve_time(
    hour: int, minute: int, zone: str, published_at: datetime | None, election_date: date | None
) -> datetime | None:
    """A clock time on election night as UTC: the first such time from three hours before the post
    on (a post at 00:24 saying "03:45" means that night; one at 02:00 saying "23:50" the evening
    before), else on polling day (from noon) or the morning after (before noon); None without either."""
    tz = _ZONES.get(zone, LONDON)
    clock = time(hour, minute)
    if published_at is not None:
        day = published_at.astimezone(LONDON).date()
        moments = [datetime.combine(day + timedelta(days=shift), clock, tzinfo=tz) for shift in (-1, 0, 1)]
        moment = next(m for m in moments if m >= published_at - timedelta(hours=3))
    elif election_date is not None:
        day = election_date if hour >= 12 else election_date + timedelta(days=1)
        moment = datetime.combine(day, clock, tzinfo=tz)
    else:
        return None
    return moment.astimezone(UTC)
