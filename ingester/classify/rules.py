"""The ordered chain of classifier rules, and :func:`find_events` that runs it over one post.

Order matters, because a rule sees what earlier rules found (``found``):

1. exit polls, then tallies: lists of seats per party, read before anything per seat;
2. flashes ("Labour gain X"), so that results can take outcome and gained-from from them;
3. results: the BBC table, then results lists, then vote figures in prose (which leave alone a seat
   a list already gave);
4. recounts, then count progress.

Every rule is pure and never raises on any text; each reads at most the first ``_text.MAX_TEXT``
characters of the post. A gazetteer, once there is one, is plugged in with
``build_rules(Places(gazetteer))``: every rule that names seats takes it from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Final

import structlog

from ingester.classify import count, flash, result, result_prose, result_table, tally
from ingester.classify.base import Rule, RuleInput
from ingester.classify.places import DEFAULT, Places
from ingester.events import TypedEvent


def build_rules(places: Places = DEFAULT) -> tuple[Rule, ...]:
    """The chain, with ``places`` (and its gazetteer) given to every rule that names seats."""
    return (
        count.exit_poll_rule,
        tally.tally_rule,
        partial(flash.flash_rule, places=places),
        partial(result_table.table_rule, places=places),
        partial(result.list_rule, places=places),
        partial(result_prose.prose_rule, places=places),
        partial(count.recount_rule, places=places),
        partial(count.count_rule, places=places),
    )


RULES: Final[tuple[Rule, ...]] = build_rules()
_log = structlog.get_logger("ingester.classify")


def find_events(inp: RuleInput, rules: Sequence[Rule] = RULES) -> list[TypedEvent]:
    """Every typed event the rules read in one post, in rule order; ids are left empty.

    A rule that raises is a bug, but the same page is read again after every restart, so letting it
    propagate would turn one odd post into a crash loop for the whole night. It is logged with its
    traceback and the chain goes on without that rule's events for this post.
    """
    found: list[TypedEvent] = []
    for rule in rules:
        try:
            found.extend(rule(inp, tuple(found)))
        except Exception:
            _log.exception("classifier rule failed", rule=_name(rule), post_id=inp.envelope.get("post_id"))
    return found


def _name(rule: Rule) -> str:
    target = rule.func if isinstance(rule, partial) else rule
    return getattr(target, "__qualname__", repr(target))
