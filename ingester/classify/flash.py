"""Flash: a call without figures. "Labour gain Mid Derbyshire", "LAB HOLD", "X takes Y from Z".

Each sentence is read around its verbs; every verb gives a :class:`Call` (seat, party, outcome, ...),
possibly incomplete. Calls of one sentence fill each other's gaps ("Labour wins in Chesterfield as
Toby Perkins keeps his seat": the first gives seat and party, the second the outcome and candidate);
calls of one post are merged per seat; a flash is published for every seat whose party and outcome
are known. The verb forms are in ``_VERBS``; what each reads:

- gain/seize/snatch X (from Y) -> gain; win/take X -> gain only with "from Y"; hold/retain/keep X,
  hold on to X, "keeps his (X) seat" -> hold; subject a party, "Labour's Louise Jones", a name;
- seat first: "Mid Derbyshire: Labour gain from Conservative", "Mid Derbyshire - LAB GAIN FROM CON";
- seats as subject: "A, B and C change from blue to red" (gain), "A and B remain under Labour
  control" / "stay red" (hold), "A falls to Labour" (gain);
- a line that is only calls ("LAB HOLD") is about the page's seat (``Places.page_seat``);
- "as X defeats Y of the Conservatives" / "defeating Conservatives' Y" adds candidate and defeated.

A sentence that is a projection, a forecast or another year's story is skipped (``_text.background``)
and so is a verb after a modal, an infinitive or a negation ("could win", "on course to gain").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

from ingester.classify import parties
from ingester.classify._text import (
    Sentence,
    background,
    election_day,
    election_year,
    hedged_before,
    name_after,
    name_before,
    post_sentences,
    text_lines,
    tokens,
)
from ingester.classify.base import RuleInput
from ingester.classify.parties import Mention
from ingester.classify.places import DEFAULT, Places
from ingester.events import Constituency, Flash, Outcome, Party, TypedEvent

_VERBS: Final[dict[str, str]] = {
    **dict.fromkeys(("gain", "gains", "gained", "seize", "seizes", "seized", "snatch", "snatches",
                     "snatched", "capture", "captures", "captured", "grab", "grabs", "grabbed"), "gain"),
    **dict.fromkeys(("win", "wins", "won", "take", "takes", "took", "taken", "claim", "claims", "claimed"),
                    "win"),
    **dict.fromkeys(("hold", "holds", "held", "retain", "retains", "retained", "keep", "keeps", "kept",
                     "hang", "hangs", "hung", "cling", "clings", "clung", "re-elected"), "hold"),
    **dict.fromkeys(("change", "changes", "changed", "switch", "switches", "switched", "turn", "turns",
                     "turned", "go", "goes", "went", "flip", "flips", "flipped", "swing", "swings", "swung"),
                    "change"),
    **dict.fromkeys(("remain", "remains", "remained", "stay", "stays", "stayed"), "remain"),
    **dict.fromkeys(("fall", "falls", "fell"), "fall"),
}  # fmt: skip
_VERB_HINT: Final = re.compile(r"\b(?:" + "|".join(sorted(_VERBS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_PLURAL: Final = frozenset({"change", "switch", "turn", "go", "flip", "swing", "remain", "stay", "fall"})
_DEFEAT: Final = frozenset(
    {"defeats", "defeated", "defeating", "beats", "beat", "beating", "ousts", "ousted", "ousting",
     "unseats", "unseated", "unseating", "topples", "toppled", "toppling"}
)  # fmt: skip
_AUXILIARIES: Final = frozenset(
    {"has", "have", "had", "also", "now", "comfortably", "narrowly", "easily", "finally", "officially",
     "duly", "successfully", "convincingly", "is", "was", "been", "both", "all", "again", "just"}
)  # fmt: skip
_OBJECT_STOPS: Final = frozenset(
    {"from", "as", "with", "after", "by", "for", "at", "to", "in", "on", "over", "ahead", "while"}
)
_CONNECTORS: Final = frozenset({"and", "&", "of", "upon", "under", "the"})
_CALL_WORDS: Final = frozenset({"gain", "gains", "hold", "holds", "from", "the", "-", "win", "wins"})


@dataclass(frozen=True, slots=True)
class Call:
    """One verb's reading; any field may still be missing."""

    seat: Constituency | None
    party: Party | None
    outcome: Outcome | None
    gained_from: Party | None = None
    candidate: str | None = None
    defeated: str | None = None
    standalone: bool = False  # the sentence is nothing but calls: "LAB HOLD"


class _Reading:
    """One sentence's tokens and party mentions, with the context the readers need."""

    def __init__(self, text: str, places: Places, on: date | None) -> None:
        self.toks = tokens(text)
        self.mentions = parties.mentions(self.toks)
        self.blocked = parties.covered(self.mentions)
        self.ends = {m.end: m for m in self.mentions}
        self.starts = {m.start: m for m in self.mentions}
        self.places = places
        self.on = on


def flash_rule(post: RuleInput, found: Sequence[TypedEvent], places: Places = DEFAULT) -> list[Flash]:
    """Every seat the post calls, one flash each, in the order the post first names them."""
    lines = text_lines(post)
    year, on = election_year(post), election_day(post)
    calls: list[Call] = []
    for sentence in post_sentences(post):
        if _VERB_HINT.search(sentence.text) and not background(sentence.text, year):
            calls.extend(sentence_calls(sentence, places, on))
    page = places.page_seat(lines, post.headline is not None, on)
    already = {e.constituency.name.casefold() for e in found if isinstance(e, Flash)}
    out: list[Flash] = []
    for c in merge_calls(calls, page):
        if c.seat and c.party and c.outcome and c.seat.name.casefold() not in already:
            out.append(_flash(post, c, c.seat, c.party, c.outcome))
    return out


def _flash(post: RuleInput, call: Call, seat: Constituency, party: Party, outcome: Outcome) -> Flash:
    return Flash(**post.envelope, constituency=seat, winner=party, outcome=outcome, gained_from=call.gained_from,
                 candidate=call.candidate, defeated=call.defeated)  # fmt: skip


def sentence_calls(sentence: Sentence, places: Places, on: date | None) -> list[Call]:
    reading = _Reading(sentence.text, places, on)
    calls: list[Call] = []
    for index, token in enumerate(reading.toks):
        kind = _VERBS.get(token.low)
        if kind is None or "'" in token.trail or hedged_before(reading.toks, index):
            continue
        if kind in ("change", "remain", "fall"):
            calls.extend(_seats_as_subject(reading, index, kind))
        else:
            calls.extend(_party_as_subject(reading, index, kind))
    return _within_sentence(calls, _defeat(reading))


def merge_calls(calls: Iterable[Call], page: Constituency | None) -> list[Call]:
    """One call per seat: later calls fill what earlier ones left open, if they agree on the party."""
    seated: dict[str, Call] = {}
    loose: list[Call] = []
    for call in calls:
        if call.seat is None and call.standalone and page is not None:
            call = replace(call, seat=page)
        if call.seat is None:
            loose.append(call)
            continue
        name = call.seat.name.casefold()
        seated[name] = _fill(seated[name], call) if name in seated else call
    for call in loose:  # "Toby Perkins keeps his seat": joins the call that names him
        for name, other in seated.items():
            if call.candidate and other.candidate == call.candidate:
                seated[name] = _fill(other, call)
    return list(seated.values())


def _fill(first: Call, later: Call) -> Call:
    if first.party and later.party and first.party.code != later.party.code:
        return first
    if first.outcome and later.outcome and first.outcome != later.outcome:
        return first
    return Call(
        seat=first.seat or later.seat,
        party=first.party or later.party,
        outcome=first.outcome or later.outcome,
        gained_from=first.gained_from or later.gained_from,
        candidate=first.candidate or later.candidate,
        defeated=first.defeated or later.defeated,
        standalone=first.standalone and later.standalone,
    )


def _within_sentence(calls: list[Call], defeat: tuple[str | None, str | None, Party | None]) -> list[Call]:
    """Calls of one sentence about one seat fill each other; the defeat clause fills them all."""
    seats = {c.seat.name.casefold() for c in calls if c.seat is not None}
    if len(seats) == 1:
        merged: Call | None = None
        for call in calls:
            merged = call if merged is None else _fill(merged, call)
        calls = [merged] if merged is not None else []
    winner, loser, loser_party = defeat
    if len(seats) > 1 or not (winner or loser):
        return calls
    out = []
    for call in calls:
        gained_from = call.gained_from
        if call.outcome == "gain" and gained_from is None and loser_party is not None:
            gained_from = loser_party
        out.append(
            replace(call, candidate=call.candidate or winner, defeated=call.defeated or loser, gained_from=gained_from)
        )
    return out


# ----------------------------------------------------------------------------- party (or person) verbs


def _party_as_subject(reading: _Reading, verb: int, kind: str) -> list[Call]:
    subject = _subject(reading, verb)
    if subject is None:
        return []
    party, candidate, start = subject
    after = verb + 1
    toks = reading.toks
    if kind == "hold" and after < len(toks) and toks[after].low in ("on", "onto"):
        after += 2 if toks[after].low == "on" and after + 1 < len(toks) and toks[after + 1].low == "to" else 1
    seats, after = _object(reading, after)
    gained_from, defeated = _from_clause(reading, after)
    outcome: Outcome | None = "hold" if kind == "hold" else "gain"
    if kind == "win" and gained_from is None and defeated is None:
        outcome = None
    if not seats:
        seats = _seat_first(reading, start)
    standalone = all(i in reading.blocked or t.low in _CALL_WORDS for i, t in enumerate(toks))
    if not seats:
        return [Call(None, party, outcome, gained_from, candidate, defeated, standalone)]
    return [Call(seat, party, outcome, gained_from, candidate, defeated) for seat in seats]


def _subject(reading: _Reading, verb: int) -> tuple[Party | None, str | None, int] | None:
    """(party, candidate, first token) of the subject that ends before the verb, or None."""
    end = verb
    while end > 0 and verb - end < 3 and reading.toks[end - 1].low in _AUXILIARIES:
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
    name, start = named
    before = reading.ends.get(start)
    if before is None and start > 0 and reading.toks[start - 1].low in ("candidate", "mp"):
        before = reading.ends.get(start - 1)
    return (before.party if before else None), name, (before.start if before else start)


def _object(reading: _Reading, at: int) -> tuple[list[Constituency], int]:
    """The seats after a verb: "Mid Derbyshire", "in Chesterfield", "A, B and C", "his X seat"."""
    toks = reading.toks
    if at < len(toks) and toks[at].low in ("his", "her", "their"):
        for end in range(at + 1, min(at + 8, len(toks))):
            if toks[end].low == "seat":
                if end == at + 1:
                    return [], end + 1
                seat = reading.places.seat(" ".join(t.word for t in toks[at + 1 : end]), reading.on)
                return ([seat] if seat else []), end + 1
        return [], at
    if at < len(toks) and toks[at].low == "in":
        at += 1
    elif at + 2 < len(toks) and toks[at].low == "as" and toks[at + 1].word == "MP" and toks[at + 2].low == "for":
        at += 3
    text, end, commas = _seat_run(reading, at)
    if not text:
        return [], at
    return reading.places.seats(text, split_and=commas, on=reading.on), end


def _seat_run(reading: _Reading, at: int) -> tuple[str, int, bool]:
    """The capitalised run of a seat list from ``at``: (text, end index, had commas)."""
    toks = reading.toks
    parts: list[str] = []
    commas = False
    end = at
    while end < len(toks) and end - at < 30:
        token = toks[end]
        if end in reading.blocked or token.low in _OBJECT_STOPS or token.low in _VERBS:
            break
        following = end + 1 < len(toks) and toks[end + 1].cap and end + 1 not in reading.blocked
        if not (token.cap or (token.low in _CONNECTORS and parts and following)):
            break
        if token.possessive:
            return "", at, False  # "Derbyshire's biggest majority": not the object
        parts.append(token.word + ("," if token.trail.startswith(",") else ""))
        end += 1
        if token.trail and not (token.trail.startswith(",") and end < len(toks)):
            break
        commas = commas or token.trail.startswith(",")
    return " ".join(parts).rstrip(","), end, commas


def _seat_first(reading: _Reading, start: int) -> list[Constituency]:
    """ "Mid Derbyshire: Labour gain", "Mid Derbyshire - LAB GAIN": the seat before the subject."""
    toks = reading.toks
    end = start
    if end > 0 and toks[end - 1].word == "-":
        end -= 1
    elif not (end > 0 and ":" in toks[end - 1].trail):
        return []
    text, stop, commas = _seat_run(reading, 0)
    return reading.places.seats(text, split_and=commas, on=reading.on) if stop == end else []


def _from_clause(reading: _Reading, at: int) -> tuple[Party | None, str | None]:
    """After "from": "the Tories", "blue", "Lee Rowley of the Conservatives", "the Tories' X"."""
    toks = reading.toks
    if at < len(toks) and toks[at].trail.startswith(","):
        at += 1
    if not (at < len(toks) and toks[at].low == "from"):
        return None, None
    at += 1
    if at < len(toks) and toks[at].low == "the":
        at += 1
    mention = reading.starts.get(at)
    if mention is not None:
        named = name_after(toks, mention.end, reading.blocked) if mention.possessive else None
        return mention.party, named[0] if named else None
    if at < len(toks) and parties.colour(toks[at].word) is not None:
        return parties.colour(toks[at].word), None
    named = name_after(toks, at, reading.blocked)
    if named is None:
        return None, None
    return _party_of_person(reading, named[1]), named[0]


def _party_of_person(reading: _Reading, after: int) -> Party | None:
    """ "... of the Conservatives", "... from the Conservative party", "... (Con)" after a name."""
    toks = reading.toks
    at = after
    if at < len(toks) and toks[at].low in ("of", "from"):
        at += 1
        if at < len(toks) and toks[at].low == "the":
            at += 1
    mention = reading.starts.get(at)
    return mention.party if mention is not None and (at > after or "(" in toks[at].lead) else None


def _defeat(reading: _Reading) -> tuple[str | None, str | None, Party | None]:
    """ "as Jonathan Davies defeats Luke Gardiner from the Conservative party": winner, loser, party."""
    toks = reading.toks
    for index, token in enumerate(toks):
        if token.low not in _DEFEAT or hedged_before(toks, index, 3):
            continue
        winner = name_before(toks, index, reading.blocked)
        at = index + 1
        mention = reading.starts.get(at)
        if mention is not None:
            at = mention.end
        loser = name_after(toks, at, reading.blocked)
        if loser is None:
            return (winner[0] if winner else None), None, (mention.party if mention else None)
        party = mention.party if mention is not None else _party_of_person(reading, loser[1])
        return (winner[0] if winner else None), loser[0], party
    return None, None, None


# ------------------------------------------------------------------------------------- seats as subject


def _seats_as_subject(reading: _Reading, verb: int, kind: str) -> list[Call]:
    """ "A, B and C (also) change from blue to red", "A and B remain under Labour control"."""
    toks = reading.toks
    end = verb
    while end > 0 and toks[end - 1].low in _AUXILIARIES:
        end -= 1
    text, stop, commas = _seat_run(reading, 0)
    if not text or stop != end:
        return []
    plural = toks[verb].low in _PLURAL
    seats = reading.places.seats(text, split_and=commas or plural, on=reading.on)
    if kind == "change":
        after = verb + 2 if verb + 1 < len(toks) and toks[verb + 1].low == "hands" else verb + 1
        before, now = _from_to(reading, after)
        if before is None or now is None or before.code == now.code:
            return []
        return [Call(seat, now, "gain", before) for seat in seats]
    at = verb + 1
    if at < len(toks) and toks[at].low in (("under", "in", "with") if kind == "remain" else ("to",)):
        at += 1
    elif kind == "fall":
        return []
    winner = _party_or_colour(reading, at)
    if winner is None:
        return []
    return [Call(seat, winner[0], "hold" if kind == "remain" else "gain") for seat in seats]


def _from_to(reading: _Reading, at: int) -> tuple[Party | None, Party | None]:
    toks = reading.toks
    if not (at < len(toks) and toks[at].low == "from"):
        return None, None
    before = _party_or_colour(reading, at + 1)
    if before is None or before[1] >= len(toks) or toks[before[1]].low != "to":
        return None, None
    now = _party_or_colour(reading, before[1] + 1)
    return before[0], (now[0] if now else None)


def _party_or_colour(reading: _Reading, at: int) -> tuple[Party, int] | None:
    """A party or a party colour at token ``at``: (party, index after it)."""
    toks = reading.toks
    if at < len(toks) and toks[at].low == "the":
        at += 1
    mention: Mention | None = reading.starts.get(at)
    if mention is not None:
        return mention.party, mention.end
    for width in (2, 1):
        if at + width <= len(toks):
            found = parties.colour(" ".join(t.word for t in toks[at : at + width]))
            if found is not None:
                return found, at + width
    return None
