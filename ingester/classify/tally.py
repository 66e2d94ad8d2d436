"""Tally: seats per party, national or regional (PA "state of parties").

Three forms:

- a bulleted list, "• Labour: 412 seats, 211 seats gained" / "• Sinn Fein: 7 seats, No change", under
  headings such as "Results: parties by seats" and "0 seats to go";
- the BBC table, "Party Conservative Labour ... Others" / "Seats 318 262 ..." / "Change −13 +30 ...",
  with "After 650 of 650 seats" nearby;
- prose: "Labour have already taken 368 seats nationally, leaving the Conservatives ... with just 93
  Members of Parliament" (needs a national cue, "nationally", "across the UK", ...), and regional
  "Labour taking all eleven seats" with the region named in the sentence ("for Derbyshire").

``declared`` and ``total`` are only what the page states or what follows from it without outside
knowledge: "After 650 of 650 seats"; a list with an "Others" row and "N seats to go" gives declared =
the sum and total = sum + N; "all eleven seats" gives both 11. Prose such as "77 seats are yet to be
assigned" without a complete list leaves both null (the page never says how many seats there are).

A list or sentence that speaks of an exit poll, a projection or a forecast is not a tally (see
``exit_poll.exit_poll_rule``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, NamedTuple

from ingester.classify import parties
from ingester.classify._hedges import background, modal, speculative
from ingester.classify._numbers import NUMBER_WORDS, parse_count
from ingester.classify._post import post_sentences, post_text, scan, text_lines
from ingester.classify._reading import analyse
from ingester.classify._scan import first_match, may_hold, words
from ingester.classify._text import MAX_TEXT, Token, election_year, has_digit, tokens
from ingester.classify.base import RuleInput
from ingester.classify.parties import Mention
from ingester.events import Party, SeatCount, Tally, TypedEvent

# "Labour: 412 seats, 211 seats gained", "Sinn Fein: 7 seats, No change", "Labour 412 seats (+211)".
_ROW: Final = re.compile(
    r"^(?P<party>[^\d:,\n]{1,60}?)\s*[:-]?\s+(?P<seats>\d{1,3})(?:\s+seats?"
    r"(?:\s*,\s*(?:(?P<chg>\d{1,3})\s+seats?\s+(?P<dir>gained|lost|won|up|down)|(?P<none>no change)))?)?"
    r"(?:\s*\((?P<sign>[+-]?)(?P<pchg>\d{1,3})\))?\s*\.?$",
    re.IGNORECASE,
)
_TO_GO: Final = re.compile(
    r"\b(\d{1,3}) seats? (?:to go|to declare|left|remaining|(?:are )?yet to (?:be )?(?:declared|called|assigned))",
    re.IGNORECASE,
)
_OF_SEATS: Final = re.compile(
    r"\b(?:after|with) (\d{1,3}) of (\d{1,3}) (?:seats|constituencies)\b"
    r"|\b(\d{1,3}) of (\d{1,3}) (?:seats|constituencies) (?:declared|counted|in)\b",
    re.IGNORECASE,
)
_OF_SEATS_LOWER: Final = re.compile(_OF_SEATS.pattern)  # for an ASCII text in lower case
_OF_SEATS_STARTS: Final = ("after", "with", *"0123456789")  # every match starts with one of these
_SCOPE: Final = re.compile(r"^(?P<scope>[A-Z][A-Za-z ]{1,40}?) results\b", re.IGNORECASE)
_NATIONAL: Final = re.compile(
    r"(?i:\b(?:nationally|nationwide|UK-wide|across the (?:UK|country|nation)|in the (?:Commons|House of Commons)"
    r"|around the country|overall)\b)"
)
# The same in lower case, for an ASCII text's lower case, and the words its matches start with.
_NATIONAL_LOWER: Final = re.compile(
    _NATIONAL.pattern.replace("UK", "uk").replace("Commons", "commons").replace("House", "house")
)
_NATIONAL_STARTS: Final = ("nation", "uk-wide", "across the", "in the", "around the", "overall")
_ALL_SEATS: Final = re.compile(
    r"\b(?:taking|took|takes|taken|take|won|winning|wins|win|claimed|claiming|secured|securing|swept|sweeping"
    r"|hold|holds|holding|have|has)"
    r" all (?:(?P<n>\d{1,3}|[a-z]{3,9}) )?(?:of (?:the |(?P<of>[A-Z][\w-]{1,30}(?: [A-Z][\w-]{1,30}){0,2})'s? )?)?"
    r"(?:seats|constituencies)\b"
)
# Background, not tonight's tally: "before the election the Conservatives held all eleven seats".
_BEFORE_TONIGHT: Final = re.compile(
    r"(?i:\b(?:before the (?:election|vote|polls)|going into|previously|last time|used to|formerly|until now)\b)"
)
# "seat(s)" as a word, "constituencies", "(+3)". (Each branch starts with a letter, so the engine skips
# ahead to one; the lookbehind after the "s" is the word boundary before it.)
_WORTH_READING: Final = re.compile(r"s(?<!\ws)eats?\b|constituencies|\([+-]\d")
_WORTH_STEMS: Final = ("seat", "constituencies", "(+", "(-")  # every match of ``_WORTH_READING`` starts so
_TO_BE_DECIDED: Final = frozenset({"yet", "to", "left", "remaining", "undeclared", "still", "outstanding"})
_ADVERBS: Final = frozenset({"now", "have", "has", "had", "already", "also", "so", "far", "duly"})
_REGION: Final = re.compile(r"\b(?:in|across|for|of) (?P<region>[A-Z][\w'-]{1,30}(?: [A-Z][\w'-]{1,30}){0,2})")
_UNITS: Final = frozenset({"seats", "seat", "mps", "members"})
_CHANGE_WORDS: Final = frozenset({"lost", "gained", "losing", "gaining", "down", "up", "minus", "plus", "by"})
_NATIONAL_SCOPE: Final = frozenset({"uk", "united kingdom", "national", "election", "general election"})


class SeatList(NamedTuple):
    seats: tuple[SeatCount, ...]
    first: int  # line indices of the list
    last: int
    declared: int | None
    total: int | None
    scope: str
    context: str  # the lines around it, to tell a tally from an exit poll


def tally_rule(post: RuleInput, found: Sequence[TypedEvent]) -> list[Tally]:
    scanned = scan(post)
    if first_match(_WORTH_READING, scanned.lower, _WORTH_STEMS) is None:
        return []
    # a list's rows and a table's seats are figures: a post without a digit holds neither
    lists = seat_lists(text_lines(post)) if scanned.digits else []
    out = [
        Tally(
            **post.envelope,
            scope=found_list.scope,
            seats=found_list.seats,
            declared=found_list.declared,
            total=found_list.total,
        )
        for found_list in lists
        if not speculative(found_list.context)
    ]
    return out + prose_tallies(post)


def seat_lists(lines: Sequence[str]) -> list[SeatList]:
    """Every bulleted list and BBC table of seats in the lines, in order."""
    found = [*_bullet_lists(lines), *_tables(lines)]
    return sorted(found, key=lambda item: item.first)


def _bullet_lists(lines: Sequence[str]) -> list[SeatList]:
    out: list[SeatList] = []
    rows: list[SeatCount] = []
    first = last = -1
    for index, line in enumerate([*lines, "."]):
        if not line:
            continue
        worth = ("eat" in line or "EAT" in line or "(" in line) and has_digit(line)  # a row holds a number
        row = _row(line.lstrip("\u2022*\u00b7- ")) if worth else None
        if row is not None:
            first = index if not rows else first
            rows.append(row)
            last = index
            continue
        if len(rows) >= 2:
            out.append(_finish(lines, rows, first, last))
        rows = []
    return out


def _row(line: str) -> SeatCount | None:
    match = _ROW.match(line)
    if match is None or not (re.search(r"\bseats?\b", line, re.IGNORECASE) or match["pchg"]):
        return None
    party = _party(match["party"])
    if party is None:
        return None
    change: int | None = None
    if match["chg"]:
        change = int(match["chg"]) * (-1 if match["dir"].lower() in ("lost", "down") else 1)
    elif match["none"]:
        change = 0
    elif match["pchg"]:
        change = int(match["pchg"]) * (-1 if match["sign"] == "-" else 1)
    return SeatCount(party, int(match["seats"]), change)


def _party(text: str) -> Party | None:
    known = parties.party(text)
    if known is not None:
        return known
    return parties.party_or_other(text) if parties.looks_like_party(text) else None


def _tables(lines: Sequence[str]) -> list[SeatList]:
    out: list[SeatList] = []
    for index, line in enumerate(lines[:-1]):
        if not line.startswith("Party ") or not lines[index + 1].startswith("Seats "):
            continue
        names = split_party_names(line.removeprefix("Party "))
        seats = _signed(lines[index + 1].removeprefix("Seats "))
        if names is None or seats is None or len(names) != len(seats) or len(names) < 2:
            continue
        changes: list[int | None] = [None] * len(names)
        following = lines[index + 2] if index + 2 < len(lines) else ""
        signed = _signed(following.removeprefix("Change ")) if following.startswith("Change ") else None
        if signed is not None and len(signed) == len(names):
            changes = list(signed)
        rows = [SeatCount(p, s, c) for p, s, c in zip(names, seats, changes, strict=True)]
        out.append(_finish(lines, rows, index, index + 2))
    return out


def split_party_names(text: str) -> list[Party] | None:
    """ "Conservative Labour Scottish National Party Others" -> four parties (longest name first)."""
    words = text.split()
    if len(words) > 60:
        return None
    out: list[Party] = []
    at = 0
    while at < len(words) and len(out) < 30:
        for width in range(min(6, len(words) - at), 0, -1):
            found = parties.party(" ".join(words[at : at + width]))
            if found is not None:
                out.append(found)
                at += width
                break
        else:
            return None
    return out if at == len(words) else None


def _signed(text: str) -> list[int] | None:
    values = text.split()
    if not values or len(values) > 30 or not all(re.fullmatch(r"[+-]?\d{1,3}", v) for v in values):
        return None
    return [int(v) for v in values]


def _finish(lines: Sequence[str], rows: list[SeatCount], first: int, last: int) -> SeatList:
    before = [line for line in lines[max(0, first - 6) : first] if line][-4:]
    after = [line for line in lines[last + 1 : last + 6] if line][:3]
    context = "\n".join(before + after)
    declared = total = to_go = None
    for line in before + after:
        if (of := _OF_SEATS.search(line)) is not None:
            declared, total = int(of[1] or of[3]), int(of[2] or of[4])
        if (left := _TO_GO.search(line)) is not None:
            to_go = int(left[1])
    if declared is None and to_go is not None and any(row.party.code == "OTH" for row in rows):
        declared = sum(row.seats for row in rows)
        total = declared + to_go
    scope = "uk"
    for line in before:
        if (named := _SCOPE.match(line)) is not None:
            scope = "uk" if named["scope"].lower() in _NATIONAL_SCOPE else named["scope"]
    return SeatList(tuple(rows), first, last, declared, total, scope, context)


# ------------------------------------------------------------------------------------------------- prose


def prose_tallies(post: RuleInput) -> list[Tally]:
    """Seats per party in sentences: national with a national cue ("nationally", "with 600 of 650
    seats declared"), regional with "all N seats"."""
    year = election_year(post)
    out: list[Tally] = []
    if not _may_tally(post_text(post)[:MAX_TEXT], scan(post).lower):
        return out
    for sentence in post_sentences(post):
        lower = sentence.text.lower()  # each pattern is tried only where the words it needs are
        seats = may_hold(lower, ("seats", "constituencies"))
        all_seats, of_seats = seats and may_hold(lower, ("all ",)), seats and may_hold(lower, (" of ",))
        national = may_hold(lower, _NATIONAL_WORDS)
        if not (all_seats or of_seats or national) or background(sentence.text, year) or modal(sentence.text):
            continue
        regional = _all_seats(sentence.text) if all_seats else None
        if regional is not None:
            out.append(
                Tally(
                    **post.envelope,
                    scope=regional[0],
                    seats=(regional[1],),
                    declared=regional[1].seats,
                    total=regional[1].seats,
                )
            )
            continue
        of = _of_seats(sentence.text, lower) if of_seats else None
        if of is None and not (national and _national(sentence.text, lower)):
            continue
        found = analyse(sentence.text) if may_pair(sentence.text) else None
        pairs = seat_pairs(found.toks, found.mentions, need_unit=True) if found is not None else []
        declared, total = (int(of[1] or of[3]), int(of[2] or of[4])) if of else (None, None)
        if pairs:
            out.append(Tally(**post.envelope, scope="uk", seats=tuple(pairs), declared=declared, total=total))
    return out


def _may_tally(text: str, lower: str) -> bool:
    """Whether a national cue, "all N seats" or "N of M seats" is in the text (``lower``: the normalised
    text in lower case, which differs from ``text.lower()`` in ASCII only where a tab became a space).
    Each pattern is tried only when the words it cannot match without are there (a pass each)."""
    seats = may_hold(lower, ("seats", "constituencies"))
    lower = text.lower() if "\t" in text else lower
    return bool(
        (may_hold(lower, _NATIONAL_WORDS) and _national(text, lower))
        or (seats and may_hold(lower, ("all ",)) and _ALL_SEATS.search(text))
        or (seats and may_hold(lower, (" of ",)) and _of_seats(text, lower))
    )


def _of_seats(text: str, lower: str) -> re.Match[str] | None:
    """``_OF_SEATS.search(text)`` (``lower``: the text in lower case), tried in an ASCII text only where
    a match can start: the search itself tries every position against both of its branches."""
    return first_match(_OF_SEATS_LOWER, lower, _OF_SEATS_STARTS) if text.isascii() else _OF_SEATS.search(text)


def _national(text: str, lower: str) -> bool:
    """Whether ``_NATIONAL`` matches ``text`` (``lower``: in lower case), tried in an ASCII text only
    where one of its cues starts."""
    if text.isascii():
        return first_match(_NATIONAL_LOWER, lower, _NATIONAL_STARTS) is not None
    return _NATIONAL.search(text) is not None


# Every national cue (``_NATIONAL``) holds one of these, in lower case.
_NATIONAL_WORDS: Final = (
    "national", "nationwide", "uk-wide", "across the", "commons", "around the country", "overall"
)  # fmt: skip


def _all_seats(sentence: str) -> tuple[str, SeatCount] | None:
    """ "Labour taking all eleven seats" with "for Derbyshire" in the sentence, "Labour now hold all
    eleven of Derbyshire's seats": (region, seats)."""
    match = _ALL_SEATS.search(sentence)
    if match is None or match["n"] is None or _BEFORE_TONIGHT.search(sentence):
        return None
    count = parse_count(match["n"])
    toks = tokens(sentence[: match.start()])
    found = parties.mentions(toks)
    end = len(toks)
    while end > 0 and toks[end - 1].low in _ADVERBS:
        end -= 1
    if count is None or count == 0 or not found or found[-1].end != end:
        return None
    regions = [match["of"]] if match["of"] else []
    regions += [
        m["region"]
        for m in _REGION.finditer(sentence)
        if parties.party(m["region"]) is None and m["region"] not in ("Parliament", "Government")
    ]
    if not regions:
        return None
    return regions[0], SeatCount(found[-1].party, count)


def may_pair(text: str) -> bool:
    """Whether a sentence may hold a party's number of seats (:func:`seat_pairs`): it needs a number, in
    figures or in words. (Asked of its words before it is cut into tokens: only ASCII text is judged,
    where a token's figures and words are the text's.)"""
    if not text.isascii():
        return True
    return has_digit(text) or not _NUMBER_WORD_SET.isdisjoint(words(text.lower()))


_NUMBER_WORD_SET: Final = frozenset(NUMBER_WORDS)


def seat_pairs(toks: Sequence[Token], found: Sequence[Mention], *, need_unit: bool) -> list[SeatCount]:
    """Each party followed closely by a number of seats: "Labour have already taken 368 seats",
    "the Conservatives far behind with just 93 Members of Parliament", "the Lib Dems 61". With
    ``need_unit``, a bare number counts only straight after a party ("... and the Conservatives 93")
    once an earlier party's number had its unit."""
    out: list[SeatCount] = []
    starts = {m.start for m in found}
    seen: set[str] = set()
    had_unit = False
    for mention in found:
        got = _count_after(toks, mention.end, starts, need_unit=need_unit, bare_ok=had_unit)
        if got is None or mention.party.name in seen:
            continue
        value, unit = got
        had_unit = had_unit or unit
        seen.add(mention.party.name)
        out.append(SeatCount(mention.party, value))
    return out


def _count_after(
    toks: Sequence[Token], at: int, starts: set[int], *, need_unit: bool, bare_ok: bool = False
) -> tuple[int, bool] | None:
    """(number, whether "seats" follows it) of the first number of seats after token ``at``; with
    ``need_unit`` only a number of "seats", or with ``bare_ok`` a bare number straight after."""
    for index in range(at, min(at + 8, len(toks))):
        if index in starts:
            return None
        token = toks[index]
        value = int(token.word) if token.word.isdigit() and len(token.word) <= 3 else NUMBER_WORDS.get(token.low)
        if value is None or "%" in token.trail or (index > 0 and toks[index - 1].low in _CHANGE_WORDS):
            continue
        following = toks[index + 1].low if index + 1 < len(toks) else ""
        if following in ("votes", "per", "percent", "points", "%", "years", "minutes", "of"):
            continue
        unit = following in _UNITS
        if unit and index + 2 < len(toks) and toks[index + 2].low in _TO_BE_DECIDED:
            return None  # "77 seats yet to be assigned": nobody's
        if unit or not need_unit or (bare_ok and index - at <= 1):
            return value, unit
    return None
