"""Holding what Redis got against the truth: latency, missed posts, removals, facts once and only once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ingester.events import Constituency, Flash, Party, PostEvent
from ingester.simulate.faults import Fault
from ingester.simulate.measure import (
    Published,
    completeness,
    detection_latency,
    judgeable_removals,
    latency_split,
    post_changes,
    required_lines,
)
from ingester.simulate.model import Fact
from ingester.simulate.site import ServedSource
from ingester.simulate.truth import Truth, TruthHeader, TruthLine

START = datetime(2024, 7, 4, 22, 0, tzinfo=UTC)
WALL = 1_000.0
FLASH = Fact(kind="flash", subject="Erewash", winner="LAB", outcome="gain")


def line(
    minute: float, post: str, action: str = "created", facts: tuple[Fact, ...] = (), born: float | None = None
) -> TruthLine:
    at = START + timedelta(minutes=minute)
    published = START + timedelta(minutes=born if born is not None else minute)
    return TruthLine(
        at=at, wall=WALL + minute, source="blog", post=post, post_id=f"u#{post}", action=action,  # type: ignore[arg-type]
        revision=0, published=published, facts=facts,
    )  # fmt: skip


def truth(*lines: TruthLine, faults: tuple[Fault, ...] = ()) -> Truth:
    header = TruthHeader(
        start=START, end=START + timedelta(minutes=100), speed=60.0, wall_start=WALL, base_url="u",
        sources=(ServedSource(name="blog", path="/b", kind="jsonld"),), faults=faults,
    )  # fmt: skip
    return Truth(header, lines)


def post_event(post: str, at_wall: float, action: str = "created", revision: int = 0) -> Published:
    event = PostEvent(
        event_id=f"{post}-{revision}", source="blog", post_id=f"u#{post}", revision=revision, published_at=None,
        observed_at=START, url=None, election=None, test=True, text="", action=action, headline=None, body="",  # type: ignore[arg-type]
        author=None,
    )  # fmt: skip
    return Published("posts", at_wall, event)


def flash_event(post: str, revision: int = 0) -> Published:
    event = Flash(
        event_id=f"f-{post}-{revision}", source="blog", post_id=f"u#{post}", revision=revision, published_at=None,
        observed_at=START, url=None, election=None, test=True, text="", constituency=Constituency(name="Erewash"),
        winner=Party(code="LAB", name="Labour"), outcome="gain",
    )  # fmt: skip
    return Published("events", WALL, event)


def test_latency_runs_from_appearance_to_redis_and_a_post_never_published_is_missed() -> None:
    night = truth(line(1, "a"), line(2, "b"), line(3, "c"))
    got = [post_event("a", WALL + 1 + 0.4), post_event("b", WALL + 2 + 0.6)]
    latency = detection_latency(night, got, interval=1.0, visible_for=1.0)
    assert (latency.posts, latency.measured, latency.missed) == (3, 2, ["blog u#c"])
    assert (latency.p50, latency.max) == (0.6000000000000227, 0.6000000000000227)
    assert not latency.meets_target()


def test_latency_splits_into_the_wait_for_a_poll_and_the_daemons_share() -> None:
    night = truth(line(1, "a"), line(2, "b"), line(3, "c"))
    # replies at +0.25 and +0.5 after "a" and "b" appeared; nothing polled after "c"
    replies = {"blog": [WALL + 0.5, WALL + 1.25, WALL + 2.5]}
    got = [post_event("a", WALL + 1.5), post_event("b", WALL + 2.75), post_event("c", WALL + 3.5)]
    split = latency_split(night, got, replies)
    assert split.wait == (0.5, 0.5)
    assert split.share == (0.25, 0.25)


def test_a_version_overtaken_before_it_could_be_seen_is_not_required() -> None:
    # at speed 60 a minute of the night is a wall second: b's first version lived half a second
    night = truth(line(1, "a"), line(2, "b"), line(2.5, "b", "updated"))
    assert required_lines(night, visible_for=1.0) == [True, False, True]
    got = [post_event("a", WALL + 2), post_event("b", WALL + 3)]  # b first seen in its second version
    assert post_changes(night, got, visible_for=1.0).missing == {}


def test_versions_hidden_by_a_fault_window_are_not_required() -> None:
    blinded = Fault(kind="503", sources=("blog",), start="0s", end="30m")
    night = truth(line(5, "a"), line(31, "a", "updated"), faults=(blinded,))  # 1 s visible, then 69
    assert required_lines(night, visible_for=2.0) == [False, True]


def test_versions_shown_before_a_faulty_source_answered_again_are_not_required() -> None:
    blinded = Fault(kind="503", sources=("blog",), start="0s", end="30m")
    night = truth(line(31, "a"), line(34, "a", "updated"), line(40, "a", "updated"), faults=(blinded,))
    assert required_lines(night, visible_for=2.0) == [True, True, True]
    answered = {"blog": START + timedelta(minutes=39)}  # the Retry-After asked for, honoured until 39
    assert required_lines(night, visible_for=2.0, answered_again=answered) == [False, False, True]


def test_a_removal_counts_only_where_the_page_still_spans_the_removed_post() -> None:
    night = truth(
        line(1, "old"), line(2, "mid"), line(3, "new"),
        line(10, "mid", "deleted", born=2),  # older and newer posts remain: judged
        line(11, "new", "deleted", born=3),  # the newest: only judged once a newer post arrives
        line(20, "newer"),
        line(30, "old", "deleted", born=1),  # the oldest: never judged
    )  # fmt: skip
    assert judgeable_removals(night) == {3, 4}


def test_the_removal_of_a_post_that_came_and_went_between_two_polls_is_not_required() -> None:
    # speed 60: "blip" is on show for half a wall second between older and newer posts
    night = truth(line(1, "old"), line(2, "blip"), line(2.5, "blip", "deleted", born=2), line(5, "newer"))
    assert judgeable_removals(night) == {2}
    got = [post_event("old", WALL + 2), post_event("newer", WALL + 6)]
    assert post_changes(night, got, visible_for=1.0).missing == {}
    seen = post_changes(
        truth(*night.lines[:2], line(4, "blip", "deleted", born=2), line(5, "newer")), got, visible_for=1.0
    )
    assert seen.missing == {"created": ["blog u#blip"], "deleted": ["blog u#blip"]}


def test_facts_are_scored_once_per_post_and_a_repeat_is_a_duplicate() -> None:
    night = truth(line(1, "a", facts=(FLASH,)), line(2, "b", facts=(FLASH,)), line(3, "c", facts=(FLASH,)))
    got = [flash_event("a"), flash_event("a", revision=1), flash_event("b")]
    score = completeness(night, got, visible_for=0.5)["flash"]
    assert (score.stated, score.published, score.found, score.duplicates) == (3, 3, 2, 1)
    assert score.missed == ["blog u#c ('flash', 'erewash', 'LAB', 'gain', None)"]
    assert (score.precision, score.recall) == (2 / 3, 2 / 3)
