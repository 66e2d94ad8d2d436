"""Cheap questions asked of a text before it is read in full (the post's answers are kept by :mod:`_post`).

Most rules need a word or a digit that most posts lack ("party votes", "recount", a number): the
words of a text (punctuation set apart, as the rules' tokens have it), its runs of digits, whether it
holds one of some words. A rule that finds nothing it needs returns at once; a rule that can fire
reads on exactly as before, so these questions change no rule's result, only its cost.

``str.translate`` with a table looks up every character; for ASCII text (most posts, and the words
of every English sentence) ``bytes.translate`` does the same at the speed of a copy.

A pattern search tries the pattern at every position of the text, and Python's engine finds no
shortcut for most of the rules' patterns (a word boundary or an alternation first, a case-insensitive
flag): :func:`first_match` tries a pattern only where one of the words its matches start with starts,
and :class:`EndWords` asks whether a text ends with one of some words by matching the mirror image of
the question once, at the start of the text reversed; :func:`matches_at` finds every match where
such words start, and :class:`Searcher` asks a case-insensitive pattern of an ASCII text as its
case-sensitive twin of the text in lower case, so. Each gives the plain search's answer
(``tests/classify`` proves it), at a fraction of its cost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

from ingester.classify._text import has_any

# Punctuation that stands between words ("Erewash," "(Lab)" "Tories'"): replaced by spaces, so that
# what is left splits into the words the rules look for.
_PUNCTUATION: Final = "\"'.,;:!?()[]{}\u2022*/"
_TO_SPACE: Final = str.maketrans(dict.fromkeys(_PUNCTUATION, " "))
_ASCII_PUNCTUATION: Final = bytes(ch for ch in _PUNCTUATION.encode("ascii", "ignore"))
_ASCII_TO_SPACE: Final = bytes.maketrans(_ASCII_PUNCTUATION, b" " * len(_ASCII_PUNCTUATION))
_DIGIT_RUN: Final = re.compile(r"\d+")
_ONLY_DIGITS: Final = bytes(byte if chr(byte) in "0123456789" else 32 for byte in range(256))


def words(lower: str) -> list[str]:
    """The words of a (lower-case) text: split at spaces once punctuation is a space."""
    if lower.isascii():
        return lower.encode("ascii").translate(_ASCII_TO_SPACE).decode("ascii").split()
    return lower.translate(_TO_SPACE).split()


def digit_runs(text: str, most: int = 2) -> int:
    """How many runs of digits the text holds (at most ``most``): "17,591 and 8" has three."""
    if text.isascii():  # (at most ``most`` pieces are split off: the rest stays one piece)
        return min(most, len(text.encode("ascii").translate(_ONLY_DIGITS).split(None, most)))
    found = 0
    for _ in _DIGIT_RUN.finditer(text):
        found += 1
        if found == most:
            break
    return found


def may_hold(lower: str, needles: Iterable[str]) -> bool:
    """Whether a text (in lower case) may match a pattern that cannot match without one of
    ``needles`` (lower case): a cheap question to ask before the pattern's pass over the text.

    Only ASCII text is judged: a case-insensitive pattern also matches "ſ" for "s", "ı" for "i" and
    "\u212a" for "k", which no lower-case substring test sees, so for other text the answer is yes."""
    return not lower.isascii() or has_any(lower, needles)


def first_match(pattern: re.Pattern[str], lower: str, stems: Sequence[str]) -> re.Match[str] | None:
    """``pattern.search(lower)`` for a pattern whose every match starts with one of ``stems``: the
    pattern is tried only where a stem starts (a search tries every position, and most of the text
    holds no stem), and the first match wins."""
    best: re.Match[str] | None = None
    for stem in stems:
        if stem not in lower:  # (most are not: ``in`` is a cheaper question than ``find``)
            continue
        at = lower.find(stem)
        while at >= 0 and (best is None or at < best.start()):
            found = pattern.match(lower, at)
            if found is not None:
                best = found
                break
            at = lower.find(stem, at + 1)
    return best


def matches_at(pattern: re.Pattern[str], text: str, stems: Sequence[str]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose every match starts with one of ``stems`` (and
    none is empty): the pattern is tried only where a stem starts, left to right, past each match."""
    found_at = {at for stem in stems if stem in text for at in _occurrences(text, stem)}
    end = 0
    for at in sorted(found_at):
        if at >= end and (found := pattern.match(text, at)) is not None:
            end = found.end()
            yield found


def _occurrences(text: str, stem: str) -> Iterator[int]:
    at = text.find(stem)
    while at >= 0:
        yield at
        at = text.find(stem, at + 1)


class EndWords:
    """The question ``\\b(?:W1|W2|...)\\s(?:Q1\\s|Q2\\s)?$`` (case-insensitive) of the end of a text:
    does it end with one of ``words``, a space, and maybe one of ``qualifiers`` and a space ("won
    just ", "nearly ")? A search tries the pattern at every position; for an ASCII text (with no line
    break, where ``$`` could also stand) its mirror image is matched once, at the start of the text
    reversed. ``pattern`` is the plain form, for other text."""

    __slots__ = ("mirror", "pattern", "qualifiers", "words")

    def __init__(self, words: Iterable[str], qualifiers: Iterable[str] = ()) -> None:
        words, qualifiers = tuple(words), tuple(qualifiers)
        self.words, self.qualifiers = words, qualifiers
        either = "|".join(map(re.escape, words))
        maybe = "(?:" + "|".join(re.escape(q) + r"\s" for q in qualifiers) + ")?" if qualifiers else ""
        self.pattern = re.compile(rf"(?i:\b(?:{either})\s{maybe}$)")
        mirrored = "|".join(re.escape(w[::-1]) for w in words)
        mirrored_maybe = "(?:" + "|".join(r"\s" + re.escape(q[::-1]) for q in qualifiers) + ")?" if qualifiers else ""
        self.mirror = re.compile(rf"{mirrored_maybe}\s(?:{mirrored})(?!\w)")

    def ends(self, text: str) -> bool:
        if text.isascii() and "\n" not in text:
            return self.mirror.match(text.lower()[::-1]) is not None
        return self.pattern.search(text) is not None


class Searcher:
    """A case-insensitive pattern (its literals in lower case), searched fast: in an ASCII text as its
    case-sensitive twin in the text in lower case, tried only where one of ``starts`` (the words every
    match starts with) starts (:func:`first_match`): the same match at the same place, at a fraction
    of the cost. ``pattern`` is the plain form, for other text and for other questions."""

    __slots__ = ("pattern", "starts", "twin")

    def __init__(self, pattern: re.Pattern[str], starts: Sequence[str]) -> None:
        self.pattern = pattern
        self.twin = re.compile(pattern.pattern)
        self.starts = tuple(starts)

    def search(self, text: str, lower: str) -> re.Match[str] | None:
        """``pattern.search(text)``; ``lower`` is ``text.lower()``."""
        if text.isascii():
            return first_match(self.twin, lower, self.starts)
        return self.pattern.search(text)

    def finditer(self, text: str, lower: str) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)``, as spans (the twin's matches are of ``lower``)."""
        if text.isascii():
            return matches_at(self.twin, lower, self.starts)
        return self.pattern.finditer(text)
