"""``ingester extract FILE --kind auto`` on the fixtures: the right adapter, the expected posts and events.

The command reads a file with a ``file://`` URL and the content type its name suggests, so detection must
work from the body alone: checked for every fixture in process, and end to end for one fixture per kind.
"""

from __future__ import annotations

import json
import mimetypes
import subprocess
import sys
from collections import Counter

import msgspec
import pytest

from ingester.sources import detect_kind
from tests.sources.cases import GE2017, Case, all_cases, case
from tests.sources.test_registry import AUTO_KIND


def cli_headers(found: Case) -> dict[str, str]:
    return {"content-type": mimetypes.guess_type(found.source.name)[0] or "application/octet-stream"}


@pytest.mark.parametrize("found", all_cases(), ids=lambda c: c.name)
def test_auto_picks_the_fixture_kind_from_the_file_alone(found: Case) -> None:
    url = found.source.resolve().as_uri()
    assert detect_kind(url, found.body(), cli_headers(found)) == AUTO_KIND.get(found.name, found.kind)


def extract(found: Case) -> list[dict[str, object]]:
    election = found.context.election or GE2017
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ingester",
            "extract",
            str(found.source),
            "--election",
            election,
            "--observed-at",
            "2024-07-05T08:00:00+00:00",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


# (fixture, typed events expected at least, a fact the events must carry)
EXPECTED = [
    ("bbc-constituency/luton-north-2017.html", {"result": 1, "flash": 2, "tally": 1}, "Kelvin Hopkins"),
    ("bbc-constituency/north-east-derbyshire-2024.html", {"result": 1, "flash": 1}, "Wesley Massumbukolt"),
    ("bbc-live/derbyshire-live.3.html", {"tally": 1, "flash": 11}, "Derbyshire Dales"),
    ("html/derbyshire-times.3.html", {"result": 3, "flash": 11}, "Louise Jones"),
    ("jsonld/derbyshire-times.2.html", {"result": 3, "recount": 1}, "Toby Perkins"),
    ("feed/derbyshire-dales-council.atom", {"result": 1}, "Helen Wetherall"),
]


@pytest.mark.parametrize(("name", "kinds", "fact"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_extract_prints_the_posts_and_events(name: str, kinds: dict[str, int], fact: str) -> None:
    found = case(name)
    printed = extract(found)
    golden = msgspec.json.decode(found.golden.read_bytes())
    posts = [e for e in printed if e["type"] == "post"]
    # the same posts as the golden file (the pipeline orders them by time, the page by position)
    assert Counter(p["headline"] for p in posts) == Counter(p["headline"] for p in golden["posts"])
    counted = Counter(str(e["type"]) for e in printed if e["type"] != "post")
    assert all(counted[kind] >= n for kind, n in kinds.items()), counted
    assert fact in json.dumps([e for e in printed if e["type"] != "post"], ensure_ascii=False)
