"""The recorded bodies the adapter tests read, with the context each is read in.

Fixtures live in ``tests/sources/fixtures/<kind>/<case>.<ext>`` beside ``<case>.posts.json``. The seed pages
are read from ``shared/seeds`` beside the repository at test time (never copied); their goldens live in
``fixtures/text/seed-NNN*.posts.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

import msgspec

from ingester.samples.derbyshire_times import BLOG_URL
from ingester.types import AdapterContext, Extraction

FIXTURES: Final = Path(__file__).parent / "fixtures"
SEEDS: Final = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
GE2024: Final = "parl.2024-07-04"
GE2017: Final = "parl.2017-06-08"

# The three snapshots of the Derbyshire Times blog in fixtures/jsonld, rendered from the sample module.
DERBYSHIRE_SNAPSHOTS: Final = {
    "derbyshire-times.1.html": datetime.fromisoformat("2024-07-05T03:05:00+01:00"),
    "derbyshire-times.2.html": datetime.fromisoformat("2024-07-05T05:40:00+01:00"),
    "derbyshire-times.3.html": datetime.fromisoformat("2024-07-05T07:15:00+01:00"),
}
_CONTENT_TYPES: Final = {".html": "text/html", ".json": "application/ld+json", ".txt": "text/plain"}
_URLS: Final = {
    "live-graph.json": "https://news.example.co.uk/live/east-midlands-election-2024",
    "blogposts-latin1.html": "https://www.peakvalley.example/politics/derbyshire-results-round-up",
    **dict.fromkeys(DERBYSHIRE_SNAPSHOTS, BLOG_URL),
}
_ELECTIONS: Final = {"bbc-live-2019.txt": "parl.2019-12-12"}
# (golden name, seed number, election)
_SEED_CASES: Final = (
    ("seed-000", "000", GE2017),
    ("seed-001", "001", GE2024),
    ("seed-001-no-election", "001", None),
    ("seed-002", "002", GE2024),
    ("seed-003", "003", GE2024),
    ("seed-004", "004", GE2017),
)


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    source: Path
    golden: Path
    context: AdapterContext

    def body(self) -> bytes:
        return self.source.read_bytes()


def seed_path(number: str) -> Path:
    """The seed page whose file name starts with ``number``; fails loudly when shared/ is missing."""
    found = sorted(SEEDS.glob(f"{number}_*.txt"))
    assert found, f"seed {number} not found under {SEEDS}"
    return found[0]


def fixture_cases() -> list[Case]:
    cases = []
    for path in sorted(FIXTURES.glob("*/*")):
        if path.name.endswith(".posts.json"):
            continue
        context = AdapterContext(
            url=_URLS.get(path.name, f"https://fixtures.example/{path.parent.name}/{path.name}"),
            headers={"content-type": _CONTENT_TYPES[path.suffix]},
            election=_ELECTIONS.get(path.name, GE2024),
        )
        golden = path.with_name(path.name.removesuffix(path.suffix) + ".posts.json")
        cases.append(Case(path.name, path.parent.name, path, golden, context))
    return cases


def seed_cases() -> list[Case]:
    return [
        Case(
            name,
            "text",
            seed_path(number),
            FIXTURES / "text" / f"{name}.posts.json",
            AdapterContext(url=f"file:///seeds/{number}.txt", election=election),
        )
        for name, number, election in _SEED_CASES
    ]


def all_cases() -> list[Case]:
    return fixture_cases() + seed_cases()


def case(name: str) -> Case:
    return next(c for c in all_cases() if c.name == name)


def golden_json(extraction: Extraction) -> bytes:
    """The golden form of an extraction: msgspec JSON, pretty-printed, with a final newline."""
    return msgspec.json.format(msgspec.json.encode(extraction), indent=2) + b"\n"
