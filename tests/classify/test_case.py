"""Capitals for a sentence written all in lower case."""

from __future__ import annotations

import pytest

from ingester.classify._case import recase
from ingester.classify._text import sentences


@pytest.mark.parametrize(
    ("written", "recased"),
    [
        ("labour gain mid derbyshire from the tories", "Labour gain Mid Derbyshire from the Tories"),
        ("toby perkins holds chesterfield for labour", "Toby Perkins holds Chesterfield for Labour"),
        ("labour's louise jones wins north east derbyshire", "Labour's Louise Jones wins North East Derbyshire"),
        ("stoke-on-trent central stays red", "Stoke-on-Trent Central stays red"),
        ("counting has started in bolsover", "counting has started in Bolsover"),
        ("the exit poll could be wrong", "the exit poll could be wrong"),
        ("snp hold aberdeen north", "SNP hold Aberdeen North"),
        ("dup gain east antrim", "DUP gain East Antrim"),
        ("labour hold southgate and wood green", "Labour hold Southgate and Wood Green"),
        ("labour gain birmingham hall green and moseley", "Labour gain Birmingham Hall Green and Moseley"),
        ("conservatives hold new forest east", "Conservatives hold New Forest East"),
        ("labour hold city of durham", "Labour hold City of Durham"),
        ("sinn féin hold south down", "Sinn Féin hold South Down"),
        ("the green candidate came third", "the green candidate came third"),
        ("labour down in the polls", "Labour down in the polls"),
    ],
)
def test_recase(written: str, recased: str) -> None:
    assert recase(written) == recased


def test_only_sentences_wholly_in_lower_case_and_long_enough_are_recased() -> None:
    got = [s.text for s in sentences(["labour gain bolsover. Labour gain Erewash. lab hold", "ok then"])]
    assert got == ["Labour gain Bolsover.", "Labour gain Erewash.", "lab hold", "ok then"]
