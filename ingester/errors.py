"""The exception tree. Every error the user can cause is an ``IngesterError`` whose ``str`` is one line.

    IngesterError                 one-line message; the CLI prints it and exits non-zero
    ├── ConfigError               a config file or a command-line value is wrong
    ├── NightError                a saved night is missing, truncated or not a night
    ├── AdapterError              a body cannot be read at all (too large, wrong kind)
    ├── RedisUnavailable          Redis cannot be reached (the publisher retries; commands give up)
    └── EmbeddedRedisError        the embedded redis-server cannot be started, found or stopped

Anything else is a bug: it propagates so that the supervisor restarts the process, and the
publisher's atomic step makes that restart safe.
"""

from __future__ import annotations


class IngesterError(Exception):
    """Base of every expected error; ``str(err)`` is a single line for the user."""

    def __str__(self) -> str:
        return " ".join(super().__str__().split())


class ConfigError(IngesterError):
    pass


class NightError(IngesterError):
    pass


class AdapterError(IngesterError):
    pass


class RedisUnavailable(IngesterError):
    pass


class EmbeddedRedisError(IngesterError):
    pass
