"""What a result is built from: the figures a page states beside the candidates, the figures that are
margins rather than votes, and the :class:`Result` itself (winner, the call's outcome, checks).

A margin ("beating Y by 2,015 votes", "a majority of 2,015", "an advantage of less than 2,000") is
never a candidate's votes; an exact majority is the result's ``majority``. A previous or notional
majority is not this result's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, NamedTuple

import msgspec

from ingester.classify import parties
from ingester.classify._numbers import COUNT, parse_count
from ingester.classify._scan import may_hold
from ingester.classify.base import RuleInput
from ingester.classify.checks import consistency, ranked
from ingester.events import Candidate, Constituency, Flash, Outcome, Party, Result, TypedEvent

_MAJORITY: Final = re.compile(r"(?i:\bmajority)(?: (?i:of|was|is)|:| -)? (?P<n>" + COUNT + ")")
_TURNOUT: Final = re.compile(r"(?i:\bturnout)(?: (?i:of|was|is)|:| -)? (?P<p>\d{1,2}(?:\.\d{1,2})?) ?%")
_ELECTORATE: Final = re.compile(r"(?i:\belectorate)(?: (?i:of|was|is)|:| -)? (?P<n>" + COUNT + ")")
_NOT_THIS_MAJORITY: Final = re.compile(r"(?i:previous|notional|overturn\w{0,3}|held a|had a|defending|last time)")


# What makes the figure after it a margin, not a candidate's votes: "beating Y by (fewer than) 2,000",
# "a majority of", "an advantage of" (matched against the text just before the figure).
MARGIN_BEFORE: Final = re.compile(
    r"(?i:\b(?:by|majority(?:\s(?:of|was|is)|:)?|advantage(?:\sof)?|margin(?:\sof)?|lead(?:\sof)?|ahead\sby|short\sby|gap\sof)"
    r"(?:\s(?:just|only|a|an|mere|some|fewer|less|more|than|over|under|almost|nearly|around|about|roughly"
    r"|approximately|barely|little)){0,4}\s$)"
)


def is_margin(before: str) -> bool:
    """Whether the text just before a figure makes it a margin (:data:`MARGIN_BEFORE`); the pattern's
    key words are looked for first, as most figures have none before them."""
    return may_hold(before.lower(), _MARGIN_WORDS) and MARGIN_BEFORE.search(before) is not None


_MARGIN_WORDS: Final = ("by", "majorit", "advantage", "margin", "lead", "gap")


class Figures(NamedTuple):
    majority: int | None = None
    turnout: float | None = None
    electorate: int | None = None


def figures_in(lines: Sequence[str]) -> Figures:
    """The majority, turnout and electorate stated in the lines (a previous or notional majority is not)."""
    majority = turnout = electorate = None
    for line in lines:
        lower = line.lower()  # each pattern is tried only where its word is
        if (
            may_hold(lower, ("majority",))
            and (found := _MAJORITY.search(line))
            and not _NOT_THIS_MAJORITY.search(line[: found.start()])
        ):
            majority = parse_count(found["n"])
        if may_hold(lower, ("turnout",)) and (found := _TURNOUT.search(line)):
            turnout = float(found["p"])
        if may_hold(lower, ("electorate",)) and (found := _ELECTORATE.search(line)):
            electorate = parse_count(found["n"])
    return Figures(majority, turnout, electorate)


def build_result(
    post: RuleInput,
    found: Sequence[TypedEvent],
    seat: Constituency,
    candidates: list[Candidate],
    *,
    complete: bool,
    figures: Figures,
    winner_hint: Party | None = None,
    warnings: tuple[str, ...] = (),
) -> Result:
    """The result, with the winner decided, the post's flash for the seat applied and checks run."""
    flash = next((e for e in found if isinstance(e, Flash) and e.constituency.name == seat.name), None)
    candidates = _mark_elected(candidates, complete, flash)
    elected = [c for c in candidates if c.elected]
    winner = elected[0].party if elected else winner_hint or (flash.winner if flash else None)
    outcome, gained_from = _called_outcome(post, flash, seat, winner)
    checks = (*warnings, *consistency(candidates, figures, complete, winner_hint))
    return Result(
        **post.envelope,
        constituency=seat,
        candidates=tuple(candidates),
        winner=winner,
        outcome=outcome,
        gained_from=gained_from,
        majority=figures.majority,
        turnout=figures.turnout,
        electorate=figures.electorate,
        complete=complete,
        warnings=checks,
    )


def _called_outcome(
    post: RuleInput, flash: Flash | None, seat: Constituency, winner: Party | None
) -> tuple[Outcome | None, Party | None]:
    """The outcome the post's flash for the seat gives, else the call of an earlier post of the
    source (``RuleInput.called``), when it names the same winner."""
    if winner is None:
        return None, None
    if flash is not None:
        return (flash.outcome, flash.gained_from) if flash.winner.code == winner.code else (None, None)
    earlier = post.called.get(seat.name.casefold())
    if earlier is None or earlier.winner != winner.code:
        return None, None
    return earlier.outcome, parties.by_code(earlier.gained_from) if earlier.gained_from else None


def _mark_elected(candidates: list[Candidate], complete: bool, flash: Flash | None) -> list[Candidate]:
    if any(c.elected for c in candidates):
        return candidates
    top = ranked(candidates)
    if complete and top and (len(top) == 1 or (top[0].votes or 0) > (top[1].votes or 0)):
        return [msgspec.structs.replace(c, elected=c is top[0]) for c in candidates]
    if flash is not None and flash.candidate:
        return [msgspec.structs.replace(c, elected=c.name == flash.candidate) for c in candidates]
    return candidates
