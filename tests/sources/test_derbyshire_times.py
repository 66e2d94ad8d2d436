"""The sample Derbyshire Times blog: its timeline, and pages that the jsonld adapter reads back exactly."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from ingester.samples.derbyshire_times import (
    BLOG_URL,
    DERBYSHIRE_DRAFTS,
    DERBYSHIRE_POSTS,
    SamplePost,
    blog_at,
    render_blog_page,
)
from ingester.sources._text import normalise_inline, parse_iso
from ingester.sources.jsonld import JsonLdAdapter
from ingester.types import AdapterContext

CONTEXT = AdapterContext(url=BLOG_URL, election="parl.2024-07-04")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_posts_are_in_time_order_with_unique_ids() -> None:
    times = [at(p.published) for p in DERBYSHIRE_POSTS]
    assert times == sorted(times)
    assert len({p.id for p in DERBYSHIRE_POSTS}) == len(DERBYSHIRE_POSTS)
    assert set(DERBYSHIRE_DRAFTS) <= {p.id for p in DERBYSHIRE_POSTS if p.modified}
    assert at(DERBYSHIRE_POSTS[3].published) == at("2024-07-05T02:34:00+01:00")  # Erewash first


def test_blog_at_grows_edits_and_withdraws() -> None:
    assert blog_at(at("2024-07-04T21:00:00+01:00")) == []
    assert [p.id for p in blog_at(at("2024-07-05T02:34:00+01:00"))][:1] == ["post-0004"]
    before, after = blog_at(at("2024-07-05T05:54:00+01:00")), blog_at(at("2024-07-05T05:56:00+01:00"))
    assert "19,361" in next(p for p in before if p.id == "post-0011").paragraphs[0]
    assert "19,316" in next(p for p in after if p.id == "post-0011").paragraphs[0]
    assert "post-0017" in {p.id for p in blog_at(at("2024-07-05T05:40:00+01:00"))}
    assert "post-0017" not in {p.id for p in before}
    assert len(blog_at(at("2024-07-05T12:00:00+01:00"))) == len(DERBYSHIRE_POSTS) - 1


def test_render_accepts_mappings() -> None:
    posts = blog_at(at("2024-07-05T04:00:00+01:00"))
    as_dicts = [
        {
            "id": p.id,
            "headline": p.headline,
            "paragraphs": list(p.paragraphs),
            "published": p.published,
            "modified": p.modified,
            "author": p.author,
        }
        for p in posts
    ]
    assert render_blog_page(as_dicts) == render_blog_page(posts)


def test_an_empty_blog_renders_a_page_with_no_updates() -> None:
    extraction = JsonLdAdapter().extract(render_blog_page([]), CONTEXT)
    assert (extraction.posts, extraction.warnings) == ((), ())


# Letters, digits, punctuation, every kind of space and line breaks: what a reporter types.
TEXT = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "Zs"), exclude_characters="&<", include_characters="\n"),
    max_size=40,
)


def expected_body(paragraphs: tuple[str, ...]) -> str:
    # A line break typed inside a paragraph is HTML whitespace: a space, as the browser shows it.
    lines = (" ".join(paragraph.split()) for paragraph in paragraphs)
    return "\n".join(line for line in lines if line)


@given(st.lists(st.tuples(TEXT, st.lists(TEXT, max_size=3)), max_size=4))
def test_pages_read_back_exactly(contents: list[tuple[str, list[str]]]) -> None:
    posts = [
        SamplePost(id=f"p{i}", headline=h, paragraphs=tuple(ps), published="2024-07-05T02:34:00+01:00")
        for i, (h, ps) in enumerate(contents)
    ]
    extraction = JsonLdAdapter().extract(render_blog_page(posts), CONTEXT)
    read = {p.native_id: p for p in extraction.posts}
    for post in posts:
        body = expected_body(post.paragraphs)
        if not normalise_inline(post.headline) and not body:
            assert f"{BLOG_URL}#{post.id}" not in read
            continue
        found = read[f"{BLOG_URL}#{post.id}"]
        assert found.headline == (normalise_inline(post.headline) or None)
        assert found.body == body
        assert found.published_at == parse_iso(post.published)


def test_a_script_end_tag_in_a_headline_does_not_break_the_page() -> None:
    posts = [
        SamplePost(
            id="p1",
            headline="Count ends </script> early",
            paragraphs=("x",),
            published="2024-07-05T02:34:00+01:00",
        ),
        SamplePost(id="p2", headline="Labour gain Erewash", paragraphs=("y",), published="2024-07-05T02:35:00+01:00"),
    ]
    extraction = JsonLdAdapter().extract(render_blog_page(posts), CONTEXT)
    assert [p.headline for p in extraction.posts] == ["Count ends early", "Labour gain Erewash"]
