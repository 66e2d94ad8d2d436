"""The bundled sample nights, built with the same writer that ``record`` uses.

``python -m ingester.samples.night [OUT]`` writes ``samples/derbyshire-2024.warc.gz``: the Derbyshire
Times live blog polled once a minute from 21:25 BST on 4 July 2024 to 07:30 BST on 5 July, growing post by
post, with two posts edited during the night, one taken down, and a handful of fetches that failed (a
connection reset, a timeout, two 503s). Everything is derived from fixed data, so the same code always
writes the same bytes; a test rebuilds the file and compares.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from ingester.night import write_night
from ingester.samples.derbyshire_times import BLOG_URL, blog_at, render_blog_page
from ingester.types import Fetched, SourceConfig

ELECTION: Final = "parl.2024-07-04"
DERBYSHIRE_NIGHT: Final = Path(__file__).resolve().parents[2] / "samples" / "derbyshire-2024.warc.gz"

DERBYSHIRE_TIMES: Final = SourceConfig(
    name="derbyshire-times", url=BLOG_URL, kind="jsonld", interval=60.0, election=ELECTION
)

_BST: Final = timedelta(hours=1)
_HTML_HEADERS: Final = {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "max-age=30, public",
    "server": "nginx",
}
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


def _bst(day: int, hour: int, minute: int) -> datetime:
    return datetime(2024, 7, day, hour, minute, tzinfo=UTC) - _BST


def _fetch_at(moment: datetime, sequence: int) -> Fetched:
    # A fetch takes a little while and never lands on the whole second: keep microseconds in the archive.
    fetched_at = moment + timedelta(microseconds=137_000 + (sequence * 7919) % 400_000)
    status, error = _FAULTS.get((moment + _BST).strftime("%H:%M"), (200, None))
    source, url = DERBYSHIRE_TIMES.name, DERBYSHIRE_TIMES.url
    if error is not None:
        return Fetched(source=source, url=url, fetched_at=fetched_at, error=error)
    if status != 200:
        body = b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
        headers = {"content-type": "text/html", "retry-after": "30"}
        return Fetched(
            source=source, url=url, fetched_at=fetched_at, status=status, headers=headers, body=body
        )
    body = render_blog_page(blog_at(moment))
    return Fetched(
        source=source, url=url, fetched_at=fetched_at, status=200, headers=_HTML_HEADERS, body=body
    )


def derbyshire_fetches(every: timedelta = timedelta(minutes=1)) -> list[Fetched]:
    times = poll_times(_bst(4, 21, 25), _bst(5, 7, 30), every)
    return [_fetch_at(moment, n) for n, moment in enumerate(times)]


def build_derbyshire_night(out: Path = DERBYSHIRE_NIGHT) -> Path:
    write_night(out, [DERBYSHIRE_TIMES], derbyshire_fetches())
    return out


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DERBYSHIRE_NIGHT
    print(build_derbyshire_night(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
