"""Results lists and prose figures: parsing, order, seat, completeness and the consistency checks."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingester.classify import result, result_prose
from ingester.classify.flash import flash_rule
from ingester.classify.rules import find_events
from ingester.events import Result, TypedEvent

from .cases import DATA, post

RUN_ON = (
    "Full results for North East Derbyshire are as follows Labour - Louise Jones - 17,591 Elected "
    "Conservative - Lee Rowley - 15,838 Reform Uk - Andy Egginton - 7,899 Green Party - Frank "
    "Adlington-Stringer - 2,271 Liberal Democrat - Ross Shipman - 2,159 Freedom Alliance - Wesley "
    "Massumbukolt - 108"
)
CHESTERFIELD = """Full results for Chesterfield are as follows:
Toby Perkins, Labour - 19,316
Ben Flook, Conservative - 8,496
Dan Price, Reform UK - 7,897
David Wadsworth, Green - 2,682
Ian Barfield, Liberal Democrat - 2,553
Kris Stone, Chesterfield And North Derbyshire Independents - 363
Workers Party of Britain, Julie Lowe - 248"""


def results(body: str, headline: str | None = None, found: Sequence[TypedEvent] = ()) -> list[Result]:
    return result.list_rule(post(body, headline), found)


def rows(event: Result) -> list[tuple[str, str, str, int | None, bool]]:
    return [(c.name, c.party.code, c.party.name, c.votes, c.elected) for c in event.candidates]


def test_run_on_list() -> None:
    [event] = results(RUN_ON, headline="Full results for North East Derbyshire")
    assert event.constituency.name == "North East Derbyshire"
    assert rows(event) == [
        ("Louise Jones", "LAB", "Labour", 17591, True),
        ("Lee Rowley", "CON", "Conservative", 15838, False),
        ("Andy Egginton", "REF", "Reform UK", 7899, False),
        ("Frank Adlington-Stringer", "GRN", "Green", 2271, False),
        ("Ross Shipman", "LD", "Liberal Democrat", 2159, False),
        ("Wesley Massumbukolt", "OTH", "Freedom Alliance", 108, False),
    ]
    assert event.winner is not None and event.winner.code == "LAB"
    assert event.complete and event.warnings == () and event.majority is None


def test_one_candidate_a_line_in_either_order() -> None:
    [event] = results(CHESTERFIELD, headline="Full Chesterfield results")
    assert event.constituency.name == "Chesterfield"
    assert [(name, code, votes) for name, code, _, votes, _ in rows(event)] == [
        ("Toby Perkins", "LAB", 19316),
        ("Ben Flook", "CON", 8496),
        ("Dan Price", "REF", 7897),
        ("David Wadsworth", "GRN", 2682),
        ("Ian Barfield", "LD", 2553),
        ("Kris Stone", "OTH", 363),
        ("Julie Lowe", "WPB", 248),
    ]
    assert event.candidates[5].party.name == "Chesterfield And North Derbyshire Independents"
    assert event.complete and [c.elected for c in event.candidates] == [True] + [False] * 6


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("Result in Bolsover:\nNatalie Fleet (Labour) 18,571 elected\nMark Fletcher (Conservative) 11,749",
         [("Natalie Fleet", "LAB", 18571, True), ("Mark Fletcher", "CON", 11749, False)]),
        ("Bolsover result\n• Natalie Fleet, Lab: 18,571\n\n• Mark Fletcher, Con: 11,749",
         [("Natalie Fleet", "LAB", 18571, False), ("Mark Fletcher", "CON", 11749, False)]),
        ("Bolsover\nLabour - Natalie Fleet - 18571 votes\nConservative - Mark Fletcher - 11749 votes",
         [("Natalie Fleet", "LAB", 18571, False), ("Mark Fletcher", "CON", 11749, False)]),
        ("Results for Bolsover: Natalie Fleet (LAB) 18,571 (47.5%) * Mark Fletcher (CON) 11,749 (30.1%)",
         [("Natalie Fleet", "LAB", 18571, True), ("Mark Fletcher", "CON", 11749, False)]),
        ("Bolsover result\nNatalie Fleet, Labour, 18,571, 47.5%, +11.2\n"
         "Mark Fletcher, Conservative, 11,749, 30.1%, -20.3",
         [("Natalie Fleet", "LAB", 18571, False), ("Mark Fletcher", "CON", 11749, False)]),
        ("Bolsover\nLAB Natalie Fleet 18,571\nCON Mark Fletcher 11,749",
         [("Natalie Fleet", "LAB", 18571, False), ("Mark Fletcher", "CON", 11749, False)]),
        ("Bolsover: the candidates in ballot order\nMark Fletcher (Conservative) 11,749\n"
         "Natalie Fleet (Labour) 18,571 ELECTED",
         [("Mark Fletcher", "CON", 11749, False), ("Natalie Fleet", "LAB", 18571, True)]),
        ("Bolsover result:\n* Natalie Fleet (LAB) - 18,571 \u2713\n* Mark Fletcher (CON) - 11,749",
         [("Natalie Fleet", "LAB", 18571, True), ("Mark Fletcher", "CON", 11749, False)]),
        ("Bolsover result:\nNatalie Fleet\tLabour\t18,571\nMark Fletcher\tConservative\t11,749",
         [("Natalie Fleet", "LAB", 18571, False), ("Mark Fletcher", "CON", 11749, False)]),
        ("Bolsover result:\nLabour: Natalie Fleet 18,571\nConservative: Mark Fletcher 11,749",
         [("Natalie Fleet", "LAB", 18571, False), ("Mark Fletcher", "CON", 11749, False)]),
    ],
)  # fmt: skip
def test_other_list_forms(body: str, names: list[tuple[str, str, int, bool]]) -> None:
    [event] = results(body)
    assert event.constituency.name == "Bolsover"
    assert [(n, code, votes, elected) for n, code, _, votes, elected in rows(event)] == names
    assert not event.complete


@pytest.mark.parametrize(
    ("headline", "body", "seat", "names"),
    [
        # the seat after a label ("Full result: X", "Declaration - X")
        ("Full result: Houghton and Sunderland South",
         "Bridget Phillipson (LAB) 18,837\nSam Wood-Brass (REF) 11,668\nChris Burnicle (CON) 5,514",
         "Houghton and Sunderland South",
         [("Bridget Phillipson", "LAB", 18837), ("Sam Wood-Brass", "REF", 11668), ("Chris Burnicle", "CON", 5514)]),
        ("Declaration - Motherwell, Wishaw and Carluke",
         "Pamela Nash (Labour) 19,402\nMarion Fellows (SNP) 12,317",
         "Motherwell, Wishaw and Carluke", [("Pamela Nash", "LAB", 19402), ("Marion Fellows", "SNP", 12317)]),
        # brackets within a name or a party, and a party's name with a comma, in brackets
        ("Result in North East Hampshire",
         "Alex Brewer (Liberal Democrat) 21,178\nRanil Jayawardena (Conservative) 20,544\n"
         "Howling (Alan) Hope (Monster Raving Loony Party) 340\nDuncan Stone (Hampshire Independents) 274",
         "North East Hampshire",
         [("Alex Brewer", "LD", 21178), ("Ranil Jayawardena", "CON", 20544),
          ("Howling (Alan) Hope", "OTH", 340), ("Duncan Stone", "OTH", 274)]),
        ("Tonbridge result",
         "Tom Tugendhat (Conservative) 20,517\nLewis Bailey (Labour) 9,351\n"
         "Tim Shaw (Independent Alliance (Kent)) 926\nIan Grattidge (Social Democratic Party) 156",
         "Tonbridge",
         [("Tom Tugendhat", "CON", 20517), ("Lewis Bailey", "LAB", 9351), ("Tim Shaw", "OTH", 926),
          ("Ian Grattidge", "OTH", 156)]),
        ("Glasgow West result",
         "Patricia Ferguson (Labour) 18,621\nCarol Monaghan (SNP) 12,175\n"
         "John Cormack (Christian Party, Proclaiming Christ's Lordship) 310",
         "Glasgow West",
         [("Patricia Ferguson", "LAB", 18621), ("Carol Monaghan", "SNP", 12175), ("John Cormack", "OTH", 310)]),
        # "Party: Name" where the name holds a party's word
        ("Chesham and Amersham - full result",
         "Liberal Democrat: Sarah Green, 24,422 votes\nConservative: Gareth Williams, 18,971 votes\n"
         "Green: Justine Fulford, 1,673 votes",
         "Chesham and Amersham",
         [("Sarah Green", "LD", 24422), ("Gareth Williams", "CON", 18971), ("Justine Fulford", "GRN", 1673)]),
    ],
)  # fmt: skip
def test_lists_as_newsrooms_write_them(headline: str, body: str, seat: str, names: list[tuple[str, str, int]]) -> None:
    [event] = results(body, headline)
    assert event.constituency.name == seat
    assert [(name, code, votes) for name, code, _, votes, _ in rows(event)] == names


@pytest.mark.parametrize(
    ("body", "names", "figures"),
    [
        ("Chesterfield: Labour hold. Toby Perkins (Lab) 19,316, Ben Flook (Con) 8,496, Dan Price (Reform) 7,897. "
         "Majority 10,820. Turnout 58.4%.",
         [("Toby Perkins", "LAB", 19316), ("Ben Flook", "CON", 8496), ("Dan Price", "REF", 7897)], (10820, 58.4)),
        ("Declaration in Chesterfield: Perkins (Lab) 19,316, Flook (Con) 8,496",
         [("Perkins", "LAB", 19316), ("Flook", "CON", 8496)], (None, None)),
    ],
)  # fmt: skip
def test_terse_run_on_lists(body: str, names: list[tuple[str, str, int]], figures: tuple[object, object]) -> None:
    [event] = [e for e in find_events(post(body)) if isinstance(e, Result)]
    assert event.constituency.name == "Chesterfield"
    assert [(c.name, c.party.code, c.votes) for c in event.candidates] == names
    assert (event.majority, event.turnout) == figures


def test_shares_and_changes_in_a_full_list() -> None:
    body = (
        "Full results for Bolsover:\nNatalie Fleet (Lab) 18,571 (47.5%, +11.2)\n"
        "Mark Fletcher (Con) 11,749 (30.1%, -20.3 pts)"
    )
    [event] = results(body)
    assert [(c.name, c.votes, c.share, c.share_change, c.elected) for c in event.candidates] == [
        ("Natalie Fleet", 18571, 47.5, 11.2, True),
        ("Mark Fletcher", 11749, 30.1, -20.3, False),
    ]


def test_figures_around_the_list() -> None:
    body = CHESTERFIELD + "\nMajority: 10,820\nTurnout: 58.4%\nElectorate: 72,500"
    [event] = results(body)
    assert (event.majority, event.turnout, event.electorate, event.warnings) == (10820, 58.4, 72500, ())


@pytest.mark.parametrize(
    ("body", "warning"),
    [
        (CHESTERFIELD + "\nMajority: 10,000", "majority 10000 is not the top two's difference 10820"),
        (CHESTERFIELD.replace("8,496", "28,496"), None),
        ("Full results for Bolsover:\nAnn Bee, Labour - 100 elected\nCy Dee, Conservative - 200",
         "elected candidate Ann Bee does not have the most votes"),
        ("Full results for Bolsover:\nAnn Bee, Labour - 300\nAnn Bee, Conservative - 200",
         "a candidate is listed twice"),
    ],
)  # fmt: skip
def test_checks_that_fail_become_warnings_and_the_event_still_comes(body: str, warning: str | None) -> None:
    [event] = results(body)
    if warning is not None:
        assert warning in event.warnings
    else:  # the winner is whoever has the most votes
        assert event.winner is not None and event.winner.code == "CON"


def test_outcome_comes_from_the_posts_flash() -> None:
    body = "Labour gain North East Derbyshire from the Conservatives\n" + RUN_ON
    flashes = flash_rule(post(body), ())
    [event] = results(body, found=flashes)
    assert (event.outcome, event.gained_from and event.gained_from.code) == ("gain", "CON")


@pytest.mark.parametrize(
    "body",
    [
        "Click here to see full results for your constituency",
        "Full results for Chesterfield are as follows:\nToby Perkins, Labour - 19,316",  # one row is no list
        "UKIP polled nearly 9,000 votes here in 2015.",
        "Labour won 1,234 and the Conservatives 999",
        "Full results for Chesterfield:\nThe count started in 2024\nThe result came in 2019",
        "Party Votes % Net percentage change in seats\nLabour 48.5\nConservative 44.4",
        "Vote share\nParty %\nLabour 48.5\nConservative 44.4",
        "Full results for Chesterfield:\nToby Perkins, Labour - 19,316\nBen Flook, Conservative - 8,496".replace(
            "Chesterfield", "all seats"
        ),
    ],
)
def test_not_results(body: str) -> None:
    assert results(body) == []


def test_prose_gives_a_partial_result_for_a_seat_no_list_gave() -> None:
    body = (
        "Toby Perkins has kept his Chesterfield seat as he receives 19, 316 votes defeating Conservatives’ "
        "Ben Flook who picked up 8,496 votes"
    )
    headline = "Labour wins in Chesterfield as Toby Perkins keeps his seat"
    [event] = [e for e in find_events(post(body, headline)) if isinstance(e, Result)]
    assert rows(event) == [
        ("Toby Perkins", "LAB", "Labour", 19316, True),
        ("Ben Flook", "CON", "Conservative", 8496, False),
    ]
    assert (event.complete, event.outcome, event.winner and event.winner.code) == (False, "hold", "LAB")
    # with the full list in the same post, the list is the result
    both = [e for e in find_events(post(CHESTERFIELD + "\n" + body, headline)) if isinstance(e, Result)]
    assert [len(e.candidates) for e in both] == [7]


def test_prose_without_a_party_or_seat() -> None:
    body = "Ann Bee received 12,345 votes in Bolsover, while Cy Dee got 2,000 votes."
    [event] = result_prose.prose_rule(post(body), ())
    assert event.constituency.name == "Bolsover"
    assert [(c.name, c.party.name, c.votes) for c in event.candidates] == [
        ("Ann Bee", "Unknown", 12345),
        ("Cy Dee", "Unknown", 2000),
    ]
    assert "party of Ann Bee not given" in event.warnings
    assert result_prose.prose_rule(post("Ann Bee received nearly 12,000 votes in Bolsover"), ()) == []
    assert result_prose.prose_rule(post("In 2019 Ann Bee received 12,345 votes in Bolsover"), ()) == []


def test_year_is_never_votes() -> None:
    assert result.parse_row("Ann Bee, Labour - 2019") is not None
    assert result.parse_row("Ann Bee, Labour in 2019") is None
    assert result.parse_row("Toby Perkins, Labour MP since 2010") is None
    assert (
        results("Full results for Chesterfield:\nToby Perkins, Labour MP since 2010\nBen Flook, Conservative from 2019")
        == []
    )


def _written_lists() -> dict[str, list[dict[str, str]]]:
    by_seat: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (DATA / "ge2024-candidates.csv").open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            by_seat[row["Constituency name"]].append(row)
    return by_seat


@pytest.mark.parametrize("style", ["run-on", "lines"])
def test_every_2024_declaration_reads_back(style: str) -> None:
    """All 650 seats' 2024 results, written as the seed's two list styles, read back exactly."""
    wrong = []
    for seat, candidates in _written_lists().items():
        if len(candidates) < 2:  # the data misspells one row's seat ("YeoYeovil")
            continue
        ranked = sorted(candidates, key=lambda r: -int(r["Votes"]))
        people = [(f"{r['Candidate first name']} {r['Candidate surname']}".strip(), r["Party name"], int(r["Votes"]))
                  for r in ranked]  # fmt: skip
        if style == "run-on":
            body = f"Full results for {seat} are as follows " + " ".join(
                f"{party} - {name} - {votes:,}" for name, party, votes in people
            )
        else:
            body = f"Full results for {seat} are as follows:\n" + "\n".join(
                f"{name}, {party} - {votes:,}" for name, party, votes in people
            )
        found = results(body)
        got = [(c.name, c.votes) for c in found[0].candidates] if len(found) == 1 else []
        if got != [(name, votes) for name, _, votes in people] or found[0].constituency.name != seat:
            wrong.append((seat, got))
    assert wrong == []


# ------------------------------------------------------------- run-on lists introduced as full, and margins

LIVE_FULL = (
    "The full Chesterfield result: Toby Perkins (Labour) 19,316, Ben Flook (Conservative) 8,496, Dan Price "
    "(Reform UK) 7,897, David Wadsworth (Green) 2,682, Ian Barfield (Liberal Democrat) 2,553, Kris Stone "
    "(Chesterfield and North Derbyshire Independents) 363, Julie Lowe (Workers Party of Britain) 248"
)
LIVE_ROWS = [
    ("Toby Perkins", "LAB", 19316, True), ("Ben Flook", "CON", 8496, False), ("Dan Price", "REF", 7897, False),
    ("David Wadsworth", "GRN", 2682, False), ("Ian Barfield", "LD", 2553, False), ("Kris Stone", "OTH", 363, False),
    ("Julie Lowe", "WPB", 248, False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("headline", "body", "seat", "complete", "majority"),
    [
        (None, LIVE_FULL, "Chesterfield", True, None),
        ("Chesterfield result in full", LIVE_FULL, "Chesterfield", True, None),
        (None, LIVE_FULL + ".", "Chesterfield", True, None),
        (None, LIVE_FULL.replace(", Julie Lowe", " and Julie Lowe"), "Chesterfield", True, None),
        (None, LIVE_FULL.replace(", Julie Lowe", ", and Julie Lowe"), "Chesterfield", True, None),
        (None, LIVE_FULL + ". Labour majority of 10,820.", "Chesterfield", True, 10820),
        (None, LIVE_FULL + ". Majority: 10,820. Turnout 58.4%.", "Chesterfield", True, 10820),
        (None, LIVE_FULL.replace("The full Chesterfield result:", "Here is the full result from Chesterfield:"),
         "Chesterfield", True, None),
        (None, LIVE_FULL.replace("Chesterfield result", "Stoke-on-Trent Central result"), "Stoke-on-Trent Central",
         True, None),
        ("Chesterfield result in full", LIVE_FULL.split(": ", 1)[1], "Chesterfield", True, None),
        # not introduced as full: a partial list
        (None, LIVE_FULL.replace("The full Chesterfield result:", "Chesterfield:"), "Chesterfield", False, None),
        ("Chesterfield results", LIVE_FULL.split(": ", 1)[1], "Chesterfield", False, None),
    ],
)  # fmt: skip
def test_run_on_name_party_votes_lists(
    headline: str | None, body: str, seat: str, complete: bool, majority: int | None
) -> None:
    [event] = results(body, headline)
    assert (event.constituency.name, event.complete, event.majority) == (seat, complete, majority)
    assert [(n, code, votes, elected or not complete) for n, code, _, votes, elected in rows(event)] == [
        (n, code, votes, elected or not complete) for n, code, votes, elected in LIVE_ROWS
    ]
    assert event.warnings == ()


@pytest.mark.parametrize(
    "line",
    [
        "Louise Jones, Labour, beat Lee Rowley by 1,753 votes",
        "Louise Jones, Labour, won by just 1,753 votes",
        "Louise Jones, Labour - majority of 1,753",
        "Labour majority of 1,753",
        "Labour majority was 1,753",
        "Louise Jones (Labour) won with a margin of 1,753",
    ],
)
def test_a_margin_is_no_row(line: str) -> None:
    assert result.parse_row(line) is None


def test_a_margin_line_ends_no_list_and_is_read_as_the_majority() -> None:
    body = "Full results for Bolsover:\nNatalie Fleet (Labour) 17,000\nMark Fletcher (Conservative) 10,000\n"
    [event] = results(body + "Labour majority of 7,000")
    assert (len(event.candidates), event.complete, event.majority, event.warnings) == (2, True, 7000, ())
    [event] = results(body + "Natalie Fleet beat Mark Fletcher by 7,000 votes")
    assert [(c.name, c.votes) for c in event.candidates] == [("Natalie Fleet", 17000), ("Mark Fletcher", 10000)]
    # two margin lines are no list
    margins = "Full results for Bolsover:\nAnn Bee, Labour, won by 7,000 votes\nCy Dee, Green, lost by 900 votes"
    assert results(margins) == []


def _rows_plain(line: str) -> list[result.Row | None]:
    """A line's rows read the long way, every line read: every figure's row parsed, then the line's
    end judged."""
    marks = result.vote_marks(line)
    if len(marks) == 1:
        return [result.parse_row(line)]
    rows, start = [], 0
    for mark in marks[:40]:
        rows.append(result.parse_row(line[start : mark.end()]))
        start = mark.end()
    tail = line[start:].strip(" .;")
    return rows if not tail or result._FIGURES_ONLY.fullmatch(tail) else []


_LINES = st.lists(
    st.sampled_from(
        ["Ann Bee, Labour - 1,234", "Cy Dee (Con) 567", "Ed Eff, Green - 89", "", "He beat her by 1,753 votes.",
         "In 2019 it was 12,345", "Labour - Jo Bloggs - 100 Elected Con - Al Pal - 50", "Turnout 61.2%",
         "Majority 1,000", "Labour - Jo Bloggs - 100 Con - Al Pal - 50 and more words", "Full results for Bolsover:",
         "From 22:00 BST we will follow the results", "Jo Bloggs (Lab) 1 Al Pal (Con) 2. Majority 1."]
    ),
    max_size=8,
)  # fmt: skip


@given(_LINES)
def test_row_blocks_read_what_every_line_read_gives(lines: list[str]) -> None:
    filled = [index for index, line in enumerate(lines) if line]
    assert result.row_blocks(lines) == result.blocks_of(filled, [_rows_plain(lines[index]) for index in filled])
