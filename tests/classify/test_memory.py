"""Across posts of one source: a later full result names an earlier post's call; edits correct results.

End to end through ``pipeline.Processor`` with the Derbyshire Times sample blog (``render_blog_page``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from ingester import events
from ingester.classify.base import Called
from ingester.classify.memory import CallMemory, called_in
from ingester.pipeline import Processor
from ingester.samples.derbyshire_times import DERBYSHIRE_DRAFTS, DERBYSHIRE_POSTS, SamplePost, render_blog_page
from ingester.samples.night import DERBYSHIRE_TIMES, derbyshire_fetches
from ingester.types import Fact, Fetched, PostState, SourceState

from .cases import view

SOURCE = DERBYSHIRE_TIMES.name
START = datetime(2024, 7, 5, 4, 0, tzinfo=UTC)


def _post(number: int) -> SamplePost:
    return next(p for p in DERBYSHIRE_POSTS if p.id == f"post-{number:04d}")


def _fetch(posts: list[SamplePost], minutes: int) -> Fetched:
    body = render_blog_page(posts[::-1])  # the page shows the newest first
    return Fetched(source=SOURCE, url=DERBYSHIRE_TIMES.url, fetched_at=START + timedelta(minutes=minutes),
                   status=200, headers={"content-type": "text/html"}, body=body)  # fmt: skip


def _typed(processor: Processor, fetched: Fetched) -> list[events.TypedEvent]:
    unit = processor.process(fetched)
    out: list[events.TypedEvent] = []
    for event in unit.events if unit else ():
        if not isinstance(event, events.PostEvent):
            out.append(event)
    return out


def _processor(states: dict[str, SourceState] | None = None) -> Processor:
    return Processor({SOURCE: DERBYSHIRE_TIMES}, states or {})


def test_the_calls_among_a_posts_facts() -> None:
    facts = [
        Fact("flash:north east derbyshire", "id1", "LAB>gain>CON>abc"),
        Fact("flash:chesterfield#1", "id2", "LAB>hold>>def"),
        Fact("result:chesterfield", "id3", "0123456789ab"),
        Fact("flash:bolsover", "id4", "0123456789ab"),  # a digest from before calls were kept
    ]
    assert called_in(facts) == {
        "north east derbyshire": Called("LAB", "gain", "CON"),
        "chesterfield": Called("LAB", "hold", None),
    }


def test_the_memory_forgets_deleted_posts() -> None:
    state = SourceState(posts={
        "a": PostState(content_hash="h", revision=0, facts=(Fact("flash:bolsover", "x", "LAB>gain>CON>d"),)),
        "b": PostState(content_hash="h", revision=0, deleted=True,
                       facts=(Fact("flash:erewash", "y", "LAB>gain>CON>d"),)),
    })  # fmt: skip
    assert CallMemory(state).called == {"bolsover": Called("LAB", "gain", "CON")}


def test_a_later_full_result_names_the_outcome_of_an_earlier_posts_flash() -> None:
    processor = _processor()
    [flash] = _typed(processor, _fetch([_post(13)], 0))
    assert view(flash) == ("flash", "North East Derbyshire", "LAB", "gain", "CON", "Louise Jones", "Lee Rowley")
    [result] = _typed(processor, _fetch([_post(13), _post(14)], 5))
    assert isinstance(result, events.Result)
    assert (result.outcome, result.gained_from and result.gained_from.code, result.complete) == ("gain", "CON", True)


def test_a_flash_and_a_full_result_in_the_same_fetch_meet_too() -> None:
    found = _typed(_processor(), _fetch([_post(13), _post(14)], 0))
    assert [view(e) for e in found] == [
        ("flash", "North East Derbyshire", "LAB", "gain", "CON", "Louise Jones", "Lee Rowley"),
        ("result", "North East Derbyshire", "LAB", True, 6, "gain"),
    ]


def test_the_memory_survives_a_restart_from_the_stored_state() -> None:
    first = _processor()
    _typed(first, _fetch([_post(13)], 0))
    # what the publisher stored, read back as a restarted daemon reads it from Redis
    stored = msgspec.json.decode(msgspec.json.encode(first.states), type=dict[str, SourceState])
    restarted = _typed(_processor(stored), _fetch([_post(13), _post(14)], 5))
    uninterrupted = _processor()
    _typed(uninterrupted, _fetch([_post(13)], 0))
    assert restarted == _typed(uninterrupted, _fetch([_post(13), _post(14)], 5))


def test_a_call_for_another_winner_is_not_carried_over() -> None:
    call = "Reform UK gain North East Derbyshire from the Conservatives."
    other = msgspec.structs.replace(_post(13), headline="Reform gain North East Derbyshire", paragraphs=(call,))
    processor = _processor()
    _typed(processor, _fetch([other], 0))
    [result] = _typed(processor, _fetch([other, _post(14)], 5))
    assert isinstance(result, events.Result) and result.outcome is None


def test_an_edited_figure_publishes_a_correction_that_supersedes_the_first_result() -> None:
    draft, final = DERBYSHIRE_DRAFTS["post-0011"], _post(11)
    processor = _processor()
    first = _typed(processor, _fetch([draft], 0))
    assert [view(e) for e in first] == [
        ("flash", "Chesterfield", "LAB", "hold", None, "Toby Perkins", None),
        ("result", "Chesterfield", "LAB", False, 2, "hold"),
    ]
    earlier = first[1]
    assert isinstance(earlier, events.Result)
    assert [(c.name, c.party.code, c.votes, c.elected) for c in earlier.candidates] == [
        ("Toby Perkins", "LAB", 19361, True),
        ("Ben Flook", "CON", 8496, False),
    ]
    [correction] = _typed(processor, _fetch([final], 5))  # the flash is unchanged: not published again
    assert isinstance(correction, events.Result)
    assert (correction.status, correction.supersedes, correction.revision) == ("correction", earlier.event_id, 1)
    assert [c.votes for c in correction.candidates] == [19316, 8496]


# ------------------------------------------------------------------------------------- the whole night

GAIN = ("LAB", "gain", "CON")
NIGHT: list[tuple[str, int, tuple[Any, ...]]] = [
    ("post-0003", 0, ("count", "Bolsover", "verification", None)),
    ("post-0003", 0, ("count", "Bolsover", "expected", "2024-07-05T02:45:00+00:00")),
    ("post-0004", 0, ("flash", "Erewash", *GAIN, "Adam Thompson", "Maggie Throup")),
    ("post-0005", 0, ("flash", "Bolsover", *GAIN, "Natalie Fleet", "Mark Fletcher")),
    ("post-0006", 0, ("flash", "Amber Valley", *GAIN, "Linsey Farnsworth", "Nigel Mills")),
    ("post-0007", 0, ("flash", "High Peak", *GAIN, "Jon Pearce", "Robert Largan")),
    ("post-0008", 0, ("flash", "Derby North", *GAIN, "Catherine Atkinson", "Amanda Solloway")),
    ("post-0009", 0, ("flash", "South Derbyshire", *GAIN, "Samantha Niblett", None)),
    ("post-0010", 0, ("flash", "Derby South", "LAB", "hold", None, "Baggy Shanker", None)),
    ("post-0011", 0, ("flash", "Chesterfield", "LAB", "hold", None, "Toby Perkins", None)),
    ("post-0011", 0, ("result", "Chesterfield", "LAB", False, 2, "hold")),
    ("post-0012", 0, ("result", "Chesterfield", "LAB", True, 7, "hold")),
    ("post-0013", 0, ("flash", "North East Derbyshire", *GAIN, "Louise Jones", "Lee Rowley")),
    ("post-0014", 0, ("result", "North East Derbyshire", "LAB", True, 6, "gain")),
    ("post-0015", 0, ("flash", "Mid Derbyshire", *GAIN, "Jonathan Davies", "Luke Gardiner")),
    ("post-0016", 0, ("recount", "Derbyshire Dales", "possible")),
    ("post-0017", 0, ("recount", "Derbyshire Dales", "requested")),
    ("post-0011", 1, ("result", "Chesterfield", "LAB", False, 2, "hold")),  # the correction 19,361 -> 19,316
    ("post-0018", 0, ("tally", "uk", (("LAB", 368, None), ("CON", 93, None)), None, None)),
    ("post-0019", 0, ("tally", "Derbyshire", (("LAB", 11, None),), 11, 11)),
    ("post-0019", 0, ("flash", "Derbyshire Dales", "LAB", "gain", None, "John Whitby", None)),
]


def test_the_sample_night_event_by_event() -> None:
    processor = _processor()
    got = []
    for fetched in derbyshire_fetches(timedelta(minutes=1)):
        for event in _typed(processor, fetched):
            got.append((event.post_id.rsplit("#", 1)[-1], event.revision, view(event)))
    assert got == NIGHT
