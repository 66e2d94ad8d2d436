"""The daemon's TOML config, decoded with msgspec into typed, checked settings.

Every mistake is a ``ConfigError`` that names the file, the line and the key path, found before
anything starts::

    ingester.toml:27: sources[3].interval: expected a duration such as "15s", got 'fifteen'

Durations are strings with units (``"15s"``, ``"2m"``, ``"1h30m"``, ``"500ms"``). Unknown keys are
errors. A Redis password never sits in the file: ``[redis] password_env`` names the environment variable
that holds it, and a ``password`` key or a password inside the URL is refused. Relative paths
(gazetteer, TLS files) are relative to the config file's folder.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Final

import msgspec

from ingester.config_checks import checked
from ingester.config_lines import KeyLines, KeyPath, parse_path, show_path
from ingester.errors import ConfigError
from ingester.settings import (
    ClockWindow,
    Config,
    ConfigFile,
    DaemonSettings,
    Duration,
    HttpSettings,
    LimitsSettings,
    MetricsSettings,
    RedisSettings,
    Schedule,
    SourceEntry,
    SourceSettings,
    TlsSettings,
)

__all__ = [
    "ClockWindow",
    "Config",
    "ConfigFile",
    "DaemonSettings",
    "Duration",
    "HttpSettings",
    "LimitsSettings",
    "MetricsSettings",
    "RedisSettings",
    "Schedule",
    "SourceEntry",
    "SourceSettings",
    "TlsSettings",
    "load_config",
    "parse_config",
    "parse_duration",
]

MAX_CONFIG_BYTES: Final = 1 << 20
_DURATION_PART: Final = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT_SECONDS: Final = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def parse_duration(text: object) -> Duration:
    """``"1h30m"`` → 5400.0; anything else raises ``ValueError`` with the message the user sees."""
    expected = 'expected a duration such as "15s", "2m" or "1h30m"'
    if not isinstance(text, str):
        raise ValueError(f"{expected} (a string with a unit), got {text!r}")
    parts = list(_DURATION_PART.finditer(text.strip()))
    units = [part[2] for part in parts]
    joined = "".join(part[0] for part in parts)
    in_order = [u for u in _UNIT_SECONDS if u in units] == units
    if not parts or joined != text.strip() or len(set(units)) != len(units) or not in_order:
        raise ValueError(f"{expected}, got {text[:40]!r}")
    return Duration(sum(float(part[1]) * _UNIT_SECONDS[part[2]] for part in parts))


def _dec_hook(kind: type, value: object) -> object:
    if kind is Duration:
        return parse_duration(value)
    raise NotImplementedError(f"no decoder for {kind}")


def load_config(path: str | Path) -> Config:
    """Read, decode and check a config file; every problem is a one-line ``ConfigError``."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{file}: {size} bytes is too large for a config file")
        raw = file.read_bytes()
    except OSError as err:
        raise ConfigError(f"cannot read config {file}: {err.strerror or err}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(f"{file}: not UTF-8 text (byte {err.start})") from None
    return parse_config(text, name=str(file), base_dir=file.resolve().parent)


def parse_config(text: str, *, name: str = "<config>", base_dir: Path | None = None) -> Config:
    where = _Locator(text, name)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{name}: not valid TOML: {err}") from None
    _refuse_plain_password(data, where)
    try:
        decoded = msgspec.convert(data, ConfigFile, dec_hook=_dec_hook)
    except msgspec.ValidationError as err:
        raise where.error_from_msgspec(str(err)) from None
    return checked(decoded, where, base_dir or Path.cwd())


def _refuse_plain_password(data: dict[str, Any], where: _Locator) -> None:
    redis = data.get("redis")
    if isinstance(redis, dict) and "password" in redis:
        raise where.error(
            ("redis", "password"),
            "a password does not belong in the file; name the environment variable that holds it "
            'with password_env = "REDIS_PASSWORD"',
        )


class _Locator:
    """Builds errors that name the file, the line and the key path."""

    def __init__(self, text: str, name: str) -> None:
        self._name = name
        self._lines = KeyLines(text)

    def error(self, path: KeyPath, message: str) -> ConfigError:
        line = self._lines.line_of(path)
        where = f"{self._name}:{line}" if line is not None else self._name
        return ConfigError(f"{where}: {show_path(path)}: {message}" if path else f"{where}: {message}")

    def error_from_msgspec(self, text: str) -> ConfigError:
        message, _, at = text.rpartition(" - at `")
        if not message:
            message, at = text, "$`"
        path = parse_path(at.rstrip("`"))
        unknown = re.fullmatch(r"Object contains unknown field `(.+)`", message)
        if unknown:
            path, message = (*path, unknown[1]), "unknown key"
        missing = re.fullmatch(r"Object missing required field `(.+)`", message)
        if missing:
            message = f"missing required key {missing[1]!r}"
        return self.error(path, message[:1].lower() + message[1:])
