"""Exit poll: a sentence (or list) about an exit poll, a projection or a forecast with seats per party:
"The exit poll suggests Labour will win 410 seats, the Conservatives 131 ...".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from ingester.classify._post import post_lower, post_sentences, text_lines
from ingester.classify._reading import analyse
from ingester.classify._scan import Searcher
from ingester.classify._text import has_any
from ingester.classify.base import RuleInput
from ingester.classify.tally import may_pair, seat_lists, seat_pairs
from ingester.events import ExitPoll, Party, SeatCount, TypedEvent

EXIT_POLL: Final = Searcher(
    re.compile(r"\bexit[- ]polls?\b|\bprojection\b|\bprojected\b|\bforecast\b", re.I),
    ("exit", "projection", "projected", "forecast"),
)
_MAJORITY: Final = re.compile(r"\bmajority of (?P<n>\d{1,3})\b")


def exit_poll_rule(post: RuleInput, found: Sequence[TypedEvent]) -> list[ExitPoll]:
    if not has_any(post_lower(post), ("exit poll", "exit-poll", "projection", "projected", "forecast")):
        return []
    lines = text_lines(post)
    polls: list[tuple[tuple[SeatCount, ...], int | None]] = []
    for seat_list in seat_lists(lines):
        if EXIT_POLL.pattern.search(seat_list.context):
            polls.append((seat_list.seats, _majority(seat_list.context)))
    all_sentences = post_sentences(post)
    for index, sentence in enumerate(all_sentences):
        if not EXIT_POLL.search(sentence.text, sentence.text.lower()):
            continue
        text = sentence.text
        following = all_sentences[index + 1] if index + 1 < len(all_sentences) else None
        pairs = _poll_pairs(text)
        if not pairs and following is not None and following.line == sentence.line:
            text = f"{text} {following.text}"
            pairs = _poll_pairs(text)
        if pairs:
            polls.append((tuple(pairs), _majority(text)))
    out: list[ExitPoll] = []
    for seats, majority in polls:
        if all(seats != e.seats for e in out):
            out.append(ExitPoll(**post.envelope, seats=seats, majority=majority, winner=_largest(seats)))
    return out


def _poll_pairs(text: str) -> list[SeatCount]:
    if not may_pair(text):
        return []
    found = analyse(text)
    pairs = seat_pairs(found.toks, found.mentions, need_unit=False)
    with_unit = seat_pairs(found.toks, found.mentions, need_unit=True)
    return pairs if len(pairs) >= 2 or with_unit else []


def _majority(text: str) -> int | None:
    match = _MAJORITY.search(text)
    return int(match["n"]) if match else None


def _largest(seats: tuple[SeatCount, ...]) -> Party | None:
    ranked = sorted(seats, key=lambda s: -s.seats)
    if not ranked or (len(ranked) > 1 and ranked[0].seats == ranked[1].seats):
        return None
    return ranked[0].party
