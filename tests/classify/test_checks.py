"""Consistency checks: a result that does not add up is still published, with its warnings."""

from __future__ import annotations

import pytest

from ingester.classify.checks import consistency
from ingester.classify.result_build import Figures
from ingester.events import Candidate, Party

LAB, CON = Party("LAB", "Labour"), Party("CON", "Conservative")


def _people(*rows: tuple[str, Party, int, float | None, bool]) -> list[Candidate]:
    return [Candidate(name=n, party=p, votes=v, share=s, elected=e) for n, p, v, s, e in rows]


GOOD = _people(("Ann Bee", LAB, 20_000, 60.0, True), ("Cy Dee", CON, 13_333, 40.0, False))


@pytest.mark.parametrize(
    ("candidates", "figures", "complete", "warnings"),
    [
        (GOOD, Figures(6_667, 66.7, 50_000), True, []),
        (GOOD, Figures(majority=6_000), True, ["majority 6000 is not the top two's difference 6667"]),
        (GOOD[:1], Figures(majority=30_000), False, ["majority 30000 is more than the winner's 20000 votes"]),
        (GOOD, Figures(electorate=30_000), True, ["33333 votes is more than the electorate 30000"]),
        (GOOD, Figures(turnout=45.0, electorate=50_000), True,
         ["turnout 45.0% is not the votes over the electorate (66.7%)"]),
        (_people(("Ann Bee", LAB, 100, 60.0, True), ("Cy Dee", CON, 200, 30.0, False)), Figures(), True,
         ["elected candidate Ann Bee does not have the most votes", "vote shares add up to 90.0",
          "Cy Dee has more votes but a smaller share than Ann Bee"]),
        (_people(("Ann Bee", LAB, 100, None, True), ("Cy Dee", CON, 50, None, True)), Figures(), True,
         ["more than one candidate is marked elected"]),
        (_people(("Ann Bee", Party("OTH", "Unknown"), 100, None, False), ("Ann Bee", CON, 50, None, False)),
         Figures(), False, ["party of Ann Bee not given", "a candidate is listed twice"]),
    ],
)  # fmt: skip
def test_checks(candidates: list[Candidate], figures: Figures, complete: bool, warnings: list[str]) -> None:
    assert consistency(candidates, figures, complete, None) == warnings


def test_the_page_naming_another_winner() -> None:
    assert consistency(GOOD, Figures(), True, CON) == ["the page names CON the winner but Ann Bee leads"]
