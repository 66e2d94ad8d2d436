"""The BBC constituency page's results table (seeds 000 and 004)."""

from __future__ import annotations

import pytest

from ingester.classify.result_table import table_rule
from ingester.classify.rules import find_events
from ingester.events import Result

from .cases import post, seed_text


def table(body: str) -> list[Result]:
    return table_rule(post(body), ())


def test_code_and_name_lines_give_the_parties_seed_004() -> None:
    [event] = [e for e in find_events(post(seed_text("004"))) if isinstance(e, Result)]
    assert event.constituency.name == "Luton North"
    assert [(c.name, c.party.code, c.votes, c.share, c.share_change, c.elected) for c in event.candidates] == [
        ("Kelvin Hopkins", "LAB", 29765, 63.8, 11.6, True),
        ("Caroline Kerswell", "CON", 15401, 33.0, 3.1, False),
        ("Rabi Martins", "LD", 808, 1.7, -1.3, False),
        ("Simon Hall", "GRN", 648, 1.4, -0.9, False),
    ]
    assert event.winner is not None and event.winner.code == "LAB"
    assert (event.outcome, event.majority, event.turnout, event.complete) == ("hold", 14364, 71.0, True)
    assert event.warnings == ()


def test_missing_parties_come_from_the_vote_share_table_seed_000() -> None:
    [event] = table(seed_text("000"))
    assert event.constituency.name == "Derby North"
    assert [(c.name, c.party.code, c.votes) for c in event.candidates] == [
        ("Chris Williamson", "LAB", 23622),
        ("Amanda Solloway", "CON", 21607),
        ("Lucy Care", "LD", 2262),
        ("Bill Piper", "UKIP", 1181),
    ]
    assert (event.majority, event.turnout, event.warnings) == (None, None, ())


PAGE = """Sometown
Parliamentary constituency
Party Votes % Net percentage change in seats
Ann Bee Votes 2,000 header_vote_share 50.0 Net percentage change in seats +1.0
Cy Dee Votes 1,000 header_vote_share 25.0 Net percentage change in seats -1.0
Ed Eff Votes 1,000 header_vote_share 25.0 Net percentage change in seats -1.0
LAB majority
900
Vote share
Party %
Labour 50.0
Conservative 25.0
Green 25.0"""


def test_a_party_that_cannot_be_placed_is_unknown_with_a_warning() -> None:
    [event] = table(PAGE)
    assert [c.party.code for c in event.candidates] == ["LAB", "OTH", "OTH"]
    assert event.candidates[1].party.name == "Unknown"
    assert "party of Cy Dee not given" in event.warnings
    assert "majority 900 is not the top two's difference 1000" in event.warnings


def test_the_page_naming_another_winner_is_a_warning() -> None:
    [event] = table(PAGE.replace("LAB majority", "CON majority"))
    assert "the page names CON the winner but Ann Bee leads" in event.warnings


def test_no_table_without_a_seat_or_rows() -> None:
    assert table(PAGE.replace("Parliamentary constituency", "")) == []
    assert table("Sometown\nParliamentary constituency\nParty Votes %\nnothing here") == []
    assert table("") == []


OLD_ONE_LINE = (
    "Luton South\nElection 2015 results\n"
    "Labour, with candidate Gavin Shuker, have the following results: 18,660 total votes taken. 44.2% share of "
    "the total vote +9.3% change in share of the votes "
    "Conservative, with candidate Katie Redmond, have the following results: 12,949 total votes taken. 30.7% "
    "share of the total vote +1.3% change in share of the votes "
    "Freedom Alliance, with candidate Ann Bee, have the following results: 949 total votes taken. 2.2% share of "
    "the total vote"
)
OLD_LINES = """Luton South
Parliamentary constituency
Labour hold
Labour
LAB
, with candidate Gavin Shuker
have the following results:
18,660 total votes taken.
44.2% share of the total vote
+9.3% change in share of the votes
Conservative
CON
, with candidate Katie Redmond
have the following results:
12,949 total votes taken.
30.7% share of the total vote
-1.3% change in share of the votes
Majority 5,711"""


def test_the_older_bbc_blocks_on_one_line() -> None:
    [event] = [e for e in find_events(post(OLD_ONE_LINE)) if isinstance(e, Result)]
    assert event.constituency.name == "Luton South" and event.complete
    assert [(c.name, c.party.code, c.party.name, c.votes, c.share, c.share_change) for c in event.candidates] == [
        ("Gavin Shuker", "LAB", "Labour", 18660, 44.2, 9.3),
        ("Katie Redmond", "CON", "Conservative", 12949, 30.7, 1.3),
        ("Ann Bee", "OTH", "Freedom Alliance", 949, 2.2, None),
    ]
    assert event.winner is not None and event.winner.code == "LAB"
    assert event.warnings == ("vote shares add up to 77.1",)  # a cut-down page: the check says so


def test_the_older_bbc_blocks_over_lines_with_the_pages_call() -> None:
    found = find_events(post(OLD_LINES))
    assert [type(e).__name__ for e in found] == ["Flash", "Result"]
    result = found[1]
    assert isinstance(result, Result)
    assert [(c.name, c.party.code, c.votes, c.share_change) for c in result.candidates] == [
        ("Gavin Shuker", "LAB", 18660, 9.3),
        ("Katie Redmond", "CON", 12949, -1.3),
    ]
    assert (result.outcome, result.majority) == ("hold", 5711)


def test_one_block_is_no_result() -> None:
    one = OLD_LINES.split("Conservative\n", maxsplit=1)[0]
    assert [e for e in find_events(post(one)) if isinstance(e, Result)] == []


# ------------------------------------------------ figures after the table, and party names after a code line

TABLE = """Sometown
Parliamentary constituency
Party Votes % Net percentage change in seats
LAB
Labour
Ann Bee Votes 2,000 Vote share 50.0 Change +1.0
CON
Conservative
Cy Dee Votes 1,500 Vote share 37.5 Change -1.0
GRN
Green Party
Ed Eff Votes 500 Vote share 12.5 Change -1.0
"""


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        ("LAB majority\n500\nTurnout\n40.0%\nElectorate\n10,000", (500, 40.0, 10_000)),
        ("Majority\n500\nElectorate\n\n10,000", (500, None, 10_000)),
        ("Majority: 500\nTurnout: 40.0%\nElectorate: 10,000", (500, 40.0, 10_000)),
        ("Majority 500\nTurnout 40%\nElectorate 10,000", (500, 40.0, 10_000)),
        ("Labour majority of 500 votes.\nTurnout was 40.0%", (500, 40.0, None)),
        ("LAB majority - 500\nElectorate of 10,000", (500, None, 10_000)),
        ("Electorate\n10,000\nLAB majority\n500", (500, None, 10_000)),
        # not figures: a label without its value, a value of the wrong kind, prose
        ("Majority\nTurnout\n40.0%", (None, 40.0, None)),
        ("Turnout\n4,000\nElectorate\n40.0%", (None, None, None)),
        ("The vast majority of 2,000 homes would see no change", (None, None, None)),
        ("Electorate figures 10,000", (None, None, None)),
    ],
)  # fmt: skip
def test_majority_turnout_and_electorate_after_the_table(
    figures: str, expected: tuple[int | None, float | None, int | None]
) -> None:
    [event] = table(TABLE + figures)
    assert (event.majority, event.turnout, event.electorate) == expected


@pytest.mark.parametrize(
    ("figures", "named"),
    [("CON majority\n500", "CON"), ("Conservative majority of 500", "CON"), ("Green Party majority: 500", "GRN")],
)
def test_the_party_a_majority_line_names_is_checked_against_the_votes(figures: str, named: str) -> None:
    [event] = table(TABLE + figures)
    assert f"the page names {named} the winner but Ann Bee leads" in event.warnings


def test_electorate_feeds_the_turnout_check() -> None:
    [event] = table(TABLE + "Turnout\n60.0%\nElectorate\n10,000")
    assert event.electorate == 10_000
    assert "turnout 60.0% is not the votes over the electorate (40.0%)" in event.warnings


CNDI = "Chesterfield And North Derbyshire Independents"


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        ("YF", "Yorkshire First", ("OTH", "Yorkshire First")),
        ("CNDI", CNDI, ("OTH", CNDI)),
        ("SDP", "SDP", ("OTH", "SDP")),
        ("FA", "Freedom Alliance", ("OTH", "Freedom Alliance")),
        ("IND", "Some Name", ("IND", "Independent")),
        ("REF", "Reform UK", ("REF", "Reform UK")),
    ],
)  # fmt: skip
def test_the_line_after_a_code_line_is_the_party_name_whatever_it_says(
    code: str, name: str, expected: tuple[str, str]
) -> None:
    page = TABLE + f"{code}\n{name}\nGo Ho Votes 100 Vote share 2.4\nLAB majority\n500"
    [event] = table(page)
    assert [c.name for c in event.candidates] == ["Ann Bee", "Cy Dee", "Ed Eff", "Go Ho"]
    assert (event.candidates[-1].party.code, event.candidates[-1].party.name) == expected
    assert event.majority == 500


@pytest.mark.parametrize(
    "lines",
    [
        "Some words here\nYorkshire First\nGo Ho Votes 100 Vote share 2.4",  # two lines, no code, no party word
        "YF\nLAB majority\nGo Ho Votes 100 Vote share 2.4",  # a figure label is never a party's name
        "YF\nMajority: 400\nGo Ho Votes 100 Vote share 2.4",
        "Some words here\nand more words\nGo Ho Votes 100 Vote share 2.4",
    ],
)
def test_the_table_ends_at_a_line_that_is_no_party(lines: str) -> None:
    [event] = table(TABLE + lines)
    assert [c.name for c in event.candidates] == ["Ann Bee", "Cy Dee", "Ed Eff"]


@pytest.mark.parametrize(
    ("label", "party"),
    [
        ("Aontú", "Aontú"),  # BBC pages give some small parties no code line
        ("Sovereignty", "Sovereignty"),
        ("Consensus", "Consensus"),
        ("Yorkshire First", "Yorkshire First"),
        ("Independent", "Independent"),
    ],
)
def test_a_small_partys_name_alone_before_its_row_is_its_party(label: str, party: str) -> None:
    """The last rows of a table are often the smallest parties, written with their name only."""
    page = TABLE + f"{label}\nGo Ho Votes 100 Vote share 0.2\nLAB majority\n500"
    [event] = table(page)
    assert [c.name for c in event.candidates] == ["Ann Bee", "Cy Dee", "Ed Eff", "Go Ho"]
    assert event.candidates[-1].party.name == party
    assert event.majority == 500


def test_a_table_that_runs_to_the_end_of_the_page_is_read() -> None:
    [event] = table(TABLE + "Aontú\nGo Ho Votes 100 Vote share 0.2")
    assert [c.name for c in event.candidates] == ["Ann Bee", "Cy Dee", "Ed Eff", "Go Ho"]


def test_figures_right_after_a_code_line_are_still_read() -> None:
    [event] = table(TABLE + "YF\nLAB majority\n500\nElectorate\n10,000")
    assert (event.majority, event.electorate) == (500, 10_000)
