"""``ingester simulate`` refuses what it cannot do with one line and a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ingester.simulate.harness import ingester
from tests.simulate.support import CANDIDATES, TIMES


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--results", str(CANDIDATES)], "--results needs --times"),
        (["--results", str(CANDIDATES), "--times", str(TIMES), "--host", "0.0.0.0"], "only listens on loopback"),
        (["--results", "/nonexistent.csv", "--times", str(TIMES)], "cannot read /nonexistent.csv"),
        (["--night", "/nonexistent.warc.gz"], "nonexistent.warc.gz"),
        (["--results", str(CANDIDATES), "--times", str(TIMES), "--fault", "teapot"], "unknown kind 'teapot'"),
    ],
)
def test_a_bad_invocation_is_one_line_on_stderr(args: list[str], message: str, tmp_path: Path) -> None:
    done = subprocess.run(ingester("simulate", *args), capture_output=True, timeout=60, cwd=tmp_path)
    errors = done.stderr.decode().strip().splitlines()
    assert done.returncode == 1
    assert len(errors) == 1 and message in errors[0] and "Traceback" not in errors[0]
