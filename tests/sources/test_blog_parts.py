"""Posts and their parts: found per field by climbing to each part's post, as the page-order walk finds them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode

from ingester.sources._blog_parts import PostParts, _parts_in_page_order, find_parts
from ingester.sources.html_blog import BlogSelectors

SELECTORS = BlogSelectors(
    family="test", post="article", headline="h2", time="time", author=".by", body=".body", drop=".ad"
)
PARTS = st.sampled_from(
    [
        "<h2>Headline</h2>",
        "<time datetime='2024-07-05T01:00:00Z'>01:00</time>",
        "<p class='by'>By Jo</p>",
        "<div class='body'><p>Text</p></div>",
        "<h2 class='by'>Both a headline and an author</h2>",
        "<div class='ad'><h2>Advert headline</h2></div>",
        "<p>loose</p>",
    ]
)
WRAPPED_PART = st.tuples(PARTS, st.integers(0, 3)).map(lambda p: "<div>" * p[1] + p[0] + "</div>" * p[1])
POST = st.lists(WRAPPED_PART, max_size=6).map(lambda parts: f"<article>{''.join(parts)}</article>")
PLACED_POST = st.tuples(POST, st.integers(0, 2)).map(lambda p: "<section>" * p[1] + p[0] + "</section>" * p[1])


def described(root: LexborNode, parts: PostParts) -> tuple[list[int], dict[str, list[tuple[int, int]]]]:
    """The posts, and each field's nodes (each once: lexbor returns a node once per selector of a list that
    it matches, in either way of finding them) with their posts; nodes by their place in the page."""
    place = {node.mem_id: i for i, node in enumerate(root.css("*"))}
    return (
        [place[post.mem_id] for post in parts.posts],
        {
            name: list(dict.fromkeys((place[n.mem_id], o) for n, o in zip(*found, strict=True)))
            for name, found in parts.fields.items()
            if found[0]
        },
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(PLACED_POST, max_size=6), st.lists(st.sampled_from(["<h2>Outside</h2>", "<p class='by'>x</p>"])))
def test_parts_found_by_climbing_are_the_parts_in_page_order(posts: list[str], outside: list[str]) -> None:
    markup = f"<html><body>{''.join(outside)}<main>{''.join(posts)}</main></body></html>"
    fast, walked = LexborHTMLParser(markup).root, LexborHTMLParser(markup).root
    assert fast is not None and walked is not None
    found = find_parts(fast, SELECTORS)
    assert not found.nested
    assert described(fast, found) == described(walked, _parts_in_page_order(walked, SELECTORS))


def test_posts_inside_posts_are_read_in_page_order() -> None:
    markup = "<article><h2>Outer</h2><article><h2>Inner</h2></article><p class='by'>Late</p></article>"
    root = LexborHTMLParser(markup).root
    assert root is not None
    found = find_parts(root, SELECTORS)
    assert found.nested
    # the author after the inner post goes to the post before it: the inner one
    assert [(n.text(), o) for n, o in zip(*found.fields["author"], strict=True)] == [("Late", 1)]


@settings(max_examples=200, deadline=None)
@given(st.lists(PLACED_POST, min_size=1, max_size=6))
def test_each_post_s_first_part_and_how_many_it_has(posts: list[str]) -> None:
    root = LexborHTMLParser(f"<html><body><main>{''.join(posts)}</main></body></html>").root
    assert root is not None
    found = find_parts(root, SELECTORS)
    for name in ("headline", "time", "author", "body"):
        grouped = found.grouped(name)
        nodes, every = found.each(name)
        assert [n.mem_id if n is not None else None for n in nodes] == [
            grouped[i][0].mem_id if i in grouped else None for i in range(len(found.posts))
        ]
        assert every == (len(grouped) == len(found.posts))
        counts = {len(grouped.get(i, [])) for i in range(len(found.posts))}
        assert found.per_post(name) == (counts.pop() if len(counts) == 1 and 0 not in counts else 0)


def test_parts_are_looked_for_under_the_posts_common_ancestor() -> None:
    markup = "<h2>Outside</h2><main><article><h2>A</h2></article><article><h2>B</h2></article></main>"
    root = LexborHTMLParser(f"<html><body>{markup}</body></html>").root
    assert root is not None
    found = find_parts(root, SELECTORS)
    assert found.scope is not None and found.scope.tag == "main"
    assert [n.text() for n in found.each("headline")[0] if n is not None] == ["A", "B"]


def test_a_root_that_is_a_post_keeps_the_search_inside_it() -> None:
    markup = "<article id='a'><h2>Inside</h2></article><article id='b'><h2>Beside</h2><p class='ad'>x</p></article>"
    root = LexborHTMLParser(f"<html><body><section>{markup}</section></body></html>").css_first("#a")
    assert root is not None
    found = find_parts(root, SELECTORS)
    assert [n.text() for n in found.each("headline")[0] if n is not None] == ["Inside"]
    beside = root.parser.css_first("#b .ad")
    assert beside is not None and beside.parent is not None  # furniture outside the root is left alone
