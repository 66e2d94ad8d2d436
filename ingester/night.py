"""Saved nights: every fetch of a night in one gzipped WARC/1.1 file, written and read with warcio.

Record layout (README, "Saved nights"): a ``warcinfo`` first; a ``metadata`` record per source config;
per fetch with a response a ``response`` (or a ``revisit`` when the body repeats the last body of that
URL) followed by its ``request``; per fetch that got no response a ``metadata`` fetch-error record.
One gzip member per record and a flush after each, so a crash loses at most the record being written.
Record ids are hashes of content, time and position, so the same inputs give the same bytes.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import re
import stat
import tempfile
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from importlib import metadata
from io import BytesIO
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Final, NamedTuple, Self
from urllib.parse import urlsplit, urlunsplit

import msgspec
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.warcwriter import WARCWriter

from ingester.errors import NightError
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
_DATE: Final = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?Z"
)


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


# ---------------------------------------------------------------------------------------------- writing


class _Utf8Headers(StatusAndHeaders):  # type: ignore[misc]
    """warcio percent-encodes non-ASCII header values; a night keeps them as UTF-8 so that they round-trip."""

    def compute_headers_buffer(self, header_filter: Any = None) -> None:
        self.headers_buff = self.to_bytes(header_filter, "utf-8")


class _LastBody(NamedTuple):
    fingerprint: bytes  # sha256: "byte-identical" must not rest on SHA-1
    record_id: str
    date: str
    digest: str


def _response_headers(status: int, headers: Mapping[str, str]) -> _Utf8Headers:
    if not 100 <= status <= 999:
        raise ValueError(f"HTTP status {status} cannot be recorded")
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    pairs = [
        (ORIGINAL_PREFIX + name if name in _WIRE_ONLY else name, _header_value(value))
        for name, value in headers.items()
        if _TOKEN.fullmatch(name)  # no real HTTP parser yields another name; it could not be written
    ]
    return _Utf8Headers(f"{status} {phrase}".rstrip(), pairs, protocol="HTTP/1.1")


def _request_headers(url: str) -> _Utf8Headers:
    try:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
        target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    except ValueError:
        host, target = "", url  # absolute-form is valid HTTP too
    pairs = [("Host", _header_value(host))] if host else []
    return _Utf8Headers(f"GET {_uri(target)} HTTP/1.1", pairs, protocol="")


class NightWriter:
    """Writes a night record by record, flushing each, so that a crash loses at most one record.

    ``created_at`` dates the warcinfo record (and configs written before any fetch); the default is
    now. A path is created exclusively: an existing night is never overwritten. A file object given
    instead is left open by ``close()``.
    """

    def __init__(
        self, target: str | os.PathLike[str] | BinaryIO, *, created_at: datetime | None = None
    ) -> None:
        self._name, self._out, self._owns_out = _open_for_writing(target)
        self._warc = WARCWriter(self._out, gzip=True, warc_version="1.1")
        self._clock = _utc(created_at) if created_at is not None else datetime.now(UTC)
        self._ordinal = 0
        self._last_body: dict[str, _LastBody] = {}
        self._closed_because: str | None = None
        info = f"software: {_software()}\r\nformat: {FORMAT}\r\n".encode()
        self._emit("", "warcinfo", info, {}, content_type="application/warc-fields")

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def write_config(self, cfg: SourceConfig) -> None:
        extra = {RECORD_HEADER: "source-config", SOURCE_HEADER: _header_value(cfg.name)}
        self._emit(cfg.url, "metadata", msgspec.json.encode(cfg), extra, content_type="application/json")

    def write_fetch(self, f: Fetched) -> None:
        at = _utc(f.fetched_at)
        self._clock = max(self._clock, at)
        if f.status is None:
            error = _FetchError(source=f.source, url=f.url, error=_text(f.error or ""))
            extra = {RECORD_HEADER: "fetch-error", SOURCE_HEADER: _header_value(f.source)}
            self._emit(
                f.url, "metadata", msgspec.json.encode(error), extra, at=at, content_type="application/json"
            )
            return
        extra = {SOURCE_HEADER: _header_value(f.source)}
        if f.error is not None:
            extra[ERROR_HEADER] = msgspec.json.encode(
                _text(f.error)
            ).decode()  # JSON keeps it exact on one line
        response_id = self._write_response(f, at, _response_headers(f.status, f.headers), extra)
        request = {SOURCE_HEADER: extra[SOURCE_HEADER], "WARC-Concurrent-To": response_id}
        self._emit(f.url, "request", b"", request, at=at, http=_request_headers(f.url))

    def close(self) -> None:
        if self._closed_because is None:
            self._closed_because = "closed"
        if self._owns_out and not self._out.closed:
            self._out.close()

    def _write_response(self, f: Fetched, at: datetime, http: _Utf8Headers, extra: dict[str, str]) -> str:
        uri = _uri(f.url)
        fingerprint = hashlib.sha256(f.body).digest()
        last = self._last_body.get(uri)
        if f.body and last is not None and last.fingerprint == fingerprint:
            revisit = {
                "WARC-Refers-To": last.record_id,
                "WARC-Profile": REVISIT_PROFILE,
                "WARC-Refers-To-Target-URI": uri,
                "WARC-Refers-To-Date": last.date,
                "WARC-Payload-Digest": last.digest,
            }
            return self._emit(f.url, "revisit", b"", {**extra, **revisit}, at=at, http=http)
        digest = _sha1_digest(f.body)
        record_id = self._emit(
            f.url, "response", f.body, {**extra, "WARC-Payload-Digest": digest}, at=at, http=http
        )
        if f.body:  # an empty body (a 304) is nothing to repeat, so it never replaces the reference
            self._last_body[uri] = _LastBody(fingerprint, record_id, _warc_date(at), digest)
        return record_id

    def _emit(
        self,
        url: str,
        rec_type: str,
        body: bytes,
        extra: Mapping[str, str],
        *,
        at: datetime | None = None,
        http: _Utf8Headers | None = None,
        content_type: str = "",
    ) -> str:
        """Writes one record, flushed; returns its WARC-Record-ID. warcio writes no body for a revisit."""
        if self._closed_because is not None:
            raise NightError(f"night {self._name} is {self._closed_because}; cannot write to it")
        uri, date = _uri(url), _warc_date(at or self._clock)
        http_bytes = http.to_bytes(None, "utf-8") if http is not None else b""
        self._ordinal += 1
        record_id = _record_id(rec_type, str(self._ordinal), uri, date, http_bytes, body, *extra.values())
        headers = {"WARC-Type": rec_type, "WARC-Record-ID": record_id, "WARC-Date": date}
        if rec_type != "warcinfo":
            headers["WARC-Target-URI"] = uri
        record = self._warc.create_warc_record(
            uri,
            rec_type,
            payload=BytesIO(body),
            length=len(body),
            warc_content_type=content_type,
            warc_headers_dict={**headers, **extra},
            http_headers=http,
        )
        try:
            self._warc.write_record(record)  # warcio flushes the gzip member and the file after each record
        except OSError as err:
            self._closed_because = f"broken ({err.strerror or err})"
            raise NightError(f"cannot write night {self._name}: {err.strerror or err}") from None
        return record_id


def _record_id(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "replace") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return f"<urn:uuid:{uuid.uuid5(_ID_NAMESPACE, digest.hexdigest())}>"


def _open_for_writing(target: str | os.PathLike[str] | BinaryIO) -> tuple[str, BinaryIO, bool]:
    if not isinstance(target, str | os.PathLike):
        return str(getattr(target, "name", "<stream>")), target, False
    name = os.fspath(target)
    try:
        return name, open(name, "xb"), True  # closed by NightWriter.close
    except FileExistsError:
        raise NightError(f"night {name} already exists; not overwriting it") from None
    except OSError as err:
        raise NightError(f"cannot create night {name}: {err.strerror or err}") from None


def write_night(
    path: str | os.PathLike[str], configs: Iterable[SourceConfig], fetches: Iterable[Fetched]
) -> None:
    """Writes a whole night at once, fetches in time order, replacing ``path`` atomically."""
    ordered = sorted(fetches, key=lambda f: _utc(f.fetched_at))
    target = Path(path)
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as err:
        raise NightError(f"cannot create night {target}: {err.strerror or err}") from None
    try:
        with (
            os.fdopen(fd, "wb") as out,
            NightWriter(out, created_at=ordered[0].fetched_at if ordered else _EPOCH) as w,
        ):
            for cfg in configs:
                w.write_config(cfg)
            for fetched in ordered:
                w.write_fetch(fetched)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
        raise NightError(
            f"night {name}: the record at byte {offset} declares {declared} bytes, over the limit"
        )
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
                self.night.fetches.append(
                    Fetched(source=error.source, url=error.url, fetched_at=at, error=error.error)
                )
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
