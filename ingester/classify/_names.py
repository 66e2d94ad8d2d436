"""People's names in a sentence's tokens: the capitalised run before or after a word, and whether a
text is a name as results lists print it ("Toby Perkins", "Jo de la Bloggs"; not "Full Results")."""

from __future__ import annotations

from collections.abc import Container, Sequence
from typing import Final

from ingester.classify._text import DIGIT_CHARS, Token, has_digit

NAME_PARTICLES: Final = frozenset(
    {"van", "von", "den", "der", "de", "da", "di", "du", "la", "le", "del", "bin", "al", "the", "of", "ap"}
)
_NOT_NAMES: Final = frozenset(
    {
        "party", "results", "result", "full", "votes", "vote", "turnout", "majority", "elected", "mp",
        "mps", "constituency", "council", "election", "general", "uk", "bbc", "news",
        "leisure", "centre", "minister", "shadow", "parliament", "government", "seat", "seats",
    }
)  # fmt: skip


def is_name(text: str) -> bool:
    """A person's name as results lists print it: two to seven words, capitalised, no digits."""
    words = text.split()
    if not 2 <= len(words) <= 7 or (not DIGIT_CHARS.isdisjoint(text) if text.isascii() else has_digit(text)):
        return False
    bare = [word.strip("()\"'.,") for word in words]
    if not all(bare) or not bare[0][:1].isupper() or not bare[-1][:1].isupper():
        return False
    for word in bare:
        low = word.lower()
        if low in _NOT_NAMES or not (word[:1].isupper() or low in NAME_PARTICLES):
            return False
    return True


def name_before(toks: Sequence[Token], end: int, blocked: Container[int] = ()) -> tuple[str, int] | None:
    """The capitalised run (2-4 words) that ends just before token ``end``: (name, start index).

    ``blocked`` holds the indices of tokens that cannot be part of a name (a party's words).
    """
    start = end
    first = max(0, end - 4)
    while start > first:
        token = toks[start - 1]
        if not token.cap or token.possessive or (start < end and token.trail) or start - 1 in blocked:
            break
        if token.low in _NOT_NAMES:  # "MP Jo Bloggs": the name starts after the title
            break
        start -= 1
    if end - start < 2:
        return None
    name = run_name(toks[start:end])
    return (name, start) if name is not None else None


def name_after(toks: Sequence[Token], begin: int, blocked: Container[int] = ()) -> tuple[str, int] | None:
    """The capitalised run (2-4 words) that starts at token ``begin``: (name, end index)."""
    end = begin
    while end < len(toks) and end - begin < 4 and toks[end].cap and end not in blocked:
        end += 1
        if toks[end - 1].stops:
            break
    if end - begin < 2:
        return None
    name = run_name(toks[begin:end])
    return (name, end) if name is not None else None


def run_name(run: Sequence[Token]) -> str | None:
    """The words of a run of two to seven capitalised tokens joined, if they are a name (:func:`is_name`).

    (Words of letters only, as most are, cannot hold a digit or the punctuation :func:`is_name` strips,
    and are capitalised: of its questions only the title words' is left.)"""
    words = [t.word for t in run]
    name = " ".join(words)
    if all(map(str.isalpha, words)):
        return name if _NOT_NAMES.isdisjoint([t.low for t in run]) else None
    return name if is_name(name) else None
