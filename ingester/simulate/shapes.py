"""The shapes a simulated source is served in: one renderer per shape, in two layouts.

A shape turns the posts a page shows at a moment into the body a real site would send, in layout 0 or
in layout 1 (the "layout change" fault: the same posts in the markup the site switched to). Which id
the ingester gives each post is learnt from the adapter (``probe.py``), not restated here.

- ``jsonld``: a National World live blog (``ingester.samples.derbyshire_times.render_blog_page``);
  layout 1 moves the updates into an ``@graph`` referenced from ``blogPosts``;
- ``html``: the same National World page read by its markup; layout 1 is a Reach page (``shapes_html``);
- ``feed``: RSS 2.0; layout 1 is Atom (``shapes_feed``);
- ``bbc-live``: the BBC stream JSON, paginated; layout 1 the live page's ``__INITIAL_DATA__``;
- ``bbc-constituency``: a BBC results page, 2024 scorecards; layout 1 the 2017/2019 table (``shapes_bbc``).

A shape is offered only when its adapter is registered (``ingester.sources.ADAPTERS``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import msgspec

from ingester.errors import ConfigError
from ingester.samples.derbyshire_times import SamplePost, render_blog_page
from ingester.simulate.page import OnePageShape, PageView, Shape
from ingester.simulate.shapes_bbc import BbcConstituencyShape, BbcLiveShape
from ingester.simulate.shapes_feed import FeedShape
from ingester.simulate.shapes_html import HtmlShape, sample_post
from ingester.sources import ADAPTERS


class JsonLdShape(OnePageShape):
    name: str = "jsonld"
    kind: str = "jsonld"

    def render(self, view: PageView) -> bytes:
        posts = [sample_post(s) for s in view.shown]
        if view.layout == 0:
            return render_blog_page(posts, url=view.url, title=view.blog.title)
        return _graph_page(posts, view.url, view.blog.title)


def _graph_page(posts: Sequence[SamplePost], url: str, title: str) -> bytes:
    """The same blog after a redesign: updates in an ``@graph``, referenced by ``@id`` from ``blogPosts``."""
    nodes = [
        {
            "@type": "BlogPosting",
            "@id": f"{url}#{p.id}",
            "headline": p.headline,
            "articleBody": "\n\n".join(p.paragraphs),
            "datePublished": p.published,
            "dateModified": p.last_modified,
            "author": p.author,
        }
        for p in posts
    ]
    blog = {
        "@type": "LiveBlogPosting",
        "@id": f"{url}#live",
        "headline": title,
        "blogPosts": [{"@id": n["@id"]} for n in nodes],
    }
    data = msgspec.json.encode({"@context": "https://schema.org", "@graph": [blog, *nodes]}).decode()
    data = data.replace("</", "<\\/")  # "</" would end the script block early
    items = "\n".join(f'<section class="update" id="{p.id}"><h3>{_esc(p.headline)}</h3></section>' for p in posts)
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_esc(title)}</title>'
        f'<script type="application/ld+json">{data}</script></head>'
        f'<body><main class="liveblog-v2"><h1>{_esc(title)}</h1>{items}</main></body></html>'
    )
    return page.encode()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _all_shapes() -> dict[str, Shape]:
    shapes: list[Shape] = [JsonLdShape(), HtmlShape(), FeedShape(), BbcLiveShape(), BbcConstituencyShape()]
    return {shape.name: shape for shape in shapes}


ALL_SHAPES: Final[Mapping[str, Shape]] = _all_shapes()


def available_shapes() -> dict[str, Shape]:
    """The shapes whose adapter exists in this build."""
    return {name: shape for name, shape in ALL_SHAPES.items() if shape.kind in ADAPTERS}


def get_shape(name: str) -> Shape:
    shape = available_shapes().get(name)
    if shape is None:
        known = ", ".join(available_shapes())
        raise ConfigError(f"unknown or unavailable page shape {name!r}; available: {known}")
    return shape
