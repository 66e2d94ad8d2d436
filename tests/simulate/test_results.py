"""Reading the results file and the (malformed) declaration times into seats."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingester.errors import ConfigError
from ingester.simulate.results import load_seats, name_key, read_declaration_times
from tests.simulate.support import seats

HEADER = "Constituency,2019 party,2019 majority (percent),2024 party,2024 majority (percent),Declaration time\n"
CANDIDATE_HEADER = (
    "ONS ID,ONS region ID,Constituency name,County name,Region name,Country name,Constituency type,Party name,"
    "Party abbreviation,Electoral Commission party ID,MNIS party ID,Electoral Commission adjunct party ID,"
    "Candidate first name,Candidate surname,Candidate gender,Sitting MP,Former MP,Member MNIS ID,Votes,Share,"
    "Change,DC Person ID\n"
)


ABBREVIATIONS = {"Labour": "Lab", "Conservative": "Con", "Green": "Green", "Heritage Party": "HPUK"}


def candidate(code: str, seat: str, party: str, name: str, votes: str) -> str:
    first, last = name.split()
    abbreviation = ABBREVIATIONS[party]
    return f"{code},R,{seat},,Region,England,County,{party},{abbreviation},,,,{first},{last},,,,,{votes},0.1,,\n"


def test_the_2024_files_give_650_seats_in_declaration_order() -> None:
    found = seats()
    assert len(found) == 650
    assert [s.declared_at for s in found] == sorted(s.declared_at for s in found)
    assert Counter(s.winner.party for s in found)["LAB"] == 411
    assert all(len(s.candidates) >= 2 and s.winner.votes > s.candidates[1].votes for s in found)
    by_name = {s.name: s for s in found}
    # the times file writes "Hull East" and "&"; the candidates file "Kingston upon Hull East" and "and"
    assert by_name["Kingston upon Hull East"].previous == "LAB"
    assert by_name["Brecon, Radnor and Cwm Tawe"].gained_from == "CON"
    # a row misspelt "YeoYeovil" in the candidates file still counts for Yeovil (same GSS code)
    assert "YeoYeovil" not in by_name and by_name["Yeovil"].winner.party == "LD"
    # Inverness has no time in the file: it declares last, as it did (after its recount)
    assert found[-1].name == "Inverness, Skye and West Ross-shire" and found[-1].previous is None
    assert found[0].declared_at == datetime(2024, 7, 4, 22, 17, tzinfo=UTC)  # 23:17 BST


def test_names_with_unquoted_commas_keep_their_commas(tmp_path: Path) -> None:
    times = tmp_path / "times.csv"
    times.write_text(
        HEADER + "Argyll, Bute & South Lochaber,SNP,9.7,SNP,13.9,06:43,\nHitchin,CON,20.8,LAB,15.4,23:55,\n"
    )
    found = read_declaration_times(times, date(2024, 7, 4))
    assert found[name_key("Argyll, Bute and South Lochaber")].declared_at == datetime(2024, 7, 5, 5, 43, tzinfo=UTC)
    assert found[name_key("Hitchin")].declared_at == datetime(2024, 7, 4, 22, 55, tzinfo=UTC)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEADER + "Hitchin,CON,20.8,LAB,15.4,quarter past,\n", "times.csv:2: expected a time HH:MM"),
        (HEADER + "Hitchin,CON,17:00\n", "times.csv:2: expected a name and 5 columns"),
    ],
)
def test_a_bad_times_row_is_a_one_line_error_naming_its_line(tmp_path: Path, content: str, message: str) -> None:
    times = tmp_path / "times.csv"
    times.write_text(content)
    with pytest.raises(ConfigError, match=message) as caught:
        read_declaration_times(times, date(2024, 7, 4))
    assert "\n" not in str(caught.value)


def test_a_candidates_file_is_checked_before_use(tmp_path: Path) -> None:
    times = tmp_path / "times.csv"
    times.write_text(HEADER)
    bad = tmp_path / "candidates.csv"
    bad.write_text("Name,Votes\nA,1\n")
    with pytest.raises(ConfigError, match="not a candidates file"):
        load_seats(bad, times)
    bad.write_text(CANDIDATE_HEADER + candidate("E1", "Seat", "Labour", "A B", "many"))
    with pytest.raises(ConfigError, match=r"candidates\.csv:2: Votes: expected a whole number"):
        load_seats(bad, times)
    bad.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_seats(bad, times)
    with pytest.raises(ConfigError, match="cannot read"):
        load_seats(tmp_path / "missing.csv", times)


def test_a_seat_without_a_time_declares_after_the_others(tmp_path: Path) -> None:
    times = tmp_path / "times.csv"
    times.write_text(HEADER + "Alpha,CON,1,LAB,1,02:00,\n")
    rows = CANDIDATE_HEADER + "".join(
        [
            candidate("E1", "Alpha", "Labour", "Ann One", "200"),
            candidate("E1", "Alpha", "Conservative", "Bob Two", "100"),
            candidate("E2", "Beta", "Green", "Cat Three", "50"),
            candidate("E2", "Beta", "Heritage Party", "Dan Four", "60"),
        ]
    )
    path = tmp_path / "candidates.csv"
    path.write_text(rows)
    alpha, beta = load_seats(path, times)
    assert (alpha.name, alpha.winner.party, alpha.gained_from) == ("Alpha", "LAB", "CON")
    assert beta.declared_at > alpha.declared_at and beta.previous is None
    assert (beta.winner.party, beta.winner.party_name) == ("OTH", "Heritage Party")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_seats_or_a_config_error(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "c.csv").write_bytes(CANDIDATE_HEADER.encode() + data)
    (folder / "t.csv").write_bytes(HEADER.encode() + data)
    try:
        load_seats(folder / "c.csv", folder / "t.csv")
    except ConfigError as err:
        assert "\n" not in str(err)
