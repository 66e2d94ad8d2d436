"""What the simulator serves: every source's page at the current virtual time, with faults applied.

:class:`GeneratedSite` serves a planned night (``plan.py``); ``recorded.RecordedSite`` serves a saved
night. Both answer :meth:`respond` with a :class:`Reply` that the HTTP server delivers, and both list
their sources (:class:`ServedSource`) for the ingester config the simulator writes.

Rendering is cached per page state: a page's content only changes at its posts' change times, so a
poll between two changes costs a dictionary lookup. Each blog keeps a few states only, so memory
stays flat over the night. Conditional requests get a ``304`` when ``If-None-Match`` names the ETag.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Final, Literal, Protocol
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import msgspec

from ingester.simulate.clock import VirtualClock
from ingester.simulate.faults import Fault, FaultPlan
from ingester.simulate.model import Blog, Night, ShownPost, change_times, page_order, visible_posts
from ingester.simulate.page import PageView, Shape, page_of
from ingester.simulate.shapes import get_shape

Delivery = Literal["normal", "slow", "hang", "reset", "truncate"]
_CACHED_STATES: Final = 4
_PAGE_PARAMS: Final = frozenset({"page", "pageNumber", "pageSize"})
_ERROR_BODIES: Final = {
    404: b"<html><body><h1>404 Not Found</h1></body></html>",
    429: b"<html><body><h1>429 Too Many Requests</h1></body></html>",
    500: b"<html><body><h1>500 Internal Server Error</h1></body></html>",
    503: b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
}


class Reply(msgspec.Struct, kw_only=True):
    status: int
    headers: dict[str, str] = msgspec.field(default_factory=dict)
    body: bytes = b""
    delivery: Delivery = "normal"
    chunk_size: int = 256
    chunk_delay: float = 0.0
    hang: float = 0.0
    source: str | None = None


class ServedSource(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    path: str
    kind: str
    election: str | None = None


class Site(Protocol):
    clock: VirtualClock

    def respond(self, target: str, headers: Mapping[str, str], request_no: int) -> Reply: ...

    def served_sources(self) -> list[ServedSource]: ...


def error_reply(status: int, source: str | None = None, retry_after: int | None = None) -> Reply:
    headers = {"content-type": "text/html; charset=utf-8"}
    if retry_after is not None:
        headers["retry-after"] = str(retry_after)
    return Reply(status=status, headers=headers, body=_ERROR_BODIES.get(status, b""), source=source)


def faulted(reply: Reply, faults: list[Fault]) -> Reply:
    """The reply as the faults hitting this request deliver it (content faults are already in it)."""
    for fault in faults:
        kind = fault.kind
        if kind in {"hang", "reset"}:
            return Reply(status=0, delivery=kind, hang=fault.hang, source=reply.source)
        if kind in {"500", "503", "429"}:
            status = int(kind)
            return error_reply(status, reply.source, fault.retry_after if status != 500 else None)
    for fault in faults:
        if fault.kind == "slow":
            reply.delivery, reply.chunk_size, reply.chunk_delay = "slow", fault.chunk_size, fault.chunk_delay
        elif fault.kind == "truncate" and reply.body:
            reply.delivery = "truncate"
        elif fault.kind == "charset":
            reply.headers["content-type"] = reply.headers.get("content-type", "text/html").split(";")[0] + (
                "; charset=iso-8859-1"
            )
    return reply


def page_reply(body: bytes, content_type: str, modified: datetime | None, headers: Mapping[str, str]) -> Reply:
    """A 200 with validators, or a 304 when the client already holds this body."""
    etag = '"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '"'
    out = {"content-type": content_type, "etag": etag, "cache-control": "max-age=0, must-revalidate"}
    if modified is not None:
        out["last-modified"] = format_datetime(modified, usegmt=True)
    if etag in {tag.strip() for tag in headers.get("if-none-match", "").split(",")}:
        return Reply(status=304, headers=out)
    return Reply(status=200, headers=out, body=body)


class GeneratedSite:
    """Serves a planned night: each blog at its path (page N at ``path?page=N`` for paged shapes)."""

    def __init__(self, night: Night, clock: VirtualClock, faults: FaultPlan, base_url: str) -> None:
        self.night = night
        self.clock = clock
        self.faults = faults
        self.base_url = base_url.rstrip("/")
        self._by_route = {route_key(blog.path): blog for blog in night.blogs}
        self._by_name = {blog.name: blog for blog in night.blogs}
        self._times = {blog.name: change_times(blog) for blog in night.blogs}
        self._shapes = {blog.name: get_shape(blog.shape) for blog in night.blogs}
        self._cache: dict[str, OrderedDict[tuple[object, ...], tuple[bytes, datetime | None]]] = {}

    def served_sources(self) -> list[ServedSource]:
        return [
            ServedSource(name=b.name, path=b.path, kind=self._shapes[b.name].kind, election=self.night.election)
            for b in self.night.blogs
        ]

    def url_of(self, blog: Blog) -> str:
        return self.base_url + blog.path

    def shape_of(self, blog: Blog) -> Shape:
        return self._shapes[blog.name]

    def respond(self, target: str, headers: Mapping[str, str], request_no: int) -> Reply:
        blog = self._by_route.get(route_key(target))
        if blog is None:
            return error_reply(404)
        shape = self._shapes[blog.name]
        moment = self.clock.now()
        faults = self.faults.active(blog.name, moment, request_no)
        if any(f.kind in {"hang", "reset", "500", "503", "429"} for f in faults):
            return faulted(Reply(status=200, source=blog.name), faults)
        for fault in faults:
            if fault.kind == "stale":
                moment -= timedelta(seconds=fault.lag_seconds)
        layout = 1 if any(f.kind == "layout" for f in faults) else 0
        page = _page_number(urlsplit(target).query, shape.page_param)
        rendered = self._render(blog, moment, page, layout)
        if rendered is None:
            return error_reply(404, blog.name)
        body, modified = rendered
        reply = page_reply(body, shape.content_type, modified, headers)
        reply.source = blog.name
        return faulted(reply, faults)

    def moments(self, blog: Blog) -> list[datetime]:
        """Every moment the blog's page may change: its posts' changes, and a sister's content window."""
        moments = set(self._times[blog.name])
        if blog.sister_of is not None:
            moments |= set(self.faults.boundaries({"sister"})) | set(self._times[blog.sister_of])
        return sorted(moments)

    def shown(self, blog: Blog, moment: datetime) -> list[ShownPost]:
        """What the page holds at ``moment``, sister copies included (the ground truth asks the same)."""
        shown = visible_posts(blog, moment)
        if blog.sister_of is not None and self.faults.content_faults(blog.name, moment):
            shown = page_order(shown + visible_posts(self._by_name[blog.sister_of], moment))
        return shown

    def _state_key(self, blog: Blog, moment: datetime) -> tuple[object, ...]:
        own = bisect.bisect_right(self._times[blog.name], moment)
        if blog.sister_of is None or not self.faults.content_faults(blog.name, moment):
            return (own,)
        return (own, bisect.bisect_right(self._times[blog.sister_of], moment))

    def _render(self, blog: Blog, moment: datetime, page: int, layout: int) -> tuple[bytes, datetime | None] | None:
        key = (*self._state_key(blog, moment), page, layout)
        cache = self._cache.setdefault(blog.name, OrderedDict())
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        shape = self._shapes[blog.name]
        shown = self.shown(blog, moment)
        on_page, pages = page_of(shown, shape.page_size, page)
        if page > pages:
            return None
        view = PageView(
            blog=blog, url=self.url_of(blog), shown=on_page, page=page, pages=pages, total=len(shown), layout=layout
        )
        modified = max((s.version.at for s in shown), default=None)
        cache[key] = (shape.render(view), modified)
        while len(cache) > _CACHED_STATES:
            cache.popitem(last=False)
        return cache[key]


def _page_number(query: str, param: str) -> int:
    text = parse_qs(query).get(param, ["1"])[0]
    return int(text) if text.isdigit() and 0 < len(text) <= 4 and int(text) > 0 else 1


def route_key(target: str) -> str:
    """A request target without its page number: the path plus any other query parameters, sorted."""
    parts = urlsplit(target)
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if k not in _PAGE_PARAMS)
    return f"{parts.path}?{urlencode(query)}" if query else parts.path
