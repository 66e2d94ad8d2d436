"""Flash: a call without figures. "Labour gain Mid Derbyshire", "LAB HOLD", "X takes Y from Z".

Each sentence is read around its verbs (:mod:`flash_read` has the forms); every verb gives a
:class:`Call` (seat, party, outcome, ...), possibly incomplete. Calls of one sentence fill each other's
gaps ("Labour wins in Chesterfield as Toby Perkins keeps his seat": the first gives seat and party,
the second the outcome and candidate); calls of one post are merged per seat, so that a headline
"Labour gain Erewash" and a body "Labour's Adam Thompson has won Erewash, unseating the Conservative
MP Maggie Throup" make one flash with both names and the party gained from. A call that names no
seat joins the seat's call that names the same person, or the post's only seat ("The Conservative
Mark Fletcher loses it after a single term"). A flash is published for every seat whose party and
outcome are known; a line that is only calls ("LAB HOLD") is about the page's seat
(``Places.page_seat``).

A sentence that is a projection, a forecast or another year's story is skipped (``_hedges.background``,
after asides that date themselves, "who was first elected in 2019", are set aside), and so is a verb
after a modal, an infinitive or a negation ("could win", "on course to gain").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Final

from msgspec.structs import replace

from ingester.classify._hedges import background, hedged_before, main_clause, modal
from ingester.classify._post import post_sentences, post_words, text_lines
from ingester.classify._reading import indices_of
from ingester.classify._scan import words
from ingester.classify._text import Sentence, election_day, election_year
from ingester.classify.base import RuleInput
from ingester.classify.flash_forms import defeat, opening_seat, verb_calls
from ingester.classify.flash_read import DEFEAT_WORDS, NO_DEFEAT, VERBS, Call, Defeat, Reading
from ingester.classify.places import DEFAULT, Places
from ingester.events import Constituency, Flash, Outcome, Party, TypedEvent

__all__ = ["Call", "flash_rule", "merge_calls", "sentence_calls"]


# A sentence without one of these words cannot make a call: most are passed over on this alone.
_VERB_WORDS: Final = frozenset(VERBS)
_CALL_WORDS: Final = _VERB_WORDS | DEFEAT_WORDS
# Verbs that make a call only with a word beside them: "A and B change from blue to red", "A falls to
# Labour" (``flash_forms._seats_as_subject``).
_NEEDS: Final = {"change": "from", "fall": "to"}


def _may_call(lower_text: str) -> bool:
    """Whether a sentence (in lower case) has a word that can make a call; the same question the
    readers ask of its tokens, asked first of its words, so that most sentences cost next to nothing."""
    sentence_words = words(lower_text)
    for word in _CALL_WORDS.intersection(sentence_words):
        needs = _NEEDS.get(VERBS.get(word, ""))
        if needs is None or needs in sentence_words:
            return True
    return False


def flash_rule(post: RuleInput, found: Sequence[TypedEvent], places: Places = DEFAULT) -> list[Flash]:
    """Every seat the post calls, one flash each, in the order the post first names them."""
    if _CALL_WORDS.isdisjoint(post_words(post)):
        return []
    year, on = election_year(post), election_day(post)
    calls: list[Call] = []
    for sentence in post_sentences(post):
        if not _may_call(sentence.text.lower()):
            continue
        text = main_clause(sentence.text, year)
        if not background(text, year):
            calls.extend(sentence_calls(Sentence(text, sentence.line), places, on))
    if not calls:
        return []
    # the page's seat stands in only for a line that is nothing but calls ("LAB HOLD")
    standalone = any(c.standalone and c.seat is None for c in calls)
    page = places.page_seat(text_lines(post), post.headline is not None, on) if standalone else None
    already = {e.constituency.name.casefold() for e in found if isinstance(e, Flash)}
    out: list[Flash] = []
    for c in merge_calls(calls, page):
        if c.seat and c.party and c.outcome and c.seat.name.casefold() not in already:
            out.append(_flash(post, c, c.seat, c.party, c.outcome))
    return out


def _flash(post: RuleInput, call: Call, seat: Constituency, party: Party, outcome: Outcome) -> Flash:
    gained_from = call.gained_from
    if outcome == "gain" and gained_from is None and call.beaten is not None and call.beaten.code != party.code:
        gained_from = call.beaten
    if gained_from is not None and (outcome == "hold" or gained_from.code == party.code):
        gained_from = None
    return Flash(**post.envelope, constituency=seat, winner=party, outcome=outcome, gained_from=gained_from,
                 candidate=call.candidate, defeated=call.defeated)  # fmt: skip


def sentence_calls(sentence: Sentence, places: Places, on: date | None) -> list[Call]:
    reading = Reading(sentence.text, places, on)
    calls: list[Call] = []
    toks = reading.toks
    for index in indices_of(reading.analysis, _VERB_WORDS):
        token = toks[index]
        if "'" in token.trail or hedged_before(toks, index):
            continue
        if token.low.endswith("ing") and modal(sentence.text):  # "Labour gaining Bolsover would be..."
            continue
        calls.extend(verb_calls(reading, index, VERBS[token.low]))
    beaten = NO_DEFEAT if reading.lows.isdisjoint(DEFEAT_WORDS) else defeat(reading)
    if not calls and (beaten.winner or beaten.loser):
        # "Jonathan Davies defeats Luke Gardiner from the Conservative party": names for the post's call
        calls = [Call(None, None, None, candidate=beaten.winner, defeated=beaten.loser, beaten=beaten.party)]
    calls = _within_sentence(calls, beaten)
    if calls and None in [c.seat for c in calls]:
        seat = opening_seat(reading)
        calls = [replace(c, seat=seat) if c.seat is None and seat is not None else c for c in calls]
    return calls


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
    if loose and seated:
        _place_loose(seated, loose)
    return list(seated.values())


def _place_loose(seated: dict[str, Call], loose: list[Call]) -> None:
    """A call without a seat joins the call that names the same person, else the post's only seat."""
    by_person: dict[str, str] = {}
    for name, call in seated.items():
        for person in (call.candidate, call.defeated):
            if person:
                by_person.setdefault(person, name)
    only = next(iter(seated)) if len(seated) == 1 else None
    for call in loose:
        target = by_person.get(call.candidate or "") or by_person.get(call.defeated or "") or only
        if target is not None and _agrees(seated[target], call):
            seated[target] = _fill(seated[target], call)


def _agrees(call: Call, loose: Call) -> bool:
    """A loose call may fill ``call`` unless it names another winner, or the winner as the loser."""
    if loose.party and call.party and loose.party.code != call.party.code:
        return False
    return not (loose.beaten and call.party and loose.beaten.code == call.party.code)


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
        beaten=first.beaten or later.beaten,
    )


def _within_sentence(calls: list[Call], beaten: Defeat) -> list[Call]:
    """Calls of one sentence about one seat fill each other; the defeat clause fills them all."""
    if len(calls) <= 1 and beaten is NO_DEFEAT:
        return calls
    seats = {c.seat.name.casefold() for c in calls if c.seat is not None}
    if len(seats) <= 1 and len(calls) > 1:
        merged = calls[0]
        for call in calls[1:]:
            merged = _fill(merged, call)
        calls = [merged]
    if len(seats) > 1 or not (beaten.winner or beaten.loser or beaten.party):
        return calls
    out = []
    for call in calls:
        if beaten.party and call.party and beaten.party.code == call.party.code:
            out.append(call)  # "Labour hold X, defeating ... Labour's own" cannot be right: leave it
            continue
        outcome = call.outcome or ("gain" if beaten.ousted and beaten.party else None)
        out.append(
            replace(
                call,
                outcome=outcome,
                candidate=call.candidate or beaten.winner,
                defeated=call.defeated or beaten.loser,
                beaten=call.beaten or beaten.party,
            )
        )
    return out
