"""The updates of a page's JSON-LD blogs, from a typed decoding of its usual shapes.

``jsonld._Graph`` walks generic JSON for every ``LiveBlogPosting`` (wherever it sits) and every node with
an ``@id`` (for updates given as references). Most pages put the blog where it is found at once: the
document itself, an item of a list of documents or of ``@graph``, with its updates inline. ``typed_updates``
decodes those shapes into Structs (an update as ``Update``: only the fields the reader reads; every other
field is skipped by the decoder) and gives the same updates as the walk, faster.

Where the blogs are not all where it looks, it gives ``None`` and the page is walked. It cannot miss one
without the text saying so: a blog's ``@type`` spells ``LiveBlogPosting``, so where the text holds that
word exactly as often as the ``@type`` of the blogs it found, there is no other. An update given by
reference (which the walk resolves) or a block that is not valid JSON (which the walk's decoding warns
of) also sends the page to the walk.
"""

from __future__ import annotations

import re
from typing import Any, Final

import msgspec
from msgspec import UNSET, Raw

BLOG: Final = "LiveBlogPosting"
UPDATE_KEYS: Final = ("liveBlogUpdate", "liveBlogUpdates", "blogPost", "blogPosts")
# A text this short cannot hold the walk's limit of objects and lists, so the walk would not stop early.
MAX_TYPED_CHARS: Final = 1_000_000
# An escape of a letter (which no encoder writes) could spell the blog's type where the count misses it.
_LETTER_ESCAPE: Final = re.compile(r"\\u00[4-7][0-9a-fA-F]")

_Scalar = str | int | float | bool | None


class Update(msgspec.Struct, gc=False, rename={"type": "@type", "id": "@id"}):
    """An update as the reader reads it: each field a generic JSON value, ``UNSET`` where it is absent."""

    type: Any = UNSET
    id: Any = UNSET
    url: Any = UNSET
    headline: Any = UNSET
    name: Any = UNSET
    articleBody: Any = UNSET
    text: Any = UNSET
    description: Any = UNSET
    author: Any = UNSET
    datePublished: Any = UNSET
    dateModified: Any = UNSET


_Item = Update | list[Raw] | _Scalar
_Updates = list[_Item] | Update | _Scalar


class _Node(msgspec.Struct, gc=False, rename={"type": "@type", "graph": "@graph"}):
    """A document, or an item of a list of documents or of ``@graph``: a blog or anything else."""

    type: Any = None
    graph: list[_Node | list[Raw] | _Scalar] | _Node | _Scalar = None
    liveBlogUpdate: _Updates = None
    liveBlogUpdates: _Updates = None
    blogPost: _Updates = None
    blogPosts: _Updates = None


_DOCUMENT: Final = msgspec.json.Decoder(_Node | list[_Node | list[Raw] | _Scalar])


def names_type(types: Any, wanted: str) -> bool:
    """Whether an ``@type`` value names ``wanted``, also as ``schema:X`` or ``https://schema.org/X``."""
    if types is None:
        return False
    if isinstance(types, str):  # the name is its end: most types are not looked at further
        return types == wanted or (wanted in types and _type_name(types) == wanted)
    names = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and _type_name(t) == wanted for t in names)


def _type_name(value: str) -> str:
    return value.rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def as_update(node: dict[str, Any]) -> Update:
    """A generic update (a decoded JSON object) as an ``Update``."""
    return msgspec.convert(node, Update)


def typed_updates(texts: list[str]) -> tuple[int, list[Update]] | None:
    """The number of blogs in the JSON texts and their updates in page order, as the walk finds them; or
    ``None`` where the walk is needed."""
    if sum(map(len, texts)) >= MAX_TYPED_CHARS:
        return None
    blogs: list[_Node] = []
    for text in texts:
        try:
            document = _DOCUMENT.decode(text)
        except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
            return None
        for node in document if isinstance(document, list) else [document]:
            if isinstance(node, _Node):
                blogs += _blogs(node)
    spelled = sum(_spelled(blog.type) for blog in blogs)
    if any(_LETTER_ESCAPE.search(text) for text in texts if "\\" in text):
        return None
    if sum(text.count(BLOG) for text in texts) != spelled:
        return None
    updates: list[Update] = []
    for blog in blogs:
        for key in UPDATE_KEYS:
            value = getattr(blog, key)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) or (isinstance(item, Update) and _may_be_reference(item)):
                    return None  # resolved by the walk
                if isinstance(item, Update):
                    updates.append(item)
    return len(blogs), updates


def _blogs(node: _Node) -> list[_Node]:
    """The blogs among a node and the items of its ``@graph``, in the walk's order."""
    found = [node] if names_type(node.type, BLOG) else []
    graph = node.graph
    for item in graph if isinstance(graph, list) else [graph]:
        if isinstance(item, _Node) and names_type(item.type, BLOG):
            found.append(item)
    return found


def _spelled(types: Any) -> int:
    """How often a blog's ``@type`` spells ``LiveBlogPosting``."""
    if isinstance(types, str):
        return types.count(BLOG)
    return sum(t.count(BLOG) for t in types if isinstance(t, str)) if isinstance(types, list) else 0


def _may_be_reference(update: Update) -> bool:
    """Whether the object may hold only ``@id`` and ``@type`` (other fields are skipped unseen)."""
    fields = (update.url, update.headline, update.name, update.articleBody, update.text, update.description)
    others = (update.author, update.datePublished, update.dateModified)
    return all(value is UNSET for value in fields + others)
