"""A saved night served as it was recorded: each URL answers with what was recorded at or before now.

A recorded URL ``https://host/path?query`` is served at ``/host/path?query``. A fetch that got a
response is served as recorded (status, headers, body); one that failed without a response (a
timeout, a reset) is served as a connection reset; before a URL's first record it is a 404. The
night's first fetch is virtual time zero.

The ground truth of a saved night is derived: the recorded bodies are run through the same adapters,
differ and classifier (no Redis), and every post change they give is a truth line at its fetch time.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from urllib.parse import urlsplit

import msgspec

from ingester.events import PostEvent
from ingester.night import Night as RecordedNight
from ingester.pipeline import Processor
from ingester.simulate.clock import VirtualClock
from ingester.simulate.facts import fact_of_event
from ingester.simulate.faults import FaultPlan
from ingester.simulate.model import Fact
from ingester.simulate.site import Reply, ServedSource, error_reply, faulted, page_reply
from ingester.simulate.truth import TruthLine
from ingester.types import Fetched


def local_path(url: str) -> str:
    """Where a recorded URL is served: ``/host/path?query``."""
    parts = urlsplit(url)
    path = f"/{parts.hostname or 'unknown'}{parts.path or '/'}"
    return f"{path}?{parts.query}" if parts.query else path


class RecordedSite:
    def __init__(self, night: RecordedNight, clock: VirtualClock, faults: FaultPlan, base_url: str) -> None:
        self.night = night
        self.clock = clock
        self.faults = faults
        self.base_url = base_url.rstrip("/")
        self._times: dict[str, list[float]] = {}
        self._fetches: dict[str, list[Fetched]] = {}
        start = clock.start
        for fetched in night.fetches:
            path = local_path(fetched.url)
            self._times.setdefault(path, []).append((fetched.fetched_at - start).total_seconds())
            self._fetches.setdefault(path, []).append(fetched)

    def served_sources(self) -> list[ServedSource]:
        return [
            ServedSource(name=c.name, path=local_path(c.url), kind=c.kind, election=c.election)
            for c in self.night.configs.values()
        ]

    def respond(self, target: str, headers: Mapping[str, str], request_no: int) -> Reply:
        times = self._times.get(target)
        if times is None:
            return error_reply(404)
        moment = self.clock.now()
        index = bisect.bisect_right(times, (moment - self.clock.start).total_seconds()) - 1
        if index < 0:
            return error_reply(404)
        fetched = self._fetches[target][index]
        faults = self.faults.active(fetched.source, moment, request_no)
        if fetched.status is None:
            return Reply(status=0, delivery="reset", source=fetched.source)
        if fetched.status == 200:
            content_type = fetched.headers.get("content-type", "application/octet-stream")
            reply = page_reply(fetched.body, content_type, None, headers)
        else:
            kept = {k: v for k, v in fetched.headers.items() if k not in {"content-length", "transfer-encoding"}}
            reply = Reply(status=fetched.status, headers=kept, body=fetched.body)
        reply.source = fetched.source
        return faulted(reply, faults)


def recorded_truth(night: RecordedNight, clock: VirtualClock, base_url: str) -> Iterator[TruthLine]:
    """The post changes the night's recorded bodies give, as the pipeline reads them."""
    configs = {
        name: msgspec.structs.replace(config, url=base_url + local_path(config.url))
        for name, config in night.configs.items()
    }
    processor = Processor(configs, {})
    for fetched in night.fetches:
        if fetched.source not in configs:
            continue
        local = _as_served(fetched, base_url)
        unit = processor.process(local)
        if unit is None:
            continue
        facts: dict[str, list[Fact]] = {}
        for event in unit.events:
            fact = fact_of_event(event)
            if fact is not None:
                facts.setdefault(event.post_id, []).append(fact)
        for event in unit.events:
            if isinstance(event, PostEvent):
                yield TruthLine(
                    at=fetched.fetched_at,
                    wall=clock.wall_of(fetched.fetched_at),
                    source=event.source,
                    post=event.post_id,
                    post_id=event.post_id,
                    action=event.action,
                    revision=event.revision,
                    published=event.published_at,
                    headline=event.headline,
                    facts=tuple(facts.get(event.post_id, ())),
                    derived=True,
                )


def _as_served(fetched: Fetched, base_url: str) -> Fetched:
    return msgspec.structs.replace(fetched, url=base_url + local_path(fetched.url))
