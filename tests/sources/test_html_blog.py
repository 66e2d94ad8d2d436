"""The ``html`` adapter and its generic extractor: site families, times, furniture, the night's changes."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode

from ingester import differ
from ingester.samples import derbyshire_live
from ingester.samples.derbyshire_times import BLOG_URL
from ingester.sources import HTML_FAMILIES, get_adapter
from ingester.sources.html_blog import BlogSelectors, HtmlBlogAdapter, _exact_times, _PostReader, family_for
from ingester.sources.jsonld import JsonLdAdapter
from ingester.sources.nationalworld import NATIONALWORLD
from ingester.sources.reach import REACH
from ingester.types import AdapterContext, Extraction, SourceState
from tests.sources.cases import case

ADAPTER = HtmlBlogAdapter(HTML_FAMILIES)
ELECTION = "parl.2024-07-04"


def read(name: str) -> Extraction:
    found = case(f"html/{name}")
    return ADAPTER.extract(found.body(), found.context)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_visible_markup_gives_what_the_json_ld_gives(n: int) -> None:
    html = read(f"derbyshire-times.{n}.html")
    jsonld = case(f"jsonld/derbyshire-times.{n}.html")
    from_jsonld = JsonLdAdapter().extract(jsonld.body(), jsonld.context)
    # the same ids, text and times; only the modified time is not in the visible markup
    assert html.posts == tuple(msgspec.structs.replace(p, updated_at=None) for p in from_jsonld.posts)


def test_reach_times_are_displayed_only_and_placed_on_the_night() -> None:
    extraction = read("derbyshire-live.1.html")
    perkins = next(p for p in extraction.posts if p.native_id and p.native_id.endswith("#post-7f3a05"))
    assert perkins.headline == "Perkins holds Chesterfield"
    assert (perkins.published_at, perkins.time_inferred) == (datetime(2024, 7, 5, 3, 45, tzinfo=UTC), True)
    first = extraction.posts[-1]
    assert first.published_at == datetime(2024, 7, 4, 22, 40, tzinfo=UTC)  # 23:40 BST, before midnight
    bolsover = next(p for p in extraction.posts if p.headline == "Natalie Fleet wins Bolsover")
    assert "Advertisement" not in bolsover.body  # furniture inside a post is dropped
    assert all("Share" not in p.body and "Copy link" not in p.body for p in extraction.posts)


def test_reach_night_edits_the_figure_and_headline_and_withdraws_a_post() -> None:
    state = SourceState()
    actions: list[tuple[str, str]] = []
    for n in (1, 2):
        for change in differ.diff(state, read(f"derbyshire-live.{n}.html")):
            actions.append((change.action, change.post_id.rsplit("#", 1)[-1]))
            state.posts[change.post_id] = differ.next_state(change, ())
    assert ("updated", "post-7f3a05") in actions
    assert ("deleted", "post-7f3a04") in actions
    assert ("created", "post-7f3a09") in actions
    final = read("derbyshire-live.2.html")
    perkins = next(p for p in final.posts if p.native_id and p.native_id.endswith("#post-7f3a05"))
    assert (perkins.headline, perkins.body.split("\n")[0]) == (
        "Toby Perkins re-elected in Chesterfield",
        "Toby Perkins has held Chesterfield for Labour with 19,316 votes.",
    )


def test_the_family_is_chosen_by_host_then_marker_then_markup() -> None:
    assert family_for(BLOG_URL, b"", HTML_FAMILIES) is NATIONALWORLD
    assert family_for("https://www.nottinghampost.com/news/live", b"", HTML_FAMILIES) is REACH
    assert family_for("file:///page.html", b'<li class="live-event__post">', HTML_FAMILIES) is REACH
    assert family_for("https://example.org/", b"<p>", HTML_FAMILIES) is None
    page = derbyshire_live.render_reach_page(derbyshire_live.blog_at(derbyshire_live.night_time("05:00")))
    moved = page.replace(b'class="live-event__post"', b'class="live-event__post new"')  # marker gone
    extraction = ADAPTER.extract(moved, AdapterContext(url="https://mirror.example/live", election=ELECTION))
    assert len(extraction.posts) == 7


def test_unknown_markup_is_a_warning() -> None:
    extraction = get_adapter("html").extract(b"<html><body><p>Hi</p></body></html>", AdapterContext(url="https://x/"))
    assert (extraction.posts, extraction.warnings) == ((), ("html: no live-blog markup of a known site family found",))


GENERIC = BlogSelectors(family="test", post="article", headline="h2", time="time", author=".by", hosts=("t.example",))


def generic(markup: str, election: str | None = ELECTION) -> Extraction:
    page = f"<html><body>{markup}</body></html>".encode()
    return HtmlBlogAdapter((GENERIC,)).extract(page, AdapterContext(url="https://t.example/live", election=election))


def test_without_a_body_selector_the_post_is_its_block_minus_its_parts() -> None:
    markup = '<article id="a"><h2>Labour gain Erewash</h2><time>02:34</time><p class="by">By Jo</p><p>Adam Thompson'
    [post] = generic(markup + " wins.</p></article>").posts
    assert (post.headline, post.body, post.author) == ("Labour gain Erewash", "Adam Thompson wins.", "Jo")


def test_times_naive_offset_displayed_and_missing() -> None:
    posts = generic(
        '<article id="a"><h2>A</h2><time datetime="2024-07-05T02:34:00">x</time></article>'
        '<article id="b"><h2>B</h2><time datetime="2024-07-05T02:34:00+01:00">x</time></article>'
        '<article id="c"><h2>C</h2><time>2.34am</time></article>'
        '<article id="d"><h2>D</h2><time datetime="soon">later</time></article>'
    )
    found = {p.headline: (p.published_at, p.time_inferred) for p in posts.posts}
    at = datetime(2024, 7, 5, 1, 34, tzinfo=UTC)
    assert found == {"A": (at, True), "B": (at, False), "C": (at, True), "D": (None, False)}
    assert "html: time 'soon' is not an ISO 8601 timestamp" in posts.warnings


def test_posts_without_an_id_or_text() -> None:
    extraction = generic("<article><h2>No anchor</h2></article><article id='e'></article>")
    assert [(p.native_id, p.url, p.headline) for p in extraction.posts] == [(None, None, "No anchor")]
    assert extraction.warnings == (
        "html: 1 post block(s) with neither headline nor text skipped",
        "html: 1 post(s) without an id; they are told apart by their text",
    )


def test_reach_post_ids_are_their_anchors_whatever_their_place_or_text() -> None:
    # Ids come from each post's own anchor (id="post-7f3a05"), never from its position: posts added above
    # it, an edit of its text and headline, and a post removed above it leave its id as it was.
    first, second, third, fourth = derbyshire_live.REACH_POSTS[1:5]
    edited = msgspec.structs.replace(second, headline="A new headline", paragraphs=("Rewritten text.",))

    def ids(*posts: derbyshire_live.ReachPost) -> dict[str, str | None]:
        page = derbyshire_live.render_reach_page(posts)
        extraction = ADAPTER.extract(page, AdapterContext(url=derbyshire_live.PAGE_URL))
        return {p.headline or "": p.native_id for p in extraction.posts}

    before = ids(second, first)
    after = ids(fourth, third, edited, first)
    assert before[first.headline] == after[first.headline] == f"{derbyshire_live.PAGE_URL}#post-{first.id}"
    assert before[second.headline] == after[edited.headline] == f"{derbyshire_live.PAGE_URL}#post-{second.id}"
    assert ids(first, fourth)[first.headline] == before[first.headline]  # reordered, one removed


WITH_BODY = BlogSelectors(
    family="test", post="article", headline="h2", time="time", author=".by", body=".body", hosts=("t.example",)
)
STAMPS = st.sampled_from(
    [
        *("2024-07-05T02:34:00+01:00", "2024-07-05T01:34:00Z", " 2024-07-05T01:34:00Z ", "2024-07-05T02:34:00"),
        *("0001-01-01T00:00:00+01:00", "soon", "", "2024-07-05T01:34:00.1" + "0" * 60 + "+00:00"),
    ]
)
SHOWN = st.sampled_from(["", "2.34am", "01:34", "Later"])
NAMES = st.sampled_from(["By Jo", "by  Jo Smith", "Jo", "", "BBC News", "By Jo &amp; Al"])
POST_PARTS = st.tuples(
    st.sampled_from(["", ' id="a"', ' id=" b "', ' data-post-id="c"']),
    st.sampled_from(["", "<h2>Labour gain Erewash</h2>", "<h2> </h2>", "<h2>A</h2><h2>B</h2>"]),
    st.lists(st.tuples(STAMPS, SHOWN), max_size=2),
    st.lists(NAMES, max_size=3),
    st.sampled_from(["", "<div class='body'><p>Text</p><p>two  lines</p></div>", "<div class='body'> <b>x</b></div>"]),
)


def blog_post(parts: tuple[str, str, list[tuple[str, str]], list[str], str]) -> str:
    anchor, headline, times, names, body = parts
    stamps = "".join(
        f'<time datetime="{stamp}">{shown}</time>' if stamp else f"<time>{shown}</time>" for stamp, shown in times
    )
    authors = "".join(f'<p class="by">{name}</p>' for name in names)
    return f"<article{anchor}>{headline}{stamps}{authors}{body}</article>"


@settings(max_examples=150, deadline=None)
@given(st.lists(POST_PARTS.map(blog_post), min_size=1, max_size=5), st.sampled_from([GENERIC, WITH_BODY]))
def test_posts_read_together_read_as_they_do_alone(posts: list[str], selectors: BlogSelectors) -> None:
    # Fields are read over all posts at once (in C-level maps where every post has its part): each post
    # comes out as the one-post page of it does.
    def extract(markup: str) -> Extraction:
        page = f"<html><body><main>{markup}</main></body></html>".encode()
        context = AdapterContext(url="https://t.example/live", election=ELECTION)
        return HtmlBlogAdapter((selectors,)).extract(page, context)

    alone = [post for markup in posts for post in extract(markup).posts]
    assert extract("".join(posts)).posts == tuple(alone)


@settings(max_examples=200, deadline=None)
@given(st.lists(STAMPS, min_size=1, max_size=4))
def test_times_read_together_are_the_times_read_one_by_one(stamps: list[str]) -> None:
    root = LexborHTMLParser("".join(f'<time datetime="{stamp}">x</time>' for stamp in stamps)).root
    assert root is not None
    nodes: list[LexborNode | None] = list(root.css("time"))
    reader = _PostReader(WITH_BODY, AdapterContext(url="https://t.example/live"), None, "html")
    one_by_one = [reader._time(node) for node in nodes]
    together = _exact_times([node for node in nodes if node is not None])
    if together is not None:
        assert [(t, False) for t in together] == one_by_one
    assert reader._times(nodes, every=True) == ([t for t, _ in one_by_one], [i for _, i in one_by_one])
