"""The post read once: its answers equal what the rules' own patterns would say, for any text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingester.classify import _reading
from ingester.classify._post import post_words, scan
from ingester.classify._scan import digit_runs, first_match, matches_at, may_hold, words
from ingester.classify._text import has_digit

from .cases import post

# Text that stresses the fast paths: ASCII punctuation, other scripts' digits ("٣"), long s ("ſ"),
# dotless i ("ı"), the Kelvin sign, accents, quotes.
_TRICKY = st.text(alphabet=st.sampled_from("aBz 09,.'()[]{}*/\t\n-_٣١ſıK\u212aé’•:;!?\"seatcount"), max_size=80)
_TO_SPACE = str.maketrans(dict.fromkeys("\"'.,;:!?()[]{}•*/", " "))


@given(_TRICKY)
def test_words_split_at_spaces_and_punctuation(text: str) -> None:
    assert words(text) == text.translate(_TO_SPACE).split()


@given(st.one_of(_TRICKY, st.text(max_size=60)))
def test_has_digit_and_digit_runs_read_digits_as_the_patterns_do(text: str) -> None:
    assert has_digit(text) == (re.search(r"\d", text) is not None)
    assert digit_runs(text) == min(2, len(re.findall(r"\d+", text)))
    assert digit_runs(text, most=5) == min(5, len(re.findall(r"\d+", text)))


@pytest.mark.parametrize(
    ("lower", "needles", "expected"),
    [
        ("labour hold", ("hold",), True),
        ("labour gain", ("hold", "held"), False),
        ("", ("x",), False),
        ("reſult", ("result",), True),  # not ASCII: a case-insensitive pattern may still match, so yes
    ],
)
def test_may_hold(lower: str, needles: tuple[str, ...], expected: bool) -> None:
    assert may_hold(lower, needles) is expected


@given(_TRICKY, st.sampled_from(["result", "seats", "count", "expected"]))
def test_may_hold_never_says_no_where_a_case_insensitive_pattern_matches(text: str, word: str) -> None:
    if re.search(re.escape(word), text, re.IGNORECASE):
        assert may_hold(text.lower(), (word,))


def test_the_scan_of_a_post() -> None:
    _reading.clear_memos()
    found = scan(post("Ann Bee (Lab) 17,591\nCy Dee 200", headline="Bolsover"))
    assert found.lower == "bolsover\nann bee (lab) 17,591\ncy dee 200"
    assert post_words(post("Ann Bee (Lab) 17,591\nCy Dee 200", headline="Bolsover")) == (
        ("bolsover", "ann", "bee", "lab", "17", "591", "cy", "dee", "200")
    )
    assert (found.digits, found.numbers) == (True, 2)
    assert scan(post("No figures here")).numbers == 0
    assert scan(post("Only 1 figure")).numbers == 1


_STARTS = ("count", "re", "the ", "x")


@given(_TRICKY)
def test_first_match_finds_what_a_search_finds(text: str) -> None:
    """A pattern whose every match starts with one of the given words, tried only where they start."""
    pattern = re.compile(r"\b(?:count(?:s|ing)?|re\w{0,3}|the (?:seat|count)|x\d)\b")
    found, searched = first_match(pattern, text, _STARTS), pattern.search(text)
    assert (found and found.span()) == (searched and searched.span())


_WORDS_AND_STARTS = st.lists(
    st.sampled_from(
        ["count", "counts", "recount", "re", "rex", "the seat", "the count", "x1", "x", "a", "the", "seat"]
    ),
    max_size=12,
).map(" ".join)


@given(st.one_of(_TRICKY, _WORDS_AND_STARTS))
def test_matches_at_finds_what_finditer_finds(text: str) -> None:
    pattern = re.compile(r"\b(?:count(?:s|ing)?|re\w{0,3}|the (?:seat|count)|x\d)\b")
    assert [m.span() for m in matches_at(pattern, text, _STARTS)] == [m.span() for m in pattern.finditer(text)]


@given(st.lists(st.sampled_from(["labour", "gain", "gains", "hold", "the", "seat", "wins", "x"]), max_size=12))
def test_indices_of_are_the_positions_of_the_wanted_words(words_: list[str]) -> None:
    found = _reading.analyse(" ".join(words_))
    wanted = frozenset({"gain", "hold", "wins"})
    assert _reading.indices_of(found, wanted) == [i for i, word in enumerate(words_) if word in wanted]
