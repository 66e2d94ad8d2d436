"""The result table of a BBC constituency page, read from either layout and rendered as canonical text.

Both layouts are read from what the page shows, never from generated class names, and told apart the
same way (``read_table``): scorecards first, because their figures may also show as visible text that
looks like the older rows.

- 2024: one scorecard per candidate whose ``aria-label`` reads ``Labour, Louise Jones, 17,591 votes,
  38.4% share, up 6.0 percentage points``, the party's code in its ``<abbr>``;
- 2017 and 2019: one line of visible text per candidate, ``Kelvin Hopkins Votes 29,765 header_vote_share
  63.8 Net percentage change in seats +11.6`` (the labels are screen-reader text), each after its party's
  code and name lines, under a heading ``General Election 2017 results`` (any year; without the heading
  the rows are read where they start, and the year comes from any "General election YYYY" on the page).

A page that shows a result (a results heading, or a verdict under the "Parliamentary constituency"
label) but neither layout is a layout this module does not know: ``read_table`` says so. So does a figure
whose label shows but whose value cannot be read (``ResultTable.unread``); a page that simply has no
turnout line says nothing.

In both, the verdict is a line such as ``LAB HOLD``, ``LAB GAIN FROM CON`` or ``Labour gain from
Conservative``, and the figures are label lines followed by value lines (``LAB majority`` / ``14,364``,
``Majority`` / ``1,753``, ``Turnout`` / ``71.0%``, ``Electorate`` / ``73,234``).

``render`` writes one canonical text that the classifier's table rule reads (a complete ``result``):

    Parliamentary constituency
    LAB HOLD
    General Election 2017 results
    Party Votes % Net percentage change in seats
    LAB
    Labour
    Kelvin Hopkins Votes 29,765 Vote share 63.8 Change +11.6
    ...
    LAB majority
    14,364
    Turnout
    71.0%
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import Final

import msgspec
from selectolax.lexbor import LexborNode

_MINUS: Final = "\u2212"
_NUMBER: Final = r"[+\-\u2212]?\d{1,3}(?:\.\d{1,2})?"
_ROW_2017: Final = re.compile(
    r"^(?P<name>.{2,100}?) Votes (?P<votes>\d{1,3}(?:,\d{3}){0,2}|\d{1,7})"
    r" (?i:header_vote_share|vote share|share) (?P<share>\d{1,3}(?:\.\d{1,2})?)%?"
    rf"(?: (?i:net percentage change in seats|change) (?P<change>{_NUMBER}))?$"
)
_SCORECARD: Final = re.compile(
    # a party's registered name may hold commas, a candidate's name does not: the name is the last part
    r"^(?P<party>[^,]{1,80}(?:,[^,]{1,80}){0,3}?), (?P<name>[^,]{2,100}),"
    r" (?P<votes>\d{1,3}(?:,\d{3}){0,2}|\d{1,7}) votes?,"
    r" (?P<share>\d{1,3}(?:\.\d{1,2})?)% share"
    r"(?:, (?P<direction>up|down) (?P<change>\d{1,3}(?:\.\d{1,2})?) percentage points?)?",
    re.IGNORECASE,
)
_HEADING_2017: Final = re.compile(r"^general election (?P<year>\d{4}) results$", re.IGNORECASE)
_YEAR: Final = re.compile(r"\bgeneral election (?P<year>\d{4})\b", re.IGNORECASE)
_VERDICT: Final = re.compile(
    r"^(?P<winner>[A-Z]{2,5}|[A-Z][\w' ]{1,40}?) (?P<how>HOLD|GAIN FROM|hold|gain from|Hold|Gain from)"
    r"(?: (?P<loser>[A-Z]{2,5}|[A-Z][\w' ]{1,40}))?$"
)
_CODE: Final = re.compile(r"^[A-Z][A-Z0-9]{1,4}$")
_COUNT: Final = re.compile(r"^(\d{1,3}(?:,\d{3}){0,3}|\d{1,9})$")
_PERCENT: Final = re.compile(r"^(\d{1,3}(?:\.\d{1,2})?) ?%$")
_MAJORITY_LABEL: Final = re.compile(r"^(?:(?P<code>[A-Z][A-Z0-9]{1,4}) )?majority$", re.IGNORECASE)
_MAX_CANDIDATES: Final = 40


class Candidate(msgspec.Struct, frozen=True):
    name: str
    party: str
    code: str | None
    votes: int
    share: float
    change: float | None


class ResultTable(msgspec.Struct, frozen=True, kw_only=True):
    layout: str  # "2017" (also 2019) or "2024"
    year: str | None
    candidates: tuple[Candidate, ...]
    verdict: str | None = None
    majority: int | None = None
    majority_code: str | None = None
    turnout: float | None = None
    electorate: int | None = None
    unread: tuple[str, ...] = ()  # figures whose label shows but whose value could not be read


def read_table(root: LexborNode, lines: Sequence[str]) -> tuple[ResultTable | None, str | None]:
    """The result table in whichever layout the page shows, and, when there is none although the page
    shows a result, why not (a one-line note for a warning)."""
    table = read_2024(root, lines) or read_2017(lines)
    if table is not None:
        return table, None
    if any(line.lower().startswith("general election") and line.lower().endswith("results") for line in lines):
        return None, "a results heading but no candidate rows: result table layout not recognised"
    # A verdict counts on a constituency page only (its label line): "Labour hold Derby South" is also
    # the headline of many a live-blog post.
    verdict = next((v for line in lines if (v := _verdict(line))), None)
    if verdict is not None and any(line.lower() == "parliamentary constituency" for line in lines):
        return None, f"a verdict ({verdict}) but no candidate rows: result table layout not recognised"
    return None, None


def read_2017(lines: Sequence[str]) -> ResultTable | None:
    """The table under a ``General Election YYYY results`` line (else from its first row), from the page's
    visible lines."""
    start = next((i for i, line in enumerate(lines) if _HEADING_2017.match(line)), None)
    if start is None:
        first_row = next((i for i, line in enumerate(lines) if _ROW_2017.match(line)), None)
        if first_row is None:
            return None
        start = max(first_row - 4, 0) - 1  # the rows' party lines before the first row are read too
    heading = _HEADING_2017.match(lines[start]) if start >= 0 else None
    candidates: list[Candidate] = []
    pending: list[str] = []
    end = start + 1
    for end in range(start + 1, min(len(lines), start + 1 + _MAX_CANDIDATES * 6)):
        line = lines[end]
        row = _ROW_2017.match(line)
        if row is not None:
            candidates.append(_row_candidate(row, pending))
            pending = []
        elif candidates and (_MAJORITY_LABEL.match(line) or line.lower().startswith(("turnout", "vote share"))):
            break
        elif line not in ("Party", "Results") and not line.startswith("Party Votes"):
            pending = [*pending[-2:], line]
    if not candidates:
        return None
    year = heading["year"] if heading else _year(lines)
    return _with_figures(ResultTable(layout="2017", year=year, candidates=tuple(candidates)), lines, end)


def _row_candidate(row: re.Match[str], pending: list[str]) -> Candidate:
    code = next((line for line in pending if _CODE.match(line)), None)
    name = next((line for line in reversed(pending) if not _CODE.match(line)), None)
    return Candidate(
        name=row["name"].strip(),
        party=name or code or "Unknown",
        code=code,
        votes=int(row["votes"].replace(",", "")),
        share=float(row["share"]),
        change=float(row["change"].replace(_MINUS, "-")) if row["change"] else None,
    )


def read_2024(root: LexborNode, lines: Sequence[str]) -> ResultTable | None:
    """The scorecards: elements whose aria-label states party, name, votes and share."""
    candidates: list[Candidate] = []
    for node in root.css("[aria-label]"):
        label = " ".join((node.attributes.get("aria-label") or "").split())
        card = _SCORECARD.match(label)
        if card is None:
            continue
        abbr = node.css_first("abbr")
        code = " ".join(abbr.text().split()) if abbr is not None else ""
        change = float(card["change"]) if card["change"] else None
        if change is not None and card["direction"].lower() == "down":
            change = -change
        candidates.append(
            Candidate(
                name=card["name"].strip(),
                party=card["party"].strip(),
                code=code if _CODE.match(code) else None,
                votes=int(card["votes"].replace(",", "")),
                share=float(card["share"]),
                change=change,
            )
        )
        if len(candidates) >= _MAX_CANDIDATES:
            break
    if not candidates:
        return None
    return _with_figures(ResultTable(layout="2024", year=_year(lines), candidates=tuple(candidates)), lines, 0)


def _year(lines: Sequence[str]) -> str | None:
    return next((m["year"] for line in lines if (m := _YEAR.search(line))), None)


def _with_figures(table: ResultTable, lines: Sequence[str], start: int) -> ResultTable:
    """The verdict (anywhere on the page) and the figures after the table: label line, value line."""
    verdict = next((v for line in lines if (v := _verdict(line))), None)
    figures: dict[str, object] = {"verdict": verdict}
    shown: set[str] = set()
    for label, value in pairwise([*lines[start:], ""]):
        majority = _MAJORITY_LABEL.match(label)
        lower = label.lower()
        if majority:
            shown.add("majority")
        elif lower in ("turnout", "electorate"):
            shown.add(lower)
        if majority and _COUNT.match(value) and "majority" not in figures:
            figures["majority"] = int(value.replace(",", ""))
            figures["majority_code"] = majority["code"]
        elif lower == "turnout" and (percent := _PERCENT.match(value)) and "turnout" not in figures:
            figures["turnout"] = float(percent.group(1))
        elif lower == "electorate" and _COUNT.match(value) and "electorate" not in figures:
            figures["electorate"] = int(value.replace(",", ""))
    figures["unread"] = tuple(sorted(shown - figures.keys()))
    return msgspec.structs.replace(table, **figures)


def _verdict(line: str) -> str | None:
    """``LAB HOLD`` (a page may show it twice on one line: visible and for screen readers)."""
    half = len(line) // 2
    if len(line) % 2 == 1 and line[:half] == line[half + 1 :] and line[half] == " ":
        line = line[:half]
    return line if _VERDICT.match(line) and len(line) <= 80 else None


def render(constituency: str, table: ResultTable) -> str:
    """The canonical text of a result table (see the module docstring)."""
    lines = ["Parliamentary constituency"]
    if table.verdict:
        lines.append(_canonical_verdict(table))
    lines.append(f"General Election {table.year} results" if table.year else "General Election results")
    lines.append("Party Votes % Net percentage change in seats")
    for c in table.candidates:
        if c.code:
            lines.append(c.code)
        lines.append(c.party)
        change = f" Change {c.change:+.1f}" if c.change is not None else ""
        lines.append(f"{c.name} Votes {c.votes:,} Vote share {c.share:.1f}{change}")
    winner = max(table.candidates, key=lambda c: c.votes, default=None)
    if table.majority is not None:
        code = table.majority_code or (winner.code if winner else None)
        lines += [f"{code} majority" if code else "Majority", f"{table.majority:,}"]
    if table.turnout is not None:
        lines += ["Turnout", f"{table.turnout:.1f}%"]
    if table.electorate is not None:
        lines += ["Electorate", f"{table.electorate:,}"]
    del constituency  # the headline carries it
    return "\n".join(lines)


def _canonical_verdict(table: ResultTable) -> str:
    """The verdict in codes when the table names them (``Labour gain from Conservative`` → ``LAB GAIN
    FROM CON``), else as the page wrote it."""
    assert table.verdict is not None
    match = _VERDICT.match(table.verdict)
    codes = {c.party.casefold(): c.code for c in table.candidates if c.code}
    if match is None:
        return table.verdict
    winner = match["winner"] if _CODE.match(match["winner"]) else codes.get(match["winner"].casefold())
    loser = match["loser"]
    if loser and not _CODE.match(loser):
        loser = codes.get(loser.casefold())
    how = match["how"].upper()
    if winner is None or (match["loser"] and loser is None):
        return table.verdict
    return f"{winner} {how} {loser}" if loser else f"{winner} {how}"
