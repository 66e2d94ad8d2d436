"""The planned night and the site serving it on a virtual clock (no sockets: ``respond`` directly)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from functools import cache

import msgspec

from ingester.simulate.clock import VirtualClock
from ingester.simulate.faults import Fault, FaultPlan
from ingester.simulate.model import Night
from ingester.simulate.plan import PlanOptions, plan_night
from ingester.simulate.site import GeneratedSite, route_key
from ingester.simulate.truth import generated_truth
from tests.simulate.support import seats

BASE = "http://127.0.0.1:9"
OPTIONS = PlanOptions(seats=40, hours=1.0, blogs=6, correction_rate=0.5, min_gap=600.0)


@cache
def night() -> Night:
    return plan_night(seats(), OPTIONS)


class Wall:
    """A wall clock the test sets."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def site_at(moment: datetime, faults: tuple[Fault, ...] = ()) -> tuple[GeneratedSite, Wall]:
    wall = Wall()
    clock = VirtualClock(night().start, 60.0, wall=wall)
    wall.now = clock.wall_of(moment)
    return GeneratedSite(night(), clock, FaultPlan(faults, night().start), BASE), wall


def test_the_same_options_give_the_same_night() -> None:
    assert msgspec.json.encode(plan_night(seats(), OPTIONS)) == msgspec.json.encode(night())
    assert msgspec.json.encode(plan_night(seats(), msgspec.structs.replace(OPTIONS, seed=1))) != msgspec.json.encode(
        night()
    )


def test_each_seat_is_flashed_before_its_result_and_has_its_results_page() -> None:
    pages = {b.seat.name for b in night().blogs if b.seat is not None}
    assert len(pages) == 40
    for blog in night().blogs:
        first: dict[tuple[str, str], datetime] = {}
        for post in blog.posts:
            for fact in post.versions[0].facts:
                if fact.subject is not None:
                    first.setdefault((fact.kind, fact.subject), post.published)
        for (kind, subject), moment in first.items():
            if kind == "result" and ("flash", subject) in first and blog.seat is None:
                assert first[("flash", subject)] < moment, (blog.name, subject)


def test_versions_are_min_gap_apart_and_corrections_change_the_figures() -> None:
    gap = timedelta(seconds=OPTIONS.min_gap)
    corrected = 0
    for post in (p for b in night().blogs for p in b.posts):
        times = [*(v.at for v in post.versions), *([post.deleted_at] if post.deleted_at else [])]
        assert all(later - earlier >= gap for earlier, later in itertools.pairwise(times))
        results = [f.votes for v in post.versions for f in v.facts if f.kind == "result"]
        corrected += len(set(results)) > 1
    assert corrected >= 10


def test_the_pinned_tally_keeps_moving() -> None:
    pinned = max(night().blog("bbc-uk").posts, key=lambda p: len(p.versions))
    declared = [f.declared or 0 for v in pinned.versions for f in v.facts if f.kind == "tally"]
    assert len(declared) > 3 and declared == sorted(declared) and len(set(declared)) == len(declared)


def test_a_page_grows_over_the_night_and_answers_304_when_unchanged() -> None:
    blog = night().blog("wire")
    early, _ = site_at(night().start + timedelta(minutes=50))
    late, _ = site_at(night().end)
    assert 0 < len(early.shown(blog, early.clock.now())) < len(late.shown(blog, late.clock.now()))
    first = late.respond(blog.path, {}, 0)
    assert first.status == 200 and first.body
    assert late.respond(blog.path, {"if-none-match": first.headers["etag"]}, 1).status == 304
    assert late.respond("/nowhere", {}, 2).status == 404


def test_a_paged_stream_serves_every_page_and_no_more() -> None:
    blog = night().blog("bbc-uk")
    site, _ = site_at(night().end)
    shown = len(site.shown(blog, night().end))
    pages = -(-shown // 20)
    assert pages > 1
    assert site.respond(f"{blog.path}&pageNumber={pages}", {}, 0).status == 200
    assert site.respond(f"{blog.path}&pageNumber={pages + 1}", {}, 0).status == 404
    assert route_key(f"{blog.path}&pageNumber=2") == route_key(blog.path)


def test_faults_change_what_is_served_only_within_their_window() -> None:
    blog = night().blogs[0]
    moment = night().end - timedelta(minutes=1)
    faults = (
        Fault(kind="stale", sources=(blog.name,), lag="2h", end="1000h"),
        Fault(kind="503", sources=("wire",), retry_after=7),
        Fault(kind="layout", sources=("bbc-uk",)),
    )
    plain, _ = site_at(moment)
    faulty, _ = site_at(moment, faults)
    earlier, _ = site_at(moment - timedelta(hours=2))
    assert (
        faulty.respond(blog.path, {}, 0).body
        == earlier.respond(blog.path, {}, 0).body
        != plain.respond(blog.path, {}, 0).body
    )
    refused = faulty.respond(night().blog("wire").path, {}, 0)
    assert (refused.status, refused.headers["retry-after"]) == (503, "7")
    bbc = night().blog("bbc-uk").path
    assert faulty.respond(bbc, {}, 0).body.startswith(b"<!DOCTYPE html>")
    assert plain.respond(bbc, {}, 0).body.startswith(b"{")


def test_the_truth_replays_to_what_every_page_shows_and_includes_sister_copies() -> None:
    sister = next(b for b in night().blogs if b.sister_of is not None)
    window = Fault(kind="sister", sources=(sister.name,), start="1h", end="2h")
    site, _ = site_at(night().end, (window,))
    lines = list(generated_truth(site))
    assert [line.at for line in lines] == sorted(line.at for line in lines)
    for moment in (night().start + timedelta(minutes=90), night().end):
        state: dict[str, dict[str, int]] = {}
        for line in (line for line in lines if line.at <= moment):
            posts = state.setdefault(line.source, {})
            if line.action == "deleted":
                posts.pop(line.post)
            else:
                posts[line.post] = line.revision
        for blog in night().blogs:
            assert state.get(blog.name, {}) == {s.post.id: s.revision for s in site.shown(blog, moment)}
    copies = {line.post for line in lines if line.source == sister.name} - {p.id for p in sister.posts}
    assert copies and copies <= {p.id for p in night().blog(sister.sister_of or "").posts}
