"""Finding the data of a BBC live page: the JSON text, then its streams, summary points and banner.

The page carries its data as JSON inside a JavaScript string, ``window.__INITIAL_DATA__="{\\"data\\":…}"``:
the string is found by plain scans (``str.find`` rather than a regex over the whole page), decoded once to
the JSON text, and that text decoded again. The stream JSON is the JSON text itself.

``_Found`` walks generic JSON for the streams (objects with ``results`` and a ``page``, or posts in
``results``), ``summaryPoints`` objects and the ``election-banner`` object, as deep as ``MAX_FIND_DEPTH``
and never into a stream's posts. The JSON of a page is mostly those posts: ``typed_found`` decodes the
known shape of a page (``{"data": {request: {"name", "data": {...}}}}``, or a stream) into Structs, its
posts as ``_bbc_blocks`` Structs, and finds the same things. Every object the walk would visit is a Struct
that forbids unknown fields, so a page of another shape fails to decode and is read generically; the
summary points, which the walk enters, are walked generically.
"""

from __future__ import annotations

import re
from typing import Any, Final

import msgspec
from msgspec import UNSET, Raw, UnsetType

from ingester.sources._bbc_blocks import TBlocks
from ingester.sources._json import decode_json

KIND: Final = "bbc-live"
MAX_NODES: Final = 500_000
MAX_FIND_DEPTH: Final = 8
BANNER_ID: Final = "election-banner"
# A document this short cannot hold MAX_NODES objects and lists, so the typed walk never truncates.
_MAX_TYPED_CHARS: Final = 2 * MAX_NODES
_MAX_SCRIPT_SCAN: Final = 200  # "<" characters looked at for the end of the script before a regex search

_INITIAL_DATA: Final = re.compile(r"window\.__INITIAL_DATA__\s*=\s*")
_INITIAL_DATA_NAME: Final = "window.__INITIAL_DATA__"
_SCRIPT_CLOSE: Final = re.compile(r"</script", re.IGNORECASE)
_JS_HEX_ESCAPE: Final = re.compile(r"(?<!\\)\\x([0-9a-fA-F]{2})")
_DOUBLE_SPACE: Final = re.compile("  ")
_MAX_AMPERSANDS: Final = 64


def page_json(text: str, warnings: list[str]) -> tuple[str | None, str]:
    """The JSON text of a page or stream body and what it is (for warnings); ``None`` (with the warning
    why) when there is none."""
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        return stripped, "body"
    start = _initial_data(text)
    if start < 0:
        warnings.append(f"{KIND}: no window.__INITIAL_DATA__ in the page")
        return None, ""
    literal = text[start : _literal_end(text, start, _script_end(text, start))]
    if not literal.startswith('"'):
        return literal, "__INITIAL_DATA__"
    try:  # valid JSON as it stands: a JavaScript "\xNN" escape makes it invalid, so there is none
        inner = msgspec.json.decode(literal)
    except (msgspec.DecodeError, RecursionError):
        # A JavaScript string: JSON's escapes plus "\xNN", which JSON spells "\u00NN".
        if "\\x" in literal:
            literal = _JS_HEX_ESCAPE.sub(r"\\u00\1", literal)
        inner = decode_json(literal, "__INITIAL_DATA__ string", KIND, warnings)
    if not isinstance(inner, str):
        if inner is not None:
            warnings.append(f"{KIND}: __INITIAL_DATA__ is not a string; not read")
        return None, ""
    return inner, "__INITIAL_DATA__"


def _initial_data(text: str) -> int:
    """Where the value assigned to ``window.__INITIAL_DATA__`` starts (``_INITIAL_DATA.search``), or -1."""
    at = text.find(_INITIAL_DATA_NAME)
    while at >= 0:
        match = _INITIAL_DATA.match(text, at)
        if match is not None:
            return match.end()
        at = text.find(_INITIAL_DATA_NAME, at + 1)
    return -1


def _literal_end(text: str, start: int, end: int) -> int:
    """Where ``text[start:end].strip().rstrip(";").rstrip()`` ends, without copying the literal three times
    (the value starts after the whitespace ``_INITIAL_DATA`` took, so only its end is stripped)."""
    while end > start and text[end - 1].isspace():
        end -= 1
    while end > start and text[end - 1] == ";":
        end -= 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _script_end(text: str, start: int) -> int:
    """Where the script ends (``_SCRIPT_CLOSE.search``), or the end of the text: each "<" tried in turn."""
    at = text.find("<", start)
    for _ in range(_MAX_SCRIPT_SCAN):
        if at < 0:
            return len(text)
        if _SCRIPT_CLOSE.match(text, at):
            return at
        at = text.find("<", at + 1)
    closing = _SCRIPT_CLOSE.search(text, at) if at >= 0 else None
    return closing.start() if closing else len(text)


# --- generic ---------------------------------------------------------------------------------------


class Found:
    """The streams, summary points and banners found in the data, in document order. ``plain`` says every
    string of the data is plain (normalising it trims its ends), when ``typed_found`` could tell."""

    def __init__(self) -> None:
        self.streams: list[dict[str, Any]] = []
        self.summaries: list[dict[str, Any]] = []
        self.banners: list[dict[str, Any]] = []
        self.truncated = False
        self.plain = False

    def walk(self, data: Any, depth: int = 0) -> Found:
        """An iterative walk from ``data`` (at ``depth``): near the top of the page data, so no deeper than
        ``MAX_FIND_DEPTH``, and never into a stream's posts (a page of 200 posts has tens of thousands of
        objects in them)."""
        stack: list[tuple[Any, int]] = [(data, depth)] if isinstance(data, dict | list) else []
        visited = 0
        while stack:
            visited += 1
            if visited > MAX_NODES:
                self.truncated = True
                break
            value, depth = stack.pop()
            children = value.values() if isinstance(value, dict) else value
            if isinstance(value, dict) and self._note(value):
                continue
            if depth < MAX_FIND_DEPTH:
                stack.extend((v, depth + 1) for v in reversed(children) if isinstance(v, dict | list))
        return self

    def _note(self, node: dict[str, Any]) -> bool:
        """Notes what the node is; True for a stream (whose posts are not walked)."""
        if isinstance(node.get("summaryPoints"), dict):
            self.summaries.append(node["summaryPoints"])
        if node.get("name") == BANNER_ID and isinstance(node.get("data"), dict):
            self.banners.append(node["data"])
        results = node.get("results")
        if isinstance(results, list) and ("page" in node or _has_posts(results)):
            self.streams.append(node)
            return True
        return False


def _has_posts(results: list[Any]) -> bool:
    return any(isinstance(r, dict) and "urn" in r for r in results[:5])


# --- typed -----------------------------------------------------------------------------------------

Scalar = int | float | str | bool | None
Maybe = Scalar | UnsetType  # a scalar field that may be absent


class TPost(msgspec.Struct, gc=False):
    """A stream item: only what the reader reads (a stream's posts are never walked)."""

    urn: Any = UNSET
    type: Any = None
    header: TBlocks | None = None
    content: TBlocks | None = None
    options: Any = None
    dates: Any = None


class _PageInfo(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    index: Maybe = UNSET
    total: Maybe = UNSET


class _LiveTextStream(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: Scalar = None
    contributors: Scalar = None


class _Party(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    name: Maybe = UNSET
    seats: Maybe = UNSET
    change: Maybe = UNSET


class _Data(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """What a page data entry holds: the live page's data, a stream page or the banner."""

    title: Maybe = UNSET
    isLive: Scalar = None
    summaryPoints: Raw | UnsetType = UNSET
    liveTextStream: _LiveTextStream | None = None
    page: _PageInfo | UnsetType | None = UNSET
    results: list[TPost] | UnsetType = UNSET
    majorityThreshold: Maybe = UNSET
    seatsToGo: Maybe = UNSET
    changeLabel: Scalar = None
    parties: list[_Party] | UnsetType | None = UNSET


class _Entry(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    name: str | None = None
    data: _Data | None = None


class _Root(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    data: dict[str, _Entry] | UnsetType = UNSET
    page: _PageInfo | UnsetType | None = UNSET
    results: list[TPost] | UnsetType = UNSET


_ROOT: Final = msgspec.json.Decoder(_Root)


def typed_found(text: str) -> Found | None:
    """What ``Found().walk`` finds in the decoded ``text``, from its typed decoding; ``None`` when the text is
    not of the known shape (then it is decoded and walked generically)."""
    if len(text) >= _MAX_TYPED_CHARS:
        return None
    try:
        root = _ROOT.decode(text)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return None
    found = Found()
    found.plain = _plain_strings(text, root.data if not isinstance(root.data, UnsetType) else {})
    if not isinstance(root.results, UnsetType):  # the root is a stream (or a list the walk would enter)
        return found if _typed_stream(found, root.page, root.results) else None
    entries = root.data if not isinstance(root.data, UnsetType) else {}
    if "summaryPoints" in entries:  # the entries object itself would be noted as holding summary points
        return None
    for entry in entries.values():
        data = entry.data
        if entry.name == BANNER_ID and data is not None:
            found.banners.append(_banner(data))
        if data is not None and not _typed_data(found, data):
            return None
    return found


def _plain_strings(text: str, entries: dict[str, Any]) -> bool:
    """Whether every string the JSON ``text`` holds is plain text (``_text.normalise_inline`` trims its ends
    and nothing else): ASCII, no escape (so no control character: JSON allows none raw) and no DEL, no
    double space, and no "&" but in the request keys of the page data (a query string's)."""
    if not text.isascii() or "\\" in text or "\x7f" in text or _DOUBLE_SPACE.search(text) is not None:
        return False
    ampersands, at = 0, text.find("&")
    while at >= 0 and ampersands <= _MAX_AMPERSANDS:
        ampersands, at = ampersands + 1, text.find("&", at + 1)
    return ampersands == sum(key.count("&") for key in entries)


def _typed_data(found: Found, data: _Data) -> bool:
    """Notes an entry's data as the walk would; False where the walk would enter what was typed."""
    summary: Any = msgspec.json.decode(data.summaryPoints) if not isinstance(data.summaryPoints, UnsetType) else None
    if isinstance(summary, dict):
        found.summaries.append(summary)
    if not isinstance(data.results, UnsetType):
        return _typed_stream(found, data.page, data.results)
    if isinstance(summary, dict | list):  # the walk enters the summary points (depth 4)
        nested = Found().walk(summary, 4)
        found.streams += nested.streams
        found.summaries += nested.summaries
        found.banners += nested.banners
    return True


def _typed_stream(found: Found, page: _PageInfo | UnsetType | None, results: list[TPost]) -> bool:
    if isinstance(page, UnsetType) and not any(not isinstance(r.urn, UnsetType) for r in results[:5]):
        return False  # not a stream: the walk would enter its items
    info = msgspec.to_builtins(page) if not isinstance(page, UnsetType) else UNSET
    found.streams.append({"page": info, "results": results} if info is not UNSET else {"results": results})
    return True


def _banner(data: _Data) -> dict[str, Any]:
    """The banner's data as the generic reader reads it (the fields it reads that are there)."""
    parties = data.parties
    fields = {
        "title": data.title,
        "majorityThreshold": data.majorityThreshold,
        "seatsToGo": data.seatsToGo,
        "parties": [msgspec.to_builtins(p) for p in parties] if isinstance(parties, list) else parties,
    }
    return {key: value for key, value in fields.items() if not isinstance(value, UnsetType)}
