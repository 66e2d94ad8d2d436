"""The differ as a state machine: identity, revisions, deletions within the covered window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ingester import differ
from ingester.types import Change, Extraction, Post, SourceState

T0 = datetime(2024, 7, 4, 22, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def post(pid: str | None, body: str, minutes: int | None = None, url: str | None = None) -> Post:
    return Post(
        native_id=pid,
        url=url,
        headline=f"headline {pid}",
        body=body,
        published_at=at(minutes) if minutes is not None else None,
    )


def step(state: SourceState, *posts: Post, complete: bool = False) -> list[Change]:
    changes = differ.diff(state, Extraction(posts=posts, complete=complete))
    differ.apply(state, [(c.post_id, differ.next_state(c, ())) for c in changes], at(10_000))
    return changes


def test_created_then_updated_then_deleted() -> None:
    state = SourceState()
    created = step(state, post("a", "one", 1), post("b", "two", 2), post("c", "three", 3))
    assert [(c.action, c.post_id, c.revision) for c in created] == [
        ("created", "a", 0),
        ("created", "b", 1 - 1),
        ("created", "c", 0),
    ]
    edited = step(state, post("a", "one", 1), post("b", "two, corrected", 2), post("c", "three", 3))
    assert [(c.action, c.post_id, c.revision) for c in edited] == [("updated", "b", 1)]
    gone = step(state, post("a", "one", 1), post("c", "three", 3))
    assert [(c.action, c.post_id, c.revision) for c in gone] == [("deleted", "b", 2)]
    back = step(state, post("a", "one", 1), post("b", "two, corrected", 2), post("c", "three", 3))
    assert [(c.action, c.post_id, c.revision) for c in back] == [("created", "b", 3)]


def test_whitespace_and_case_are_not_edits() -> None:
    state = SourceState()
    step(state, post("a", "Labour gain Mid Derbyshire", 1))
    assert step(state, post("a", "  labour   GAIN mid derbyshire\n", 1)) == []


def test_posts_older_than_the_page_window_are_not_deleted() -> None:
    state = SourceState()
    step(state, post("old", "x", 1), post("mid", "y", 5), post("new", "z", 9))
    # a rolling page that now starts at minute 5: "old" scrolled off, it was not deleted
    assert step(state, post("mid", "y", 5), post("new", "z", 9), post("newer", "w", 12)) == [
        Change(action="created", post_id="newer", revision=0, post=post("newer", "w", 12))
    ]


def test_an_empty_snapshot_deletes_nothing() -> None:
    state = SourceState()
    step(state, post("a", "x", 1))
    assert step(state) == []
    assert step(state, complete=True) == []


def test_a_complete_snapshot_deletes_untimed_posts() -> None:
    state = SourceState()
    step(state, post(None, "first"), post(None, "second"), complete=True)
    changes = step(state, post(None, "first"), complete=True)
    assert [c.action for c in changes] == ["deleted"]


def test_identity_falls_back_from_id_to_permalink_to_text() -> None:
    assert differ.post_identity(post("urn:1", "x", url="https://e/1")) == "urn:1"
    assert differ.post_identity(post(None, "x", url="https://e/1")) == "https://e/1"
    by_text = differ.post_identity(post(None, "x"))
    assert by_text.startswith("text:") and by_text == differ.post_identity(post(None, " X "))


def test_duplicate_ids_on_one_page_are_kept_apart() -> None:
    keyed = differ.identify([post("dup", "one", 1), post("dup", "two", 2), post("dup", "one", 1)])
    assert len(keyed) == 2 and "dup" in keyed


snapshots = st.lists(
    st.builds(
        post,
        st.sampled_from(["a", "b", "c", "d", None]),
        st.text(alphabet="ab ", max_size=6),
        st.one_of(st.none(), st.integers(0, 30)),
        st.sampled_from([None, "https://e/p1", "https://e/p2"]),
    ),
    max_size=8,
)


@given(first=snapshots, second=snapshots, complete=st.booleans())
def test_refeeding_a_snapshot_yields_nothing_new(first: list[Post], second: list[Post], complete: bool) -> None:
    state = SourceState()
    step(state, *first, complete=complete)
    step(state, *second, complete=complete)
    assert step(state, *second, complete=complete) == []


@given(first=snapshots, second=snapshots, order=st.randoms(use_true_random=False))
def test_post_order_does_not_matter(first: list[Post], second: list[Post], order: st.SearchStrategy) -> None:
    shuffled = list(second)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    one, two = SourceState(), SourceState()
    step(one, *first)
    step(two, *first)
    assert step(one, *second) == step(two, *shuffled)


def test_a_pinned_old_post_does_not_widen_the_window() -> None:
    state = SourceState()
    tally = Post(native_id="tally", headline="Seats so far", body="LAB 10", published_at=at(0), pinned=True)
    step(state, tally, post("p1", "x", 50), post("p2", "y", 60), post("p3", "z", 70))
    # p1 scrolled to page 2; page 1 keeps the pinned tally from minute 0 on top
    assert step(state, tally, post("p2", "y", 60), post("p3", "z", 70), post("p4", "w", 80)) == [
        Change(action="created", post_id="p4", revision=0, post=post("p4", "w", 80))
    ]


def test_a_post_sharing_the_time_of_a_page_edge_is_not_judged_deleted_by_that_page() -> None:
    state = SourceState()
    step(state, post("top", "t", 5), post("a", "one", 3), post("b", "two", 3), post("old", "o", 1))
    # page 1 now ends at minute 3 with "a": "b", of the same minute, may sit on page 2
    assert step(state, post("top", "t", 5), post("a", "one", 3)) == []
    # a deeper page starting at minute 5: "top", of the same minute, may sit at the foot of page 1
    deeper = differ.diff(state, Extraction(posts=(post("five", "f", 5), post("old", "o", 1))), first_page=False)
    assert [(c.action, c.post_id) for c in deeper] == [("deleted", "a"), ("deleted", "b"), ("created", "five")]


def test_the_newest_time_of_a_first_page_is_covered() -> None:
    state = SourceState()
    step(state, post("a", "one", 1), post("b", "two", 3), post("c", "three", 3))
    assert [(c.action, c.post_id) for c in step(state, post("a", "one", 1), post("b", "two", 3))] == [("deleted", "c")]


def test_a_deeper_page_spanning_the_time_of_a_pinned_post_does_not_delete_it() -> None:
    state = SourceState()
    tally = Post(native_id="tally", headline="tally", body="seats", published_at=at(3), pinned=True)
    step(state, tally, post("c", "three", 6), post("d", "four", 7))
    deeper = differ.diff(state, Extraction(posts=(post("b", "two", 4), post("a", "one", 1))), first_page=False)
    assert [(c.action, c.post_id) for c in deeper] == [("created", "a"), ("created", "b")]
    assert state.posts["tally"].pinned
