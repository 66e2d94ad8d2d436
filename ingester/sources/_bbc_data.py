"""Finding the data of a BBC live page: the JSON text, then its streams, summary points and banner.

The page carries its data as JSON inside a JavaScript string, ``window.__INITIAL_DATA__="{\\"data\\":…}"``:
the string is found by plain scans (``str.find`` rather than a regex over the whole page), decoded once to
the JSON text, and that text decoded again. The stream JSON is the JSON text itself.

``Found.walk`` walks generic JSON for the streams (objects with ``results`` and a ``page``, or posts in
``results``), ``summaryPoints`` objects and the ``election-banner`` object, as deep as ``MAX_FIND_DEPTH``
and never into a stream's posts. The JSON of a page is mostly those posts, so ``typed_found`` finds the
same things faster: it decodes the known shape of a page (``{"data": {request: {"name", "data": {...}}}}``,
or a stream) into Structs, the posts as ``_bbc_blocks`` Structs, and skips every other field (a real page
has many: fetchers' ``props``, navigation, ``contentType``, ``isDarkMode``, links, images, ...).

What it skipped might hold something the walk would note. It cannot without the text saying so: every
object the walk notes has a ``"results"`` or ``"summaryPoints"`` key or the name ``"election-banner"``,
so where the text holds each of these exactly as often as the typed decoding accounts for (the fields it
read, and what is inside the summary points, which it walks generically), there is nothing else; else the
page is read generically. Three counts over the text cost far less than decoding it generically.
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
# What the walk notes: the keys of streams and summary points, and the name of the banner; spelled so in
# the JSON text unless an escape spells a letter, a quote or a hyphen in them (which no encoder writes;
# "\\u003C" and the like, which some do, spell none).
_NEEDLES: Final = ('"results"', '"summaryPoints"', f'"{BANNER_ID}"')
_NEEDLE_ESCAPE: Final = re.compile(r"\\u00(?:22|2[dD]|[4-7][0-9a-fA-F])")


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
    """The streams, summary points and banners found in the data, in document order."""

    def __init__(self) -> None:
        self.streams: list[dict[str, Any]] = []
        self.summaries: list[dict[str, Any]] = []
        self.banners: list[dict[str, Any]] = []
        self.truncated = False

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


# A value that is not an object: skipped unread (a list the walk enters is counted like any skipped field).
_NotObject = list[Raw] | str | int | float | bool | None


class TOptions(msgspec.Struct, gc=False):
    isBreakingNews: Any = None
    isPinnedPost: Any = None


class TDates(msgspec.Struct, gc=False):
    firstPublished: Any = None
    lastPublished: Any = None
    time: Any = None
    date: Any = None


class TPost(msgspec.Struct, gc=False):
    """A stream item: only what the reader reads (a stream's posts are never walked), in a BBC item's
    order of keys (which ``msgspec`` decodes fastest). ``options`` and ``dates`` that are not objects
    are read as empty ones."""

    header: TBlocks | None = None
    content: TBlocks | None = None
    urn: Any = UNSET
    type: Any = None
    options: TOptions | _NotObject = None
    dates: TDates | _NotObject = None


class _Data(msgspec.Struct, gc=False):
    """A data entry's data (the live page's, a stream page, the banner): what the walk notes and what the
    reader reads of it, generically decoded but for the posts; the summary points kept as text for their
    walk and their count of needles."""

    summaryPoints: Raw | UnsetType = UNSET
    page: Any = UNSET
    results: list[TPost] | UnsetType | None = UNSET
    title: Any = UNSET
    majorityThreshold: Any = UNSET
    seatsToGo: Any = UNSET
    parties: Any = UNSET


class _Entry(msgspec.Struct, gc=False):
    name: Any = None
    data: _Data | _NotObject = None


class _Root(msgspec.Struct, gc=False):
    data: dict[str, _Entry | _NotObject] | _NotObject | UnsetType = UNSET
    page: Any = UNSET
    results: list[TPost] | UnsetType | None = UNSET


_ROOT: Final = msgspec.json.Decoder(_Root)


class _Typed:
    """What the typed decoding found, and how many of each needle (``_NEEDLES``) it accounted for."""

    def __init__(self) -> None:
        self.found = Found()
        self.accounted = [0, 0, 0]

    def stream(self, page: Any, results: list[TPost] | UnsetType | None) -> bool | None:
        """Notes a ``results`` field: True for a stream, None for none, False where the walk would enter
        the items (it notes a list of items as a stream only with a ``page`` or an item with a ``urn``)."""
        if isinstance(results, UnsetType):
            return None
        self.accounted[0] += 1
        if results is None:
            return None
        if isinstance(page, UnsetType) and all(isinstance(r.urn, UnsetType) for r in results[:5]):
            return False
        self.found.streams.append(
            {"results": results} if isinstance(page, UnsetType) else {"page": page, "results": results}
        )
        return True

    def entry(self, entry: _Entry) -> bool:
        """Notes a data entry as the walk would; False where the walk would enter what was typed."""
        data = entry.data if isinstance(entry.data, _Data) else None
        if entry.name == BANNER_ID:
            self.accounted[2] += 1
            if data is not None:
                self.found.banners.append(_banner(data))
        return data is None or self.data(data)

    def data(self, data: _Data) -> bool:
        summary: Any = None
        if not isinstance(data.summaryPoints, UnsetType):
            # Inside the summary points, the walk (below) finds what there is to find: all accounted for.
            inner = bytes(data.summaryPoints)
            self.accounted = [
                n + inner.count(needle.encode()) for n, needle in zip(self.accounted, _NEEDLES, strict=True)
            ]
            self.accounted[1] += 1
            summary = msgspec.json.decode(inner)
        if isinstance(summary, dict):
            self.found.summaries.append(summary)
        stream = self.stream(data.page, data.results)
        if stream is False:
            return False
        if stream is None and isinstance(summary, dict | list):  # the walk enters the summary points (depth 4)
            nested = Found().walk(summary, 4)
            self.found.streams += nested.streams
            self.found.summaries += nested.summaries
            self.found.banners += nested.banners
        return True

    def all_accounted_for(self, text: str) -> bool:
        """Whether the text holds each needle as often as accounted for (so nothing skipped holds one)."""
        if "\\" in text and _NEEDLE_ESCAPE.search(text) is not None:
            return False
        return all(text.count(needle) == count for needle, count in zip(_NEEDLES, self.accounted, strict=True))


def typed_found(text: str) -> Found | None:
    """What ``Found().walk`` finds in the decoded ``text``, from its typed decoding; ``None`` when the text is
    not of the known shape or something skipped might hold what the walk notes (then it is decoded and
    walked generically)."""
    if len(text) >= _MAX_TYPED_CHARS:
        return None
    try:
        root = _ROOT.decode(text)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return None
    typed = _Typed()
    stream = typed.stream(root.page, root.results)
    if stream is False:
        return None
    if stream is None and isinstance(root.data, dict):  # a stream's other fields are not walked
        for entry in root.data.values():
            if isinstance(entry, _Entry) and not typed.entry(entry):
                return None
    return typed.found if typed.all_accounted_for(text) else None


def _banner(data: _Data) -> dict[str, Any]:
    """The banner's data as the generic reader reads it (the fields it reads that are there)."""
    fields = {
        "title": data.title,
        "majorityThreshold": data.majorityThreshold,
        "seatsToGo": data.seatsToGo,
        "parties": data.parties,
    }
    return {key: value for key, value in fields.items() if not isinstance(value, UnsetType)}
