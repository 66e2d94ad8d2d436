"""What the ingester published, held against the ground truth: latency, completeness, exactly-once.

- :func:`read_published` reads a prefix's streams (``posts`` and the firehose) with each entry's
  Redis time (the stream id's milliseconds, the same machine clock as the truth's wall times).
- :func:`detection_latency`: for every post that appeared (``created``), the time from its appearance
  on the server to its ``post`` event in Redis, with p50/p99 against the poll interval; posts that
  never arrived are listed as missed.
- :func:`latency_split`: the same latency as the wait for the next poll and the daemon's share after it.
- :func:`post_changes`: every appearance, edit and removal the truth holds, against the post events.
- :func:`completeness`: per kind, the facts stated against the typed events published: precision,
  recall and facts published more than once.

A version that stayed on show for less than ``visible_for`` wall seconds (an edit overtaken by the
next one between two polls) cannot be required of a poller; it is "optional": not counted as missed,
and counted as correct when published anyway.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from itertools import groupby
from typing import Final, cast

import msgspec
import redis

from ingester import events
from ingester.events import Event, PostEvent
from ingester.simulate.facts import FactKey, fact_key, fact_of_event
from ingester.simulate.faults import BLINDING_FAULTS, matches
from ingester.simulate.model import MEASURED_KINDS
from ingester.simulate.truth import Truth
from ingester.store import keys_for

_BATCH: Final = 5000


class Published(msgspec.Struct, frozen=True):
    stream: str  # "posts" or "events"
    at: float  # Redis time of the entry, epoch seconds
    event: Event


Entry = tuple[bytes, dict[bytes, bytes]]


def stream_entries(client: redis.Redis, key: str | bytes) -> Iterator[Entry]:
    """A whole stream, read in bounded batches (the client must not decode replies)."""
    start = "-"
    while True:
        batch = cast(list[Entry], client.xrange(key, min=start, count=_BATCH))
        yield from batch
        if len(batch) < _BATCH:
            return
        start = "(" + batch[-1][0].decode()


def read_published(client: redis.Redis, prefix: str) -> list[Published]:
    keys = keys_for(prefix)
    found: list[Published] = []
    for name, key in (("posts", keys.posts), ("events", keys.events)):
        for entry_id, fields in stream_entries(client, key):
            ms = int(entry_id.split(b"-")[0])
            found.append(Published(name, ms / 1000, events.decode(fields[b"data"])))
    return found


def duplicate_ids(client: redis.Redis, prefix: str) -> dict[str, int]:
    """Per stream of the prefix, how many entries repeat an event id already in it (should be 0)."""
    out = {}
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        if client.type(key) != b"stream":
            continue
        ids = Counter(fields[b"event_id"] for _, fields in stream_entries(client, key))
        out[key.decode().removeprefix(prefix + ":")] = sum(n - 1 for n in ids.values())
    return out


def required_lines(
    truth: Truth, visible_for: float, answered_again: Mapping[str, datetime] | None = None
) -> list[bool]:
    """Per truth line: was the version on show long enough (wall seconds), outside the windows of
    faults that blind a poller to its source, to be required? ``answered_again``: when each faulty
    source first answered after its fault's window (a poller that was told to retry later, or backed
    off, is blind until then too)."""
    lasting = truth.lifetimes()
    header = truth.header
    again = answered_again or {}
    blinding = [f for f in header.faults if f.kind in BLINDING_FAULTS]
    windows = [(f, *f.window(header.start)) for f in blinding]
    required = []
    for index, line in enumerate(truth.lines):
        begin, end = line.at, line.at + timedelta(seconds=lasting[index])
        hidden = sum(
            _overlap(begin, end, start, max(stop or header.end, again.get(line.source, start)))
            for fault, start, stop in windows
            if matches(fault, line.source)
        )
        required.append((lasting[index] - hidden) / header.speed >= visible_for)
    return required


def _overlap(a: datetime, b: datetime, c: datetime, d: datetime) -> float:
    return max(0.0, (min(b, d) - max(a, c)).total_seconds())


class Latency(msgspec.Struct, kw_only=True):
    posts: int
    measured: int
    missed: list[str]
    p50: float | None
    p99: float | None
    max: float | None
    interval: float

    @property
    def p50_ratio(self) -> float | None:
        return None if self.p50 is None else self.p50 / self.interval

    @property
    def p99_ratio(self) -> float | None:
        return None if self.p99 is None else self.p99 / self.interval

    def meets_target(self) -> bool:
        """p50 ≤ 0.5 × interval + 100 ms and p99 ≤ interval + 250 ms, nothing missed."""
        if self.p50 is None or self.p99 is None:
            return not self.missed
        ok = self.p50 <= 0.5 * self.interval + 0.1 and self.p99 <= self.interval + 0.25
        return ok and not self.missed


def detection_latency(
    truth: Truth,
    published: Sequence[Published],
    *,
    interval: float,
    visible_for: float,
    sources: Iterable[str] | None = None,
    after_wall: float = 0.0,
) -> Latency:
    """From each post's appearance (``created``, from ``after_wall`` on) to its ``post`` event in Redis."""
    wanted = set(sources) if sources is not None else None
    arrived = _first_created(published)
    required = required_lines(truth, visible_for)
    delays, missed, posts = [], [], 0
    for line, needed in zip(truth.lines, required, strict=True):
        if line.action != "created" or line.wall < after_wall or (wanted is not None and line.source not in wanted):
            continue
        posts += 1
        at = arrived.get((line.source, line.post_id))
        if at is not None:
            delays.append(max(0.0, at - line.wall))
        elif needed:
            missed.append(f"{line.source} {line.post_id}")
    delays.sort()
    return Latency(
        posts=posts,
        measured=len(delays),
        missed=missed,
        p50=_quantile(delays, 0.5),
        p99=_quantile(delays, 0.99),
        max=delays[-1] if delays else None,
        interval=interval,
    )


class LatencySplit(msgspec.Struct, kw_only=True):
    """Detection latency in two parts: the wait for the source's next poll (the server's reply to it),
    which only the poll interval and the poll's phase decide, and the daemon's share after that reply:
    reading, classifying and publishing. p50 and p99 of each, in seconds."""

    wait: tuple[float, float]
    share: tuple[float, float]


def latency_split(truth: Truth, published: Sequence[Published], replies: Mapping[str, Sequence[float]]) -> LatencySplit:
    """``replies``: per source, the wall times of the simulator's replies, sorted."""
    arrived = _first_created(published)
    waits: list[float] = []
    shares: list[float] = []
    for line in truth.lines:
        at = arrived.get((line.source, line.post_id)) if line.action == "created" else None
        times = replies.get(line.source, ())
        index = bisect_left(times, line.wall)
        if at is None or index == len(times):
            continue
        waits.append(times[index] - line.wall)
        shares.append(max(0.0, at - times[index]))
    waits.sort()
    shares.sort()
    return LatencySplit(
        wait=(_quantile(waits, 0.5) or 0.0, _quantile(waits, 0.99) or 0.0),
        share=(_quantile(shares, 0.5) or 0.0, _quantile(shares, 0.99) or 0.0),
    )


def _first_created(published: Sequence[Published]) -> dict[tuple[str, str], float]:
    arrived: dict[tuple[str, str], float] = {}
    for item in published:
        event = item.event
        if isinstance(event, PostEvent) and event.action == "created":
            arrived.setdefault((event.source, event.post_id), item.at)
    return arrived


def _quantile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    return values[min(len(values) - 1, int(q * len(values)))]


class ChangeReport(msgspec.Struct, kw_only=True):
    """``required`` and ``missing`` per change: ``created`` (a post that appeared), ``updated`` (each
    later version on show long enough) and ``deleted`` (a removal the differ can judge)."""

    required: dict[str, int]
    missing: dict[str, list[str]]
    spurious: list[str] = []  # removals published for posts still on show (more than the truth has)


def post_changes(
    truth: Truth,
    published: Sequence[Published],
    *,
    visible_for: float,
    answered_again: Mapping[str, datetime] | None = None,
) -> ChangeReport:
    """Every required appearance, version and removal against the ``post`` events of the same post.

    A post whose first versions were hidden (by a fault, or overtaken between two polls) is published
    as ``created`` with the version first seen, so versions are counted per post, not per action.
    """
    seen: Counter[tuple[str, str, str]] = Counter()
    for item in published:
        if isinstance(item.event, PostEvent):
            action = "deleted" if item.event.action == "deleted" else "version"
            seen[(item.event.source, item.event.post_id, action)] += 1
            if item.event.action == "created":
                seen[(item.event.source, item.event.post_id, "created")] += 1
    versions: Counter[tuple[str, str]] = Counter()
    wanted: Counter[tuple[str, str, str]] = Counter()
    judged = judgeable_removals(truth)
    required_now = required_lines(truth, visible_for, answered_again)
    for index, (line, needed) in enumerate(zip(truth.lines, required_now, strict=True)):
        key = (line.source, line.post_id)
        if line.action == "deleted":
            # a post no poller had to see (each version gone between two polls) has no removal to publish
            if index in judged and versions[key] > 0:
                wanted[(*key, "deleted")] += 1
        elif needed:
            versions[key] += 1
            wanted[(*key, "created" if versions[key] == 1 else "updated")] += 1
    required: Counter[str] = Counter()
    missing: dict[str, list[str]] = defaultdict(list)
    for (source, post_id, action), count in sorted(wanted.items()):
        required[action] += count
        if action == "updated":
            short = versions[(source, post_id)] > seen[(source, post_id, "version")]
        elif action == "created":
            short = seen[(source, post_id, "created")] == 0
        else:
            short = seen[(source, post_id, "deleted")] < count
        if short:
            missing[action].append(f"{source} {post_id}")
    removed = Counter((line.source, line.post_id) for line in truth.lines if line.action == "deleted")
    spurious = [
        f"{source} {post_id}"
        for (source, post_id, action), count in sorted(seen.items())
        if action == "deleted" and count > removed[(source, post_id)]
    ]
    return ChangeReport(required=dict(required), missing=dict(missing), spurious=spurious)


def judgeable_removals(truth: Truth) -> set[int]:
    """The ``deleted`` lines a differ can judge. A page that is not complete says nothing about posts
    outside the span of its posts' own times, so a removal counts only once the page shows posts as
    old as the removed one (right after the removal) and as new (then or later)."""
    visible: dict[str, dict[str, datetime]] = defaultdict(dict)
    waiting: dict[str, list[tuple[int, datetime]]] = defaultdict(list)
    judged: set[int] = set()
    for (_, source), group in groupby(enumerate(truth.lines), key=lambda item: (item[1].at, item[1].source)):
        shown = visible[source]
        removed = []
        for index, line in group:
            when = line.published or line.at
            if line.action == "deleted":
                shown.pop(line.post, None)
                removed.append((index, when))
            else:
                shown[line.post] = when
        newest = max(shown.values(), default=None)
        judged |= {i for i, born in waiting[source] if newest is not None and born <= newest}
        waiting[source] = [(i, born) for i, born in waiting[source] if i not in judged]
        for index, when in removed:
            if any(t <= when for t in shown.values()):
                waiting[source].append((index, when))
        judged |= {i for i, born in waiting[source] if newest is not None and born <= newest}
    return judged


class KindScore(msgspec.Struct, kw_only=True):
    stated: int  # facts the night stated (required ones)
    published: int  # typed events of this kind
    correct: int  # facts of the truth published (once each; repeats are duplicates)
    found: int  # required facts published
    duplicates: int  # events beyond the first for one fact of one post
    missed: list[str]

    @property
    def precision(self) -> float | None:
        return self.correct / self.published if self.published else None

    @property
    def recall(self) -> float | None:
        return self.found / self.stated if self.stated else None


PostFact = tuple[str, str, FactKey]


def completeness(
    truth: Truth, published: Sequence[Published], *, visible_for: float, kinds: Sequence[str] = MEASURED_KINDS
) -> dict[str, KindScore]:
    """Per kind: the facts the night stated (new in each version) against the typed events."""
    required, optional = _stated_facts(truth, visible_for)
    observed: Counter[PostFact] = Counter()
    for item in published:
        fact = fact_of_event(item.event) if item.stream == "events" else None
        if fact is not None:
            observed[(item.event.source, item.event.post_id, fact_key(fact))] += 1
    scores = {}
    for kind in kinds:
        mine = [k for k in observed if k[2][0] == kind]
        stated = [k for k in required if k[2][0] == kind]
        known = required.keys() | optional
        scores[kind] = KindScore(
            stated=len(stated),
            published=sum(observed[k] for k in mine),
            correct=sum(1 for k in mine if k in known),
            found=sum(1 for k in stated if observed[k] > 0),
            duplicates=sum(observed[k] - 1 for k in mine),
            missed=[f"{k[0]} {k[1]} {k[2]}" for k in stated if observed[k] == 0],
        )
    return scores


def _stated_facts(truth: Truth, visible_for: float) -> tuple[Counter[PostFact], set[PostFact]]:
    """Facts new in each version (a version restating its predecessor's fact states nothing new)."""
    previous: dict[tuple[str, str], set[FactKey]] = {}
    required: Counter[PostFact] = Counter()
    optional: set[PostFact] = set()
    for line, needed in zip(truth.lines, required_lines(truth, visible_for), strict=True):
        if line.action == "deleted":
            continue
        keys = {fact_key(f) for f in line.facts}
        before = previous.get((line.source, line.post), set())
        for key in keys - before:
            target = (line.source, line.post_id, key)
            if needed:
                required[target] += 1
            else:
                optional.add(target)
        previous[(line.source, line.post)] = keys
    return required, optional


def healthy_sources(truth: Truth) -> list[str]:
    """Sources that no fault names."""
    faults = truth.header.faults
    return [s.name for s in truth.header.sources if not any(matches(f, s.name) for f in faults)]
