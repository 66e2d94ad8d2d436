"""A results file and its approximate declaration times, read into the seats of a simulated night.

Two files, in the formats of the House of Commons Library data under ``shared/data``:

- candidates (``ge2024-candidates.csv``): one row per candidate with ``Constituency name``, ``ONS ID``,
  ``Region name``, ``Country name``, ``Party name``, ``Party abbreviation``, ``Candidate first name``,
  ``Candidate surname`` and ``Votes``;
- declaration times (``ge2024-declaration-times-approx.csv``): ``Constituency, 2019 party, 2019 majority,
  2024 party, 2024 majority, Declaration time`` (HH:MM in BST, no date: 20:00 and later is polling day,
  earlier is the morning after). The file is malformed: some names hold unquoted commas and rows end
  with a stray comma, so the last five fields are the columns and everything before them is the name.

Names differ between the two files ("&" against "and", "Hull East" against "Kingston upon Hull East",
"Glyndwr" against "Glyndŵr"); :func:`name_key` folds them. A seat missing from the times file declares
late (after every other seat), as Inverness did in 2024 after its recount. Every problem is a one-line
``ConfigError`` naming the file and the line; the files are read, never copied.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

import msgspec

from ingester.errors import ConfigError

MAX_FILE_BYTES: Final = 64 * 1024 * 1024
LONDON: Final = ZoneInfo("Europe/London")
CANDIDATE_COLUMNS: Final = (
    "ONS ID",
    "Constituency name",
    "Region name",
    "Country name",
    "Party name",
    "Party abbreviation",
    "Candidate first name",
    "Candidate surname",
    "Votes",
)
# The contract's code for the Library's party abbreviations; anything else is OTH.
_CODES: Final = {
    "Lab": "LAB", "Con": "CON", "LD": "LD", "SNP": "SNP", "PC": "PC", "Green": "GRN", "RUK": "REF",
    "UKIP": "UKIP", "DUP": "DUP", "SF": "SF", "SDLP": "SDLP", "UUP": "UUP", "APNI": "APNI", "TUV": "TUV",
    "Spk": "SPK", "WPB": "WPB", "Ind": "IND",
}  # fmt: skip
# How a newsroom writes the big parties; others keep the Library's name.
PARTY_NAMES: Final = {
    "LAB": "Labour", "CON": "Conservative", "LD": "Liberal Democrat", "SNP": "SNP", "PC": "Plaid Cymru",
    "GRN": "Green", "REF": "Reform UK", "UKIP": "UKIP", "DUP": "DUP", "SF": "Sinn Fein", "SDLP": "SDLP",
    "UUP": "UUP", "APNI": "Alliance", "TUV": "TUV", "SPK": "Speaker", "WPB": "Workers Party of Britain",
    "IND": "Independent",
}  # fmt: skip
_PREFIX_ALIASES: Final = (("kingston upon hull ", "hull "),)


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    party: str  # the contract's code
    party_name: str  # as a newsroom would write it
    votes: int


class Seat(msgspec.Struct, frozen=True, kw_only=True):
    """One constituency's result: candidates by votes (winner first) and its declaration time (UTC)."""

    name: str
    code: str
    region: str
    country: str
    candidates: tuple[Candidate, ...]
    declared_at: datetime
    previous: str | None = None  # the 2019 (notional) winner's code, when the times file gives it

    @property
    def winner(self) -> Candidate:
        return self.candidates[0]

    @property
    def gained_from(self) -> str | None:
        """The previous holder, when the seat changed hands."""
        return self.previous if self.previous not in {None, self.winner.party} else None

    @property
    def majority(self) -> int:
        return self.candidates[0].votes - self.candidates[1].votes if len(self.candidates) > 1 else 0


class Declaration(msgspec.Struct, frozen=True):
    declared_at: datetime
    previous: str | None


def name_key(name: str) -> str:
    """A seat's name folded so that both files' spellings meet."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("&", " and ")
    text = " ".join(text.replace(",", " ").split())
    for long, short in _PREFIX_ALIASES:
        if text.startswith(long):
            text = short + text.removeprefix(long)
    return text


def load_seats(candidates: Path, times: Path, *, election: date = date(2024, 7, 4)) -> list[Seat]:
    """Every seat of the candidates file, with its declaration time, in order of declaration."""
    declarations = read_declaration_times(times, election)
    by_seat = _read_candidates(candidates)
    known = [d.declared_at for d in declarations.values()]
    late = max(known, default=_night_start(election)) + timedelta(hours=2)
    seats = []
    for n, (code, (name, region, country, rows)) in enumerate(sorted(by_seat.items())):
        found = declarations.get(name_key(name))
        declared_at = found.declared_at if found else late + timedelta(minutes=n % 60)
        ranked = tuple(sorted(rows, key=lambda c: (-c.votes, c.name)))
        seats.append(
            Seat(
                name=name,
                code=code,
                region=region,
                country=country,
                candidates=ranked,
                declared_at=declared_at,
                previous=found.previous if found else None,
            )
        )
    return sorted(seats, key=lambda s: (s.declared_at, s.name))


def read_declaration_times(path: Path, election: date) -> dict[str, Declaration]:
    """Declaration times by :func:`name_key`; rows that cannot be read are errors naming their line."""
    found: dict[str, Declaration] = {}
    for line, row in _rows(path):
        if line == 1 or not any(field.strip() for field in row):
            continue
        if row and not row[-1].strip():
            row = row[:-1]
        if len(row) < 6:
            raise ConfigError(f"{path}:{line}: expected a name and 5 columns, got {len(row)} fields")
        name = ",".join(row[:-5]).strip()
        previous, hhmm = row[-5].strip().upper() or None, row[-1].strip()
        found[name_key(name)] = Declaration(_declared_at(hhmm, election, f"{path}:{line}"), previous)
    return found


def _declared_at(hhmm: str, election: date, where: str) -> datetime:
    try:
        moment = time.fromisoformat(hhmm)
    except ValueError:
        raise ConfigError(f"{where}: expected a time HH:MM, got {hhmm[:20]!r}") from None
    day = election if moment.hour >= 20 else election + timedelta(days=1)
    return datetime.combine(day, moment, tzinfo=LONDON).astimezone(UTC)


def _night_start(election: date) -> datetime:
    return datetime.combine(election, time(22, 0), tzinfo=LONDON).astimezone(UTC)


_SeatRows = tuple[str, str, str, list[Candidate]]


def _read_candidates(path: Path) -> dict[str, _SeatRows]:
    """Candidates by the seat's GSS code (a name may be misspelt on one row: "YeoYeovil")."""
    seats: dict[str, _SeatRows] = {}
    names: dict[str, Counter[str]] = defaultdict(Counter)
    rows = _rows(path)
    _, header = next(rows, (1, []))
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in CANDIDATE_COLUMNS if c not in header]
    if missing:
        raise ConfigError(f"{path}: not a candidates file: no column {missing[0]!r}")
    column = {name: header.index(name) for name in CANDIDATE_COLUMNS}
    for line, row in rows:
        if not any(field.strip() for field in row):
            continue
        if len(row) < len(header):
            raise ConfigError(f"{path}:{line}: expected {len(header)} fields, got {len(row)}")
        get = {name: row[index].strip() for name, index in column.items()}
        code = get["ONS ID"]
        names[code][get["Constituency name"]] += 1
        entry = seats.setdefault(code, ("", get["Region name"], get["Country name"], []))
        entry[3].append(_candidate(get, f"{path}:{line}"))
    if not seats:
        raise ConfigError(f"{path}: no candidates")
    return {code: (names[code].most_common(1)[0][0], *rest[1:]) for code, rest in seats.items()}


def _candidate(get: dict[str, str], where: str) -> Candidate:
    votes = get["Votes"].replace(",", "")
    if not votes.isdigit():
        raise ConfigError(f"{where}: Votes: expected a whole number, got {get['Votes'][:20]!r}")
    code = _CODES.get(get["Party abbreviation"], "OTH")
    name = f"{get['Candidate first name']} {get['Candidate surname']}".strip()
    return Candidate(name=name, party=code, party_name=PARTY_NAMES.get(code, get["Party name"]), votes=int(votes))


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """CSV rows with their line numbers, from a bounded, UTF-8 file."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ConfigError(f"{path}: larger than {MAX_FILE_BYTES} bytes")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror or err}") from None
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not UTF-8 text (byte {err.start})") from None
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as err:
        raise ConfigError(f"{path}:{reader.line_num}: unreadable CSV: {err}") from None
