"""The whole chain over every post of the seeds, and over hostile text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from structlog.testing import capture_logs

from ingester import events
from ingester.classify._text import MAX_TEXT
from ingester.classify.base import Rule, RuleInput
from ingester.classify.gazetteer import Gazetteer, import_gazetteer, read_entries
from ingester.classify.places import Places
from ingester.classify.rules import RULES, build_rules, find_events, rules_for
from ingester.errors import ConfigError

from .cases import DATA, envelope, post, seed_001_posts, seed_003_posts, seed_text, views

FROM_CON = ("LAB", "gain", "CON", None, None)


def test_seed_001_post_by_post() -> None:
    posts = seed_001_posts()
    assert len(posts) == 14
    found = {index: views(find_events(p)) for index, p in enumerate(posts)}
    gains = ["Erewash", "Derbyshire Dales", "Bolsover", "High Peak", "Amber Valley", "Derby North",
             "South Derbyshire", "Mid Derbyshire", "North East Derbyshire"]  # fmt: skip
    uk = (("LAB", 412, 211), ("CON", 121, -251), ("LD", 72, 64), ("SNP", 9, -39), ("SF", 7, 0), ("OTH", 29, 15))
    assert found.pop(0) == [
        ("tally", "uk", uk, 650, 650),
        *[("flash", seat, *FROM_CON) for seat in gains],
        ("flash", "Derby South", "LAB", "hold", None, None, None),
        ("flash", "Chesterfield", "LAB", "hold", None, None, None),
    ]
    assert found.pop(4) == [
        ("count", "Bolsover", "verification", None),
        ("count", "Bolsover", "expected", "2024-07-05T02:45:00+00:00"),
    ]
    assert found.pop(10) == [("count", None, "counting", None)]
    # the rest: exit-poll talk, 2019 background, "neck-and-neck", "predicted to win 13 seats", ...
    assert found == {index: [] for index in found}


def test_seed_003_post_by_post() -> None:
    found = [(p.headline, views(find_events(p))) for p in seed_003_posts()]
    chesterfield = [("flash", "Chesterfield", "LAB", "hold", None, "Toby Perkins", "Ben Flook"),
                    ("result", "Chesterfield", "LAB", False, 2, "hold")]  # fmt: skip
    assert [(headline, got) for headline, got in found if got] == [
        ("Labour dominates Derbyshire", [("tally", "uk", (("LAB", 368, None), ("CON", 93, None)), None, None)]),
        ("Still no results in Derbyshire Dales", [("recount", "Derbyshire Dales", "possible")]),
        ("Labour gain Mid Derbyshire",
         [("flash", "Mid Derbyshire", "LAB", "gain", "CON", "Jonathan Davies", "Luke Gardiner")]),
        ("Full results for North East Derbyshire", [("result", "North East Derbyshire", "LAB", True, 6, None)]),
        ("Labour gain North East Derbyshire",
         [("flash", "North East Derbyshire", "LAB", "gain", "CON", "Louise Jones", "Lee Rowley")]),
        ("Full Chesterfield results", [("result", "Chesterfield", "LAB", True, 7, None)]),
        ("Labour wins in Chesterfield as Toby Perkins keeps his seat", chesterfield),
        ("The atmosphere is very tense here in Chesterfield as results are expected any minute now.",
         [("count", "Chesterfield", "expected", None)]),
    ]  # fmt: skip
    assert len(found) == 12


def test_seed_003_as_one_text_gives_each_seat_once() -> None:
    got = views(find_events(post(seed_text("003"))))
    kinds = [(view[0], view[1]) for view in got]
    assert len(kinds) == len(set(kinds))
    assert ("result", "Chesterfield", "LAB", True, 7, "hold") in got  # the list wins over the prose


def test_bbc_pages_seeds_000_and_004() -> None:
    uk = (("CON", 318, -13), ("LAB", 262, 30), ("SNP", 35, -21), ("LD", 12, 4), ("DUP", 10, 2), ("OTH", 13, -2))
    assert views(find_events(post(seed_text("000")))) == [
        ("tally", "uk", uk, 650, 650),
        ("result", "Derby North", "LAB", True, 4, None),
    ]
    assert views(find_events(post(seed_text("004")))) == [
        ("tally", "uk", uk, 650, 650),
        ("flash", "Luton North", "LAB", "hold", None, None, None),
        # a 2017 news story on the same page: a real call in the page's own election
        ("flash", "Luton South", "LAB", "hold", None, "Gavin Shuker", None),
        ("result", "Luton North", "LAB", True, 4, "hold"),
    ]


def test_seed_002() -> None:
    lost = [
        ("North East Derbyshire", "Louise Jones", "Lee Rowley"),
        ("Bolsover", "Natalie Fleet", "Mark Fletcher"),
        ("High Peak", "Jon Pearce", "Robert Largan"),
        ("Amber Valley", "Linsey Farnsworth", "Nigel Mills"),
        ("Erewash", "Adam Thompson", "Maggie Throup"),
        ("Derby North", "Catherine Atkinson", "Amanda Solloway"),
    ]
    assert views(find_events(post(seed_text("002")))) == [
        ("tally", "Derbyshire", (("LAB", 11, None),), 11, 11),
        *[("flash", seat, "LAB", "gain", "CON", winner, loser) for seat, winner, loser in lost],
    ]


def test_events_leave_the_id_empty_and_keep_the_envelope() -> None:
    inp = post("Labour gain Bolsover")
    [flash] = find_events(inp)
    assert flash.event_id == "" and flash.text == "Labour gain Bolsover" and flash.source == "test"


def test_build_rules_gives_the_same_chain_by_default() -> None:
    inp = post(seed_text("001"))
    assert find_events(inp, build_rules()) == find_events(inp, RULES)


# ------------------------------------------------------------------------------------------ hostile text

_PIECES = [
    "Labour", "gain", "hold", "from", "the", "Tories", "Mid Derbyshire", "NE Derbyshire", " - ", "-", "(", ")",
    "19, 316", "17,591", "2019", "Elected", "votes", "Full results for", ":", "\n", "•", "seats", "Party",
    "Votes", "header_vote_share", "Net percentage change in seats", "Parliamentary constituency", "recount",
    "re-thumbed", "03:45", "'s", "’", "LAB", "HOLD", "GAIN", "FROM", "CON", ",", " and ", "Ωμέγα", "中文",
    "\u2212", "\u00a0", "exit poll", "majority", "Turnout", "71.0%", "Vote share", "Others", "to go", "of",
    "After", "650", "predicted to declare at", "verification", "Counting has started", "0", ".", "  ",
    "LAB majority", "14,364", "his", "seat", "keeps", "defeating", "Conservatives'", "as follows", "\r\n",
]  # fmt: skip


def _check(text: str, headline: str | None = None) -> None:
    found = find_events(post(text, headline))
    for event in found:
        assert events.decode(events.encode(event)) == event
        assert isinstance(msgspec.json.encode(event), bytes)


@given(st.text(max_size=3000), st.none() | st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str, headline: str | None) -> None:
    _check(text, headline)


@given(st.lists(st.sampled_from(_PIECES), max_size=400).map(" ".join))
def test_election_words_in_any_order_never_raise(text: str) -> None:
    _check(text)


@given(st.lists(st.sampled_from(_PIECES), max_size=400).map("".join))
def test_election_words_glued_together_never_raise(text: str) -> None:
    _check(text)


_ADVERSARIAL: list[str] = [
    "1" * 100_000,
    "1,234, " * 20_000,
    "-" * 100_000,
    " - " * 40_000,
    "(" * 50_000 + ")" * 10,
    "a. " * 40_000,
    "Labour gain " * 10_000,
    "Mid Derbyshire " * 8_000,
    "Full results for Chesterfield are as follows " + "Labour - Ann Bee - 1,234 Elected " * 3_000,
    "Full results for Chesterfield:\n" + "Ann Bee, Labour - 1,234\n" * 3_000,
    "• Labour: 412 seats, 211 seats gained\n" * 3_000,
    "Ann Bee got 1,234 votes and " * 3_000,
    "Ωμέγα 中文 Labour’s Ann Bee wins Bolsover from the Tories. " * 500,
    "Luton North\nParliamentary constituency\nParty Votes %\n"
    + "LAB\nLabour\nAnn Bee Votes 1,234 header_vote_share 12.3 Net percentage change in seats +1.0\n" * 2_000,
    "recount requested in Bolsover. " * 2_000,
    "expected to declare at 03:45 " * 3_000,
    " ".join(["Aaaa"] * 20_000),
    "A" + "a" * 100_000,
    "'s " * 30_000,
    "\n" * 100_000,
    "Party " + "Labour " * 5_000 + "\nSeats " + "1 " * 5_000,
    "Derby North, " * 5_000 + "change from blue to red",
    "Toby Perkins has kept his " + "Chesterfield " * 3_000 + "seat",
    "[" * 30_000 + "Labour gain Bolsover" + "]" * 30_000,
]


@settings(max_examples=len(_ADVERSARIAL) * 2, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_ADVERSARIAL), st.integers(min_value=0, max_value=MAX_TEXT))
def test_adversarial_inputs_stay_fast(text: str, cut: int) -> None:
    """Hypothesis's default per-example deadline flags any rule that is slow on such text."""
    _check(text[cut:])


def _kinds(found: list[Any]) -> set[str]:
    return {events.kind_of(event) for event in found}


def test_exit_polls_and_forecasts_are_never_results_flashes_or_tallies() -> None:
    texts = [
        "Exit poll: Labour 410 seats, Conservatives 131 seats, Lib Dems 61 seats. Labour gain Bolsover, "
        "the exit poll suggests.",
        "Forecast: Labour take Erewash, Derbyshire Dales and Bolsover from the Tories",
        "Projection\n• Labour: 410 seats\n• Conservative: 131 seats",
        "Labour could win Bolsover with 20,000 votes to the Conservatives' 10,000 votes.",
        "Labour are on course to take High Peak",
        "Labour are projected to win Bolsover with 20,000 votes to the Conservatives' 12,000 votes.",
        "In 2019 Mark Fletcher won Bolsover from Labour with 21,791 votes, a majority of 5,299.",
        "Mark Fletcher, who won Bolsover in 2019 with 21,791 votes, could lose it tonight.",
        "It's neck-and-neck in Derby North, with Amanda Solloway and Catherine Atkinson on about 15,000 votes each.",
        "The MRP poll suggests Labour will take 450 seats nationally and the Conservatives 90.",
        "If Labour hold Chesterfield with 19,000 votes it will be their 14th win in a row.",
        "labour could gain bolsover from the tories, the forecast says",
    ]
    for text in texts:
        assert _kinds(find_events(post(text))) <= {"exit_poll"}


def test_a_rule_that_raises_is_logged_and_the_chain_goes_on() -> None:
    def broken(post: RuleInput, found: Sequence[events.TypedEvent]) -> list[events.TypedEvent]:
        raise ZeroDivisionError("a bug")

    inp = RuleInput(
        headline="Labour gain Mid Derbyshire", body="", published_at=None, election_date=None, envelope=envelope()
    )
    with capture_logs() as logs:
        found = find_events(inp, (broken, *RULES))
    assert [type(e).__name__ for e in found] == ["Flash"]
    assert logs[0]["event"] == "classifier rule failed" and logs[0]["log_level"] == "error"


# --------------------------------------------------------------------------------------- with a gazetteer


@pytest.fixture(scope="module")
def coded() -> tuple[Rule, ...]:
    gazetteer = Gazetteer(
        [*read_entries(DATA / "constituencies-2024.csv"), *read_entries(DATA / "constituencies-2010.csv")]
    )
    return build_rules(Places(gazetteer))


def test_with_a_gazetteer_seats_are_coded(coded: tuple[Rule, ...]) -> None:
    seats = [e.constituency for e in find_events(post(seed_text("002")), coded) if isinstance(e, events.Flash)]
    assert seats[0] == events.Constituency(
        "North East Derbyshire", "E14001391", "parl.north-east-derbyshire.2024-07-04"
    )
    assert all(seat.code and seat.ballot for seat in seats)


def test_with_a_gazetteer_lists_of_seats_may_hold_and_and_commas(coded: tuple[Rule, ...]) -> None:
    text = "Labour take Pontefract, Castleford and Knottingley, Bexhill and Battle and Erewash from the Tories"
    found = find_events(post(text), coded)
    assert [(e.constituency.name, e.constituency.code) for e in found if isinstance(e, events.Flash)] == [
        ("Pontefract, Castleford and Knottingley", "E14001428"),
        ("Bexhill and Battle", "E14001088"),
        ("Erewash", "E14001228"),
    ]


@pytest.mark.parametrize(
    ("headline", "body", "election", "seats"),
    [
        ("Labour take Motherwell, Wishaw and Carluke from the SNP", "", date(2024, 7, 4),
         [("Motherwell, Wishaw and Carluke", "S14000099")]),
        ("Labour take Motherwell, Wishaw and Carluke, Glasgow West and Paisley and Renfrewshire North from the SNP",
         "", date(2024, 7, 4),
         [("Motherwell, Wishaw and Carluke", "S14000099"), ("Glasgow West", "S14000089"),
          ("Paisley and Renfrewshire North", "S14000101")]),
        ("Doncaster East and the Isle of Axholme", "LAB GAIN FROM CON", date(2024, 7, 4),
         [("Doncaster East and the Isle of Axholme", "E14001199")]),
        ("Conservatives hold the Wrekin", "", date(2024, 7, 4), [("The Wrekin", "E14001543")]),
        ("Birmingham, Yardley - LAB HOLD", "", date(2019, 12, 12), [("Birmingham, Yardley", "E14000568")]),
        ("Labour hold Queen's Park and Maida Vale", "", date(2024, 7, 4),
         [("Queen's Park and Maida Vale", "E14001435")]),
    ],
)  # fmt: skip
def test_with_a_gazetteer_names_with_commas_and_small_words_are_one_seat(
    coded: tuple[Rule, ...], headline: str, body: str, election: date, seats: list[tuple[str, str]]
) -> None:
    found = find_events(post(body, headline, election_date=election), coded)
    assert [(e.constituency.name, e.constituency.code) for e in found if isinstance(e, events.Flash)] == seats


def test_with_a_gazetteer_the_boundaries_follow_the_election(coded: tuple[Rule, ...]) -> None:
    inp = post("Labour gain Birmingham Yardley", election_date=date(2019, 12, 12))
    [flash] = find_events(inp, coded)
    assert isinstance(flash, events.Flash)
    assert flash.constituency == events.Constituency(
        "Birmingham, Yardley", "E14000568", "parl.birmingham-yardley.2019-12-12"
    )


def test_with_a_gazetteer_an_unknown_seat_is_kept_with_a_warning(coded: tuple[Rule, ...]) -> None:
    with capture_logs() as logs:
        [flash] = find_events(post("Labour gain Chesterfeild"), coded)
    assert isinstance(flash, events.Flash) and flash.constituency == events.Constituency("Chesterfeild")
    assert any(log["event"] == "constituency not in the gazetteer" for log in logs)
    # where a seat is merely possible, an unknown name is not one
    assert find_events(post("Counting has started in Derbyshire."), coded)[0].constituency is None  # type: ignore[union-attr]


def test_rules_for_the_configured_or_the_stored_gazetteer(tmp_path: Path) -> None:
    assert rules_for(None, tmp_path) is RULES  # nothing configured, nothing stored
    import_gazetteer(DATA / "constituencies-2024.csv", tmp_path)
    for rules in (rules_for(None, tmp_path), rules_for(DATA / "constituencies-2024.csv")):
        [flash] = find_events(post("Labour gain NE Derbyshire"), rules)
        assert isinstance(flash, events.Flash) and flash.constituency.code == "E14001391"
    with pytest.raises(ConfigError):
        rules_for(tmp_path / "missing.csv", tmp_path)
