"""Recount: "recount requested" / "has been called" (requested), "recount under way" / "is taking place"
/ "recounting" / "going to a recount" (under_way), "after a recount" / "the recount has finished"
(completed), "ballot papers are being re-thumbed" / "possible recount" (possible: the contract's
"count in doubt"; a bare mention of a recount is taken as possible too). A modal in the recount's
clause before its stage makes any stage possible: "a recount may be requested", "Hendon could be
going to a recount", "a recount might be under way"; so does a question ("Recount in Hendon?").

The seat is found as for count progress (:mod:`count_seat`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Literal

from ingester.classify._hedges import other_year
from ingester.classify._post import post_lower, post_sentences
from ingester.classify._scan import Searcher
from ingester.classify._text import election_year, has_any
from ingester.classify.base import RuleInput
from ingester.classify.count_seat import sentence_seat
from ingester.classify.places import DEFAULT, Places
from ingester.events import Recount, TypedEvent

RecountStage = Literal["possible", "requested", "under_way", "completed"]

RECOUNT: Final = Searcher(
    re.compile(r"\b(?:re-?counts?|re-?counting|re-?counted|re-?thumb\w{0,4})\b", re.I),
    ("recount", "re-count", "rethumb", "re-thumb"),
)
_NO_RECOUNT: Final = Searcher(
    re.compile(
        r"\b(?:no|without|ruled out|avoid\w{0,3}) (?:a |the )?(?:full )?re-?count"
        r"|\bnot (?:be |need |going to (?:be )?)?(?:a )?re-?count",
        re.I,
    ),
    ("no", "without", "ruled out", "avoid"),  # ("not" starts with "no")
)
_RECOUNT_STAGES: Final[tuple[tuple[RecountStage, Searcher], ...]] = (
    ("completed", Searcher(re.compile(
        r"\bre-?counts? (?:has |have |was |were |is |are )?(?:been |now )?(?:completed?|finished|over|concluded"
        r"|ended|done)\b"
        r"|\b(?:after|following) (?:a |the )?(?:full |second |third |partial |lengthy |long )?re-?counts?\b",
        re.I), ("recount", "re-count", "after", "following"))),
    ("requested", Searcher(re.compile(
        r"\bre-?count (?:has been |was |is being |being )?(?:requested|called|demanded|asked for|sought)\b"
        r"|\b(?:request\w{0,3}|call\w{0,3}(?: for)?|demand\w{0,3}|ask\w{0,3} for|seek\w{0,3}|sought)"
        r" (?:a |another )?(?:full )?re-?count\b",
        re.I), ("recount", "re-count", "request", "call", "demand", "ask", "seek", "sought"))),
    ("under_way", Searcher(re.compile(
        r"\bre-?count (?:is |now ){0,2}(?:under ?way|taking place|in progress|going on|has (?:started|begun)"
        r"|started|begun)\b"
        r"|\b(?:there is|there will be|we have|heading for|going to|gone to|ordered|granted|agreed)"
        r" (?:a )?(?:full )?re-?count\b"
        r"|\bre-?counting\b|\bbeing re-?counted\b", re.I),
        ("recount", "re-count", "there is", "there will be", "we have", "heading for", "going to", "gone to",
         "ordered", "granted", "agreed", "being"))),
    ("possible", Searcher(re.compile(r"re-?thumb|\b(?:possible|potential|likely|looming)\s+re-?count\b"
                                     r"|\bre-?count (?:is )?(?:possible|likely|on the cards)\b", re.I),
                          ("rethumb", "re-thumb", "possible", "potential", "likely", "looming", "recount",
                           "re-count"))),
)  # fmt: skip
# Every match of ``RECOUNT`` holds one of these (lower case).
RECOUNT_STEMS: Final = ("count", "thumb")


def recount_rule(post: RuleInput, found: Sequence[TypedEvent], places: Places = DEFAULT) -> list[Recount]:
    """One recount per seat a post speaks of, at the furthest stage it states; a headline such as
    "Recount in X" or a bare mention only when nothing in the post says more."""
    if not has_any(post_lower(post), ("recount", "re-count", "thumb")):
        return []
    year = election_year(post)
    all_sentences = post_sentences(post)
    best: dict[str, tuple[int, Recount]] = {}
    for index, sentence in enumerate(all_sentences):
        text = sentence.text
        lower = text.lower()
        mention = RECOUNT.search(text, lower)
        if mention is None or _NO_RECOUNT.search(text, lower) or other_year(text, year):
            continue
        stage, rank = _recount_stage(text, lower, mention.start())
        seat = sentence_seat(all_sentences, index, mention.start(), post=post, places=places, found=found)
        key = seat.name.casefold() if seat else ""
        if key not in best or rank > best[key][0]:
            best[key] = (rank, Recount(**post.envelope, constituency=seat, stage=stage))
    return [event for _, event in best.values()]


_PROGRESS: Final[tuple[RecountStage, ...]] = ("possible", "requested", "under_way", "completed")
_HEADLINE_RECOUNT: Final = re.compile(r"^re-?count (?:at|in|for)\b", re.I)
# Modality (case matters, so "Theresa May" is not the modal "may").
_RECOUNT_MODAL: Final = re.compile(
    r"\b(?:may|might|could|would|possibl[ey]|(?:un)?likely|potential(?:ly)?|perhaps|maybe|looming|on the cards)\b"
)
_CLAUSE_BREAK: Final = re.compile(r"[,;]\s|\s(?:and|but)\s")


def _recount_stage(text: str, lower: str, mention: int) -> tuple[RecountStage, int]:
    """(stage, rank): a stage a sentence states ranks above one taken from "Recount in X" or from a
    bare mention, and a later stage above an earlier one. ``mention`` is where "recount" starts;
    ``lower`` is the text in lower case."""
    stated = next(((s, m) for s, stage in _RECOUNT_STAGES if (m := stage.search(text, lower)) is not None), None)
    clause = _clause_start(text, mention)
    upto = max(mention, stated[1].end()) if stated is not None else len(text)
    if text.rstrip().endswith("?") or _RECOUNT_MODAL.search(_first_lower(text[clause:upto])):
        return "possible", 10
    if stated is None:
        return ("under_way", 1) if _HEADLINE_RECOUNT.search(text) else ("possible", 0)
    return stated[0], 10 + _PROGRESS.index(stated[0])


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding position ``at`` starts: after the last comma, semicolon, "and" or "but"
    before it."""
    found = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, at)]
    return found[-1] if found else 0


def _first_lower(text: str) -> str:
    """The text with its first letter in lower case: "May be a recount" is a modal, "Theresa May" not."""
    return text[:1].lower() + text[1:]
