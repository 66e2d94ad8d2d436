"""structlog configuration: a pipeline of small processors.

JSON lines by default (what a log shipper wants); a readable console format when stderr is a
terminal. ``redact_secrets`` runs last before rendering, so a password or token bound anywhere, or
embedded in a URL, never reaches a log line.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

_SECRET_KEYS = re.compile(r"pass(word)?|secret|token|auth|api[_-]?key|credential", re.IGNORECASE)
# userinfo in URLs: scheme://user:password@host
_URL_USERINFO = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]{0,20}://)[^/\s:@]{0,200}:[^/\s@]{1,200}@", re.IGNORECASE)
# secret-looking query parameters: ?api_key=..., &token=..., ;sig=...
_SECRET_PARAM = re.compile(
    r"(?P<key>[?&;][^=&;#\s]{0,64}(?:pass|secret|token|auth|key|sig|credential)[^=&;#\s]{0,64}=)[^&;#\s]{0,2000}",
    re.IGNORECASE,
)
REDACTED = "[redacted]"


def redact_text(text: str) -> str:
    """``text`` with URL passwords and secret query values replaced; everything else kept."""
    text = _URL_USERINFO.sub(lambda m: f"{m['scheme']}{REDACTED}@", text)
    return _SECRET_PARAM.sub(lambda m: f"{m['key']}{REDACTED}", text) if "=" in text else text


def redact_secrets(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key, value in list(event_dict.items()):
        if _SECRET_KEYS.search(key):
            event_dict[key] = REDACTED
        elif isinstance(value, str):
            event_dict[key] = redact_text(value)
    return event_dict


def _stderr_logger(*_: Any) -> structlog.PrintLogger:
    return structlog.PrintLogger(file=sys.stderr)


def configure(*, json: bool | None = None, level: int = logging.INFO) -> None:
    """Set up structlog for the process; ``json=None`` picks JSON unless stderr is a terminal."""
    as_json = not sys.stderr.isatty() if json is None else json
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer(colors=True)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            redact_secrets,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        # sys.stderr is looked up per logger, not bound once: tests and daemons may swap it
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )
