"""The source adapters: one per site family, looked up by kind in an explicit registry.

Adding an adapter is two lines: its instance in ``_ADAPTERS`` and, if ``--kind auto`` should find it,
its detector in ``DETECTORS`` (most specific first). Adding a site family of HTML live blogs is one
``BlogSelectors`` in its own module and one entry in ``HTML_FAMILIES``.

``auto`` is not an adapter of its own: ``AutoAdapter`` asks ``detect_kind`` for every body and hands the
body to that kind's adapter, so a source configured as ``auto`` can still change shape during a night.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from ingester.errors import ConfigError
from ingester.sources.bbc_constituency import BbcConstituencyAdapter, looks_like_bbc_constituency
from ingester.sources.bbc_live import BbcLiveAdapter, looks_like_bbc_live
from ingester.sources.feed import FeedAdapter, looks_like_feed
from ingester.sources.html_blog import BlogSelectors, HtmlBlogAdapter
from ingester.sources.jsonld import JsonLdAdapter, looks_like_jsonld
from ingester.sources.nationalworld import NATIONALWORLD
from ingester.sources.reach import REACH
from ingester.sources.text import TextAdapter, looks_like_text
from ingester.types import Adapter, AdapterContext, Extraction

AUTO: Final = "auto"

Detector = Callable[[str, bytes, Mapping[str, str]], bool]

HTML_FAMILIES: Final[tuple[BlogSelectors, ...]] = (NATIONALWORLD, REACH)
_HTML: Final = HtmlBlogAdapter(HTML_FAMILIES)
_ADAPTERS: Final[tuple[Adapter, ...]] = (
    JsonLdAdapter(),
    TextAdapter(),
    _HTML,
    BbcLiveAdapter(),
    BbcConstituencyAdapter(),
    FeedAdapter(),
)
ADAPTERS: Final[Mapping[str, Adapter]] = MappingProxyType({a.kind: a for a in _ADAPTERS})

# (kind, detector) pairs, tried in order; the first detector that says yes picks the kind.
# A constituency page may carry a live stream too, so it comes before bbc-live; JSON-LD is preferred to
# the visible markup of the same blog; text claims what is not markup or JSON.
DETECTORS: Final[tuple[tuple[str, Detector], ...]] = (
    ("bbc-constituency", looks_like_bbc_constituency),
    ("bbc-live", looks_like_bbc_live),
    ("feed", looks_like_feed),
    ("jsonld", looks_like_jsonld),
    ("html", _HTML.looks_like),
    ("text", looks_like_text),
)
# A body that no detector claims: markup goes to the html adapter, JSON to the jsonld adapter, each of
# which warns that it found no live blog, rather than the text adapter turning page furniture into posts.
MARKUP_FALLBACK: Final = "html"
JSON_FALLBACK: Final = "jsonld"


def kinds() -> tuple[str, ...]:
    """Every kind ``get_adapter`` accepts, ``auto`` first."""
    return (AUTO, *ADAPTERS)


def get_adapter(kind: str) -> Adapter:
    """The adapter for a kind; an unknown kind is a ``ConfigError`` that lists the known ones."""
    if kind == AUTO:
        return AutoAdapter()
    adapter = ADAPTERS.get(kind)
    if adapter is None:
        raise ConfigError(f"unknown source kind {kind!r}; known kinds: {', '.join(kinds())}")
    return adapter


def detect_kind(url: str, body: bytes, headers: Mapping[str, str]) -> str:
    """The kind whose adapter should read this body (for ``--kind auto``). Never raises."""
    for kind, detector in DETECTORS:
        if kind in ADAPTERS and detector(url, body, headers):
            return kind
    return JSON_FALLBACK if body[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[") else MARKUP_FALLBACK


def extract(kind: str, body: bytes, context: AdapterContext) -> Extraction:
    """One body through the adapter of ``kind`` (``auto`` resolved from the body)."""
    return get_adapter(kind).extract(body, context)


class AutoAdapter:
    """Picks the adapter per body with ``detect_kind``."""

    kind: str = AUTO

    def extract(self, body: bytes, context: AdapterContext) -> Extraction:
        return ADAPTERS[detect_kind(context.url, body, context.headers)].extract(body, context)
