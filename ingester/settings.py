"""The typed settings of the daemon's config file (decoded by :mod:`ingester.config`).

The sections mirror the TOML tables one to one; :class:`SourceSettings` is a source with every default
resolved, and :class:`Config` is what the daemon runs on.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Final, Literal

import msgspec

DEFAULT_LISTEN: Final = "127.0.0.1:9108"


class Duration(float):
    """Seconds, written in the file as ``"15s"``, ``"2m"``, ``"1h30m"`` or ``"250ms"``."""


class TlsSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """``[redis.tls]``: for ``rediss://`` URLs. ``verify = false`` only for a test Redis."""

    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    verify: bool = True


class RedisSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    url: str | None = None  # absent: the embedded Redis
    prefix: str = "ingester"
    username: str | None = None
    password_env: str | None = None  # the name of the environment variable holding the password
    tls: TlsSettings | None = None
    socket_timeout: Duration = Duration(5.0)


class LimitsSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    max_body_bytes: int = 10 * 1024 * 1024
    connect_timeout: Duration = Duration(5.0)
    read_timeout: Duration = Duration(10.0)
    total_timeout: Duration = Duration(20.0)  # the whole fetch, redirects and body included
    max_redirects: int = 5
    per_host_concurrency: int = 4
    min_gap: Duration = Duration(0.2)  # between the starts of two requests to one host
    backoff_max: Duration = Duration(300.0)
    retry_after_max: Duration = Duration(3600.0)


class HttpSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    user_agent_contact: str | None = None  # a URL or mailto: that site owners can reach us at
    client_per: Literal["host", "shared"] = "host"
    sources_per_client: int = 32  # sources of one host share one client up to this many


class MetricsSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    listen: str | None = DEFAULT_LISTEN  # "" turns the endpoint off
    healthy_within: Duration = Duration(300.0)


class DaemonSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    grace: Duration = Duration(30.0)  # after SIGTERM: time to publish what is in flight
    queue: int = 64  # capacity of each channel between stages
    jitter: float = 0.1  # each wait is spread by ± this fraction


class Schedule(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Times of day in ``timezone``. Outside ``active_from``–``active_until`` a source is polled at its
    slowest; within ``fast_from``–``fast_until`` at its fastest. Windows may cross midnight."""

    active_from: str | None = None
    active_until: str | None = None
    fast_from: str | None = None
    fast_until: str | None = None
    timezone: str = "Europe/London"


DEFAULT_MAX_PAGES: Final = 10  # page 1 and at most nine deeper pages, each cycle


class SourceEntry(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: str
    url: str
    kind: str = "auto"
    interval: Duration = Duration(15.0)
    election: str | None = None
    test: bool = False
    min_interval: Duration | None = None  # default: a third of interval, at least 1s
    max_interval: Duration | None = None  # default: four times interval
    schedule: Schedule | None = None
    max_pages: int = DEFAULT_MAX_PAGES


class ConfigFile(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    sources: list[SourceEntry]
    redis: RedisSettings = RedisSettings()
    gazetteer: str | None = None  # a constituency list CSV; relative to the config file
    limits: LimitsSettings = LimitsSettings()
    http: HttpSettings = HttpSettings()
    metrics: MetricsSettings = MetricsSettings()
    daemon: DaemonSettings = DaemonSettings()


class ClockWindow(msgspec.Struct, frozen=True):
    start: time
    end: time


class SourceSettings(msgspec.Struct, frozen=True, kw_only=True):
    """One source with every default resolved: what a poller runs on."""

    name: str
    url: str
    kind: str
    interval: float
    min_interval: float
    max_interval: float
    election: str | None
    test: bool
    max_pages: int
    timezone: str = "Europe/London"
    active: ClockWindow | None = None
    fast: ClockWindow | None = None


class Config(msgspec.Struct, frozen=True, kw_only=True):
    """A checked config: the sections as written, the sources resolved, paths made absolute."""

    base_dir: str  # where relative paths in the file were resolved from
    file: ConfigFile
    sources: tuple[SourceSettings, ...]
    gazetteer: Path | None = None

    @property
    def redis(self) -> RedisSettings:
        return self.file.redis

    @property
    def limits(self) -> LimitsSettings:
        return self.file.limits

    @property
    def http(self) -> HttpSettings:
        return self.file.http

    @property
    def metrics(self) -> MetricsSettings:
        return self.file.metrics

    @property
    def daemon(self) -> DaemonSettings:
        return self.file.daemon
