"""The ordered chain of classifier rules, and :func:`find_events` that runs it over one post.

Order matters, because a rule sees what earlier rules found (``found``):

1. exit polls, then tallies: lists of seats per party, read before anything per seat;
2. flashes ("Labour gain X"), so that results can take outcome and gained-from from them;
3. results: the BBC table (and its older form's party blocks), then results lists, then vote figures
   in prose (which leave alone a seat a list already gave);
4. recounts, then count progress (which may name a seat a flash or a result found).

Every rule is pure and never raises on any text; each reads at most the first ``_text.MAX_TEXT``
characters of the post, and first asks a cheap question of the whole post (a word it needs, a
digit, two figures for a list) so that most posts cost a rule next to nothing. The post is read for
these questions once (:mod:`_post`: its text in lower case, its words, its digits), and a pattern is
tried only where the words it cannot match without are there; these shortcuts change no answer
(``tests/classify`` proves each against its plain form). What a source's earlier posts called arrives
in ``RuleInput.called`` (see :mod:`memory`). A gazetteer is plugged in with
``build_rules(Places(gazetteer))``: every rule that names seats takes it from there, and the seats it
knows get their official name, GSS code and ballot id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Final

import structlog

from ingester.classify import count, exit_poll, flash, recount, result, result_prose, result_table, tally
from ingester.classify.base import Rule, RuleInput
from ingester.classify.gazetteer import default_gazetteer, load_gazetteer
from ingester.classify.places import DEFAULT, Places
from ingester.events import TypedEvent


def build_rules(places: Places = DEFAULT) -> tuple[Rule, ...]:
    """The chain, with ``places`` (and its gazetteer) given to every rule that names seats."""
    return (
        exit_poll.exit_poll_rule,
        tally.tally_rule,
        _seated(flash.flash_rule, places),
        _seated(result_table.table_rule, places),
        _seated(result_table.block_rule, places),
        _seated(result.list_rule, places),
        _seated(result_prose.prose_rule, places),
        _seated(recount.recount_rule, places),
        _seated(count.count_rule, places),
    )


def _seated(rule: Callable[[RuleInput, Sequence[TypedEvent], Places], Iterable[TypedEvent]], places: Places) -> Rule:
    """``rule`` with ``places`` given, under its own name (a closure: a ``partial`` with a keyword
    builds a dict of arguments at every call, and the chain calls each rule for every post)."""

    def seated(post: RuleInput, found: Sequence[TypedEvent]) -> Iterable[TypedEvent]:
        return rule(post, found, places)

    seated.__name__, seated.__qualname__ = rule.__name__, rule.__qualname__
    return seated


_log = structlog.get_logger("ingester.classify")
RULES: Final[tuple[Rule, ...]] = build_rules()


def rules_for(gazetteer: Path | str | None = None, data_dir: Path | None = None) -> tuple[Rule, ...]:
    """The chain with the operator's gazetteer: the configured file (or folder), else the copy
    ``ingester gazetteer import`` stored in ``data_dir``, else none (names cleaned, not coded).
    A configured file that cannot be read raises ``ConfigError``."""
    found = load_gazetteer(gazetteer) if gazetteer else default_gazetteer(data_dir) if data_dir else None
    if found is None:
        _log.debug("no gazetteer: constituency names are cleaned but not coded")
        return RULES
    sets = {boundaries: found.count(boundaries) for boundaries in found.boundary_sets}
    _log.info("gazetteer loaded", source=str(gazetteer or data_dir), constituencies=sets)
    return build_rules(Places(found))


def find_events(inp: RuleInput, rules: Sequence[Rule] = RULES) -> list[TypedEvent]:
    """Every typed event the rules read in one post, in rule order; ids are left empty.

    A rule that raises is a bug, but the same page is read again after every restart, so letting it
    propagate would turn one odd post into a crash loop for the whole night. It is logged with its
    traceback and the chain goes on without that rule's events for this post.
    """
    found: list[TypedEvent] = []
    so_far: tuple[TypedEvent, ...] = ()  # what earlier rules found, as the next rule is given it
    for rule in rules:
        try:
            events = rule(inp, so_far)
            if events:
                found.extend(events)
                so_far = tuple(found)
        except Exception:
            _log.exception("classifier rule failed", rule=_name(rule), post_id=inp.envelope.get("post_id"))
    return found


def _name(rule: Rule) -> str:
    target = rule.func if isinstance(rule, partial) else rule
    return getattr(target, "__qualname__", repr(target))
