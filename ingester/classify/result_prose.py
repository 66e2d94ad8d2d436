"""Result from vote figures in prose, for a seat no list of the same post has read.

"Toby Perkins has kept his Chesterfield seat as he receives 19, 316 votes defeating Conservatives'
Ben Flook who picked up 8,496 votes" -> a partial result (``complete`` false) with two candidates.
Each exact "N votes" goes with the first person named since the previous figure; an approximate
figure ("nearly 9,000 votes") spoils the sentence. A candidate's party and the seat come from the
post's flash that names them, else from the sentence ("Conservatives' Ben Flook", "his X seat",
"in X"). Not from a projection, a modal sentence or another year's story.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Final

from ingester.classify import parties
from ingester.classify._text import (
    COUNT,
    background,
    election_day,
    election_year,
    modal,
    name_after,
    parse_count,
    post_sentences,
    tokens,
)
from ingester.classify.base import RuleInput
from ingester.classify.places import DEFAULT, Places
from ingester.classify.result import Figures, build_result
from ingester.events import Candidate, Constituency, Flash, Party, Result, TypedEvent

_VOTES_IN_PROSE: Final = re.compile(COUNT + r" votes\b")
_SEAT_IN_PROSE: Final = re.compile(
    r"\b(?:his|her|their) (?P<seat>[A-Z][\w'-]*(?: [A-Z][\w'-]*){0,5}) seat\b"
    r"|\bin (?P<in>[A-Z][\w'-]*(?: [A-Z][\w'-]*){0,5})"
)
_APPROXIMATE: Final = re.compile(
    r"(?i:\b(?:nearly|almost|around|about|some|over|under|more than|less than|roughly"
    r"|approximately|just over|just under|up to)\s*$)"
)


def prose_rule(post: RuleInput, found: Sequence[TypedEvent], places: Places = DEFAULT) -> list[Result]:
    """Vote figures in a sentence, for a seat no list has given: a partial result."""
    year, on = election_year(post), election_day(post)
    done = {e.constituency.name.casefold() for e in found if isinstance(e, Result)}
    flashes = [e for e in found if isinstance(e, Flash)]
    out: list[Result] = []
    for sentence in post_sentences(post):
        if "votes" not in sentence.text or background(sentence.text, year) or modal(sentence.text):
            continue
        candidates = _prose_candidates(sentence.text, flashes)
        if not candidates:
            continue
        seat = _prose_seat(sentence.text, candidates, flashes, places, on)
        if seat is None or seat.name.casefold() in done:
            continue
        done.add(seat.name.casefold())
        out.append(build_result(post, found, seat, candidates, complete=False, figures=Figures()))
    return out


def _prose_candidates(sentence: str, flashes: list[Flash]) -> list[Candidate]:
    """Each exact "N votes" with the first person named since the previous figure."""
    toks = tokens(sentence)
    found = parties.mentions(toks)
    blocked = parties.covered(found)
    by_end = {m.end: m for m in found}
    out: list[Candidate] = []
    start = 0
    for figure in _VOTES_IN_PROSE.finditer(sentence):
        if _APPROXIMATE.search(sentence[max(0, figure.start() - 20) : figure.start()]):
            return []
        votes = parse_count(figure.group().removesuffix(" votes"))
        segment = [i for i, t in enumerate(toks) if start <= t.start < figure.start()]
        start = figure.end()
        named = next((name_after(toks, i, blocked) for i in segment if name_after(toks, i, blocked)), None)
        if named is None or votes is None:
            continue
        name, end = named
        party = _flash_party(name, flashes)
        mention = by_end.get(end - len(name.split()))
        if party is None and mention is not None:
            party = mention.party
        out.append(
            Candidate(
                name=name,
                party=party or Party("OTH", "Unknown"),
                votes=votes,
                elected=any(f.candidate == name for f in flashes),
            )
        )
    return out


def _flash_party(name: str, flashes: list[Flash]) -> Party | None:
    return next((f.winner for f in flashes if f.candidate == name), None) or next(
        (f.gained_from for f in flashes if f.defeated == name), None
    )


def _prose_seat(
    sentence: str, candidates: list[Candidate], flashes: list[Flash], places: Places, on: date | None
) -> Constituency | None:
    names = {c.name for c in candidates}
    for flash in flashes:
        if flash.candidate in names or flash.defeated in names:
            return flash.constituency
    match = _SEAT_IN_PROSE.search(sentence)
    if match is None:
        return None
    return places.seat(match["seat"] or match["in"], on)
