"""Helpers every adapter shares: size cap, decoding, text normalisation, times.

Conventions, the same for every adapter:

- ``Post.body`` is normalised text: one paragraph (or list item, or table row) per line, lines joined by
  a single ``"\\n"``, no blank lines, no leading or trailing spaces, runs of spaces collapsed.
- ``Post.headline`` is one line (``normalise_inline``); an empty headline is ``None``.
- Times are timezone-aware UTC. A time the source gave without a date or year is read with
  ``parse_display_time`` from the election context and the post gets ``time_inferred=True``. A time that
  cannot be placed is ``None`` plus a warning, never a guess.
- Warnings are short one-line strings, prefixed with the adapter kind (``"jsonld: ..."``), de-duplicated
  and capped by ``finish_warnings``.

Everything here is pure: no I/O, no clock, no global mutable state.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from operator import methodcaller
from typing import Final
from zoneinfo import ZoneInfo

MAX_BODY_BYTES: Final = 10 * 1024 * 1024
MAX_WARNINGS: Final = 20
LONDON: Final = ZoneInfo("Europe/London")
BST: Final = timezone(timedelta(hours=1), "BST")


def size_refusal(body: bytes, kind: str, limit: int = MAX_BODY_BYTES) -> str | None:
    """The warning for a body over the cap, checked before any parsing; ``None`` when it fits."""
    if len(body) <= limit:
        return None
    return f"{kind}: body of {len(body):,} bytes is over the {limit:,}-byte cap; not read"


def read_body(body: bytes, headers: Mapping[str, str], kind: str, limit: int) -> tuple[str | None, list[str]]:
    """What every adapter starts with: the body refused by its size (``None`` and the one warning why),
    else decoded, with the decoding warnings prefixed by ``kind``."""
    refusal = size_refusal(body, kind, limit)
    if refusal is not None:
        return None, [refusal]
    text, problems = decode_body(body, headers)
    return text, [f"{kind}: {problem}" for problem in problems]


def finish_warnings(warnings: Iterable[str], limit: int = MAX_WARNINGS) -> tuple[str, ...]:
    """Warnings in first-seen order, each once, at most ``limit`` of them plus a count of the rest."""
    unique = list(dict.fromkeys(" ".join(w.split()) for w in warnings))
    if len(unique) <= limit:
        return tuple(unique)
    return (*unique[:limit], f"... and {len(unique) - limit} more warnings")


def quote(value: str, limit: int = 40) -> str:
    """A value shortened and quoted for a warning, so that hostile input cannot flood the log."""
    short = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(short)


# --- decoding ------------------------------------------------------------------------------------

_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers read these labels as windows-1252 (WHATWG Encoding), and so do pages that declare them.
_LABEL_ALIASES: Final = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
}
# Python codecs that are not web charsets: a page naming one must not reach them.
_NOT_CHARSETS: Final = frozenset(
    {"idna", "punycode", "raw-unicode-escape", "unicode-escape", "undefined", "mbcs", "oem", "utf-7"}
)
_HEADER_CHARSET: Final = re.compile(r"""charset\s*=\s*["']?\s*([^"';\s,]+)""", re.IGNORECASE)
_META_CHARSET: Final = re.compile(
    rb"""<meta\b[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE
)
# An XML declaration's encoding (feeds, XHTML), at the very start of the body.
_XML_ENCODING: Final = re.compile(rb"""^\s{0,64}<\?xml\b[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")


def decode_body(body: bytes, headers: Mapping[str, str]) -> tuple[str, list[str]]:
    """Bytes to text, with the warnings that decoding raised.

    The charset comes from, in order: a byte-order mark (it is unambiguous, so it wins over the header,
    as in the HTML standard), the Content-Type header, an XML declaration's ``encoding``, a ``<meta
    charset>`` or ``<meta http-equiv>`` in the first 4 KB, else UTF-8. An unknown charset name falls
    through to the next source with a warning.
    Bytes invalid in the chosen charset become U+FFFD, with a warning.
    """
    warnings: list[str] = []
    codec, start = body_codec(body, headers, warnings)
    return decode_with(body[start:] if start else body, codec, warnings), warnings


def body_codec(body: bytes, headers: Mapping[str, str], warnings: list[str]) -> tuple[str, int]:
    """The codec ``decode_body`` reads the body with, and where the text starts (after a byte-order mark)."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return encoding, len(bom)
    # The page's own declaration is looked for only when the header gives no usable one.
    for label in _declared_charsets(body, headers):
        if label is None:
            continue
        codec = charset_codec(label)
        if codec is None:
            warnings.append(f"decode: unknown charset {quote(label)}; trying the next source")
            continue
        return codec, 0
    return "utf-8", 0


def _declared_charsets(body: bytes, headers: Mapping[str, str]) -> Iterator[str | None]:
    yield _header_charset(headers)
    yield _meta_charset(body[:4096])


def charset_codec(label: str) -> str | None:
    """The Python codec for a web charset label, or ``None`` if there is none."""
    name = label.strip().lower()
    name = _LABEL_ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if info.name in _NOT_CHARSETS or not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def _header_charset(headers: Mapping[str, str]) -> str | None:
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1) if match else None


def _meta_charset(head: bytes) -> str | None:
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii")
    # A page cannot describe itself in UTF-16 from an ASCII meta tag; browsers read it as UTF-8.
    return "utf-8" if label.lower().startswith("utf-16") else label


def decode_with(body: bytes, encoding: str, warnings: list[str]) -> str:
    """``body`` decoded with ``encoding``; bytes invalid in it replaced, with a warning."""
    try:
        return body.decode(encoding)
    except UnicodeDecodeError:
        warnings.append(f"decode: bytes invalid in {encoding} were replaced")
    try:
        return body.decode(encoding, errors="replace")
    except (UnicodeError, LookupError):  # a codec that refuses the "replace" handler
        warnings.append(f"decode: codec {encoding} unusable; read as utf-8")
        return body.decode("utf-8", errors="replace")


# --- normalisation -------------------------------------------------------------------------------

_LINE_BREAKS: Final = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_INVISIBLE: Final = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f]")


def normalise_lines(text: str, *, unescape: bool = True) -> list[str]:
    """Cleaned lines: entities unescaped, spaces collapsed, each line stripped.

    Runs of blank lines become one ``""``; no blank line at the start or end. Adapters that read
    structure from blank lines (plain text) use this; the others use ``normalise_text``.
    """
    if unescape:
        text = html.unescape(text)
    text = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))
    lines: list[str] = []
    # Left in a line, the only whitespace (str.isspace) is the spaces: " ", tab, no-break and the Unicode
    # spaces; the other whitespace characters are line breaks or invisible, handled above. So str.split
    # collapses each run of spaces to one and strips the ends, in C.
    for line in map(" ".join, map(str.split, text.split("\n"))):
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def normalise_text(text: str, *, unescape: bool = True) -> str:
    """Text in the body convention: non-empty cleaned lines joined by ``"\\n"``."""
    return "\n".join(line for line in normalise_lines(text, unescape=unescape) if line)


_STRIP_SPACES: Final = methodcaller("strip", " ")
# Characters that normalisation changes (entities, controls, invisible and unusual spaces) and double
# spaces: text without any (most headlines and names) only needs its ends trimmed.
_NEEDS_NORMALISING: Final = re.compile(r"[&\x00-\x1f\x7f-\xad\u1680\u2000-\u206f\u3000\ufeff]|  ")


def _plain(text: str) -> bool:
    """Whether normalising ``text`` changes no more than its ends; for ASCII, three C calls, no regex."""
    if text.isascii():
        # Printable ASCII excludes exactly the controls (line breaks and tabs included) and DEL.
        return text.isprintable() and "&" not in text and "  " not in text
    return _NEEDS_NORMALISING.search(text) is None


def normalise_inline(text: str, *, unescape: bool = True) -> str:
    """Text on one line (a headline, an author): every line break becomes a space."""
    # _plain's ASCII test inlined: called once per line of every post, the calls cost more than the test.
    if (text.isprintable() and "&" not in text and "  " not in text) if text.isascii() else _plain(text):
        return text.strip(" ")
    return " ".join(line for line in normalise_lines(text, unescape=unescape) if line)


def normalise_inlines(texts: list[str], *, unescape: bool = True) -> list[str]:
    """``normalise_inline`` of each text; when all are plain (the usual page), one check of them joined by
    a character that is plain itself and cannot make a double space."""
    if _plain("|".join(texts)):
        return list(map(_STRIP_SPACES, texts))
    return [normalise_inline(text, unescape=unescape) for text in texts]


# --- times ---------------------------------------------------------------------------------------

_ELECTION_DATE: Final = re.compile(r"(?:^|\.)(\d{4})-(\d{2})-(\d{2})$")
_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ZONES: Final[Mapping[str, tzinfo]] = {
    "bst": BST,
    "british summer time": BST,
    "gmt": UTC,
    "greenwich mean time": UTC,
    "utc": UTC,
}
_DISPLAY_TIME: Final = re.compile(
    r"\b(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\b\.?)?\s*"
    r"(?P<zone>bst|british summer time|gmt|greenwich mean time|utc)?",
    re.IGNORECASE,
)
_DAY_MONTH: Final = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[a-z]{3,9})\b|\b(?P<month2>[a-z]{3,9})\s+(?P<day2>\d{1,2})\b",
    re.IGNORECASE,
)


def parse_iso(value: str, warnings: list[str] | None = None) -> datetime | None:
    """An ISO 8601 timestamp with an offset, in UTC.

    A timestamp without an offset (or a bare date) is not guessed: ``None``, and a warning is appended to
    ``warnings`` when given. Unparseable text likewise.
    """
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text) if len(text) <= 64 else None
    except ValueError:
        parsed = None
    if parsed is None:
        _warn(warnings, f"time {quote(text)} is not an ISO 8601 timestamp; left empty")
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        _warn(warnings, f"time {quote(text)} has no UTC offset; left empty")
        return None
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        _warn(warnings, f"time {quote(text)} is out of range; left empty")
        return None


def election_date(election: str | None) -> date | None:
    """The polling day of a Democracy Club id (``parl.2024-07-04``, ``parl.derby-north.2024-07-04``)."""
    match = _ELECTION_DATE.search(election.strip()) if election else None
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def resolve_display_time(
    hour: int,
    minute: int,
    day_hint: tuple[int, int] | None,
    polling_day: date | None,
    *,
    zone: tzinfo = LONDON,
    rollover_hour: int = 20,
) -> datetime | None:
    """A wall-clock time without a year, placed by the election context, in UTC.

    ``day_hint`` is (day, month) when the page gave one; the year is the one that puts that day nearest
    the polling day. Without it, an election night runs from the polling day's evening into the next
    day: ``rollover_hour``:00 to 23:59 is the polling day, earlier times the day after. The wall time is
    read in ``zone`` (Europe/London unless the page named BST or GMT). ``None`` when there is no polling
    day or the values are not a time. Any result is inferred: callers set ``time_inferred``.
    """
    if polling_day is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    if day_hint is None:
        day = polling_day if hour >= rollover_hour else polling_day + timedelta(days=1)
    else:
        found = _nearest_date(day_hint, polling_day)
        if found is None:
            return None
        day = found
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def parse_display_time(text: str, polling_day: date | None, *, rollover_hour: int = 20) -> datetime | None:
    """A displayed time such as ``01:03 British Summer Time 5 July`` or ``11.45pm``, in UTC.

    The day and month, when present after the time, are used as the day hint; the year and (without a
    day) the date come from ``polling_day`` as in ``resolve_display_time``. ``rollover_hour=0`` reads a
    time without a day as on ``polling_day`` itself (for a page that states its own date).
    """
    match = _DISPLAY_TIME.search(text)
    if match is None:
        return None
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    ampm = (match.group("ampm") or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    zone_label = (match.group("zone") or "").lower()
    zone = _ZONES.get(zone_label, LONDON)
    day_hint = _day_hint(text[match.end() :])
    return resolve_display_time(hour, minute, day_hint, polling_day, zone=zone, rollover_hour=rollover_hour)


def _day_hint(text: str) -> tuple[int, int] | None:
    for match in _DAY_MONTH.finditer(text[:40]):
        day = match.group("day") or match.group("day2")
        month = _MONTHS.get((match.group("month") or match.group("month2")).lower())
        if month is not None:
            return int(day), month
    return None


def _nearest_date(day_hint: tuple[int, int], polling_day: date) -> date | None:
    day, month = day_hint
    candidates: list[date] = []
    for year in (polling_day.year - 1, polling_day.year, polling_day.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs(d - polling_day), default=None)


def _warn(warnings: list[str] | None, message: str) -> None:
    if warnings is not None:
        warnings.append(message)
