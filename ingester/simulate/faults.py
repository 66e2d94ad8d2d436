"""Fault injection: what a hostile or broken site does, per source and per window of the night.

A fault is one of:

============  =====================================================================================
``500``       an Internal Server Error page
``503``       Service Unavailable with ``Retry-After: retry_after``
``429``       Too Many Requests with ``Retry-After: retry_after``
``slow``      the body dribbled out ``chunk_size`` bytes every ``chunk_delay`` wall seconds (slowloris)
``hang``      the request is read and never answered; the connection is held ``hang`` wall seconds
``reset``     the connection is reset (TCP RST) instead of an answer
``truncate``  ``Content-Length`` promises the whole body, half of it is sent, the connection closes
``charset``   the header declares ``charset=iso-8859-1`` for a UTF-8 body
``layout``    the page is served in its other layout (the site's redesign), same posts
``stale``     a CDN edge serves the page as it was ``lag`` (virtual) earlier
``sister``    a sister site's posts are syndicated onto this page (duplicate posts across sites)
============  =====================================================================================

Windows are virtual durations after the night's start (``start = "2h"``, ``end = "2h30m"``; no end:
the rest of the night). ``sources`` are shell patterns over source names. ``rate`` hits that share of
requests, chosen by a hash of the seed and the request number, so a run is reproducible.

In a TOML file::

    [[faults]]
    kind = "503"
    sources = ["local-0*"]
    start = "1h"
    end = "1h20m"
    retry_after = 20

On the command line: ``--fault KIND[@PATTERN[,PATTERN...]][:START[-END]]``, e.g. ``503@wire:1h-1h20m``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import tomllib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final, Literal, get_args

import msgspec

from ingester.config import parse_duration
from ingester.errors import ConfigError

FaultKind = Literal["500", "503", "429", "slow", "hang", "reset", "truncate", "charset", "layout", "stale", "sister"]
FAULT_KINDS: Final[tuple[str, ...]] = get_args(FaultKind)
# What changes the posts a page shows (the ground truth must know); the rest only changes delivery.
CONTENT_FAULTS: Final = frozenset({"sister"})
# What keeps a poller from seeing the current page: versions shown only then cannot be required of it.
BLINDING_FAULTS: Final = frozenset({"500", "503", "429", "slow", "hang", "reset", "truncate", "stale"})
MAX_FAULTS: Final = 1000
MAX_FILE_BYTES: Final = 1 << 20


class Fault(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    kind: FaultKind
    sources: tuple[str, ...] = ("*",)
    start: str = "0s"
    end: str | None = None
    rate: float = 1.0
    retry_after: int = 30
    chunk_size: int = 256
    chunk_delay: float = 0.5
    hang: float = 30.0
    lag: str = "10m"

    def window(self, night_start: datetime) -> tuple[datetime, datetime | None]:
        begin = night_start + timedelta(seconds=parse_duration(self.start))
        end = night_start + timedelta(seconds=parse_duration(self.end)) if self.end is not None else None
        return begin, end

    @property
    def lag_seconds(self) -> float:
        return float(parse_duration(self.lag))


class FaultFile(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    faults: tuple[Fault, ...] = ()


class FaultPlan:
    """The faults of a night, asked per request: which hit this source now?"""

    def __init__(self, faults: Sequence[Fault], night_start: datetime, *, seed: int = 0) -> None:
        self.faults = tuple(faults)
        self._windows = [f.window(night_start) for f in self.faults]
        self._seed = seed

    def active(self, source: str, moment: datetime, request_no: int) -> list[Fault]:
        """The faults on ``source`` at ``moment`` that hit request number ``request_no``."""
        return [
            fault
            for fault in self._in_window(source, moment)
            if fault.rate >= 1.0 or _draw(self._seed, source, request_no, fault.kind) < fault.rate
        ]

    def content_faults(self, source: str, moment: datetime) -> list[Fault]:
        """Faults that change what the page holds: every request alike, whatever the rate."""
        return [f for f in self._in_window(source, moment) if f.kind in CONTENT_FAULTS]

    def _in_window(self, source: str, moment: datetime) -> list[Fault]:
        return [
            fault
            for fault, (begin, end) in zip(self.faults, self._windows, strict=True)
            if begin <= moment and (end is None or moment < end) and matches(fault, source)
        ]

    def boundaries(self, kinds: Iterable[str]) -> list[datetime]:
        """Every window edge of faults of these kinds: where a page's content may change."""
        wanted = set(kinds)
        edges = []
        for fault, (begin, end) in zip(self.faults, self._windows, strict=True):
            if fault.kind in wanted:
                edges += [begin] + ([end] if end is not None else [])
        return edges


def matches(fault: Fault, source: str) -> bool:
    return any(fnmatch.fnmatchcase(source, pattern) for pattern in fault.sources)


def _draw(seed: int, source: str, request_no: int, kind: str) -> float:
    digest = hashlib.blake2b(f"{seed}\x1f{source}\x1f{request_no}\x1f{kind}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def checked(fault: Fault, where: str) -> Fault:
    """The fault if its values make sense; a ``ConfigError`` naming ``where`` otherwise."""
    try:
        for value in (fault.start, fault.lag, *([fault.end] if fault.end is not None else [])):
            parse_duration(value)
    except ValueError as err:
        raise ConfigError(f"{where}: {err}") from None
    problems = [
        (not 0.0 < fault.rate <= 1.0, "rate must be above 0 and at most 1"),
        (not 0 <= fault.retry_after <= 86_400, "retry_after must be 0 to 86400 seconds"),
        (not 1 <= fault.chunk_size <= 1 << 20, "chunk_size must be 1 byte to 1 MiB"),
        (not 0.0 <= fault.chunk_delay <= 60.0, "chunk_delay must be 0 to 60 seconds"),
        (not 0.0 <= fault.hang <= 600.0, "hang must be 0 to 600 seconds"),
        (not fault.sources, "sources must name at least one pattern"),
    ]
    for bad, message in problems:
        if bad:
            raise ConfigError(f"{where}: {fault.kind}: {message}")
    return fault


def load_faults(path: Path) -> list[Fault]:
    """The ``[[faults]]`` tables of a TOML file; every mistake is a one-line ``ConfigError``."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ConfigError(f"{path}: too large for a faults file")
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror or err}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path}: not a valid TOML file: {err}") from None
    try:
        parsed = msgspec.convert(data, FaultFile)
    except msgspec.ValidationError as err:
        raise ConfigError(f"{path}: {err}") from None
    if len(parsed.faults) > MAX_FAULTS:
        raise ConfigError(f"{path}: more than {MAX_FAULTS} faults")
    return [checked(f, f"{path}: faults[{n}]") for n, f in enumerate(parsed.faults)]


def parse_fault(spec: str) -> Fault:
    """``KIND[@PATTERN[,PATTERN...]][:START[-END]]`` from the command line."""
    head, _, window = spec.strip().partition(":")
    kind, _, patterns = head.partition("@")
    if kind not in FAULT_KINDS:
        raise ConfigError(f"--fault {spec!r}: unknown kind {kind!r}; known: {', '.join(FAULT_KINDS)}")
    sources = tuple(p for p in patterns.split(",") if p) or ("*",)
    start, _, end = window.partition("-")
    fault = Fault(kind=kind, sources=sources, start=start or "0s", end=end or None)  # type: ignore[arg-type]
    return checked(fault, f"--fault {spec!r}")
