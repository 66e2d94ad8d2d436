"""Wordings of our own for ``bench/accuracy.py``: what newsrooms write beside the simulator's styles.

Flashes seat-first with party codes, by a person, passive, in capitals and in lower case, "falls to",
the loser as subject, "Result: X - Y gain" (``OWN_FLASHES``); results with bracketed codes, "Party:
Name", bullets in ballot order with shares, a run-on list (``OWN_RESULTS``); sentences that must give
nothing (``NOT_FACTS``: forecasts, another year's story); and several seats in one sentence
(:func:`grouped_flashes`). Each gives the :class:`~ingester.simulate.wording.Text` and the facts it
states, or None where the seat's parties have no wording here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ingester.simulate.model import Fact
from ingester.simulate.results import Seat
from ingester.simulate.wording import Text

# How our own wordings name a party: as a subject, and after "from the" / as a loser.
_NAMES = {
    "LAB": "Labour", "CON": "Conservatives", "LD": "Lib Dems", "SNP": "SNP", "PC": "Plaid Cymru", "GRN": "Greens",
    "REF": "Reform UK", "SF": "Sinn Féin", "DUP": "DUP", "SDLP": "SDLP", "UUP": "UUP", "APNI": "Alliance",
    "TUV": "TUV", "SPK": "Speaker", "WPB": "Workers Party", "IND": "Independent",
}  # fmt: skip
_LOSERS = {**_NAMES, "CON": "Tories", "IND": "independent"}
_AFTER = ("Reaction to follow.",)
Wording = Callable[[Seat], Text | None]


def _call(seat: Seat, *, says_from: bool = True) -> tuple[Fact, ...]:
    gained = seat.gained_from
    winner = seat.winner.party
    if winner not in _NAMES or (gained is not None and gained not in _NAMES):
        return ()
    outcome = "gain" if gained else "hold"
    return (
        Fact(
            kind="flash", subject=seat.name, winner=winner, outcome=outcome, gained_from=gained if says_from else None
        ),
    )


def _flash(seat: Seat, gain: str, hold: str, *, says_from: bool = True, case: Any = str) -> Text | None:
    """A one-line call (as the headline), ``gain`` or ``hold`` filled in with the seat's names, then
    put in ``case`` (``str.upper``: in capitals)."""
    facts = _call(seat, says_from=says_from)
    if not facts:
        return None
    words = {"seat": seat.name, "party": _NAMES[seat.winner.party], "code": seat.winner.party, "who": seat.winner.name}
    if seat.gained_from:
        words |= {"loser": _LOSERS[seat.gained_from], "loser_code": seat.gained_from}
    line = case((gain if seat.gained_from else hold).format(**words))
    return Text(headline=line, paragraphs=_AFTER, facts=facts)


OWN_FLASHES: dict[str, Wording] = {
    "codes": lambda s: _flash(s, "{seat}: {code} GAIN FROM {loser_code}", "{seat}: {code} HOLD"),
    "by a person": lambda s: _flash(
        s, "{who} wins {seat} for {party}, taking it from the {loser}", "{who} holds {seat} for {party}"
    ),
    "passive": lambda s: _flash(s, "{seat} has been gained by {party} from the {loser}", "{seat} was held by {party}"),
    "capitals": lambda s: _flash(s, "{party} gain {seat}", "{party} hold {seat}", says_from=False, case=str.upper),
    "lower case": lambda s: _flash(s, "{party} gain {seat}", "{party} hold {seat}", says_from=False, case=str.lower),
    "falls to": lambda s: _flash(s, "{seat} falls to {party}", "{party} keep {seat}", says_from=False),
    "loser first": lambda s: _flash(s, "{loser} lose {seat} to {party}", "{party} hang on to {seat}"),
    "result dash": lambda s: _flash(s, "Result: {seat} - {party} gain from {loser}", "Result: {seat} - {party} hold"),
}


def _result(seat: Seat, headline: str, lines: list[str]) -> Text:
    fact = Fact(
        kind="result",
        subject=seat.name,
        winner=seat.winner.party,
        votes=tuple((c.party, c.votes) for c in seat.candidates),
    )
    return Text(headline=headline.format(seat=seat.name), paragraphs=tuple(lines), facts=(fact,))


def _ballot(seat: Seat) -> Text:
    """Candidates in ballot (surname) order, with their shares, then the majority."""
    total = sum(c.votes for c in seat.candidates) or 1
    ordered = sorted(seat.candidates, key=lambda c: c.name.split()[-1])
    lines = [f"\u2022 {c.name} ({c.party_name}) \u2013 {c.votes:,} ({100 * c.votes / total:.1f}%)" for c in ordered]
    return _result(seat, "{seat}: the full declaration", [*lines, f"Majority: {seat.majority:,}"])


def _run_on(seat: Seat) -> Text:
    listed = "; ".join(f"{c.name} ({c.party_name}) {c.votes:,}" for c in seat.candidates)
    return _result(seat, "{seat} declares", [f"Full results for {seat.name}: {listed}."])


def _code(code: str, name: str) -> str:
    return name if code == "OTH" else code


OWN_RESULTS: dict[str, Wording] = {
    "codes in brackets": lambda s: _result(
        s, "Full result: {seat}", [f"{c.name} ({_code(c.party, c.party_name)}) {c.votes:,}" for c in s.candidates]
    ),
    "party: name": lambda s: _result(
        s, "{seat} - full result", [f"{c.party_name}: {c.name}, {c.votes:,} votes" for c in s.candidates]
    ),
    "ballot order": _ballot,
    "run-on": _run_on,
}


def _unstated(line: str) -> Text:
    return Text(headline=line, paragraphs=_AFTER)


def _forecast(seat: Seat) -> Text:
    party = _NAMES.get(seat.winner.party, "Labour")
    return _unstated(f"The exit poll suggests {party} could take {seat.name} with {seat.winner.votes:,} votes")


NOT_FACTS: dict[str, Wording] = {  # what must give no flash, result or tally
    "forecast": _forecast,
    "another year": lambda s: _unstated(f"In 2019 {s.name} was won by the Conservatives with a majority of 4,321."),
}


def grouped_flashes(seats: Sequence[Seat]) -> Iterator[Text]:
    """Several seats in one sentence: "Labour take A, B, C and D from the Tories", four at a time,
    and "A, B and C also change from blue to red" for Labour's gains from the Conservatives."""
    groups: dict[tuple[str, str], list[Seat]] = defaultdict(list)
    for seat in seats:
        if seat.gained_from and _call(seat):
            groups[(seat.winner.party, seat.gained_from)].append(seat)
    for (winner, loser), won in sorted(groups.items()):
        for start in range(0, len(won) - 1, 4):
            chunk = won[start : start + 4]
            if len(chunk) < 2:
                continue
            names = ", ".join(s.name for s in chunk[:-1]) + f" and {chunk[-1].name}"
            if (winner, loser) == ("LAB", "CON") and start % 8 == 4:
                line = f"{names} also change from blue to red"
            else:
                line = f"{_NAMES[winner]} take {names} from the {_LOSERS[loser]}"
            yield Text(headline=line, paragraphs=_AFTER, facts=tuple(f for s in chunk for f in _call(s)))
