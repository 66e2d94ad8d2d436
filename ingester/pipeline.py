"""The pure middle of the flow: one ``Fetched`` in, one ``PublishUnit`` (or nothing) out.

adapter → differ → classifier, with the source's differ state held in memory. Live runs, replays and
tests all go through :class:`Processor`; only where the ``Fetched`` comes from and what time it is
differ between them.

Why a fetch can give nothing: it failed, it was a 304 or a body already seen (no parsing at all),
it is older than what Redis already holds for the source (a restarted replay catching up), or the
snapshot changed no post.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import structlog

from ingester import differ, sources
from ingester.classify import classify
from ingester.classify.base import Rule
from ingester.classify.memory import CallMemory
from ingester.classify.rules import RULES
from ingester.events import Event, PostEvent, event_id
from ingester.sources._text import election_date
from ingester.types import (
    AdapterContext,
    Change,
    Extraction,
    Fetched,
    PostState,
    PublishUnit,
    SourceConfig,
    SourceState,
)

log = structlog.get_logger("ingester.pipeline")

# A BBC stream sends 20 posts a page; a blog page rarely carries more than a few hundred. Past this many
# changes in one fetch something is wrong with the page, but every change is still published.
_MANY_CHANGES = 1000


class Processor:
    """Holds each source's differ state and turns fetches into publish units."""

    def __init__(
        self,
        configs: Mapping[str, SourceConfig],
        states: Mapping[str, SourceState],
        rules: Sequence[Rule] = RULES,
    ) -> None:
        self.configs = dict(configs)
        self.rules = tuple(rules)
        self.states = {name: states.get(name, SourceState()) for name in self.configs}
        self._last_body: dict[str, bytes] = {}
        self.fetches = 0
        self.skipped = 0
        self.last_warnings: tuple[str, ...] = ()
        # What the adapter read from the latest fetch; None when it was not parsed (the poller's
        # pagination reads next_urls from it).
        self.last_extraction: Extraction | None = None

    def add_source(self, config: SourceConfig, state: SourceState) -> None:
        self.configs[config.name] = config
        self.states.setdefault(config.name, state)

    def process(self, fetched: Fetched) -> PublishUnit | None:
        self.fetches += 1
        self.last_extraction = None
        config = self.configs.get(fetched.source)
        if config is None:
            log.warning("fetch for an unknown source", source=fetched.source, url=fetched.url)
            return None
        state = self.states[config.name]
        if not self._worth_parsing(fetched, state):
            self.skipped += 1
            return None
        context = AdapterContext(url=fetched.url, headers=fetched.headers, election=config.election)
        extraction = sources.extract(config.kind, fetched.body, context)
        self.last_extraction = extraction
        self.last_warnings = extraction.warnings
        for warning in extraction.warnings:
            log.warning(warning, source=config.name, url=fetched.url)
        changes = differ.diff(state, extraction, first_page=fetched.url == config.url)
        if len(changes) > _MANY_CHANGES:
            log.warning("unusually many changes in one fetch", source=config.name, changes=len(changes))
        if not changes:
            return None
        unit = self._unit_for(config, fetched, changes)
        differ.apply(state, unit.states, unit.cursor)
        return unit

    def _worth_parsing(self, fetched: Fetched, state: SourceState) -> bool:
        if fetched.error is not None or fetched.status is None:
            log.warning("fetch failed", source=fetched.source, url=fetched.url, error=fetched.error)
            return False
        if state.cursor is not None and fetched.fetched_at <= state.cursor:
            return False
        if fetched.status == 304:
            return False
        if not 200 <= fetched.status < 300:
            log.warning("fetch answered with an error status", source=fetched.source, status=fetched.status)
            return False
        digest = hashlib.blake2b(fetched.body, digest_size=16).digest()
        if self._last_body.get(fetched.url) == digest:
            return False
        self._last_body[fetched.url] = digest
        return True

    def _unit_for(self, config: SourceConfig, fetched: Fetched, changes: list[Change]) -> PublishUnit:
        events: list[Event] = []
        states: list[tuple[str, PostState]] = []
        day = election_date(config.election)
        memory = CallMemory(self.states[config.name])  # earlier posts' calls, for later full results
        for change in changes:
            envelope = _envelope(config, fetched, change)
            events.append(_post_event(change, envelope))
            typed, facts = classify(change, envelope, day, self.rules, memory)
            events.extend(typed)
            states.append((change.post_id, differ.next_state(change, facts)))
        return PublishUnit(source=config.name, cursor=fetched.fetched_at, events=tuple(events), states=tuple(states))


def _envelope(config: SourceConfig, fetched: Fetched, change: Change) -> dict[str, Any]:
    post = change.post
    text = f"{post.headline}\n{post.body}" if post.headline else post.body
    return {
        "event_id": "",
        "source": config.name,
        "post_id": change.post_id,
        "revision": change.revision,
        "published_at": post.published_at,
        "observed_at": fetched.fetched_at,
        "url": post.url or fetched.url,
        "election": config.election,
        "test": config.test,
        "text": text,
    }


def _post_event(change: Change, envelope: dict[str, Any]) -> PostEvent:
    post = change.post
    return PostEvent(
        **{**envelope, "event_id": event_id(envelope["source"], change.post_id, change.revision, "post", 0)},
        action=change.action,
        headline=post.headline,
        body=post.body,
        author=post.author,
    )
