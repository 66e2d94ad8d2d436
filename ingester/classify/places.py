"""Constituency names: cleaning what pages write, and (later) looking it up in a gazetteer.

:func:`clean_name` turns a name as written into the form the official lists use: "NE Derbyshire" ->
"North East Derbyshire", "Mid-Derbyshire" -> "Mid Derbyshire", "Chesterfield's" -> "Chesterfield",
"MID DERBYSHIRE" -> "Mid Derbyshire". :class:`Places` is what the rules ask "is this a seat, and which
one?". Without a gazetteer it can only judge the shape of a name, so a county ("Derbyshire") or a town
that is not a seat passes; with one (any object with a ``lookup`` method, plugged in through
``Places(gazetteer)`` and ``rules.build_rules``) unknown names are refused and code and ballot are set.

A list of seats ("Erewash, Bolsover, High Peak and Amber Valley") and a name with commas ("Motherwell,
Wishaw and Carluke", "Birmingham, Yardley") look alike: :meth:`Places.seats` takes the longest names a
gazetteer knows, and without one cuts a text into seats only where its shape is no single name's.
:func:`place_run_before` reads a seat's name (or a list) written before a word ("... was held by").
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from datetime import date
from typing import Final, Protocol

import structlog

from ingester.classify import parties
from ingester.classify._text import Token
from ingester.events import Constituency

_log = structlog.get_logger("ingester.classify")

_COMPASS: Final = {
    "n": "North", "s": "South", "e": "East", "w": "West",
    "ne": "North East", "nw": "North West", "se": "South East", "sw": "South West",
}  # fmt: skip
_LOWER_IN_NAMES: Final = frozenset({"and", "of", "upon", "on", "the", "under", "in", "by", "le", "an", "y", "yr"})
_SUFFIXES: Final = (" constituency", " seat", " division", " count", " results", " result")
_NOT_FIRST: Final = frozenset(
    {
        "the", "this", "that", "these", "those", "we", "i", "it", "he", "she", "they", "some", "still",
        "here", "there", "and", "but", "so", "counting", "count", "counts", "votes", "vote", "results",
        "result", "full", "live", "latest", "election", "general", "party", "mr", "mrs", "ms", "dr", "sir",
        "dame", "lord", "lady", "bbc", "uk", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december", "all", "every", "each", "our", "your", "their",
        "his", "her", "its", "my", "a", "an", "in", "at", "on", "for", "as", "if", "when", "after",
        "before", "while", "today", "tonight", "recount", "verification", "declaration", "turnout",
        "majority", "labour", "conservative", "conservatives", "tory", "tories", "prime", "sources",
        "we're", "we've", "it's", "they're", "i'm", "there's", "that's", "here's", "what's", "let's",
    }
)  # fmt: skip
_NOT_IN: Final = frozenset(
    {
        "party", "mp", "mps", "council", "election", "parliament", "government", "minister", "news",
        "leisure", "centre", "center", "school", "street", "road", "hq", "headquarters", "seats",
        "results", "votes", "campaign", "county", "region", "wards", "ward", "candidate", "candidates",
    }
)  # fmt: skip
_MAX_WORDS: Final = 8
# A seat's name in running prose: up to six capitalised words, joined by "and", "of" or "upon".
SEAT_WORDS: Final = r"[A-Z][\w'-]{0,40}(?: (?:and |of |upon )?[A-Z][\w'-]{0,40}){0,5}"
# The same, longer and with commas and "and the" ("Oldham West, Chadderton and Royton", "Doncaster East
# and the Isle of Axholme"): what a gazetteer is asked, cut at commas until it knows a name.
SEAT_NAME: Final = r"[A-Z][\w'-]{0,40}(?:,? (?:(?:and|of|upon|an)(?: the)? )?(?:[A-Z]|h-)[\w'-]{0,40}){0,7}"


class Gazetteer(Protocol):
    """Official constituencies by name; ``on`` picks the boundaries in force on that election day."""

    def lookup(self, name: str, on: date | None) -> Constituency | None: ...

    def covers(self, on: date | None) -> bool:
        """Whether it holds the boundaries in force on ``on`` (else names are left uncoded)."""
        ...


def clean_name(name: str) -> str:
    """A name as written, in the official lists' spelling as far as its shape tells."""
    name = " ".join(name.replace("&", " and ").replace("\u2019", "'").split())
    name = name.strip(" \"'()[].,;:!?-")
    name = name.removeprefix("the ")
    for suffix in _SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    name = re.sub(r"'s$|'$", "", name.rstrip(" .,;:!?"))
    name = re.sub(r"\bMid-(?=[A-Za-z])", "Mid ", name, flags=re.IGNORECASE)
    if name.isupper() and len(name) > 3:
        name = _title(name)
    return " ".join(_expand(word, index) for index, word in enumerate(name.split()))


def _expand(word: str, index: int) -> str:
    bare = word.rstrip(".")
    if bare.isupper() and bare.lower() in _COMPASS and (index == 0 or len(bare) == 2):
        return _COMPASS[bare.lower()]
    return word


def _title(name: str) -> str:
    def fix(part: str, first: bool) -> str:
        low = part.lower()
        if low in _COMPASS and len(part) == 2:
            return part
        return low if low in _LOWER_IN_NAMES and not first else low[:1].upper() + low[1:]

    words = []
    for index, word in enumerate(name.split()):
        pieces = word.split("-")
        words.append("-".join(fix(p, index == 0 and j == 0) for j, p in enumerate(pieces)))
    return " ".join(words)


def looks_like_seat(name: str) -> bool:
    """The shape of a constituency name: one to eight capitalised words, no digits, not a party."""
    words = name.split()
    if not 1 <= len(words) <= _MAX_WORDS or any(ch.isdigit() for ch in name) or len(name) > 80:
        return False
    if words[0].lower() in _NOT_FIRST and not (words[0] == "The" and len(words) == 2):  # "The Wrekin"
        return False
    if not words[0][:1].isupper() or not words[-1][:1].isupper():
        return False
    if any(word.lower().strip(",") in _NOT_IN for word in words):
        return False
    if parties.party(name) is not None:
        return False
    return all(w[:1].isupper() or w.lower().strip(",") in _LOWER_IN_NAMES or w.startswith("h-") for w in words)


# Small words inside seats' names: "Kingston upon Hull", "Doncaster East and the Isle of Axholme".
CONNECTORS: Final = frozenset({"and", "&", "of", "upon", "under", "the", "an", "y", "yr"})
# Words that open a sentence before a comma, never a seat's: "Meanwhile, Bolsover and Erewash were held".
_OPENERS: Final = frozenset(
    {"meanwhile", "elsewhere", "tonight", "earlier", "later", "now", "so", "but", "and", "also", "overall",
     "here", "there", "again", "yet", "still", "then", "today", "instead", "finally", "however"}
)  # fmt: skip


def place_run_before(toks: Sequence[Token], end: int, blocked: Container[int] = (), limit: int = 12) -> str:
    """The capitalised run (a seat's name, or a list of seats) that ends just before token ``end``, as
    written: small words within ("Kingston upon Hull East"), "h-" words ("Na h-Eileanan an Iar"), a
    possessive within ("Queen's Park"), and commas before a later "and" ("Oldham West, Chadderton and
    Royton"; not "Meanwhile, Bolsover"). Small words it starts with, "The" too ("The Bolsover count"),
    are left out; "" when there is none."""
    start = end
    joined = False  # an "and" seen in the run: a comma before it is inside a name or a list
    while start > 0 and end - start < limit:
        token = toks[start - 1]
        if start - 1 in blocked or not (token.cap or token.low in CONNECTORS or token.word.startswith("h-")):
            break
        if start < end:
            comma = token.trail == "," and joined and token.low not in _OPENERS and not token.low.endswith("ly")
            if (token.trail and not comma) or (token.possessive and token.trail):
                break
        joined = joined or token.low in ("and", "&")
        start -= 1
    while start < end and (toks[start].low == "the" or not (toks[start].cap or toks[start].word.startswith("h-"))):
        start += 1  # (a gazetteer knows "Wrekin" for "The Wrekin")
    inner = [t.word + ("'s" if t.possessive else "") + ("," if t.trail == "," else "") for t in toks[start : end - 1]]
    return " ".join([*inner, toks[end - 1].word]) if start < end else ""


def constituency(name: str, gazetteer: Gazetteer | None = None, on: date | None = None) -> Constituency:
    """The cleaned name as a Constituency; with a gazetteer, its official entry when it has one."""
    cleaned = clean_name(name)
    if gazetteer is not None:
        found = gazetteer.lookup(cleaned, on)
        if found is not None:
            return found
    return Constituency(cleaned)


class Places:
    """What the rules ask about places. Share one per gazetteer: it remembers its answers.

    Two questions: :meth:`seat` where the text calls for a seat ("Labour gain X", "Full results for
    X"), so a name the gazetteer does not know is still the seat, kept as written (cleaned) with a
    warning; and :meth:`known` where a capitalised run merely might be a seat ("counting in X"), so
    with a gazetteer only a name it knows counts. A gazetteer that does not cover the election's date
    is as good as none.
    """

    __slots__ = ("_lists", "_memo", "gazetteer")

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer
        self._memo: dict[tuple[str, date | None, bool], Constituency | None] = {}
        self._lists: dict[tuple[str, date | None, bool], tuple[Constituency, ...]] = {}

    def seat(self, raw: str, on: date | None = None) -> Constituency | None:
        """The constituency ``raw`` names where the text calls for one, or None when it cannot be one."""
        return self._answer(raw, on, strict=False)

    def known(self, raw: str, on: date | None = None) -> Constituency | None:
        """The constituency ``raw`` names, only if the gazetteer knows it (without one: its shape)."""
        return self._answer(raw, on, strict=True)

    def codes(self, on: date | None) -> bool:
        """Whether a gazetteer that covers the election of ``on`` is plugged in (names are coded)."""
        return self.gazetteer is not None and self.gazetteer.covers(on)

    def forget(self) -> None:
        """Drop the remembered answers (a benchmark or a test that wants them worked out again)."""
        self._memo.clear()
        self._lists.clear()

    def _answer(self, raw: str, on: date | None, *, strict: bool) -> Constituency | None:
        memo_key = (raw, on, strict)
        if memo_key in self._memo:
            return self._memo[memo_key]
        found = self._look_up(raw, on, strict=strict)
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[memo_key] = found
        return found

    def _look_up(self, raw: str, on: date | None, *, strict: bool) -> Constituency | None:
        cleaned = clean_name(raw)
        gazetteer = self.gazetteer if self.codes(on) else None
        if gazetteer is not None and len(cleaned) <= 80:
            found = gazetteer.lookup(cleaned, on)
            if found is not None:
                return found
        if not looks_like_seat(cleaned):
            return None
        if gazetteer is None:
            return Constituency(cleaned)
        if strict:
            return None
        _log.warning("constituency not in the gazetteer", name=cleaned, election_day=str(on))
        return Constituency(cleaned)

    def page_seat(self, lines: Sequence[str], has_headline: bool, on: date | None = None) -> Constituency | None:
        """The seat a page is about: the line before "Parliamentary constituency" (BBC constituency
        pages), else a headline (the first line) that is nothing but a seat's name."""
        for index, line in enumerate(lines[:200]):
            if line.casefold() == "parliamentary constituency":
                named = [earlier for earlier in lines[:index] if earlier][-1:]
                return self.seat(named[0], on) if named else None
        if has_headline and lines and len(lines[0].split()) <= _MAX_WORDS:
            return self.known(lines[0], on)
        return None

    def seats(self, text: str, *, split_and: bool, on: date | None = None) -> list[Constituency]:
        """Seats from a written list: "Erewash, Derbyshire Dales, High Peak and Amber Valley".

        "and" may join two seats or be part of one name ("Bexhill and Battle"), and names hold commas
        too ("Motherwell, Wishaw and Carluke", "Birmingham, Yardley"). With a gazetteer the longest
        known name wins, across commas and "and"; pieces it does not know are kept as written (with a
        warning), one seat each when the text is plainly a list, else as one name. Without one, the
        text is cut into seats only when it is plainly a list: ``split_and`` (the caller knows of
        several seats: a plural verb), or a shape no single name has (two commas or more, a comma
        before the last "and", or a comma and two "and"s); "A, B and C", "A, B" or "A and B" stays
        one name, as names with commas or "and" are written. A list is cut into its items by
        :func:`list_items`. A list with an item that cannot be a seat gives no seats.
        """
        memo_key = (text, on, split_and)
        if memo_key not in self._lists:
            if len(self._lists) >= _MEMO_SIZE:
                self._lists.clear()
            self._lists[memo_key] = tuple(self._seats(text, split_and=split_and, on=on))
        return list(self._lists[memo_key])

    def _seats(self, text: str, *, split_and: bool, on: date | None) -> list[Constituency]:
        pieces = _LIST_SEPARATOR.split(text[:1000])
        names, separators = pieces[::2], pieces[1::2]
        listed = split_and or plainly_a_list(separators)
        if self.codes(on):
            return self._longest_known(names, separators, on, listed=listed)
        if not listed:
            seat = self.seat(text[:1000], on)
            return [seat] if seat is not None else []
        out: list[Constituency] = []
        for name in list_items(names, separators):
            seat = self.seat(name, on)
            if seat is None:
                return []
            out.append(seat)
        return out

    def _longest_known(
        self, names: list[str], separators: list[str], on: date | None, *, listed: bool
    ) -> list[Constituency]:
        """Greedy: from each piece, the longest run of pieces that makes a known name (at most eight
        pieces: no seat's name has more). The pieces between known names are a seat as written each
        when the text is ``listed``, else one seat together; a piece or run that cannot be a seat
        spoils the list."""
        out: list[Constituency] = []
        unknown: list[int] = []  # indices of the pieces since the last known name
        start = 0
        while start < len(names):
            end, seat = self._known_run(names, separators, start, on)
            if seat is None:
                unknown.append(start)
                start += 1
                continue
            if unknown and not self._add_unknown(out, names, separators, unknown, on, listed=listed):
                return []
            unknown = []
            out.append(seat)
            start = end
        if unknown and not self._add_unknown(out, names, separators, unknown, on, listed=listed):
            return []
        return out

    def _known_run(
        self, names: list[str], separators: list[str], start: int, on: date | None
    ) -> tuple[int, Constituency | None]:
        """The longest run of pieces from ``start`` that the gazetteer knows: (end, seat), else (start, None)."""
        for end in range(min(len(names), start + _MAX_PIECES), start, -1):
            seat = self.known(_joined(names, separators, start, end), on)
            if seat is not None:
                return end, seat
        return start, None

    def _add_unknown(
        self,
        out: list[Constituency],
        names: list[str],
        separators: list[str],
        run: list[int],
        on: date | None,
        *,
        listed: bool,
    ) -> bool:
        """Adds the unknown pieces of ``run`` (consecutive indices) as seats; False if one cannot be."""
        spans = [(i, i + 1) for i in run] if listed else [(run[0], run[-1] + 1)]
        for start, end in spans:
            seat = self.seat(_joined(names, separators, start, end), on)
            if seat is None:
                return False
            out.append(seat)
        return True


def _joined(names: list[str], separators: list[str], start: int, end: int) -> str:
    """Pieces ``start`` to ``end`` of a split list, with the separators between them as written."""
    joined = names[start]
    for index in range(start + 1, end):
        joined += separators[index - 1] + names[index]
    return joined


def list_items(names: list[str], separators: list[str]) -> list[str]:
    """The items of a written list of seats (its pieces cut at commas and "and"s), without a gazetteer
    to tell which "and" is inside a name. A list with commas is "A, B, C and D": its items are
    parted by commas, and only its last part holds the list's own "and", so an "and" in any other
    part is inside a name ("Redcar, Whitehaven and Workington, Erewash and Rushcliffe"); the last part
    is cut at its first "and", the list's own, and not at all after an Oxford comma ("A, B, and C and
    D": the last part is the last item). A last part with two "and"s can be read either way ("...,
    Vale of Glamorgan and Leigh and Atherton", "..., Dewsbury and Batley and Blackburn"); only a
    gazetteer can tell, and with the 2024 seats' names cut at random into lists (``bench/accuracy.py
    --no-gazetteer``, "own:several seats"), the first "and" is the list's more often (22 sentences
    misread, against 36 when cut at the last). Without commas (a plural verb: "A and B change
    hands") every "and" parts two seats."""
    commas = [index for index, separator in enumerate(separators) if "," in separator]
    if not commas:
        return names
    starts = [0, *(index + 1 for index in commas)]
    ends = [*starts[1:], len(names)]
    items = [_joined(names, separators, start, end) for start, end in zip(starts[:-1], ends[:-1], strict=True)]
    last, end = starts[-1], ends[-1]
    oxford = "and" in separators[commas[-1]] or "&" in separators[commas[-1]]
    if end - last >= 2 and not oxford:
        return [*items, names[last], _joined(names, separators, last + 1, end)]
    return [*items, _joined(names, separators, last, end)]


def plainly_a_list(separators: list[str]) -> bool:
    """Whether the separators of a run of names make it a list of several seats, a shape no single
    seat's name has: two commas or more ("A, B, C and D"), a comma before the last "and" ("A, B, and
    C"), or a comma besides two "and"s ("A and B, C and D"). Official names with commas are "A, B" or
    "A, B and C"."""
    commas = sum("," in separator for separator in separators)
    ands = sum("and" in separator or "&" in separator for separator in separators)
    oxford = any("," in separator and "and" in separator for separator in separators)
    return commas >= 2 or oxford or (commas >= 1 and ands >= 2)


_MEMO_SIZE: Final = 4096
_MAX_PIECES: Final = 8
_LIST_SEPARATOR: Final = re.compile(r"(\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")


DEFAULT: Final = Places()
