"""Hostile bodies: every adapter returns an Extraction for anything, never raises, never hangs.

Every adapter (and ``auto``) gets truncated and mutated fixtures of every kind, random bytes, deeply
nested JSON, HTML and XML, wrong encodings, and a body over its size cap (refused by its length, before
any parsing). Feeds also get entity tricks: an external entity and a "billion laughs".
"""

from __future__ import annotations

import codecs
import re
import socket
import time
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingester.sources import ADAPTERS, AutoAdapter, get_adapter
from ingester.sources._text import MAX_BODY_BYTES
from ingester.types import Adapter, AdapterContext, Extraction
from tests.sources.cases import all_cases

CONTEXT = AdapterContext(url="https://example.org/live", election="parl.2024-07-04")
ADAPTER_LIST: list[Adapter] = [*ADAPTERS.values(), AutoAdapter()]
BODIES = [c.body() for c in all_cases()]
HOSTILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(extraction: Extraction) -> None:
    assert isinstance(extraction, Extraction)
    assert all(isinstance(w, str) and "\n" not in w and len(w) < 200 for w in extraction.warnings)
    for post in extraction.posts:
        assert "\n\n" not in post.body
        assert post.published_at is None or post.published_at.utcoffset() is not None


def run_all(body: bytes, context: AdapterContext = CONTEXT) -> None:
    for adapter in ADAPTER_LIST:
        check(adapter.extract(body, context))


@HOSTILE
@given(st.binary(max_size=2048))
def test_random_bytes(body: bytes) -> None:
    run_all(body)


@HOSTILE
@given(st.sampled_from(BODIES), st.floats(min_value=0, max_value=1))
def test_truncated_fixtures(body: bytes, fraction: float) -> None:
    run_all(body[: int(len(body) * fraction)])


@HOSTILE
@given(
    st.sampled_from(BODIES),
    st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=8)), max_size=6),
)
def test_mutated_fixtures(body: bytes, edits: list[tuple[float, bytes]]) -> None:
    for fraction, replacement in edits:
        at = int(len(body) * fraction)
        body = body[:at] + replacement + body[at + len(replacement) :]
    run_all(body)


LD_KEYS = st.sampled_from(
    [
        *("@id", "@type", "url", "headline", "name", "articleBody", "text", "author", "datePublished"),
        *("dateModified", "liveBlogUpdate", "blogPosts", "@graph", "@value"),
    ]
)
LD_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
JSON = st.recursive(
    LD_SCALARS | st.sampled_from(["LiveBlogPosting", "BlogPosting", "#a", "2024-07-05T01:03:00Z", "<p>x</p>"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(LD_KEYS, inner, max_size=5),
    max_leaves=30,
)


@HOSTILE
@given(JSON)
def test_random_json_ld_updates(updates: object) -> None:
    document = {"@type": "LiveBlogPosting", "liveBlogUpdate": updates, "@graph": [updates]}
    body = msgspec.json.encode(document)
    check(get_adapter("jsonld").extract(body, CONTEXT))
    page = b'<html><script type="application/ld+json">' + body.replace(b"</", b"<\\/") + b"</script></html>"
    check(get_adapter("jsonld").extract(page, CONTEXT))


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b'<script type="application/ld+json">' + b"[" * 100_000,
        b'{"@type": "LiveBlogPosting", "liveBlogUpdate": ' + b"[" * 100_000,
    ],
    ids=["list", "object", "script", "inside-blog"],
)
def test_deeply_nested_json(body: bytes) -> None:
    extraction = get_adapter("jsonld").extract(body, CONTEXT)
    assert extraction.posts == ()
    assert any("nested too deeply" in w or "invalid JSON" in w for w in extraction.warnings)


def test_deeply_nested_html_in_an_article_body() -> None:
    fragment = "<div>" * 200_000 + "Labour gain Erewash" + "</div>" * 200_000
    document = {"@type": "LiveBlogPosting", "liveBlogUpdate": [{"@id": "#a", "articleBody": fragment}]}
    extraction = get_adapter("jsonld").extract(msgspec.json.encode(document), CONTEXT)
    assert [p.body for p in extraction.posts] == ["Labour gain Erewash"]


@pytest.mark.parametrize(
    "body",
    [
        b"<script" * 200_000,
        b'<script type="application/ld+json">' * 50_000,
        b"1. " + b"a" * 1_000_000 + b"published at",
        b"\n".join([b"1. xpublished at 01:03"] * 50_000),
        b"<" + b"a" * 3_000_000,
        b"\x00" * 1_000_000,
    ],
    ids=["unclosed-scripts", "open-ld-scripts", "long-numbered-line", "many-numbered", "one-long-tag", "nul"],
)
def test_pathological_bodies_stay_cheap(body: bytes) -> None:
    run_all(body)


@pytest.mark.parametrize("adapter", ADAPTER_LIST, ids=lambda a: a.kind)
def test_a_20mb_body_is_refused_by_size(adapter: Adapter) -> None:
    body = b'{"@type": "LiveBlogPosting", "liveBlogUpdate": [' + b" " * (20 * 1024 * 1024) + b"]}"
    extraction = adapter.extract(body, CONTEXT)
    assert (extraction.posts, extraction.complete) == ((), False)  # a refusal deletes nothing
    assert len(extraction.warnings) == 1
    assert re.search(
        r"^[a-z-]+: body of 20,971,570 bytes is over the [\d,]+-byte cap; not read$", extraction.warnings[0]
    )
    assert int(re.findall(r"over the ([\d,]+)-byte", extraction.warnings[0])[0].replace(",", "")) <= MAX_BODY_BYTES


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32", "cp1252", "shift_jis"])
def test_wrong_encodings(encoding: str) -> None:
    for case in all_cases():
        text = case.body().decode("utf-8", errors="replace")
        body = text.encode(encoding, errors="replace")
        if encoding == "utf-32":
            body = body.removeprefix(codecs.BOM_UTF32_LE)  # no BOM: a body that lies about itself
        run_all(body, AdapterContext(url=case.context.url, headers={"content-type": "text/html; charset=utf-8"}))


DEEP_BODIES = {
    "html-divs": b"<html><body>" + b"<div>" * 300_000 + b"Labour gain Erewash" + b"</div>" * 300_000,
    "html-sections-spans": b"<section><span>" * 200_000,
    "html-stray-ends": b"</ul>" * 100_000 + b"<ul>" * 100_000,
    "initial-data": b'<script>window.__INITIAL_DATA__="' + b"[" * 200_000 + b'";</script>',
    "initial-data-string": b'<script>window.__INITIAL_DATA__="\\"' + b"\\\\" * 100_000 + b'";</script>',
    "stream-results": b'{"page":{"index":1,"total":2},"results":' + b"[" * 200_000,
    "stream-blocks": b'{"page":{"index":1,"total":1},"results":[{"urn":"u","content":'
    + b'{"model":{"blocks":[{"type":"text","model":' * 2_000
    + b'{"text":"x"}'
    + b"}]}}" * 2_000
    + b"}]}",
    "feed-nested": b"<rss><channel><item><title>" + b"<b>" * 30_000 + b"x",
    "feed-unclosed": b"<feed>" + b"<entry><title>x" * 10_000,
}


@pytest.mark.parametrize("name", sorted(DEEP_BODIES))
def test_deeply_nested_bodies_stay_cheap_for_every_adapter(name: str) -> None:
    for adapter in ADAPTER_LIST:
        started = time.perf_counter()
        check(adapter.extract(DEEP_BODIES[name], CONTEXT))
        assert time.perf_counter() - started < 5, f"{adapter.kind} took too long on {name}"


def test_html_nested_too_deep_is_refused_with_a_warning() -> None:
    for kind in ("html", "bbc-constituency"):
        extraction = get_adapter(kind).extract(DEEP_BODIES["html-divs"], CONTEXT)
        assert extraction.posts == ()
        assert extraction.warnings == (f"{kind}: markup nested more than 2,000 elements deep; not read",)


FEED_XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY secret SYSTEM "file:///etc/hostname">
<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>t</title>
<item><title>Labour gain Erewash &secret;</title><guid>a</guid><description>&lol3;&lol3;</description></item>
</channel></rss>"""


def test_a_feed_never_resolves_entities() -> None:
    extraction = get_adapter("feed").extract(FEED_XXE, CONTEXT)
    [post] = extraction.posts
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "\0"
    assert hostname not in f"{post.headline}{post.body}"
    assert "lollol" not in post.body
    assert "feed: the feed's DOCTYPE (and any entities it declares) was ignored" in extraction.warnings


def test_a_feed_never_fetches_what_it_names() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        where = f"http://127.0.0.1:{listener.getsockname()[1]}"
        body = (
            f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{where}/rss.dtd" [<!ENTITY remote SYSTEM "{where}/e">'
            f'<!ENTITY % p SYSTEM "{where}/p"> %p;]><rss version="2.0" xml:base="{where}/"><channel>'
            f"<item><title>Labour gain Erewash &remote;</title><link>{where}/post</link></item></channel></rss>"
        ).encode()
        extraction = get_adapter("feed").extract(body, AdapterContext(url=f"{where}/feed.xml"))
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected
    assert [p.headline for p in extraction.posts] == ["Labour gain Erewash &remote;"]
