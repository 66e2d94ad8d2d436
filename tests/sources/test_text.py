"""The ``text`` adapter beyond its golden files: the seeds' facts land in posts, times are placed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ingester.sources.text import TextAdapter, looks_like_headline, looks_like_text
from ingester.types import AdapterContext, Extraction, Post
from tests.sources.cases import GE2024, case, seed_path

ADAPTER = TextAdapter()


def read(name: str) -> Extraction:
    found = case(f"text/{name}")
    return ADAPTER.extract(found.body(), found.context)


def text_of(post: Post) -> str:
    return f"{post.headline or ''}\n{post.body}"


def post_with(extraction: Extraction, fragment: str) -> Post:
    found = [p for p in extraction.posts if fragment in text_of(p)]
    assert found, f"no post holds {fragment!r}"
    return found[0]


def test_seed_003_facts_land_in_whole_posts() -> None:
    extraction = read("seed-003")
    mid = post_with(extraction, "Labour gain Mid Derbyshire")
    assert "Jonathan Davies defeats Luke Gardiner" in mid.body
    north_east = post_with(extraction, "Labour - Louise Jones - 17,591 Elected")
    assert "Freedom Alliance - Wesley Massumbukolt - 108" in north_east.body
    chesterfield = post_with(extraction, "Toby Perkins, Labour - 19,316")
    assert chesterfield.headline == "Full Chesterfield results"
    assert chesterfield.body.endswith("Workers Party of Britain, Julie Lowe - 248")
    tally = post_with(extraction, "368 seats")
    assert "77 seats are yet to be assigned" in tally.body and "93 Members" in tally.body
    assert extraction.complete and extraction.warnings == ()
    assert all(p.native_id is None and p.published_at is None for p in extraction.posts)


def test_seed_001_numbered_posts_get_times_from_the_election() -> None:
    extraction = read("seed-001")
    assert [p.headline for p in extraction.posts[:3]] == [
        "Results: parties by seats",
        "Summary",
        "'We've both got losing in common'",
    ]
    assert len(extraction.posts) == 15
    first = extraction.posts[2]
    assert (first.author, first.published_at, first.time_inferred) == (
        "Owen Bradley",
        datetime(2024, 7, 5, 0, 3, tzinfo=UTC),
        True,
    )
    assert "BBC Radio Derby Sport" not in first.body
    assert extraction.posts[-1].published_at == datetime(2024, 7, 4, 19, 0, tzinfo=UTC)
    assert "Labour: 412 seats, 211 seats gained" in extraction.posts[0].body.split("\n")
    assert "Derby South and Chesterfield remain under Labour control" in extraction.posts[1].body
    bolsover = post_with(extraction, "Bolsover's predicted to declare at about 03:45.")
    assert bolsover.headline == "Bolsover may declare earlier than expected"


def test_seed_001_without_election_leaves_times_empty_with_one_warning() -> None:
    extraction = read("seed-001-no-election")
    assert all(p.published_at is None and not p.time_inferred for p in extraction.posts)
    assert extraction.warnings == ("text: 13 post time(s) without a date; pass the election to place them",)


@pytest.mark.parametrize(("name", "constituency"), [("seed-000", "Derby North"), ("seed-004", "Luton North")])
def test_constituency_pages_split_result_and_updates(name: str, constituency: str) -> None:
    extraction = read(name)
    assert extraction.posts[0].headline == "UK results"
    assert "Seats 318 262 35 12 10 13" in extraction.posts[0].body
    result = extraction.posts[1]
    assert result.headline == constituency
    assert "Latest updates" not in result.body
    assert sum(p.author is not None for p in extraction.posts) >= 5


def test_seed_000_updates_and_their_bylines() -> None:
    posts = read("seed-000").posts
    assert [(p.headline, p.author) for p in posts[2:4]] == [
        ("Williamson: Groping claims 'say a lot about country'", "Calum McKenzie"),
        ("MP set for BBC Question Time appearance", "Calum McKenzie"),
    ]
    assert posts[-1].author == "BBC Radio Derby"
    assert len(posts) == 11


def test_seed_002_article_is_one_post() -> None:
    extraction = read("seed-002")
    assert len(extraction.posts) == 1
    assert "Labour’s Baggy Shanker" in extraction.posts[0].body


def test_time_lines_and_gmt_labels() -> None:
    timed = read("timed-blog.txt")
    assert [p.published_at for p in timed.posts if p.published_at] == [
        datetime(2024, 7, 4, 22, 55, tzinfo=UTC),
        datetime(2024, 7, 5, 1, 10, tzinfo=UTC),
        datetime(2024, 7, 5, 2, 39, tzinfo=UTC),
    ]
    winter = read("bbc-live-2019.txt")
    assert winter.posts[1].published_at == datetime(2019, 12, 13, 3, 9, tzinfo=UTC)
    assert winter.posts[2].headline == "Amber Valley and High Peak next"  # "updated at" also heads a post


def test_page_date_places_times_when_no_election_is_known() -> None:
    body = b" date 2024-07-05 Blog\n02:10\nVerification finished\nAll boxes verified."
    extraction = ADAPTER.extract(body, AdapterContext(url="file:///x.txt"))
    assert extraction.posts[-1].published_at == datetime(2024, 7, 5, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Labour gain Mid Derbyshire", True),
        ("Toby Perkins 'delighted' as he will be Chesterfield MP again", True),
        ("When can we expect the first Derbyshire declarations?", True),
        ("Toby Perkins, Labour - 19,316", False),
        ("Full results for Chesterfield are as follows:", False),
        ("Watch more of our videos on Shots!", False),
        ("the count goes on", False),
        ("• Labour: 412 seats", False),
        ("A very long line " * 10, False),
    ],
)
def test_looks_like_headline(line: str, expected: bool) -> None:
    assert looks_like_headline(line) is expected


def test_detection() -> None:
    assert looks_like_text("", seed_path("003").read_bytes(), {})
    assert looks_like_text("", b"<html>", {"Content-Type": "text/plain"})
    assert not looks_like_text("", b"\n <!DOCTYPE html><html>", {})
    assert not looks_like_text("", b'{"a": 1}', {})


def test_an_empty_file_warns() -> None:
    assert ADAPTER.extract(b" \n\n", AdapterContext(url="file:///x.txt", election=GE2024)).warnings == (
        "text: no text found",
    )


_LINE = st.text(alphabet=st.sampled_from("abcdefXYZ '\"?!.,:;-"), min_size=1, max_size=60)


@given(st.lists(st.one_of(_LINE, st.just("")), max_size=30))
def test_every_line_lands_in_a_post(lines: list[str]) -> None:
    """In the headlined shape, the split may be imperfect but no line of text is lost."""
    cleaned = [" ".join(line.split()) for line in lines]
    assume(not {"latest updates", "parliamentary constituency"} & {c.lower() for c in cleaned})
    extraction = ADAPTER.extract("\n".join(lines).encode(), AdapterContext(url="file:///x.txt"))
    found = [line for post in extraction.posts for line in text_of(post).split("\n")]
    assert [c for c in cleaned if c] == [line for line in found if line]
