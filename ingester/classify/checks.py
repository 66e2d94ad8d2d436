"""Consistency checks of a result: what does not add up becomes a warning on the published event.

The winner has the most votes; a stated majority is the top two's difference (and never more than
the winner's votes); shares add up to about 100 in a full list and follow the order of the votes;
the votes do not exceed the electorate, and a stated turnout agrees with votes over electorate; every
candidate has a party and is listed once.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from ingester.events import Candidate, Party

if TYPE_CHECKING:
    from ingester.classify.result_build import Figures


def ranked(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates with a vote figure, most votes first."""
    return sorted((c for c in candidates if c.votes is not None), key=lambda c: -(c.votes or 0))


def consistency(candidates: list[Candidate], figures: Figures, complete: bool, winner_hint: Party | None) -> list[str]:
    """What does not add up, one short sentence each: the event is still published, with these."""
    order = ranked(candidates)
    out = _winner_checks(candidates, order, figures.majority, winner_hint)
    out.extend(_share_checks(candidates, order, complete))
    total = sum(c.votes or 0 for c in candidates)
    if figures.electorate is not None and total > figures.electorate:
        out.append(f"{total} votes is more than the electorate {figures.electorate}")
    if complete and figures.electorate and figures.turnout is not None and total:
        computed = 100 * total / figures.electorate
        if abs(computed - figures.turnout) > 3:
            out.append(f"turnout {figures.turnout}% is not the votes over the electorate ({computed:.1f}%)")
    out.extend(f"party of {c.name} not given" for c in candidates if c.party.name == "Unknown")
    if len({c.name for c in candidates}) != len(candidates):
        out.append("a candidate is listed twice")
    return out


def _winner_checks(
    candidates: list[Candidate], ranked: list[Candidate], majority: int | None, winner_hint: Party | None
) -> list[str]:
    out: list[str] = []
    elected = [c for c in candidates if c.elected]
    if len(elected) > 1:
        out.append("more than one candidate is marked elected")
    if elected and ranked and (elected[0].votes or 0) < (ranked[0].votes or 0):
        out.append(f"elected candidate {elected[0].name} does not have the most votes")
    if majority is not None and len(ranked) >= 2:
        difference = (ranked[0].votes or 0) - (ranked[1].votes or 0)
        if difference != majority:
            out.append(f"majority {majority} is not the top two's difference {difference}")
    elif majority is not None and ranked and majority > (ranked[0].votes or 0):
        out.append(f"majority {majority} is more than the winner's {ranked[0].votes} votes")
    if winner_hint is not None and ranked and ranked[0].party.code != winner_hint.code:
        out.append(f"the page names {winner_hint.code} the winner but {ranked[0].name} leads")
    return out


def _share_checks(candidates: list[Candidate], ranked: list[Candidate], complete: bool) -> list[str]:
    """Shares are plausible: they add up to about 100 in a full list, and follow the votes."""
    out: list[str] = []
    shares = [c.share for c in candidates if c.share is not None]
    if complete and shares and len(shares) == len(candidates) and not 97 <= sum(shares) <= 103:
        out.append(f"vote shares add up to {sum(shares):.1f}")
    with_share = [c for c in ranked if c.share is not None]
    for more, fewer in itertools.pairwise(with_share):
        if (more.share or 0) + 0.05 < (fewer.share or 0) and (more.votes or 0) > (fewer.votes or 0):
            out.append(f"{more.name} has more votes but a smaller share than {fewer.name}")
            break
    return out
