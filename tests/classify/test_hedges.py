"""Projections, modals and other years: the words asked first never hide a match of the pattern."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingester.classify import _hedges
from ingester.classify._hedges import background, main_clause, modal, other_year, speculative
from ingester.classify._text import tokens

from .cases import phrases

_WORDS = [
    "if", "exit poll", "forecast", "projected", "predicts", "neck-and-neck", "on course", "would have",
    "estimates", "polls suggest", "MRP", "could", "May", "may", "we'll", "hopes", "aims", "set to",
    "Labour", "gain", "in 2019", "2024", "1987", "x2019", "2019x", "_2019", "who", ",", "shift", "mayor"
]  # fmt: skip
_SENTENCES = phrases(_WORDS)


@given(_SENTENCES)
def test_speculative_and_modal_are_their_patterns(sentence: str) -> None:
    assert speculative(sentence) == (_hedges._SPECULATIVE.search(sentence.lower()) is not None)
    named = _hedges._NAMED_OPENING.match(sentence) is not None  # "Will Stone wins": a name, not a modal
    cased = sentence if named else sentence[:1].lower() + sentence[1:]
    assert modal(sentence) == (_hedges._MODAL.search(cased) is not None)


@given(st.text(alphabet=st.sampled_from("1920 0a_x.٣١٩"), max_size=20))
def test_a_year_is_found_as_the_plain_pattern_finds_it(text: str) -> None:
    plain = [m.span() for m in re.finditer(r"\b(?:19|20)\d\d\b", text)]
    assert [m.span() for m in _hedges._ANY_YEAR.finditer(text)] == plain


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The exit poll suggests Labour gain Bolsover", True),
        ("If Labour take Erewash, it is a landslide", True),
        ("In 2019 Labour lost Bolsover", True),
        ("Labour gain Bolsover", False),
        ("A different shift at the count", False),  # "if" inside words
        ("Labour gain Bolsover, which they lost in 2019, from the Tories", False),  # only the aside dates
    ],
)
def test_background(sentence: str, expected: bool) -> None:
    assert background(main_clause(sentence, 2024), 2024) is expected


def test_other_year() -> None:
    assert other_year("Labour won it in 2019", 2024)
    assert not other_year("Labour won it in 2024", 2024)
    assert not other_year("Labour won it", 2024)


@pytest.mark.parametrize(
    ("sentence", "is_modal"),
    [
        ("Will Stone wins Swindon North for Labour", False),
        ("Will Forster has held Woking for the Lib Dems", False),
        ("May Lee won the seat", False),
        ("Will Labour win Swindon North?", True),
        ("May be a recount in Bolsover", True),
        ("Labour will win", True),
    ],
)
def test_a_first_name_that_is_a_modal_word(sentence: str, is_modal: bool) -> None:
    assert modal(sentence) is is_modal
    toks = tokens(sentence)
    verb = next(i for i, t in enumerate(toks) if t.low in ("wins", "held", "won", "win", "be"))
    assert _hedges.hedged_before(toks, verb) is is_modal


@given(
    phrases(
        [
            "in",
            "during",
            "at",
            "of",
            "the",
            "from",
            "until",
            "by",
            "within",
            "x",
            "2019",
            "2024",
            "1987",
            "20199",
            "a2019",
            "In",
            "THE",
            ",",
            "elected",
            "since",
        ],
        max_size=8,
    )
)
def test_another_year_is_what_the_year_phrase_finds(sentence: str) -> None:
    plain = any(int(m.group(1)) != 2024 for m in _hedges._YEAR_PHRASE.finditer(sentence.lower()))
    assert other_year(sentence, 2024) is plain
