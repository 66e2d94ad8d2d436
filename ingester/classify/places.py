"""Constituency names: cleaning what pages write, and (later) looking it up in a gazetteer.

:func:`clean_name` turns a name as written into the form the official lists use: "NE Derbyshire" ->
"North East Derbyshire", "Mid-Derbyshire" -> "Mid Derbyshire", "Chesterfield's" -> "Chesterfield",
"MID DERBYSHIRE" -> "Mid Derbyshire". :class:`Places` is what the rules ask "is this a seat, and which
one?". Without a gazetteer it can only judge the shape of a name, so a county ("Derbyshire") or a town
that is not a seat passes; with one (any object with a ``lookup`` method, plugged in through
``Places(gazetteer)`` and ``rules.build_rules``) unknown names are refused and code and ballot are set.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final, Protocol

import structlog

from ingester.classify import parties
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
        gazetteer = self.gazetteer if self.gazetteer is not None and self.gazetteer.covers(on) else None
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

    def page_seat(self, lines: list[str], has_headline: bool, on: date | None = None) -> Constituency | None:
        """The seat a page is about: the line before "Parliamentary constituency" (BBC constituency
        pages), else a headline (the first line) that is nothing but a seat's name."""
        for index, line in enumerate(lines[:200]):
            if line.casefold() == "parliamentary constituency":
                named = [earlier for earlier in lines[:index] if earlier][-1:]
                return self.seat(named[0], on) if named else None
        if has_headline and lines and len(lines[0].split()) <= 6:
            return self.known(lines[0], on)
        return None

    def seats(self, text: str, *, split_and: bool, on: date | None = None) -> list[Constituency]:
        """Seats from a written list: "Erewash, Derbyshire Dales, High Peak and Amber Valley".

        "and" may join two seats or be part of one name ("Bexhill and Battle"), and the 2024 names
        hold commas too ("Pontefract, Castleford and Knottingley"). With a gazetteer the longest known
        name wins, and a piece it does not know is kept as written (with a warning). Without one,
        items are cut at commas, and at " and " only when ``split_and`` says so (the caller knows a
        list with commas or a plural verb). A list with an item that cannot be a seat gives no seats.
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
        if self.gazetteer is not None and self.gazetteer.covers(on):
            return self._longest_known(names, separators, on)
        out: list[Constituency] = []
        for index, name in enumerate(names):
            if out and index > 0 and " and " in f" {separators[index - 1].strip()} " and not split_and:
                out[-1] = Constituency(f"{out[-1].name} and {clean_name(name)}")
                continue
            seat = self.seat(name, on)
            if seat is None:
                return []
            out.append(seat)
        return out

    def _longest_known(self, names: list[str], separators: list[str], on: date | None) -> list[Constituency]:
        """Greedy: from each piece, the longest run of pieces that makes a known name (at most eight
        pieces: no seat's name has more); a piece that starts none is a seat as written, or spoils the
        list when it cannot be one."""
        out: list[Constituency] = []
        start = 0
        while start < len(names):
            for end in range(min(len(names), start + _MAX_PIECES), start, -1):
                joined = names[start]
                for index in range(start + 1, end):
                    joined += separators[index - 1] + names[index]
                seat = self.known(joined, on)
                if seat is not None:
                    out.append(seat)
                    start = end
                    break
            else:
                seat = self.seat(names[start], on)
                if seat is None:
                    return []
                out.append(seat)
                start += 1
        return out


_MEMO_SIZE: Final = 4096
_MAX_PIECES: Final = 8
_LIST_SEPARATOR: Final = re.compile(r"(\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")


DEFAULT: Final = Places()
