"""One sentence read once: its tokens and the parties it names, shared by every rule that reads prose.

Several rules read the same sentences of a post (flashes, prose results, tallies, exit polls), and a
post is read again on each edit; :func:`analyse` keeps the last few hundred sentences' readings. The
memo holds only a pure function of the text, so it changes no rule's result.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Final

import msgspec

from ingester.classify import _hedges, _post, parties
from ingester.classify._case import LOWER_WORDS
from ingester.classify._text import Token, tokens
from ingester.classify.parties import Mention

# Words between a party and a person's name that still make the party theirs: "the Conservative MP
# Maggie Throup", "Labour candidate Natalie Fleet", "Labour canddidate" (misspelt: any one short word).
ROLE_WORDS: Final = frozenset(
    {"mp", "candidate", "candidates", "incumbent", "minister", "challenger", "rival", "leader", "deputy",
     "secretary", "councillor", "cllr", "hopeful", "stalwart", "veteran", "newcomer", "chair", "member"}
)  # fmt: skip
# Words before a party or a person that say nothing of who they are: "the sitting Conservative MP".
FILLER_WORDS: Final = frozenset(
    {"the", "a", "an", "sitting", "incumbent", "outgoing", "former", "previous", "veteran", "victorious",
     "long-serving", "defending", "current", "then", "biggest", "big", "huge", "large", "massive", "slim",
     "narrow", "healthy", "comfortable", "notional", "local", "new", "newly"}
)  # fmt: skip
_MAX_CACHED: Final = 512
_NONE: Final[Mapping[int, Mention]] = {}
_NO_INDICES: Final[frozenset[int]] = frozenset()


class Analysis(msgspec.Struct, frozen=True, gc=False):
    toks: Sequence[Token]
    mentions: Sequence[Mention]
    blocked: frozenset[int]  # token indices inside a party mention
    starts: Mapping[int, Mention]  # mention by its first token
    ends: Mapping[int, Mention]  # mention by the index one past its last token
    lows: frozenset[str]  # every word in lower case, to ask at once whether any word is of interest
    words: list[str]  # the tokens' words in lower case, in order


@functools.lru_cache(maxsize=_MAX_CACHED)
def sentence_tokens(text: str) -> tuple[Token, ...]:
    """The tokens of a sentence (:func:`_text.tokens`): several readers ask for the same sentence's."""
    return tuple(tokens(text))


@functools.lru_cache(maxsize=_MAX_CACHED)
def analyse(text: str) -> Analysis:
    toks = sentence_tokens(text)
    words = [t.low for t in toks]
    found = parties.mentions(toks, words)
    lows = frozenset(words)
    if not found:
        return Analysis(toks, (), _NO_INDICES, _NONE, _NONE, lows, words)
    if len(found) == 1:  # (most sentences that name a party name one)
        [only] = found
        blocked = frozenset(range(only.start, only.end))
        return Analysis(toks, (only,), blocked, {only.start: only}, {only.end: only}, lows, words)
    starts = {m.start: m for m in found}
    ends = {m.end: m for m in found}
    return Analysis(toks, tuple(found), parties.covered(found), starts, ends, lows, words)


def indices_of(found: Analysis, wanted: frozenset[str]) -> list[int]:
    """The indices of the tokens whose word (in lower case) is one of ``wanted``, in order; the words
    of interest are few, and found by the sentence's words at once."""
    present = wanted.intersection(found.lows)
    if not present:
        return []
    words = found.words
    if len(present) == 1:
        [only] = present
        return [i for i, word in enumerate(words) if word == only] if words.count(only) > 1 else [words.index(only)]
    return [i for i, word in enumerate(words) if word in present]


def clear_memos() -> None:
    """Forget every memo of the text readers (benchmarks and tests that read a text from scratch)."""
    for memo in (_hedges.background, sentence_tokens, analyse):
        memo.cache_clear()
    _post.forget()


def skip_fillers(toks: Sequence[Token], at: int, limit: int = 3) -> int:
    """The index after up to ``limit`` filler words ("the", "sitting", ...) from ``at``."""
    end = at
    stop = min(len(toks), at + limit)
    while end < stop and toks[end].low in FILLER_WORDS and not toks[end].cap:
        end += 1
    return end


def skip_roles(toks: Sequence[Token], at: int) -> int:
    """The index after the role words ("MP", "candidate") that may stand between a party and a name;
    one other short lower-case word is let through too (a misspelt "canddidate")."""
    end = at
    while end < len(toks) and end - at < 2 and (toks[end].low in ROLE_WORDS or _loose_role(toks[end])):
        end += 1
    return end


def _loose_role(token: Token) -> bool:
    word = token.word
    return word.islower() and 4 <= len(word) <= 12 and word.isalpha() and not token.trail and word not in LOWER_WORDS
