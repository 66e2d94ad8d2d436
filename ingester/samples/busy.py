"""A synthetic busy night for tests and benchmarks: a blog that gains a post every fetch.

Every third fetch also edits an earlier post, and the page shows the newest 60 posts, so older posts
scroll off (which the differ must not take for deletions).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from ingester.night import write_night
from ingester.samples.derbyshire_times import SamplePost, render_blog_page
from ingester.types import Fetched, SourceConfig

BUSY_URL = "https://live.example.test/blog"
BUSY = SourceConfig(name="busy-blog", url=BUSY_URL, kind="jsonld", interval=30.0, election="parl.2024-07-04")
T0 = datetime(2024, 7, 4, 21, 0, tzinfo=UTC)


def busy_post(number: int, edit: int = 0) -> SamplePost:
    minute = T0 + timedelta(minutes=number)
    seat = ("Erewash", "Bolsover", "High Peak", "Amber Valley", "Derby North")[number % 5]
    note = f" (updated {edit})" if edit else ""
    return SamplePost(
        id=f"p{number}",
        headline=f"Labour gain {seat}" if number % 7 == 0 else f"Update {number} from the count{note}",
        paragraphs=(f"Paragraph about the count at {seat}, number {number}{note}.",),
        published=minute.isoformat(),
        modified=(minute + timedelta(seconds=edit)).isoformat() if edit else None,
    )


def busy_fetches(count: int) -> list[Fetched]:
    """A blog that gains a post per fetch and edits an earlier post every third fetch."""
    fetches = []
    for n in range(1, count + 1):
        posts = [busy_post(i, edit=n if (n % 3 == 0 and i == n // 2) else 0) for i in range(1, n + 1)]
        fetched_at = T0 + timedelta(seconds=30 * n, microseconds=n)
        body = render_blog_page(posts[::-1][:60], url=BUSY_URL)
        fetches.append(
            Fetched(
                source=BUSY.name,
                url=BUSY_URL,
                fetched_at=fetched_at,
                status=200,
                headers={"content-type": "text/html; charset=utf-8"},
                body=body,
            )
        )
    return fetches


def write_busy_night(path: Path, count: int = 240) -> Path:
    write_night(path, [BUSY], busy_fetches(count))
    return path
