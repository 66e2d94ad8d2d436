"""Placeholder while the rules are written."""

from __future__ import annotations

from ingester.classify.base import RuleInput
from ingester.events import TypedEvent


def find_events(inp: RuleInput) -> list[TypedEvent]:
    return []
