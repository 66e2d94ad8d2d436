"""How newsrooms word the night: each function writes one post's text and the facts it states.

Styles (the seeds show each of them):

- flashes: ``local`` "Labour gain Mid Derbyshire" with a line on who beat whom; ``wire`` a headline that
  is the seat and a body "LAB GAIN FROM CON" / "LAB HOLD"; ``takes`` "Labour takes Bolsover from the
  Conservatives"; ``bbc`` "Erewash: Labour gain from Conservative";
- results: ``runon`` "Full results for X are as follows Labour - Name - 17,591 Elected Conservative -
  ..." on one line; ``lines`` "Name, Party - 12,345" a line; ``brackets`` "Name (Party) 12,345";
- tallies: ``bbc`` the "Results: parties by seats" bulleted list; ``table`` the BBC's "Party ... /
  Seats ... / Change ..." table; ``lines`` "Labour: 98 seats" a line under "State of the parties after
  120 of 650 seats";
- counts and recounts, an exit poll, and filler that states nothing.

The facts are what the text says, written by the same hand, so the ground truth never has to be read
back from the text. ``tests/simulate/test_wording.py`` checks that the classifier reads exactly them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

import msgspec

from ingester.simulate.model import Fact
from ingester.simulate.results import PARTY_NAMES, Seat

FLASH_STYLES: Final = ("local", "wire", "takes", "bbc")
RESULT_STYLES: Final = ("runon", "lines", "brackets")
TALLY_STYLES: Final = ("bbc", "table", "lines")
LONDON: Final = ZoneInfo("Europe/London")
MAJORITY_LINE: Final = 326
TOTAL_SEATS: Final = 650
# How a tally names a party (the BBC writes the SNP in full); parties not listed go into "Others".
_TALLY_NAMES: Final = {
    "LAB": "Labour", "CON": "Conservative", "LD": "Liberal Democrat", "SNP": "Scottish National Party",
    "SF": "Sinn Fein", "REF": "Reform UK", "DUP": "Democratic Unionist Party", "PC": "Plaid Cymru",
    "GRN": "Green",
}  # fmt: skip
_TALLY_ROWS: Final = 6


class Text(msgspec.Struct, frozen=True, kw_only=True):
    headline: str
    paragraphs: tuple[str, ...]
    facts: tuple[Fact, ...] = ()


class Tally(msgspec.Struct, frozen=True, kw_only=True):
    """Seats per party code after ``declared`` declarations, with the change against the last election."""

    declared: int
    seats: dict[str, int]
    change: dict[str, int]
    total: int = TOTAL_SEATS


def party_name(code: str) -> str:
    return PARTY_NAMES.get(code, "Independent")


def flash_text(seat: Seat, style: str) -> Text:
    winner, gained = seat.winner, seat.gained_from
    party = party_name(winner.party)
    fact = Fact(
        kind="flash", subject=seat.name, winner=winner.party, outcome="gain" if gained else "hold", gained_from=gained
    )
    if style == "wire":
        verdict = f"{winner.party} GAIN FROM {gained}" if gained else f"{winner.party} HOLD"
        return Text(headline=seat.name, paragraphs=(verdict,), facts=(fact,))
    if style == "takes":
        if gained:
            headline = f"{party} takes {seat.name} from the {_plural(gained)}"
        else:
            headline = f"{party} holds on to {seat.name}"
        return Text(headline=headline, paragraphs=(f"{winner.name} is the MP for {seat.name}.",), facts=(fact,))
    if style == "bbc":
        outcome = f"{party} gain from {party_name(gained)}" if gained else f"{party} hold"
        return Text(headline=f"{seat.name}: {outcome}", paragraphs=(_elected(seat),), facts=(fact,))
    # "Labour gain Mid Derbyshire" does not say from whom.
    verb = "gain" if gained else "hold"
    fact = msgspec.structs.replace(fact, gained_from=None)
    return Text(headline=f"{party} {verb} {seat.name}", paragraphs=(_elected(seat),), facts=(fact,))


def _elected(seat: Seat) -> str:
    return f"{seat.winner.name} has been elected with a majority of {seat.majority:,}."


def _plural(code: str) -> str:
    name = party_name(code)
    return {"Conservative": "Conservatives", "Liberal Democrat": "Liberal Democrats"}.get(name, name)


def result_text(seat: Seat, style: str, *, votes: Sequence[int] | None = None) -> Text:
    """The full result; ``votes`` replaces the figures (a correction), in the candidates' order."""
    figures = list(votes) if votes is not None else [c.votes for c in seat.candidates]
    rows = list(zip(seat.candidates, figures, strict=True))
    winner = max(rows, key=lambda row: row[1])[0]
    fact = Fact(
        kind="result",
        subject=seat.name,
        winner=winner.party,
        votes=tuple((c.party, n) for c, n in rows),
    )
    intro = f"Full results for {seat.name} are as follows"
    if style == "runon":
        listed = " ".join(f"{c.party_name} - {c.name} - {n:,}" + (" Elected" if c is winner else "") for c, n in rows)
        return Text(headline=f"Full results for {seat.name}", paragraphs=(f"{intro} {listed}",), facts=(fact,))
    if style == "brackets":
        # a party's own bracketed short name ("... Independents (CANDI)") is dropped inside brackets
        lines = tuple(f"{c.name} ({c.party_name.split(' (')[0]}) {n:,}" for c, n in rows)
        return Text(
            headline=f"Result in {seat.name}", paragraphs=(f"Full results for {seat.name}:", *lines), facts=(fact,)
        )
    lines = tuple(f"{c.name}, {c.party_name} - {n:,}" for c, n in rows)
    return Text(headline=f"Full {seat.name} results", paragraphs=(f"{intro}:", *lines), facts=(fact,))


def tally_text(tally: Tally, style: str) -> Text:
    rows = _tally_rows(tally)
    fact = Fact(
        kind="tally",
        subject="uk",
        seats=tuple((code, seats) for code, seats, _ in rows),
        declared=tally.declared,
    )
    if style == "lines":
        lines = tuple(f"{_tally_label(code)}: {seats} seats" for code, seats, _ in rows)
        return Text(
            headline=f"State of the parties after {tally.declared} of {tally.total} seats",
            paragraphs=lines,
            facts=(fact,),
        )
    if style == "table":
        return Text(
            headline="UK results",
            paragraphs=(
                "UK results",
                "Party " + " ".join(_tally_label(code) for code, _, _ in rows),
                "Seats " + " ".join(str(seats) for _, seats, _ in rows),
                "Change " + " ".join(_signed(change) for _, _, change in rows),
                f"After {tally.declared} of {tally.total} seats",
            ),
            facts=(fact,),
        )
    bullets = tuple(f"• {_tally_label(code)}: {seats} seats, {_change(change)}" for code, seats, change in rows)
    return Text(
        headline="Results: parties by seats",
        paragraphs=(
            "Results: parties by seats",
            f"{MAJORITY_LINE} seats for a majority",
            f"{tally.total - tally.declared} seats to go",
            *bullets,
        ),
        facts=(fact,),
    )


def _tally_rows(tally: Tally) -> list[tuple[str, int, int]]:
    """The biggest named parties, then "Others" (OTH) with the rest, as a tally lists them."""
    named = sorted(
        (code for code, seats in tally.seats.items() if seats > 0 and code in _TALLY_NAMES),
        key=lambda code: (-tally.seats[code], code),
    )[: _TALLY_ROWS - 1]
    rows = [(code, tally.seats[code], tally.change.get(code, 0)) for code in named]
    rest = [code for code in tally.seats if code not in named]
    # a tally always ends with "Others", even at 0: it is what tells a reader the list is whole
    rows.append(("OTH", sum(tally.seats[code] for code in rest), sum(tally.change.get(code, 0) for code in rest)))
    return rows


def _tally_label(code: str) -> str:
    return "Others" if code == "OTH" else _TALLY_NAMES[code]


def _signed(change: int) -> str:
    return f"+{change}" if change > 0 else f"\u2212{-change}" if change < 0 else "0"


def _change(change: int) -> str:
    if change == 0:
        return "No change"
    return f"{abs(change)} seats {'gained' if change > 0 else 'lost'}"


def count_text(seat: Seat, expected: datetime) -> Text:
    local = expected.astimezone(LONDON).strftime("%H:%M")
    return Text(
        headline=f"{seat.name} count",
        paragraphs=(f"The declaration in {seat.name} is expected at about {local}.",),
        facts=(Fact(kind="count", subject=seat.name, stage="expected"),),
    )


def recount_text(seat: Seat) -> Text:
    return Text(
        headline=f"Recount requested in {seat.name}",
        paragraphs=(f"A recount has been requested in {seat.name} after a close count.",),
        facts=(Fact(kind="recount", subject=seat.name, stage="requested"),),
    )


def exit_poll_text() -> Text:
    seats = (("LAB", 410), ("CON", 131), ("LD", 61), ("REF", 13))
    return Text(
        headline="Exit poll points to a Labour landslide",
        paragraphs=(
            "The exit poll suggests Labour will win 410 seats, the Conservatives 131, the Liberal Democrats 61 "
            "and Reform UK 13.",
        ),
        facts=(Fact(kind="exit_poll", seats=seats, winner="LAB"),),
    )


_FILLER: Final = (
    ("Candidates arrive at the count", "Our reporter says the hall is filling up and the mood is cheerful."),
    ("Ballot boxes keep coming in", "Vans have been arriving from polling stations all evening."),
    ("Coffee and sandwiches for the counters", "Volunteers have been keeping everyone going through the night."),
    ("A quiet moment in the hall", "Staff are taking a short break before the next batch of papers."),
    ("Your pictures from polling day", "Thank you for sending us your photographs of dogs at polling stations."),
    ("Stay with us through the night", "We will bring you every declaration as it happens."),
)


def filler_text(n: int) -> Text:
    headline, paragraph = _FILLER[n % len(_FILLER)]
    return Text(headline=f"{headline} ({n})" if n >= len(_FILLER) else headline, paragraphs=(paragraph,))


def reworded(text: Text, n: int) -> Text:
    """An edit that changes the words but none of the facts: a paragraph of colour added."""
    extra = ("More reaction to follow.", "Pictures from the hall to follow.", "Updated with a photograph.")
    return msgspec.structs.replace(text, paragraphs=(*text.paragraphs, extra[n % len(extra)]))
