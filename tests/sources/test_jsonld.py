"""The ``jsonld`` adapter beyond its golden files: identity across snapshots, shapes, edge cases."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingester.sources._jsonld_typed import typed_updates
from ingester.sources.jsonld import JsonLdAdapter, json_texts, looks_like_jsonld, script_blocks
from ingester.types import AdapterContext, Extraction, Post
from tests.sources.cases import case, seed_path

ADAPTER = JsonLdAdapter()
GENERIC = JsonLdAdapter(typed=False)
CONTEXT = AdapterContext(url="https://blog.example/live", election="parl.2024-07-04")


def read(name: str) -> Extraction:
    found = case(f"jsonld/{name}")
    return ADAPTER.extract(found.body(), found.context)


def by_anchor(extraction: Extraction) -> dict[str, Post]:
    return {(p.native_id or "").rsplit("#", 1)[-1]: p for p in extraction.posts}


def from_json(document: object) -> Extraction:
    return ADAPTER.extract(msgspec.json.encode(document), CONTEXT)


def blog(*updates: object, key: str = "liveBlogUpdate") -> dict[str, object]:
    return {"@context": "https://schema.org", "@type": "LiveBlogPosting", key: list(updates)}


def update(anchor: str, headline: str = "Labour gain Erewash", **fields: object) -> dict[str, object]:
    return {"@type": "BlogPosting", "@id": f"#{anchor}", "headline": headline, **fields}


def test_snapshots_keep_ids_show_the_edit_and_lose_the_withdrawn_post() -> None:
    first, second, third = (by_anchor(read(f"derbyshire-times.{n}.html")) for n in (1, 2, 3))
    assert len(first) == 5 and len(second) == 17 and len(third) == 19
    assert set(first) <= set(second)
    assert set(second) - set(third) == {"post-0017"}
    assert "19,361 votes" in second["post-0011"].body
    assert third["post-0011"].headline == "Labour wins in Chesterfield as Toby Perkins keeps his seat"
    assert "19,316 votes" in third["post-0011"].body
    assert third["post-0011"].updated_at == datetime(2024, 7, 5, 4, 55, tzinfo=UTC)
    assert third["post-0004"].body.count("\n") == 1 and "\n" not in first["post-0004"].body


def test_derbyshire_posts_carry_the_seed_facts_exactly() -> None:
    posts = by_anchor(read("derbyshire-times.3.html"))
    assert "Labour - Louise Jones - 17,591 Elected Conservative - Lee Rowley - 15,838" in posts["post-0014"].body
    seed_lines = seed_path("003").read_text(encoding="utf-8").splitlines()
    list_start = seed_lines.index("Full results for Chesterfield are as follows:") + 1
    assert posts["post-0012"].body.split("\n")[1:] == seed_lines[list_start : list_start + 7]
    assert posts["post-0015"].headline == "Labour gain Mid Derbyshire"
    assert posts["post-0004"].published_at == datetime(2024, 7, 5, 1, 34, tzinfo=UTC)
    assert all(not p.time_inferred for p in posts.values())


def test_graph_references_anchors_and_naive_times() -> None:
    extraction = read("live-graph.json")
    posts = by_anchor(extraction)
    assert list(posts) == ["update-5", "update-4", "update-3", "update-2"]
    assert posts["update-3"].native_id == "update-3"  # no @id: the url's anchor
    assert posts["update-2"].published_at is None  # naive datePublished: never guessed
    assert posts["update-2"].author == "Laura Hammond, Newsroom staff"
    assert posts["update-5"].headline == "Bolsover count & declaration times"
    assert "jsonld: 1 update(s) with neither headline nor text skipped" in extraction.warnings
    assert extraction.complete is False


def test_invalid_block_is_skipped_and_the_others_read() -> None:
    extraction = read("blogposts-latin1.html")
    assert [p.native_id for p in extraction.posts] == ["#entry-304", "#entry-303", "#entry-302", "#entry-301"]
    assert extraction.posts[1].headline == "Bolsover falls to Labour"  # the duplicate copy is dropped
    assert "£500" in extraction.posts[1].body and "Fletcher’s" in extraction.posts[1].body
    assert "trackEvent" not in extraction.posts[3].body
    assert extraction.warnings[0].startswith("jsonld: script block 1: invalid JSON")


def test_empty_blog_is_quiet_and_a_page_without_one_warns() -> None:
    assert read("empty-blog.html") == Extraction(complete=False)
    assert read("no-blog.html").warnings == ("jsonld: no LiveBlogPosting found in 2 JSON-LD block(s)",)


@pytest.mark.parametrize(
    "document",
    [
        [{"@type": "Organization"}, blog(update("a"))],
        {"@type": "WebPage", "mainEntity": blog(update("a"))},
        {"@graph": [blog({"@id": "#a"}), update("a")]},
        {"@graph": [blog("#a"), update("a")]},
        {**blog(), "liveBlogUpdate": update("a")},
        blog(update("a"), key="blogPosts"),
        {**blog(update("a")), "@type": ["NewsArticle", "https://schema.org/LiveBlogPosting"]},
    ],
    ids=["list", "nested", "graph-ref", "graph-string-ref", "single-update", "blogPosts", "type-list"],
)
def test_shapes(document: object) -> None:
    extraction = from_json(document)
    assert [(p.native_id, p.headline) for p in extraction.posts] == [("#a", "Labour gain Erewash")]
    assert extraction.warnings == ("jsonld: 1 update(s) without a usable datePublished",)


def test_authors_in_every_shape() -> None:
    extraction = from_json(
        blog(
            update("a", author="Helen Marsh"),
            update("b", author=[{"name": "Helen Marsh"}, "Tom Castle", {"name": 5}, "Helen Marsh"]),
            update("c", author={"@type": "Organization", "name": " Derbyshire\nTimes "}),
            update("d", author=42),
        )
    )
    assert [p.author for p in extraction.posts] == [
        "Helen Marsh",
        "Helen Marsh, Tom Castle",
        "Derbyshire Times",
        None,
    ]


def test_wrongly_typed_fields_become_warnings_not_errors() -> None:
    extraction = from_json(
        blog(
            update("a", articleBody={"@value": "<p>one</p><p>two</p>"}, datePublished=20240705),
            {"@type": "BlogPosting", "@id": "#b", "headline": ["Labour", "gain"], "url": 7},
            {"@type": "BlogPosting", "@id": 9, "headline": None, "articleBody": []},
            "not-a-reference",
            17,
        )
    )
    assert [(p.native_id, p.headline, p.body) for p in extraction.posts] == [
        ("#a", "Labour gain Erewash", "one\ntwo"),
        ("#b", "Labour gain", ""),
    ]
    assert "jsonld: a date that is not a string (int); left empty" in extraction.warnings


def test_raw_control_characters_inside_strings_are_tolerated() -> None:
    update = b'{"@id": "#a", "headline": "Labour\ngain\tErewash"}'
    body = b'{"@type": "LiveBlogPosting", "liveBlogUpdate": [' + update + b"]}"
    assert [p.headline for p in ADAPTER.extract(body, CONTEXT).posts] == ["Labour gain Erewash"]


def test_relative_urls_resolve_against_the_page() -> None:
    extraction = from_json(blog({"@type": "BlogPosting", "url": "/live?p=2#u7", "headline": "x"}))
    assert (extraction.posts[0].native_id, extraction.posts[0].url) == (
        "u7",
        "https://blog.example/live?p=2#u7",
    )


def test_script_blocks_are_found_by_type_only() -> None:
    page = (
        '<script>var a = "<script type=application/ld+json>";</script>'
        "<SCRIPT TYPE='application/ld+json; charset=utf-8'>[1]</SCRIPT >"
        '<script type="text/javascript">{}</script><script type=application/ld+json>{"b": 2}'
    )
    assert script_blocks(page) == ["[1]", '{"b": 2}']


def test_detection() -> None:
    assert looks_like_jsonld("", case("jsonld/derbyshire-times.1.html").body(), {})
    assert looks_like_jsonld("", b' {"@type": "LiveBlogPosting"}', {})
    assert not looks_like_jsonld("", case("jsonld/no-blog.html").body(), {})
    assert not looks_like_jsonld("", b"LiveBlogPosting in plain text", {})


# --- the typed decoding of the usual shapes reads as the walk does ------------------------------------


def texts(body: bytes) -> list[str]:
    """The JSON texts of a body, as the adapter reads them."""
    return [block for _, block in json_texts(body.decode("utf-8", errors="replace"))]


@pytest.mark.parametrize("name", ["derbyshire-times.1.html", "derbyshire-times.3.html", "empty-blog.html"])
def test_the_usual_shape_takes_the_typed_path_to_the_same_posts(name: str) -> None:
    found = case(f"jsonld/{name}")
    assert typed_updates(texts(found.body())) is not None
    assert ADAPTER.extract(found.body(), found.context) == GENERIC.extract(found.body(), found.context)


@pytest.mark.parametrize(
    "document",
    [
        {"@graph": [blog({"@id": "#a"}), update("a")]},  # a reference: resolved by the walk
        {"@type": "WebPage", "mainEntity": blog(update("a"))},  # a blog where the typed decoding does not look
        blog(update("a", isPartOf=blog())),  # a blog inside an update
        blog("#a"),
        {"@type": "LiveBlogPostingX"},
    ],
)
def test_other_shapes_are_walked(document: object) -> None:
    body = msgspec.json.encode(document)
    assert typed_updates(texts(body)) is None
    assert ADAPTER.extract(body, CONTEXT) == GENERIC.extract(body, CONTEXT)


def test_unknown_fields_keep_the_typed_path() -> None:
    extra: dict[str, object] = {"publisher": {"@type": "Organization", "logo": {"url": "/l.png"}}, "x": [1]}
    body = msgspec.json.encode({"@graph": [{"@type": "WebPage", **extra}, {**blog({**update("a"), **extra}), **extra}]})
    assert typed_updates(texts(body)) is not None
    assert [p.native_id for p in ADAPTER.extract(body, CONTEXT).posts] == ["#a"]


UPDATE_FIELDS = st.sampled_from(["@id", "url", "headline", "name", "articleBody", "author", "datePublished", "x"])
VALUES = st.sampled_from(
    [None, 7, "", " ", "#a", "<p>Labour gain</p>", "2024-07-05T01:03:00Z", "2024-07-05T01:03:00", ["a", 1]]
)
LD_UPDATE = st.dictionaries(UPDATE_FIELDS, VALUES, max_size=5).map(lambda d: {"@type": "BlogPosting", **d})
ITEM = LD_UPDATE | st.sampled_from(["#a", 3, {"@id": "#a"}, {"@type": "LiveBlogPosting"}])
LD_BLOG = st.builds(
    lambda key, items, extra: {"@type": "LiveBlogPosting", key: items, **extra},
    st.sampled_from(["liveBlogUpdate", "blogPosts"]),
    st.lists(ITEM, max_size=4) | ITEM,
    st.dictionaries(st.sampled_from(["about", "name"]), VALUES | LD_UPDATE, max_size=2),
)
NODE = LD_BLOG | LD_UPDATE | st.just({"@type": "WebPage"})
LD_DOCUMENT = NODE | st.lists(NODE, max_size=3) | st.builds(lambda nodes: {"@graph": nodes}, st.lists(NODE, max_size=3))


@settings(max_examples=300, deadline=None)
@given(st.lists(LD_DOCUMENT, min_size=1, max_size=2))
def test_the_typed_path_reads_as_the_walk_does(documents: list[object]) -> None:
    page = "".join(f'<script type="application/ld+json">{msgspec.json.encode(d).decode()}</script>' for d in documents)
    assert ADAPTER.extract(page.encode(), CONTEXT) == GENERIC.extract(page.encode(), CONTEXT)
