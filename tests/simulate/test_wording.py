"""Each newsroom style states exactly the facts the simulator records for it, as the pipeline reads it.

Checked on the seeds' seats (Derbyshire, 2024) through a real page and the real adapter and classifier.
The simulator's ground truth is written by the same hand as the text; this is where the two must meet.
(Classifier gaps on other seats are measured by ``bench/night.py``, not asserted here.)
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from ingester.pipeline import Processor
from ingester.samples.derbyshire_times import SamplePost, render_blog_page
from ingester.simulate.facts import FactKey, fact_key, fact_of_event
from ingester.simulate.results import Seat
from ingester.simulate.wording import (
    FLASH_STYLES,
    RESULT_STYLES,
    TALLY_STYLES,
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
from ingester.types import Fetched, SourceConfig
from tests.simulate.support import seats

DERBYSHIRE = (
    "Amber Valley", "Bolsover", "Chesterfield", "Derby North", "Derby South", "Derbyshire Dales", "Erewash",
    "High Peak", "Mid Derbyshire", "North East Derbyshire", "South Derbyshire",
)  # fmt: skip
URL = "https://sim.example/live"


def derbyshire() -> list[Seat]:
    return [s for s in seats() if s.name in DERBYSHIRE]


def read(texts: list[Text]) -> list[list[FactKey]]:
    """The facts the pipeline reads from each text, posted on one live-blog page."""
    start = derbyshire()[0].declared_at
    posts = [
        SamplePost(
            id=f"p{n}",
            headline=t.headline,
            paragraphs=t.paragraphs,
            published=(start + timedelta(minutes=n)).isoformat(),
        )
        for n, t in enumerate(texts)
    ]
    config = SourceConfig(name="words", url=URL, kind="jsonld", election="parl.2024-07-04")
    fetched = Fetched(
        source="words", url=URL, fetched_at=start + timedelta(days=1), status=200,
        headers={"content-type": "text/html; charset=utf-8"}, body=render_blog_page(posts[::-1], url=URL),
    )  # fmt: skip
    unit = Processor({"words": config}, {}).process(fetched)
    assert unit is not None
    found: dict[str, list[FactKey]] = {f"{URL}#p{n}": [] for n in range(len(texts))}
    for event in unit.events:
        fact = fact_of_event(event)
        if fact is not None:
            found[event.post_id].append(fact_key(fact))
    return [sorted(found[f"{URL}#p{n}"]) for n in range(len(texts))]


def stated(texts: list[Text]) -> list[list[FactKey]]:
    return [sorted(fact_key(f) for f in t.facts) for t in texts]


def test_the_seeds_seats_are_all_there() -> None:
    assert len(derbyshire()) == 11


@pytest.mark.parametrize("style", FLASH_STYLES)
def test_a_flash_style_states_what_the_truth_says(style: str) -> None:
    texts = [flash_text(seat, style) for seat in derbyshire()]
    assert read(texts) == stated(texts)


@pytest.mark.parametrize("style", RESULT_STYLES)
def test_a_result_style_states_what_the_truth_says(style: str) -> None:
    texts = [result_text(seat, style) for seat in derbyshire()]
    corrected = [result_text(seat, style, votes=[c.votes + 7 for c in seat.candidates]) for seat in derbyshire()]
    assert read(texts + corrected) == stated(texts + corrected)


@pytest.mark.parametrize("style", TALLY_STYLES)
def test_a_tally_style_states_what_the_truth_says(style: str) -> None:
    tallies = [
        Tally(declared=120, seats={"LAB": 80, "CON": 15, "LD": 12, "SNP": 3, "SF": 2, "IND": 8}, change={"LAB": 40}),
        Tally(declared=5, seats={"LAB": 5}, change={"LAB": 3, "CON": -3}),
    ]
    texts = [tally_text(tally, style) for tally in tallies]
    assert read(texts) == stated(texts)


def test_counts_recounts_the_exit_poll_and_colour_state_what_the_truth_says() -> None:
    seat = derbyshire()[0]
    texts = [count_text(seat, seat.declared_at), recount_text(seat), exit_poll_text()]
    texts += [filler_text(n) for n in range(8)] + [reworded(flash_text(seat, "local"), n) for n in range(3)]
    assert read(texts) == stated(texts)
