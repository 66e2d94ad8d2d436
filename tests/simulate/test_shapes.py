"""Every shape, in both layouts, as the real adapters read it: the posts and the ids the truth names."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

import msgspec
import pytest

from ingester import differ, sources
from ingester.simulate import probe
from ingester.simulate.model import Blog, Night, visible_posts
from ingester.simulate.page import PageView
from ingester.simulate.plan import PlanOptions, plan_night
from ingester.simulate.shapes import ALL_SHAPES, available_shapes, get_shape
from ingester.types import AdapterContext
from tests.simulate.support import seats

URL = "http://127.0.0.1:8123"
LIVE_SHAPES = [name for name in ALL_SHAPES if name != "bbc-constituency"]


@cache
def night() -> Night:
    return plan_night(seats(), PlanOptions(seats=60, blogs=3, correction_rate=0.3))


def read_page(blog: Blog, page: int, layout: int) -> tuple[dict[str, str], tuple[str, ...], int]:
    """Ids the adapter reads from one page (with their headlines), its next pages, and the page count."""
    shape = get_shape(blog.shape)
    shown = visible_posts(blog, night().end)
    size = shape.page_size or len(shown)
    pages = -(-len(shown) // size)
    url = URL + shape.path_for(blog.name, blog.path)
    view = PageView(
        blog=blog, url=url, shown=tuple(shown[(page - 1) * size : page * size]), page=page, pages=pages,
        total=len(shown), layout=layout,
    )  # fmt: skip
    page_url = url if page == 1 else f"{url}{'&' if '?' in url else '?'}{shape.page_param}={page}"
    context = AdapterContext(url=page_url, headers={"content-type": shape.content_type}, election=blog.election)
    extraction = sources.extract(shape.kind, shape.render(view), context)
    ids = {post_id: post.headline or "" for post_id, post in differ.identify(extraction.posts).items()}
    return ids, extraction.next_urls, pages


def test_every_shape_of_the_contract_is_offered() -> None:
    assert set(available_shapes()) == {"jsonld", "html", "feed", "bbc-live", "bbc-constituency"}


@pytest.mark.parametrize("layout", [0, 1])
@pytest.mark.parametrize("shape", LIVE_SHAPES)
def test_a_live_blog_reads_back_whole_under_the_ids_of_the_truth(shape: str, layout: int) -> None:
    blog = msgspec.structs.replace(night().blog("wire"), shape=shape)
    shown = visible_posts(blog, night().end)
    first, next_urls, pages = read_page(blog, 1, layout)
    found = dict(first)
    for page in range(2, pages + 1):
        found.update(read_page(blog, page, layout)[0])
    url = URL + get_shape(shape).path_for(blog.name, blog.path)
    expected = {probe.post_id(shape, blog, url, s.post.id): s.version.headline for s in shown}
    assert found == expected
    # a paginated stream names its further pages on page 1, on the same host
    assert len(next_urls) == pages - 1
    assert all(urlsplit(u).netloc == urlsplit(URL).netloc for u in next_urls)
    assert pages > 1 or get_shape(shape).page_size == 0


@pytest.mark.parametrize("layout", [0, 1])
def test_a_results_page_is_one_post_once_declared(layout: int) -> None:
    pages = [b for b in night().blogs if b.seat is not None]
    assert pages and all(b.shape == "bbc-constituency" for b in pages)
    for blog in pages[:10]:
        ids, _, _ = read_page(blog, 1, layout)
        url = URL + blog.path
        assert ids == {probe.post_id(blog.shape, blog, url, blog.posts[0].id): blog.seat.name if blog.seat else ""}


def test_before_its_declaration_a_results_page_holds_no_post() -> None:
    blog = next(b for b in night().blogs if b.seat is not None)
    shape = get_shape(blog.shape)
    view = PageView(blog=blog, url=URL + blog.path, shown=())
    extraction = sources.extract(shape.kind, shape.render(view), AdapterContext(url=URL + blog.path))
    assert extraction.posts == ()
