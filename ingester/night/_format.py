"""What the reader and the writer share: the format's names, limits and small helpers."""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from datetime import UTC, datetime
from importlib import metadata
from typing import Final

import msgspec

from ingester.types import Fetched, SourceConfig

FORMAT: Final = "ingester-night/1"
REVISIT_PROFILE: Final = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
_REVISIT_PROFILES: Final = {
    REVISIT_PROFILE,
    "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest",
}
RECORD_HEADER: Final = "Ingester-Record"
SOURCE_HEADER: Final = "Ingester-Source"
ERROR_HEADER: Final = "Ingester-Error"
# The body of a Fetched is decoded (what adapters read), so the wire's encodings would misdescribe it to
# other WARC tools; they are kept under this prefix and restored on reading.
ORIGINAL_PREFIX: Final = "x-ingester-orig-"
_WIRE_ONLY: Final = frozenset({"content-encoding", "transfer-encoding"})

_MIB: Final = 1 << 20
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_ID_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_OID, FORMAT)  # any fixed namespace will do
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")
_URI_UNSAFE: Final = re.compile(r"[\x00-\x20\x7f]")
_TOKEN: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_STATUS: Final = re.compile(r"[1-9][0-9][0-9]")
_LENGTH: Final = re.compile(r"[0-9]{1,19}")
_DATE: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?Z")


class NightLimits(msgspec.Struct, frozen=True, kw_only=True):
    """Bounds on what the reader accepts, so that a hostile file cannot exhaust memory."""

    max_file_bytes: int = 2048 * _MIB
    max_record_bytes: int = 256 * _MIB
    max_total_bytes: int = 8192 * _MIB  # decompressed, over the whole night
    max_warnings: int = 100


class Night(msgspec.Struct, kw_only=True):
    configs: dict[str, SourceConfig] = msgspec.field(default_factory=dict)
    fetches: list[Fetched] = msgspec.field(default_factory=list)  # by fetched_at, stable for ties
    warnings: list[str] = msgspec.field(default_factory=list)


class _FetchError(msgspec.Struct, frozen=True):
    source: str
    url: str
    error: str


_CONFIG_DECODER: Final = msgspec.json.Decoder(SourceConfig)
_ERROR_DECODER: Final = msgspec.json.Decoder(_FetchError)


def _software() -> str:
    try:
        return f"ingester/{metadata.version('ingester')}"
    except metadata.PackageNotFoundError:
        return "ingester/unknown"


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()} in a night: every time must be UTC-aware")
    return moment.astimezone(UTC)


def _warc_date(moment: datetime) -> str:
    """Always six fractional digits, so that a time round-trips to the microsecond."""
    d = _utc(moment)
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d:%H:%M:%S}.{d.microsecond:06d}Z"


def _text(value: str) -> str:
    """The text without lone surrogates (an exception message may carry them), which UTF-8 cannot hold."""
    return value.encode("utf-8", "replace").decode("utf-8")


def _header_value(value: str) -> str:
    """One line that warcio's parser gives back unchanged: no control characters or outer whitespace."""
    return _text(_CONTROL.sub(" ", value).strip())


def _uri(url: str) -> str:
    return _URI_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", url)


def _sha1_digest(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")
