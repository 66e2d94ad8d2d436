"""The text of a BBC live post's blocks, read from generic JSON or from the typed decoding of it.

A post's header and content are trees of blocks, ``{"type": ..., "model": {"text": ..., "blocks": [...]}}``.
Lines come from paragraph-like blocks (their ``text``, else the joined ``text`` of their fragments),
containers give the lines of their blocks, media give their captions', embeds the text of their markup.

Two readers with one behaviour: ``lines`` and ``contributor`` read generic values (any JSON, every
missing or mistyped part read as absent); ``typed_lines`` and ``typed_contributor`` read the ``TBlock``
Structs that ``msgspec`` decodes about three times faster (and without GC tracking). The typed decoding
only succeeds where every block is an object, every ``blocks`` a list of objects and every ``text`` a
string or null, and there both readers give the same lines (a property test checks it); anything else
is decoded generically. Fields the reader does not read (BBC blocks carry many) are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

import msgspec

from ingester.sources._html import html_to_text
from ingester.sources._json import as_dict, as_str
from ingester.sources._text import normalise_inline

MAX_BLOCK_DEPTH: Final = 12
_LIST_TYPES: Final = frozenset({"unorderedList", "orderedList"})
LINE_TYPES: Final = frozenset({"paragraph", "subheadline", "heading", "crosshead"})
_NESTING_TYPES: Final = frozenset({"text", "listItem", "quote", "quoteText", "quoteSource", "caption"})
MEDIA_TYPES: Final = frozenset({"image", "video", "media", "audio"})
EMBED_TYPES: Final = frozenset({"embed", "oEmbed", "social", "socialEmbed", "twitter", "instagram"})
CONTAINER_TYPES: Final = _LIST_TYPES | _NESTING_TYPES | {"headline"}

# What a block of each type gives, looked up once per block (a post has a dozen or more).
_LINE, _CONTAINER, _MEDIA, _EMBED = range(4)
_ROLES: Final[dict[str | None, int]] = {
    **dict.fromkeys(EMBED_TYPES, _EMBED),
    **dict.fromkeys(MEDIA_TYPES, _MEDIA),
    **dict.fromkeys(CONTAINER_TYPES, _CONTAINER),
    **dict.fromkeys(LINE_TYPES, _LINE),
}


def normalise_text_value(text: str) -> str:
    """``normalise_inline(text, unescape=False)``: how a JSON text value becomes a line (its entities are
    text, not markup: they stay). Most values (curly quotes and dashes too) only need their ends trimmed:
    every character the normaliser changes (controls, line breaks, invisible characters, spaces but " ")
    is one that ``str.isprintable`` refuses, and runs of spaces are looked for apart."""
    if "  " not in text and text.isprintable():
        return text.strip(" ")
    return normalise_inline(text, unescape=False)


# --- generic JSON ----------------------------------------------------------------------------------


def blocks(value: Any) -> list[dict[str, Any]]:
    """The blocks of a ``{"model": {"blocks": [...]}}`` value."""
    # The hottest function of the generic reader (several calls per post): plain type checks, no helpers.
    model = value.get("model") if isinstance(value, dict) else None
    found = model.get("blocks") if isinstance(model, dict) else None
    return [b for b in found if isinstance(b, dict)] if isinstance(found, list) else []


def lines(found: Iterable[dict[str, Any]], depth: int = 0) -> list[str]:
    """The text lines of content blocks, in order; unknown block types give nothing."""
    out: list[str] = []
    if depth > MAX_BLOCK_DEPTH:
        return out
    for block in found:
        kind = block.get("type")
        role = _ROLES.get(kind) if isinstance(kind, str) else None
        if role == _LINE:
            line = _block_text(block.get("model"))
            if line:
                out.append(line)
        elif role == _CONTAINER:
            out.extend(lines(blocks(block), depth + 1))
        elif role == _MEDIA:
            out.extend(lines((b for b in blocks(block) if b.get("type") == "caption"), depth + 1))
        elif role == _EMBED:
            model = as_dict(block.get("model"))
            out.extend(embed_lines(model.get("oembed"), model.get("html"), model.get("text")))
    return out


def _block_text(model: Any) -> str:
    if not isinstance(model, dict):
        return ""
    text = model.get("text")
    if not isinstance(text, str):  # only fragments: join their texts
        text = "".join(as_str(as_dict(f.get("model")).get("text")) or "" for f in blocks({"model": model}))
    return normalise_text_value(text)


def embed_lines(oembed: Any, markup: Any, text: Any) -> list[str]:
    """The lines of an embed: its markup's text, else its text or title."""
    found = as_dict(oembed)
    html = as_str(found.get("html")) or as_str(markup)
    if html:
        return [line for line in html_to_text(html).split("\n") if line]
    shown = as_str(text) or as_str(found.get("title"))
    return [normalise_text_value(shown)] if shown and shown.strip() else []


def contributor(header: list[dict[str, Any]]) -> str | None:
    """``"Name, Role"`` from a contributor block (also inside a byline block)."""
    for block in header:
        if block.get("type") == "byline":
            found = contributor(blocks(block))
            if found:
                return found
        if block.get("type") != "contributor":
            continue
        parts = {as_str(b.get("type")): " ".join(lines(blocks(b), 1)) for b in blocks(block)}
        name, role = parts.get("name"), parts.get("role")
        if name:
            return f"{name}, {role}" if role else name
    return None


# --- typed -----------------------------------------------------------------------------------------


class TModel(msgspec.Struct, gc=False):
    """A block's model: only the fields the reader reads (others are skipped by the decoder)."""

    text: str | None = None
    blocks: list[TBlock] | None = None
    oembed: Any = None
    html: Any = None


class TBlock(msgspec.Struct, gc=False):
    type: str | None = None
    model: TModel | None = None


class TBlocks(msgspec.Struct, gc=False):
    """A post's ``header`` or ``content``."""

    model: TModel | None = None

    def items(self) -> list[TBlock]:
        model = self.model
        return (model.blocks or []) if model is not None else []


def _children(block: TBlock) -> list[TBlock]:
    model = block.model
    return (model.blocks or []) if model is not None else []


def typed_lines(found: Iterable[TBlock], depth: int = 0, out: list[str] | None = None) -> list[str]:
    """``lines`` of typed blocks (appended to ``out`` when given: one list for a whole tree)."""
    if out is None:
        out = []
    if depth > MAX_BLOCK_DEPTH:
        return out
    for block in found:
        model = block.model
        if model is None:  # a block without a model gives nothing in either reader
            continue
        role = _ROLES.get(block.type)
        if role == _CONTAINER:
            if model.blocks:
                typed_lines(model.blocks, depth + 1, out)
        elif role == _LINE:
            text = model.text
            if text is None:  # only fragments: join their texts
                text = "".join(f.model.text or "" for f in model.blocks or () if f.model is not None)
            # normalise_text_value inlined: called for every line of every post.
            line = (
                text.strip(" ") if "  " not in text and text.isprintable() else normalise_inline(text, unescape=False)
            )
            if line:
                out.append(line)
        elif role == _MEDIA:
            if model.blocks:
                typed_lines([b for b in model.blocks if b.type == "caption"], depth + 1, out)
        elif role == _EMBED:
            out.extend(embed_lines(model.oembed, model.html, model.text))
    return out


def typed_headline(header: list[TBlock]) -> str | None:
    """The lines of the ``headline`` blocks of a typed header, joined: ``lines`` of them, in one list."""
    out: list[str] = []
    for block in header:
        model = block.model
        if block.type == "headline" and model is not None and model.blocks:
            typed_lines(model.blocks, 1, out)
    return " ".join(out) or None


def typed_contributor(header: list[TBlock]) -> str | None:
    """``contributor`` of typed blocks."""
    for block in header:
        kind = block.type
        if kind == "byline":
            found = typed_contributor(_children(block))
            if found:
                return found
        elif kind == "contributor":
            # The last part of each kind, as a dict of the parts by kind would keep.
            name = role = None
            for part in _children(block):
                if part.type == "name":
                    name = part
                elif part.type == "role":
                    role = part
            name_text = " ".join(typed_lines(_children(name), 1)) if name is not None else ""
            if name_text:
                role_text = " ".join(typed_lines(_children(role), 1)) if role is not None else ""
                return f"{name_text}, {role_text}" if role_text else name_text
    return None
