"""Count progress (with times across midnight), recounts and exit polls."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingester.classify import _reading, count, count_seat, exit_poll, recount
from ingester.classify._scan import Searcher, matches_at
from ingester.classify._text import tokens
from ingester.classify.count import count_rule, resolve_time
from ingester.classify.exit_poll import exit_poll_rule
from ingester.classify.rules import find_events
from ingester.events import Recount

from .cases import phrases, post, views

# 00:24 BST on 5 July 2024, the time of seed 001's Bolsover post
AT_0024 = datetime(2024, 7, 4, 23, 24, tzinfo=UTC)
AT_2350 = datetime(2024, 7, 4, 22, 50, tzinfo=UTC)  # 23:50 BST on polling day


def counts(body: str, headline: str | None = None, published_at: datetime | None = AT_0024) -> list[tuple[object, ...]]:
    return views(count_rule(post(body, headline, published_at), ()))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Bolsover verification and the start of counting ballots to get under way by around 01:00 BST.",
         [("count", "Bolsover", "verification", None)]),
        ("Bolsover's predicted to declare at about 03:45.",
         [("count", "Bolsover", "expected", "2024-07-05T02:45:00+00:00")]),
        ("Erewash is expected to declare at 2.30am", [("count", "Erewash", "expected", "2024-07-05T01:30:00+00:00")]),
        ("The declaration in High Peak is expected at 4am",
         [("count", "High Peak", "expected", "2024-07-05T03:00:00+00:00")]),
        ("Amber Valley due to declare at 03:00 GMT",
         [("count", "Amber Valley", "expected", "2024-07-05T03:00:00+00:00")]),
        ("Amber Valley due to declare at 03:00 BST",
         [("count", "Amber Valley", "expected", "2024-07-05T02:00:00+00:00")]),
        ("Counting has started in various locations across the county.", [("count", None, "counting", None)]),
        ("Counts get under way across Derbyshire", [("count", None, "counting", None)]),
        ("Verification is complete in Bolsover and counting has begun", [("count", "Bolsover", "counting", None)]),
        ("The Derby North declaration has been delayed", [("count", "Derby North", "delayed", None)]),
        ("The atmosphere is very tense here in Chesterfield as results are expected any minute now.",
         [("count", "Chesterfield", "expected", None)]),
        ("We're expecting the Bolsover declaration within the next half hour",
         [("count", "Bolsover", "expected", None)]),
        ("The count in Bolsover has been suspended", [("count", "Bolsover", "delayed", None)]),
        ("Bolsover result expected around 4am", [("count", "Bolsover", "expected", "2024-07-05T03:00:00+00:00")]),
        ("The declaration in Motherwell, Wishaw and Carluke is expected at about 04:02.",
         [("count", "Motherwell, Wishaw and Carluke", "expected", "2024-07-05T03:02:00+00:00")]),
        ("Meanwhile, the Na h-Eileanan an Iar count has been delayed",
         [("count", "Na h-Eileanan an Iar", "delayed", None)]),
    ],
)  # fmt: skip
def test_count_stages(body: str, expected: list[tuple[object, ...]]) -> None:
    assert counts(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Bolsover may declare earlier than expected",
        "We expect Erewash, pictured busy counting the 2024 votes, will again be the first locally to declare",
        "The county's first count to declare in 2019 was Erewash, which re-elected Conservative Maggie Throup "
        "at 03:09 GMT.",
        "Forget queues at polling stations, at Bolsover's count, the ballot boxes faced a wait to get inside.",
        "Join us after 22:00 BST for coverage of all the results and reaction across Derbyshire.",
        "Some rail journeys are expected to take almost 15 minutes longer because of HS2",
        "A recount has been requested in Bolsover",
    ],
)
def test_not_count_progress(body: str) -> None:
    assert counts(body) == []


def test_one_event_per_stage_and_seat() -> None:
    body = "Counts get under way across Derbyshire. Counting has started in various locations."
    assert counts(body, headline="Counts get under way across Derbyshire") == [("count", None, "counting", None)]


@pytest.mark.parametrize(
    ("clock", "zone", "published_at", "election_date", "expected"),
    [
        ((3, 45), "", AT_0024, None, datetime(2024, 7, 5, 2, 45, tzinfo=UTC)),
        # a post at 23:30 BST on polling day: 03:45 is after midnight
        ((3, 45), "", datetime(2024, 7, 4, 22, 30, tzinfo=UTC), None, datetime(2024, 7, 5, 2, 45, tzinfo=UTC)),
        # a post at 02:00 BST mentioning 23:50: that was the evening before
        ((23, 50), "", datetime(2024, 7, 5, 1, 0, tzinfo=UTC), None, datetime(2024, 7, 4, 22, 50, tzinfo=UTC)),
        ((3, 45), "", None, date(2024, 7, 4), datetime(2024, 7, 5, 2, 45, tzinfo=UTC)),
        ((22, 0), "", None, date(2024, 7, 4), datetime(2024, 7, 4, 21, 0, tzinfo=UTC)),
        ((3, 9), "gmt", None, date(2019, 12, 12), datetime(2019, 12, 13, 3, 9, tzinfo=UTC)),
        ((3, 9), "", None, date(2019, 12, 12), datetime(2019, 12, 13, 3, 9, tzinfo=UTC)),  # winter: London is UTC
        ((3, 0), "", None, None, None),
    ],
)  # fmt: skip
def test_resolve_time(
    clock: tuple[int, int],
    zone: str,
    published_at: datetime | None,
    election_date: date | None,
    expected: datetime | None,
) -> None:
    assert resolve_time(*clock, zone, published_at, election_date) == expected


def test_expected_without_a_post_time_uses_the_election_day() -> None:
    assert counts("Bolsover's predicted to declare at about 03:45.", published_at=None) == [
        ("count", "Bolsover", "expected", "2024-07-05T02:45:00+00:00")
    ]


def recounts(body: str, headline: str | None = None) -> list[tuple[object, ...]]:
    """Through the whole chain: a recount's seat may come from a flash an earlier rule read."""
    return views(e for e in find_events(post(body, headline)) if isinstance(e, Recount))


@pytest.mark.parametrize(
    ("body", "headline", "expected"),
    [
        ("We are still waiting for results in Derbyshire Dales but many of the counters have stopped counting. "
         "Some ballot papers are being re-thumbed. It seems like a result might be close.",
         "Still no results in Derbyshire Dales", [("recount", "Derbyshire Dales", "possible")]),
        ("Some ballot papers are being re-thumbed.", "Still no results in Derbyshire Dales",
         [("recount", "Derbyshire Dales", "possible")]),
        ("A recount has been requested in Bolsover", None, [("recount", "Bolsover", "requested")]),
        ("The Conservatives have asked for a recount.", "Derbyshire Dales",
         [("recount", "Derbyshire Dales", "requested")]),
        ("A recount is under way in Hendon", None, [("recount", "Hendon", "under_way")]),
        ("Recount at Hendon", None, [("recount", "Hendon", "under_way")]),
        ("Hendon is going to a recount", None, [("recount", "Hendon", "under_way")]),
        ("The recount has finished in Hendon", None, [("recount", "Hendon", "completed")]),
        ("After a recount, Labour hold Hendon", None, [("recount", "Hendon", "completed")]),
        ("Talk of a possible recount in Hendon", None, [("recount", "Hendon", "possible")]),
        ("There was a recount in 2019", None, []),
        ("There will be no recount in Hendon", None, []),
        ("Nothing to see here", None, []),
        ("A recount has been requested in Oldham West, Chadderton and Royton after a close count.", None,
         [("recount", "Oldham West, Chadderton and Royton", "requested")]),
        ("Recount in Bolsover, Labour sources say", None, [("recount", "Bolsover", "under_way")]),
    ],
)  # fmt: skip
def test_recounts(body: str, headline: str | None, expected: list[tuple[object, ...]]) -> None:
    assert recounts(body, headline) == expected


def polls(body: str) -> list[tuple[object, ...]]:
    return views(exit_poll_rule(post(body), ()))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("The exit poll suggests Labour will win 410 seats, the Conservatives 131, the Lib Dems 61, Reform 13 "
         "and the SNP 10, giving Labour a majority of 170.",
         [("exit_poll", (("LAB", 410), ("CON", 131), ("LD", 61), ("REF", 13), ("SNP", 10)), 170, "LAB")]),
        ("Exit poll\n• Labour: 410 seats\n• Conservative: 131 seats",
         [("exit_poll", (("LAB", 410), ("CON", 131)), None, "LAB")]),
        ("The exit poll is out. Labour 410 seats, Conservatives 131.",
         [("exit_poll", (("LAB", 410), ("CON", 131)), None, "LAB")]),
        ("He says the exit poll shows the Conservatives can't stop a Labour landslide.", []),
        ("This exit poll, if it's correct, means there will be Tories across Derbyshire that will lose jobs.", []),
        ("Labour have already taken 368 seats nationally", []),
        ("Exit poll: Labour on 36%, Conservatives on 24%", []),
    ],
)  # fmt: skip
def test_exit_polls(body: str, expected: list[tuple[object, ...]]) -> None:
    assert polls(body) == expected


def test_the_seat_carries_from_the_sentence_before_and_the_headline() -> None:
    body = (
        "Verification of the Bolsover ballot papers, followed by the count itself, should be under way by about "
        "01:00 BST.\nThe declaration there is now expected at around 03:45."
    )
    assert counts(body, headline="Bolsover could declare earlier than expected") == [
        ("count", "Bolsover", "verification", None),
        ("count", "Bolsover", "expected", "2024-07-05T02:45:00+00:00"),
    ]
    assert counts("The declaration there is now expected at around 03:45.", headline="Bolsover count latest") == [
        ("count", "Bolsover", "expected", "2024-07-05T02:45:00+00:00")
    ]


@pytest.mark.parametrize(
    ("body", "published_at", "expected_at"),
    [
        # before midnight, a time after it: the next day
        ("Bolsover's result is expected at 00:30", AT_2350, "2024-07-04T23:30:00+00:00"),
        ("Bolsover's result is expected at 03:45", AT_2350, "2024-07-05T02:45:00+00:00"),
        # after midnight, a time before it: the evening before
        ("The Bolsover declaration was expected at 23:50", datetime(2024, 7, 5, 0, 30, tzinfo=UTC),
         "2024-07-04T22:50:00+00:00"),
        ("The Bolsover declaration is now expected at 6.15am", datetime(2024, 7, 5, 3, 0, tzinfo=UTC),
         "2024-07-05T05:15:00+00:00"),
        # in winter, London is on GMT
        ("The Bolsover declaration is expected at 03:45", datetime(2019, 12, 12, 23, 30, tzinfo=UTC),
         "2019-12-13T03:45:00+00:00"),
    ],
)  # fmt: skip
def test_times_in_the_text_across_midnight(body: str, published_at: datetime, expected_at: str) -> None:
    [(_, seat, stage, moment)] = counts(body, published_at=published_at)
    assert (seat, stage, moment) == ("Bolsover", "expected", expected_at)


def test_one_recount_per_seat_at_the_furthest_stage_the_post_states() -> None:
    assert recounts(
        "We understand a recount has been requested in Derbyshire Dales.", "Recount in Derbyshire Dales"
    ) == [("recount", "Derbyshire Dales", "requested")]
    assert recounts("A recount was requested in Hendon. The recount is now under way in Hendon.") == [
        ("recount", "Hendon", "under_way")
    ]
    assert recounts("Recount in Hendon", None) == [("recount", "Hendon", "under_way")]


@pytest.mark.parametrize(
    ("body", "headline", "stage"),
    [
        # modality: whatever the stage, it is only possible
        ("We are hearing that a recount may be requested in Hendon.", None, "possible"),
        ("We are hearing that a recount may be requested in Hendon.", "Recount in Hendon?", "possible"),
        ("A recount may be requested.", "Recount in Hendon", "possible"),
        ("There may be a recount in Hendon", None, "possible"),
        ("Hendon could be going to a recount", None, "possible"),
        ("Candidates may request a recount in Hendon", None, "possible"),
        ("A recount might be under way in Hendon", None, "possible"),
        ("A recount is likely to be called in Hendon", None, "possible"),
        ("A recount is possible in Hendon", None, "possible"),
        ("Recount in Hendon?", None, "possible"),
        # requested
        ("A recount has been requested in Hendon", None, "requested"),
        ("A recount has been called in Hendon", None, "requested"),
        ("Labour have called a recount in Hendon", None, "requested"),
        ("Theresa May has asked for a recount in Maidenhead", None, "requested"),  # a name, not a modal
        ("A recount has been requested in Hendon, and it could take hours", None, "requested"),
        # under way
        ("A recount is under way in Hendon", None, "under_way"),
        ("A recount is taking place in Hendon", None, "under_way"),
        ("Recounting in Hendon", None, "under_way"),
        ("It could be close in Hendon, but a recount is under way", None, "under_way"),
        # completed
        ("The recount has finished in Hendon", None, "completed"),
        ("The recount has been completed in Hendon", None, "completed"),
        ("The recounts are over in Hendon", None, "completed"),
        ("Labour hold Hendon after a recount", None, "completed"),
        ("Labour hold Hendon following a lengthy recount", None, "completed"),
    ],
)  # fmt: skip
def test_recount_stages(body: str, headline: str | None, stage: str) -> None:
    [(_, seat, found)] = recounts(body, headline)
    assert (seat, found) == ("Maidenhead" if "Maidenhead" in body else "Hendon", stage)


_COUNT_TEXT = phrases(
    ["Counting", "COUNT", "counts", "county", "has", "started", "Declaration", "expected", "at", "03:45", "Results",
     "are", "due", "Verification", "complete", "delayed", "re-count", "recounted", "thumbs", "Exit", "poll",
     "forecast", "is", "now", "under way", "Bolsover", "the", "a", "any minute", "Shortly", "imminently",
     "within the next", "in the next 10 minutes", "hour", "very soon", "of", "in", "at", "for", "no", "not", "without",
     "ruled out", "avoided", "be", "need", "going to", "Recount", "recounts", "recounting", "rethumbed",
     "has been", "completed", "finished", "after", "following", "full", "second", "requested", "called for",
     "demanding", "asked for", "sought", "another", "taking place", "there is", "we have", "ordered",
     "being", "possible", "likely", "looming", "on the cards"],
    max_size=12,
)  # fmt: skip


@given(_COUNT_TEXT)
def test_an_ascii_sentence_is_asked_in_lower_case_with_the_same_answer(text: str) -> None:
    for searcher in _SEARCHERS:
        found, plain = searcher.search(text, text.lower()), searcher.pattern.search(text)
        assert (found and found.span()) == (plain and plain.span())
        every = [m.span() for m in searcher.pattern.finditer(text)]
        assert [m.span() for m in searcher.finditer(text, text.lower())] == every


_MODULE_SEARCHERS = {id(v): v for m in (count, count_seat, exit_poll, recount) for v in vars(m).values()
                     if isinstance(v, Searcher)}  # fmt: skip
_SEARCHERS = [*_MODULE_SEARCHERS.values(), *(searcher for _, searcher in recount._RECOUNT_STAGES)]


def test_every_searcher_is_asked() -> None:
    assert len(_SEARCHERS) == 13


_SEAT_TEXT = phrases(
    ["in", "at", "for", "of", "the", "Bolsover", "Derby North", "within", "Oldham West,", "Chadderton and Royton",
     "in the", "count", "main", "of the Erewash", "Mid Derbyshire", "x"],
    max_size=10,
)  # fmt: skip


@given(_SEAT_TEXT)
def test_seats_after_in_at_for_are_found_where_the_pattern_finds_them(text: str) -> None:
    found = [m.span("seat") for m in matches_at(count_seat._SEAT_AFTER, text, count_seat._SEAT_AFTER_STARTS)]
    assert found == [m.span("seat") for m in count_seat._SEAT_AFTER.finditer(text)]


_BEFORE_TEXT = phrases(["Bolsover", "count", "the", "is", "(Lab)", "-", "...", "Derby's", "x" * 150, "?'s", "a,b"])


@given(_BEFORE_TEXT, st.integers(min_value=0, max_value=400))
def test_the_words_before_a_keyword_are_the_prefix_read_afresh(text: str, at: int) -> None:
    _reading.clear_memos()
    at = min(at, len(text))
    assert list(count_seat._tokens_before(text, at)) == tokens(text[:at][-200:])
    assert list(count_seat._first_tokens(text)) == tokens(text[:200])
