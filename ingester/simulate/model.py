"""What a simulated night is made of: blogs of posts whose versions go live at virtual times.

    Night ── Blog (one source: a shape, a path) ── SimPost ── Version (text and the facts it states)

A post appears with its first version, changes with each later one and disappears at ``deleted_at``.
A page's state at a moment is therefore a pure function of the night and the moment
(:func:`visible_posts`), which is what lets the server render any page at any time and the ground
truth say exactly what was on it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from datetime import datetime
from typing import Final, Literal

import msgspec

from ingester.simulate.results import Seat

FactKind = Literal["flash", "result", "tally", "recount", "count", "exit_poll"]
MEASURED_KINDS: Final[tuple[str, ...]] = ("flash", "result", "tally")


class Fact(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One fact a post states, in the terms the classifier's event carries.

    ``subject`` is the seat's official name (or a tally's scope). ``votes`` lists (party code, votes) in
    the order written; ``seats`` lists (party code, seats) for tallies and exit polls.
    """

    kind: FactKind
    subject: str | None = None
    winner: str | None = None
    outcome: str | None = None
    gained_from: str | None = None
    votes: tuple[tuple[str, int], ...] = ()
    seats: tuple[tuple[str, int], ...] = ()
    declared: int | None = None
    stage: str | None = None


class Version(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime  # when this version goes live (UTC)
    headline: str
    paragraphs: tuple[str, ...]
    facts: tuple[Fact, ...] = ()


class SimPost(msgspec.Struct, frozen=True, kw_only=True):
    id: str  # unique within its blog; the page's anchor / guid / urn is built from it
    author: str
    versions: tuple[Version, ...]  # at least one, in time order
    deleted_at: datetime | None = None
    pinned: bool = False  # shown above the others (a live page's running summary)

    @property
    def published(self) -> datetime:
        return self.versions[0].at

    def version_at(self, moment: datetime) -> Version | None:
        """The version on show at ``moment``, or None before it appears or once deleted."""
        if moment < self.published or (self.deleted_at is not None and moment >= self.deleted_at):
            return None
        times = [v.at for v in self.versions]
        return self.versions[bisect.bisect_right(times, moment) - 1]

    def change_times(self) -> Iterator[datetime]:
        yield from (v.at for v in self.versions)
        if self.deleted_at is not None:
            yield self.deleted_at


class Blog(msgspec.Struct, frozen=True, kw_only=True):
    """One source of the night: a live blog, a feed or a constituency page."""

    name: str  # the source name in the ingester's config
    shape: str  # a key of ``shapes.SHAPES``
    path: str  # where the simulator serves it, e.g. "/blogs/east-midlands"
    title: str
    posts: tuple[SimPost, ...]
    region: str | None = None
    sister_of: str | None = None  # a sister site: may copy that blog's posts (fault "sister")
    seat: Seat | None = None  # a constituency page: the seat (names and parties for its table)
    election: str | None = None


class Night(msgspec.Struct, frozen=True, kw_only=True):
    start: datetime  # virtual time at which the night begins (UTC)
    end: datetime
    election: str = "parl.2024-07-04"
    blogs: tuple[Blog, ...] = ()

    def blog(self, name: str) -> Blog:
        for blog in self.blogs:
            if blog.name == name:
                return blog
        raise KeyError(name)


class ShownPost(msgspec.Struct, frozen=True):
    post: SimPost
    version: Version
    revision: int  # index of ``version`` in the post's versions


def visible_posts(blog: Blog, moment: datetime) -> list[ShownPost]:
    """The posts a blog shows at ``moment``: pinned ones first, then newest first (by first publication,
    then id)."""
    shown = []
    for post in blog.posts:
        version = post.version_at(moment)
        if version is not None:
            shown.append(ShownPost(post, version, post.versions.index(version)))
    return page_order(shown)


def page_order(shown: list[ShownPost]) -> list[ShownPost]:
    return sorted(shown, key=lambda s: (s.post.pinned, s.post.published, s.post.id), reverse=True)


def change_times(blog: Blog) -> list[datetime]:
    """Every moment the blog's page changes, sorted (a page's state is constant between two)."""
    return sorted({moment for post in blog.posts for moment in post.change_times()})
