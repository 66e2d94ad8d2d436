"""Vote figures in prose: what is a candidate's figure (and what is a margin, a year or a guess)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingester.classify import result_prose
from ingester.classify.result_build import MARGIN_BEFORE, is_margin
from ingester.classify.result_prose import read_sentence
from ingester.classify.rules import find_events
from ingester.events import Result

from .cases import phrases, post


def partials(body: str, headline: str | None = None) -> list[tuple[object, ...]]:
    found = [e for e in find_events(post(body, headline)) if isinstance(e, Result)]
    return [(e.constituency.name, e.complete, e.majority, _people(e)) for e in found]


def _people(event: Result) -> tuple[tuple[str, str, int | None, bool], ...]:
    return tuple((c.name, c.party.code, c.votes, c.elected) for c in event.candidates)


@pytest.mark.parametrize(
    ("headline", "body", "expected"),
    [
        ("Toby Perkins holds Chesterfield",
         "Toby Perkins holds Chesterfield for Labour with 19,361 votes. The Conservative candidate, Ben Flook, "
         "came second on 8,496.",
         [("Chesterfield", False, None, (("Toby Perkins", "LAB", 19361, True), ("Ben Flook", "CON", 8496, False)))]),
        ("Labour gain North East Derbyshire",
         "Louise Jones has won North East Derbyshire for Labour, beating the Conservative Lee Rowley by fewer "
         "than 2,000 votes.",
         []),
        (None,
         "Labour's Louise Jones wins North East Derbyshire from Lee Rowley of the Conservatives with an "
         "advantage of less than 2,000 votes.",
         []),
        (None, "Ann Bee won Bolsover with 12,345 votes, a majority of 2,000 over Cy Dee (Con), who polled 10,345.",
         [("Bolsover", False, 2000, (("Ann Bee", "OTH", 12345, False), ("Cy Dee", "CON", 10345, False)))]),
        (None, "In Bolsover 19,316 votes went to Ann Bee, and 8,496 votes for Cy Dee.",
         [("Bolsover", False, None, (("Ann Bee", "OTH", 19316, False), ("Cy Dee", "OTH", 8496, False)))]),
        (None, "Ann Bee won Bolsover by 2,000 votes.", []),
        (None, "Ann Bee won Bolsover, finishing 2,000 votes ahead of Cy Dee.", []),
        (None, "Ann Bee, first elected in 2019, received 12,345 votes in Bolsover.",
         [("Bolsover", False, None, (("Ann Bee", "OTH", 12345, False),))]),
        (None, "Ann Bee has been the MP for Bolsover since 2019 and polled 12,345 votes.",
         [("Bolsover", False, None, (("Ann Bee", "OTH", 12345, False),))]),
        (None, "Ann Bee received about 12,000 votes in Bolsover.", []),
        (None, "Ann Bee got 45% of the votes in Bolsover.", []),
        (None, "Ann Bee could win 12,345 votes in Bolsover.", []),
        (None, "In 2019 Ann Bee received 12,345 votes in Bolsover.", []),
        (None, "Ann Bee arrived at the count in Bolsover with 3 friends at 2,000 feet.", []),
    ],
)  # fmt: skip
def test_prose_figures(headline: str | None, body: str, expected: list[tuple[object, ...]]) -> None:
    assert partials(body, headline) == expected


def test_read_sentence_skips_margins_and_keeps_the_stated_majority() -> None:
    reading = read_sentence("Jo Bloggs took 20,100 votes, a majority of 5,100, ahead of Ann Bee on 15,000.")
    assert [(c.name, c.votes) for c in reading.candidates] == [("Jo Bloggs", 20100), ("Ann Bee", 15000)]
    assert reading.figures.majority == 5100


def test_a_sentence_that_names_no_seat_continues_the_one_before() -> None:
    body = "Ann Bee received 12,345 votes in Bolsover. Cy Dee got 2,000 votes. In Erewash, Ed Eff polled 9,000 votes."
    found = [e for e in find_events(post(body)) if isinstance(e, Result)]
    assert [(e.constituency.name, [c.name for c in e.candidates]) for e in found] == [
        ("Bolsover", ["Ann Bee", "Cy Dee"]),
        ("Erewash", ["Ed Eff"]),
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Louise Jones has won North East Derbyshire for Labour with 17,591 votes.", ("Louise Jones", "LAB")),
        ("Toby Perkins has held Chesterfield for the Conservatives with 19,316 votes.", ("Toby Perkins", "CON")),
        ("Ann Bee won Bolsover for the Lib Dems, polling 12,345 votes.", ("Ann Bee", "LD")),
        ("Ann Bee, standing for Reform UK, received 12,345 votes in Bolsover.", ("Ann Bee", "REF")),
        # the party after "for" is a rival's, or after the figure: not the candidate's
        ("Ann Bee, beating the candidate for Reform, received 12,345 votes in Bolsover.", ("Ann Bee", "OTH")),
        ("Ann Bee received 12,345 votes in Bolsover, a record for Labour.", ("Ann Bee", "OTH")),
        ("Ann Bee received 12,345 votes in Bolsover for the second time.", ("Ann Bee", "OTH")),
    ],
)  # fmt: skip
def test_the_party_a_candidate_stands_for(body: str, expected: tuple[str, str]) -> None:
    [event] = [e for e in find_events(post(body)) if isinstance(e, Result)]
    assert [(c.name, c.party.code) for c in event.candidates] == [expected]


@pytest.mark.parametrize(
    "body",
    [
        "Toby Perkins holds Chesterfield for Labour, beating Ben Flook by 10,820 votes.",
        "Toby Perkins beat Ben Flook by 10,820 votes in Chesterfield.",
        "In Chesterfield Toby Perkins won by a margin of 10,820, beating Ben Flook.",
        "Labour's Louise Jones has unseated the Conservative Lee Rowley by 1,753 votes in North East Derbyshire.",
        "Louise Jones finished 1,753 votes ahead of Lee Rowley in North East Derbyshire.",
        "Louise Jones won North East Derbyshire with a majority of 1,753 over Lee Rowley.",
    ],
)
def test_a_margin_is_nobodys_votes(body: str) -> None:
    assert partials(body) == []


def test_a_margin_beside_real_figures_stays_a_margin() -> None:
    body = "Louise Jones won North East Derbyshire with 17,591 votes, beating Lee Rowley by 1,753 votes."
    assert partials(body) == [("North East Derbyshire", False, None, (("Louise Jones", "OTH", 17591, False),))]


_BEFORE = phrases(
    ["by", "By", "majority", "majority of", "Majority:", "an advantage of", "margin", "lead of", "ahead by", "gap of",
     "just", "fewer than", "over", "won", "with", "polled", "picked up", "a total of", "on", "xby", "Ann Bee",
     "\u017fhort by", "the", "votes", " ", "\t"],
    max_size=8,
).map(lambda s: s + " ")  # fmt: skip


@given(_BEFORE)
def test_margin_and_votes_words_are_read_as_their_patterns_read_them(before: str) -> None:
    assert is_margin(before) == (MARGIN_BEFORE.search(before) is not None)
    window = before[-40:]
    whole = result_prose._TAKES_VOTES.search(window) is not None
    end = result_prose._TAKES_VOTES.search(window, max(0, len(window) - result_prose._TAKES_VOTES_SPAN))
    assert (end is not None) == whole


_ENDINGS = phrases(
    ["won", "With", "polled", "picked up", "a total of", "just", "only", "on", "nearly", "more than", "Up to",
     "close to", "in", "Since", "year", "the", "xin", "in-", "Ann Bee", "\u017fince", "\u212a", "\n", "\t", ",", " "],
    max_size=7,
)  # fmt: skip


@given(_ENDINGS, st.sampled_from(["", " ", "  ", "\t", "\n", " \n"]))
def test_the_words_at_a_texts_end_are_read_as_their_patterns_read_them(text: str, end: str) -> None:
    for words in (result_prose.TAKES_VOTES, result_prose.APPROXIMATE, result_prose.YEAR_BEFORE):
        assert words.ends(text + end) == (words.pattern.search(text + end) is not None)


_PROSE = phrases(
    ["Jo Bloggs", "won", "with", "polled", "just", "a total of", "picked up", "19,316", "votes", "Votes", "208", "on",
     "in", "2019", ".", ",", "\u017fcored", "scored", "only", "\n", "majority of", "1,753"],
    max_size=10,
)  # fmt: skip


@given(_PROSE)
def test_a_text_the_gate_passes_over_gives_no_figure(text: str) -> None:
    if not result_prose._may_give_votes(text.lower()):
        assert read_sentence(text).candidates == []
