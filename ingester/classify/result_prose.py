"""Result from vote figures in prose, for a seat no list of the same post has read: a partial result.

"Toby Perkins holds Chesterfield for Labour with 19,361 votes. The Conservative candidate, Ben Flook,
came second on 8,496." -> two candidates, ``complete`` false. What is a candidate's figure:

- "N votes", or a bare N after a word that takes votes ("on", "with", "polled", "received", "came
  second on") where the clause ends after it;
- never a margin: "by (fewer than) 2,000 votes", "a majority of", "an advantage of", "2,000 votes
  ahead" (an exact "majority of N" is the result's ``majority``);
- never a year ("in 2019"); an approximate figure ("nearly 9,000 votes") spoils the sentence.

Each figure goes with the first person named since the previous figure (else the one named just
after it: "19,316 votes for Toby Perkins"). A candidate's party and the seat come from the post's
flash that names them, else from the sentence ("Conservatives' Ben Flook", "The Conservative
candidate, Ben Flook", "his X seat", "won X", "in X"); a sentence that names no seat continues the
seat of the sentence before it, or the post's only flash. Not from a projection, a modal sentence or
another year's story.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from datetime import date
from typing import Final, NamedTuple

from ingester.classify._case import LOWER_WORDS
from ingester.classify._hedges import background, main_clause, modal
from ingester.classify._names import name_after
from ingester.classify._numbers import COUNT, parse_count
from ingester.classify._post import post_sentences, scan
from ingester.classify._reading import Analysis, analyse, skip_fillers
from ingester.classify._scan import EndWords, first_match
from ingester.classify._text import election_day, election_year, has_digit, token_starts
from ingester.classify.base import RuleInput
from ingester.classify.places import DEFAULT, SEAT_WORDS, Places
from ingester.classify.result_build import Figures, build_result, figures_in, is_margin
from ingester.events import Candidate, Constituency, Flash, Party, Result, TypedEvent

_FIGURE: Final = re.compile(r"(?P<n>" + COUNT + r")(?P<votes>\s?votes?\b)?")
# Words after which a bare figure is votes: "won with 19,316", "polled just 248".
TAKES_VOTES: Final = EndWords(
    ("on", "with", "polled", "polling", "received", "receiving", "got", "getting", "secured", "securing", "took",
     "taking", "garnered", "amassed", "attracted", "picked up", "won", "winning", "scored", "scoring"),
    ("a total of", "just", "only"),
)  # fmt: skip
_TAKES_VOTES: Final = TAKES_VOTES.pattern
# One of those words, then a figure: what a bare figure needs before it to be votes.
_TAKES_FIGURE: Final = re.compile(
    "(?:" + "|".join(map(re.escape, TAKES_VOTES.words)) + r")\s(?:a total of\s|just\s|only\s)?\d"
)
# The longest text ``_TAKES_VOTES`` can match ("picked up a total of "): only a text's last so many
# characters decide whether it ends with one (``tests/classify`` proves it).
_TAKES_VOTES_SPAN: Final = 21
_CLAUSE_ENDS: Final = re.compile(r"\s?(?:[.,;)]|$|\s(?:and|while|whilst|but|as|to|in|for|after|with)\b)")
_MARGIN_AFTER: Final = re.compile(r"(?i:^(?:\s?votes?)?\s(?:ahead|clear|behind|short|more|fewer|adrift)\b)")
APPROXIMATE: Final = EndWords(
    ("nearly", "almost", "around", "about", "some", "over", "under", "more than", "less than", "fewer than",
     "roughly", "approximately", "just over", "just under", "up to", "close to")
)  # fmt: skip
YEAR_BEFORE: Final = EndWords(("in", "since", "of", "the", "from", "until", "by", "year"))
_SEAT_IN_PROSE: Final = re.compile(
    r"\b(?:his|her|their) (?P<seat>" + SEAT_WORDS + r") seat\b"
    r"|\b(?:won|wins|holds|held|took|takes|retains|retained|keeps|kept|gained|gains) (?P<won>" + SEAT_WORDS + ")"
    r"|\b(?:MP|MPs|candidate|candidates|count|result) (?:for|in) (?P<for>" + SEAT_WORDS + ")"
    r"|\b[Ii]n (?P<in>" + SEAT_WORDS + ")"
)


# Words after which a party is a rival's, not the candidate's: "beating the candidate for Reform".
_RIVAL_WORDS: Final = frozenset(
    {"beating", "beat", "defeating", "defeated", "unseating", "ousting", "than", "against", "over", "ahead",
     "behind", "while", "whilst", "but"}
)  # fmt: skip


class _Reading(NamedTuple):
    candidates: list[Candidate]
    figures: Figures


def prose_rule(post: RuleInput, found: Sequence[TypedEvent], places: Places = DEFAULT) -> list[Result]:
    """Vote figures in the post's sentences, one partial result per seat no list has given."""
    scanned = scan(post)
    if not scanned.digits or not _may_give_votes(scanned.lower):
        return []
    year, on = election_year(post), election_day(post)
    done = {e.constituency.name.casefold() for e in found if isinstance(e, Result)}
    flashes = [e for e in found if isinstance(e, Flash)]
    only = flashes[0].constituency if len({f.constituency.name for f in flashes}) == 1 else None
    by_seat: dict[str, tuple[Constituency, list[Candidate], Figures]] = {}
    previous: Constituency | None = None
    for sentence in post_sentences(post):
        if not has_digit(sentence.text):
            continue
        text = main_clause(sentence.text, year)
        if background(text, year) or modal(text):
            continue
        reading = read_sentence(text, flashes)
        if not reading.candidates:
            continue
        seat = _prose_seat(text, reading.candidates, flashes, places, on) or previous or only
        if seat is None or seat.name.casefold() in done:
            continue
        previous = seat
        _add(by_seat, seat, reading)
    return [
        build_result(post, found, seat, candidates, complete=False, figures=figures)
        for seat, candidates, figures in by_seat.values()
    ]


def _may_give_votes(lower: str) -> bool:
    """Whether a text (in lower case) may hold a candidate's figure: "votes" after a figure, or a word
    that takes votes just before one ("with 19,316"). A sentence is a piece of the text (an aside
    taken out leaves its comma), so a sentence's figure is in the text too."""
    if not lower.isascii():  # ("\u017fcored" is "scored" to a case-insensitive pattern)
        return True
    return "vote" in lower or first_match(_TAKES_FIGURE, lower, TAKES_VOTES.words) is not None


def _add(by_seat: dict[str, tuple[Constituency, list[Candidate], Figures]], seat: Constituency, got: _Reading) -> None:
    key = seat.name.casefold()
    if key not in by_seat:
        by_seat[key] = (seat, list(got.candidates), got.figures)
        return
    _, candidates, figures = by_seat[key]
    named = {c.name for c in candidates}
    candidates.extend(c for c in got.candidates if c.name not in named)
    merged = Figures(
        majority=figures.majority if figures.majority is not None else got.figures.majority,
        turnout=figures.turnout if figures.turnout is not None else got.figures.turnout,
        electorate=figures.electorate if figures.electorate is not None else got.figures.electorate,
    )
    by_seat[key] = (seat, candidates, merged)


def read_sentence(sentence: str, flashes: Sequence[Flash] = ()) -> _Reading:
    """The candidates with their figures in one sentence, and any exact majority, turnout, electorate."""
    kinds = [(match, _figure_kind(sentence, match)) for match in _FIGURE.finditer(sentence)]
    if all(kind != "votes" for _, kind in kinds) or any(kind == "approximate" for _, kind in kinds):
        return _Reading([], Figures())  # (read before the words: most figures are no one's votes)
    found = analyse(sentence)
    starts = token_starts(sentence)
    out: list[Candidate] = []
    previous_end = 0
    for match, kind in kinds:
        if kind != "votes":
            continue
        votes = parse_count(match["n"])
        segment = range(bisect.bisect_left(starts, previous_end), bisect.bisect_left(starts, match.start()))
        previous_end = match.end()
        taken = {c.name for c in out}
        named = _first_name(found, segment, taken) or _name_after_figure(found, bisect.bisect_left(starts, match.end()))
        if named is None or votes is None or named[0] in taken:
            continue
        out.append(_candidate(found, named, votes, flashes, bisect.bisect_left(starts, match.start())))
    return _Reading(out, figures_in([sentence]) if out else Figures())


def _figure_kind(sentence: str, match: re.Match[str]) -> str:
    """ "votes", "margin", "approximate" or "other" (a year, a time, any other number); a figure that is
    both a margin and no votes for another reason may be either."""
    before = sentence[max(0, match.start() - 40) : match.start()]
    after = sentence[match.end() : match.end() + 20]
    written = match["n"]
    has_unit = match["votes"] is not None
    # (asked cheapest first: what makes a figure no candidate's votes at all; "margin" and "other"
    # differ only for the reader, never for :func:`read_sentence`)
    if not has_unit and not (_CLAUSE_ENDS.match(after) and TAKES_VOTES.ends(before)):
        return "other"
    if has_unit and after.lstrip().startswith(("%", "per cent")):
        return "other"
    if is_margin(before) or _MARGIN_AFTER.search(after):
        return "margin"
    value = parse_count(written)
    if value is None or (1900 <= value <= 2099 and "," not in written and YEAR_BEFORE.ends(before)):
        return "other"
    return "approximate" if APPROXIMATE.ends(before) else "votes"


def _first_name(found: Analysis, segment: range, taken: set[str]) -> tuple[str, int] | None:
    """The first person named in the segment and not yet given a figure ("In Erewash" is no one)."""
    for index in segment:
        if found.toks[index].low in LOWER_WORDS:
            continue
        named = name_after(found.toks, index, found.blocked)
        if named is not None and named[0] not in taken:
            return named[0], index
    return None


def _name_after_figure(found: Analysis, at: int) -> tuple[str, int] | None:
    """ "19,316 votes for Toby Perkins", "19,316 votes went to Toby Perkins": the name just after."""
    toks = found.toks
    if at < len(toks) and toks[at].low == "votes":
        at += 1
    if at + 1 < len(toks) and toks[at].low in ("went", "go", "going") and toks[at + 1].low == "to":
        at += 1
    if not (at < len(toks) and toks[at].low in ("for", "to")):
        return None
    named = name_after(toks, at + 1, found.blocked)
    return (named[0], at + 1) if named else None


def _candidate(found: Analysis, named: tuple[str, int], votes: int, flashes: Sequence[Flash], figure: int) -> Candidate:
    """The candidate named at ``named`` with ``votes``, the figure's token at ``figure``."""
    name, start = named
    width = len(name.split())
    party = _flash_party(name, flashes) or _party_near(found, start, width) or _party_for(found, start + width, figure)
    return Candidate(
        name=name,
        party=party or Party("OTH", "Unknown"),
        votes=votes,
        elected=any(f.candidate == name for f in flashes),
    )


def _party_near(found: Analysis, start: int, width: int) -> Party | None:
    """ "Conservatives' Ben Flook", "The Conservative candidate, Ben Flook", "Ben Flook (Con)"."""
    at = start
    while at > 0 and start - at < 2 and found.toks[at - 1].low in ("candidate", "mp", "the"):
        at -= 1
    mention = found.ends.get(at) or found.ends.get(start)
    if mention is not None:
        return mention.party
    after = found.starts.get(start + width)
    return after.party if after is not None and "(" in found.toks[start + width].lead else None


def _party_for(found: Analysis, after: int, figure: int) -> Party | None:
    """ "Toby Perkins has won Chesterfield for Labour with 19,316 votes", "... for the Conservatives":
    the party after "for" between the name and its figure (not past a rival: "beating the candidate
    for Reform")."""
    toks = found.toks
    for index in range(after, min(figure, len(toks) - 1)):
        word = toks[index].low
        if word in _RIVAL_WORDS:
            return None
        if word == "for":
            mention = found.starts.get(skip_fillers(toks, index + 1, 1))
            if mention is not None:
                return mention.party
    return None


def _flash_party(name: str, flashes: Sequence[Flash]) -> Party | None:
    return next((f.winner for f in flashes if f.candidate == name), None) or next(
        (f.gained_from for f in flashes if f.defeated == name), None
    )


def _prose_seat(
    sentence: str, candidates: list[Candidate], flashes: Sequence[Flash], places: Places, on: date | None
) -> Constituency | None:
    names = {c.name for c in candidates}
    for flash in flashes:
        if flash.candidate in names or flash.defeated in names:
            return flash.constituency
    for match in _SEAT_IN_PROSE.finditer(sentence):
        if match["seat"] or match["won"] or match["for"]:
            seat = places.seat(match["seat"] or match["won"] or match["for"], on)
        else:
            seat = places.known(match["in"], on)
        if seat is not None:
            return seat
    return None
