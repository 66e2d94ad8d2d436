"""The forms of a call beyond "party verb seat", for :mod:`flash`.

- passive: "Bolsover was gained by Labour", "Derby South was held by Labour's Baggy Shanker";
- seats as subject: "A, B and C change from blue to red" (gain), "A and B remain under Labour
  control" / "stay red" (hold), "A falls to Labour" (gain);
- the loser as subject: "Conservative Lee Rowley lost his seat to Labour's Louise Jones", "lost her
  seat in Erewash to ...", "Conservatives lose Bolsover to Reform UK", "The Conservative Mark Fletcher
  loses it" (who lost, with no winner: it fills the post's call for the seat);
- a defeat clause adds names and the loser's party: "as X defeats Y of the Conservatives",
  "defeating the Conservative Y", "beating Conservatives' Y"; "unseating"/"ousting"/"toppling" the
  sitting MP, or "overturning the Conservative majority", also makes it a gain.

When the sentence names no seat where the verb wants one, the seat it opens with stands in: "In NE
Derbyshire, ...", "High Peak's most recent MP ...", "Bolsover Conservative Mark Fletcher ...".
"""

from __future__ import annotations

from typing import Final

from ingester.classify import parties
from ingester.classify._hedges import hedged_before
from ingester.classify._names import name_after, name_before
from ingester.classify._reading import indices_of, skip_fillers, skip_roles
from ingester.classify.flash_read import (
    AUXILIARIES,
    DEFEAT_WORDS,
    NO_DEFEAT,
    OUST_WORDS,
    Call,
    Defeat,
    Reading,
    from_clause,
    many_seats,
    party_as_subject,
    party_of_person,
    read_object,
    seat_run,
    subject,
)
from ingester.classify.places import CONNECTORS, place_run_before
from ingester.events import Constituency, Outcome, Party

_PLURAL: Final = frozenset({"change", "switch", "turn", "go", "flip", "swing", "remain", "stay", "fall"})
_PASSIVE_AUX: Final = frozenset({"was", "were", "is", "are", "been"})


def verb_calls(reading: Reading, index: int, kind: str) -> list[Call]:
    """The calls the verb at token ``index`` makes."""
    if kind in ("change", "remain", "fall"):
        return _seats_as_subject(reading, index, kind)
    if kind == "lose":
        return _loss(reading, index)
    passive = _passive(reading, index, kind)
    return passive if passive is not None else party_as_subject(reading, index, kind)


# -------------------------------------------------------------------------------------------- passive


def _passive(reading: Reading, verb: int, kind: str) -> list[Call] | None:
    """ "Bolsover was gained by Labour (from the Tories)", "... was held by Labour's X"; None when
    the verb is not passive."""
    toks = reading.toks
    if not (verb > 0 and toks[verb - 1].low in _PASSIVE_AUX and verb + 1 < len(toks) and toks[verb + 1].low == "by"):
        return None
    mention = reading.starts.get(skip_fillers(toks, verb + 2, 1))
    if mention is None:
        return []
    named = name_after(toks, skip_roles(toks, mention.end), reading.blocked) if mention.possessive else None
    end = named[1] if named else mention.end
    gained_from, defeated = from_clause(reading, end)
    outcome: Outcome | None = "hold" if kind == "hold" else "gain"
    if kind == "win" and gained_from is None:
        outcome = None
    aux = verb - 1
    while aux > 0 and toks[aux - 1].low in ("has", "have", "had", "now", "also"):
        aux -= 1
    plural = any(t.low in ("were", "are", "have") for t in toks[aux:verb])  # "A and B were held by Labour"
    seats = _run_before(reading, aux, plural=plural)
    candidate = named[0] if named else None
    return [Call(s, mention.party, outcome, gained_from, candidate, defeated) for s in seats]


def _run_before(reading: Reading, end: int, *, plural: bool) -> list[Constituency]:
    """The seats named by the capitalised run that ends just before token ``end``: "Bolsover",
    "Oldham West, Chadderton and Royton", "Queen's Park and Maida Vale"; several with a ``plural`` verb."""
    text = place_run_before(reading.toks, end, reading.blocked)
    return reading.places.seats(text, split_and=plural, on=reading.on) if text else []


# ----------------------------------------------------------------------------------------------- loss


def _loss(reading: Reading, verb: int) -> list[Call]:
    """ "Conservative Lee Rowley lost his seat to Labour's Louise Jones", "Conservatives lose Bolsover
    to Reform UK", "The Conservative Mark Fletcher loses it"."""
    found = subject(reading, verb)
    if found is None:
        return []
    loser_party, loser, _ = found
    toks = reading.toks
    at = verb + 1
    if many_seats(reading, at):
        return []
    seats: list[Constituency] = []
    if at < len(toks) and toks[at].low in ("it", "out", "narrowly"):
        at += 1
    elif at < len(toks) and toks[at].low != "to":
        seats, at = read_object(reading, at)
    if at < len(toks) and toks[at].low == "out":
        at += 1
    party, winner, at = _to_clause(reading, at)
    if not seats and at + 1 < len(toks) and toks[at].low == "in":  # "... lost to Labour's X in Bolsover"
        text, _ = seat_run(reading, at + 1)
        seats = reading.places.seats(text, split_and=False, on=reading.on) if text else []
    outcome: Outcome | None = "gain" if party is not None else None
    calls = [Call(seat, party, outcome, loser_party, winner, loser, beaten=loser_party) for seat in seats]
    return calls or [Call(None, party, outcome, loser_party, winner, loser, beaten=loser_party)]


def _to_clause(reading: Reading, at: int) -> tuple[Party | None, str | None, int]:
    """After "to": "Labour's Louise Jones", "victorious Labour candidate X", "Labour", "X of Labour";
    (party, name, index after the clause)."""
    toks = reading.toks
    if not (at < len(toks) and toks[at].low == "to"):
        return None, None, at
    at = skip_fillers(toks, at + 1)
    mention = reading.starts.get(at)
    if mention is not None:
        named = name_after(toks, skip_roles(toks, mention.end), reading.blocked)
        return mention.party, named[0] if named else None, named[1] if named else mention.end
    named = name_after(toks, at, reading.blocked)
    if named is None:
        return None, None, at
    return party_of_person(reading, named[1]), named[0], named[1]


# -------------------------------------------------------------------------------------------- defeats


def defeat(reading: Reading) -> Defeat:
    """The sentence's first defeat clause: "as X defeats Y from the Conservative party", "defeating
    the Conservative Y", "unseating the Conservative MP Y", "overturning the Conservative majority"."""
    toks = reading.toks
    for index in indices_of(reading.analysis, DEFEAT_WORDS):
        token = toks[index]
        if hedged_before(toks, index, 3):
            continue
        ousted = token.low in OUST_WORDS
        winner = name_before(toks, index, reading.blocked)
        winner_name = winner[0] if winner else None
        at = skip_fillers(toks, index + 1)
        mention = reading.starts.get(at)
        if mention is not None:
            if mention.end < len(toks) and toks[mention.end].low in ("majority", "seat", "stronghold"):
                return Defeat(winner_name, None, mention.party, True)
            at = skip_roles(toks, mention.end)
        loser = name_after(toks, at, reading.blocked)
        if loser is None:
            return Defeat(winner_name, None, mention.party if mention else None, ousted)
        party = mention.party if mention is not None else party_of_person(reading, loser[1])
        return Defeat(winner_name, loser[0], party, ousted)
    return NO_DEFEAT


# ------------------------------------------------------------------------------------- seats as subject


def _seats_as_subject(reading: Reading, verb: int, kind: str) -> list[Call]:
    """ "A, B and C (also) change from blue to red", "A and B remain under Labour control"."""
    toks = reading.toks
    end = verb
    while end > 0 and toks[end - 1].low in AUXILIARIES:
        end -= 1
    text, stop = seat_run(reading, 0)
    if not text or stop != end:
        return []
    plural = toks[verb].low in _PLURAL
    seats = reading.places.seats(text, split_and=plural, on=reading.on)
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


def _from_to(reading: Reading, at: int) -> tuple[Party | None, Party | None]:
    toks = reading.toks
    if not (at < len(toks) and toks[at].low == "from"):
        return None, None
    before = _party_or_colour(reading, at + 1)
    if before is None or before[1] >= len(toks) or toks[before[1]].low != "to":
        return None, None
    now = _party_or_colour(reading, before[1] + 1)
    return before[0], (now[0] if now else None)


def _party_or_colour(reading: Reading, at: int) -> tuple[Party, int] | None:
    """A party or a party colour at token ``at``: (party, index after it)."""
    toks = reading.toks
    if at < len(toks) and toks[at].low == "the":
        at += 1
    mention = reading.starts.get(at)
    if mention is not None:
        return mention.party, mention.end
    for width in (2, 1):
        if at + width <= len(toks):
            found = parties.colour(" ".join([t.word for t in toks[at : at + width]]))
            if found is not None:
                return found, at + width
    return None


# ------------------------------------------------------------------------------------- sentence's seat


def opening_seat(reading: Reading) -> Constituency | None:
    """The seat a sentence opens with, when it names one as its setting: "In NE Derbyshire, ...",
    "High Peak's most recent MP ...", "Bolsover Conservative Mark Fletcher ...", "Labour
    Chesterfield MP Toby Perkins ..."."""
    toks = reading.toks
    setting = bool(toks) and toks[0].low == "in"
    party_first = bool(toks) and 0 in reading.starts
    at = 1 if setting else reading.starts[0].end if party_first else 0
    end = at
    while end < len(toks) and end - at < 6 and end not in reading.blocked:
        token = toks[end]
        if not (token.cap or (end > at and token.low in CONNECTORS)):
            break
        end += 1
        if token.trail or token.possessive:
            break
    if end == at:
        return None
    last = toks[end - 1]
    opens = (
        (setting and last.trail.startswith(","))
        or (at == 0 and last.possessive)
        or (at == 0 and end in reading.starts and not last.trail)
        or (party_first and end < len(toks) and toks[end].word == "MP")
    )
    return reading.places.known(" ".join([t.word for t in toks[at:end]]), reading.on) if opens else None
