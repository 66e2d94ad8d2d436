"""The ground truth: every post the simulator served, where, when, and the facts it stated (JSON lines).

The first line is a :class:`TruthHeader` (``"type": "night"``): the clock's mapping from virtual to
wall time, the base URL and the sources. Each further line is a :class:`TruthLine` (``"type": "post"``):
a post appeared (``created``), changed (``updated``) or went away (``deleted``) on one source, at a
virtual time and the wall time (epoch seconds) it happened, under the ``post_id`` the ingester will
publish it as, with the facts that version states. Lines are written as virtual time passes them
(:func:`write_truth`), in time order, and flushed one by one.

For a planned night the facts are the planner's own; for a saved night they are what the adapters
and the classifier read from the recorded bodies (``derived``: a replay's truth, not an independent one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Final

import msgspec

from ingester.errors import ConfigError
from ingester.simulate import probe
from ingester.simulate.clock import VirtualClock
from ingester.simulate.faults import Fault
from ingester.simulate.model import Blog, Fact, ShownPost
from ingester.simulate.site import GeneratedSite, ServedSource
from ingester.types import Action

MAX_TRUTH_BYTES: Final = 1 << 30


class TruthHeader(msgspec.Struct, frozen=True, kw_only=True, tag="night", tag_field="type"):
    start: datetime
    end: datetime
    speed: float
    wall_start: float  # the wall time at which virtual time leaves ``start``
    base_url: str
    sources: tuple[ServedSource, ...]
    faults: tuple[Fault, ...] = ()  # the faults injected (windows relative to ``start``)


class TruthLine(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, tag="post", tag_field="type"):
    at: datetime
    wall: float
    source: str
    post: str  # the simulator's id
    post_id: str  # the id the ingester publishes the post under
    action: Action
    revision: int  # the version's number (for ``deleted``, the last version's)
    published: datetime | None = None  # the post's own time, as its page gives it
    headline: str | None = None
    facts: tuple[Fact, ...] = ()
    derived: bool = False


TruthRecord = TruthHeader | TruthLine
_decoder: Final = msgspec.json.Decoder(TruthRecord)
_encoder: Final = msgspec.json.Encoder()


def generated_truth(site: GeneratedSite) -> Iterator[TruthLine]:
    """Every change of every page of a planned night, in time order (sister copies included)."""
    moments: dict[datetime, set[str]] = defaultdict(set)
    for blog in site.night.blogs:
        for moment in site.moments(blog):
            moments[moment].add(blog.name)
    showing: dict[str, dict[str, ShownPost]] = defaultdict(dict)
    for moment in sorted(moments):
        for name in sorted(moments[moment]):
            blog = site.night.blog(name)
            shown = {s.post.id: s for s in site.shown(blog, moment)}
            before = showing[name]
            for post_id, item in shown.items():
                if post_id not in before:
                    yield _line(site, blog, moment, item, "created")
                elif before[post_id].revision != item.revision:
                    yield _line(site, blog, moment, item, "updated")
            for post_id in sorted(set(before) - set(shown)):
                yield _line(site, blog, moment, before[post_id], "deleted")
            showing[name] = shown


def _line(site: GeneratedSite, blog: Blog, moment: datetime, item: ShownPost, action: Action) -> TruthLine:
    """One change; a removal names the version that was last on show, without its text."""
    gone = action == "deleted"
    return TruthLine(
        at=moment,
        wall=site.clock.wall_of(moment),
        source=blog.name,
        post=item.post.id,
        post_id=probe.post_id(blog.shape, blog, site.url_of(blog), item.post.id),
        action=action,
        revision=item.revision,
        published=item.post.published,
        headline=None if gone else item.version.headline,
        facts=() if gone else item.version.facts,
    )


async def write_truth(
    out: IO[bytes],
    header: TruthHeader,
    lines: Iterable[TruthLine],
    clock: VirtualClock,
    *,
    paced: bool = True,
) -> int:
    """Writes the header, then each line once virtual time reaches it (at once with ``paced=False``)."""
    out.write(_encoder.encode(header) + b"\n")
    out.flush()
    written = 0
    for line in lines:
        if paced:
            await clock.sleep_until(line.at)
        out.write(_encoder.encode(line) + b"\n")
        out.flush()
        written += 1
    return written


class Truth(msgspec.Struct, frozen=True):
    header: TruthHeader
    lines: tuple[TruthLine, ...]

    def lifetimes(self) -> dict[int, float]:
        """For each line (by index), the virtual seconds its version stayed on show (end of night: open)."""
        following: dict[tuple[str, str], int] = {}
        lasting: dict[int, float] = {}
        for index in range(len(self.lines) - 1, -1, -1):
            line = self.lines[index]
            key = (line.source, line.post)
            nxt = following.get(key)
            end = self.lines[nxt].at if nxt is not None else self.header.end
            lasting[index] = (end - line.at).total_seconds()
            following[key] = index
        return lasting


def read_truth(path: Path) -> Truth:
    """A ground-truth file; an unreadable one is a one-line ``ConfigError``."""
    try:
        if path.stat().st_size > MAX_TRUTH_BYTES:
            raise ConfigError(f"{path}: too large for a ground-truth file")
        raw = path.read_bytes()
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror or err}") from None
    header: TruthHeader | None = None
    lines: list[TruthLine] = []
    for number, text in enumerate(raw.splitlines(), 1):
        if not text.strip():
            continue
        try:
            record = _decoder.decode(text)
        except msgspec.DecodeError:
            if number == len(raw.splitlines()):
                break  # the last line of a file still being written
            raise ConfigError(f"{path}:{number}: not a ground-truth line") from None
        if isinstance(record, TruthHeader):
            header = record
        else:
            lines.append(record)
    if header is None:
        raise ConfigError(f"{path}: no night header: not a ground-truth file")
    return Truth(header, tuple(lines))
