"""Count progress, recounts and exit polls.

count: "Bolsover verification ... to get under way by around 01:00 BST" (verification), "Counting has
started" (counting), "Bolsover's predicted to declare at about 03:45" (expected; ``expected_at`` is
resolved in Europe/London against the post's time, across midnight, or against the election day when
the post has no time: before noon is the night after polling day), "results are expected any minute
now" (expected, no time), "declaration delayed" (delayed). One stage per sentence, the first of
delayed, expected, verification, counting.

recount: "recount requested" / "has been called" (requested), "recount under way" / "is taking place"
/ "recounting" / "going to a recount" (under_way), "after a recount" / "the recount has finished"
(completed), "ballot papers are being re-thumbed" / "possible recount" (possible: the contract's
"count in doubt"; a bare mention of a recount is taken as possible too). A modal in the recount's
clause before its stage makes any stage possible: "a recount may be requested", "Hendon could be
going to a recount", "a recount might be under way"; so does a question ("Recount in Hendon?").

The seat is the one named just before the keyword ("Bolsover verification"), else "in/at/for X" in
the sentence, a seat an earlier rule found that the sentence names, the seat the sentence starts
with, "in/at/for X" in the sentences before it on the same line or in the headline, or a headline
that is a seat's name; else null.

exit_poll: a sentence (or list) about an exit poll, a projection or a forecast with seats per party:
"The exit poll suggests Labour will win 410 seats, the Conservatives 131 ...".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Final, Literal
from zoneinfo import ZoneInfo

from ingester.classify._hedges import other_year
from ingester.classify._reading import analyse
from ingester.classify._scan import first_match, may_hold
from ingester.classify._text import (
    SEAT_NAME,
    Sentence,
    election_day,
    election_year,
    has_any,
    post_lower,
    post_sentences,
    text_lines,
    tokens,
)
from ingester.classify.base import RuleInput
from ingester.classify.places import DEFAULT, Places, place_run_before
from ingester.classify.tally import seat_lists, seat_pairs
from ingester.events import Constituency, Count, ExitPoll, Flash, Party, Recount, Result, SeatCount, TypedEvent

LONDON: Final = ZoneInfo("Europe/London")
_ZONES: Final = {"bst": timezone(timedelta(hours=1)), "gmt": UTC}

CountStage = Literal["verification", "counting", "expected", "delayed"]
RecountStage = Literal["possible", "requested", "under_way", "completed"]

_COUNT_STEMS: Final = ("count", "declar", "result", "verification")
_COUNT_WORDS: Final = re.compile(r"\b(?:count(?:s|ing)?|declar\w{0,7}|results?|verification)\b", re.I)
_DELAYED: Final = re.compile(r"\b(?:delay(?:ed|s)?|postponed|suspended|held up|pushed back|paused)\b", re.I)
_EXPECTED: Final = re.compile(
    r"\b(?:(?:expected|predicted|due|set|scheduled|likely|anticipated|estimated|poised) to declare"
    r"|declaration (?:is |now |now is )?(?:expected|due|scheduled|predicted|anticipated|imminent)"
    r"|results? (?:is |are )?(?:now )?(?:expected|due|imminent)"
    r"|expect(?:ing)? (?:the |a )?(?:\w{1,30} ){0,4}(?:declaration|result)s?"
    r"|(?:is|are|was|were) (?:now )?(?:expected|due|scheduled|predicted)"
    r" (?=(?:at|by|around|about|before|shortly|any)\b))\b",
    re.I,
)
_IMMINENT: Final = re.compile(
    r"\b(?:any minute|any moment|shortly|imminent(?:ly)?|very soon"
    r"|(?:within|in) the next (?:half hour|hour|few minutes|\d{1,2} minutes))\b",
    re.I,
)
_TIME: Final = re.compile(
    r"(?<![\d:.])(?P<h>[01]?\d|2[0-3])(?:[:.](?P<m>[0-5]\d))?\s?(?P<ampm>[ap]\.?m\b\.?)?(?:\s?(?P<zone>BST|GMT))?(?![\d:])",
    re.I,
)
_VERIFICATION: Final = re.compile(r"\bverification\b", re.I)
_VERIFIED: Final = re.compile(r"\bverification (?:is |has )?(?:now )?(?:complete|completed|finished|over|done)\b", re.I)
_COUNTING: Final = re.compile(
    r"\b(?:counting|counts?) (?:has |have |is |are |now ){0,2}(?:started|begun|began|commenced|under ?way"
    r"|in progress|gets? under ?way|got under ?way|getting under ?way)\b"
    r"|\b(?:started|begun|began|begin|start|starts) counting\b",
    re.I,
)
_RECOUNT: Final = re.compile(r"\b(?:re-?counts?|re-?counting|re-?counted|re-?thumb\w{0,4})\b", re.I)
_NO_RECOUNT: Final = re.compile(
    r"\b(?:no|without|ruled out|avoid\w{0,3}) (?:a |the )?(?:full )?re-?count"
    r"|\bnot (?:be |need |going to (?:be )?)?(?:a )?re-?count",
    re.I,
)
_RECOUNT_STAGES: Final[tuple[tuple[RecountStage, re.Pattern[str]], ...]] = (
    ("completed", re.compile(
        r"\bre-?counts? (?:has |have |was |were |is |are )?(?:been |now )?(?:completed?|finished|over|concluded"
        r"|ended|done)\b"
        r"|\b(?:after|following) (?:a |the )?(?:full |second |third |partial |lengthy |long )?re-?counts?\b",
        re.I)),
    ("requested", re.compile(
        r"\bre-?count (?:has been |was |is being |being )?(?:requested|called|demanded|asked for|sought)\b"
        r"|\b(?:request\w{0,3}|call\w{0,3}(?: for)?|demand\w{0,3}|ask\w{0,3} for|seek\w{0,3}|sought)"
        r" (?:a |another )?(?:full )?re-?count\b",
        re.I)),
    ("under_way", re.compile(
        r"\bre-?count (?:is |now ){0,2}(?:under ?way|taking place|in progress|going on|has (?:started|begun)"
        r"|started|begun)\b"
        r"|\b(?:there is|there will be|we have|heading for|going to|gone to|ordered|granted|agreed)"
        r" (?:a )?(?:full )?re-?count\b"
        r"|\bre-?counting\b|\bbeing re-?counted\b", re.I)),
    ("possible", re.compile(r"re-?thumb|\b(?:possible|potential|likely|looming)\s+re-?count\b"
                            r"|\bre-?count (?:is )?(?:possible|likely|on the cards)\b", re.I)),
)  # fmt: skip
_SEAT_AFTER: Final = re.compile(r"\b(?:in|at|for|of) (?:the )?(?P<seat>" + SEAT_NAME + ")")
_BEFORE_KEYWORD: Final = frozenset(
    {"is", "are", "has", "have", "been", "now", "count", "counts", "declaration", "result", "results", "counting"}
)
_EXIT_POLL: Final = re.compile(r"\bexit[- ]polls?\b|\bprojection\b|\bprojected\b|\bforecast\b", re.I)
_MAJORITY: Final = re.compile(r"\bmajority of (?P<n>\d{1,3})\b")
# The case-sensitive twins of the patterns a sentence is asked (see :func:`_search`), and the words
# every match of each starts with.
_CASE_SENSITIVE: Final = {
    pattern: re.compile(pattern.pattern)
    for pattern in (_COUNT_WORDS, _RECOUNT, _DELAYED, _EXPECTED, _VERIFICATION, _COUNTING, _EXIT_POLL)
}
_MATCH_STARTS: Final[dict[re.Pattern[str], tuple[str, ...]]] = {
    _COUNT_WORDS: ("count", "declar", "result", "verification"),
    _RECOUNT: ("recount", "re-count", "rethumb", "re-thumb"),
    _DELAYED: ("delay", "postponed", "suspended", "held up", "pushed back", "paused"),
    _EXPECTED: ("expect", "predicted", "due", "set", "scheduled", "likely", "anticipated", "estimated", "poised",
                "declaration", "result", "is", "are", "was", "were"),
    _VERIFICATION: ("verification",),
    _COUNTING: ("count", "start", "begun", "began", "begin"),
    _EXIT_POLL: ("exit", "projection", "projected", "forecast"),
}  # fmt: skip
# Both, by the pattern's id: a pattern hashes its whole source at each look-up, an int does not.
_TWINS: Final = {id(pattern): (twin, _MATCH_STARTS[pattern]) for pattern, twin in _CASE_SENSITIVE.items()}


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
        if not has_any(lower, _COUNT_STEMS) or not _search(_COUNT_WORDS, text, lower):
            continue
        if (may_hold(lower, _RECOUNT_STEMS) and _search(_RECOUNT, text, lower)) or other_year(text, year):
            continue
        stage, at, expected_at = _count_stage(text, lower, post)
        if stage is None:
            continue
        seat = _seat(all_sentences, index, at, post=post, places=places, found=found)
        key = (stage, seat.name if seat else "")
        if key not in seen:
            seen.add(key)
            out.append(Count(**post.envelope, constituency=seat, stage=stage, expected_at=expected_at))
    return out


def _count_stage(text: str, lower: str, post: RuleInput) -> tuple[CountStage | None, int, datetime | None]:
    """(stage, where its keyword starts, expected time) of a sentence (``lower``: in lower case).
    Each pattern is tried only when a word it needs is there."""
    if may_hold(lower, _DELAYED_STEMS) and (match := _search(_DELAYED, text, lower)) is not None:
        return "delayed", match.start(), None
    if may_hold(lower, _EXPECTED_STEMS) and (match := _search(_EXPECTED, text, lower)) is not None:
        moment = _time_after(text[match.end() : match.end() + 40], post)
        if moment is not None or _IMMINENT.search(text):
            return "expected", match.start(), moment
    if may_hold(lower, ("verification",)) and (match := _search(_VERIFICATION, text, lower)) is not None:
        return ("counting" if _VERIFIED.search(text) else "verification"), match.start(), None
    if may_hold(lower, ("count",)) and (match := _search(_COUNTING, text, lower)) is not None:
        return "counting", match.start(), None
    return None, 0, None


def _search(pattern: re.Pattern[str], text: str, lower: str) -> re.Match[str] | None:
    """``pattern`` (case-insensitive, lower-case literals) searched in ``text``; in an ASCII text as its
    case-sensitive twin in ``text.lower()``, tried only where one of the words its matches start with
    starts: the same match at the same place, at a fraction of the cost."""
    if text.isascii():
        twin, starts = _TWINS[id(pattern)]
        return first_match(twin, lower, starts)
    return pattern.search(text)


# What each pattern cannot match without (lower case): ``_DELAYED``, ``_EXPECTED``, ``_RECOUNT``.
_DELAYED_STEMS: Final = ("delay", "postponed", "suspended", "held up", "pushed back", "paused")
_EXPECTED_STEMS: Final = ("declar", "result", "expect", "due", "scheduled", "predicted")
_RECOUNT_STEMS: Final = ("count", "thumb")


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


# ------------------------------------------------------------------------------------------------ recount


def recount_rule(post: RuleInput, found: Sequence[TypedEvent], places: Places = DEFAULT) -> list[Recount]:
    """One recount per seat a post speaks of, at the furthest stage it states; a headline such as
    "Recount in X" or a bare mention only when nothing in the post says more."""
    if not has_any(post_lower(post), ("recount", "re-count", "thumb")):
        return []
    year = election_year(post)
    all_sentences = post_sentences(post)
    best: dict[str, tuple[int, Recount]] = {}
    for index, sentence in enumerate(all_sentences):
        text = sentence.text
        mention = _RECOUNT.search(text)
        if mention is None or _NO_RECOUNT.search(text) or other_year(text, year):
            continue
        stage, rank = _recount_stage(text, mention.start())
        seat = _seat(all_sentences, index, mention.start(), post=post, places=places, found=found)
        key = seat.name.casefold() if seat else ""
        if key not in best or rank > best[key][0]:
            best[key] = (rank, Recount(**post.envelope, constituency=seat, stage=stage))
    return [event for _, event in best.values()]


_PROGRESS: Final[tuple[RecountStage, ...]] = ("possible", "requested", "under_way", "completed")
_HEADLINE_RECOUNT: Final = re.compile(r"^re-?count (?:at|in|for)\b", re.I)
# Modality (case matters, so "Theresa May" is not the modal "may").
_RECOUNT_MODAL: Final = re.compile(
    r"\b(?:may|might|could|would|possibl[ey]|(?:un)?likely|potential(?:ly)?|perhaps|maybe|looming|on the cards)\b"
)
_CLAUSE_BREAK: Final = re.compile(r"[,;]\s|\s(?:and|but)\s")


def _recount_stage(text: str, mention: int) -> tuple[RecountStage, int]:
    """(stage, rank): a stage a sentence states ranks above one taken from "Recount in X" or from a
    bare mention, and a later stage above an earlier one. ``mention`` is where "recount" starts."""
    stated = next(((s, m) for s, pattern in _RECOUNT_STAGES if (m := pattern.search(text)) is not None), None)
    clause = _clause_start(text, mention)
    upto = max(mention, stated[1].end()) if stated is not None else len(text)
    if text.rstrip().endswith("?") or _RECOUNT_MODAL.search(_first_lower(text[clause:upto])):
        return "possible", 10
    if stated is None:
        return ("under_way", 1) if _HEADLINE_RECOUNT.search(text) else ("possible", 0)
    return stated[0], 10 + _PROGRESS.index(stated[0])


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding position ``at`` starts: after the last comma, semicolon, "and" or "but"
    before it."""
    found = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, at)]
    return found[-1] if found else 0


def _first_lower(text: str) -> str:
    """The text with its first letter in lower case: "May be a recount" is a modal, "Theresa May" not."""
    return text[:1].lower() + text[1:]


# ---------------------------------------------------------------------------------------------------- seat


def _seat(
    all_sentences: list[Sentence], index: int, at: int, *, post: RuleInput, places: Places, found: Sequence[TypedEvent]
) -> Constituency | None:
    """The seat named just before the keyword, else after "in/at/for" in the sentence, a seat an
    earlier rule found that the sentence names, the seat the sentence starts with, the seats named
    in the sentences before it on the same line, or in the headline."""
    on = election_day(post)
    sentence = all_sentences[index]
    seat = _seat_just_before(sentence.text[:at], places, on) or _seat_after(sentence.text, places, on)
    for keyword in _COUNT_WORDS.finditer(sentence.text) if seat is None else ():  # "the Bolsover declaration"
        seat = seat or _seat_just_before(sentence.text[: keyword.start()], places, on)
    if seat is not None:
        return seat
    known = [e.constituency for e in found if isinstance(e, (Flash, Result))]
    seat = next((c for c in known if c.name in sentence.text), None)
    if seat is not None:
        return seat
    seat = _seat_at_start(sentence.text, places, on)
    earlier = [s.text for s in reversed(all_sentences[max(0, index - 3) : index]) if s.line > 0 or not post.headline]
    headline = [s.text for s in all_sentences[:1] if post.headline and s.line == 0 and sentence.line > 0]
    for text in earlier:
        seat = seat or _seat_after(text, places, on)
    for text in headline:
        seat = seat or _seat_after(text, places, on) or _seat_at_start(text, places, on)
    if seat is None and headline and len(headline[0].split()) <= 6:
        return places.known(headline[0], on)
    return seat


def _seat_after(text: str, places: Places, on: date | None) -> Constituency | None:
    """The first known seat after "in/at/for/of": the whole run, else the run cut at its last comma,
    and so on ("in Bolsover, Labour sources say" is Bolsover). Without a gazetteer to tell, a comma
    is within a name only before an "and" ("in Oldham West, Chadderton and Royton")."""
    for match in _SEAT_AFTER.finditer(text):
        run = match["seat"]
        while run:
            comma = run.rfind(",")
            if comma < 0 or places.codes(on) or " and " in run[comma:]:
                seat = places.known(run, on)
                if seat is not None:
                    return seat
            run = run[:comma] if comma >= 0 else ""
    return None


def _seat_at_start(text: str, places: Places, on: date | None) -> Constituency | None:
    toks = tokens(text[:200])
    end = 0
    while end < len(toks) and end < 6 and (toks[end].cap or (end and toks[end].low in ("and", "of", "upon"))):
        end += 1
        if toks[end - 1].stops:
            break
    return places.known(" ".join(t.word for t in toks[:end]), on) if end else None


def _seat_just_before(prefix: str, places: Places, on: date | None) -> Constituency | None:
    toks = tokens(prefix[-200:])
    end = len(toks)
    while end > 0 and toks[end - 1].low in _BEFORE_KEYWORD and not toks[end - 1].possessive:
        end -= 1
    run = place_run_before(toks, end)
    return places.known(run, on) if run else None


# ---------------------------------------------------------------------------------------------- exit poll


def exit_poll_rule(post: RuleInput, found: Sequence[TypedEvent]) -> list[ExitPoll]:
    if not has_any(post_lower(post), ("exit poll", "exit-poll", "projection", "projected", "forecast")):
        return []
    lines = text_lines(post)
    polls: list[tuple[tuple[SeatCount, ...], int | None]] = []
    for seat_list in seat_lists(lines):
        if _EXIT_POLL.search(seat_list.context):
            polls.append((seat_list.seats, _majority(seat_list.context)))
    all_sentences = post_sentences(post)
    for index, sentence in enumerate(all_sentences):
        if not _search(_EXIT_POLL, sentence.text, sentence.text.lower()):
            continue
        text = sentence.text
        following = all_sentences[index + 1] if index + 1 < len(all_sentences) else None
        pairs = _poll_pairs(text)
        if not pairs and following is not None and following.line == sentence.line:
            text = f"{text} {following.text}"
            pairs = _poll_pairs(text)
        if pairs:
            polls.append((tuple(pairs), _majority(text)))
    out: list[ExitPoll] = []
    for seats, majority in polls:
        if all(seats != e.seats for e in out):
            out.append(ExitPoll(**post.envelope, seats=seats, majority=majority, winner=_largest(seats)))
    return out


def _poll_pairs(text: str) -> list[SeatCount]:
    found = analyse(text)
    pairs = seat_pairs(found.toks, found.mentions, need_unit=False)
    with_unit = seat_pairs(found.toks, found.mentions, need_unit=True)
    return pairs if len(pairs) >= 2 or with_unit else []


def _majority(text: str) -> int | None:
    match = _MAJORITY.search(text)
    return int(match["n"]) if match else None


def _largest(seats: tuple[SeatCount, ...]) -> Party | None:
    ranked = sorted(seats, key=lambda s: -s.seats)
    if not ranked or (len(ranked) > 1 and ranked[0].seats == ranked[1].seats):
        return None
    return ranked[0].party
