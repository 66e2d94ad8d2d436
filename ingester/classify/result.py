"""Result: a declaration with vote figures, from a results list or from prose.

Lists (``list_rule``): one candidate a line ("Toby Perkins, Labour - 19,316", "Workers Party of
Britain, Julie Lowe - 248", "Jo Bloggs (Green) 1,234", "Labour - Louise Jones - 17,591 Elected"), or
all on one run-on line, cut after each vote figure. Which side of a row is the party is decided per
row when one side is a known party, else by the list's majority order. The seat comes from the lines
before the list ("Full results for X", "Full X results", "Result in X", a line that is a seat's name)
or the headline. ``complete`` is true when the page says the list is full ("Full results").

Vote figures in prose are ``result_prose``'s. Both build with ``result_build.build_result``.

Figures are never taken from a sentence that is a projection or another year's story, and a year
("in 2019") is never a vote count. Checks that fail (``checks.consistency``) become the result's
``warnings``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Final, NamedTuple

from ingester.classify import parties
from ingester.classify._names import is_name
from ingester.classify._numbers import COUNT, parse_count
from ingester.classify._post import scan, text_lines
from ingester.classify._text import election_day, has_digit
from ingester.classify.base import RuleInput
from ingester.classify.places import DEFAULT, Places
from ingester.classify.result_build import build_result, figures_in, is_margin
from ingester.events import Candidate, Constituency, Result, TypedEvent


def _tail(named: bool) -> str:
    """What may follow a row's vote figure: "votes", a share and its change ("(47.5%, +11.2)",
    ", 47.5%, +11.2 pts"), an elected mark ("Elected", "(elected)", "*", a tick)."""

    def group(name: str) -> str:
        return f"?P<{name}>" if named else ""

    return (
        r"(?:\s{0,3}votes)?"
        r"(?:[\s,;]{0,3}\(?(" + group("share") + r"\d{1,2}(?:\.\d{1,2})?|100(?:\.0{1,2})?)\s?%"
        r"(?:[\s,;]{1,3}(" + group("change") + r"[+-]\d{1,2}(?:\.\d{1,2})?)\s?(?:%|pts?\b|points\b)?)?\)?)?"
        r"(?:\s{0,3}(" + group("elected") + r"(?i:\(?elected\b\)?)|\*|\u2713|\u2714))?"
    )


_VOTE_TOKEN: Final = re.compile(COUNT + r"(?!\s?%)" + _tail(named=False))
_ROW_END: Final = re.compile(r"(?P<votes>" + COUNT + r")(?!\s?%)" + _tail(named=True) + r"\s{0,3}[.;]?$")
_BRACKET_OR_COMMA: Final = re.compile(r"[()]|, ")
# "Name (Party)": the last bracket is the party's; a name may hold one too ("Howling (Alan) Hope
# (Loony)"), and so may the party ("Tim Shaw (Independent Alliance (Kent))").
_BRACKETED: Final = re.compile(r"^(?P<a>[^\n]{1,100}?)\s*\((?P<b>[^()]{1,80}(?:\([^()]{1,40}\))?)\)$")
_SEAT_LINES: Final = (
    re.compile(
        r"(?i:\bfull results? (?:for|in|from|of)) (?P<seat>[^:\n]{2,60}?)(?:\s+(?i:are|is|as|were)\b|:|\s*$|\s+-)"
    ),
    re.compile(r"(?i:\bfull) (?P<seat>[A-Z][^:\n]{1,60}?) (?i:results?)\b"),
    re.compile(r"^(?P<seat>[A-Z][^:\n]{1,60}?) (?i:results? in full|full results?)\b"),
    re.compile(
        r"(?i:\b(?:results?|declaration|count) (?:for|in|from|of|at)) (?P<seat>[^:\n]{2,60}?)"
        r"(?:\s+(?i:are|is|as|were)\b|:|\s*$|\s+-)"
    ),
    re.compile(r"^(?i:(?:full |the )?(?:results?|declaration))(?: in full)? ?[:-] ?(?P<seat>[^:\n]{2,60}?)$"),
    re.compile(r"^(?P<seat>[^:\n]{2,60}?)(?: (?i:(?:general election )?results?))?:?$"),
    re.compile(r"^(?P<seat>[^:\n]{2,60}?):"),
)
_FULL: Final = re.compile(
    r"\bfull (?:results?|list|declaration)|\bresults? in full|\bfull [\w' ,.&-]{1,60}? results?\b"
    r"|\ball (?:the )?candidates\b",
    re.IGNORECASE,
)


# What may follow the last row of a run-on list: "Majority 10,820. Turnout 58.4%.", "Labour majority
# of 10,820."
_FIGURES_ONLY: Final = re.compile(
    r"(?i:(?:(?:[a-z]{2,20} ){0,2}(?:majority|turnout|electorate)(?: (?:of|was|is))?[: -]{0,3}[\d,.]{1,9} ?%?"
    r"(?: votes)?[.;, ]{0,3}){1,3})"
)


class Row(NamedTuple):
    first: str  # the two fields as written, order not yet decided
    second: str
    votes: int
    elected: bool
    share: float | None = None
    change: float | None = None


# ---------------------------------------------------------------------------------------------- lists


def list_rule(post: RuleInput, found: Sequence[TypedEvent], places: Places = DEFAULT) -> list[Result]:
    if scan(post).numbers < 2:  # a list is two rows or more, each with its own figure
        return []
    lines = text_lines(post)
    on = election_day(post)
    out: list[Result] = []
    done = {e.constituency.name.casefold() for e in found if isinstance(e, Result)}
    for first, last, rows in row_blocks(lines):
        context = [line for line in lines[max(0, first - 4) : first] if line][-3:]
        intro = _intro(lines[first]) if first == last else ""
        seat = list_seat([intro, *reversed(context)], lines[0] if post.headline else None, places, on)
        candidates, warnings = _candidates(rows)
        if seat is None or len(candidates) < 2 or seat.name.casefold() in done:
            continue
        done.add(seat.name.casefold())
        around = [intro, *context, *lines[last + 1 : last + 4]]
        stated = figures_in([*around, *lines[first : last + 1]])
        complete = any(_FULL.search(line) for line in [*around, lines[0] if post.headline else ""])
        out.append(
            build_result(
                post,
                found,
                seat,
                candidates,
                complete=complete and not warnings,
                figures=stated,
                warnings=warnings,
            )
        )
    return out


def row_blocks(lines: Sequence[str]) -> list[tuple[int, int, list[Row]]]:
    """Runs of row lines (blank lines allowed between), and run-on lines of two or more rows.

    A line with one figure joins a run only beside another such line: one between lines with none
    (a figure in prose, "beat him by 1,753 votes") is not read as a row."""
    filled = [index for index, line in enumerate(lines) if line]
    figures = [vote_marks(lines[index]) for index in filled]
    read: list[list[Row | None]] = [
        [None] if len(marks) == 1 and not _beside_one_figure(figures, k) else split_rows(lines[index], marks)
        for k, (index, marks) in enumerate(zip(filled, figures, strict=True))
    ]
    return blocks_of(filled, read)


def blocks_of(indices: list[int], rows: list[list[Row | None]]) -> list[tuple[int, int, list[Row]]]:
    """The blocks of rows of the lines at ``indices`` (the lines that are not blank), given each
    line's rows: runs of lines of one row each, and lines of two rows or more."""
    blocks: list[tuple[int, int, list[Row]]] = []
    current: list[Row] = []
    first = last = -1
    for index, line_rows in zip(indices, rows, strict=True):
        if len(line_rows) == 1 and (row := line_rows[0]) is not None:
            first = index if not current else first
            current.append(row)
            last = index
            continue
        if len(current) >= 2:
            blocks.append((first, last, current))
        current = []
        valid = [row for row in line_rows if row is not None]
        if len(valid) >= 2:
            blocks.append((index, index, valid))
    if len(current) >= 2:
        blocks.append((first, last, current))
    return blocks


def _beside_one_figure(figures: list[list[re.Match[str]]], k: int) -> bool:
    """Whether the line before or after line ``k`` (of the lines that are not blank) holds one figure."""
    return (k > 0 and len(figures[k - 1]) == 1) or (k + 1 < len(figures) and len(figures[k + 1]) == 1)


def vote_marks(line: str) -> list[re.Match[str]]:
    """The vote figures of a line (``_VOTE_TOKEN``), none for a line too long or without a digit."""
    if len(line) > 3000 or not has_digit(line):
        return []
    return list(_VOTE_TOKEN.finditer(line))


def split_rows(line: str, marks: list[re.Match[str]] | None = None) -> list[Row | None]:
    """A line's rows: one for "A, B - 123", several for a run-on "A - B - 123 Elected C - D - 45"
    (``marks``: its :func:`vote_marks`, if known)."""
    marks = vote_marks(line) if marks is None else marks
    if not marks:
        return []
    if len(marks) == 1:
        return [parse_row(line)]
    marks = marks[:40]
    tail = line[marks[-1].end() :].strip(" .;")
    if tail and not _FIGURES_ONLY.fullmatch(tail):
        return []  # words after the last figure: prose, not a run-on list
    rows: list[Row | None] = []
    start = 0
    for mark in marks:
        rows.append(parse_row(line[start : mark.end()]))
        start = mark.end()
    return rows


def parse_row(text: str) -> Row | None:
    """A row ending in its vote figure, or None; a figure that is a margin ("beat Y by 1,753 votes",
    "Labour majority of 10,820") is no candidate's."""
    text = text.strip().lstrip("\u2022*\u00b7-,; ")
    if text.startswith(("and ", "& ")):  # "..., and Julie Lowe (Workers Party) 248"
        text = text[4:] if text[0] == "a" else text[2:]
    end = _ROW_END.search(text)
    if end is None or is_margin(text[max(0, end.start() - 40) : end.start()]):
        return None
    votes = parse_count(end["votes"])
    prefix = text[: end.start()].rstrip(" ,:-")
    fields = _fields(_intro_trimmed(prefix)) or _fields(prefix)
    if votes is None or fields is None or _year_like(prefix, votes, end["votes"]):
        return None
    share = float(end["share"]) if end["share"] else None
    change = float(end["change"]) if end["change"] else None
    return Row(fields[0], fields[1], votes, bool(end["elected"]), share, change)


def _fields(prefix: str) -> tuple[str, str] | None:
    """The two fields of a row: "A - B" (the last two, after an introduction), "A, B" (at the first
    comma: party names hold commas, "Christian Party, Proclaiming Christ's Lordship"), "A: B", "A (B)",
    or a known party at either end with no separator ("LAB Natalie Fleet", "Natalie Fleet Labour")."""
    first = second = ""
    comma = _comma_outside_brackets(prefix) if ", " in prefix else -1
    if " - " in prefix:
        first, second = prefix.split(" - ")[-2:]
    elif comma >= 0:
        first, second = prefix[:comma], prefix[comma + 2 :]
    elif ": " in prefix:
        first, second = prefix.split(": ", 1)
    elif (bracketed := _BRACKETED.match(prefix)) is not None:
        first, second = bracketed["a"], bracketed["b"]
    else:
        first, second = _party_at_an_end(prefix)
    first, second = first.strip(), second.strip()
    return (first, second) if first and second and len(first) <= 100 and len(second) <= 100 else None


def _comma_outside_brackets(text: str) -> int:
    """Where the first ", " outside brackets is, or -1: "Jo Bloggs (Christian Party, Proclaiming
    Christ's Lordship)" is a name and a bracketed party, not two fields cut at the comma."""
    depth = 0
    for mark in _BRACKET_OR_COMMA.finditer(text):
        found = mark.group()
        if found == ", " and depth <= 0:
            return mark.start()
        depth += 1 if found == "(" else -1 if found == ")" else 0
    return -1


def _party_at_an_end(prefix: str) -> tuple[str, str]:
    words = prefix.split()
    if len(words) > 12 or len(words) < 2:
        return "", ""
    at_start, at_end = parties.may_start(words[0]), parties.may_end(words[-1])
    for width in range(min(6, len(words) - 1), 0, -1):
        if at_start and parties.party(" ".join(words[:width])) is not None:
            return " ".join(words[:width]), " ".join(words[width:])
        if at_end and parties.party(" ".join(words[-width:])) is not None:
            return " ".join(words[:-width]), " ".join(words[-width:])
    return "", ""


def _intro_trimmed(prefix: str) -> str:
    """Drop a run-on list's introduction: "Full results ... are as follows Labour - Louise Jones"; not
    the party of a row "Liberal Democrat: Sarah Green"."""
    low = prefix.lower()
    cut = max(low.rfind("as follows"), low.rfind(":"), low.rfind(". "))
    if cut >= 0 and not (prefix[cut] == ":" and parties.looks_like_party(prefix[:cut]) == 2):
        cut = cut + len("as follows") if low.startswith("as follows", cut) else cut + 1
        return prefix[cut:].strip()
    return prefix


def _intro(line: str) -> str:
    """The words before a run-on list's first row, where it names the seat."""
    low = line.lower()
    cut = max(low.find(" as follows"), low.find(":"))
    return line[:cut] if cut > 0 else ""


def _year_like(prefix: str, votes: int, written: str) -> bool:
    return (
        1900 <= votes <= 2099
        and "," not in written
        and bool(re.search(r"(?i:\b(?:in|since|of|the|from|until|by|year))\s*$", prefix))
    )


def _candidates(rows: list[Row]) -> tuple[list[Candidate], tuple[str, ...]]:
    """Decide which field is the party (per row, else the list's majority) and build candidates."""
    votes_for_party_first = 0
    for row in rows:
        votes_for_party_first += _side(row)
    party_first = votes_for_party_first > 0
    candidates: list[Candidate] = []
    warnings: list[str] = []
    for row in rows:
        side = _side(row)
        first_is_party = side > 0 or (side == 0 and party_first)
        name, written = (row.second, row.first) if first_is_party else (row.first, row.second)
        if not is_name(name) and is_name(written) and parties.party(name) is not None:
            name, written = written, name
        if not (is_name(name) or _surname(name, written)):
            warnings.append(f"row skipped: {row.first!r}, {row.second!r}")
            continue
        candidates.append(
            Candidate(
                name=name,
                party=parties.party_or_other(written),
                votes=row.votes,
                share=row.share,
                share_change=row.change,
                elected=row.elected,
            )
        )
    return candidates, tuple(warnings)


def _surname(name: str, written: str) -> bool:
    """ "Perkins (Lab) 19,316": a single capitalised word stands for a person when a known party is
    written beside it."""
    bare = name.strip("()\"'.,")
    return (
        bare.isalpha()
        and bare[:1].isupper()
        and len(bare) > 1
        and parties.party(written) is not None
        and parties.party(bare) is None
        and is_name(f"{bare} {bare}")
    )


def _side(row: Row) -> int:
    """+1 when the first field is the party, -1 when the second is, 0 when the row cannot tell."""
    first, second = parties.looks_like_party(row.first), parties.looks_like_party(row.second)
    return (first > second) - (second > first)


def list_seat(context: list[str], headline: str | None, places: Places, on: date | None) -> Constituency | None:
    for line in [*context, headline or ""]:
        for pattern in _SEAT_LINES:
            match = pattern.search(line)
            seat = places.seat(match["seat"], on) if match else None
            if seat is not None:
                return seat
    return None
