"""The uninterrupted run, computed: every state of every page fed once through the pipeline, in order.

A poller that never misses a page state (every version of every post lives longer than its poll
interval) publishes exactly these events: the ids depend on source, post, revision, kind and ordinal,
never on when a fetch happened. This is what a crashed, restarted or Redis-starved live run must end
up equal to (``tests/simulate/test_crash.py``), computed in a second without a second live run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import timedelta

from ingester.events import PostEvent
from ingester.pipeline import Processor
from ingester.simulate.model import change_times
from ingester.simulate.page import PageView
from ingester.simulate.site import GeneratedSite
from ingester.types import Fetched, SourceConfig

Streams = dict[str, Counter[str]]


def reference_streams(site: GeneratedSite, sources: Collection[str] | None = None) -> Streams:
    """Event ids per stream (``posts`` and ``events``) of a run that saw every page state once, of
    every source or of ``sources`` only."""
    night = site.night
    configs = {
        source.name: SourceConfig(
            name=source.name, url=site.base_url + source.path, kind=source.kind, election=source.election, test=True
        )
        for source in site.served_sources()
    }
    processor = Processor(configs, {})
    streams: Streams = {"posts": Counter(), "events": Counter()}
    for blog in night.blogs:
        if sources is not None and blog.name not in sources:
            continue
        moments = set(change_times(blog))
        if blog.sister_of is not None:
            moments |= set(site.faults.boundaries({"sister"})) | set(change_times(night.blog(blog.sister_of)))
        shape = site.shape_of(blog)
        for n, moment in enumerate(sorted(moments)):
            shown = site.shown(blog, moment)
            size = shape.page_size or max(1, len(shown))
            pages = max(1, -(-len(shown) // size))
            for page in range(1, pages + 1):
                view = PageView(
                    blog=blog,
                    url=site.url_of(blog),
                    shown=tuple(shown[(page - 1) * size : page * size]),
                    page=page,
                    pages=pages,
                    total=len(shown),
                )
                fetched = Fetched(
                    source=blog.name,
                    url=_page_url(site.url_of(blog), shape.page_param, page),
                    fetched_at=moment + timedelta(microseconds=n * 10 + page),
                    status=200,
                    headers={"content-type": shape.content_type},
                    body=shape.render(view),
                )
                unit = processor.process(fetched)
                for event in unit.events if unit is not None else ():
                    streams["posts" if isinstance(event, PostEvent) else "events"][event.event_id] += 1
    return streams


def _page_url(url: str, param: str, page: int) -> str:
    if page == 1:
        return url
    return f"{url}{'&' if '?' in url else '?'}{param}={page}"
