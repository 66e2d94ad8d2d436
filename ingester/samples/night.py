"""The bundled sample nights, built with the same writer that ``record`` uses.

``python -m ingester.samples.night [DIR]`` writes, into ``samples/`` (or DIR):

``derbyshire-2024.warc.gz``
    4-5 July 2024, two sources. The Derbyshire Times live blog (JSON-LD) polled once a minute from 21:25
    BST to 07:30, growing post by post, with two posts edited, one taken down, and a handful of fetches
    that failed (a connection reset, a timeout, two 503s). The BBC Derbyshire live page (``bbc-live``)
    polled every five minutes from 19:58 BST: seed 001's posts and then the declarations, one post
    corrected, a duplicate taken down, the summary and the seats banner at the end; once the stream
    runs past one page, each poll also fetches the further pages the page names, as the poller does.
``constituencies-2017.warc.gz``
    8-9 June 2017: the BBC constituency pages of Derby North and Luton North (``bbc-constituency``)
    polled every five minutes from 21:55 BST to 10:30 and once more in the evening: the page before the
    declaration, the result table after it, the "Latest updates" edited in the morning, and the UK
    banner once every seat had declared.

Everything is derived from fixed data, so the same code always writes the same bytes; a test rebuilds
each night and compares.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from ingester.night import write_night
from ingester.samples import bbc_constituency, bbc_live
from ingester.samples.derbyshire_times import BLOG_URL, blog_at, render_blog_page
from ingester.sources.bbc_live import BbcLiveAdapter
from ingester.types import AdapterContext, Fetched, SourceConfig

ELECTION: Final = "parl.2024-07-04"
SAMPLES: Final = Path(__file__).resolve().parents[2] / "samples"
DERBYSHIRE_NIGHT: Final = SAMPLES / "derbyshire-2024.warc.gz"
CONSTITUENCIES_NIGHT: Final = SAMPLES / "constituencies-2017.warc.gz"

DERBYSHIRE_TIMES: Final = SourceConfig(
    name="derbyshire-times", url=BLOG_URL, kind="jsonld", interval=60.0, election=ELECTION
)
BBC_DERBYSHIRE: Final = SourceConfig(
    name="bbc-derbyshire", url=bbc_live.PAGE_URL, kind="bbc-live", interval=300.0, election=ELECTION
)
CONSTITUENCY_SOURCES: Final = tuple(
    SourceConfig(
        name=f"bbc-{seat.name.lower().replace(' ', '-')}",
        url=seat.url,
        kind="bbc-constituency",
        interval=300.0,
        election=bbc_constituency.ELECTION,
    )
    for seat in bbc_constituency.SEATS
)

_BST: Final = timedelta(hours=1)
_HTML_HEADERS: Final = {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "max-age=30, public",
    "server": "nginx",
}
_BBC_HEADERS: Final = {"content-type": "text/html; charset=utf-8", "cache-control": "max-age=30", "server": "BBC"}
_STREAM_HEADERS: Final = {"content-type": "application/json; charset=utf-8", "cache-control": "max-age=10"}
# Faults of a real night, at fixed poll times (BST): what the archive must show and replay must survive.
_FAULTS: Final[dict[str, tuple[int | None, str | None]]] = {
    "23:41": (None, "ConnectError: [Errno 104] Connection reset by peer"),
    "02:17": (503, None),
    "02:18": (503, None),
    "03:52": (None, "ReadTimeout: no response within 10s"),
}


def poll_times(start: datetime, end: datetime, every: timedelta) -> Iterator[datetime]:
    moment = start
    while moment <= end:
        yield moment
        moment += every


def _bst(day: int, hour: int, minute: int, *, month: int = 7, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - _BST


def _took(moment: datetime, sequence: int, base: int = 137_000) -> datetime:
    # A fetch takes a little while and never lands on the whole second: keep microseconds in the archive.
    return moment + timedelta(microseconds=base + (sequence * 7919) % 400_000)


def _fetch_at(moment: datetime, sequence: int) -> Fetched:
    fetched_at = _took(moment, sequence)
    status, error = _FAULTS.get((moment + _BST).strftime("%H:%M"), (200, None))
    source, url = DERBYSHIRE_TIMES.name, DERBYSHIRE_TIMES.url
    if error is not None:
        return Fetched(source=source, url=url, fetched_at=fetched_at, error=error)
    if status != 200:
        body = b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
        headers = {"content-type": "text/html", "retry-after": "30"}
        return Fetched(source=source, url=url, fetched_at=fetched_at, status=status, headers=headers, body=body)
    body = render_blog_page(blog_at(moment))
    return Fetched(source=source, url=url, fetched_at=fetched_at, status=200, headers=_HTML_HEADERS, body=body)


def derbyshire_fetches(every: timedelta = timedelta(minutes=1)) -> list[Fetched]:
    """The Derbyshire Times blog's fetches of the 2024 night."""
    times = poll_times(_bst(4, 21, 25), _bst(5, 7, 30), every)
    return [_fetch_at(moment, n) for n, moment in enumerate(times)]


def bbc_live_fetches(every: timedelta = timedelta(minutes=5)) -> list[Fetched]:
    """The BBC live page's fetches of the 2024 night, each followed by the stream pages it names."""
    adapter, source = BbcLiveAdapter(), BBC_DERBYSHIRE.name
    context = AdapterContext(url=bbc_live.PAGE_URL, election=ELECTION)
    fetches: list[Fetched] = []
    for n, moment in enumerate(poll_times(_bst(4, 19, 58), _bst(5, 7, 30), every)):
        posts, summary = bbc_live.live_at(moment)
        page = bbc_live.render_live_page(posts, summary=summary)
        fetched_at = _took(moment, n, base=2_310_000)
        fetches.append(
            Fetched(
                source=source, url=bbc_live.PAGE_URL, fetched_at=fetched_at, status=200, headers=_BBC_HEADERS, body=page
            )
        )
        # What the poller does with the page's next_urls: fetch each further page right away.
        for number, url in enumerate(adapter.extract(page, context).next_urls, start=2):
            fetches.append(
                Fetched(
                    source=source,
                    url=url,
                    fetched_at=fetched_at + timedelta(milliseconds=400 * (number - 1)),
                    status=200,
                    headers=_STREAM_HEADERS,
                    body=bbc_live.render_stream_page(posts, number),
                )
            )
    return fetches


def constituency_fetches(every: timedelta = timedelta(minutes=5)) -> list[Fetched]:
    """Both constituency pages through the 2017 night, and once more when every seat had declared."""
    night = list(poll_times(_bst(8, 21, 55, month=6, year=2017), _bst(9, 10, 30, month=6, year=2017), every))
    times = [*night, _bst(9, 21, 5, month=6, year=2017)]
    fetches = []
    for offset, (seat, config) in enumerate(zip(bbc_constituency.SEATS, CONSTITUENCY_SOURCES, strict=True)):
        for n, moment in enumerate(times):
            body = bbc_constituency.render_constituency_page(seat, bbc_constituency.page_at(seat, moment))
            fetched_at = _took(moment, n, base=500_000 + 1_700_000 * offset)
            fetches.append(
                Fetched(
                    source=config.name,
                    url=config.url,
                    fetched_at=fetched_at,
                    status=200,
                    headers=_BBC_HEADERS,
                    body=body,
                )
            )
    return fetches


def build_derbyshire_night(out: Path = DERBYSHIRE_NIGHT) -> Path:
    write_night(out, [DERBYSHIRE_TIMES, BBC_DERBYSHIRE], derbyshire_fetches() + bbc_live_fetches())
    return out


def build_constituencies_night(out: Path = CONSTITUENCIES_NIGHT) -> Path:
    write_night(out, CONSTITUENCY_SOURCES, constituency_fetches())
    return out


# Every bundled night: its file and the function that builds it (given where to write).
SAMPLE_NIGHTS: Final[Mapping[Path, Callable[[Path], Path]]] = {
    DERBYSHIRE_NIGHT: build_derbyshire_night,
    CONSTITUENCIES_NIGHT: build_constituencies_night,
}


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else SAMPLES
    for night, build in SAMPLE_NIGHTS.items():
        print(build(directory / night.name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
