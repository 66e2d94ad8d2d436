"""The console script as a user runs it: bad input gives one line on stderr and a non-zero exit."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ingester.samples.night import DERBYSHIRE_NIGHT
from tests.conftest import RedisServer
from tests.nights import ingester_command


def ingester(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ingester", *args], capture_output=True, text=True, timeout=timeout)


def assert_one_line_error(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert done.returncode == 1, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ingester: error: "), done.stderr
    assert "Traceback" not in done.stderr
    for needle in needles:
        assert needle in lines[0]


def test_missing_night(tmp_path: Path) -> None:
    done = ingester("--redis", "redis://127.0.0.1:1", "replay", str(tmp_path / "nope.warc.gz"))
    assert_one_line_error(done, "nope.warc.gz")


@pytest.mark.parametrize("content", [b"", b"this is not a night at all\n" * 50, gzip.compress(b"\x00garbage" * 100)])
def test_garbage_night(tmp_path: Path, content: bytes) -> None:
    night = tmp_path / "garbage.warc.gz"
    night.write_bytes(content)
    done = ingester("--redis", "redis://127.0.0.1:1", "replay", str(night))
    assert_one_line_error(done, "garbage.warc.gz")


def test_truncated_night_replays_what_it_can_then_fails(tmp_path: Path, redis_server: RedisServer) -> None:
    data = DERBYSHIRE_NIGHT.read_bytes()
    night = tmp_path / "cut.warc.gz"
    night.write_bytes(data[: len(data) * 2 // 3])
    done = subprocess.run(
        ingester_command(redis_server.url, "replay", str(night)), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("ingester: error: night ")
    assert redis_server.client().xlen("ingester:posts") > 0


def test_unreachable_redis() -> None:
    done = ingester("--redis", "redis://127.0.0.1:1/0", "replay", str(DERBYSHIRE_NIGHT))
    assert_one_line_error(done, "127.0.0.1:1")


def test_bad_redis_url() -> None:
    done = ingester("--redis", "nonsense://where", "tail", "--once")
    assert_one_line_error(done)


def test_unknown_kind(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html></html>")
    done = ingester("extract", str(page), "--kind", "carrier-pigeon")
    assert_one_line_error(done, "carrier-pigeon")


def test_unreadable_extract_input(tmp_path: Path) -> None:
    assert_one_line_error(ingester("extract", str(tmp_path / "missing.html")), "missing.html")
    assert_one_line_error(ingester("extract", str(tmp_path)), str(tmp_path))


def test_schema_is_json() -> None:
    done = ingester("schema")
    assert done.returncode == 0 and json.loads(done.stdout)["discriminator"]["propertyName"] == "type"


def test_tail_prints_what_replay_appended(redis_server: RedisServer) -> None:
    replayed = subprocess.run(
        ingester_command(redis_server.url, "replay", str(DERBYSHIRE_NIGHT)), capture_output=True, timeout=60
    )
    assert replayed.returncode == 0
    tail = subprocess.run(
        ingester_command(redis_server.url, "tail", "--type", "post", "--from-start", "--once"),
        capture_output=True,
        timeout=60,
    )
    lines = tail.stdout.splitlines()
    assert tail.returncode == 0 and len(lines) == redis_server.client().xlen("ingester:posts") > 0
    assert all(json.loads(line)["type"] == "post" for line in lines)
