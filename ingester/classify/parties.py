"""Party names and aliases to the contract's codes (``CONTRACT.md`` section 1).

Two readers: :func:`party` maps a span already known to name a party (a results-list field, a table
cell) exactly, case-insensitively; :func:`mentions` finds parties in running prose, where it must be
stricter: case matters ("green" is a colour, "Green" may be the party; "C" counts only as "(C)"), and
an ambiguous word such as "Green" or "Reform" followed by another capitalised word ("Green Bank
Leisure Centre", "Reform Act") is not taken for a party.

A whole span is matched, never a part: "Freedom Alliance" is not Alliance, "Socialist Labour Party"
is not Labour; such names become ``OTH`` with the name as written (:func:`party_or_other`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Final

import msgspec

from ingester.classify._text import Token
from ingester.classify.party_names import (
    ALIASES,
    AMBIGUOUS,
    CALL_WORDS,
    CANONICAL,
    CODES,
    COLOURS,
    FIRST_LOWS,
    FIRST_WORDS,
    LAST_WORDS,
    LENGTHS,
    LOWER_FIRST,
    LOWER_OK,
    NOT_AFTER_LOWER,
    PARTY_WORDS,
    PREFIXES,
    SPELLED,
    TITLE_CODES,
    plain_key,
)
from ingester.events import Party


def key(text: str) -> str:
    """Lower case, no accents, one space, no surrounding punctuation or "the", no possessive."""
    text = text.replace("\u2019", "'")
    if not text.isascii():
        folded = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in folded if not unicodedata.combining(ch))
    text = text.lower()
    text = " ".join(text.split()).strip(" ()[]\"'.,;:*")
    text = text.removeprefix("the ")
    for suffix in ("'s", " candidate", " mp", " party candidate"):
        text = text.removesuffix(suffix)
    return text.rstrip("'")


def by_code(code: str) -> Party:
    found = _BY_CODE.get(code)
    return found if found is not None else Party(code, CANONICAL.get(code, "Others" if code == "OTH" else code))


# The contract's parties, built once: a Party is frozen, so one instance serves every event.
_BY_CODE: Final = {code: Party(code, name) for code, name in [*CANONICAL.items(), ("OTH", "Others")]}


def party(text: str) -> Party | None:
    """The party a whole span names, or None: "Labour's", "(LAB)", "the Labour Party candidate"."""
    if len(text) > 120:
        return None
    name = key(text)
    code = ALIASES.get(name)
    if code is None and name.endswith(" party"):
        code = ALIASES.get(name.removesuffix(" party"))
    if code is None:
        return None
    if code == "OTH":
        return Party("OTH", " ".join(text.split()).strip(" ()[]\"'.,;:*"))
    return by_code(code)


def may_start(word: str) -> bool:
    """Whether a party's name may begin with ``word`` (a quick test before :func:`party`)."""
    return key(word) in FIRST_WORDS


def may_end(word: str) -> bool:
    """Whether a party's name may end with ``word``."""
    return key(word) in LAST_WORDS or word.strip("()[]").lower() in LAST_WORDS


def party_or_other(text: str) -> Party:
    """:func:`party`, else ``OTH`` keeping the name as written (or "Unknown" for an empty one)."""
    found = party(text)
    if found is not None:
        return found
    written = " ".join(text.split()).strip(" ()[]\"'.,;:*-")[:120]
    return Party("OTH", written or "Unknown")


def colour(text: str) -> Party | None:
    code = COLOURS.get(" ".join(text.lower().split()))
    return by_code(code) if code else None


def looks_like_party(text: str) -> int:
    """2 for a known party, 1 for a name with a party-like word ("Heritage Party"), else 0."""
    if party(text) is not None:
        return 2
    words = {w.strip("()'\".,").lower() for w in text.split()}
    return 1 if words & PARTY_WORDS else 0


# ------------------------------------------------------------------------------------------------- prose


class Mention(msgspec.Struct, frozen=True, gc=False):
    start: int  # first token
    end: int  # one past the last token
    party: Party
    possessive: bool


def mentions(toks: Sequence[Token], lows: list[str] | None = None) -> list[Mention]:
    """Parties named in a sentence's tokens (``lows``: their words in lower case, if known), longest
    alias first, left to right.

    Where every word is plain (ASCII, no quote), only a word that may begin an alias can begin a
    mention: those are found among the sentence's words at once, and only they are read."""
    lows = [t.low for t in toks] if lows is None else lows
    joined = " ".join(lows)
    if not joined.isascii() or "'" in joined:
        return scan_mentions(toks, _mention_at)
    firsts = FIRST_LOWS.intersection(lows)
    if not firsts:
        return []
    out: list[Mention] = []
    end = 0
    for i, low in enumerate(lows):
        if low in firsts and i >= end and ((token := toks[i]).cap or token.word in LOWER_FIRST):
            found = _mention_at(toks, i)
            if found is not None:
                out.append(found)
                end = found.end
    return out


def scan_mentions(toks: Sequence[Token], read: Callable[[Sequence[Token], int], Mention | None]) -> list[Mention]:
    """The mentions ``read`` finds from each token on, left to right, a found one's tokens skipped."""
    out: list[Mention] = []
    i = 0
    count = len(toks)
    while i < count:
        token = toks[i]
        low = token.low
        # most words are no party's first word, nor capitalised ("the"): passed over without a call
        may = (token.cap or token.word in LOWER_FIRST) and (low in LENGTHS or not low.isascii() or "'" in low)
        found = read(toks, i) if may else None
        if found is None:
            i += 1
            continue
        out.append(found)
        i = found.end
    return out


def covered(found: Sequence[Mention]) -> frozenset[int]:
    """Token indices inside any mention."""
    out: set[int] = set()
    for m in found:
        out.update(range(m.start, m.end))
    return frozenset(out)


def span_at(toks: Sequence[Token], i: int) -> tuple[tuple[int, ...], list[str]] | None:
    """Whether a party's name may start at token ``i``: the lengths its aliases may span, longest
    first, and the words in reach (a span may not run past punctuation); else None."""
    first = toks[i]
    if not (first.cap or first.word in LOWER_FIRST):
        return None
    low = first.low
    lengths = LENGTHS.get(low if low.isascii() and "'" not in low else key(first.word))
    if lengths is None:
        return None
    reach, end = 1, min(len(toks), i + lengths[0])
    while i + reach < end and not toks[i + reach - 1].stops:
        reach += 1
    return lengths, [t.low for t in toks[i : i + reach]]


def _mention_at(toks: Sequence[Token], i: int) -> Mention | None:
    """:func:`span_at` then :func:`_read_span`; a plain word with nothing in reach after it (most
    mentions: "Labour," "the Tories.", "Conservative Nigel Mills") is its own spelling or none, looked
    up at once."""
    first = toks[i]
    if not (first.cap or first.word in LOWER_FIRST):
        return None
    low = first.low
    plain = low.isascii() and "'" not in low
    lengths = LENGTHS.get(low if plain else key(first.word))
    if lengths is None:
        return None
    end = min(len(toks), i + lengths[0])
    if plain and "(" not in low and (first.stops or i + 1 >= end or _ends_here(low, toks[i + 1].low)):
        code = SPELLED.get(low) if 1 in lengths else None
        if code is None:
            return None
        if first.cap and low not in CODES and low not in AMBIGUOUS and code != "OTH":  # (as _mention has it)
            return Mention(i, i + 1, _BY_CODE.get(code) or by_code(code), first.possessive)
        return _mention(toks, i, 1, code)
    reach = 1
    while i + reach < end and not toks[i + reach - 1].stops:
        reach += 1
    return _read_span(toks, i, lengths, [t.low for t in toks[i : i + reach]])


def _ends_here(low: str, following: str) -> bool:
    """Whether no spelling goes on from the plain word ``low`` to the plain word ``following`` (then no
    longer span can name a party, as written or folded: "Conservative Nigel")."""
    return (
        following.isascii() and "'" not in following and "(" not in following and f"{low} {following}" not in PREFIXES
    )


def _read_span(toks: Sequence[Token], i: int, lengths: tuple[int, ...], lows: list[str]) -> Mention | None:
    """The mention the words ``lows`` in reach from token ``i`` begin with, longest first."""
    joined = " ".join(lows)
    if not joined.isascii() or "'" in joined or "(" in joined:
        return mention_in_general(toks, i, lengths, lows)
    # Plain words (most spans): each length is looked up as written, among the spellings that can
    # name a party (:data:`SPELLED`); a span longer than its longest spelled prefix is not tried.
    spelled: list[str] = []  # the words joined one more at a time, while they may begin a spelling
    for word in lows:
        text = f"{spelled[-1]} {word}" if spelled else word
        if text not in PREFIXES:
            break
        spelled.append(text)
    for n in lengths:
        if n <= len(spelled) and (code := SPELLED.get(spelled[n - 1])) is not None:
            found = _mention(toks, i, n, code)
            if found is not None:
                return found
    return None


def mention_in_general(toks: Sequence[Token], i: int, lengths: tuple[int, ...], lows: list[str]) -> Mention | None:
    """The mention from token ``i``, every length tried through :func:`_span_key` (:func:`_mention_at`
    reads spans with accents, quotes or brackets so; plain words it looks up among the spellings)."""
    for n in lengths:
        if n > len(lows):
            continue
        code = ALIASES.get(_span_key(lows[:n], toks, i))
        if code is not None and (found := _mention(toks, i, n, code)) is not None:
            return found
    return None


def _mention(toks: Sequence[Token], i: int, n: int, code: str) -> Mention | None:
    """The mention of the ``n`` tokens from ``i``, which spell ``code``, if prose may name it so."""
    phrase = toks[i].word if n == 1 else " ".join([t.word for t in toks[i : i + n]])
    low = toks[i].low if n == 1 else phrase.lower()
    plain = toks[i].cap and low not in CODES and (n > 1 or low not in AMBIGUOUS)  # no check to make
    if not (plain or _prose_form_ok(toks, i, n, phrase, code)):
        return None
    party = Party("OTH", phrase) if code == "OTH" else _BY_CODE.get(code) or by_code(code)
    return Mention(i, i + n, party, toks[i + n - 1].possessive)


def _span_key(lows: list[str], toks: Sequence[Token], i: int) -> str:
    """:func:`key` of the span of the words ``lows`` from token ``i``, without its general work."""
    text = " ".join(lows)
    if not text.isascii() or "'" in text or "(" in text:
        return key(" ".join([t.word for t in toks[i : i + len(lows)]]))
    return plain_key(text)


def _prose_form_ok(toks: Sequence[Token], i: int, n: int, phrase: str, code: str) -> bool:
    low = phrase.lower()
    if not toks[i].cap:  # "labour", "the tories": only the unmistakable names, in lower case
        next_word = toks[i + n].low if i + n < len(toks) else ""
        return phrase in LOWER_OK and next_word not in NOT_AFTER_LOWER
    if low in CODES:
        if low == "c":
            return "(" in toks[i].lead
        return phrase.isupper() or (low in TITLE_CODES and phrase.istitle())
    if n == 1 and low in AMBIGUOUS:
        # "Green Bank", "Freedom Alliance": part of another capitalised name (in a line written in
        # capitals, "GREENS GAIN BRISTOL CENTRAL", capitals tell nothing)
        after = toks[i + 1] if i + 1 < len(toks) else None
        before = toks[i - 1] if i > 0 else None
        shouted = phrase.isupper()
        if after is not None and _name_word(after, shouted) and not toks[i].stops and _mention_code(after.word) is None:
            return False
        if (
            before is not None
            and _name_word(before, shouted)
            and not before.stops
            and _mention_code(before.word) is None
        ):
            return False
    return True


def _name_word(token: Token, shouted: bool) -> bool:
    """A capitalised word, which may be part of the same name; in capitals beside ``shouted``, any
    but a call's words ("GREENS GAIN", "GAIN FROM GREEN", but "WOOD GREEN", "HALL GREEN")."""
    return token.cap and not (shouted and token.low in CALL_WORDS and token.word.isupper())


def _mention_code(word: str) -> str | None:
    return ALIASES.get(key(word))
