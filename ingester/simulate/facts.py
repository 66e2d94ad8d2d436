"""Facts as comparable keys: the simulator's stated facts and the ingester's published events meet here.

A key is what a fact is about and what it says, normalised so that spelling that does not matter
("&" or "and", case, accents) does not count: the kind, the seat (or scope), and the values that make
the fact true or false — winner, outcome and gained-from for a flash; winner and the multiset of vote
figures for a result; declared seats and seats per party for a tally; the stage for counts and
recounts; seats per party for an exit poll. A candidate's name or a party's long name may be written
either way and is not part of the key.
"""

from __future__ import annotations

from ingester.events import Count, Event, ExitPoll, Flash, Recount, Result, Tally
from ingester.simulate.model import Fact
from ingester.simulate.results import name_key

FactKey = tuple[object, ...]


def fact_of_event(event: Event) -> Fact | None:
    """The fact a typed event states, in the simulator's terms; None for a ``post`` event."""
    if isinstance(event, Flash):
        gained = event.gained_from.code if event.gained_from else None
        return Fact(
            kind="flash",
            subject=event.constituency.name,
            winner=event.winner.code,
            outcome=event.outcome,
            gained_from=gained,
        )
    if isinstance(event, Result):
        return Fact(
            kind="result",
            subject=event.constituency.name,
            winner=event.winner.code if event.winner else None,
            votes=tuple((c.party.code, c.votes or 0) for c in event.candidates),
        )
    if isinstance(event, Tally):
        seats = tuple((s.party.code, s.seats) for s in event.seats)
        return Fact(kind="tally", subject=event.scope, seats=seats, declared=event.declared)
    if isinstance(event, Count):
        subject = event.constituency.name if event.constituency else None
        return Fact(kind="count", subject=subject, stage=event.stage)
    if isinstance(event, Recount):
        subject = event.constituency.name if event.constituency else None
        return Fact(kind="recount", subject=subject, stage=event.stage)
    if isinstance(event, ExitPoll):
        seats = tuple((s.party.code, s.seats) for s in event.seats)
        return Fact(kind="exit_poll", seats=seats, winner=event.winner.code if event.winner else None)
    return None


def fact_key(fact: Fact) -> FactKey:
    subject = name_key(fact.subject) if fact.subject else None
    if fact.kind == "flash":
        return ("flash", subject, fact.winner, fact.outcome, fact.gained_from)
    if fact.kind == "result":
        return ("result", subject, fact.winner, tuple(sorted(v for _, v in fact.votes)))
    if fact.kind in {"tally", "exit_poll"}:
        return (fact.kind, subject, fact.declared, tuple(sorted(fact.seats)))
    return (fact.kind, subject, fact.stage)
