"""Reading a night: every whole record up to the first damage, with warnings for what was skipped."""

from __future__ import annotations

import functools
import os
import stat
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from io import BytesIO
from typing import Any, Final, NamedTuple

import msgspec
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeadersParser

from ingester.errors import NightError
from ingester.night._format import (
    _CONFIG_DECODER,
    _DATE,
    _ERROR_DECODER,
    _LENGTH,
    _MIB,
    _REVISIT_PROFILES,
    _STATUS,
    _WIRE_ONLY,
    ERROR_HEADER,
    FORMAT,
    ORIGINAL_PREFIX,
    RECORD_HEADER,
    SOURCE_HEADER,
    Night,
    NightLimits,
)
from ingester.types import Fetched

# ---------------------------------------------------------------------------------------------- reading

_LOADER: Final = ArcWarcRecordLoader(verify_http=False, arc2warc=False)
_HTTP_PARSER: Final = StatusAndHeadersParser([], verify=False)
_HTTP_RECORDS: Final = ("response", "revisit")
_CHUNK: Final = _MIB


class _BadRecord(Exception):
    """One record cannot be used; the reader skips it with a warning."""


class _Cut(Exception):
    """The file ends inside a gzip member: a crash while recording."""


class _Record(NamedTuple):
    rec_type: str
    warc: Any  # warcio StatusAndHeaders
    http: Any  # warcio StatusAndHeaders or None
    payload: bytes

    def header(self, name: str) -> str:
        value = self.warc.get_header(name)
        if value is None:
            raise _BadRecord(f"it has no {name} header")
        return str(value)


def _show(text: str) -> str:
    return repr(text[:60])


def _parse_date(text: str) -> datetime:
    match = _DATE.fullmatch(text)
    if match is None:
        raise _BadRecord(f"bad WARC-Date {_show(text)}")
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    micros = int((match[7] or "").ljust(6, "0"))
    try:
        return datetime(year, month, day, hour, minute, second, micros, tzinfo=UTC)
    except ValueError:
        raise _BadRecord(f"bad WARC-Date {_show(text)}") from None


def _parse_record(data: bytes, limits: NightLimits, name: str, offset: int) -> _Record:
    head_end = data.find(b"\r\n\r\n")
    try:
        parsed = _LOADER.parse_record_stream(BytesIO(data), known_format="warc", no_record_parse=True)
        # warcio parses HTTP only under http(s) URIs; a night holds HTTP whatever the URL looks like
        http = _HTTP_PARSER.parse(parsed.raw_stream) if parsed.rec_type in _HTTP_RECORDS else None
        payload = parsed.raw_stream.read()
    except Exception as err:  # warcio raises assorted types (ValueError, AttributeError, ...) on bad bytes
        raise _BadRecord(f"unreadable ({type(err).__name__})") from None
    declared = str(parsed.rec_headers.get_header("Content-Length") or "")
    if not _LENGTH.fullmatch(declared):
        raise _BadRecord(f"bad Content-Length {_show(declared)}")
    if int(declared) > limits.max_record_bytes:
        raise NightError(f"night {name}: the record at byte {offset} declares {declared} bytes, over the limit")
    if head_end < 0 or len(data) != head_end + 4 + int(declared) + 4 or not data.endswith(b"\r\n\r\n"):
        raise _BadRecord("its length does not match its Content-Length")
    return _Record(str(parsed.rec_type), parsed.rec_headers, http, payload)


def _inflate_member(read: Callable[[], bytes], pending: bytes, limit: int) -> tuple[bytes, bytes, int]:
    """Inflates the gzip member at the head of ``pending``, reading more as needed.

    Returns the member's bytes, the input after it and how many input bytes it took. Output is capped
    at ``limit + 1`` bytes per step, so a compression bomb costs no more memory than a record may.
    """
    inflater = zlib.decompressobj(wbits=31)  # gzip only
    out = bytearray()
    consumed = 0
    while not inflater.eof:
        if not pending:
            pending = read()
            if not pending:
                raise _Cut
        out += inflater.decompress(pending, limit + 1 - len(out))
        if len(out) > limit:
            raise OverflowError
        rest = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
        consumed += len(pending) - len(rest)
        pending = rest
    return bytes(out), pending, consumed


def _gzip_members(
    read: Callable[[], bytes], name: str, limits: NightLimits, warn: Callable[[str], None]
) -> Iterator[tuple[int, bytes]]:
    """Yields (file offset, bytes) per gzip member; a damaged or cut-off tail ends it with a warning."""
    pending, offset = b"", 0
    while pending or (pending := read()):
        try:
            data, pending, used = _inflate_member(read, pending, limits.max_record_bytes)
        except OverflowError:
            raise NightError(
                f"night {name}: the record at byte {offset} is over {limits.max_record_bytes} bytes"
            ) from None
        except zlib.error as err:
            if offset == 0:
                raise NightError(f"night {name} is not a gzipped WARC file ({err})") from None
            warn(f"damaged data at byte {offset} ({err}); the rest of the file is ignored")
            return
        except _Cut:
            if offset == 0:
                raise NightError(f"night {name} is cut off inside its first record") from None
            warn(f"cut off at byte {offset} (a crash while recording?); kept the records before it")
            return
        yield offset, data
        offset += used


class _NightBuilder:
    """Turns records, in file order, into a Night; every problem with one record is a warning."""

    def __init__(self, name: str, limits: NightLimits) -> None:
        self.name = name
        self.limits = limits
        self.night = Night()
        self._originals: dict[str, tuple[str, bytes]] = {}  # response id → (payload digest, body)
        self._records = 0
        self._total = 0
        self._unsaid = 0

    def warn(self, message: str) -> None:
        if len(self.night.warnings) < self.limits.max_warnings:
            self.night.warnings.append(f"night {self.name}: {message}")
        else:
            self._unsaid += 1

    def add(self, offset: int, data: bytes) -> None:
        self._total += len(data)
        if self._total > self.limits.max_total_bytes:
            raise NightError(f"night {self.name} holds over {self.limits.max_total_bytes} bytes uncompressed")
        try:
            record = _parse_record(data, self.limits, self.name, offset)
            if self._records == 0:
                self._check_warcinfo(record)
            self._records += 1
            self._dispatch(record)
        except _BadRecord as bad:
            if self._records == 0:
                raise NightError(f"night {self.name} is not an ingester night: {bad}") from None
            self.warn(f"skipped the record at byte {offset}: {bad}")

    def finish(self) -> Night:
        if self._unsaid:
            self.night.warnings.append(f"night {self.name}: {self._unsaid} more warnings")
        if not self.night.configs and not self.night.fetches:
            raise NightError(f"night {self.name} holds no sources and no fetches")
        self.night.fetches.sort(key=lambda f: f.fetched_at)
        return self.night

    def _check_warcinfo(self, record: _Record) -> None:
        if record.rec_type != "warcinfo":
            raise _BadRecord("it does not start with a warcinfo record")
        lines = record.payload.decode("utf-8", "replace").splitlines()
        fields = {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}
        if fields.get("format") != FORMAT:
            raise _BadRecord(f"format {_show(fields.get('format', ''))}, expected {FORMAT}")

    def _dispatch(self, record: _Record) -> None:
        match record.rec_type:
            case "metadata":
                self._add_metadata(record)
            case "response":
                self._add_response(record)
            case "revisit":
                self._add_revisit(record)
            case "warcinfo" | "request":
                pass  # a request holds nothing that its response does not
            case other:
                raise _BadRecord(f"unknown record type {_show(other)}")

    def _add_metadata(self, record: _Record) -> None:
        kind = record.header(RECORD_HEADER)
        try:
            if kind == "source-config":
                config = _CONFIG_DECODER.decode(record.payload)
                self.night.configs[config.name] = config  # a later record of a source replaces it
                return
            if kind == "fetch-error":
                error = _ERROR_DECODER.decode(record.payload)
                at = _parse_date(record.header("WARC-Date"))
                self.night.fetches.append(Fetched(source=error.source, url=error.url, fetched_at=at, error=error.error))
                return
        except msgspec.DecodeError as err:
            raise _BadRecord(f"bad {kind} JSON ({err})") from None
        raise _BadRecord(f"unknown {RECORD_HEADER} {_show(kind)}")

    def _add_response(self, record: _Record) -> None:
        self.night.fetches.append(_fetched(record, record.payload))
        if record.payload:
            digest = str(record.warc.get_header("WARC-Payload-Digest") or "")
            self._originals[record.header("WARC-Record-ID")] = (digest, record.payload)

    def _add_revisit(self, record: _Record) -> None:
        if record.header("WARC-Profile") not in _REVISIT_PROFILES:
            raise _BadRecord(f"unsupported revisit profile {_show(record.header('WARC-Profile'))}")
        original = self._originals.get(record.header("WARC-Refers-To"))
        if original is None:
            raise _BadRecord("the response it repeats is missing")
        if record.header("WARC-Payload-Digest") != original[0]:
            raise _BadRecord("its payload digest differs from the response it repeats")
        self.night.fetches.append(_fetched(record, original[1]))


def _fetched(record: _Record, body: bytes) -> Fetched:
    """The Fetched of a response or revisit record whose body is ``body``."""
    http = record.http
    if http is None or not str(http.protocol).upper().startswith("HTTP/"):
        raise _BadRecord("it has no HTTP status line")
    status = str(http.statusline).split(" ", 1)[0]
    if not _STATUS.fullmatch(status):
        raise _BadRecord(f"bad HTTP status {_show(status)}")
    headers: dict[str, str] = {}
    for raw_name, value in http.headers:
        name = str(raw_name).lower()
        if name.removeprefix(ORIGINAL_PREFIX) in _WIRE_ONLY:
            name = name.removeprefix(ORIGINAL_PREFIX)
        headers[name] = f"{headers[name]}, {value}" if name in headers else str(value)
    error = record.warc.get_header(ERROR_HEADER)
    try:
        decoded_error = None if error is None else msgspec.json.decode(error, type=str)
    except msgspec.DecodeError:
        raise _BadRecord(f"bad {ERROR_HEADER} {_show(error)}") from None
    return Fetched(
        source=record.header(SOURCE_HEADER),
        url=record.header("WARC-Target-URI"),
        fetched_at=_parse_date(record.header("WARC-Date")),
        status=int(status),
        headers=headers,
        body=body,
        error=decoded_error,
    )


def read_night(path: str | os.PathLike[str], *, limits: NightLimits | None = None) -> Night:
    """Reads a night. A cut-off or damaged tail and unusable records become ``Night.warnings``; a file
    that is missing, not a gzipped WARC night, too large or empty raises NightError."""
    limits = limits or NightLimits()
    name = os.fspath(path)
    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            raise NightError(f"night {name} is not a regular file")
        if info.st_size == 0:
            raise NightError(f"night {name} is empty")
        if info.st_size > limits.max_file_bytes:
            raise NightError(f"night {name} is over {limits.max_file_bytes} bytes")
        builder = _NightBuilder(name, limits)
        with open(name, "rb") as fh:
            read = functools.partial(fh.read, _CHUNK)
            for offset, data in _gzip_members(read, name, limits, builder.warn):
                builder.add(offset, data)
    except OSError as err:
        raise NightError(f"cannot read night {name}: {err.strerror or err}") from None
    return builder.finish()
