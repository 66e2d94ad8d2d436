"""The adapter registry: lookup by kind, ``--kind auto`` detection, and the one-line errors."""

from __future__ import annotations

import pytest

from ingester.errors import ConfigError
from ingester.sources import ADAPTERS, AutoAdapter, detect_kind, extract, get_adapter, kinds
from ingester.sources.jsonld import JsonLdAdapter
from ingester.sources.text import TextAdapter
from ingester.types import Adapter, AdapterContext
from tests.sources.cases import Case, all_cases


def test_registry_lists_the_implemented_kinds() -> None:
    assert kinds() == ("auto", "jsonld", "text", "html", "bbc-live", "bbc-constituency", "feed")
    assert all(adapter.kind == kind for kind, adapter in ADAPTERS.items())
    assert isinstance(get_adapter("jsonld"), JsonLdAdapter)
    assert isinstance(get_adapter("text"), TextAdapter)
    assert isinstance(get_adapter("auto"), AutoAdapter)


@pytest.mark.parametrize("kind", ["rss", "bbc", "HTML", "JSONLD", ""])
def test_unknown_kind_is_a_one_line_config_error(kind: str) -> None:
    with pytest.raises(ConfigError) as error:
        get_adapter(kind)
    known = "auto, jsonld, text, html, bbc-live, bbc-constituency, feed"
    assert str(error.value) == f"unknown source kind {kind!r}; known kinds: {known}"


# A page with JSON-LD but no live blog in it is markup like any other: auto hands it to the html adapter.
AUTO_KIND = {"jsonld/no-blog.html": "html"}


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.name)
def test_auto_detects_every_fixture_kind(case: Case) -> None:
    body = case.body()
    kind = AUTO_KIND.get(case.name, case.kind)
    assert detect_kind(case.context.url, body, case.context.headers) == kind
    assert extract("auto", body, case.context) == get_adapter(kind).extract(body, case.context)


@pytest.mark.parametrize(
    ("body", "headers", "kind"),
    [
        (b"<!DOCTYPE html><html><body><p>Hello</p></body></html>", {}, "html"),  # markup: no text posts
        (b'{"items": []}', {"content-type": "application/json"}, "jsonld"),
        (b"Labour gain Erewash\nAdam Thompson wins.", {}, "text"),
        (b"<p>pasted</p>", {"content-type": "text/plain; charset=utf-8"}, "text"),
        (b"", {}, "text"),
    ],
)
def test_detect_kind_fallbacks(body: bytes, headers: dict[str, str], kind: str) -> None:
    assert detect_kind("https://example.org/", body, headers) == kind


def test_every_adapter_satisfies_the_protocol() -> None:
    adapters: list[Adapter] = [*ADAPTERS.values(), AutoAdapter()]
    context = AdapterContext(url="https://example.org/")
    for adapter in adapters:
        assert adapter.extract(b"", context).posts == ()
