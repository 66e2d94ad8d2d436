"""The virtual clock: the night's time, running ``speed`` times faster than the wall clock.

Virtual time stands at the night's start for ``lead_in`` wall seconds (so that a daemon started next to
the simulator sees the night from its beginning), then runs. Wall times are epoch seconds from
``time.time()``, the clock Redis stamps its stream entries with on the same machine, so that the
ground truth's wall times and the stream ids can be compared directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

import trio


class VirtualClock:
    def __init__(
        self,
        start: datetime,
        speed: float,
        *,
        lead_in: float = 0.0,
        wall: Callable[[], float] = time.time,
    ) -> None:
        if not speed > 0:
            raise ValueError("speed must be above 0")
        self.start = start
        self.speed = speed
        self._wall = wall
        self.wall_start = wall() + lead_in  # the wall moment at which virtual time leaves ``start``

    def now(self) -> datetime:
        return self.at_wall(self._wall())

    def at_wall(self, wall: float) -> datetime:
        return self.start + timedelta(seconds=max(0.0, wall - self.wall_start) * self.speed)

    def wall_of(self, moment: datetime) -> float:
        """The wall time (epoch seconds) at which virtual time reaches ``moment``."""
        return self.wall_start + (moment - self.start).total_seconds() / self.speed

    async def sleep_until(self, moment: datetime) -> None:
        await trio.sleep(max(0.0, self.wall_of(moment) - self._wall()))
