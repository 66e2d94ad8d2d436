"""Benchmark: the classifier's accuracy on every seat of the 2024 night, in every newsroom wording.

    .venv/bin/python bench/accuracy.py [--quick] [--data DIR] [--no-gazetteer] [--show N]

Offline, no server: for every seat of the results file (``ge2024-candidates.csv`` with
``ge2024-declaration-times-approx.csv``, read from ``--data``, default ``../shared/data``, never copied):

- the simulator's own wordings (``ingester.simulate.wording``): every flash style, every result style,
  the count and the recount posts, a few states of the parties, the exit poll and the filler; each post
  is put on a live-blog page (JSON-LD, as the local blogs serve it) and read back by the real adapter;
- the seat's BBC results page in both layouts (the 2024 scorecards and the 2017/2019 table), rendered by
  the simulator's shape and read by the ``bbc-constituency`` adapter;
- other wordings of our own (``OWN_FLASHES``, ``OWN_RESULTS``, ``NOT_FACTS``): flashes seat-first
  with party codes, by a person, passive, in capitals and in lower case, "falls to", the loser as
  subject, several seats in one sentence; results with bracketed codes, "Party: Name", bullets in
  ballot order with shares, a run-on list; and sentences that must give nothing (forecasts, another
  year's story). Misreadings of these are errors too, but they are reported apart (``variants``).

Each post goes through the whole rule chain with the gazetteer (``constituencies-2024.csv``, unless
``--no-gazetteer``), and its events are compared with the facts the text states, as the night bench does
(``simulate.facts.fact_key``: kind, seat, winner, outcome, gained-from, the vote figures). Prints
precision and recall per kind and per wording, up to ``--show`` misreadings of each wording, and one
line of JSON last: ``{"posts", "precision", "recall", ..., "variants": {...}}``, where ``precision`` and
``recall`` are over the simulator's wordings. ``--quick`` takes one seat in five (well under 60 s).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import msgspec
from accuracy_wordings import NOT_FACTS, OWN_FLASHES, OWN_RESULTS, grouped_flashes

from ingester import sources
from ingester.classify.base import RuleInput
from ingester.classify.gazetteer import load_gazetteer
from ingester.classify.places import Places
from ingester.classify.rules import build_rules, find_events
from ingester.events import TypedEvent
from ingester.samples.derbyshire_times import SamplePost, render_blog_page
from ingester.simulate.facts import FactKey, fact_key, fact_of_event
from ingester.simulate.model import Blog, Fact, SimPost, Version, visible_posts
from ingester.simulate.page import PageView
from ingester.simulate.results import Seat, load_seats
from ingester.simulate.shapes import ALL_SHAPES
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
    tally_text,
)
from ingester.types import AdapterContext, Post

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
ELECTION = date(2024, 7, 4)
URL = "https://sim.example/live"
KINDS = ("flash", "result", "tally", "count", "recount", "exit_poll")
_BLOG_CONTEXT = AdapterContext(
    url=URL, headers={"content-type": "text/html; charset=utf-8"}, election="parl.2024-07-04"
)


class Sample(msgspec.Struct, frozen=True):
    """One post to read: the wording it is in, what the classifier is given, what it states."""

    style: str
    post: Post
    facts: tuple[Fact, ...]
    variant: bool  # one of our own wordings, not the simulator's


# ------------------------------------------------------------------------------------------ the posts


def blog_post(text: Text, seat: Seat) -> Post:
    """The text as one post of a live-blog page, read back by the JSON-LD adapter."""
    sample = SamplePost(
        id="p1",
        headline=text.headline,
        paragraphs=text.paragraphs,
        published=(seat.declared_at + timedelta(minutes=2)).isoformat(),
    )
    [post] = sources.extract("jsonld", render_blog_page([sample], url=URL), _BLOG_CONTEXT).posts
    return post


def results_pages(seat: Seat) -> Iterator[tuple[int, list[Post], tuple[Fact, ...]]]:
    """The seat's BBC results page in each layout, as the adapter reads it, and the facts it shows: the
    result and the verdict line ("LAB GAIN FROM CON")."""
    shape = ALL_SHAPES["bbc-constituency"]
    text = result_text(seat, "lines")
    facts = (*flash_text(seat, "wire").facts, *text.facts)
    version = Version(at=seat.declared_at, headline=text.headline, paragraphs=text.paragraphs, facts=facts)
    blog = Blog(
        name="seat", shape=shape.name, path="/results", title=seat.name, seat=seat, election="parl.2024-07-04",
        posts=(SimPost(id="r", author="Results desk", versions=(version,)),),
    )  # fmt: skip
    context = AdapterContext(url=f"{URL}/results", headers={"content-type": shape.content_type}, election=blog.election)
    shown = tuple(visible_posts(blog, seat.declared_at))
    for layout in (0, 1):
        page = shape.render(PageView(blog=blog, url=context.url, shown=shown, total=1, layout=layout))
        yield layout, list(sources.extract(shape.kind, page, context).posts), facts


def seat_samples(seat: Seat) -> Iterator[Sample]:
    simulated = [(f"flash:{style}", flash_text(seat, style)) for style in FLASH_STYLES]
    simulated += [(f"result:{style}", result_text(seat, style)) for style in RESULT_STYLES]
    simulated += [("count", count_text(seat, seat.declared_at)), ("recount", recount_text(seat))]
    for name, text in simulated:
        yield Sample(name, blog_post(text, seat), text.facts, False)
    for layout, posts, facts in results_pages(seat):
        for post in posts:
            yield Sample(f"page:{layout}", post, facts, False)
    for name, write in (*OWN_FLASHES.items(), *OWN_RESULTS.items(), *NOT_FACTS.items()):
        own = write(seat)
        if own is not None:
            yield Sample(f"own:{name}", blog_post(own, seat), own.facts, True)


def night_samples(seats: Sequence[Seat]) -> Iterator[Sample]:
    """What is said of the night as a whole: states of the parties, the exit poll, colour; and lists of
    several seats in one sentence."""
    last = seats[-1]
    for tally in _tallies(seats):
        for style in TALLY_STYLES:
            yield Sample(
                f"tally:{style}", blog_post(tally_text(tally, style), last), tally_text(tally, style).facts, False
            )
    yield Sample("exit_poll", blog_post(exit_poll_text(), last), exit_poll_text().facts, False)
    for n in range(6):
        yield Sample("filler", blog_post(filler_text(n), last), (), False)
    for text in grouped_flashes(seats):
        yield Sample("own:several seats", blog_post(text, last), text.facts, True)


def _tallies(seats: Sequence[Seat], every: int = 50) -> Iterator[Tally]:
    """The state of the parties after every ``every`` declarations, as the simulator's wire writes it."""
    won: Counter[str] = Counter()
    before: Counter[str] = Counter()
    for count, seat in enumerate(seats, 1):
        won[seat.winner.party] += 1
        before[seat.previous or seat.winner.party] += 1
        if count % every == 0 or count == len(seats):
            change = {party: won[party] - before[party] for party in set(won) | set(before)}
            yield Tally(declared=count, seats=dict(won), change=change)


# ---------------------------------------------------------------------------------------- the scoring


class Score:
    """Facts stated and events read, matched post by post, per kind and per wording."""

    def __init__(self) -> None:
        # (kind, style) -> [matched, read, stated]
        self.counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        self.misread: dict[str, list[str]] = defaultdict(list)
        self.variant_styles: set[str] = set()

    def add(self, sample: Sample, events: list[TypedEvent]) -> None:
        read = Counter(fact_key(f) for e in events if (f := fact_of_event(e)) is not None)
        stated = Counter(fact_key(f) for f in sample.facts)
        if sample.variant:
            self.variant_styles.add(sample.style)
        for kind in {key[0] for key in read} | {key[0] for key in stated}:
            got = _of_kind(read, kind)
            want = _of_kind(stated, kind)
            counts = self.counts[(str(kind), sample.style)]
            counts[0] += sum((got & want).values())
            counts[1] += sum(got.values())
            counts[2] += sum(want.values())
        if read != stated:
            self.misread[sample.style].append(_misreading(sample, read, stated))

    def figures(self, *, variant: bool) -> dict[str, dict[str, float]]:
        """Precision and recall per kind over the simulator's wordings (or over ours)."""
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for (kind, style), counts in self.counts.items():
            if (style in self.variant_styles) == variant:
                totals[kind] = [a + b for a, b in zip(totals[kind], counts, strict=True)]
        return {
            "precision": {k: _ratio(t[0], t[1]) for k, t in sorted(totals.items())},
            "recall": {k: _ratio(t[0], t[2]) for k, t in sorted(totals.items())},
            "stated": {k: t[2] for k, t in sorted(totals.items())},
        }


def _of_kind(keys: Counter[FactKey], kind: object) -> Counter[FactKey]:
    return Counter({key: n for key, n in keys.items() if key[0] == kind})


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


def _misreading(sample: Sample, read: Counter[FactKey], stated: Counter[FactKey]) -> str:
    text = " | ".join(line for line in [sample.post.headline or "", *sample.post.body.splitlines()] if line)
    return f"{text[:240]}\n      missing {sorted(stated - read)}\n      extra   {sorted(read - stated)}"


# -------------------------------------------------------------------------------------------- running


def classify(sample: Sample, rules: Sequence[Any], envelope: dict[str, Any]) -> list[TypedEvent]:
    post = sample.post
    inp = RuleInput(
        headline=post.headline,
        body=post.body,
        published_at=post.published_at,
        election_date=ELECTION,
        envelope=envelope,
    )
    return find_events(inp, rules)


def run(seats: Sequence[Seat], rules: Sequence[Any]) -> tuple[Score, int]:
    score = Score()
    envelope: dict[str, Any] = {
        "event_id": "", "source": "accuracy", "post_id": "p1", "revision": 0, "published_at": None,
        "observed_at": seats[0].declared_at, "url": URL, "election": "parl.2024-07-04", "test": True, "text": "",
    }  # fmt: skip
    posts = 0
    for sample in _every_sample(seats):
        score.add(sample, classify(sample, rules, envelope))
        posts += 1
    return score, posts


def _every_sample(seats: Sequence[Seat]) -> Iterator[Sample]:
    for seat in seats:
        yield from seat_samples(seat)
    yield from night_samples(seats)


def report(score: Score, show: int) -> None:
    print(f"{'kind':10} {'wording':22} {'precision':>9} {'recall':>7} {'stated':>7}")
    for (kind, style), (matched, read, stated) in sorted(score.counts.items(), key=lambda i: (i[0][1], i[0][0])):
        print(f"{kind:10} {style:22} {_ratio(matched, read):9.4f} {_ratio(matched, stated):7.4f} {stated:7d}")
    for style, lines in sorted(score.misread.items()):
        print(f"\n{style}: {len(lines)} posts misread" + (f", the first {show}:" if lines and show else ""))
        for line in lines[:show]:
            print(f"  - {line}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one seat in five (well under 60 s)")
    parser.add_argument("--data", type=Path, default=DATA, help="the folder of the Library's CSV files")
    parser.add_argument("--no-gazetteer", action="store_true", help="read seat names without the gazetteer")
    parser.add_argument("--show", type=int, default=3, help="misreadings to print per wording (default 3)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    seats = load_seats(args.data / "ge2024-candidates.csv", args.data / "ge2024-declaration-times-approx.csv")
    seats = seats[::5] if args.quick else seats
    places = Places() if args.no_gazetteer else Places(load_gazetteer(args.data / "constituencies-2024.csv"))
    score, posts = run(seats, build_rules(places))
    report(score, args.show)
    ours = score.figures(variant=True)
    result = {
        "seats": len(seats),
        "posts": posts,
        "gazetteer": not args.no_gazetteer,
        **score.figures(variant=False),
        "variants": {"precision": ours["precision"], "recall": ours["recall"]},
        "misread_posts": sum(len(lines) for lines in score.misread.values()),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
