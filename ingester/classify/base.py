"""What a classifier rule sees and returns.

A rule is a plain function ``(RuleInput, found) -> Iterable[TypedEvent]``. Rules run in order; ``found``
holds what earlier rules returned for the same post, so a later, looser rule can leave alone a seat an
earlier, stricter rule already read. A rule builds its events with ``**post.envelope`` and leaves
``event_id`` empty: the chain assigns stable ids afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import msgspec

from ingester.events import Outcome, TypedEvent


class Called(msgspec.Struct, frozen=True):
    """A seat's call an earlier post of the same source published (``classify.memory``)."""

    winner: str  # party code
    outcome: Outcome
    gained_from: str | None = None  # party code


class RuleInput(msgspec.Struct, frozen=True, kw_only=True):
    headline: str | None
    body: str
    published_at: datetime | None
    election_date: date | None
    envelope: Mapping[str, Any]
    # The calls earlier posts of the source made, by seat name (case-folded): a later full result
    # for the seat names the call's outcome.
    called: Mapping[str, Called] = msgspec.field(default_factory=dict)

    @property
    def text(self) -> str:
        """Headline and body as one text, the headline on its own first line."""
        return f"{self.headline}\n{self.body}" if self.headline else self.body


Rule = Callable[[RuleInput, Sequence[TypedEvent]], Iterable[TypedEvent]]
