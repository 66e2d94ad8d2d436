"""The differ: a pure state machine from (previous source state, new snapshot) to post changes.

Identity follows a fallback chain: the source's own id, then the permalink, then a hash of the
normalised text. A post whose content hash changed is ``updated`` with the revision raised by one. A
post missing from a snapshot is ``deleted`` only when the snapshot still covers it: the snapshot says it
is complete, or the post's time lies within the span of the snapshot's own post times (a paginated or
rolling page that no longer reaches back that far says nothing about older posts). The span's ends are
open where the neighbouring page may hold posts of the same time: below the oldest post of any page,
and above the newest of a deeper page; only the top of a first page is closed. A snapshot with no
posts at all deletes nothing: an empty 200 is far likelier a fault than a blog wiped clean.

The differ never writes its state: the pipeline hands the new post states to the publisher, whose
atomic step stores them together with the events, so that a restart resumes with no gaps and no
duplicates.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

import msgspec

from ingester.types import Change, Extraction, Fact, Post, PostState, SourceState


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()


def _normalised(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def content_hash(post: Post) -> str:
    """Hash of what a reader sees: the headline and the body, with whitespace and case folded."""
    return _digest(_normalised(post.headline), _normalised(post.body))


def post_identity(post: Post) -> str:
    """The source's own id, else the permalink, else a hash of the normalised text."""
    if post.native_id:
        return post.native_id
    if post.url:
        return post.url
    return "text:" + content_hash(post)


def identify(posts: Iterable[Post]) -> dict[str, Post]:
    """Posts keyed by identity. Posts that share one identity are told apart by their content
    hash, in an order that does not depend on the order of the page."""
    groups: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        groups[post_identity(post)].append(post)
    keyed: dict[str, Post] = {}
    for identity, group in groups.items():
        # exact copies of one post with one identity collapse; the choice must not follow page order
        ranked = sorted({content_hash(p): p for p in sorted(group, key=msgspec.json.encode)}.items())
        keyed[identity] = ranked[0][1]
        for digest, post in ranked[1:]:
            keyed[f"{identity}~{digest[:8]}"] = post
    return keyed


def _window(posts: Iterable[Post]) -> tuple[datetime, datetime] | None:
    times = [p.published_at for p in posts if p.published_at is not None and not p.pinned]
    return (min(times), max(times)) if times else None


def _is_covered(state: PostState, window: tuple[datetime, datetime] | None, first_page: bool) -> bool:
    if window is None or state.published_at is None:
        return False
    oldest, newest = window
    return oldest < state.published_at < newest or (first_page and state.published_at == newest > oldest)


def diff(state: SourceState, extraction: Extraction, *, first_page: bool = True) -> list[Change]:
    """The changes that take ``state`` to the snapshot ``extraction``, ordered by (time, id).
    ``first_page``: the snapshot is the source's own URL, not a deeper page of it."""
    current = identify(extraction.posts)
    changes = [c for pid, post in current.items() if (c := _change_for(pid, post, state)) is not None]
    if current:
        window = _window(current.values())
        for pid, previous in state.posts.items():
            # a pinned post lives on page 1 alone: a deeper page spanning its time says nothing of it
            if pid in current or previous.deleted or (previous.pinned and not first_page):
                continue
            if extraction.complete or _is_covered(previous, window, first_page):
                changes.append(_deletion(pid, previous))
    return sorted(changes, key=_change_order)


def _change_for(pid: str, post: Post, state: SourceState) -> Change | None:
    previous = state.posts.get(pid)
    if previous is None:
        return Change(action="created", post_id=pid, revision=0, post=post)
    if previous.deleted:
        return Change(action="created", post_id=pid, revision=previous.revision + 1, post=post, previous=previous)
    if previous.content_hash != content_hash(post):
        return Change(action="updated", post_id=pid, revision=previous.revision + 1, post=post, previous=previous)
    return None


def _deletion(pid: str, previous: PostState) -> Change:
    gone = Post(published_at=previous.published_at)
    return Change(action="deleted", post_id=pid, revision=previous.revision + 1, post=gone, previous=previous)


_NEVER = "9999"


def _change_order(change: Change) -> tuple[str, str]:
    when = change.post.published_at
    return (when.isoformat() if when else _NEVER, change.post_id)


def next_state(change: Change, facts: tuple[Fact, ...]) -> PostState:
    """The post's state once ``change`` and the events that carry ``facts`` are published."""
    if change.action == "deleted":
        assert change.previous is not None
        return PostState(
            content_hash=change.previous.content_hash,
            revision=change.revision,
            published_at=change.previous.published_at,
            deleted=True,
            facts=change.previous.facts,
            pinned=change.previous.pinned,
        )
    return PostState(
        content_hash=content_hash(change.post),
        revision=change.revision,
        published_at=change.post.published_at,
        facts=facts,
        pinned=change.post.pinned,
    )


def apply(state: SourceState, updates: Iterable[tuple[str, PostState]], cursor: datetime) -> None:
    """Advance the in-memory copy of a source's state (the pipeline's; Redis gets the same writes)."""
    for pid, post_state in updates:
        state.posts[pid] = post_state
    if state.cursor is None or cursor > state.cursor:
        state.cursor = cursor
