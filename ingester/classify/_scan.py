"""A post read once, cheaply, so that each rule can tell at a glance whether it can fire at all.

Most rules need a word or a digit that most posts lack ("party votes", "recount", a number). The
scan gives every rule the same answers from one pass: the normalised text in lower case, its words
(punctuation set apart, as the rules' tokens have it) and whether it holds a digit. A rule that finds
nothing it needs returns at once; a rule that can fire reads on exactly as before, so the scan
changes no rule's result, only its cost.

``str.translate`` with a table looks up every character; for ASCII text (most posts, and the words
of every English sentence) ``bytes.translate`` does the same at the speed of a copy.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Final, NamedTuple

from ingester.classify._text import has_digit, lower_memo, post_text
from ingester.classify.base import RuleInput

# Punctuation that stands between words ("Erewash," "(Lab)" "Tories'"): replaced by spaces, so that
# what is left splits into the words the rules look for.
_PUNCTUATION: Final = "\"'.,;:!?()[]{}\u2022*/"
_TO_SPACE: Final = str.maketrans(dict.fromkeys(_PUNCTUATION, " "))
_ASCII_PUNCTUATION: Final = bytes(ch for ch in _PUNCTUATION.encode("ascii", "ignore"))
_ASCII_TO_SPACE: Final = bytes.maketrans(_ASCII_PUNCTUATION, b" " * len(_ASCII_PUNCTUATION))
_DIGIT_RUN: Final = re.compile(r"\d+")
_ONLY_DIGITS: Final = bytes(byte if chr(byte) in "0123456789" else 32 for byte in range(256))


class Scan(NamedTuple):
    lower: str  # the normalised text (``_text.MAX_TEXT`` characters at most) in lower case
    words: tuple[str, ...]  # its words, in order (see :func:`words`)
    digits: bool  # whether it holds a digit
    numbers: int  # how many runs of digits it holds, counted up to two: a list needs two figures


def words(lower: str) -> list[str]:
    """The words of a (lower-case) text: split at spaces once punctuation is a space."""
    if lower.isascii():
        return lower.encode("ascii").translate(_ASCII_TO_SPACE).decode("ascii").split()
    return lower.translate(_TO_SPACE).split()


def digit_runs(text: str, most: int = 2) -> int:
    """How many runs of digits the text holds (at most ``most``): "17,591 and 8" has three."""
    if text.isascii():
        return min(most, len(text.encode("ascii").translate(_ONLY_DIGITS).split()))
    found = 0
    for _ in _DIGIT_RUN.finditer(text):
        found += 1
        if found == most:
            break
    return found


def scan(post: RuleInput) -> Scan:
    return scan_memo(post_text(post))


@functools.lru_cache(maxsize=4)
def scan_memo(text: str) -> Scan:
    lower = lower_memo(text)
    digits = has_digit(lower)
    return Scan(lower, tuple(words(lower)), digits, digit_runs(lower) if digits else 0)


def may_hold(lower: str, needles: Iterable[str]) -> bool:
    """Whether a text (in lower case) may match a pattern that cannot match without one of
    ``needles`` (lower case): a cheap question to ask before the pattern's pass over the text.

    Only ASCII text is judged: a case-insensitive pattern also matches "ſ" for "s", "ı" for "i" and
    "\u212a" for "k", which no lower-case substring test sees, so for other text the answer is yes."""
    return not lower.isascii() or any(map(lower.__contains__, needles))
