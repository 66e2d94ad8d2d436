"""The parties' names: the contract's codes and names, every alias pages write, and the word lists
:mod:`parties` reads prose with. Data, and the tables derived from it once at import.

An alias is matched whole and case-insensitively (:func:`parties.party`); in prose, the short codes
count only in capitals (``CODES``), a few names also in lower case (``LOWER_OK``), and a word that is
also an everyday word or the start of a place's name (``AMBIGUOUS``) only where no other capitalised
word joins it.
"""

from __future__ import annotations

import itertools
from typing import Final

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

ALIASES_BY_CODE: Final[dict[str, tuple[str, ...]]] = {
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
MAX_WORDS: Final = 6
ALIASES: Final[dict[str, str]] = {alias: code for code, aliases in ALIASES_BY_CODE.items() for alias in aliases}
# The first word of every alias: most words of a sentence are not, and are passed over at once. With
# it, how many words a mention starting with it may span ("Labour Party candidate": two more).
FIRST_WORDS: Final = frozenset(alias.split()[0] for alias in ALIASES)
LAST_WORDS: Final = frozenset(
    {alias.split()[-1] for alias in ALIASES} | {"party", "candidate", "mp", "co-op", "(co-op)"}
)
LENGTHS: Final[dict[str, tuple[int, ...]]] = {
    first: tuple(
        sorted(
            {min(MAX_WORDS, len(a.split()) + extra) for a in ALIASES if a.split()[0] == first for extra in (0, 1, 2)},
            reverse=True,
        )
    )
    for first in FIRST_WORDS
}


def _spellings() -> frozenset[str]:
    """Every word-prefix of every span that :func:`parties.key` maps to an alias: "the", the alias, and
    the suffixes it strips (" candidate", " mp", " party candidate", in that order)."""
    out: set[str] = set()
    for alias in ALIASES:
        for head in ("", "the "):
            for suffixes in itertools.product(("", " party candidate"), ("", " mp"), ("", " candidate")):
                words = (head + alias + "".join(suffixes)).split()
                out.update(" ".join(words[:k]) for k in range(1, len(words) + 1))
    return frozenset(out)


PREFIXES: Final = _spellings()


def plain_key(text: str) -> str:
    """:func:`parties.key` of plain words (lower case, single spaces)."""
    text = text.removeprefix("the ")
    for suffix in (" candidate", " mp", " party candidate"):
        text = text.removesuffix(suffix)
    return text


# Every spelling of plain words that names a party, and the party's code: what ``ALIASES`` gives for
# its :func:`parties.key`, looked up in one step.
SPELLED: Final = {text: ALIASES[plain_key(text)] for text in PREFIXES if plain_key(text) in ALIASES}
# Short forms that count in prose only as written in capitals ("LD gain", not "ld").
CODES: Final = frozenset(
    {"c", "ld", "pc", "sf", "grn", "ref", "ruk", "spk", "brx", "wpb", "apni", "oth", "ldem", "snp", "dup",
     "uup", "sdlp", "tuv", "ukip", "lab", "con", "ind"}
)  # fmt: skip
TITLE_CODES: Final = frozenset({"lab", "con", "ind", "ldem", "ukip"})
# Single words that are also ordinary words or the first word of a place or an office.
AMBIGUOUS: Final = frozenset(
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
LOWER_OK: Final = frozenset(
    {"labour", "labour party", "tory", "tories", "tory party", "conservatives", "conservative party",
     "lib dem", "lib dems", "libdems", "liberal democrat", "liberal democrats", "reform uk", "plaid cymru",
     "sinn fein", "sinn féin", "green party", "snp", "ukip", "dup", "scottish national party", "sdlp"}
)  # fmt: skip
LOWER_FIRST: Final = frozenset(alias.split()[0] for alias in LOWER_OK)
FIRST_LOWS: Final = frozenset(LENGTHS)
NOT_AFTER_LOWER: Final = frozenset({"market", "markets", "shortage", "shortages", "force", "costs", "laws", "camp"})
# Words of a name that make it look like a party's (``parties.looks_like_party``): "Heritage Party".
PARTY_WORDS: Final = frozenset(
    {"party", "independent", "independents", "alliance", "coalition", "democrats", "democratic", "front",
     "league", "union", "unionist", "movement", "network", "socialist", "socialists", "communist", "liberal",
     "green", "labour", "conservative", "reform", "workers", "heritage", "christian", "loony", "people's",
     "peoples", "freedom", "rejoin", "nationalist", "uk", "britain", "english", "scottish", "welsh"}
)  # fmt: skip
# The words beside a party in a call written in capitals: "GREENS GAIN X", "X: LAB GAIN FROM GREEN".
CALL_WORDS: Final = frozenset(
    {"gain", "gains", "gained", "hold", "holds", "held", "win", "wins", "won", "take", "takes", "took", "keep",
     "keeps", "kept", "retain", "retains", "retained", "lose", "loses", "lost", "seize", "seizes", "snatch",
     "snatches", "from", "to", "the", "and", "as", "by", "for", "have", "has", "in"}
)  # fmt: skip
