"""The classifier: a post change in, typed events out.

The rules (``rules.RULES``, an ordered chain of small functions) read the facts of the text. This
module wraps them with what the contract asks of a post across its life:

- each event gets a stable id from (source, post, revision, kind, ordinal);
- an edit publishes only the facts it changed: a fact is remembered in the post's state as a slot
  (kind plus what it is about) with a digest of its fields, so an edit that fixes a typo yields a new
  ``post`` event and nothing else, while a changed vote figure yields a ``result`` with
  ``status: "correction"`` that ``supersedes`` the earlier result;
- a deleted post yields no typed events;
- a post's full result names the outcome of the call an earlier post of the source made for the
  seat: the caller hands in the source's :class:`~ingester.classify.memory.CallMemory`, which
  ``classify`` reads and then teaches the post's own calls (a flash's fact digest carries its call,
  so the memory is rebuilt from the persisted state after a restart).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import msgspec

from ingester.classify.base import Rule, RuleInput
from ingester.classify.memory import CallMemory, flash_digest
from ingester.classify.rules import RULES, find_events
from ingester.events import Envelope, Flash, Result, TypedEvent, event_id, kind_of
from ingester.types import Change, Fact

_ENVELOPE_FIELDS = frozenset(Envelope.__struct_fields__)
_digest_encoder = msgspec.json.Encoder(order="sorted")


def fact_slot(event: TypedEvent) -> str:
    """What an event is about: its kind and its seat or scope, so an edit can be matched to it."""
    about = getattr(event, "constituency", None) or getattr(event, "scope", None)
    name = about if isinstance(about, str) else getattr(about, "name", "")
    return f"{kind_of(event)}:{name.casefold()}"


def fact_digest(event: TypedEvent) -> str:
    fields = {k: v for k, v in msgspec.structs.asdict(event).items() if k not in _ENVELOPE_FIELDS}
    fields.pop("status", None)
    fields.pop("supersedes", None)
    digest = hashlib.blake2b(_digest_encoder.encode(fields), digest_size=12).hexdigest()
    return flash_digest(event, digest) if isinstance(event, Flash) else digest


def _numbered_slots(events: Sequence[TypedEvent]) -> list[str]:
    """Slots made unique within one post: a second result for the same seat is its own fact."""
    seen: Counter[str] = Counter()
    slots = []
    for event in events:
        slot = fact_slot(event)
        slots.append(f"{slot}#{seen[slot]}" if seen[slot] else slot)
        seen[slot] += 1
    return slots


def classify(
    change: Change,
    envelope: Mapping[str, Any],
    election_date: date | None,
    rules: Sequence[Rule] = RULES,
    memory: CallMemory | None = None,
) -> tuple[list[TypedEvent], tuple[Fact, ...]]:
    """The new typed events of ``change`` and the facts the post holds after it."""
    if change.action == "deleted":
        return [], change.previous.facts if change.previous else ()
    rule_input = RuleInput(
        headline=change.post.headline,
        body=change.post.body,
        published_at=change.post.published_at,
        election_date=election_date,
        envelope=envelope,
        called=dict(memory.called) if memory is not None else {},
    )
    found = find_events(rule_input, rules)
    previous = {fact.slot: fact for fact in change.previous.facts} if change.previous else {}
    ordinals: Counter[str] = Counter()
    events: list[TypedEvent] = []
    facts: list[Fact] = []
    for event, slot in zip(found, _numbered_slots(found), strict=True):
        digest = fact_digest(event)
        earlier = previous.get(slot)
        if earlier is not None and earlier.digest == digest:
            facts.append(earlier)
            continue
        kind = kind_of(event)
        new_id = event_id(envelope["source"], change.post_id, change.revision, kind, ordinals[kind])
        ordinals[kind] += 1
        if earlier is not None and isinstance(event, Result):
            event = msgspec.structs.replace(event, status="correction", supersedes=earlier.event_id)
        events.append(msgspec.structs.replace(event, event_id=new_id))
        facts.append(Fact(slot=slot, event_id=new_id, digest=digest))
    if memory is not None:
        memory.learn(facts)
    return events, tuple(facts)
