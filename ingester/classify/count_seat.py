"""The seat a sentence about a count or a recount is about (:mod:`count`, :mod:`recount`).

The seat is the one named just before the keyword ("Bolsover verification"), else "in/at/for X" in
the sentence, a seat an earlier rule found that the sentence names, the seat the sentence starts
with, "in/at/for X" in the sentences before it on the same line or in the headline, or a headline
that is a seat's name; else null.

The words before a keyword are the sentence's own first tokens when the keyword starts a word after
a space, and the words it starts with its own first ones: a sentence is cut into words once
(``_reading.sentence_tokens``) rather than once per keyword.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Final

from ingester.classify._reading import sentence_tokens
from ingester.classify._scan import Searcher, matches_at
from ingester.classify._text import Sentence, Token, election_day, tokens
from ingester.classify.base import RuleInput
from ingester.classify.places import SEAT_NAME, Places, place_run_before
from ingester.events import Constituency, Flash, Result, TypedEvent

# A word that makes a sentence about a count: every sentence a count is read from holds one.
COUNT_WORDS: Final = Searcher(
    re.compile(r"\b(?:count(?:s|ing)?|declar\w{0,7}|results?|verification)\b", re.I),
    ("count", "declar", "result", "verification"),
)
_SEAT_AFTER: Final = re.compile(r"\b(?:in|at|for|of) (?:the )?(?P<seat>" + SEAT_NAME + ")")
_SEAT_AFTER_STARTS: Final = ("in ", "at ", "for ", "of ")  # every match of ``_SEAT_AFTER`` starts so
_BEFORE_KEYWORD: Final = frozenset(
    {"is", "are", "has", "have", "been", "now", "count", "counts", "declaration", "result", "results", "counting"}
)
# A sentence's first 200 characters are read for a seat it starts with, its last 200 before a keyword.
_WINDOW: Final = 200


def sentence_seat(
    all_sentences: Sequence[Sentence],
    index: int,
    at: int,
    *,
    post: RuleInput,
    places: Places,
    found: Sequence[TypedEvent],
) -> Constituency | None:
    """The seat of sentence ``index`` whose keyword starts at ``at`` (see the module's docstring)."""
    on = election_day(post)
    sentence = all_sentences[index]
    seat = _seat_just_before(sentence.text, at, places, on) or _seat_after(sentence.text, places, on)
    keywords = COUNT_WORDS.finditer(sentence.text, sentence.text.lower()) if seat is None else ()
    for keyword in keywords:  # "the Bolsover declaration"
        seat = seat or _seat_just_before(sentence.text, keyword.start(), places, on)
    if seat is not None:
        return seat
    known = [e.constituency for e in found if isinstance(e, (Flash, Result))]
    seat = next((c for c in known if c.name in sentence.text), None)
    if seat is not None:
        return seat
    seat = _seat_at_start(sentence.text, places, on)
    earlier = [s.text for s in reversed(all_sentences[max(0, index - 3) : index]) if s.line > 0 or not post.headline]
    headline = [s.text for s in all_sentences[:1] if post.headline and s.line == 0 and sentence.line > 0]
    for text in earlier:
        seat = seat or _seat_after(text, places, on)
    for text in headline:
        seat = seat or _seat_after(text, places, on) or _seat_at_start(text, places, on)
    if seat is None and headline and len(headline[0].split()) <= 6:
        return places.known(headline[0], on)
    return seat


def _seat_after(text: str, places: Places, on: date | None) -> Constituency | None:
    """The first known seat after "in/at/for/of": the whole run, else the run cut at its last comma,
    and so on ("in Bolsover, Labour sources say" is Bolsover). Without a gazetteer to tell, a comma
    is within a name only before an "and" ("in Oldham West, Chadderton and Royton")."""
    for match in matches_at(_SEAT_AFTER, text, _SEAT_AFTER_STARTS):
        run = match["seat"]
        while run:
            comma = run.rfind(",")
            if comma < 0 or places.codes(on) or " and " in run[comma:]:
                seat = places.known(run, on)
                if seat is not None:
                    return seat
            run = run[:comma] if comma >= 0 else ""
    return None


def _seat_at_start(text: str, places: Places, on: date | None) -> Constituency | None:
    toks = _first_tokens(text)
    end = 0
    while end < len(toks) and end < 6 and (toks[end].cap or (end and toks[end].low in ("and", "of", "upon"))):
        end += 1
        if toks[end - 1].stops:
            break
    return places.known(" ".join(t.word for t in toks[:end]), on) if end else None


def _seat_just_before(text: str, at: int, places: Places, on: date | None) -> Constituency | None:
    toks = _tokens_before(text, at)
    end = len(toks)
    while end > 0 and toks[end - 1].low in _BEFORE_KEYWORD and not toks[end - 1].possessive:
        end -= 1
    run = place_run_before(toks, end)
    return places.known(run, on) if run else None


def _first_tokens(text: str) -> Sequence[Token]:
    """``tokens(text[:200])``: the sentence's own, when it is no longer."""
    return sentence_tokens(text) if len(text) <= _WINDOW else tokens(text[:_WINDOW])


def _tokens_before(text: str, at: int) -> Sequence[Token]:
    """``tokens(text[:at][-200:])``: where ``at`` starts a word after a space (no word is cut there)
    within the window and every word of the sentence gives a token (no word is bare punctuation), the
    sentence's own first tokens, as many as the words before ``at``; else the prefix read afresh."""
    if at <= _WINDOW and (at == 0 or text[at - 1].isspace()):
        toks = sentence_tokens(text)
        if len(toks) == len(text.split()):
            return toks[: len(text[:at].split())]
    return tokens(text[:at][-_WINDOW:])
