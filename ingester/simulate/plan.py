"""A whole election night planned from a results file: which blog posts what, when, in whose words.

From the seats (``results.load_seats``), in declaration order:

- local blogs (regions split into ``blogs - 2`` papers) post, per seat of theirs: the count's progress
  for half the seats, a recount for some, the flash within 90 s of the declaration, the full result a
  few minutes later, and for some a late correction of a figure; plus colour posts, a few of them
  edited or taken down;
- a national wire flashes every seat within a minute ("LAB GAIN FROM CON") and posts the state of the
  parties every ``tally_every`` declarations; a national live page carries the exit poll, flashes the
  gains and keeps one pinned tally post that is edited as the seats come in;
- one results page per constituency shows its result once declared (and its correction);
- sister sites of the first local blogs, whose pages may syndicate their sister's posts (fault
  ``sister``).

Times are the file's, optionally sampled (``seats``) and squeezed (``hours``). ``min_gap`` keeps two
changes of one post at least that far apart (virtual seconds), so that a poller running at a known
interval can be required to see every version. The same options and seed give the same night.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

import msgspec

from ingester.simulate.model import Blog, Night, SimPost, Version
from ingester.simulate.results import LONDON, Seat
from ingester.simulate.shapes import ALL_SHAPES, available_shapes
from ingester.simulate.wording import (
    FLASH_STYLES,
    RESULT_STYLES,
    Tally,
    Text,
    count_text,
    exit_poll_text,
    filler_text,
    flash_text,
    recount_text,
    result_text,
    reworded,
    tally_text,
)

_AUTHORS: Final = ("Helen Marsh", "Tom Castle", "Priya Shah", "Owen Bradley", "Ceri Jones", "Aileen Ross")
_REAL_START_BST_HOUR: Final = 21.5
_LOCAL_FLASH_STYLES: Final = tuple(s for s in FLASH_STYLES if s != "wire")
_MINUTE: Final = 60.0


class PlanOptions(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    seed: int = 20240704
    seats: int | None = None  # a sample of this many seats, spread over the night
    hours: float | None = None  # squeeze the declarations into this many hours
    blogs: int = 30  # live blogs: a wire, a national live page, the rest local
    constituency_pages: bool = True
    blog_shapes: tuple[str, ...] = ()  # shapes for the live blogs in turn; empty: every available one
    constituency_shape: str | None = None  # default: bbc-constituency when available, else jsonld
    min_gap: float = 0.0
    recount_rate: float = 0.03
    correction_rate: float = 0.03
    edit_rate: float = 0.15
    delete_rate: float = 0.1  # of colour posts
    filler_per_seat: float = 0.3
    tally_every: int | None = None  # declarations between two tallies; default: about 26 a night
    sisters: int = 1
    election: str = "parl.2024-07-04"
    total_seats: int = 650


class _Builder:
    """One blog while it is being planned."""

    def __init__(self, name: str, shape: str, path: str, title: str, min_gap: float, **extra: str | None) -> None:
        self.name, self.shape, self.path, self.title = name, shape, path, title
        self.extra = extra
        self.posts: list[SimPost] = []
        self._gap = timedelta(seconds=min_gap)

    def add(
        self,
        post_id: str,
        at: datetime,
        text: Text,
        author: str,
        *,
        edits: Sequence[tuple[datetime, Text]] = (),
        deleted_at: datetime | None = None,
        pinned: bool = False,
    ) -> None:
        versions = [Version(at=at, headline=text.headline, paragraphs=text.paragraphs, facts=text.facts)]
        for moment, edit in sorted(edits, key=lambda e: e[0]):
            moment = max(moment, versions[-1].at + self._gap, versions[-1].at + timedelta(seconds=1))
            versions.append(Version(at=moment, headline=edit.headline, paragraphs=edit.paragraphs, facts=edit.facts))
        if deleted_at is not None:
            deleted_at = max(deleted_at, versions[-1].at + self._gap, versions[-1].at + timedelta(seconds=1))
        post = SimPost(id=post_id, author=author, versions=tuple(versions), deleted_at=deleted_at, pinned=pinned)
        self.posts.append(post)

    def build(self, seat: Seat | None = None) -> Blog:
        return Blog(
            name=self.name,
            shape=self.shape,
            path=self.path,
            title=self.title,
            posts=tuple(sorted(self.posts, key=lambda p: (p.published, p.id))),
            region=self.extra.get("region"),
            sister_of=self.extra.get("sister_of"),
            election=self.extra.get("election"),
            seat=seat,
        )


class _Planner:
    def __init__(self, seats: Sequence[Seat], options: PlanOptions) -> None:
        self.options = options
        self.rng = random.Random(options.seed)
        self.seats = _retimed(_sampled(seats, options.seats), options.hours)
        first = self.seats[0].declared_at
        lead = timedelta(minutes=45) if options.hours else _lead_before(first)
        self.start = first - lead
        self.exit_poll_at = self.start + lead * 0.3
        self.end = self.seats[-1].declared_at + timedelta(minutes=15)
        self._ids = 0
        self.corrected = self._corrections()
        self.tally_every = options.tally_every or max(5, round(len(self.seats) / 26))

    def next_id(self) -> str:
        self._ids += 1
        return f"p{self._ids:05d}"

    def minutes(self, low: float, high: float) -> timedelta:
        return timedelta(seconds=self.rng.uniform(low * _MINUTE, high * _MINUTE))

    def builder(self, name: str, shape: str, path: str, title: str, **extra: str | None) -> _Builder:
        path = ALL_SHAPES[shape].path_for(name, path)
        return _Builder(name, shape, path, title, self.options.min_gap, election=self.options.election, **extra)

    def plan(self) -> Night:
        blog_shapes = _blog_shapes(self.options)
        n_local = max(1, self.options.blogs - 2)
        locals_ = [
            self._local(n, group, blog_shapes[n % len(blog_shapes)])
            for n, group in enumerate(_chunks(self.seats, n_local))
        ]
        blogs = [b.build() for b in locals_]
        if self.options.blogs >= 2:
            blogs.append(self._wire(_preferred("feed", blog_shapes)).build())
        if self.options.blogs >= 3:
            blogs.append(self._national(_preferred("bbc-live", blog_shapes)).build())
        blogs += [self._sister(n, blog, blog_shapes[0]).build() for n, blog in enumerate(blogs[: self.options.sisters])]
        if self.options.constituency_pages:
            blogs += self._constituency_pages()
        end = max([self.end, *(t for b in blogs for p in b.posts for t in p.change_times())])
        return Night(
            start=self.start, end=end + timedelta(minutes=5), election=self.options.election, blogs=tuple(blogs)
        )

    def _local(self, n: int, group: Sequence[Seat], shape: str) -> _Builder:
        region = Counter(s.region for s in group).most_common(1)[0][0]
        name = f"local-{n + 1:02d}-{_slug(region)}"
        blog = self.builder(name, shape, f"/live/{name}", f"Election night live: {region}", region=region)
        author = _AUTHORS[n % len(_AUTHORS)]
        blog.add(self.next_id(), self.start + self.minutes(0, 5), filler_text(5), author)
        if n % 3 == 0:
            blog.add(self.next_id(), self.exit_poll_at + self.minutes(1, 4), exit_poll_text(), author)
        flash_style = _LOCAL_FLASH_STYLES[n % len(_LOCAL_FLASH_STYLES)]
        result_style = RESULT_STYLES[n % len(RESULT_STYLES)]
        for seat in group:
            self._seat_posts(blog, seat, author, flash_style, result_style)
        for k in range(round(len(group) * self.options.filler_per_seat)):
            self._filler(blog, k, author)
        return blog

    def _seat_posts(self, blog: _Builder, seat: Seat, author: str, flash_style: str, result_style: str) -> None:
        rng, declared = self.rng, seat.declared_at
        floor = self.start + timedelta(minutes=5)
        if rng.random() < 0.5:
            blog.add(self.next_id(), max(floor, declared - self.minutes(20, 60)), count_text(seat, declared), author)
        if rng.random() < self.options.recount_rate:
            blog.add(self.next_id(), max(floor, declared - self.minutes(10, 19)), recount_text(seat), author)
        flash = flash_text(seat, flash_style)
        edits = [(declared + self.minutes(5, 20), reworded(flash, 0))] if rng.random() < self.options.edit_rate else []
        blog.add(self.next_id(), declared + self.minutes(0, 1.5), flash, author, edits=edits)
        result = result_text(seat, result_style)
        edits = []
        if seat.name in self.corrected:
            edits = [(declared + self.corrected[seat.name][0], self.corrected[seat.name][1](result_style))]
        blog.add(self.next_id(), declared + self.minutes(2, 8), result, author, edits=edits)

    def _filler(self, blog: _Builder, k: int, author: str) -> None:
        # never the oldest post of its blog: the differ cannot judge the removal of a page's oldest post
        at = self.start + timedelta(minutes=10) + (self.end - self.start) * self.rng.random()
        text = filler_text(k)
        edits = [(at + self.minutes(5, 15), reworded(text, k))] if self.rng.random() < self.options.edit_rate else []
        deleted = at + self.minutes(10, 40) if self.rng.random() < self.options.delete_rate else None
        blog.add(self.next_id(), at, text, author, edits=edits, deleted_at=deleted)

    def _corrections(self) -> dict[str, tuple[timedelta, _Correction]]:
        """Seats whose published figures are corrected later: when (after the declaration) and how."""
        rng = random.Random(self.options.seed + 1)
        chosen = [s for s in self.seats if len(s.candidates) > 2 and rng.random() < self.options.correction_rate]
        return {s.name: (timedelta(minutes=rng.uniform(25, 70)), _Correction(s)) for s in chosen}

    def _wire(self, shape: str) -> _Builder:
        wire = self.builder("wire", shape, "/live/wire", "Election 2024: every declaration as it happens")
        for k, (seat, tally) in enumerate(zip(self.seats, self._tallies(), strict=True), 1):
            wire.add(self.next_id(), seat.declared_at + self.minutes(0.2, 1), flash_text(seat, "wire"), "Newsdesk")
            if k % self.tally_every == 0:
                wire.add(
                    self.next_id(), seat.declared_at + self.minutes(1.5, 2.5), tally_text(tally, "lines"), "Newsdesk"
                )
        return wire

    def _national(self, shape: str) -> _Builder:
        page = self.builder("bbc-uk", shape, "/live/bbc-uk", "General election 2024: results and reaction")
        page.add(self.next_id(), self.start + self.minutes(0, 2), filler_text(5), "BBC News")
        page.add(self.next_id(), self.exit_poll_at, exit_poll_text(), "BBC News")
        every = self.tally_every
        tallies = self._tallies()
        moments = [s.declared_at + self.minutes(2, 4) for s in self.seats[every - 1 :: every]]
        versions = [tally_text(tallies[k], "bbc") for k in range(every - 1, len(tallies), every)]
        if versions:
            edits = list(zip(moments[1:], versions[1:], strict=True))
            page.add(self.next_id(), moments[0], versions[0], "BBC News", edits=edits, pinned=True)
        for k in range(4 * every - 1, len(tallies), 4 * every):
            page.add(
                self.next_id(),
                self.seats[k].declared_at + self.minutes(3, 5),
                tally_text(tallies[k], "table"),
                "BBC News",
            )
        for seat in self.seats:
            if seat.gained_from is not None:
                page.add(self.next_id(), seat.declared_at + self.minutes(0.5, 3), flash_text(seat, "bbc"), "BBC News")
        return page

    def _tallies(self) -> list[Tally]:
        """The state of the parties after each declaration."""
        seats: Counter[str] = Counter()
        before: Counter[str] = Counter()
        out = []
        for k, seat in enumerate(self.seats, 1):
            seats[seat.winner.party] += 1
            before[seat.previous or seat.winner.party] += 1
            change = {p: seats[p] - before[p] for p in set(seats) | set(before)}
            out.append(Tally(declared=k, seats=dict(seats), change=change, total=self.options.total_seats))
        return out

    def _sister(self, n: int, of: Blog, shape: str) -> _Builder:
        name = f"sister-{n + 1:02d}"
        sister = self.builder(
            name, shape, f"/live/{name}", f"Election night live (sister of {of.title})", sister_of=of.name
        )
        sister.add(self.next_id(), self.start + self.minutes(0, 5), filler_text(5), "Sister desk")
        return sister

    def _constituency_pages(self) -> list[Blog]:
        shape = self.options.constituency_shape or _preferred("bbc-constituency", ["jsonld"])
        pages = []
        for seat in self.seats:
            page = self.builder(
                f"seat-{seat.code.lower()}", shape, f"/results/{seat.code}", seat.name, region=seat.region
            )
            result = _with_verdict(result_text(seat, "lines"), seat, shape)
            correction = self.corrected.get(seat.name)
            edits = []
            if correction:
                fixed = _with_verdict(correction[1]("lines"), seat, shape)
                edits = [(seat.declared_at + correction[0] + self.minutes(0, 3), fixed)]
            page.add(
                f"r-{seat.code.lower()}", seat.declared_at + self.minutes(0, 2), result, "Results desk", edits=edits
            )
            pages.append(page.build(seat))
        return pages


class _Correction:
    """A result re-issued with one runner-up's figure corrected by 100 votes (the winner unchanged)."""

    def __init__(self, seat: Seat) -> None:
        self.seat = seat
        votes = [c.votes for c in seat.candidates]
        k = len(votes) - 1
        votes[k] = votes[k] + 100 if votes[k] + 100 < votes[0] else max(0, votes[k] - 100)
        self.votes = votes

    def __call__(self, style: str) -> Text:
        text = result_text(self.seat, style, votes=self.votes)
        note = f"This post was corrected: an earlier version gave a wrong figure for {self.seat.candidates[-1].name}."
        return msgspec.structs.replace(text, paragraphs=(*text.paragraphs, note))


def _with_verdict(text: Text, seat: Seat, shape: str) -> Text:
    """A BBC results page also shows the verdict ("LAB GAIN FROM CON"): a flash besides the result."""
    if shape != "bbc-constituency":
        return text
    return msgspec.structs.replace(text, facts=(*flash_text(seat, "wire").facts, *text.facts))


def plan_night(seats: Sequence[Seat], options: PlanOptions | None = None) -> Night:
    if not seats:
        raise ValueError("a night needs at least one seat")
    return _Planner(seats, options or PlanOptions()).plan()


def _sampled(seats: Sequence[Seat], count: int | None) -> list[Seat]:
    ordered = sorted(seats, key=lambda s: (s.declared_at, s.name))
    if count is None or count >= len(ordered):
        return ordered
    step = len(ordered) / max(1, count)
    return [ordered[int(k * step)] for k in range(max(1, count))]


def _retimed(seats: list[Seat], hours: float | None) -> list[Seat]:
    if hours is None or len(seats) < 2:
        return seats
    first, last = seats[0].declared_at, seats[-1].declared_at
    span = (last - first).total_seconds() or 1.0
    scale = hours * 3600 / span
    return [msgspec.structs.replace(s, declared_at=first + (s.declared_at - first) * scale) for s in seats]


def _lead_before(first: datetime) -> timedelta:
    """From 21:30 BST on polling day (what the real blogs did) to the first declaration."""
    local = first.astimezone(LONDON)
    day = local.date() if local.hour >= 20 else local.date() - timedelta(days=1)
    start = datetime(day.year, day.month, day.day, tzinfo=LONDON) + timedelta(hours=_REAL_START_BST_HOUR)
    return max(timedelta(minutes=30), first - start)


def _chunks(seats: Sequence[Seat], count: int) -> list[list[Seat]]:
    by_region = sorted(seats, key=lambda s: (s.region, s.name))
    count = min(count, len(by_region))
    return [by_region[k * len(by_region) // count : (k + 1) * len(by_region) // count] for k in range(count)]


def _blog_shapes(options: PlanOptions) -> list[str]:
    offered = [name for name in available_shapes() if name != "bbc-constituency"]
    return list(options.blog_shapes) or offered


def _preferred(name: str, fallback: Sequence[str]) -> str:
    return name if name in available_shapes() else fallback[0]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:24]
