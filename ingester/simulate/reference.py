"""The uninterrupted run, computed: every state of every page fed once through the pipeline, in order.

Event ids depend on source, post, revision, kind and ordinal, never on when a fetch happened, so a
run that sees every page state publishes exactly these events. Two readings of "every page state":

- ``pages="poller"``: every page the daemon's poller reaches (page 1 and up to ``max_pages - 1``
  deeper pages, by its default), at every state. The poller reads deeper pages when a burst pushed
  new posts onto them, and sweeps one a cycle; a night whose every version stays up longer than a
  sweep's round is read whole. This is what a crashed, restarted or Redis-starved live run must end up
  equal to (``tests/simulate/test_crash.py``), computed in a second without a second live run;
- ``pages="all"``: every page at every state, the most any reader could see. What it holds beyond the
  poller's reading (posts deeper than ``max_pages``) no poller with that setting sees;
  ``bench/night.py`` reports it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Literal

from ingester.events import Event, PostEvent
from ingester.pipeline import Processor
from ingester.settings import DEFAULT_MAX_PAGES
from ingester.simulate.model import Blog
from ingester.simulate.page import PageView, page_of
from ingester.simulate.site import GeneratedSite
from ingester.types import Fetched, SourceConfig

Streams = dict[str, Counter[str]]
Pages = Literal["poller", "all"]
MAX_PAGES = DEFAULT_MAX_PAGES


def reference_streams(site: GeneratedSite, sources: Collection[str] | None = None, pages: Pages = "poller") -> Streams:
    """Event ids per stream (``posts`` and ``events``) of that run, of every source or of ``sources``."""
    streams: Streams = {"posts": Counter(), "events": Counter()}
    for event in reference_events(site, sources, pages):
        streams["posts" if isinstance(event, PostEvent) else "events"][event.event_id] += 1
    return streams


def reference_events(
    site: GeneratedSite, sources: Collection[str] | None = None, pages: Pages = "poller"
) -> list[Event]:
    """Every event of that run, source by source."""
    configs = {
        source.name: SourceConfig(
            name=source.name, url=site.base_url + source.path, kind=source.kind, election=source.election, test=True
        )
        for source in site.served_sources()
    }
    reader = _Reader(site, Processor(configs, {}), pages)
    for blog in site.night.blogs:
        if sources is None or blog.name in sources:
            reader.read_blog(blog)
    return reader.found


class _Reader:
    def __init__(self, site: GeneratedSite, processor: Processor, pages: Pages) -> None:
        self.site = site
        self.processor = processor
        self.pages = pages
        self.found: list[Event] = []

    def read_blog(self, blog: Blog) -> None:
        for moment in self.site.moments(blog):
            page: int | None = 1
            for _ in range(MAX_PAGES if self.pages == "poller" else 10_000):
                if page is None:
                    break
                page = self._read_page(blog, moment, page)

    def _read_page(self, blog: Blog, moment: datetime, page: int) -> int | None:
        """Reads one page; the page to read next in this state, if any."""
        site, shape = self.site, self.site.shape_of(blog)
        shown = site.shown(blog, moment)
        on_page, total = page_of(shown, shape.page_size, page)
        if page > total:
            return None
        view = PageView(blog=blog, url=site.url_of(blog), shown=on_page, page=page, pages=total, total=len(shown))
        fetched = Fetched(
            source=blog.name,
            url=page_url(site.url_of(blog), shape.page_param, page),
            fetched_at=moment + timedelta(microseconds=page - 1),  # later pages a little later
            status=200,
            headers={"content-type": shape.content_type},
            body=shape.render(view),
        )
        unit = self.processor.process(fetched)
        self.found.extend(unit.events if unit is not None else ())
        return page + 1


def page_url(url: str, param: str, page: int) -> str:
    if page == 1:
        return url
    return f"{url}{'&' if '?' in url else '?'}{param}={page}"
