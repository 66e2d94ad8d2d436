"""Helpers for the classifier tests: inputs, compact views of events, the seeds split into posts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from ingester.classify.base import RuleInput
from ingester.events import Count, ExitPoll, Flash, Recount, Result, Tally, TypedEvent

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"
ELECTION = date(2024, 7, 4)
OBSERVED = datetime(2024, 7, 5, 6, 0, tzinfo=UTC)


def envelope(text: str = "") -> dict[str, Any]:
    return {
        "event_id": "",
        "source": "test",
        "post_id": "p1",
        "revision": 0,
        "published_at": None,
        "observed_at": OBSERVED,
        "url": None,
        "election": "parl.2024-07-04",
        "test": True,
        "text": text,
    }


def post(
    body: str,
    headline: str | None = None,
    published_at: datetime | None = None,
    election_date: date | None = ELECTION,
) -> RuleInput:
    return RuleInput(
        headline=headline,
        body=body,
        published_at=published_at,
        election_date=election_date,
        envelope=envelope(body),
    )


def phrases(words: list[str], max_size: int = 10) -> st.SearchStrategy[str]:
    """Texts of up to ``max_size`` of ``words``, joined by spaces: for properties over sentences."""
    return st.lists(st.sampled_from(words), max_size=max_size).map(" ".join)


def party_code(party: Any) -> str | None:
    return None if party is None else str(party.code)


def seat_name(seat: Any) -> str | None:
    return None if seat is None else str(seat.name)


def view(event: TypedEvent) -> tuple[Any, ...]:
    """A compact, comparable summary of an event."""
    if isinstance(event, Flash):
        return ("flash", event.constituency.name, event.winner.code, event.outcome,
                party_code(event.gained_from), event.candidate, event.defeated)  # fmt: skip
    if isinstance(event, Result):
        return ("result", event.constituency.name, party_code(event.winner), event.complete,
                len(event.candidates), event.outcome)  # fmt: skip
    if isinstance(event, Tally):
        tallied = tuple((s.party.code, s.seats, s.change) for s in event.seats)
        return ("tally", event.scope, tallied, event.declared, event.total)
    if isinstance(event, Count):
        moment = event.expected_at.isoformat() if event.expected_at else None
        return ("count", seat_name(event.constituency), event.stage, moment)
    if isinstance(event, Recount):
        return ("recount", seat_name(event.constituency), event.stage)
    assert isinstance(event, ExitPoll)
    seats = tuple((s.party.code, s.seats) for s in event.seats)
    return ("exit_poll", seats, event.majority, party_code(event.winner))


def views(events: Iterable[TypedEvent]) -> list[tuple[Any, ...]]:
    return [view(event) for event in events]


# ----------------------------------------------------------------------------------------- seeds as posts

_BBC_POST = re.compile(
    r"^\s+\d+\. (?P<headline>.+?)published at (?P<hm>\d\d:\d\d) British Summer Time (?P<d>\d+) July$"
)
LONDON = ZoneInfo("Europe/London")

# Seed 003 is a flattened blog: a post is a headline line and the lines after it.
SEED_003_HEADLINES = (
    "General Election 2024: Live updates from across Derbyshire as polls close",
    "Toby Perkins 'delighted' as he will be Chesterfield MP again",
    "Labour takes all seats across Derbyshire as Derbyshire Dales results announced",
    "Labour dominates Derbyshire",
    "Still no results in Derbyshire Dales",
    "Labour gain Mid Derbyshire",
    "Full results for North East Derbyshire",
    "Labour gain North East Derbyshire",
    "Full Chesterfield results",
    "Labour wins in Chesterfield as Toby Perkins keeps his seat",
    "The atmosphere is very tense here in Chesterfield as results are expected any minute now.",
)


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def seed_001_posts() -> list[RuleInput]:
    """The BBC live page: the summary block first (no headline), then each numbered post."""
    posts: list[RuleInput] = []
    headline: str | None = None
    published: datetime | None = None
    body: list[str] = []
    for line in [*seed_text("001").splitlines(), "  99. endpublished at 00:00 British Summer Time 1 July"]:
        match = _BBC_POST.match(line)
        if match is None:
            body.append(line)
            continue
        posts.append(post("\n".join(body), headline=headline, published_at=published))
        hour, minute = (int(part) for part in match["hm"].split(":"))
        local = datetime(2024, 7, int(match["d"]), hour, minute, tzinfo=LONDON)
        headline, published, body = match["headline"].strip(), local.astimezone(UTC), []
    return posts


def seed_003_posts() -> list[RuleInput]:
    posts: list[RuleInput] = []
    headline: str | None = None
    body: list[str] = []
    for line in [*seed_text("003").splitlines(), SEED_003_HEADLINES[0]]:
        if line.strip() in SEED_003_HEADLINES:
            if headline is not None or body:
                posts.append(post("\n".join(body), headline=headline))
            headline, body = line.strip(), []
        else:
            body.append(line)
    return posts
