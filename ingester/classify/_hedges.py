"""What a sentence says of itself: a projection or a forecast, a modal or a hope, another year's story.

Declaration rules read none of these as tonight's facts: a sentence that is speculative or dates itself
to another election is background (:func:`background`), an aside that dates itself ("who was first
elected in 2019") is set aside first (:func:`main_clause`), and a verb after a modal, an infinitive or
a negation is a hope or a denial (:func:`hedged_before`). Each pattern is asked only once the words it
cannot match without are there: most sentences have none.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Final

from ingester.classify._text import Token, has_any

# Anywhere in a sentence: it speaks of a projection, a forecast or a hypothesis, not a declaration.
_SPECULATIVE: Final = re.compile(  # matched against the lower-cased sentence
    r"\b(?:exit[- ]polls?|forecast\w{0,3}|projections?|projected|predict\w{0,4}|neck[- ]and[- ]neck"
    r"|on (?:course|track)|if|hypothetical\w{0,2}|would have|estimate[sd]?|poll(?:s|ing)? (?:show|suggest)\w{0,2}"
    r"|mrp|swingometer)\b"
)
# Just before a verb: a modal, an infinitive or a negation turns a call into a hope or a denial.
_HEDGE_WORDS: Final = frozenset(
    {
        "could", "would", "might", "may", "will", "shall", "should", "can", "must", "to", "not", "never",
        "won't", "can't", "cannot", "couldn't", "wouldn't", "didn't", "doesn't", "don't", "hope", "hopes",
        "hoping", "hoped", "likely", "unlikely", "expected", "expect", "expects", "set", "bid", "aim",
        "aims", "aiming", "want", "wants", "wanted", "fail", "fails", "failed", "try", "tries", "trying",
        "going", "need", "needs", "plan", "plans", "hopeful", "possibly", "probably",
    }
)  # fmt: skip
_YEAR_PHRASE: Final = re.compile(r"\b(?:in|during|at|of|the|from|until|before|after|by) (?:the )?((?:19|20)\d\d)\b")


_MODAL: Final = re.compile(r"\b(?:could|would|might|may|will|'ll|should|hopes?|hoping|aims?|set to|on course)\b")
# Every match of ``_MODAL`` holds one of these (asked first: most sentences hold none).
_MODAL_STEMS: Final = ("could", "would", "might", "may", "will", "'ll", "should", "hop", "aim", "set to", "on course")


def modal(sentence: str) -> bool:
    """A modal or a hope anywhere in the sentence (lower case, so "Theresa May" is not one; nor is a
    first name that opens it, "Will Stone wins ...")."""
    text = sentence if _NAMED_OPENING.match(sentence) else sentence[:1].lower() + sentence[1:]
    return has_any(text, _MODAL_STEMS) and _MODAL.search(text) is not None


# A modal's word as a first name: "Will Stone wins", "May Lee has held" (see ``_opens_with_a_name``).
_NAMED_OPENING: Final = re.compile(
    r"(?:Will|May|Hope) [A-Z][\w'-]{1,30} (?:[A-Z][\w'-]{1,30} )?(?:has |have )?"
    r"(?:[a-z]{1,20}(?:s|ed)|won|took|held|kept|lost|beat)\b"
)


def speculative(sentence: str) -> bool:
    lower = sentence.lower()
    return has_any(lower, _SPECULATIVE_STEMS) and _SPECULATIVE.search(lower) is not None


# Every match of ``_SPECULATIVE`` holds one of these: asked first, as most sentences hold none.
_SPECULATIVE_STEMS: Final = (
    "if", "poll", "exit", "forecast", "project", "predict", "neck", "on course", "on track", "hypothetical",
    "would have", "estimate", "mrp", "swingometer",
)  # fmt: skip


def hedged_before(toks: Sequence[Token], index: int, window: int = 6) -> bool:
    """A modal, infinitive or negation among the few words before token ``index``.

    Case matters past the first word, so that "Theresa May" is not the modal "may".
    """
    start = max(0, index - window)
    if start == 0 and index > 0:
        first = toks[0].low
        if (first in _HEDGE_WORDS or first.endswith("n't")) and not _opens_with_a_name(toks, index):
            return True
        start = 1
    if start >= index:
        return False
    words = [t.word for t in toks[start:index]]
    # (the words joined, each ended by a mark: "n't" ends a word where "n't" and the mark meet)
    return not _HEDGE_WORDS.isdisjoint(words) or "n't\x00" in "\x00".join(words) + "\x00"


def _opens_with_a_name(toks: Sequence[Token], verb: int) -> bool:
    """ "Will Stone wins Swindon North": a capitalised first word before another is a first name when
    the first verb after them is inflected, as no modal allows ("Will Labour win ...?" is a question)."""
    if len(toks) < 3 or not toks[0].cap or not toks[1].cap or toks[0].stops:
        return False
    after = next((t.low for t in toks[2 : verb + 1] if not t.cap), toks[verb].low)
    return after.endswith(("s", "ed")) or after in _IRREGULAR_PAST


_IRREGULAR_PAST: Final = frozenset(
    {
        "won",
        "took",
        "taken",
        "held",
        "kept",
        "hung",
        "clung",
        "went",
        "gone",
        "fell",
        "lost",
        "swung",
        "beat",
        "re-elected",
    }
)


def other_year(sentence: str, year: int | None) -> bool:
    """The sentence dates itself to another election ("in 2019"): background, not a result tonight.

    (What ``_YEAR_PHRASE`` finds, found from the years: each year is read backwards for the words
    before it, rather than the phrase's words looked for at every place in the sentence.)"""
    if "19" not in sentence and "20" not in sentence:
        return False
    lower = sentence.lower()
    for found in _ANY_YEAR.finditer(lower):
        if int(found.group()) != year and _YEAR_WORDS_BEHIND.match(
            lower[max(0, found.start() - 16) : found.start()][::-1]
        ):
            return True
    return False


# ``_YEAR_PHRASE``'s words before its year, mirrored: "in the 2019" reads " eht ni" back from the year.
_YEAR_WORDS_BEHIND: Final = re.compile(r"(?: eht)? (?:ni|gnirud|ta|fo|eht|morf|litnu|yb)(?!\w)")


# An aside that dates itself to another time: ", who was first elected in 2019," / ", which he won in
# 2019" / ", who had held it since 2019". It is background inside a sentence that may be news.
_ASIDE: Final = re.compile(
    r",\s(?:who|which|whose|where|having|after|when)\b[^,;:]{0,240}(?=,|$)"  # to the next comma or the end
    r"|,\s[^,;:]{1,80}(?=,)"  # any short aside between commas: ", first elected in 2019,"
)
# "1987", "2024" as a word. (It starts with a digit so that the engine skips ahead to one; the
# lookbehind after that digit is the word boundary before it.)
_ANY_YEAR: Final = re.compile(r"(?:1(?<!\w1)9|2(?<!\w2)0)\d\d\b")


def _may_name_a_year(text: str) -> bool:
    return ("19" in text or "20" in text) and _ANY_YEAR.search(text) is not None


def main_clause(sentence: str, year: int | None) -> str:
    """The sentence without its asides that name another year than ``year`` (see ``_ASIDE``)."""
    if "," not in sentence or not _may_name_a_year(sentence):
        return sentence
    return _ASIDE.sub(lambda m: _drop_dated(m, year), sentence)


def _drop_dated(aside: re.Match[str], year: int | None) -> str:
    if not any(int(y.group()) != year for y in _ANY_YEAR.finditer(aside.group())):
        return aside.group()
    return ""


@functools.lru_cache(maxsize=512)
def background(sentence: str, year: int | None) -> bool:
    """A projection or another year's story: what a declaration rule may not read. (Several rules
    ask of the same sentence: the memo answers the later ones.)"""
    return speculative(sentence) or other_year(sentence, year)
