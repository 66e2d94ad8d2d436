"""Constituency names: cleaning, the shape of a seat's name, lists, and a plugged-in gazetteer."""

from __future__ import annotations

from datetime import date

import pytest
from structlog.testing import capture_logs

from ingester.classify.gazetteer import Gazetteer, load_gazetteer, read_entries
from ingester.classify.places import Places, clean_name, constituency, looks_like_seat, plainly_a_list
from ingester.events import Constituency

from .cases import DATA


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    """The 2024 and 2010 lists from the shared data, read at test time."""
    return Gazetteer([*read_entries(DATA / "constituencies-2024.csv"), *read_entries(DATA / "constituencies-2010.csv")])


ELECTION_2024 = date(2024, 7, 4)


@pytest.mark.parametrize(
    ("written", "clean"),
    [
        ("NE Derbyshire", "North East Derbyshire"),
        ("Mid-Derbyshire", "Mid Derbyshire"),
        ("Chesterfield's", "Chesterfield"),
        ("Chesterfield’s", "Chesterfield"),
        ("Derby North.", "Derby North"),
        ("  Derby   North  ", "Derby North"),
        ("MID DERBYSHIRE", "Mid Derbyshire"),
        ("NE DERBYSHIRE", "North East Derbyshire"),
        ("ASHTON-UNDER-LYNE", "Ashton-under-Lyne"),
        ("the Derbyshire Dales constituency", "Derbyshire Dales"),
        ("Letchworth & Royston", "Letchworth and Royston"),
        ("SW Devon", "South West Devon"),
        ("Reading West and Mid-Berkshire", "Reading West and Mid Berkshire"),
        ("The Wrekin", "The Wrekin"),
        ("Ynys Môn", "Ynys Môn"),
    ],
)
def test_clean_name(written: str, clean: str) -> None:
    assert clean_name(written) == clean


@pytest.mark.parametrize("name", ["Derby North", "Bolsover", "Kingston upon Hull East", "Weald of Kent"])
def test_shapes_of_seats(name: str) -> None:
    assert looks_like_seat(name)


@pytest.mark.parametrize(
    "name",
    ["all seats", "your constituency", "Counting", "The Labour Party", "Labour", "Derby 2024", "",
     "Green Bank Leisure Centre", "Derbyshire County Council", "Still no results", "July", "A B C D E F G H I"],
)  # fmt: skip
def test_shapes_that_are_not_seats(name: str) -> None:
    assert not looks_like_seat(name)
    assert Places().seat(name) is None


def test_constituency_without_and_with_a_gazetteer(gazetteer: Gazetteer) -> None:
    assert constituency("NE Derbyshire") == Constituency("North East Derbyshire")
    found = constituency("NE Derbyshire", gazetteer, ELECTION_2024)
    assert found == Constituency("North East Derbyshire", "E14001391", "parl.north-east-derbyshire.2024-07-04")
    assert constituency("Nowhere Else", gazetteer, ELECTION_2024) == Constituency("Nowhere Else")


@pytest.mark.parametrize(
    ("written", "split_and", "names"),
    [
        ("Erewash, Derbyshire Dales, Bolsover, High Peak and Amber Valley", True,
         ["Erewash", "Derbyshire Dales", "Bolsover", "High Peak", "Amber Valley"]),
        ("Derby South and Chesterfield", True, ["Derby South", "Chesterfield"]),
        ("Bexhill and Battle", False, ["Bexhill and Battle"]),
        ("Derby North, all seats", True, []),
        # without a gazetteer a comma alone does not make a list: the names with commas are "A, B and C"
        # and "A, B"; two commas, a comma before the last "and", or a plural verb (``split_and``) do
        ("Motherwell, Wishaw and Carluke", False, ["Motherwell, Wishaw and Carluke"]),
        ("Birmingham, Yardley", False, ["Birmingham, Yardley"]),
        ("Erewash, Bolsover, High Peak and Amber Valley", False, ["Erewash", "Bolsover", "High Peak", "Amber Valley"]),
        ("Erewash, Bolsover, and High Peak", False, ["Erewash", "Bolsover", "High Peak"]),
        ("Erewash, Bolsover and High Peak", True, ["Erewash", "Bolsover", "High Peak"]),
        ("Derby North, all seats", False, []),
        # an "and" inside any part but the last is inside a name; the last part holds the list's own "and"
        ("Redcar, Whitehaven and Workington, Erewash and Rushcliffe", False,
         ["Redcar", "Whitehaven and Workington", "Erewash", "Rushcliffe"]),
        ("Redcar, Whitehaven and Workington, Erewash and Rushcliffe", True,
         ["Redcar", "Whitehaven and Workington", "Erewash", "Rushcliffe"]),
        ("Bridgend, Cannock Chase, Vale of Glamorgan and Leigh and Atherton", False,
         ["Bridgend", "Cannock Chase", "Vale of Glamorgan", "Leigh and Atherton"]),
        ("Bexhill and Battle, Erewash and Houghton and Sunderland South", False,
         ["Bexhill and Battle", "Erewash", "Houghton and Sunderland South"]),
        ("Erewash, Bolsover, and Richmond and Northallerton", False,
         ["Erewash", "Bolsover", "Richmond and Northallerton"]),  # after an Oxford comma: the last item
        ("Erewash, Bolsover, High Peak & Amber Valley", False, ["Erewash", "Bolsover", "High Peak", "Amber Valley"]),
        ("Erewash, Bolsover & High Peak", False, ["Erewash, Bolsover and High Peak"]),  # a name's shape
        # no commas: one name, unless a plural verb says there are several
        ("Richmond and Northallerton", False, ["Richmond and Northallerton"]),
        ("North Herefordshire and Waveney Valley", False, ["North Herefordshire and Waveney Valley"]),
        ("Newton Abbot", False, ["Newton Abbot"]),
        ("Newton Abbot", True, ["Newton Abbot"]),
        ("Erewash and Bolsover and High Peak", True, ["Erewash", "Bolsover", "High Peak"]),
    ],
)  # fmt: skip
def test_lists_without_a_gazetteer(written: str, split_and: bool, names: list[str]) -> None:
    assert [seat.name for seat in Places().seats(written, split_and=split_and)] == names


@pytest.mark.parametrize(
    ("written", "names"),
    [
        ("Pontefract, Castleford and Knottingley and Bexhill and Battle",
         ["Pontefract, Castleford and Knottingley", "Bexhill and Battle"]),
        ("Derby South and Chesterfield", ["Derby South", "Chesterfield"]),
        ("Bexhill and Battle, Houghton and Sunderland South and Erewash",
         ["Bexhill and Battle", "Houghton and Sunderland South", "Erewash"]),
        # not in the list: kept as written (with a warning), between the known ones
        ("Erewash, Nowhere Town and Amber Valley", ["Erewash", "Nowhere Town", "Amber Valley"]),
        ("Erewash, all seats", []),
        ("Motherwell, Wishaw and Carluke", ["Motherwell, Wishaw and Carluke"]),
        ("Motherwell, Wishaw and Carluke, Glasgow West and Paisley and Renfrewshire North",
         ["Motherwell, Wishaw and Carluke", "Glasgow West", "Paisley and Renfrewshire North"]),
        ("Doncaster East and the Isle of Axholme", ["Doncaster East and the Isle of Axholme"]),
    ],
)  # fmt: skip
def test_lists_with_a_gazetteer_take_the_longest_known_name(
    gazetteer: Gazetteer, written: str, names: list[str]
) -> None:
    places = Places(gazetteer)
    for split_and in (True, False):
        assert [seat.name for seat in places.seats(written, split_and=split_and, on=ELECTION_2024)] == names


@pytest.mark.parametrize(
    ("written", "split_and", "names"),
    [
        ("Nowhere Town, Elsewhere and Erewash", False, ["Nowhere Town, Elsewhere", "Erewash"]),
        ("Nowhere Town, Elsewhere and Erewash", True, ["Nowhere Town", "Elsewhere", "Erewash"]),
        ("Erewash, Nowhere Town, Elsewhere and Bolsover", False, ["Erewash", "Nowhere Town", "Elsewhere", "Bolsover"]),
    ],
)  # fmt: skip
def test_with_a_gazetteer_unknown_pieces_are_one_name_unless_the_text_is_plainly_a_list(
    gazetteer: Gazetteer, written: str, split_and: bool, names: list[str]
) -> None:
    with capture_logs():
        found = Places(gazetteer).seats(written, split_and=split_and, on=ELECTION_2024)
    assert [seat.name for seat in found] == names


@pytest.mark.parametrize(
    ("separators", "listed"),
    [
        ([", ", " and "], False),  # "A, B and C"
        ([", "], False),  # "A, B"
        ([" and "], False),  # "A and B": may be one name
        ([", ", ", ", " and "], True),
        ([", ", ", and "], True),
        ([" and ", ", ", " and "], True),  # "A and B, C and D"
    ],
)
def test_plainly_a_list(separators: list[str], listed: bool) -> None:
    assert plainly_a_list(separators) is listed


def test_a_gazetteer_codes_the_seat_and_warns_of_unknown_names(gazetteer: Gazetteer) -> None:
    places = Places(gazetteer)
    seat = places.seat("Mid-Derbyshire", ELECTION_2024)
    assert seat == Constituency("Mid Derbyshire", "E14001362", "parl.mid-derbyshire.2024-07-04")
    with capture_logs() as logs:
        assert places.seat("Chesterfeild", ELECTION_2024) == Constituency("Chesterfeild")
    assert [(log["event"], log["name"]) for log in logs] == [("constituency not in the gazetteer", "Chesterfeild")]
    assert places.seat("all seats", ELECTION_2024) is None


def test_where_a_seat_is_only_possible_a_gazetteer_refuses_unknown_names(gazetteer: Gazetteer) -> None:
    places = Places(gazetteer)
    assert places.known("Derbyshire", ELECTION_2024) is None
    assert places.known("Bolsover", ELECTION_2024) == Constituency("Bolsover", "E14001109", "parl.bolsover.2024-07-04")
    assert Places().known("Derbyshire") == Constituency("Derbyshire")


def test_a_gazetteer_without_the_elections_boundaries_leaves_names_uncoded() -> None:
    only_2024 = Places(load_gazetteer(DATA / "constituencies-2024.csv"))
    assert only_2024.seat("Mid Worcestershire", date(2019, 12, 12)) == Constituency("Mid Worcestershire")
    assert only_2024.known("Derbyshire", date(2005, 5, 5)) == Constituency("Derbyshire")


def test_page_seat() -> None:
    places = Places()
    assert places.page_seat(["UK results", "", "Luton North", "", "Parliamentary constituency"], False) == (
        Constituency("Luton North")
    )
    assert places.page_seat(["Luton North", "LAB HOLD"], True) == Constituency("Luton North")
    assert places.page_seat(["Luton North", "LAB HOLD"], False) is None
    assert places.page_seat(["Labour gain Mid Derbyshire"], True) is None
    assert places.page_seat(["Parliamentary constituency"], False) is None
    # a headline of a seat's name alone, however long
    long_name = ["Doncaster East and the Isle of Axholme", "LAB GAIN FROM CON"]
    assert places.page_seat(long_name, True) == Constituency("Doncaster East and the Isle of Axholme")


def test_a_remembered_list_of_seats_is_handed_out_as_a_copy() -> None:
    places = Places()
    first = places.seats("Erewash, Bolsover and High Peak", split_and=True)
    first.append(Constituency("Nowhere"))
    again = places.seats("Erewash, Bolsover and High Peak", split_and=True)
    assert [s.name for s in again] == ["Erewash", "Bolsover", "High Peak"]
    assert places.seats("Erewash and Bolsover", split_and=False) == [Constituency("Erewash and Bolsover")]
    places.forget()
    assert places.seats("Erewash, Bolsover and High Peak", split_and=True) == again
