"""Tallies: bulleted lists, the BBC table, national and regional prose; and what is not a tally."""

from __future__ import annotations

import re

import pytest
from hypothesis import given

from ingester.classify import _reading, tally
from ingester.classify._scan import first_match
from ingester.classify.tally import split_party_names, tally_rule

from .cases import phrases, post, seed_text, views

UK_2024 = (("LAB", 412, 211), ("CON", 121, -251), ("LD", 72, 64), ("SNP", 9, -39), ("SF", 7, 0), ("OTH", 29, 15))
UK_2017 = (("CON", 318, -13), ("LAB", 262, 30), ("SNP", 35, -21), ("LD", 12, 4), ("DUP", 10, 2), ("OTH", 13, -2))


def tallies(body: str) -> list[tuple[object, ...]]:
    return views(tally_rule(post(body), ()))


def test_bulleted_list_seed_001() -> None:
    assert tallies(seed_text("001")) == [("tally", "uk", UK_2024, 650, 650)]


def test_bbc_table_seeds_000_and_004() -> None:
    for seed in ("000", "004"):
        assert tallies(seed_text(seed)) == [("tally", "uk", UK_2017, 650, 650)]


def test_prose_national_seed_003() -> None:
    assert tallies(seed_text("003")) == [("tally", "uk", (("LAB", 368, None), ("CON", 93, None)), None, None)]


def test_prose_regional_seed_002() -> None:
    assert tallies(seed_text("002")) == [("tally", "Derbyshire", (("LAB", 11, None),), 11, 11)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Scotland results\n• SNP: 9 seats, 39 seats lost\n• Labour: 37 seats, 36 seats gained",
         [("tally", "Scotland", (("SNP", 9, -39), ("LAB", 37, 36)), None, None)]),
        ("Results so far\nLabour 120 seats (+60)\nConservative 40 seats (-55)\nOthers 10 seats (-5)\n5 seats to go",
         [("tally", "uk", (("LAB", 120, 60), ("CON", 40, -55), ("OTH", 10, -5)), 170, 175)]),
        ("With 40 of 650 seats declared:\n• Labour: 30 seats\n• Conservative: 10 seats",
         [("tally", "uk", (("LAB", 30, None), ("CON", 10, None)), 40, 650)]),
        ("Labour have won 120 seats across the UK so far, the Conservatives 31 seats.",
         [("tally", "uk", (("LAB", 120, None), ("CON", 31, None)), None, None)]),
        ("Labour swept all 8 seats in Nottinghamshire",
         [("tally", "Nottinghamshire", (("LAB", 8, None),), 8, 8)]),
        ("Nationally, Labour have now won 368 seats and the Conservatives 93, with 77 seats yet to be assigned.",
         [("tally", "uk", (("LAB", 368, None), ("CON", 93, None)), None, None)]),
        ("Across the UK Labour have 200 seats, the Tories 60, the Lib Dems 30 and the SNP 5.",
         [("tally", "uk", (("LAB", 200, None), ("CON", 60, None), ("LD", 30, None), ("SNP", 5, None)), None, None)]),
        ("nationally, labour have won 120 seats and the tories 31",
         [("tally", "uk", (("LAB", 120, None), ("CON", 31, None)), None, None)]),
        ("With 600 of 650 seats declared, Labour have 400 seats and the Conservatives 110.",
         [("tally", "uk", (("LAB", 400, None), ("CON", 110, None)), 600, 650)]),
        ("Nationally, Labour have won 368 seats; the Conservatives lost 250.",  # a loss is not a tally
         [("tally", "uk", (("LAB", 368, None),), None, None)]),
        ("It completes the sweep: Labour now hold all eleven of Derbyshire's seats.",
         [("tally", "Derbyshire", (("LAB", 11, None),), 11, 11)]),
    ],
)  # fmt: skip
def test_more_forms(body: str, expected: list[tuple[object, ...]]) -> None:
    assert tallies(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Exit poll\n• Labour: 410 seats\n• Conservative: 131 seats",
        "Projection:\n• Labour: 410 seats\n• Conservative: 131 seats",
        "The exit poll suggests Labour will win 410 seats nationally",
        "We're predicted to win 13 seats and who knows, maybe ones in Derby?",
        "This means Conservatives lost eight seats",
        "326 seats for a majority\n0 seats to go",
        "Labour takes all seats across Derbyshire",
        "Before the election the Conservatives held all eleven of Derbyshire's seats.",
        "Nationally, 77 seats are yet to be assigned and Labour are ahead.",
        "Labour have won 120 seats so far",  # no scope
        "In 2019 the Conservatives won 365 seats nationally",
        "• Labour: 412 seats",  # one row is no list
        "Toby Perkins, Labour - 19,316\nBen Flook, Conservative - 8,496",
        "Kris Stone, Chesterfield And North Derbyshire Independents - 363\nWorkers Party of Britain, Julie Lowe - 248",
    ],
)
def test_not_tallies(body: str) -> None:
    assert tallies(body) == []


def test_split_party_names() -> None:
    names = split_party_names(
        "Conservative Labour Scottish National Party Liberal Democrat Democratic Unionist Party Others"
    )
    assert names is not None
    assert [p.code for p in names] == ["CON", "LAB", "SNP", "LD", "DUP", "OTH"]
    assert split_party_names("Labour Mystery Party") is None
    assert split_party_names("Labour " * 100) is None


_TALLY_TEXT = phrases(
    ["seat", "seats", "Seats", "xseats", "seats_", "constituencies", "(+3)", "(-2)", "( +3)", "all", "eleven", "of",
     "After", "with 600 of 650 seats", "12 of 13 constituencies declared", "x600", "6000", "1234", "WITH",
     "Derbyshire's", "taking", "with", "600", "650", "declared", "nationally", "Nationwide", "UK-wide",
     "across the UK", "in the Commons", "around the country", "overall", "Labour", "\u017feats", "\u212aent", ","]
)  # fmt: skip


@given(_TALLY_TEXT)
def test_the_words_asked_first_never_hide_a_match(text: str) -> None:
    lower = text.lower()
    worth = re.search(r"\bseats?\b|constituencies|\([+-]\d", lower) is not None
    assert (tally._WORTH_READING.search(lower) is not None) == worth
    plain = bool(tally._NATIONAL.search(text) or tally._ALL_SEATS.search(text) or tally._OF_SEATS.search(text))
    assert tally._may_tally(text, lower) == plain
    # the patterns tried only where a match can start find what a search finds, at the same place
    assert (first_match(tally._WORTH_READING, lower, tally._WORTH_STEMS) is not None) == worth
    found, searched = tally._of_seats(text, lower), tally._OF_SEATS.search(text)
    assert (found and (found.span(), found.groups())) == (searched and (searched.span(), searched.groups()))
    assert tally._national(text, lower) == (tally._NATIONAL.search(text) is not None)


_PAIR_TEXT = phrases(
    ["Labour", "the Conservatives", "Lib Dems", "410", "131", "seats", "eleven", "eleven's", "(nine)", "one-seat",
     "won", "with", "and", "Labour's", "2", "x1", "MPs", ",", "."]
)  # fmt: skip


@given(_PAIR_TEXT)
def test_a_sentence_without_a_number_pairs_no_party_with_seats(text: str) -> None:
    found = _reading.analyse(text)
    pairs = [tally.seat_pairs(found.toks, found.mentions, need_unit=unit) for unit in (False, True)]
    if not tally.may_pair(text):
        assert pairs == [[], []]
