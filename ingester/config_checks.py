"""The checks a decoded config must pass beyond its types, each failing with path and line."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Final, Protocol
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingester.config_lines import KeyPath
from ingester.errors import ConfigError
from ingester.settings import ClockWindow, Config, ConfigFile, Schedule, SourceEntry, SourceSettings
from ingester.sources import get_adapter

_SOURCE_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_ENV_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,99}")
_CLOCK_TIME: Final = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_HEADER_SAFE: Final = re.compile(r"[\x21-\x7e]{1,200}")
MIN_INTERVAL_FLOOR: Final = 1.0
MAX_PAGES_LIMIT: Final = 50


class Locator(Protocol):
    def error(self, path: KeyPath, message: str) -> ConfigError: ...


def checked(file: ConfigFile, where: Locator, base_dir: Path) -> Config:
    """The config with sources resolved; raises the first problem found, in file order."""

    def require(ok: bool, path: KeyPath, message: str) -> None:
        if not ok:
            raise where.error(path, message)

    _check_redis(file, require, base_dir)
    _check_limits(file, require)
    _check_service(file, require)
    gazetteer = None
    if file.gazetteer is not None:
        gazetteer = _existing_file(file.gazetteer, base_dir, ("gazetteer",), require)
    require(bool(file.sources), ("sources",), "at least one [[sources]] table is needed")
    seen: set[str] = set()
    resolved = []
    for index, entry in enumerate(file.sources):
        require(entry.name not in seen, ("sources", index, "name"), f"{entry.name!r} is used twice")
        seen.add(entry.name)
        resolved.append(_source(entry, ("sources", index), require))
    return Config(base_dir=str(base_dir), file=file, sources=tuple(resolved), gazetteer=gazetteer)


Require = Callable[[bool, KeyPath, str], None]


def _check_redis(file: ConfigFile, require: Require, base_dir: Path) -> None:
    redis = file.redis
    require(bool(redis.prefix.strip()), ("redis", "prefix"), "must not be empty")
    if redis.url is not None:
        scheme = redis.url.split("://", 1)[0] if "://" in redis.url else ""
        require(
            scheme in {"redis", "rediss", "unix"},
            ("redis", "url"),
            "expected a URL starting with redis://, rediss:// or unix://",
        )
        try:
            password = urlsplit(redis.url).password
        except ValueError:
            password = None
            require(False, ("redis", "url"), "not a valid URL")
        require(
            password is None,
            ("redis", "url"),
            "a password does not belong in the URL; name its environment variable with password_env",
        )
    if redis.password_env is not None:
        require(
            bool(_ENV_NAME.fullmatch(redis.password_env)),
            ("redis", "password_env"),
            "expected the name of an environment variable, such as REDIS_PASSWORD",
        )
    require(redis.socket_timeout > 0, ("redis", "socket_timeout"), "must be above 0s")
    if redis.tls is not None:
        for key in ("ca_file", "cert_file", "key_file"):
            value = getattr(redis.tls, key)
            if value is not None:
                _existing_file(value, base_dir, ("redis", "tls", key), require)


def _check_limits(file: ConfigFile, require: Require) -> None:
    limits = file.limits
    path = ("limits",)
    require(1024 <= limits.max_body_bytes <= 1 << 30, (*path, "max_body_bytes"), "expected 1024 to 1073741824")
    for key in ("connect_timeout", "read_timeout", "total_timeout", "backoff_max", "retry_after_max"):
        require(getattr(limits, key) > 0, (*path, key), "must be above 0s")
    require(
        limits.total_timeout >= limits.connect_timeout,
        (*path, "total_timeout"),
        "must not be shorter than connect_timeout",
    )
    require(0 <= limits.max_redirects <= 20, (*path, "max_redirects"), "expected 0 to 20")
    require(1 <= limits.per_host_concurrency <= 256, (*path, "per_host_concurrency"), "expected 1 to 256")
    require(limits.min_gap >= 0, (*path, "min_gap"), "must not be negative")


def _check_service(file: ConfigFile, require: Require) -> None:
    contact = file.http.user_agent_contact
    if contact is not None:
        require(
            bool(_HEADER_SAFE.fullmatch(contact)) and contact.startswith(("http://", "https://", "mailto:")),
            ("http", "user_agent_contact"),
            "expected an http(s) or mailto: URL without spaces",
        )
    require(file.http.sources_per_client >= 1, ("http", "sources_per_client"), "must be at least 1")
    if file.metrics.listen:
        require(
            split_listen(file.metrics.listen) is not None,
            ("metrics", "listen"),
            'expected host:port such as "127.0.0.1:9108" (or "" to turn metrics off)',
        )
    require(file.metrics.healthy_within > 0, ("metrics", "healthy_within"), "must be above 0s")
    require(file.daemon.grace > 0, ("daemon", "grace"), "must be above 0s")
    require(1 <= file.daemon.queue <= 100_000, ("daemon", "queue"), "expected 1 to 100000")
    require(0 <= file.daemon.jitter <= 0.5, ("daemon", "jitter"), "expected 0 to 0.5")


def split_listen(listen: str) -> tuple[str, int] | None:
    """``"127.0.0.1:9108"`` → ``("127.0.0.1", 9108)``; ``"[::1]:9108"`` works too; else None."""
    host, sep, port = listen.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        return None
    host = host.removeprefix("[").removesuffix("]")
    return (host, int(port)) if host else None


def _existing_file(value: str, base_dir: Path, path: KeyPath, require: Require) -> Path:
    resolved = (base_dir / value).resolve()
    require(resolved.is_file(), path, f"no such file: {resolved}")
    return resolved


def _source(entry: SourceEntry, path: KeyPath, require: Require) -> SourceSettings:
    require(
        bool(_SOURCE_NAME.fullmatch(entry.name)),
        (*path, "name"),
        "expected letters, digits, '.', '_' or '-' (up to 100), starting with a letter or digit",
    )
    parts = urlsplit(entry.url)
    require(
        parts.scheme in {"http", "https"} and bool(parts.hostname) and not _has_space(entry.url),
        (*path, "url"),
        "expected an http:// or https:// URL",
    )
    try:
        get_adapter(entry.kind)
    except ConfigError as err:
        require(False, (*path, "kind"), str(err))
    require(entry.interval >= MIN_INTERVAL_FLOOR, (*path, "interval"), "must be at least 1s")
    low = entry.min_interval if entry.min_interval is not None else max(entry.interval / 3, MIN_INTERVAL_FLOOR)
    high = entry.max_interval if entry.max_interval is not None else entry.interval * 4
    require(low >= MIN_INTERVAL_FLOOR, (*path, "min_interval"), "must be at least 1s")
    require(low <= entry.interval, (*path, "min_interval"), "must not be longer than interval")
    require(high >= entry.interval, (*path, "max_interval"), "must not be shorter than interval")
    require(1 <= entry.max_pages <= MAX_PAGES_LIMIT, (*path, "max_pages"), f"expected 1 to {MAX_PAGES_LIMIT}")
    active = fast = None
    timezone = "Europe/London"
    if entry.schedule is not None:
        active, fast, timezone = _schedule(entry.schedule, (*path, "schedule"), require)
    return SourceSettings(
        name=entry.name,
        url=entry.url,
        kind=entry.kind,
        interval=float(entry.interval),
        min_interval=float(low),
        max_interval=float(high),
        election=entry.election,
        test=entry.test,
        max_pages=entry.max_pages,
        timezone=timezone,
        active=active,
        fast=fast,
    )


def _has_space(text: str) -> bool:
    return any(char.isspace() or ord(char) < 32 for char in text)


def _schedule(
    schedule: Schedule, path: KeyPath, require: Require
) -> tuple[ClockWindow | None, ClockWindow | None, str]:
    try:
        ZoneInfo(schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        require(False, (*path, "timezone"), f"unknown time zone {schedule.timezone[:40]!r}")
    windows: list[ClockWindow | None] = []
    pairs = (("active_from", "active_until", "12:00"), ("fast_from", "fast_until", None))
    for start_key, end_key, default_end in pairs:
        start, end = getattr(schedule, start_key), getattr(schedule, end_key)
        if start is None:
            require(end is None, (*path, end_key), f"needs {start_key} as well")
            windows.append(None)
            continue
        end = end if end is not None else default_end
        require(end is not None, (*path, start_key), f"needs {end_key} as well")
        assert end is not None
        window = ClockWindow(_clock(start, (*path, start_key), require), _clock(end, (*path, end_key), require))
        windows.append(window)
    return windows[0], windows[1], schedule.timezone


def _clock(text: str, path: KeyPath, require: Require) -> time:
    try:
        return parse_clock_time(text)
    except ValueError as err:
        require(False, path, str(err))
        raise AssertionError("unreachable") from err


def parse_clock_time(text: str) -> time:
    match = _CLOCK_TIME.fullmatch(text)
    if match is None:
        raise ValueError(f'expected a time of day such as "22:00", got {text[:20]!r}')
    return time(int(match[1]), int(match[2]))
