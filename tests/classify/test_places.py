"""Constituency names: cleaning, the shape of a seat's name, lists, and a plugged-in gazetteer."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from ingester.classify.places import Places, clean_name, constituency, looks_like_seat
from ingester.events import Constituency

from .cases import DATA


class CsvGazetteer:
    """The 2024 list from the shared data, read at test time: what a real gazetteer will look like."""

    def __init__(self) -> None:
        with (DATA / "constituencies-2024.csv").open(encoding="utf-8-sig") as handle:
            self.by_name = {row["constituency_name"].casefold(): row for row in csv.DictReader(handle)}

    def lookup(self, name: str, on: date | None) -> Constituency | None:
        row = self.by_name.get(name.casefold())
        return Constituency(row["constituency_name"], row["gss_code"]) if row else None


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


def test_constituency_without_and_with_a_gazetteer() -> None:
    assert constituency("NE Derbyshire") == Constituency("North East Derbyshire")
    found = constituency("NE Derbyshire", CsvGazetteer())
    assert found.name == "North East Derbyshire" and found.code == "E14001391"
    assert constituency("Nowhere Else", CsvGazetteer()) == Constituency("Nowhere Else")


@pytest.mark.parametrize(
    ("written", "split_and", "names"),
    [
        ("Erewash, Derbyshire Dales, Bolsover, High Peak and Amber Valley", True,
         ["Erewash", "Derbyshire Dales", "Bolsover", "High Peak", "Amber Valley"]),
        ("Derby South and Chesterfield", True, ["Derby South", "Chesterfield"]),
        ("Bexhill and Battle", False, ["Bexhill and Battle"]),
        ("Derby North, all seats", True, []),
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
        ("Erewash, Nowhere Town and Amber Valley", ["Erewash", "Amber Valley"]),
    ],
)  # fmt: skip
def test_lists_with_a_gazetteer_take_the_longest_known_name(written: str, names: list[str]) -> None:
    places = Places(CsvGazetteer())
    for split_and in (True, False):
        assert [seat.name for seat in places.seats(written, split_and=split_and)] == names


def test_a_gazetteer_refuses_places_that_are_not_seats() -> None:
    places = Places(CsvGazetteer())
    assert places.seat("Derbyshire") is None
    seat = places.seat("Mid-Derbyshire")
    assert seat is not None and seat.code is not None
    assert Places().seat("Derbyshire") == Constituency("Derbyshire")


def test_page_seat() -> None:
    places = Places()
    assert places.page_seat(["UK results", "", "Luton North", "", "Parliamentary constituency"], False) == (
        Constituency("Luton North")
    )
    assert places.page_seat(["Luton North", "LAB HOLD"], True) == Constituency("Luton North")
    assert places.page_seat(["Luton North", "LAB HOLD"], False) is None
    assert places.page_seat(["Labour gain Mid Derbyshire"], True) is None
    assert places.page_seat(["Parliamentary constituency"], False) is None
