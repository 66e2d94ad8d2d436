"""Classification work grows linearly with the text, and no pattern can backtrack catastrophically.

Work is counted, not timed: the number of function calls (Python and C) the whole chain makes on a
text, for texts of one shape at doubling lengths (all under ``MAX_TEXT``, past which nothing is read).
A rule that does quadratic work would come close to four times the calls for twice the text.

Every regular expression of the classifier is checked too: a repeat without an upper bound may only
repeat a single character class and may not sit inside another repeat, so that no match attempt
can backtrack through more than a bounded number of ways; what is left is linear in the text.
"""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import re
import re._parser as sre  # type: ignore[import-not-found]
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ingester.classify
from ingester.classify import _reading
from ingester.classify.places import DEFAULT
from ingester.classify.rules import find_events

from .cases import post

_SIZES = (2_500, 5_000, 10_000, 20_000)
_NAMES = [f"{a}{b}ton {c}ley" for a in "BCDFGH" for b in "aeiou" for c in ("North", "South", "East", "West")]
_UNITS = {
    "calls": "Labour gain Bolsover from the Tories. ",
    "seats": "".join(f"Labour gain {n} from the Tories. Counting has started in {n}. " for n in _NAMES),
    "prose": "".join(
        f"{n.split()[0]} Bee received 12,345 votes in {n}, while Cy Dee got 2,000 votes. " for n in _NAMES
    ),
    "list": "Full results for Chesterfield:\n" + "Ann Bee, Labour - 1,234\nCy Dee, Conservative - 999\n" * 40,
    "bullets": "• Labour: 412 seats, 211 seats gained\n• Conservative: 121 seats, 251 seats lost\n",
    "digits": "1234567890",
    "dashes": "-",
    "brackets": "((((Labour [gain {Bolsover",
    "mixed scripts": "Ωμέγα 中文 Labour’s Ann Bee wins Bolsover from the Tories. Ynys Môn، مرحبا ",
    "losses": "In Erewash, Conservative Maggie Throup lost her seat to Labour's Adam Thompson. ",
    "blocks": "Labour, with candidate Ann Bee, have the following results: 1,234 total votes taken. ",
}


def _fresh() -> None:
    """Forget the memos, so that each text is read from scratch."""
    _reading.clear_memos()
    DEFAULT.forget()


def _work(text: str) -> int:
    calls = 0

    def count(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    _fresh()
    inp = post(text)
    sys.setprofile(count)
    try:
        find_events(inp)
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize("shape", list(_UNITS))
def test_work_grows_linearly(shape: str) -> None:
    unit = _UNITS[shape]
    works = [_work((unit * (size // len(unit) + 1))[:size]) for size in _SIZES]
    ratios = [later / earlier for earlier, later in itertools.pairwise(works)]
    assert all(ratio < 2.6 for ratio in ratios), (shape, works)


def _patterns(value: object) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _patterns(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _patterns(item)


def _all_patterns() -> list[tuple[str, re.Pattern[str]]]:
    found: list[tuple[str, re.Pattern[str]]] = []
    for module in pkgutil.iter_modules(ingester.classify.__path__):
        loaded = importlib.import_module(f"ingester.classify.{module.name}")
        for name, value in vars(loaded).items():
            found.extend((f"{module.name}.{name}", pattern) for pattern in _patterns(value))
    return found


_SINGLE = {sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY, sre.CATEGORY}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}


def _unbounded_nesting(items: Any, inside: bool = False) -> Iterator[str]:
    """Every unbounded repeat of more than one character class, or inside another repeat."""
    for op, arg in items:
        if op in _REPEATS:
            _, most, body = arg
            single = len(body) == 1 and body[0][0] in _SINGLE
            if most == sre.MAXREPEAT and (inside or not single):
                yield str(body)[:60]
            yield from _unbounded_nesting(body, inside or (most > 1 and not single))
        elif op == sre.SUBPATTERN:
            yield from _unbounded_nesting(arg[-1], inside)
        elif op == sre.BRANCH:
            for branch in arg[1]:
                yield from _unbounded_nesting(branch, inside)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            yield from _unbounded_nesting(arg[1], inside)


def test_no_pattern_repeats_a_repeat_without_bound() -> None:
    patterns = _all_patterns()
    assert len(patterns) > 40  # the walk found the classifier's patterns
    bad = {name: list(_unbounded_nesting(sre.parse(p.pattern, p.flags))) for name, p in patterns}
    assert {name: found for name, found in bad.items() if found} == {}


_HOSTILE = st.sampled_from(["1", "-", "(", ")", "[", "]", " ", "\n", ",", ".", "'", "Ω", "中", "a", "A", "%"])


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(_HOSTILE, min_size=1, max_size=8).map("".join), st.integers(min_value=1_000, max_value=20_000))
def test_any_repeated_fragment_stays_linear(fragment: str, size: int) -> None:
    half = (fragment * (size // (2 * len(fragment)) + 1))[: size // 2]
    whole = (fragment * (size // len(fragment) + 1))[:size]
    small, large = _work(half), _work(whole)
    assert large < 2.6 * small + 2_000, (fragment, small, large)
