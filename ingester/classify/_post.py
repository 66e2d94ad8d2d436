"""A post read once: what every rule asks of its text, each part worked out the first time one asks.

Every rule of the chain reads the same post, and most first ask a cheap question of the whole of it
(a word it needs, a digit, two figures for a list) so that a post it cannot fire on costs it next to
nothing. The answers are kept for the post being read (the last one asked about: the chain reads one
post at a time), so each is worked out once: the text, normalised and in lower case, its lines, its
sentences, whether it holds figures, its words. They are pure functions of the post's text, so
keeping them changes no rule's result.

(One entry, found by the post's identity, where a memo per part would hash the text for each and
keep a copy of each answer: a post is frozen, and the entry holds it, so the same object is the same
post. A reader takes the entry once and works on it alone: a rule that fills a part fills it with the
same value whichever reader fills it first. Each reader looks the entry up itself, rather than through
a shared helper: rules ask these questions a dozen times a post, and a call is a cost.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import msgspec

from ingester.classify._scan import digit_runs, words
from ingester.classify._text import Sentence, normalise, sentences
from ingester.classify.base import RuleInput


class Scan(msgspec.Struct, frozen=True, gc=False):
    lower: str  # the normalised text (``_text.MAX_TEXT`` characters at most) in lower case
    digits: bool  # whether it holds a digit
    numbers: int  # how many runs of digits it holds, counted up to two: a list needs two figures


class _Read:
    """One post's text and what has been worked out of it so far."""

    __slots__ = ("lines", "lower", "normalised", "post", "scan", "sentences", "text", "words")

    def __init__(self, post: RuleInput | None) -> None:
        self.post = post
        self.text = post.text if post is not None else ""
        self.normalised: str | None = None
        self.lower: str | None = None
        self.lines: tuple[str, ...] | None = None
        self.sentences: tuple[Sentence, ...] | None = None
        self.scan: Scan | None = None
        self.words: tuple[str, ...] | None = None


_LAST: Final = [_Read(None)]


def _start(post: RuleInput) -> _Read:
    read = _LAST[0] = _Read(post)
    return read


def forget() -> None:
    """Drop the post read last (benchmarks and tests that read a text from scratch)."""
    _LAST[0] = _Read(None)


def post_text(post: RuleInput) -> str:
    """``post.text``: the headline and the body as one text, built once."""
    read = _LAST[0]
    return (read if read.post is post else _start(post)).text


def _normalised(read: _Read) -> str:
    if read.normalised is None:
        read.normalised = normalise(read.text)
    return read.normalised


def post_lower(post: RuleInput) -> str:
    """The post's normalised text in lower case: rules look for their words in it before reading on."""
    read = _LAST[0]
    if read.post is not post:
        read = _start(post)
    if read.lower is None:
        read.lower = _normalised(read).lower()
    return read.lower


def text_lines(post: RuleInput) -> Sequence[str]:
    """The post's normalised lines (headline first), stripped; empty lines kept as ``""``."""
    read = _LAST[0]
    if read.post is not post:
        read = _start(post)
    if read.lines is None:
        read.lines = tuple(map(str.strip, _normalised(read).splitlines()))
    return read.lines


def post_sentences(post: RuleInput) -> Sequence[Sentence]:
    """The post's sentences (see :func:`_text.sentences`)."""
    read = _LAST[0]
    if read.post is not post:
        read = _start(post)
    if read.sentences is None:
        read.sentences = tuple(sentences(text_lines(post)))
    return read.sentences


def scan(post: RuleInput) -> Scan:
    """The post's text in lower case and whether it holds figures: a rule's first questions."""
    read = _LAST[0]
    if read.post is not post:
        read = _start(post)
    if read.scan is None:
        lower = post_lower(post)
        numbers = digit_runs(lower)  # (a text holds a digit where it holds a run of them)
        read.scan = Scan(lower, numbers > 0, numbers)
    return read.scan


def post_words(post: RuleInput) -> tuple[str, ...]:
    """The words of the post in lower case (:func:`_scan.words`), to ask at once whether any of some
    words is there."""
    read = _LAST[0]
    if read.post is not post:
        read = _start(post)
    if read.words is None:
        read.words = tuple(words(post_lower(post)))
    return read.words
