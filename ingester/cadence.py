"""When to poll a source next: pure logic, no I/O and no clock of its own (times come in as arguments).

- A source's schedule puts each moment in a phase: ``fast`` (within ``fast_from``–``fast_until``:
  poll at ``min_interval``), ``idle`` (outside ``active_from``–``active_until``: poll at
  ``max_interval``) or ``active`` (the adaptive interval).
- The adaptive interval halves after a poll that produced posts (down to ``min_interval``) and grows by
  a fifth after a quiet one (up to ``max_interval``): fast while a source is busy, polite when quiet.
- Failures back off exponentially from the current interval with jitter, capped at ``backoff_max``; a
  ``Retry-After`` on 429 or 503 is honoured (capped at ``retry_after_max``). The first success returns to
  the normal cadence at once.
- Every wait is spread by ± ``jitter`` so that sources configured alike do not poll in lockstep.
"""

from __future__ import annotations

import random
from datetime import datetime, time
from email.utils import parsedate_to_datetime
from typing import Final, Literal
from zoneinfo import ZoneInfo

import msgspec

from ingester.settings import ClockWindow, SourceSettings
from ingester.types import Fetched

Phase = Literal["idle", "active", "fast"]
RETRY_AFTER_STATUSES: Final = frozenset({429, 503})
SPEED_UP: Final = 0.5
SLOW_DOWN: Final = 1.2


class Outcome(msgspec.Struct, frozen=True, kw_only=True):
    """What one poll cycle came to, as far as cadence cares."""

    ok: bool
    produced: bool = False  # new or updated posts
    retry_after: float | None = None  # seconds, from a 429 or 503


def outcome_of(fetched: Fetched, *, produced: bool = False) -> Outcome:
    """A 2xx or 304 is a success; an error or any other status is a failure."""
    status = fetched.status
    ok = fetched.error is None and status is not None and (200 <= status < 300 or status == 304)
    retry_after = None
    if status in RETRY_AFTER_STATUSES and "retry-after" in fetched.headers:
        retry_after = parse_retry_after(fetched.headers["retry-after"], fetched.fetched_at)
    return Outcome(ok=ok, produced=produced and ok, retry_after=retry_after)


def parse_retry_after(value: str, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or an HTTP date); None if unreadable."""
    value = value.strip()
    if value.isdigit() and len(value) <= 9:
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, (moment - now).total_seconds())


def in_window(moment: time, window: ClockWindow) -> bool:
    """Half-open ``[start, end)``, crossing midnight when ``end`` is earlier; equal ends: all day."""
    if window.start == window.end:
        return True
    if window.start < window.end:
        return window.start <= moment < window.end
    return moment >= window.start or moment < window.end


def phase_at(settings: SourceSettings, moment: datetime) -> Phase:
    if settings.active is None and settings.fast is None:
        return "active"
    local = moment.astimezone(ZoneInfo(settings.timezone)).time()
    if settings.fast is not None and in_window(local, settings.fast):
        return "fast"
    if settings.active is not None and not in_window(local, settings.active):
        return "idle"
    return "active"


class Cadence:
    """One source's cadence state. ``first_delay`` once, then ``next_delay`` after every cycle."""

    def __init__(
        self,
        settings: SourceSettings,
        *,
        jitter: float = 0.1,
        backoff_max: float = 300.0,
        retry_after_max: float = 3600.0,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.interval = settings.interval
        self.failures = 0
        self._jitter = jitter
        self._backoff_max = backoff_max
        self._retry_after_max = retry_after_max
        self._rng = rng or random.Random()

    def first_delay(self, moment: datetime) -> float:
        """A random offset within one interval, so that a restart does not fire every source at once."""
        return self._rng.uniform(0, self.base(moment))

    def base(self, moment: datetime) -> float:
        """The wait before the next poll without jitter or backoff."""
        phase = phase_at(self.settings, moment)
        if phase == "fast":
            return self.settings.min_interval
        if phase == "idle":
            return self.settings.max_interval
        return self.interval

    def next_delay(self, outcome: Outcome, moment: datetime) -> float:
        if not outcome.ok:
            self.failures += 1
            delay = self._backoff(moment)
            if outcome.retry_after is not None:
                delay = max(delay, min(outcome.retry_after, self._retry_after_max))
            return delay
        self.failures = 0
        factor = SPEED_UP if outcome.produced else SLOW_DOWN
        self.interval = min(self.settings.max_interval, max(self.settings.min_interval, self.interval * factor))
        return self._jittered(self.base(moment))

    def _backoff(self, moment: datetime) -> float:
        base = self.base(moment)
        ceiling = min(self._backoff_max, base * 2.0 ** min(self.failures, 30))
        ceiling = max(ceiling, base)
        return self._rng.uniform(max(base, ceiling / 2), ceiling)

    def _jittered(self, delay: float) -> float:
        return delay * self._rng.uniform(1 - self._jitter, 1 + self._jitter)
