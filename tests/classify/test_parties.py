"""Party names and aliases to contract codes; parties in prose."""

from __future__ import annotations

import csv
from collections.abc import Sequence

import pytest
from hypothesis import given

from ingester.classify import parties
from ingester.classify._text import Token, tokens
from ingester.classify.parties import Mention
from ingester.classify.party_names import CANONICAL
from ingester.events import Party

from .cases import DATA, phrases


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Labour", "LAB"), ("Lab", "LAB"), ("Labour Party", "LAB"), ("Labour Co-op", "LAB"),
        ("Labour and Co-operative", "LAB"), ("LAB", "LAB"), ("(LAB)", "LAB"), ("Labour's", "LAB"),
        ("the Labour Party candidate", "LAB"), ("labour", "LAB"),
        ("Conservative", "CON"), ("Conservatives", "CON"), ("Con", "CON"), ("C", "CON"), ("(C)", "CON"),
        ("Tory", "CON"), ("Tories", "CON"), ("Conservative and Unionist Party", "CON"),
        ("Conservatives'", "CON"), ("the Conservative party", "CON"),
        ("Liberal Democrat", "LD"), ("Liberal Democrats", "LD"), ("Lib Dem", "LD"), ("Lib Dems", "LD"),
        ("LD", "LD"), ("LDem", "LD"), ("(LD)", "LD"),
        ("Green", "GRN"), ("Green Party", "GRN"), ("Scottish Green", "GRN"), ("Scottish Greens", "GRN"),
        ("GRN", "GRN"), ("(GRN)", "GRN"),
        ("Reform UK", "REF"), ("Reform Uk", "REF"), ("Reform", "REF"), ("Brexit Party", "BRX"),
        ("UKIP", "UKIP"), ("UK Independence Party", "UKIP"),
        ("Scottish National Party", "SNP"), ("SNP", "SNP"), ("Plaid Cymru", "PC"),
        ("Democratic Unionist Party", "DUP"), ("Sinn Fein", "SF"), ("Sinn Féin", "SF"),
        ("Social Democratic and Labour Party", "SDLP"), ("Ulster Unionist Party", "UUP"),
        ("Alliance", "APNI"), ("Traditional Unionist Voice", "TUV"), ("Speaker", "SPK"),
        ("Workers Party of Britain", "WPB"), ("Workers Party", "WPB"),
        ("Independent", "IND"), ("Independents", "IND"), ("Ind", "IND"),
        ("  LABOUR  ", "LAB"), ("Labour’s", "LAB"),
    ],
)  # fmt: skip
def test_aliases_map_to_codes(written: str, code: str) -> None:
    found = parties.party(written)
    assert found is not None and found.code == code
    assert found.name == CANONICAL[code]


@pytest.mark.parametrize(
    "written",
    ["Freedom Alliance", "Socialist Labour Party", "Social Democratic Party", "Liberal", "Heritage Party",
     "Christian Peoples Alliance Party", "Chesterfield And North Derbyshire Independents", "Louise Jones",
     "", "green wellies", "L" * 500],
)  # fmt: skip
def test_names_that_only_contain_an_alias_are_not_that_party(written: str) -> None:
    assert parties.party(written) is None


def test_unknown_parties_keep_the_name_as_written() -> None:
    assert parties.party_or_other("Freedom Alliance") == Party("OTH", "Freedom Alliance")
    assert parties.party_or_other(" Yorkshire  Party ") == Party("OTH", "Yorkshire Party")
    assert parties.party_or_other("") == Party("OTH", "Unknown")
    assert parties.party_or_other("Others") == Party("OTH", "Others")


@pytest.mark.parametrize(
    ("colour", "code"),
    [("blue", "CON"), ("red", "LAB"), ("yellow", "LD"), ("orange", "LD"), ("green", "GRN"),
     ("turquoise", "REF"), ("light blue", "REF"), ("Blue", "CON")],
)  # fmt: skip
def test_colours(colour: str, code: str) -> None:
    found = parties.colour(colour)
    assert found is not None and found.code == code


def test_every_2024_party_name_maps_to_its_code() -> None:
    expected = {"Lab": "LAB", "Con": "CON", "LD": "LD", "RUK": "REF", "Green": "GRN", "Ind": "IND",
                "WPB": "WPB", "SNP": "SNP", "PC": "PC", "UKIP": "UKIP", "SDLP": "SDLP", "APNI": "APNI",
                "UUP": "UUP", "DUP": "DUP", "TUV": "TUV", "SF": "SF", "Spk": "SPK"}  # fmt: skip
    with (DATA / "ge2024-candidates.csv").open(encoding="utf-8-sig") as handle:
        names = {(row["Party name"], row["Party abbreviation"]) for row in csv.DictReader(handle)}
    wrong = [(name, abbreviation, parties.party_or_other(name).code) for name, abbreviation in names
             if parties.party_or_other(name).code != expected.get(abbreviation, "OTH")]  # fmt: skip
    assert wrong == []


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("Labour's Louise Jones wins", [("LAB", True)]),
        ("the Conservatives' Ben Flook", [("CON", True)]),
        ("I'm at South Derbyshire's Green Bank Leisure Centre", []),
        ("Kelda Boothroyd, Green party candidate", [("GRN", False)]),
        ("Reform UK gain Clacton", [("REF", False)]),
        ("Plan C is to wait", []),
        ("Jo Bloggs (C) 1,234", [("CON", False)]),
        ("LD GAIN FROM CON", [("LD", False), ("CON", False)]),
        ("ld gain from con", []),
        ("Freedom Alliance - Wesley Massumbukolt", []),
        ("independent Paul Liversuch", []),
        ("Independent gain Leicester South from Labour", [("IND", False), ("LAB", False)]),
        ("Commons Speaker John Bercow", []),
        ("Labour-SNP coalition", []),
    ],
)
def test_mentions_in_prose(sentence: str, found: list[tuple[str, bool]]) -> None:
    assert [(m.party.code, m.possessive) for m in parties.mentions(tokens(sentence))] == found


def test_looks_like_party() -> None:
    assert parties.looks_like_party("Labour") == 2
    assert parties.looks_like_party("Heritage Party") == 1
    assert parties.looks_like_party("Wesley Massumbukolt") == 0


# ------------------------------------------------- mentions: the spelled-prefix pruning changes no answer

_PARTY_WORDS = [
    "Labour", "labour", "Labour's", "the", "The", "Tories", "tories", "Conservative", "Conservatives'", "Party",
    "party", "candidate", "MP", "(Lab)", "(C)", "C", "Lib", "Dem", "Dems", "Green", "Greens", "Reform", "UK",
    "Uk", "Sinn", "Féin", "Fein", "Plaid", "Cymru", "SNP", "Workers", "Workers'", "of", "Britain", "Co-op",
    "(Co-op)", "and", "Co-operative", "Independent", "Speaker", "Alliance", "Bank", "market", "Scottish",
    "National", "Lab", "LAB", "Con", "Others", "Bolsover", "LD", "ld", "U.K.I.P.", "UKIP", "Democratic",
    "Unionist", "Ulster", "Tory", "Labour,", "Green.", "Reform:"
]  # fmt: skip


def _plain_mention_at(toks: Sequence[Token], i: int) -> Mention | None:
    """The reading without pruning: every length of the first word's aliases, through ``_span_key``."""
    span = parties.span_at(toks, i)
    return parties.mention_in_general(toks, i, *span) if span is not None else None


@given(phrases(_PARTY_WORDS, max_size=9))
def test_mentions_equal_the_plain_reading(text: str) -> None:
    toks = tokens(text)
    assert parties.mentions(toks) == parties.scan_mentions(toks, _plain_mention_at)
