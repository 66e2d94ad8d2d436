"""The ``bbc-constituency`` adapter: the result post reads as a complete result, in either layout."""

from __future__ import annotations

import re
from datetime import date

import pytest
from selectolax.lexbor import LexborHTMLParser

from ingester import differ
from ingester.classify.base import RuleInput
from ingester.classify.rules import find_events
from ingester.events import Candidate, Flash, Result, TypedEvent
from ingester.samples import bbc_constituency as samples
from ingester.sources.bbc_constituency import BbcConstituencyAdapter, looks_like_bbc_constituency
from ingester.sources.bbc_result import read_2024
from ingester.types import AdapterContext, Extraction, Post, SourceState
from tests.sources.cases import case

ADAPTER = BbcConstituencyAdapter()


def read(name: str, election: str | None = "use the case's") -> Extraction:
    found = case(f"bbc-constituency/{name}")
    context = found.context
    if election != "use the case's":
        context = AdapterContext(url=context.url, headers=context.headers, election=election)
    return ADAPTER.extract(found.body(), context)


def result_post(extraction: Extraction) -> Post:
    return next(p for p in extraction.posts if p.native_id and "#result-" in p.native_id)


def events(post: Post, polling_day: date) -> list[TypedEvent]:
    envelope = {
        "event_id": "",
        "source": "test",
        "post_id": post.native_id,
        "revision": 0,
        "published_at": None,
        "observed_at": "2024-07-05T06:00:00Z",
        "url": post.url,
        "election": None,
        "test": True,
        "text": post.body,
    }
    inp = RuleInput(
        headline=post.headline, body=post.body, published_at=None, election_date=polling_day, envelope=envelope
    )
    return find_events(inp)


def only_result(found: list[TypedEvent]) -> Result:
    [result] = [e for e in found if isinstance(e, Result)]
    return result


def row(candidate: Candidate) -> tuple[str, str, int | None, float | None, float | None]:
    return (candidate.name, candidate.party.code, candidate.votes, candidate.share, candidate.share_change)


def test_derby_north_2017_is_one_complete_result() -> None:
    post = result_post(read("derby-north-2017.after.html"))
    assert post.native_id == f"{samples.DERBY_NORTH.url}#result-parl.2017-06-08"
    assert post.headline == "Derby North"
    result = only_result(events(post, date(2017, 6, 8)))
    assert [row(c) for c in result.candidates] == [
        ("Chris Williamson", "LAB", 23_622, 48.5, 12.0),
        ("Amanda Solloway", "CON", 21_607, 44.4, 7.7),
        ("Lucy Care", "LD", 2_262, 4.6, -3.9),
        ("Bill Piper", "UKIP", 1_181, 2.4, -12.2),
    ]
    assert (result.complete, result.majority, result.outcome) == (True, 2_015, "gain")
    assert result.winner is not None and result.winner.code == "LAB"


def test_luton_north_2017_has_majority_and_turnout_and_a_hold_flash() -> None:
    extraction = read("luton-north-2017.html")
    found = events(result_post(extraction), date(2017, 6, 8))
    result = only_result(found)
    assert [row(c) for c in result.candidates] == [
        ("Kelvin Hopkins", "LAB", 29_765, 63.8, 11.6),
        ("Caroline Kerswell", "CON", 15_401, 33.0, 3.1),
        ("Rabi Martins", "LD", 808, 1.7, -1.3),
        ("Simon Hall", "GRN", 648, 1.4, -0.9),
    ]
    assert (result.complete, result.majority, result.turnout, result.outcome) == (True, 14_364, 71.0, "hold")
    assert [(e.constituency.name, e.outcome) for e in found if isinstance(e, Flash)] == [("Luton North", "hold")]
    banner = next(p for p in extraction.posts if p.headline == "UK results")
    assert banner.native_id == f"{samples.LUTON_NORTH.url}#uk-results-parl.2017-06-08"
    assert banner.body.split("\n")[1:] == [
        "Seats 318 262 35 12 10 13",
        "Change −13 +30 −21 +4 +2 −2",
        "After 650 of 650 seats",
    ]


def test_2024_scorecards_are_one_complete_result() -> None:
    post = result_post(read("north-east-derbyshire-2024.html"))
    result = only_result(events(post, date(2024, 7, 4)))
    assert [row(c) for c in result.candidates] == [
        ("Louise Jones", "LAB", 17_591, 38.4, 6.0),
        ("Lee Rowley", "CON", 15_838, 34.5, -23.9),
        ("Andy Egginton", "REF", 7_899, 17.2, 16.8),
        ("Frank Adlington-Stringer", "GRN", 2_271, 5.0, 2.3),
        ("Ross Shipman", "LD", 2_159, 4.7, -1.4),
        ("Wesley Massumbukolt", "OTH", 108, 0.2, None),
    ]
    assert (result.complete, result.majority, result.turnout, result.outcome) == (True, 1_753, 62.6, "gain")
    assert result.gained_from is not None and result.gained_from.code == "CON"
    assert "Electorate\n73,234" in post.body


@pytest.mark.parametrize("name", ["north-east-derbyshire-2024.html", "luton-north-2017.html"])
def test_generated_class_names_are_not_read(name: str) -> None:
    found = case(f"bbc-constituency/{name}")
    stripped = re.sub(rb'\sclass="[^"]*"', b"", found.body())
    assert stripped != found.body()
    assert ADAPTER.extract(stripped, found.context) == ADAPTER.extract(found.body(), found.context)


def test_before_the_declaration_there_is_no_result_and_no_warning() -> None:
    extraction = read("derby-north-2017.before.html")
    assert extraction.warnings == ()
    assert [p.headline for p in extraction.posts] == ["Polls close in Derby North"]
    assert extraction.posts[0].author == "BBC Radio Derby"


def test_latest_updates_are_posts_with_permalinks_and_edits() -> None:
    extraction = read("luton-north-2017.html")
    update = next(p for p in extraction.posts if p.headline == "Kelvin Hopkins holds Luton North")
    assert update.native_id == update.url == f"{samples.LUTON_NORTH.url}#p05d9f7w"
    assert update.author == "Patrick Byrne, BBC News"
    assert update.body.endswith("UKIP did not field a candidate here this time, which helped both main parties.")
    before = samples.page_at(samples.LUTON_NORTH, samples.june("09 09:00"))
    earlier = ADAPTER.extract(
        samples.render_constituency_page(samples.LUTON_NORTH, before),
        case("bbc-constituency/luton-north-2017.html").context,
    )
    draft = next(p for p in earlier.posts if p.native_id == update.native_id)
    assert draft.body != update.body and "UKIP" not in draft.body


def test_the_election_comes_from_the_page_without_a_context() -> None:
    post = result_post(read("derby-north-2017.after.html", election=None))
    assert post.native_id == f"{samples.DERBY_NORTH.url}#result-general-election-2017"


def test_an_unknown_layout_is_a_warning() -> None:
    extraction = read("unknown-layout.html")
    assert extraction.posts == ()
    assert "bbc-constituency: page layout not recognised (no result table, UK results or Latest updates)" in (
        extraction.warnings
    )
    bare = ADAPTER.extract(b"<html><body><p>Hello</p></body></html>", AdapterContext(url="https://x/"))
    assert bare.warnings == (
        "bbc-constituency: page layout not recognised (no result table, UK results or Latest updates)",
    )


def test_detection() -> None:
    body = case("bbc-constituency/north-east-derbyshire-2024.html").body()
    assert looks_like_bbc_constituency("file:///page.html", body, {})
    assert looks_like_bbc_constituency("https://www.bbc.co.uk/news/politics/constituencies/E14000662", b"<html>", {})
    assert not looks_like_bbc_constituency("https://www.bbc.co.uk/news/live/c4ngq5d8l0xt", b"<html>", {})
    prose = b"<p>Every parliamentary constituency in Derbyshire. Parliamentary constituency boundaries changed.</p>"
    assert not looks_like_bbc_constituency("https://www.derbytelegraph.co.uk/live", prose, {})


def test_the_night_on_derby_north_creates_edits_and_deletes_updates() -> None:
    state = SourceState()
    actions: list[tuple[str, str]] = []
    for moment in ("before", "after", "morning"):
        for change in differ.diff(state, read(f"derby-north-2017.{moment}.html")):
            actions.append((change.action, change.post_id.rsplit("#", 1)[-1]))
            state.posts[change.post_id] = differ.next_state(change, ())
    assert actions == [
        ("created", "p05d8r1x"),
        ("created", "p05d9k5t"),
        ("created", "p05d9k2m"),
        ("created", "result-parl.2017-06-08"),
        ("deleted", "p05d9k5t"),
        ("updated", "p05d9k2m"),
    ]


# --- the layout is told by what the page shows, for any year ----------------------------------------


def luton_page(*edits: tuple[bytes, bytes]) -> bytes:
    body = case("bbc-constituency/luton-north-2017.html").body()
    for old, new in edits:
        assert old in body
        body = body.replace(old, new)
    return body


def luton(body: bytes, election: str | None = "parl.2017-06-08") -> Extraction:
    return ADAPTER.extract(body, AdapterContext(url=samples.LUTON_NORTH.url, election=election))


def test_2024_scorecards_whose_figures_also_read_as_rows_are_read_as_scorecards() -> None:
    # A scorecard may show its figures as one visible line, as the older layout's rows do: the aria-label
    # still decides the layout, so the parties come from the scorecards and not from the lines above.
    body = case("bbc-constituency/north-east-derbyshire-2024.html").body()
    body = re.sub(
        rb'(aria-label="[^,"]+, ([^,"]+), ([\d,]+) votes, ([\d.]+)% share[^"]*">)',
        rb"\1<p>\2 Votes \3 Vote share \4</p>",
        body,
    )
    assert body.count(b" Vote share ") == 6
    extraction = ADAPTER.extract(body, case("bbc-constituency/north-east-derbyshire-2024.html").context)
    assert result_post(extraction) == result_post(read("north-east-derbyshire-2024.html"))
    assert extraction.warnings == ()


def test_a_2017_table_for_another_year_or_without_its_heading_is_read() -> None:
    expected = [row(c) for c in only_result(events(result_post(luton(luton_page())), date(2017, 6, 8))).candidates]
    heading = (b"<h3>General Election 2017 results</h3>", b"<h3>General Election 2019 results</h3>")
    for page, year in ((luton_page(heading), "2019"), (luton_page((heading[0], b"")), None)):
        post = result_post(luton(page, election=None))
        election = f"general-election-{year}" if year else "unknown"
        assert post.native_id == f"{samples.LUTON_NORTH.url}#result-{election}"
        result = only_result(events(post, date(2017, 6, 8)))
        assert [row(c) for c in result.candidates] == expected
        assert (result.majority, result.turnout) == (14_364, 71.0)


def test_a_verdict_without_a_table_is_a_warning_not_silence() -> None:
    table = (b'<ol class="ge2017-constituency-result__rows">', b'<ol class="ge2017-constituency-result__rows" hidden>')
    unread = luton_page((b"<h3>General Election 2017 results</h3>", b""), table)
    unread = re.sub(rb"<p class=\"ge2017-constituency-result__candidate\">.*?</p>", b"", unread, flags=re.S)
    extraction = luton(unread)
    assert not any(p.native_id and "#result-" in p.native_id for p in extraction.posts)
    assert "bbc-constituency: a verdict (LAB HOLD) but no candidate rows: result table layout not recognised" in (
        extraction.warnings
    )


# --- figures: a page without a turnout is quiet; a turnout that shows but cannot be read is not ------


def test_a_result_without_a_turnout_line_is_read_without_a_warning_on_every_poll() -> None:
    for _poll in range(3):
        for moment in ("after", "morning"):
            extraction = read(f"derby-north-2017.{moment}.html")
            assert extraction.warnings == ()
            assert "Turnout" not in result_post(extraction).body


def test_a_turnout_label_whose_value_cannot_be_read_is_a_warning() -> None:
    extraction = luton(luton_page((b'<p class="ge2017-turnout">71.0%</p>', b'<p class="ge2017-turnout">tbc</p>')))
    assert extraction.warnings == ("bbc-constituency: turnout shown but its value could not be read",)
    body = result_post(extraction).body
    assert "LAB majority\n14,364" in body and "Turnout" not in body


def test_a_scorecard_whose_party_name_holds_commas_keeps_its_candidate() -> None:
    cards = (
        '<div aria-label="Labour, Patricia Ferguson, 15,552 votes, 46.2% share"><abbr>LAB</abbr></div>'
        '<div aria-label="Scottish Family Party: Pro-Family, Pro-Marriage, Pro-Life, Jane Doe, 310 votes,'
        ' 0.9% share"></div>'
    )
    table = read_2024(LexborHTMLParser(f"<body>{cards}</body>").body, [])  # type: ignore[arg-type]
    assert table is not None
    assert [(c.name, c.party, c.votes) for c in table.candidates] == [
        ("Patricia Ferguson", "Labour", 15_552),
        ("Jane Doe", "Scottish Family Party: Pro-Family, Pro-Marriage, Pro-Life", 310),
    ]


def test_sections_are_taken_out_before_the_rest_is_read_even_the_whole_body() -> None:
    table = "<h3>General Election 2017 results</h3><p>Kelvin Hopkins Votes 29,765 header_vote_share 63.8</p>"
    update = "<article id='p1'><header><h3>Count update</h3></header><div><p>Counting continues.</p></div></article>"
    context = AdapterContext(url=samples.LUTON_NORTH.url, election="parl.2017-06-08")
    inside = f"<html><body><h1>Luton North</h1><section><h2>Latest updates</h2>{table}{update}</section></body></html>"
    # The stream's section is taken out: a table inside it is not the page's.
    assert [p.headline for p in ADAPTER.extract(inside.encode(), context).posts] == ["Count update"]
    # A heading right under the body makes the body the stream: nothing is left around it to read.
    whole = f"<html><body><h1>Luton North</h1><h2>Latest updates</h2>{table}{update}</body></html>"
    assert [p.headline for p in ADAPTER.extract(whole.encode(), context).posts] == ["Count update"]
