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

import itertools
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Final, NamedTuple

from ingester.classify._text import Token
from ingester.events import Party

CANONICAL: Final[dict[str, str]] = {
    "LAB": "Labour",
    "CON": "Conservative",
    "LD": "Liberal Democrat",
    "SNP": "Scottish National Party",
    "PC": "Plaid Cymru",
    "GRN": "Green",
    "REF": "Reform UK",
    "BRX": "Brexit Party",
    "UKIP": "UKIP",
    "DUP": "Democratic Unionist Party",
    "SF": "Sinn Féin",
    "SDLP": "Social Democratic and Labour Party",
    "UUP": "Ulster Unionist Party",
    "APNI": "Alliance",
    "TUV": "Traditional Unionist Voice",
    "SPK": "Speaker",
    "WPB": "Workers Party of Britain",
    "IND": "Independent",
}

_ALIASES_BY_CODE: Final[dict[str, tuple[str, ...]]] = {
    "LAB": ("labour", "lab", "labour party", "labour co-op", "labour co-operative", "labour and co-operative",
            "labour and co-operative party", "labour & co-operative", "labour/co-operative", "lab co-op",
            "labour cooperative", "scottish labour", "welsh labour", "labour (co-op)"),
    "CON": ("conservative", "conservatives", "con", "c", "tory", "tories", "conservative party",
            "conservative and unionist", "conservative and unionist party", "conservative & unionist party",
            "scottish conservative", "scottish conservatives", "scottish conservative and unionist party",
            "welsh conservative", "welsh conservatives", "tory party"),
    "LD": ("liberal democrat", "liberal democrats", "lib dem", "lib dems", "libdem", "libdems", "ld", "ldem",
           "lib-dem", "lib-dems", "liberal democrat party", "scottish liberal democrats",
           "welsh liberal democrats"),
    "SNP": ("snp", "scottish national party", "scottish nationalists"),
    "PC": ("plaid cymru", "plaid", "pc", "plaid cymru - the party of wales", "plaid cymru party"),
    "GRN": ("green", "greens", "green party", "grn", "scottish green", "scottish greens", "scottish green party",
            "green party of england and wales", "wales green party"),
    "REF": ("reform uk", "reform", "ref", "ruk", "reform uk party", "reform party"),
    "BRX": ("brexit party", "brexit", "brx"),
    "UKIP": ("ukip", "uk independence party", "u.k.i.p."),
    "DUP": ("dup", "democratic unionist party", "democratic unionist", "democratic unionists"),
    "SF": ("sinn fein", "sf"),
    "SDLP": ("sdlp", "social democratic and labour party", "social democratic & labour party"),
    "UUP": ("uup", "ulster unionist party", "ulster unionist", "ulster unionists"),
    "APNI": ("alliance", "alliance party", "apni", "alliance party of northern ireland"),
    "TUV": ("tuv", "traditional unionist voice"),
    "SPK": ("speaker", "spk", "speaker seeking re-election", "the speaker"),
    "WPB": ("workers party of britain", "workers party", "wpb", "workers' party", "workers' party of britain"),
    "IND": ("independent", "independents", "ind", "indep", "independent candidate"),
    "OTH": ("others", "other", "oth"),
}  # fmt: skip
_MAX_WORDS: Final = 6
_ALIASES: Final[dict[str, str]] = {alias: code for code, aliases in _ALIASES_BY_CODE.items() for alias in aliases}
# The first word of every alias: most words of a sentence are not, and are passed over at once. With
# it, how many words a mention starting with it may span ("Labour Party candidate": two more).
_FIRST_WORDS: Final = frozenset(alias.split()[0] for alias in _ALIASES)
_LAST_WORDS: Final = frozenset(
    {alias.split()[-1] for alias in _ALIASES} | {"party", "candidate", "mp", "co-op", "(co-op)"}
)
_LENGTHS: Final[dict[str, tuple[int, ...]]] = {
    first: tuple(
        sorted(
            {min(_MAX_WORDS, len(a.split()) + extra) for a in _ALIASES if a.split()[0] == first for extra in (0, 1, 2)},
            reverse=True,
        )
    )
    for first in _FIRST_WORDS
}


def _spellings() -> frozenset[str]:
    """Every word-prefix of every span that :func:`_span_key` maps to an alias: "the", the alias, and
    the suffixes it strips (" candidate", " mp", " party candidate", in that order)."""
    out: set[str] = set()
    for alias in _ALIASES:
        for head in ("", "the "):
            for suffixes in itertools.product(("", " party candidate"), ("", " mp"), ("", " candidate")):
                words = (head + alias + "".join(suffixes)).split()
                out.update(" ".join(words[:k]) for k in range(1, len(words) + 1))
    return frozenset(out)


_PREFIXES: Final = _spellings()


def _plain_key(text: str) -> str:
    """:func:`_span_key` of plain words."""
    text = text.removeprefix("the ")
    for suffix in (" candidate", " mp", " party candidate"):
        text = text.removesuffix(suffix)
    return text


# Every spelling of plain words that names a party, and the party's code: what ``_ALIASES`` gives for
# its :func:`_span_key`, looked up in one step.
_SPELLED: Final = {text: _ALIASES[_plain_key(text)] for text in _PREFIXES if _plain_key(text) in _ALIASES}
# Short forms that count in prose only as written in capitals ("LD gain", not "ld").
_CODES: Final = frozenset(
    {"c", "ld", "pc", "sf", "grn", "ref", "ruk", "spk", "brx", "wpb", "apni", "oth", "ldem", "snp", "dup",
     "uup", "sdlp", "tuv", "ukip", "lab", "con", "ind"}
)  # fmt: skip
_TITLE_CODES: Final = frozenset({"lab", "con", "ind", "ldem", "ukip"})
# Single words that are also ordinary words or the first word of a place or an office.
_AMBIGUOUS: Final = frozenset(
    {"green", "greens", "reform", "alliance", "independent", "independents", "speaker", "other", "others",
     "plaid", "brexit", "workers"}
)  # fmt: skip
COLOURS: Final[dict[str, str]] = {
    "blue": "CON",
    "red": "LAB",
    "yellow": "LD",
    "orange": "LD",
    "green": "GRN",
    "turquoise": "REF",
    "light blue": "REF",
    "teal": "REF",
    "purple": "UKIP",
}
# Party names that mean the party even written in lower case in running prose ("labour gain", "the
# tories"), unless an everyday phrase follows ("labour market").
_LOWER_OK: Final = frozenset(
    {"labour", "labour party", "tory", "tories", "tory party", "conservatives", "conservative party",
     "lib dem", "lib dems", "libdems", "liberal democrat", "liberal democrats", "reform uk", "plaid cymru",
     "sinn fein", "sinn féin", "green party", "snp", "ukip", "dup", "scottish national party", "sdlp"}
)  # fmt: skip
_LOWER_FIRST: Final = frozenset(alias.split()[0] for alias in _LOWER_OK)
_FIRST_LOWS: Final = frozenset(_LENGTHS)
_NOT_AFTER_LOWER: Final = frozenset({"market", "markets", "shortage", "shortages", "force", "costs", "laws", "camp"})


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
    code = _ALIASES.get(name)
    if code is None and name.endswith(" party"):
        code = _ALIASES.get(name.removesuffix(" party"))
    if code is None:
        return None
    if code == "OTH":
        return Party("OTH", " ".join(text.split()).strip(" ()[]\"'.,;:*"))
    return by_code(code)


def may_start(word: str) -> bool:
    """Whether a party's name may begin with ``word`` (a quick test before :func:`party`)."""
    return key(word) in _FIRST_WORDS


def may_end(word: str) -> bool:
    """Whether a party's name may end with ``word``."""
    return key(word) in _LAST_WORDS or word.strip("()[]").lower() in _LAST_WORDS


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
    return 1 if words & _PARTY_WORDS else 0


_PARTY_WORDS: Final = frozenset(
    {"party", "independent", "independents", "alliance", "coalition", "democrats", "democratic", "front",
     "league", "union", "unionist", "movement", "network", "socialist", "socialists", "communist", "liberal",
     "green", "labour", "conservative", "reform", "workers", "heritage", "christian", "loony", "people's",
     "peoples", "freedom", "rejoin", "nationalist", "uk", "britain", "english", "scottish", "welsh"}
)  # fmt: skip


# ------------------------------------------------------------------------------------------------- prose


class Mention(NamedTuple):
    start: int  # first token
    end: int  # one past the last token
    party: Party
    possessive: bool


def mentions(toks: Sequence[Token], lows: Sequence[str] | None = None) -> list[Mention]:
    """Parties named in a sentence's tokens (``lows``: their words in lower case, if known), longest
    alias first, left to right.

    Where every word is plain (ASCII, no quote), only a word that may begin an alias can begin a
    mention: those are found among the sentence's words at once, and only they are read."""
    lows = [t.low for t in toks] if lows is None else lows
    joined = " ".join(lows)
    if not joined.isascii() or "'" in joined:
        return scan_mentions(toks, _mention_at)
    firsts = _FIRST_LOWS.intersection(lows)
    if not firsts:
        return []
    out: list[Mention] = []
    end = 0
    for i, low in enumerate(lows):
        if low in firsts and i >= end and ((token := toks[i]).cap or token.word in _LOWER_FIRST):
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
        may = (token.cap or token.word in _LOWER_FIRST) and (low in _LENGTHS or not low.isascii() or "'" in low)
        found = read(toks, i) if may else None
        if found is None:
            i += 1
            continue
        out.append(found)
        i = found.end
    return out


def covered(found: Iterable[Mention]) -> frozenset[int]:
    """Token indices inside any mention."""
    out: set[int] = set()
    for m in found:
        out.update(range(m.start, m.end))
    return frozenset(out)


def span_at(toks: Sequence[Token], i: int) -> tuple[tuple[int, ...], list[str]] | None:
    """Whether a party's name may start at token ``i``: the lengths its aliases may span, longest
    first, and the words in reach (a span may not run past punctuation); else None."""
    first = toks[i]
    if not (first.cap or first.word in _LOWER_FIRST):
        return None
    low = first.low
    lengths = _LENGTHS.get(low if low.isascii() and "'" not in low else key(first.word))
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
    if not (first.cap or first.word in _LOWER_FIRST):
        return None
    low = first.low
    plain = low.isascii() and "'" not in low
    lengths = _LENGTHS.get(low if plain else key(first.word))
    if lengths is None:
        return None
    end = min(len(toks), i + lengths[0])
    if plain and "(" not in low and (first.stops or i + 1 >= end or _ends_here(low, toks[i + 1].low)):
        code = _SPELLED.get(low) if 1 in lengths else None
        return _mention(toks, i, 1, code) if code is not None else None
    reach = 1
    while i + reach < end and not toks[i + reach - 1].stops:
        reach += 1
    return _read_span(toks, i, lengths, [t.low for t in toks[i : i + reach]])


def _ends_here(low: str, following: str) -> bool:
    """Whether no spelling goes on from the plain word ``low`` to the plain word ``following`` (then no
    longer span can name a party, as written or folded: "Conservative Nigel")."""
    return (
        following.isascii() and "'" not in following and "(" not in following and f"{low} {following}" not in _PREFIXES
    )


def _read_span(toks: Sequence[Token], i: int, lengths: tuple[int, ...], lows: list[str]) -> Mention | None:
    """The mention the words ``lows`` in reach from token ``i`` begin with, longest first."""
    joined = " ".join(lows)
    if not joined.isascii() or "'" in joined or "(" in joined:
        return mention_in_general(toks, i, lengths, lows)
    # Plain words (most spans): each length is looked up as written, among the spellings that can
    # name a party (:data:`_SPELLED`); a span longer than its longest spelled prefix is not tried.
    spelled: list[str] = []  # the words joined one more at a time, while they may begin a spelling
    for word in lows:
        text = f"{spelled[-1]} {word}" if spelled else word
        if text not in _PREFIXES:
            break
        spelled.append(text)
    for n in lengths:
        if n <= len(spelled) and (code := _SPELLED.get(spelled[n - 1])) is not None:
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
        code = _ALIASES.get(_span_key(lows[:n], toks, i))
        if code is not None and (found := _mention(toks, i, n, code)) is not None:
            return found
    return None


def _mention(toks: Sequence[Token], i: int, n: int, code: str) -> Mention | None:
    """The mention of the ``n`` tokens from ``i``, which spell ``code``, if prose may name it so."""
    phrase = toks[i].word if n == 1 else " ".join([t.word for t in toks[i : i + n]])
    low = phrase.lower()
    plain = toks[i].cap and low not in _CODES and (n > 1 or low not in _AMBIGUOUS)  # no check to make
    if not (plain or _prose_form_ok(toks, i, n, phrase, code)):
        return None
    party = Party("OTH", phrase) if code == "OTH" else _BY_CODE.get(code) or by_code(code)
    return _new(Mention, (i, i + n, party, toks[i + n - 1].possessive))


_new: Final = tuple.__new__  # a named tuple without its Python-level constructor


def _span_key(lows: list[str], toks: Sequence[Token], i: int) -> str:
    """:func:`key` of the span of the words ``lows`` from token ``i``, without its general work."""
    text = " ".join(lows)
    if not text.isascii() or "'" in text or "(" in text:
        return key(" ".join([t.word for t in toks[i : i + len(lows)]]))
    return _plain_key(text)


def _prose_form_ok(toks: Sequence[Token], i: int, n: int, phrase: str, code: str) -> bool:
    low = phrase.lower()
    if not toks[i].cap:  # "labour", "the tories": only the unmistakable names, in lower case
        next_word = toks[i + n].low if i + n < len(toks) else ""
        return phrase in _LOWER_OK and next_word not in _NOT_AFTER_LOWER
    if low in _CODES:
        if low == "c":
            return "(" in toks[i].lead
        return phrase.isupper() or (low in _TITLE_CODES and phrase.istitle())
    if n == 1 and low in _AMBIGUOUS:
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
    return token.cap and not (shouted and token.low in _CALL_WORDS and token.word.isupper())


# The words beside a party in a call written in capitals: "GREENS GAIN X", "X: LAB GAIN FROM GREEN".
_CALL_WORDS: Final = frozenset(
    {"gain", "gains", "gained", "hold", "holds", "held", "win", "wins", "won", "take", "takes", "took", "keep",
     "keeps", "kept", "retain", "retains", "retained", "lose", "loses", "lost", "seize", "seizes", "snatch",
     "snatches", "from", "to", "the", "and", "as", "by", "for", "have", "has", "in"}
)  # fmt: skip


def _mention_code(word: str) -> str | None:
    return _ALIASES.get(key(word))
