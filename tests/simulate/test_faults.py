"""Fault configuration: the command-line form, the TOML file, windows, patterns and rates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ingester.errors import ConfigError
from ingester.simulate.faults import FAULT_KINDS, Fault, FaultPlan, load_faults, parse_fault

START = datetime(2024, 7, 4, 21, 30, tzinfo=UTC)


def test_the_command_line_form_names_kind_sources_and_window() -> None:
    fault = parse_fault("503@wire,local-0*:1h-1h20m")
    assert (fault.kind, fault.sources, fault.start, fault.end) == ("503", ("wire", "local-0*"), "1h", "1h20m")
    assert fault.window(START) == (START + timedelta(hours=1), START + timedelta(hours=1, minutes=20))
    assert parse_fault("hang") == Fault(kind="hang")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("teapot", "unknown kind 'teapot'"),
        ("503:soon", "expected a duration"),
        ("500@:1h-later", "expected a duration"),
    ],
)
def test_a_bad_command_line_fault_is_a_one_line_error(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_fault(spec)


def test_a_faults_file_is_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "faults.toml"
    path.write_text('[[faults]]\nkind = "429"\nsources = ["seat-*"]\nstart = "2h"\nretry_after = 5\n')
    assert load_faults(path) == [Fault(kind="429", sources=("seat-*",), start="2h", retry_after=5)]
    path.write_text('[[faults]]\nkind = "slow"\nchunk_delay = 600\n')
    with pytest.raises(ConfigError, match=r"faults\[0\]: slow: chunk_delay must be 0 to 60 seconds"):
        load_faults(path)
    path.write_text('[[faults]]\nkind = "slow"\nspeed = 3\n')
    with pytest.raises(ConfigError, match="unknown field"):
        load_faults(path)
    path.write_text("[[faults]\n")
    with pytest.raises(ConfigError, match="not a valid TOML file"):
        load_faults(path)


def test_a_plan_hits_the_sources_its_patterns_name_within_the_window() -> None:
    plan = FaultPlan([Fault(kind="500", sources=("local-*",), start="1h", end="2h")], START)
    inside = START + timedelta(hours=1, minutes=30)
    assert [f.kind for f in plan.active("local-01", inside, 0)] == ["500"]
    assert plan.active("wire", inside, 0) == []
    assert plan.active("local-01", START + timedelta(hours=2), 0) == []  # the end is not in the window
    assert plan.active("local-01", START + timedelta(minutes=59), 0) == []


def test_a_rate_hits_that_share_of_requests_the_same_way_every_run() -> None:
    plan = FaultPlan([Fault(kind="reset", rate=0.25)], START, seed=7)
    hits = [bool(plan.active("wire", START, n)) for n in range(4000)]
    assert 800 < sum(hits) < 1200
    assert hits == [
        bool(FaultPlan([Fault(kind="reset", rate=0.25)], START, seed=7).active("wire", START, n)) for n in range(4000)
    ]


def test_content_faults_apply_to_every_request_and_their_edges_are_known() -> None:
    plan = FaultPlan([Fault(kind="sister", rate=0.01, start="1h", end="2h"), Fault(kind="stale")], START)
    assert [f.kind for f in plan.content_faults("sister-01", START + timedelta(hours=1))] == ["sister"]
    assert plan.boundaries({"sister"}) == [START + timedelta(hours=1), START + timedelta(hours=2)]
    assert set(FAULT_KINDS) >= {"500", "503", "429", "slow", "hang", "reset", "truncate", "charset", "layout"}
