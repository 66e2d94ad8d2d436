"""Numbers as pages write them: vote counts ("17,591", "19, 316") and small numbers in words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

# A count as pages print it: "17,591", "19, 316" (a stray space), "108". Bounded, so linear. (It starts
# with a digit so that the engine skips ahead to one; the lookbehind after that first digit asks what
# a leading ``(?<![\w.,])`` would: no word character, point or comma before the number.)
COUNT: Final = r"\d(?<![\w.,]\d)(?:\d{0,2}(?:, ?\d{3}){1,2}|\d{0,6})(?![\d])(?![.,]\d)"
_COUNT_RE: Final = re.compile(COUNT)
NUMBER_WORDS: Final = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}


def parse_count(text: str) -> int | None:
    """``"17,591"`` -> 17591, ``"19, 316"`` -> 19316, ``"eleven"`` -> 11; anything else -> None."""
    text = text.strip().lower()
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    digits = text.replace(",", "").replace(" ", "")
    return int(digits) if digits.isdigit() and len(digits) <= 9 else None


def counts(text: str) -> Iterator[re.Match[str]]:
    return _COUNT_RE.finditer(text)
