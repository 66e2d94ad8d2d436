"""The data the simulated nights are built from, read where the shared folder keeps it, at test time.

``INGESTER_SHARED_DATA`` names another folder. The files are read, never copied.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Final

from ingester.simulate.harness import NightSpec
from ingester.simulate.results import Seat, load_seats

DATA: Final = Path(os.environ.get("INGESTER_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))
CANDIDATES: Final = DATA / "ge2024-candidates.csv"
TIMES: Final = DATA / "ge2024-declaration-times-approx.csv"

_seats: list[Seat] = []


def seats() -> list[Seat]:
    if not _seats:
        _seats.extend(load_seats(CANDIDATES, TIMES))
    return _seats


def night_spec(**changes: Any) -> NightSpec:
    """A short night (20 seats squeezed into 24 minutes, about 22 s on the wall) with these changes."""
    return NightSpec(candidates=CANDIDATES, times=TIMES, **changes)
