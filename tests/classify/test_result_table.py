"""The BBC constituency page's results table (seeds 000 and 004)."""

from __future__ import annotations

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
