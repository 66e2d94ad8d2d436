"""What a page report tells the poller: a pinned post never hides that a stream moved on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ingester import differ
from ingester.events import PostEvent
from ingester.feedback import report_of
from ingester.types import Change, Extraction, Post, PublishUnit, SourceState

T0 = datetime(2024, 7, 5, 1, 0, tzinfo=UTC)


def post(pid: str, minutes: int, *, pinned: bool = False) -> Post:
    return Post(
        native_id=pid, headline=pid, body=f"body of {pid}", published_at=T0 + timedelta(minutes=minutes), pinned=pinned
    )


def unit_for(changes: list[Change]) -> PublishUnit:
    events = tuple(
        PostEvent(
            event_id=c.post_id,
            source="bbc",
            post_id=c.post_id,
            revision=c.revision,
            published_at=None,
            observed_at=T0,
            url=None,
            election=None,
            test=False,
            text="",
            action=c.action,
            headline=None,
            body="",
            author=None,
        )
        for c in changes
    )
    return PublishUnit(source="bbc", cursor=T0, events=events)


def report_after(state: SourceState, *posts: Post) -> tuple[bool, int]:
    extraction = Extraction(posts=posts)
    changes = differ.diff(state, extraction)
    differ.apply(state, [(c.post_id, differ.next_state(c, ())) for c in changes], T0)
    report = report_of(extraction, unit_for(changes))
    return report.moved_on, report.posts


def test_a_page_of_new_posts_under_an_old_pinned_post_has_moved_on() -> None:
    state = SourceState()
    tally = post("tally", 0, pinned=True)
    report_after(state, tally, post("a", 10), post("b", 11))
    assert report_after(state, tally, post("c", 12), post("d", 13)) == (True, 2)


def test_a_page_with_an_old_post_left_has_not_moved_on() -> None:
    state = SourceState()
    tally = post("tally", 0, pinned=True)
    report_after(state, tally, post("a", 10), post("b", 11))
    assert report_after(state, tally, post("b", 11), post("c", 12)) == (False, 2)


def test_a_page_ending_in_a_new_post_has_moved_on_even_under_an_edited_old_one() -> None:
    state = SourceState()
    report_after(state, post("a", 10))
    edited = Post(native_id="a", headline="a", body="edited", published_at=T0 + timedelta(minutes=10))
    assert report_after(state, edited, post("b", 9)) == (True, 2)
