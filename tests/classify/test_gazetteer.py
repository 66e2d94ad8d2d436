"""The gazetteer: loading the Commons Library lists, tolerant matching, boundary sets, the stored copy."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from ingester import cli
from ingester.classify._text import GuessedDay
from ingester.classify.gazetteer import (
    Gazetteer,
    default_gazetteer,
    import_gazetteer,
    load_gazetteer,
    match_key,
    read_entries,
    slug,
)
from ingester.errors import ConfigError
from ingester.events import Constituency

from .cases import DATA

LIST_2024 = DATA / "constituencies-2024.csv"
LIST_2010 = DATA / "constituencies-2010.csv"
ON_2024 = date(2024, 7, 4)
ON_2019 = date(2019, 12, 12)


@pytest.fixture(scope="module")
def both() -> Gazetteer:
    return Gazetteer([*read_entries(LIST_2024), *read_entries(LIST_2010)])


def _official(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8-sig") as handle:
        return [(row["constituency_name"], row["gss_code"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize(
    ("written", "on", "name", "code"),
    [
        ("NE Derbyshire", ON_2024, "North East Derbyshire", "E14001391"),
        ("north-east derbyshire", ON_2024, "North East Derbyshire", "E14001391"),
        ("Derbyshire North East", ON_2024, "North East Derbyshire", "E14001391"),
        ("Mid-Derbyshire", ON_2024, "Mid Derbyshire", "E14001362"),
        ("MID DERBYSHIRE", ON_2019, "Mid Derbyshire", "E14000814"),
        ("Worcestershire Mid", ON_2019, "Mid Worcestershire", "E14000818"),
        ("Birmingham Yardley", ON_2019, "Birmingham, Yardley", "E14000568"),
        ("Birmingham, Yardley", ON_2024, "Birmingham Yardley", "E14001100"),
        ("Ynys Mon", ON_2024, "Ynys Môn", "W07000112"),
        ("Ynys Môn", ON_2019, "Ynys Mon", "W07000041"),
        ("Bexhill & Battle", ON_2024, "Bexhill and Battle", "E14001088"),
        ("Weston-Super-Mare", ON_2024, "Weston-super-Mare", "E14001581"),
        ("Weston super Mare", ON_2019, "Weston-Super-Mare", "E14001038"),
        ("Wrekin", ON_2024, "The Wrekin", "E14001543"),
        ("St. Ives", ON_2024, "St Ives", "E14001511"),
        ("Saint Ives", ON_2019, "St Ives", "E14000964"),
        ("Kingston-upon-Hull East", ON_2024, "Kingston upon Hull East", "E14001313"),
        ("Na h-Eileanan an Iar", ON_2019, "Na h-Eileanan An Iar", "S14000027"),
        ("Na h-Eileanan An Iar", ON_2024, "Na h-Eileanan an Iar", "S14000027"),
        ("Midlothian", ON_2019, "Midlothian", "S14000045"),
    ],
)
def test_tolerant_matching(both: Gazetteer, written: str, on: date, name: str, code: str) -> None:
    found = both.lookup(written, on)
    assert found is not None
    assert (found.name, found.code) == (name, code)
    assert found.ballot == f"parl.{slug(name)}.{on.isoformat()}"


@pytest.mark.parametrize("written", ["Derbyshire", "Nowhere Town", "", "North", "Mid Worcestershire East"])
def test_names_it_does_not_know(both: Gazetteer, written: str) -> None:
    assert both.lookup(written, ON_2024) is None


def test_the_boundary_set_follows_the_election_day(both: Gazetteer) -> None:
    assert both.boundaries_for(ON_2024) == "2024"
    assert both.boundaries_for(date(2024, 7, 3)) == "2010"  # a by-election the day before
    assert both.boundaries_for(date(2010, 5, 6)) == "2010"
    assert both.boundaries_for(date(2005, 5, 5)) is None
    assert both.boundaries_for(None) == "2024"
    assert both.lookup("Mid Worcestershire", ON_2024) is None  # abolished in 2024
    assert both.lookup("Droitwich and Evesham", ON_2019) is None  # created in 2024
    only_2010 = load_gazetteer(LIST_2010)
    assert only_2010.boundaries_for(None) == "2010" and not only_2010.covers(ON_2024)


def test_every_official_name_matches_itself_and_its_press_spellings(both: Gazetteer) -> None:
    for path, on in ((LIST_2024, ON_2024), (LIST_2010, ON_2019)):
        for name, code in _official(path):
            for written in (name, name.upper(), name.replace(",", ""), name.replace(" and ", " & ")):
                found = both.lookup(written, on)
                assert found is not None and found.code == code, (written, on)


def test_the_five_scottish_codes_in_both_sets_are_two_entries_each(both: Gazetteer) -> None:
    assert len(both.entries) == 1300
    assert both.entries[("2024", "S14000027")].name == "Na h-Eileanan an Iar"
    assert both.entries[("2010", "S14000027")].name == "Na h-Eileanan An Iar"
    shared = {code for s, code in both.entries if s == "2024"} & {code for s, code in both.entries if s == "2010"}
    assert len(shared) == 5 and all(code.startswith("S") for code in shared)


def test_a_guessed_day_picks_boundaries_but_names_no_ballot(both: Gazetteer) -> None:
    assert both.lookup("Bolsover", GuessedDay(2024, 7, 5)) == Constituency("Bolsover", "E14001109", None)
    assert both.lookup("Bolsover", None) == Constituency("Bolsover", "E14001109", None)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("North East Derbyshire", "north-east-derbyshire"),
        ("Ynys Môn", "ynys-mon"),
        ("Birmingham, Yardley", "birmingham-yardley"),
        ("Bexhill & Battle", "bexhill-and-battle"),
        ("Weston-super-Mare", "weston-super-mare"),
        ("Na h-Eileanan an Iar", "na-h-eileanan-an-iar"),
        ("St. Helens  North", "st-helens-north"),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_match_key() -> None:
    assert match_key("NE Derbyshire") == match_key("North-East Derbyshire") == "north east derbyshire"
    assert match_key("The Wrekin constituency") == "wrekin"
    assert match_key("S Derbyshire") == "south derbyshire"


# -------------------------------------------------------------------------------------------- loading


def _write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_the_boundary_set_comes_from_the_argument_the_file_name_or_the_columns(tmp_path: Path) -> None:
    rows = "gss_code,constituency_name\nE14001109,Bolsover\n"
    assert read_entries(_write(tmp_path / "seats.csv", rows))[0].boundaries == "2024"
    assert read_entries(_write(tmp_path / "seats-2010.csv", rows))[0].boundaries == "2010"
    assert read_entries(tmp_path / "seats.csv", "2010")[0].boundaries == "2010"
    with_county = "gss_code,constituency_name,county_name\nE14000577,Bolsover,Derbyshire\n"
    assert read_entries(_write(tmp_path / "old.csv", with_county))[0].boundaries == "2010"


def test_a_folder_of_lists(tmp_path: Path) -> None:
    _write(tmp_path / "constituencies-2024.csv", LIST_2024.read_text(encoding="utf-8-sig"))
    _write(tmp_path / "constituencies-2010.csv", LIST_2010.read_text(encoding="utf-8-sig"))
    assert load_gazetteer(tmp_path).boundary_sets == ("2024", "2010")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,code\nBolsover,E14001109\n", "line 1: missing column(s) gss_code, constituency_name"),
        ("gss_code,constituency_name\n", "no constituencies in the file"),
        (b"gss_code,constituency_name\nE14001109,Bols\xffover\n", "not UTF-8 text"),
        ("gss_code,constituency_name\nE1,Bolsover\nnot a code,Erewash\n", "no constituencies in the file"),
        ('gss_code,constituency_name\nE14001109,"Bolsover\n', "unexpected end of data"),
    ],
)
def test_bad_files_are_one_line_config_errors(tmp_path: Path, content: str | bytes, message: str) -> None:
    path = _write(tmp_path / "bad.csv", content)
    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        load_gazetteer(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_a_missing_file_or_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_gazetteer(tmp_path / "missing.csv")
    with pytest.raises(ConfigError, match="no CSV files"):
        load_gazetteer(tmp_path)
    with pytest.raises(ConfigError, match="boundaries must be one of"):
        read_entries(LIST_2024, "2015")


def test_rows_that_cannot_be_read_are_skipped_with_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path / "some.csv", "gss_code,constituency_name\nE14001109,Bolsover\nX,Erewash\n")
    with capture_logs() as logs:
        found = load_gazetteer(path)
    assert found.count("2024") == 1
    assert [(log["event"], log["line"]) for log in logs] == [("gazetteer row skipped", 3)]


def test_import_stores_a_copy_that_the_default_gazetteer_reads(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert default_gazetteer(data_dir) is None
    assert import_gazetteer(LIST_2024, data_dir) == ("2024", 650)
    assert import_gazetteer(LIST_2010, data_dir) == ("2010", 650)
    assert import_gazetteer(LIST_2024, data_dir, "2024") == ("2024", 650)  # replaces, no second copy
    stored = default_gazetteer(data_dir)
    assert stored is not None and stored.boundary_sets == ("2024", "2010")
    assert sorted(p.name for p in (data_dir / "gazetteer").iterdir()) == [
        "constituencies-2010.csv",
        "constituencies-2024.csv",
    ]
    assert stored.lookup("Birmingham Yardley", ON_2019) == Constituency(
        "Birmingham, Yardley", "E14000568", "parl.birmingham-yardley.2019-12-12"
    )


def test_the_gazetteer_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = str(tmp_path / "data")
    assert cli.main(["--data-dir", data_dir, "gazetteer", "show"]) == 1
    assert "no gazetteer stored" in capsys.readouterr().err
    assert cli.main(["--data-dir", data_dir, "gazetteer", "import", str(LIST_2010), "--boundaries", "2010"]) == 0
    assert "stored 650 constituencies on the 2010 boundaries" in capsys.readouterr().out
    assert (
        cli.main(["--data-dir", data_dir, "gazetteer", "lookup", "Worcestershire Mid", "--election", "2019-12-12"]) == 0
    )
    assert '"code": "E14000818"' in capsys.readouterr().out
    assert cli.main(["--data-dir", data_dir, "gazetteer", "lookup", "Nowhere"]) == 3
    assert cli.main(["--data-dir", data_dir, "gazetteer", "show"]) == 0
    assert '"2010": 650' in capsys.readouterr().out
    assert cli.main(["--data-dir", data_dir, "gazetteer", "import", str(tmp_path / "missing.csv")]) == 1
    error = capsys.readouterr().err
    assert error.startswith("ingester: error: gazetteer: cannot read") and error.count("\n") == 1
