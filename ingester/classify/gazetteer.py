"""The gazetteer: the official constituencies of each boundary set, matched tolerantly by name.

It is loaded from a CSV in the House of Commons Library's format (``gss_code,constituency_name,...``,
as ``constituencies-2024.csv`` and ``constituencies-2010.csv``), either from the path the operator
configures (:func:`load_gazetteer`) or from the copy ``ingester gazetteer import`` stored in the data
directory (:func:`default_gazetteer`). It only names places: the ingester never looks results up.

Boundary sets: the 2024 boundaries are in force from the election of 4 July 2024, the 2010 ones for
the elections of 2010 to 2019. A lookup picks the set from the election day (without a day: the
newest set loaded). Five Scottish GSS codes are in both sets, so an entry is keyed on set and code.

Matching (:func:`match_key`) ignores case, accents ("Ynys Mon"), punctuation ("Birmingham, Yardley"),
hyphens ("Mid-Derbyshire"), "&" against "and", a leading "the", and expands compass abbreviations
("NE Derbyshire"). When that fails, a second key that ignores where the compass words stand
("Worcestershire Mid" for "Mid Worcestershire") is tried, if it names one seat only.

A match gives the official name, the GSS code and the Democracy Club ballot id ``parl.<slug>.<date>``
for the election day; the ballot id is left out when the day is only a guess from a post's time.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Final

import msgspec
import structlog

from ingester.classify._text import GuessedDay
from ingester.errors import ConfigError
from ingester.events import Constituency

BOUNDARY_SETS: Final = ("2024", "2010")
_SET_STARTS: Final = {"2024": date(2024, 7, 4), "2010": date(2010, 5, 6)}
MAX_FILE_BYTES: Final = 5 * 1024 * 1024
MAX_ROWS: Final = 5000
_REQUIRED: Final = ("gss_code", "constituency_name")
_GSS: Final = re.compile(r"^[EWSN]\d{8}$")
_COMPASS: Final = {"n": "north", "s": "south", "e": "east", "w": "west",
                   "ne": "north east", "nw": "north west", "se": "south east", "sw": "south west"}  # fmt: skip
_DIRECTIONS: Final = frozenset({"north", "south", "east", "west", "mid", "central"})
_log = structlog.get_logger("ingester.gazetteer")


class Entry(msgspec.Struct, frozen=True):
    boundaries: str  # "2024" or "2010"
    code: str  # GSS code
    name: str  # official name


class Gazetteer:
    """Entries by boundary set, with their match keys. Immutable once built."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: dict[tuple[str, str], Entry] = {}
        self._exact: dict[str, dict[str, Entry]] = {}
        self._loose: dict[str, dict[str, Entry | None]] = {}
        for entry in entries:
            if (entry.boundaries, entry.code) in self.entries:
                continue
            self.entries[(entry.boundaries, entry.code)] = entry
            key = match_key(entry.name)
            self._exact.setdefault(entry.boundaries, {}).setdefault(key, entry)
            loose = self._loose.setdefault(entry.boundaries, {})
            other = loose.get(order_free(key), entry)
            loose[order_free(key)] = entry if other is None or other == entry else None  # None: ambiguous

    @property
    def boundary_sets(self) -> tuple[str, ...]:
        return tuple(s for s in BOUNDARY_SETS if s in self._exact)

    def count(self, boundaries: str) -> int:
        return len(self._exact.get(boundaries, {}))

    def boundaries_for(self, on: date | None) -> str | None:
        """The loaded set in force on ``on``; without a day, the newest loaded."""
        if on is None:
            return self.boundary_sets[0] if self.boundary_sets else None
        wanted = next((s for s in BOUNDARY_SETS if on >= _SET_STARTS[s]), None)
        return wanted if wanted in self._exact else None

    def covers(self, on: date | None) -> bool:
        return self.boundaries_for(on) is not None

    def lookup(self, name: str, on: date | None) -> Constituency | None:
        boundaries = self.boundaries_for(on)
        if boundaries is None or len(name) > 200:
            return None
        key = match_key(name)
        entry = self._exact[boundaries].get(key) or self._loose[boundaries].get(order_free(key))
        if entry is None:
            return None
        ballot = None if on is None or isinstance(on, GuessedDay) else f"parl.{slug(entry.name)}.{on.isoformat()}"
        return Constituency(entry.name, entry.code, ballot)


# --------------------------------------------------------------------------------------------- names


def _folded(text: str) -> str:
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return text.casefold()


_NOT_WORD: Final = re.compile(r"[^\w\s]")


def match_key(name: str) -> str:
    """ "NE Derbyshire", "north-east derbyshire" and "North East Derbyshire" all give one key."""
    text = _folded(name).replace("&", " and ")
    text = _NOT_WORD.sub("", text.replace("-", " ").replace("/", " ").replace("\u2019", "'"))
    words = text.split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    if words and words[-1] == "constituency" and len(words) > 1:
        words = words[:-1]
    out: list[str] = []
    for index, word in enumerate(words):
        if word in _COMPASS and (len(word) == 2 or index in (0, len(words) - 1)) and len(words) > 1:
            out.append(_COMPASS[word])
        elif word == "saint":
            out.append("st")
        else:
            out.append(word)
    return " ".join(out)


def order_free(key: str) -> str:
    """The key with its compass words moved to the end: "mid worcestershire" -> "worcestershire mid"."""
    words = key.split()
    places = [w for w in words if w not in _DIRECTIONS]
    if not places or len(places) == len(words):
        return key
    return " ".join(places) + " | " + " ".join(w for w in words if w in _DIRECTIONS)


def slug(name: str) -> str:
    """Democracy Club's slug: "North East Derbyshire" -> "north-east-derbyshire", "Ynys Môn" ->
    "ynys-mon", "Birmingham, Yardley" -> "birmingham-yardley", "A & B" -> "a-and-b"."""
    text = _folded(name).replace("&", " and ")
    text = _NOT_WORD.sub("", text.replace("-", " "))
    return "-".join(text.split())


# ------------------------------------------------------------------------------------------- loading


def load_gazetteer(path: Path | str, boundaries: str | None = None) -> Gazetteer:
    """The gazetteer in a CSV file, or in every CSV of a directory. The boundary set is ``boundaries``,
    else the year in the file's name ("...-2010.csv"), else told by the columns (the 2010 list has a
    ``county_name`` column). Raises ``ConfigError`` (one line, with the path) on a file it cannot use."""
    path = Path(path)
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    if not files:
        raise ConfigError(f"gazetteer: {path}: no CSV files in this directory")
    entries: list[Entry] = []
    for file in files:
        entries.extend(read_entries(file, boundaries))
    return Gazetteer(entries)


def read_entries(path: Path, boundaries: str | None = None) -> list[Entry]:
    if boundaries is not None and boundaries not in BOUNDARY_SETS:
        raise ConfigError(f"gazetteer: boundaries must be one of {', '.join(BOUNDARY_SETS)}, not {boundaries!r}")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ConfigError(f"gazetteer: {path}: {size} bytes is over the {MAX_FILE_BYTES}-byte limit")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise ConfigError(f"gazetteer: cannot read {path}: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"gazetteer: {path}: not UTF-8 text") from None
    return parse_entries(text, str(path), boundaries or _year_in_name(path.name))


def parse_entries(text: str, where: str, boundaries: str | None) -> list[Entry]:
    """Entries from CSV text; rows without a valid code or name are skipped with a warning."""
    reader = csv.DictReader(io.StringIO(text), strict=True)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in _REQUIRED if column not in header]
    if missing:
        raise ConfigError(f"gazetteer: {where}: line 1: missing column(s) {', '.join(missing)}")
    chosen = boundaries or ("2010" if "county_name" in header else "2024")
    entries: list[Entry] = []
    for line, row in _rows(reader, where):
        code = (row.get("gss_code") or "").strip().upper()
        name = " ".join((row.get("constituency_name") or "").split())
        if not _GSS.match(code) or not 0 < len(name) <= 120:
            _log.warning("gazetteer row skipped", file=where, line=line, code=code[:20], name=name[:40])
            continue
        entries.append(Entry(chosen, code, name))
    if not entries:
        raise ConfigError(f"gazetteer: {where}: no constituencies in the file")
    doubled = [name for name, n in Counter(match_key(e.name) for e in entries).items() if n > 1]
    if doubled:
        _log.warning("gazetteer names listed twice", file=where, names=doubled[:5])
    return entries


def _rows(reader: csv.DictReader[str], where: str) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        for row in reader:
            if reader.line_num > MAX_ROWS + 1:
                raise ConfigError(f"gazetteer: {where}: more than {MAX_ROWS} rows")
            yield reader.line_num, {k.strip(): v for k, v in row.items() if isinstance(k, str) and isinstance(v, str)}
    except csv.Error as err:
        raise ConfigError(f"gazetteer: {where}: line {reader.line_num}: {err}") from None


def _year_in_name(name: str) -> str | None:
    found = [s for s in BOUNDARY_SETS if s in name]
    return found[0] if len(found) == 1 else None


# ---------------------------------------------------------------------------------- the stored copy


def stored_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "gazetteer"


def import_gazetteer(source: Path, data_dir: Path, boundaries: str | None = None) -> tuple[str, int]:
    """Check ``source`` and store it in the data directory as that boundary set's list, replacing an
    earlier one (written to a temporary file and renamed, so a reader never sees half a list).
    Returns (boundary set, number of constituencies)."""
    entries = read_entries(Path(source), boundaries)
    chosen = entries[0].boundaries
    folder = stored_dir(data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"constituencies-{chosen}.csv"
        temporary = target.with_suffix(".csv.tmp")
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(_REQUIRED)
            writer.writerows((entry.code, entry.name) for entry in entries)
        temporary.replace(target)
    except OSError as err:
        raise ConfigError(f"gazetteer: cannot store it in {folder}: {err.strerror or err}") from None
    return chosen, len(entries)


def default_gazetteer(data_dir: Path) -> Gazetteer | None:
    """The gazetteer ``ingester gazetteer import`` stored in ``data_dir``, or None when there is none."""
    folder = stored_dir(data_dir)
    files = sorted(folder.glob("constituencies-*.csv")) if folder.is_dir() else []
    if not files:
        return None
    entries: list[Entry] = []
    for file in files:
        entries.extend(read_entries(file, _year_in_name(file.name)))
    return Gazetteer(entries)
