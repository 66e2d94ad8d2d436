"""Writing a night: records in time order, one gzip member each, flushed as written."""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, NamedTuple, Self
from urllib.parse import urlsplit, urlunsplit

import msgspec
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ingester.errors import NightError
from ingester.night._format import (
    _EPOCH,
    _ID_NAMESPACE,
    _TOKEN,
    _WIRE_ONLY,
    ERROR_HEADER,
    FORMAT,
    ORIGINAL_PREFIX,
    RECORD_HEADER,
    REVISIT_PROFILE,
    SOURCE_HEADER,
    _FetchError,
    _header_value,
    _sha1_digest,
    _software,
    _text,
    _uri,
    _utc,
    _warc_date,
)
from ingester.types import Fetched, SourceConfig

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

    def __init__(self, target: str | os.PathLike[str] | BinaryIO, *, created_at: datetime | None = None) -> None:
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

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
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
            self._emit(f.url, "metadata", msgspec.json.encode(error), extra, at=at, content_type="application/json")
            return
        extra = {SOURCE_HEADER: _header_value(f.source)}
        if f.error is not None:
            extra[ERROR_HEADER] = msgspec.json.encode(_text(f.error)).decode()  # JSON keeps it exact on one line
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
        record_id = self._emit(f.url, "response", f.body, {**extra, "WARC-Payload-Digest": digest}, at=at, http=http)
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


def write_night(path: str | os.PathLike[str], configs: Iterable[SourceConfig], fetches: Iterable[Fetched]) -> None:
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
