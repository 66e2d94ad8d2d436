"""The seam between the server and the renderers: a page of posts to render, and what a shape is."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final, Protocol

import msgspec

from ingester.simulate.model import Blog, ShownPost

HTML_TYPE: Final = "text/html; charset=utf-8"


class PageView(msgspec.Struct, frozen=True, kw_only=True):
    """One page of a source as served at one moment."""

    blog: Blog
    url: str  # the URL the page is served at (ids and links are built from it)
    shown: tuple[ShownPost, ...]  # the posts on this page, newest first
    page: int = 1
    pages: int = 1
    total: int = 0  # posts on every page together
    layout: int = 0


class Shape(Protocol):
    name: str
    kind: str  # the adapter kind the source is configured with
    content_type: str
    page_size: int  # posts per page; 0: every post on one page
    page_param: str  # the query parameter that numbers pages

    def path_for(self, name: str, default: str) -> str:
        """Where a source of this shape is served (its default unless the shape has its own scheme)."""
        ...

    def render(self, view: PageView) -> bytes: ...


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


class OnePageShape:
    """What most shapes share: served whole, at the path the planner chose."""

    name: str = ""
    kind: str = ""
    content_type: str = HTML_TYPE
    page_size: int = 0
    page_param: str = "page"

    def path_for(self, name: str, default: str) -> str:
        return default


def page_of(shown: Sequence[ShownPost], size: int, page: int) -> tuple[tuple[ShownPost, ...], int]:
    """The posts on page ``page`` (from 1) and how many pages there are, ``size`` posts a page (0: one)."""
    size = size or max(1, len(shown))
    pages = max(1, -(-len(shown) // size))
    return tuple(shown[(page - 1) * size : page * size]), pages
