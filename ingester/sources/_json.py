"""JSON helpers the adapters share: decoding hostile text, and reading untyped values safely."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Final

import msgspec

from ingester.sources._text import parse_iso

_CONTROL: Final = re.compile(r"[\x00-\x1f]")
_MAX_TIME_CHARS: Final = 64  # as parse_iso reads


def decode_json(text: str | bytes, where: str, kind: str, warnings: list[str]) -> Any:
    """The decoded value, or ``None`` with a one-line warning for invalid or too deeply nested JSON.

    Some CMSs leave raw line breaks or tabs inside JSON strings; a second attempt reads them as spaces.
    """
    error = ""
    attempts: list[str | bytes] = [text]
    for attempt in attempts:
        try:
            return msgspec.json.decode(attempt)
        except msgspec.DecodeError as exc:
            error = str(exc).splitlines()[0][:80] if str(exc) else "undecodable"
        except RecursionError:
            warnings.append(f"{kind}: {where}: JSON nested too deeply; skipped")
            return None
        if len(attempts) == 1 and isinstance(text, str) and _CONTROL.search(text) is not None:
            attempts.append(_CONTROL.sub(" ", text))
    warnings.append(f"{kind}: {where}: invalid JSON ({error}); skipped")
    return None


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one: missing and mistyped read the same."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def as_int(value: Any) -> int | None:
    """An integer (a bool is not one); a whole float or a digit string as well."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit() and len(value) < 12:
        return int(value.strip())
    return None


def utc_time(text: str, problems: list[str] | None = None) -> datetime | None:
    """``parse_iso(text, problems)``, a JSON time value in UTC; a time already in UTC (``...Z``, ``+00:00``:
    most feeds' and the BBC's), which ``parse_iso`` would return as it is, read at once."""
    if len(text) <= _MAX_TIME_CHARS:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is UTC:
            return parsed
    return parse_iso(text, problems)
