"""The recorded bodies the adapter tests read, with the context each is read in.

Fixtures live in ``tests/sources/fixtures/<kind>/<file>`` beside ``<file stem>.posts.json``; a case is named
``<kind>/<file>``. Many fixtures are rendered from the sample modules (``GENERATED``: the test checks that
each file is exactly what its renderer gives, and ``UPDATE_GOLDEN=1`` rewrites it); the others are written
by hand. The seed pages are read from ``shared/seeds`` beside the repository at test time (never copied);
their goldens live in ``fixtures/text/seed-NNN*.posts.json``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Final

import msgspec

from ingester.samples import bbc_constituency as constituency
from ingester.samples import bbc_live, derbyshire_live, derbyshire_times
from ingester.types import AdapterContext, Extraction

FIXTURES: Final = Path(__file__).parent / "fixtures"
SEEDS: Final = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
GE2024: Final = "parl.2024-07-04"
GE2017: Final = "parl.2017-06-08"

# The three snapshots of the Derbyshire Times blog, rendered from the sample module.
DERBYSHIRE_SNAPSHOTS: Final = {
    "derbyshire-times.1.html": datetime.fromisoformat("2024-07-05T03:05:00+01:00"),
    "derbyshire-times.2.html": datetime.fromisoformat("2024-07-05T05:40:00+01:00"),
    "derbyshire-times.3.html": datetime.fromisoformat("2024-07-05T07:15:00+01:00"),
}
BBC_LIVE_SNAPSHOTS: Final = {"derbyshire-live.1.html": "00:30", "derbyshire-live.2.html": "03:05"}
BBC_LIVE_FINAL: Final = "07:25"
REACH_SNAPSHOTS: Final = {"derbyshire-live.1.html": "05:00", "derbyshire-live.2.html": "07:00"}


def _bbc_page(time: str) -> bytes:
    posts, summary = bbc_live.live_at(bbc_live.bst(time))
    return bbc_live.render_live_page(posts, summary=summary)


def _bbc_stream(time: str, page: int, *, display_times: bool = False) -> bytes:
    posts, _ = bbc_live.live_at(bbc_live.bst(time))
    return bbc_live.render_stream_page(posts, page, display_times=display_times)


def _seat_page(seat: constituency.Seat, stamp: str) -> bytes:
    return constituency.render_constituency_page(seat, constituency.page_at(seat, constituency.june(stamp)))


def _derbyshire_times(at: datetime, kind: str) -> bytes:
    return derbyshire_times.render_blog_page(derbyshire_times.blog_at(at), jsonld=kind == "jsonld")


def _reach(time: str) -> bytes:
    return derbyshire_live.render_reach_page(derbyshire_live.blog_at(derbyshire_live.night_time(time)))


GENERATED: Final[Mapping[str, Callable[[], bytes]]] = {
    **{
        f"{kind}/{name}": partial(_derbyshire_times, at, kind)
        for name, at in DERBYSHIRE_SNAPSHOTS.items()
        for kind in ("jsonld", "html")
    },
    **{f"html/{name}": partial(_reach, t) for name, t in REACH_SNAPSHOTS.items()},
    **{f"bbc-live/{name}": partial(_bbc_page, t) for name, t in BBC_LIVE_SNAPSHOTS.items()},
    "bbc-live/derbyshire-live.3.html": partial(_bbc_page, BBC_LIVE_FINAL),
    "bbc-live/derbyshire-stream.p2.json": partial(_bbc_stream, BBC_LIVE_FINAL, 2),
    "bbc-live/derbyshire-stream.display-times.json": partial(_bbc_stream, "01:05", 1, display_times=True),
    "bbc-constituency/derby-north-2017.before.html": partial(_seat_page, constituency.DERBY_NORTH, "08 23:00"),
    "bbc-constituency/derby-north-2017.after.html": partial(_seat_page, constituency.DERBY_NORTH, "09 04:00"),
    "bbc-constituency/derby-north-2017.morning.html": partial(_seat_page, constituency.DERBY_NORTH, "09 09:00"),
    "bbc-constituency/luton-north-2017.html": partial(_seat_page, constituency.LUTON_NORTH, "09 21:30"),
}

_CONTENT_TYPES: Final = {
    ".html": "text/html",
    ".json": "application/json",
    ".txt": "text/plain",
    ".xml": "application/rss+xml",
    ".atom": "application/atom+xml",
}
_STREAM: Final = (
    f"{bbc_live.STREAM_URL}?liveTextStreamId={bbc_live.STREAM_ID}&pageUrl=%2Fnews%2Flive%2Fc4ngq5d8l0xt&{{}}"
)
_URLS: Final = {
    "jsonld/live-graph.json": "https://news.example.co.uk/live/east-midlands-election-2024",
    "jsonld/blogposts-latin1.html": "https://www.peakvalley.example/politics/derbyshire-results-round-up",
    **{f"{kind}/{name}": derbyshire_times.BLOG_URL for name in DERBYSHIRE_SNAPSHOTS for kind in ("jsonld", "html")},
    **{f"html/{name}": derbyshire_live.PAGE_URL for name in REACH_SNAPSHOTS},
    **{f"bbc-live/derbyshire-live.{n}.html": bbc_live.PAGE_URL for n in (1, 2, 3)},
    "bbc-live/derbyshire-stream.p2.json": _STREAM.format("pageNumber=2"),
    "bbc-live/derbyshire-stream.display-times.json": _STREAM.format("pageNumber=1"),
    "bbc-live/empty-stream.json": f"{bbc_live.STREAM_URL}?{bbc_live.stream_query(1)}",
    "bbc-constituency/derby-north-2017.before.html": constituency.DERBY_NORTH.url,
    "bbc-constituency/derby-north-2017.after.html": constituency.DERBY_NORTH.url,
    "bbc-constituency/derby-north-2017.morning.html": constituency.DERBY_NORTH.url,
    "bbc-constituency/luton-north-2017.html": constituency.LUTON_NORTH.url,
    "bbc-constituency/north-east-derbyshire-2024.html": (
        "https://www.bbc.co.uk/news/election/2024/uk/constituencies/E14001391"
    ),
    "feed/bbc-derbyshire.1.xml": "https://feeds.bbci.co.uk/news/england/derbyshire/rss.xml",
    "feed/bbc-derbyshire.2.xml": "https://feeds.bbci.co.uk/news/england/derbyshire/rss.xml",
    "feed/derbyshire-dales-council.atom": "https://www.derbyshiredales.gov.uk/elections/news.atom",
}
_ELECTIONS: Final = {
    "text/bbc-live-2019.txt": "parl.2019-12-12",
    "bbc-constituency/derby-north-2017.before.html": GE2017,
    "bbc-constituency/derby-north-2017.after.html": GE2017,
    "bbc-constituency/derby-north-2017.morning.html": GE2017,
    "bbc-constituency/luton-north-2017.html": GE2017,
}
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
        name = f"{path.parent.name}/{path.name}"
        context = AdapterContext(
            url=_URLS.get(name, f"https://fixtures.example/{name}"),
            headers={"content-type": _CONTENT_TYPES[path.suffix]},
            election=_ELECTIONS.get(name, GE2024),
        )
        golden = path.with_name(path.name.removesuffix(path.suffix) + ".posts.json")
        cases.append(Case(name, path.parent.name, path, golden, context))
    return cases


def seed_cases() -> list[Case]:
    return [
        Case(
            f"text/{name}",
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
    """The case named ``<kind>/<file>`` (a seed: ``text/seed-NNN``)."""
    return next(c for c in all_cases() if c.name == name)


def golden_json(extraction: Extraction) -> bytes:
    """The golden form of an extraction: msgspec JSON, pretty-printed, with a final newline."""
    return msgspec.json.format(msgspec.json.encode(extraction), indent=2) + b"\n"
