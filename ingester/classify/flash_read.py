"""Reading one sentence for :mod:`flash`: its analysis, the :class:`Call` a verb gives, and the parts
of a call with a party (or a person) as subject.

- gain/seize/snatch/take X (from Y), "wins back X" -> gain: taking a seat means it changed hands, so
  "Natalie Fleet takes Bolsover for Labour" is a gain from an unnamed party; "takes" with anything but
  a seat after it ("takes the lead", "takes second place") is no call. win/claim X -> gain only with
  "from Y" (alone it may be a gain or a hold); hold/retain/keep X, "hold on to X", "keeps his (X) seat",
  "is re-elected in X" -> hold. The subject is a party,
  "Labour's Louise Jones", "Labour candidate Natalie Fleet" or a name; the party may come after the
  seat instead: "wins Amber Valley for Labour", "keeps Derby South ... in Labour hands";
- seat first: "Mid Derbyshire: Labour gain from Conservative", "Mid Derbyshire - LAB GAIN FROM CON".

The other forms (losses, passives, seats as subject, defeat clauses) are in :mod:`flash_forms`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

import msgspec

from ingester.classify import parties
from ingester.classify._names import is_name, name_after, name_before
from ingester.classify._reading import Analysis, analyse, skip_fillers, skip_roles
from ingester.classify._text import Token
from ingester.classify.places import CONNECTORS, Places
from ingester.events import Constituency, Outcome, Party

# "take" and its forms: a gain, but only with a seat after it.
TAKE_WORDS: Final = frozenset(
    {"take", "takes", "took", "taken", "taking", "retake", "retakes", "retook", "retaken", "retaking"}
)
VERBS: Final[dict[str, str]] = {
    **dict.fromkeys(("gain", "gains", "gained", "seize", "seizes", "seized", "snatch", "snatches",
                     "snatched", "capture", "captures", "captured", "grab", "grabs", "grabbed", "regain",
                     "regains", "regained", "recapture", "recaptures", "recaptured"), "gain"),
    **dict.fromkeys(TAKE_WORDS, "gain"),
    **dict.fromkeys(("win", "wins", "won", "claim", "claims", "claimed"), "win"),
    **dict.fromkeys(("hold", "holds", "held", "retain", "retains", "retained", "keep", "keeps", "kept",
                     "hang", "hangs", "hung", "cling", "clings", "clung", "re-elected", "re-elects"), "hold"),
    **dict.fromkeys(("change", "changes", "changed", "switch", "switches", "switched", "turn", "turns",
                     "turned", "go", "goes", "went", "flip", "flips", "flipped", "swing", "swings", "swung"),
                    "change"),
    **dict.fromkeys(("remain", "remains", "remained", "stay", "stays", "stayed"), "remain"),
    **dict.fromkeys(("fall", "falls", "fell"), "fall"),
    **dict.fromkeys(("lose", "loses", "lost"), "lose"),
    # participles: "..., taking the seat from the Conservatives" (not where the sentence hedges)
    **dict.fromkeys(("gaining", "seizing", "snatching", "capturing", "grabbing", "regaining"), "gain"),
    **dict.fromkeys(("winning", "claiming"), "win"),
    **dict.fromkeys(("holding", "retaining", "keeping"), "hold"),
    **dict.fromkeys(("losing",), "lose"),
}  # fmt: skip
_DEFEAT: Final = frozenset({"defeats", "defeated", "defeating", "beats", "beat", "beating"})
OUST_WORDS: Final = frozenset(
    {"ousts", "ousted", "ousting", "unseats", "unseated", "unseating", "topples", "toppled", "toppling",
     "overturns", "overturned", "overturning", "overturn"}
)  # fmt: skip
DEFEAT_WORDS: Final = _DEFEAT | OUST_WORDS
AUXILIARIES: Final = frozenset(
    {"has", "have", "had", "also", "now", "comfortably", "narrowly", "easily", "finally", "officially",
     "duly", "successfully", "convincingly", "is", "was", "been", "both", "all", "again", "just", "who",
     "resoundingly", "dramatically"}
)  # fmt: skip
_OBJECT_STOPS: Final = frozenset(
    {"from", "as", "with", "after", "by", "for", "at", "to", "in", "on", "over", "ahead", "while"}
)
_LABELS: Final = frozenset({"result", "results", "breaking", "declaration", "latest", "update", "confirmed", "flash"})
_CALL_WORDS: Final = frozenset({"gain", "gains", "hold", "holds", "from", "the", "-", "win", "wins"})


class Call(msgspec.Struct, frozen=True, gc=False):
    """One verb's reading; any field may still be missing."""

    seat: Constituency | None
    party: Party | None
    outcome: Outcome | None
    gained_from: Party | None = None
    candidate: str | None = None
    defeated: str | None = None
    standalone: bool = False  # the sentence is nothing but calls: "LAB HOLD"
    beaten: Party | None = None  # the party of a candidate the winner beat: gained_from, if a gain


class Defeat(msgspec.Struct, frozen=True, gc=False):
    winner: str | None
    loser: str | None
    party: Party | None
    ousted: bool  # the loser held the seat: "unseating", "toppling", "overturning the ... majority"


NO_DEFEAT: Final = Defeat(None, None, None, False)


class Reading:
    """One sentence's analysis with the context the readers need."""

    __slots__ = ("analysis", "blocked", "ends", "lows", "on", "places", "starts", "toks")

    def __init__(self, text: str, places: Places, on: date | None) -> None:
        found: Analysis = analyse(text)
        self.analysis = found
        self.toks: Sequence[Token] = found.toks
        self.blocked = found.blocked
        self.starts = found.starts
        self.ends = found.ends
        self.lows = found.lows
        self.places = places
        self.on = on


# ----------------------------------------------------------------------------- party (or person) verbs


def party_as_subject(reading: Reading, verb: int, kind: str) -> list[Call]:
    found = subject(reading, verb)
    if found is None:
        return []
    party, candidate, start = found
    after = verb + 1
    toks = reading.toks
    if many_seats(reading, after):
        return []
    if kind == "hold" and after < len(toks) and toks[after].low in ("on", "onto"):
        after += 2 if toks[after].low == "on" and after + 1 < len(toks) and toks[after + 1].low == "to" else 1
    if kind != "hold" and after < len(toks) and toks[after].low == "back":  # "wins back", "takes back"
        kind, after = "gain", after + 1
    taking = toks[verb].low in TAKE_WORDS
    if taking and not _seat_after_take(reading, after):
        return []
    seats, after = read_object(reading, after)
    if not seats and after < len(toks) and toks[after].low == "it":  # "..., taking it from the Tories"
        after += 1
    gained_from, defeated = from_clause(reading, after)
    if gained_from is None and defeated is None:  # "takes High Peak for Labour from the Conservatives"
        after_party = _after_for_party(reading, after)
        if after_party != after:
            gained_from, defeated = from_clause(reading, after_party)
    party = party or _party_after_object(reading, after)
    outcome: Outcome | None = "hold" if kind == "hold" else "gain"
    if kind == "win" and gained_from is None and defeated is None:
        outcome = None
    if not seats:
        seats = seat_first(reading, start)
    if not seats:
        standalone = all(i in reading.blocked or t.low in _CALL_WORDS for i, t in enumerate(toks))
        return [Call(None, party, outcome, gained_from, candidate, defeated, standalone)]
    return [Call(seat, party, outcome, gained_from, candidate, defeated) for seat in seats]


def _seat_after_take(reading: Reading, at: int) -> bool:
    """Whether what follows "takes" can be a seat: a capitalised word, "the/his seat", "it", "in X", or
    nothing (a seat written first: "Mid Derbyshire: Labour take"); not "the lead", "second place"."""
    toks = reading.toks
    if at >= len(toks) or toks[at].cap or toks[at].low in ("it", "in"):
        return True
    if toks[at].low in ("the", "his", "her", "their", "its"):
        return not _SEAT_WORDS.isdisjoint([t.low for t in toks[at + 1 : at + 4]])
    return False


def many_seats(reading: Reading, at: int) -> bool:
    """ "gained eight seats", "lost 20 seats to Labour": a count of seats, not a call for one."""
    if _MANY_SEATS.isdisjoint(reading.lows):
        return False
    return not _MANY_SEATS.isdisjoint([t.low for t in reading.toks[at : at + 4]])


_SEAT_WORDS: Final = frozenset({"seat", "constituency"})
_MANY_SEATS: Final = frozenset({"seats", "constituencies", "mps"})


def subject(reading: Reading, verb: int) -> tuple[Party | None, str | None, int] | None:
    """(party, candidate, first token) of the subject that ends before the verb, or None."""
    end = verb
    while end > 0 and verb - end < 3 and reading.toks[end - 1].low in AUXILIARIES:
        end -= 1
    mention = reading.ends.get(end)
    if mention is not None and not mention.possessive:
        named = (
            name_before(reading.toks, mention.start, reading.blocked)
            if "(" in reading.toks[mention.start].lead
            else None
        )
        return (mention.party, named[0], named[1]) if named else (mention.party, None, mention.start)
    named = name_before(reading.toks, end, reading.blocked)
    if named is None:
        return None
    party, first = party_before(reading, named[1])
    return party, named[0], first


def party_before(reading: Reading, start: int) -> tuple[Party | None, int]:
    """The party written just before a person's name at token ``start``: "Labour's X", "the
    Conservative MP X", "Labour candidate X"; (party, index where it starts) or (None, start)."""
    at = start
    while reading.ends.get(at) is None and at > 0 and start - at < 2 and reading.toks[at - 1].low in _ROLE_BEFORE_NAME:
        at -= 1
    mention = reading.ends.get(at)
    return (mention.party, mention.start) if mention is not None else (None, start)


_ROLE_BEFORE_NAME: Final = frozenset({"candidate", "mp", "incumbent", "minister", "challenger", "stalwart"})
_OWNERS: Final = ("his", "her", "their", "the", "its")


def read_object(reading: Reading, at: int) -> tuple[list[Constituency], int]:
    """The seats after a verb: "Mid Derbyshire", "in Chesterfield", "A, B and C", "his X seat",
    "her seat in X"."""
    toks = reading.toks
    if at < len(toks) and toks[at].low in _OWNERS and not (toks[at].word == "The" and _joins(reading, at)):
        return _own_seat(reading, at)  # (but "The Wrekin" is a name)
    if at < len(toks) and toks[at].low == "in":
        at += 1
    elif at + 2 < len(toks) and toks[at].low == "as" and toks[at + 1].word == "MP" and toks[at + 2].low == "for":
        at += 3
    text, end = seat_run(reading, at)
    if not text:
        return [], at
    return reading.places.seats(text, split_and=False, on=reading.on), end


def _own_seat(reading: Reading, at: int) -> tuple[list[Constituency], int]:
    """ "his Chesterfield seat", "her seat in Erewash", "the seat", "his seat"."""
    toks = reading.toks
    for end in range(at + 1, min(at + 8, len(toks))):
        if toks[end].low != "seat":
            continue
        if end > at + 1:
            seat = reading.places.seat(" ".join([t.word for t in toks[at + 1 : end]]), reading.on)
            return ([seat] if seat else []), end + 1
        if end + 2 < len(toks) and toks[end + 1].low in ("in", "of", "at"):
            text, stop = seat_run(reading, end + 2)
            if text:
                return reading.places.seats(text, split_and=False, on=reading.on), stop
        return [], end + 1
    if toks[at].low == "the" and _joins(reading, at) and reading.places.codes(reading.on):
        text, stop = seat_run(reading, at + 1)  # "Labour hold the Wrekin": a name the gazetteer knows
        seat = reading.places.known(f"The {text}", reading.on) if text else None
        if seat is not None:
            return [seat], stop
    return [], at


def seat_run(reading: Reading, at: int) -> tuple[str, int]:
    """The capitalised run of a seat or a list of seats from ``at``: (text, end index). Small words
    join capitalised ones ("Kingston upon Hull", "Doncaster East and the Isle of Axholme"), and so
    does a possessive ("Queen's Park"); ``Places.seats`` decides whether the run is one seat or several."""
    toks = reading.toks
    blocked = reading.blocked
    count = len(toks)
    limit = min(count, at + 30)
    parts: list[str] = []
    commas = False
    end = at
    while end < limit:
        token = toks[end]
        low = token.low
        if end in blocked or low in _OBJECT_STOPS or low in VERBS:
            break
        if not (token.cap or token.word.startswith("h-") or (low in CONNECTORS and parts and _joins(reading, end))):
            break
        trail = token.trail
        if token.possessive:
            if trail or not _joins(reading, end):
                return "", at  # "Derbyshire's biggest majority": not the object
            parts.append(token.word + "'s")
        elif trail.startswith(","):
            parts.append(token.word + ",")
            commas = True
        else:
            parts.append(token.word)
        end += 1
        if trail and not (trail.startswith(",") and end < count):
            break
    text = " ".join(parts)
    if commas and end < count and (toks[end].low in VERBS or toks[end].low in DEFEAT_WORDS):
        items = text.split(", ")
        if len(items) > 1 and is_name(items[-1]):
            # "Derby South, Baggy Shanker beating ...": the last item is the next verb's subject
            return ", ".join(items[:-1]), end - len(items[-1].split())
    return text.rstrip(","), end


def _joins(reading: Reading, at: int) -> bool:
    """Whether a capitalised word of the run follows token ``at``, straight after it or after one more
    small word ("and the Isle"); a party's word ends a run."""
    toks = reading.toks
    after = at + 1
    if after + 1 < len(toks) and toks[after].low in CONNECTORS and not toks[after].cap and not toks[at].trail:
        after += 1
    return after < len(toks) and toks[after].cap and after not in reading.blocked and not toks[after - 1].trail


def seat_first(reading: Reading, start: int) -> list[Constituency]:
    """ "Mid Derbyshire: Labour gain", "Mid Derbyshire - LAB GAIN", "Result: Bolsover - Labour gain":
    the seat before the subject."""
    toks = reading.toks
    end = start
    if end > 0 and toks[end - 1].word == "-":
        end -= 1
    elif not (end > 0 and ":" in toks[end - 1].trail):
        return []
    first = 1 if toks and toks[0].trail == ":" and toks[0].low in _LABELS else 0
    text, stop = seat_run(reading, first)
    return reading.places.seats(text, split_and=False, on=reading.on) if stop == end else []


def from_clause(reading: Reading, at: int) -> tuple[Party | None, str | None]:
    """After "from": "the Tories", "blue", "Lee Rowley of the Conservatives", "the Tories' X"."""
    toks = reading.toks
    if at < len(toks) and toks[at].trail.startswith(","):
        at += 1
    if not (at < len(toks) and toks[at].low == "from"):
        return None, None
    at = skip_fillers(toks, at + 1)
    mention = reading.starts.get(at)
    if mention is not None:
        named = name_after(toks, skip_roles(toks, mention.end), reading.blocked)
        return mention.party, named[0] if named else None
    if at < len(toks) and parties.colour(toks[at].word) is not None:
        return parties.colour(toks[at].word), None
    named = name_after(toks, at, reading.blocked)
    if named is None:
        return None, None
    return party_of_person(reading, named[1]), named[0]


def _party_after_object(reading: Reading, at: int) -> Party | None:
    """ "... for Labour", "... for the Conservatives", "..., the former seat of X, in Labour hands"."""
    if "for" not in reading.lows and "in" not in reading.lows:
        return None
    toks = reading.toks
    for index in range(at, min(at + 12, len(toks) - 1)):
        word = toks[index].low
        if word in VERBS or word in DEFEAT_WORDS:
            return None
        if word in ("for", "in"):
            mention = reading.starts.get(skip_fillers(toks, index + 1, 1))
            if mention is None:
                continue
            if word == "for" or (mention.end < len(toks) and toks[mention.end].low in ("hands", "control")):
                return mention.party
    return None


def _after_for_party(reading: Reading, at: int) -> int:
    """The index after "for Labour" / "for the Conservatives" at ``at``, else ``at``."""
    toks = reading.toks
    if at < len(toks) and toks[at].low == "for":
        mention = reading.starts.get(skip_fillers(toks, at + 1, 1))
        if mention is not None:
            return mention.end
    return at


def party_of_person(reading: Reading, after: int) -> Party | None:
    """ "... of the Conservatives", "... from the Conservative party", "... (Con)" after a name."""
    toks = reading.toks
    at = after
    if at < len(toks) and toks[at].low in ("of", "from"):
        at = skip_fillers(toks, at + 1, 1)
    mention = reading.starts.get(at)
    return mention.party if mention is not None and (at > after or "(" in toks[at].lead) else None
