"""Where a key sits in a TOML text: the line that config errors point at.

tomllib gives values, not positions, so this is a small line scanner. It follows table headers
(``[redis]``, ``[[sources]]`` counted per array, ``[sources.schedule]`` meaning the latest source),
``key = value`` lines and the keys of one-line inline tables (``schedule = {timezone = "…"}``). It does
not parse TOML: a key that it cannot place gives no line, and the error is still reported by path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

Segment = str | int
KeyPath = tuple[Segment, ...]

_ARRAY_HEADER: Final = re.compile(r"^\[\[\s*([^\]]+?)\s*\]\]")
_TABLE_HEADER: Final = re.compile(r"^\[\s*([^\]]+?)\s*\]")
_KEY_LINE: Final = re.compile(
    r"""^((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_INLINE_KEY: Final = re.compile(r"[{,]\s*([A-Za-z0-9_-]+|\"[^\"]*\")\s*=")
_PATH_TOKEN: Final = re.compile(r"\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\"((?:[^\"\\]|\\.)*)\"\]")


def _dotted(text: str) -> list[str]:
    return [part.strip().strip("\"'") for part in re.split(r"\.(?=(?:[^\"']*[\"'][^\"']*[\"'])*[^\"']*$)", text)]


class KeyLines:
    """Maps every key path that the scanner could place to its 1-based line number."""

    def __init__(self, text: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        self._arrays: dict[KeyPath, int] = {}
        table: KeyPath = ()
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if match := _ARRAY_HEADER.match(line):
                *parents, name = _dotted(match[1])
                key = (*self._resolve(parents), name)
                index = self._arrays.get(key, -1) + 1
                self._arrays[key] = index
                table = (*key, index)
                self._lines[table] = number
            elif match := _TABLE_HEADER.match(line):
                table = self._resolve(_dotted(match[1]))
                self._lines.setdefault(table, number)
            elif match := _KEY_LINE.match(line):
                path = (*table, *_dotted(match[1]))
                self._lines.setdefault(path, number)
                rest = line[match.end() :]
                if rest.lstrip().startswith("{"):
                    for inner in _INLINE_KEY.finditer(rest):
                        self._lines.setdefault((*path, inner[1].strip('"')), number)

    def _resolve(self, segments: Sequence[str]) -> KeyPath:
        """``[sources.schedule]`` after ``[[sources]]`` is the schedule of the latest source."""
        path: list[Segment] = []
        for segment in segments:
            path.append(segment)
            index = self._arrays.get(tuple(path))
            if index is not None:
                path.append(index)
        return tuple(path)

    def line_of(self, path: KeyPath) -> int | None:
        """The line of ``path``, else of its nearest placed ancestor, else None."""
        for end in range(len(path), 0, -1):
            found = self._lines.get(path[:end])
            if found is not None:
                return found
        return None


def parse_path(text: str) -> KeyPath:
    """msgspec's ``$.sources[3].interval`` as ``("sources", 3, "interval")``."""
    path: list[Segment] = []
    for match in _PATH_TOKEN.finditer(text.removeprefix("$")):
        name, index, quoted = match.groups()
        path.append(int(index) if index is not None else (name if name is not None else quoted))
    return tuple(path)


def show_path(path: KeyPath) -> str:
    """``("sources", 3, "interval")`` as ``sources[3].interval``."""
    shown = ""
    for segment in path:
        shown += f"[{segment}]" if isinstance(segment, int) else (f".{segment}" if shown else segment)
    return shown
