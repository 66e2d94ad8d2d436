"""schema.org ``LiveBlogPosting`` JSON-LD: the live blog a page declares for search engines.

Where the JSON-LD is: the whole body when it is JSON (it starts with ``{`` or ``[``), else every
``<script type="application/ld+json">`` block of the HTML page. Script blocks are found by a linear scan,
not an HTML parser, so a hostile page cannot make the parse slow. A block that is not valid JSON is
skipped with a warning; the other blocks are still read.

Inside the JSON, every object typed ``LiveBlogPosting`` counts, wherever it sits: a single object, a list
of blocks, ``@graph``, or nested (``mainEntity``). Its updates are the values of ``liveBlogUpdate``,
``blogPost`` and ``blogPosts`` (an object or a list), each a ``BlogPosting``/``NewsArticle`` given inline
or as an ``@id`` reference to a node elsewhere in the page's JSON-LD. The usual shapes (the blog as a
document, an item of a list or of ``@graph``, its updates inline) are decoded into Structs that read only
what is read (``_jsonld_typed``), to the same updates; the others are decoded and walked generically.

Each update becomes a Post: ``native_id`` is its ``@id``, else its url's ``#anchor``, else its url;
``headline`` (or ``name``); ``body`` from ``articleBody`` (or ``text``, ``description``), HTML or plain;
``author`` from an object, a string or a list; ``published_at``/``updated_at`` from ``datePublished`` and
``dateModified``, which must carry a UTC offset (a naive time is left empty, with a warning).

A page that declares a LiveBlogPosting with no updates yet gives zero posts and no warning (a blog at
21:00); a page with no LiveBlogPosting at all gives zero posts and a warning.

``complete`` is False: many sites embed only the latest N updates in their JSON-LD, so a post missing
from one body is judged deleted only within the time window that body's posts span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, Final
from urllib.parse import urljoin, urlsplit

from msgspec import UNSET

from ingester.sources._html import html_to_text, looks_like_html, rich_texts
from ingester.sources._json import decode_json, utc_time
from ingester.sources._jsonld_typed import BLOG, UPDATE_KEYS, Update, as_update, names_type, typed_updates
from ingester.sources._text import (
    MAX_BODY_BYTES,
    finish_warnings,
    normalise_inline,
    parse_iso,
    read_body,
)
from ingester.types import AdapterContext, Extraction, Post

KIND: Final = "jsonld"
MAX_NODES: Final = 500_000
MAX_UPDATES: Final = 5_000

_SCRIPT_OPEN: Final = re.compile(r"<script\b([^<>]{0,2000})>", re.IGNORECASE)
_SCRIPT_CLOSE: Final = re.compile(r"</script", re.IGNORECASE)
_TYPE_ATTR: Final = re.compile(r"""\btype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_WRAPPER_START: Final = re.compile(r"^\s*(?:(?://|/\*)\s*)?(?:<!\[CDATA\[|<!--)\s*(?:\*/)?")
_WRAPPER_END: Final = re.compile(r"(?:(?://|/\*)\s*)?(?:\]\]>|-->)\s*(?:\*/)?\s*$")
_REFERENCE_KEYS: Final = frozenset({"@id", "@type"})
_CONTAINERS: Final = (dict, list)


class JsonLdAdapter:
    """The ``jsonld`` adapter; see the module docstring."""

    kind: str = KIND

    def __init__(self, max_bytes: int = MAX_BODY_BYTES, *, typed: bool = True) -> None:
        self.max_bytes = max_bytes
        # Whether the usual shapes are decoded into Structs (``_jsonld_typed``), which reads the same
        # updates faster; without, every page is decoded and walked generically (tests compare the two).
        self.typed = typed

    def extract(self, body: bytes, context: AdapterContext) -> Extraction:
        text, warnings = read_body(body, context.headers, KIND, self.max_bytes)
        if text is None:
            return Extraction(warnings=tuple(warnings))
        blocks = json_texts(text)
        found = typed_updates([block for _, block in blocks]) if self.typed else None
        updates: Iterable[Update]
        if found is not None:
            documents, (blogs, updates) = len(blocks), found
        else:
            decoded = [decode_json(block, where, KIND, warnings) for where, block in blocks]
            graph = _Graph([d for d in decoded if d is not None], warnings)
            documents, blogs, updates = len(decoded) - decoded.count(None), len(graph.blogs), graph.updates()
        if not blogs:
            warnings.append(f"{KIND}: no LiveBlogPosting found in {documents} JSON-LD block(s)")
        posts = _posts(updates, context, warnings)
        return Extraction(posts=posts, warnings=finish_warnings(warnings), complete=False)


def looks_like_jsonld(url: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """For ``--kind auto``: a JSON body or an HTML page that declares a LiveBlogPosting."""
    del url, headers  # the body alone decides
    if body.find(b"LiveBlogPosting", 0, MAX_BODY_BYTES) < 0:
        return False
    return body.lstrip()[:1] in (b"{", b"[") or body.find(b"application/ld+json", 0, MAX_BODY_BYTES) >= 0


# --- finding the JSON ----------------------------------------------------------------------------


def json_texts(text: str) -> list[tuple[str, str]]:
    """The JSON texts and where each is: the body itself, or each ld+json script block, unwrapped."""
    if text.lstrip()[:1] in ("{", "["):
        return [("body", _unwrap(text))]
    return [(f"script block {n}", _unwrap(block)) for n, block in enumerate(script_blocks(text), start=1)]


def script_blocks(html: str) -> list[str]:
    """The contents of every ``<script type="application/ld+json">`` in an HTML page, in page order."""
    blocks: list[str] = []
    position = 0
    while (opening := _SCRIPT_OPEN.search(html, position)) is not None:
        closing = _SCRIPT_CLOSE.search(html, opening.end())
        end = closing.start() if closing is not None else len(html)
        if _is_ld_json(opening.group(1)):
            blocks.append(html[opening.end() : end])
        if closing is None:
            break
        position = closing.end()
    return blocks


def _is_ld_json(attributes: str) -> bool:
    match = _TYPE_ATTR.search(attributes)
    if match is None:
        return False
    value = next(group for group in match.groups() if group is not None)
    return value.split(";")[0].strip().lower() == "application/ld+json"


def _unwrap(block: str) -> str:
    """The block without a ``<!--``/``CDATA`` wrapper; only its ends are searched, so it stays linear."""
    start = _WRAPPER_START.match(block)
    text = block[start.end() :] if start else block
    tail = max(len(text.rstrip()) - 64, 0)
    end = _WRAPPER_END.search(text, tail)
    return text[: end.start()] if end else text


class _Graph:
    """Every LiveBlogPosting in the JSON and every node with an ``@id``, found by an iterative walk."""

    def __init__(self, documents: list[Any], warnings: list[str]) -> None:
        self.blogs: list[dict[str, Any]] = []
        self.by_id: dict[str, dict[str, Any]] = {}
        stack: list[Any] = [d for d in reversed(documents) if isinstance(d, _CONTAINERS)]
        visited = 0
        # The walk visits every object of the page's JSON-LD (two or more an update): plain type checks
        # and methods looked up once (decoded JSON holds exact dicts and lists).
        pop, push, note = stack.pop, stack.extend, self._note
        while stack:
            visited += 1
            if visited > MAX_NODES:
                warnings.append(f"{KIND}: more than {MAX_NODES:,} JSON objects and lists; the rest not read")
                break
            value = pop()
            # Only containers are walked: a scalar can be neither a blog nor a node with an @id.
            if type(value) is dict:
                note(value)
                children = [v for v in value.values() if type(v) is dict or type(v) is list]
            else:
                children = [v for v in value if type(v) is dict or type(v) is list]
            if children:
                children.reverse()
                push(children)

    def _note(self, node: dict[str, Any]) -> None:
        types = node.get("@type")
        if types is not None and (types == BLOG or names_type(types, BLOG)):
            self.blogs.append(node)
        node_id = node.get("@id")
        if type(node_id) is str and node_id not in self.by_id and not _is_reference(node):
            self.by_id[node_id] = node

    def updates(self) -> Iterator[Update]:
        """Each blog's updates in page order, references resolved."""
        for blog in self.blogs:
            for key in UPDATE_KEYS:
                value = blog.get(key)
                for item in value if isinstance(value, list) else [value]:
                    resolved = self._resolve(item)
                    if resolved is not None:
                        yield as_update(resolved)

    def _resolve(self, item: Any) -> dict[str, Any] | None:
        if isinstance(item, str):
            return self.by_id.get(item)
        if not isinstance(item, dict):
            return None
        if _is_reference(item) and isinstance(item.get("@id"), str):
            return self.by_id.get(item["@id"], item)
        return item


def has_type(node: Mapping[str, Any], wanted: str) -> bool:
    """Whether ``@type`` names ``wanted``, also as ``schema:X`` or ``https://schema.org/X``."""
    return names_type(node.get("@type"), wanted)


def _is_reference(node: Mapping[str, Any]) -> bool:
    return len(node) <= len(_REFERENCE_KEYS) and node.keys() <= _REFERENCE_KEYS


# --- updates to posts ----------------------------------------------------------------------------


def _posts(found: Iterable[Update], context: AdapterContext, warnings: list[str]) -> tuple[Post, ...]:
    updates: list[Update] = []
    for update in found:
        if len(updates) >= MAX_UPDATES:
            warnings.append(f"{KIND}: more than {MAX_UPDATES:,} updates; the rest not read")
            break
        updates.append(update)
    # Every body of the page converted together: one pass for all the simple HTML (see _html).
    bodies = rich_texts([_first_text(u.articleBody, u.text, u.description) or "" for u in updates])
    posts: dict[object, Post] = {}
    unreadable = 0
    for update, body in zip(updates, bodies, strict=True):
        post = _post(update, body, context.url, warnings)
        if post is None:
            unreadable += 1
            continue
        # A page may embed the same blog twice (two script blocks): keep the first copy of each post.
        posts.setdefault(post.native_id or (post.headline, post.body), post)
    if unreadable:
        warnings.append(f"{KIND}: {unreadable} update(s) with neither headline nor text skipped")
    undated = sum(post.published_at is None for post in posts.values())
    if undated:
        warnings.append(f"{KIND}: {undated} update(s) without a usable datePublished")
    return tuple(posts.values())


def _post(update: Update, body: str, page_url: str, warnings: list[str]) -> Post | None:
    headline = _headline(update.headline, update.name)
    if not headline and not body:
        return None
    node_id, link = update.id, update.url
    node_id = node_id.strip() if isinstance(node_id, str) and node_id.strip() else None
    url = _absolute(link, page_url)
    if url is None and node_id is not None and node_id.startswith(("http://", "https://", "#")):
        url = _absolute(node_id, page_url)
    published = _time(update.datePublished, warnings)
    # Unedited, an update's modified time is its published time: the same text reads the same.
    modified = update.dateModified
    updated = published if published is not None and modified == update.datePublished else _time(modified, warnings)
    return Post(
        native_id=node_id or _anchor(link) or url,
        url=url,
        headline=headline,
        body=body,
        author=_author(update.author),
        published_at=published,
        updated_at=updated,
    )


def _first_text(*values: Any) -> str | None:
    """The first JSON-LD text value that is not empty, of a field and its stand-ins (absent ones skipped)."""
    for value in values:
        text = value if type(value) is str else _text_value(value)
        if text:
            return text
    return None


def _text_value(value: Any) -> str | None:
    """A JSON-LD text value: a string, a list of strings, or ``{"@value": ...}``."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = [v for v in value if isinstance(v, str)]
        return "\n".join(parts) if parts else None
    if isinstance(value, dict) and isinstance(value.get("@value"), str):
        return str(value["@value"])
    return None


def _headline(*values: Any) -> str | None:
    """The first of the values whose text is not empty (HTML read as its text)."""
    for value in values:
        found = value if type(value) is str else _text_value(value)
        if found:
            text = normalise_inline(html_to_text(found) if "<" in found and looks_like_html(found) else found)
            if text:
                return text
    return None


def _author(value: Any) -> str | None:
    if type(value) is dict:  # the usual one author: the loop below, at once
        name = value.get("name")
        return (normalise_inline(name) or None) if isinstance(name, str) else None
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items[:20]:
        name = item.get("name") if isinstance(item, dict) else item
        text = normalise_inline(name) if isinstance(name, str) else ""
        if text and text not in names:
            names.append(text)
    return ", ".join(names) or None


def _time(value: Any, warnings: list[str]) -> datetime | None:
    if value is None or value is UNSET:
        return None
    if not isinstance(value, str):
        warnings.append(f"{KIND}: a date that is not a string ({type(value).__name__}); left empty")
        return None
    parsed = utc_time(value)
    if parsed is None:  # read again for the reason, only in the rare case that needs one
        problems: list[str] = []
        parse_iso(value, problems)
        warnings.extend(f"{KIND}: {problem}" for problem in problems)
    return parsed


# An absolute URL that urljoin and urlsplit return unchanged: the common case, read without them. An ASCII
# one is matched by a pattern that spells out the ASCII spaces (``\s`` there is the same set, but slower).
_PLAIN_URL: Final = re.compile(r"https?://[^\s?#;\[\]\\]+(?:#(?P<anchor>[^\s?#;]+))?")
_PLAIN_ASCII_URL: Final = re.compile(
    r"https?://[^\t\n\x0b\x0c\r\x1c-\x20?#;\[\]\\]+(?:#(?P<anchor>[^\t\n\x0b\x0c\r\x1c-\x20?#;]+))?"
)


def _plain_url(value: str) -> re.Match[str] | None:
    return (_PLAIN_ASCII_URL if value.isascii() else _PLAIN_URL).fullmatch(value)


def _absolute(value: Any, base: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    if _plain_url(value):
        return value
    try:
        return urljoin(base, value.strip())
    except ValueError:  # e.g. a malformed IPv6 host
        return None


def _anchor(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if plain := _plain_url(value):
        return plain["anchor"]
    try:
        return urlsplit(value.strip()).fragment or None
    except ValueError:
        return None
