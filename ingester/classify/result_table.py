"""Result from the BBC constituency page's table, as the page reads when flattened to text:

    Luton North
    Parliamentary constituency
    LAB HOLD
    Party Votes % Net percentage change in seats
    LAB
    Labour
    Kelvin Hopkins Votes 29,765 header_vote_share 63.8 Net percentage change in seats +11.6
    ...
    LAB majority
    14,364
    Turnout
    71.0%
    Electorate
    73,234
    Vote share
    Party %
    Labour 63.8

The party of a candidate is on the lines before the row (a code line "LAB", a name line "Labour", or
only a name); the line after a code line is the party's name whatever it says ("YF" / "Yorkshire
First"). Where the page gives none (seed 000), the "Vote share" table is matched by share; a
candidate still unplaced is ``OTH`` "Unknown" with a warning. The majority, turnout and electorate
are label lines followed by their values, or both on one line ("Majority: 2,015", "Labour majority of
2,015"). The seat is the line before "Parliamentary constituency". Such a table lists every candidate:
``complete`` is true.

The BBC's older pages (2010-2015) read, per party, "Labour, with candidate Kelvin Hopkins, have the
following results: 22,243 total votes taken. 52.2% share of the total vote +3.4% change in share of
the votes", on one line or spread over several (``block_rule``); they too list every candidate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, NamedTuple

from ingester.classify import parties
from ingester.classify._numbers import COUNT, parse_count
from ingester.classify._post import post_lower, post_text, text_lines
from ingester.classify._text import MAX_TEXT, election_day
from ingester.classify.base import RuleInput
from ingester.classify.places import DEFAULT, Places
from ingester.classify.result import list_seat
from ingester.classify.result_build import Figures, build_result, figures_in
from ingester.events import Candidate, Party, Result, TypedEvent

_ROW: Final = re.compile(
    r"^(?P<name>[^\n]{2,100}?) Votes (?P<votes>\d{1,3}(?:,\d{3}){0,2}|\d{1,7})"
    r" (?i:header_vote_share|vote share|share) (?P<share>\d{1,3}(?:\.\d{1,2})?)"
    r"(?: (?i:net percentage change in seats|net percentage change|change) (?P<change>[+-]?\d{1,3}(?:\.\d{1,2})?))?$"
)
_HEADER: Final = re.compile(r"^Party Votes\b")
_CODE_LINE: Final = re.compile(r"^[A-Z]{2,5}$")
# The figures after the table: a label line then its value line ("LAB majority" / "14,364", "Majority"
# / "1,753", "Turnout" / "71.0%", "Electorate" / "73,234"), or both on one line ("Majority: 2,015",
# "Labour majority of 2,015", "Turnout 62.6%", "Electorate - 73,234").
_WHO: Final = r"(?:(?P<who>[A-Z]{2,5}|[A-Z][\w'-]{1,20}(?: [A-Z][\w'-]{1,20}){0,2}) )?"
_LABEL: Final = r"(?P<label>(?i:majority|turnout|electorate))"
_LABEL_LINE: Final = re.compile(r"^" + _WHO + _LABEL + r":?$")
_VALUE: Final = r"(?P<value>" + COUNT + r"|\d{1,2}(?:\.\d{1,2})? ?%)"
_FIGURE_LINE: Final = re.compile(
    r"^" + _WHO + _LABEL + r"(?: (?i:of|was|is|stands at))?(?::|\s-)? " + _VALUE + r"(?: (?i:votes?))?\.?$"
)
_COUNT_LINE: Final = re.compile(r"^" + COUNT + r"$")
_PERCENT_LINE: Final = re.compile(r"^\d{1,2}(?:\.\d{1,2})? ?%$")
_SHARE_LINE: Final = re.compile(r"^(?P<party>[^\d\n]{1,60}?) (?P<share>\d{1,3}(?:\.\d{1,2})?)$")
_MAX_ROWS: Final = 40
_BLOCK: Final = re.compile(
    r"^(?P<party>[^\n]{1,80}?),\s?with candidate\s(?P<name>[^,\n]{2,80}?),?\sha(?:ve|s)\sthe following results?:?\s?"
    r"(?P<votes>" + COUNT + r")\stotal votes? taken\.?"
    r"(?:\s?(?P<share>\d{1,3}(?:\.\d{1,2})?)\s?%\sshare of the total vote)?"
    r"(?:\s?(?P<change>[+-]?\d{1,3}(?:\.\d{1,2})?)\s?%\schange in share of the votes?)?",
    re.MULTILINE,
)
# Join what the older pages spread over lines into one line per block, and split a run of blocks.
_JOINS: Final = (
    (re.compile(r"[ ,]{0,3}\n[ ,]{0,3}(?=with candidate\b)"), ", "),
    (re.compile(r"[ ,]{0,3}\n {0,3}(?=ha(?:ve|s) the following)"), ", "),
    (re.compile(r" {0,3}\n {0,3}(?=[+-]?\d[\d,.]{0,9} ?%? ?(?:total votes|share of|change in))"), " "),
    (re.compile(r"(?<=of the votes) |(?<=share of the total vote) (?![+-]?\d)|(?<=votes taken\.) (?![+-]?\d)"), "\n"),
)


class _Table(NamedTuple):
    candidates: list[Candidate]
    end: int  # line index after the table


def table_rule(post: RuleInput, found: Sequence[TypedEvent], places: Places = DEFAULT) -> list[Result]:
    if "party votes" not in post_lower(post):
        return []
    lines = text_lines(post)
    header = next((i for i, line in enumerate(lines) if _HEADER.match(line)), None)
    if header is None:
        return []
    seat = places.page_seat(lines, post.headline is not None, election_day(post))
    table = _read_table(lines, header + 1)
    if seat is None or len(table.candidates) < 2:
        return []
    after = lines[table.end : table.end + 40]
    winner_hint, figures = _figures(after)
    candidates = _place_unknown(table.candidates, _share_table(after))
    return [build_result(post, found, seat, candidates, complete=True, figures=figures, winner_hint=winner_hint)]


def _read_table(lines: Sequence[str], start: int) -> _Table:
    """The rows from ``start``, each after its party's lines. A code line ("LAB", "YF") is followed by
    the party's name whatever it says ("Yorkshire First"); any other line before a row must look like
    a party's name. The table ends at the first other line, or at a figure ("LAB majority")."""
    candidates: list[Candidate] = []
    pending: list[str] = []
    first_pending = start
    stop = min(len(lines), start + _MAX_ROWS * 8)
    for index in range(start, stop):
        line = lines[index]
        row = _ROW.match(line)
        if row is not None:
            candidates.append(_candidate(row, _party(pending)))
            pending = []
        elif line and line != "Party":
            if len(pending) >= 3 or _is_figure(line) or not _party_label(lines, index, pending, stop):
                return _Table(candidates, first_pending if pending else index)
            first_pending = index if not pending else first_pending
            pending.append(line)
    return _Table(candidates, first_pending if pending else stop)


def _party_label(lines: Sequence[str], index: int, pending: list[str], stop: int) -> bool:
    """Whether line ``index`` names the party of the next row: it comes after a code line, or it
    looks like a party's name, or a row follows it straight away (a small party the page gives no
    code for: "Sovereignty", "Aontú")."""
    line = lines[index]
    if _after_code(pending, line) or _party_line(line):
        return True
    following = next((later for later in lines[index + 1 : stop] if later), "")
    return len(line) <= 80 and _ROW.match(following) is not None


def _after_code(pending: list[str], line: str) -> bool:
    """The line after a party's code line is its name."""
    return bool(pending) and _CODE_LINE.match(pending[-1]) is not None and len(line) <= 80


def _is_figure(line: str) -> bool:
    return _LABEL_LINE.match(line) is not None or _FIGURE_LINE.match(line) is not None


def _candidate(row: re.Match[str], party: Party | None) -> Candidate:
    change = float(row["change"]) if row["change"] else None
    return Candidate(
        name=row["name"].strip(),
        party=party or Party("OTH", "Unknown"),
        votes=parse_count(row["votes"]),
        share=float(row["share"]),
        share_change=change,
    )


def _party_line(line: str) -> bool:
    return (len(line.split()) <= 6 and parties.looks_like_party(line) > 0) or (line.isupper() and len(line) <= 5)


def _party(lines: list[str]) -> Party | None:
    """From the lines before a row: a known code or name first, else the name as written."""
    known = [p for p in (parties.party(line) for line in lines) if p is not None and p.code != "OTH"]
    if known:
        return known[0]
    named = [line for line in lines if not (line.isupper() and len(line) <= 5)] or lines
    return parties.party_or_other(named[-1]) if named else None


def _figures(lines: Sequence[str]) -> tuple[Party | None, Figures]:
    """The winner a majority line names and the figures after the table (the first of each)."""
    winner: Party | None = None
    found: dict[str, str] = {}
    following = [line for line in lines if line]
    for line, value in zip(following, [*following[1:], ""][: len(following)], strict=True):
        labelled = _LABEL_LINE.match(line)
        inline = _FIGURE_LINE.match(line) if labelled is None else None
        match = labelled or inline
        if match is None:
            continue
        label = match["label"].lower()
        if label == "majority" and match["who"] and winner is None:
            winner = parties.party(match["who"])
        written = value if labelled is not None else match["value"]
        pattern = _PERCENT_LINE if label == "turnout" else _COUNT_LINE
        if label not in found and pattern.match(written):
            found[label] = written
    return winner, Figures(
        majority=parse_count(found["majority"]) if "majority" in found else None,
        turnout=float(found["turnout"].rstrip(" %")) if "turnout" in found else None,
        electorate=parse_count(found["electorate"]) if "electorate" in found else None,
    )


def _share_table(lines: Sequence[str]) -> dict[str, tuple[Party, float]]:
    """The "Vote share" block: party -> share, keyed by the party's name."""
    start = next((i for i, line in enumerate(lines) if line.casefold() == "vote share"), None)
    shares: dict[str, tuple[Party, float]] = {}
    if start is None:
        return shares
    for line in lines[start + 1 : start + 1 + _MAX_ROWS]:
        if line in ("", "Party %"):
            continue
        match = _SHARE_LINE.match(line)
        if match is None:
            break
        party = parties.party_or_other(match["party"])
        shares[party.name] = (party, float(match["share"]))
    return shares


def _place_unknown(candidates: list[Candidate], shares: dict[str, tuple[Party, float]]) -> list[Candidate]:
    """Give a candidate without a party the party whose share is theirs, when only one is.

    One still without a party stays ``OTH`` "Unknown"; ``result.consistency`` warns about it.
    """
    taken = {c.party.name for c in candidates if c.party.name != "Unknown"}
    out: list[Candidate] = []
    for candidate in candidates:
        if candidate.party.name == "Unknown":
            matching = [
                p
                for name, (p, share) in shares.items()
                if name not in taken and abs(share - (candidate.share or -1)) < 0.05
            ]
            if len(matching) == 1:
                taken.add(matching[0].name)
                candidate = Candidate(
                    name=candidate.name,
                    party=matching[0],
                    votes=candidate.votes,
                    share=candidate.share,
                    share_change=candidate.share_change,
                )
        out.append(candidate)
    return out


# ------------------------------------------------------------------------------------- older BBC pages


def block_rule(post: RuleInput, found: Sequence[TypedEvent], places: Places = DEFAULT) -> list[Result]:
    """The older BBC page's party blocks as one complete result."""
    if post_text(post).find("with candidate", 0, MAX_TEXT) < 0:
        return []
    lines = text_lines(post)
    flat = "\n".join(line for line in lines if line)
    for pattern, replacement in _JOINS:
        flat = pattern.sub(replacement, flat)
    blocks = list(_BLOCK.finditer(flat))[:_MAX_ROWS]
    if len(blocks) < 2:
        return []
    on = election_day(post)
    before = flat[: blocks[0].start()].splitlines()[-3:]
    seat = places.page_seat(lines, post.headline is not None, on) or list_seat(
        before[::-1], lines[0] if post.headline else None, places, on
    )
    if seat is None or any(isinstance(e, Result) and e.constituency.name == seat.name for e in found):
        return []
    candidates = [_block_candidate(block) for block in blocks]
    return [build_result(post, found, seat, candidates, complete=True, figures=figures_in(lines))]


def _block_candidate(block: re.Match[str]) -> Candidate:
    return Candidate(
        name=" ".join(block["name"].split()),
        party=_block_party(block["party"]),
        votes=parse_count(block["votes"]),
        share=float(block["share"]) if block["share"] else None,
        share_change=float(block["change"]) if block["change"] else None,
    )


def _block_party(text: str) -> Party:
    """ "Labour", "Labour LAB" (the long and the short name), "LAB", "Freedom Alliance"."""
    text = text.strip(" ,")
    known = parties.party(text)
    if known is not None:
        return known
    words = text.split()
    if len(words) > 1 and words[-1].isupper():
        return parties.party(words[-1]) or parties.party_or_other(" ".join(words[:-1]))
    return parties.party_or_other(text)
