"""Text handling shared by the classifier rules: normalising, sentences, tokens, numbers, hedges.

Bounds: a rule reads at most ``MAX_TEXT`` characters of a post (the first 20 000; a live-blog post is
far shorter, and the cap bounds what a hostile page can cost), and a sentence is cut into pieces of at
most ``MAX_SENTENCE`` characters, so every pattern runs on a bounded span. Patterns here and in the
rules use no nested unbounded quantifiers: unbounded repeats are over single character classes, all
else is bounded (``{0,3}``), which keeps matching linear in the text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Container, Iterable, Iterator, Sequence
from datetime import date
from typing import Final, NamedTuple

from ingester.classify._case import recase
from ingester.classify.base import RuleInput

MAX_TEXT: Final = 20_000
_tuple_new: Final = tuple.__new__  # builds a named tuple without its Python-level constructor
MAX_SENTENCE: Final = 600

_TRANSLATE: Final = str.maketrans(
    {
        "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\t": " ",
        "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"',
        "\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-",
        "\u200b": None, "\u00ad": None, "\ufeff": None,
    }
)  # fmt: skip


_SPECIAL: Final = re.compile("[" + re.escape("".join(map(chr, _TRANSLATE))) + "]")
_REPLACEMENTS: Final = {chr(k): chr(v) if isinstance(v, int) else v or "" for k, v in _TRANSLATE.items()}


def normalise(text: str) -> str:
    """The first ``MAX_TEXT`` characters with one spelling for spaces, quotes and dashes.

    (``str.translate`` with a table costs a lookup per character; most posts are ASCII, where only a
    tab or a backtick can need a change, and the rest have few characters to change.)"""
    text = text[:MAX_TEXT]
    if text.isascii():
        return text.replace("\t", " ").replace("`", "'") if "\t" in text or "`" in text else text
    text = unicodedata.normalize("NFC", text)
    return _SPECIAL.sub(lambda m: _REPLACEMENTS[m.group()], text)


def post_text(post: RuleInput) -> str:
    """``post.text``, built once per post: every rule asks for it, and the memos below find the same
    string object at once (its hash kept) where a new one must be hashed and compared in full. (A
    post is frozen, and the entry holds it, so the same object is the same post.)"""
    last = _LAST_TEXT[0]  # (post, text), swapped whole, so a reader sees one post's entry
    if last[0] is post:
        return last[1]
    text = post.text
    _LAST_TEXT[0] = (post, text)
    return text


_LAST_TEXT: Final[list[tuple[RuleInput | None, str]]] = [(None, "")]


def forget_post_text() -> None:
    _LAST_TEXT[0] = (None, "")


def text_lines(post: RuleInput) -> list[str]:
    """The post's normalised lines (headline first), stripped; empty lines kept as ``""``."""
    return list(lines_memo(post_text(post)))


def post_sentences(post: RuleInput) -> list[Sentence]:
    """The post's sentences (see :func:`sentences`)."""
    return list(sentences_memo(post_text(post)))


def post_lower(post: RuleInput) -> str:
    """The post's normalised text in lower case: rules look for their words in it before reading on."""
    return lower_memo(post_text(post))


def has_any(text: str, words: Iterable[str]) -> bool:
    return any(map(text.__contains__, words))


# Every rule reads the same post; these memos spare each rule the work. They hold only pure functions
# of their argument, so they change no rule's result.
@functools.lru_cache(maxsize=4)
def normalised_memo(text: str) -> str:
    return normalise(text)


@functools.lru_cache(maxsize=4)
def lower_memo(text: str) -> str:
    return normalised_memo(text).lower()


@functools.lru_cache(maxsize=4)
def lines_memo(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in normalised_memo(text).splitlines())


@functools.lru_cache(maxsize=4)
def sentences_memo(text: str) -> tuple[Sentence, ...]:
    return tuple(sentences(list(lines_memo(text))))


def election_year(post: RuleInput) -> int | None:
    if post.election_date is not None:
        return post.election_date.year
    return post.published_at.year if post.published_at is not None else None


class GuessedDay(date):
    """An election day guessed from a post's own time: good enough to pick boundaries, not to name a
    ballot (a post after midnight is a day late), so the gazetteer leaves the ballot id out."""


def election_day(post: RuleInput) -> date | None:
    """The election's day, else a :class:`GuessedDay` from the post's time, else None."""
    if post.election_date is not None:
        return post.election_date
    if post.published_at is None:
        return None
    day = post.published_at.date()
    return GuessedDay(day.year, day.month, day.day)


# ---------------------------------------------------------------------------------------------- sentences


class Sentence(NamedTuple):
    text: str
    line: int  # index of the line (in ``text_lines``) the sentence comes from


_BULLET: Final = re.compile(r"^(?:[\u2022*\u00b7>-]+\s*|\d{1,3}[.)]\s+)")
_BULLET_STARTS: Final = "\u2022*\u00b7>-"
_SENTENCE_END: Final = re.compile(r"[.!?][\"')\]]{0,3}\s+")
_ENDING: Final = ".!?\"')]"  # what ``_SENTENCE_END`` holds before its space
_ABBREVIATIONS: Final = frozenset({"mr", "mrs", "ms", "dr", "st", "sir", "no", "rt", "hon", "cllr", "vs", "v"})


def sentences(lines: list[str]) -> list[Sentence]:
    """Lines split into sentences at ``.``/``!``/``?`` (not after ``Mr``, ``St``...), bullets stripped.

    A sentence written all in lower case ("labour gain bolsover from the tories") gets capitals where
    names would have them (:func:`recase`), so that the readers, which find names by their capitals,
    read it like any other.
    """
    out: list[Sentence] = []
    append = out.append
    for index, line in enumerate(lines):
        if not line:
            continue
        if line[0] in _BULLET_STARTS or line[0].isdigit():  # the patterns only where they can match
            line = _BULLET.sub("", line)
        # a stop ends a sentence only with a space after it: none can in the run of stops and quotes
        # that ends the line ("... Gardiner." "... said.\"")
        inner = line.rstrip(_ENDING)
        pieces = _split_line(line) if "." in inner or "!" in inner or "?" in inner else _chunks(line)
        for piece in pieces:
            if piece.islower():
                piece = _cased(piece)
            append(_tuple_new(Sentence, (piece, index)))
    return out


def _cased(piece: str) -> str:
    return recase(piece) if piece.islower() and sum(ch.isalpha() for ch in piece[:80]) > 8 else piece


def _split_line(line: str) -> list[str]:
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        word = line[max(start, match.start() - 5) : match.start()].rsplit(" ", 1)[-1].lower()
        if word in _ABBREVIATIONS:
            continue
        out += _chunks(line[start : match.start() + 1])
        start = match.end()
    out += _chunks(line[start:])
    return out


def _chunks(text: str) -> list[str]:
    """The text, stripped, in pieces of at most ``MAX_SENTENCE`` characters (cut at a space if one is
    in the second half); none for an empty text."""
    text = text.strip()
    if len(text) <= MAX_SENTENCE:  # nearly always: one piece
        return [text] if text else []
    out: list[str] = []
    while len(text) > MAX_SENTENCE:
        cut = text.rfind(" ", 0, MAX_SENTENCE)
        cut = cut if cut > MAX_SENTENCE // 2 else MAX_SENTENCE
        out.append(text[:cut])
        text = text[cut:].strip()
    if text:
        out.append(text)
    return out


# ------------------------------------------------------------------------------------------------- tokens


class Token(NamedTuple):
    word: str  # the word without edge punctuation or possessive ending
    start: int
    end: int
    lead: str  # punctuation before the word: "(", '"', ...
    trail: str  # punctuation after it: ",", ":", ")", ...
    possessive: bool  # "Labour's", "Conservatives'"
    low: str  # the word in lower case
    cap: bool  # the word starts with a capital
    stops: bool  # punctuation after the word (or a possessive) ends a name or a phrase


_LEAD_CHARS: Final = "\"'([{\u2022*"
_TRAIL_CHARS: Final = "\"'.,;:!?)]}"


def token(word: str, span: tuple[int, int], lead: str = "", trail: str = "", possessive: bool = False) -> Token:
    """A token, its derived fields filled in."""
    stops = bool(trail) or possessive
    return _tuple_new(Token, (word, span[0], span[1], lead, trail, possessive, word.lower(), word[:1].isupper(), stops))


def tokens(text: str) -> list[Token]:
    """The words of a text with their edge punctuation set apart; most words take the fast path.

    (Tokens are built with ``tuple.__new__``: a named tuple's own constructor is a Python call. Where
    single spaces part the words, as in most sentences, a word starts one after the previous one ends;
    else it is looked for.)"""
    out: list[Token] = []
    append = out.append
    find = text.find
    new = _tuple_new
    raws = text.split()
    gaps = len(raws) - 1  # single spaces between the words, no other white space: as many characters as these
    spaced = text.count(" ") == gaps and len(text) == gaps + sum(map(len, raws))
    end = -1 if spaced else 0
    for raw in raws:
        start = end + 1 if spaced else find(raw, end)
        end = start + len(raw)
        if raw.isalnum():
            append(new(Token, (raw, start, end, "", "", False, raw.lower(), raw[0].isupper(), False)))
            continue
        last = raw[-1]
        if last in ",.;:" and raw[:-1].isalnum():  # "Erewash," "Throup."
            word = raw[:-1]
            append(new(Token, (word, start, end, "", last, False, word.lower(), word[0].isupper(), True)))
            continue
        found = word_token(raw, start, end)
        if found is not None:
            append(found)
    return out


def word_token(raw: str, start: int, end: int) -> Token | None:
    """The token of one word as written (``raw``, at ``start``-``end`` in its text), punctuation set
    apart: "(Lab)", "Labour's,", "Tories'"; None when nothing but punctuation is left. :func:`tokens`
    builds the plainest words ("Bolsover", "Erewash,") itself, the same way."""
    core = raw.lstrip(_LEAD_CHARS)
    lead = raw[: len(raw) - len(core)]
    possessive = False
    if core.endswith(("'s", "'S")) and len(core) > 2:
        core, possessive = core[:-2], True
    elif core.endswith("s'") and core[:1].isupper() and len(core) > 2:
        core, possessive = core[:-1], True
    word = core.rstrip(_TRAIL_CHARS)
    if word.endswith(("'s", "'S")) and len(word) > 2:  # "Labour's," keeps its comma as trail
        word, possessive = word[:-2], True
    return token(word, (start, end), lead, core[len(word) :], possessive) if word else None


# -------------------------------------------------------------------------------------------------- names

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
    if not 2 <= len(words) <= 7 or (not _DIGIT_CHARS.isdisjoint(text) if text.isascii() else has_digit(text)):
        return False
    bare = [word.strip("()\"'.,") for word in words]
    if not all(bare) or not bare[0][:1].isupper() or not bare[-1][:1].isupper():
        return False
    for word in bare:
        low = word.lower()
        if low in _NOT_NAMES or not (word[:1].isupper() or low in NAME_PARTICLES):
            return False
    return True


_DIGIT: Final = re.compile(r"\d")
_DIGIT_CHARS: Final = frozenset("0123456789")  # the digits of ASCII text
_DIGITS: Final = b"0123456789"


def has_digit(text: str) -> bool:
    """Whether the text holds a digit (``\\d``: other scripts' digits too, as the rules' patterns read them)."""
    if text.isascii():
        raw = text.encode("ascii")
        return len(raw.translate(None, _DIGITS)) != len(raw)
    return _DIGIT.search(text) is not None


def name_before(toks: Sequence[Token], end: int, blocked: Container[int] = ()) -> tuple[str, int] | None:
    """The capitalised run (2-4 words) that ends just before token ``end``: (name, start index).

    ``blocked`` holds the indices of tokens that cannot be part of a name (a party's words).
    """
    start = end
    while start > 0 and end - start < 4:
        token = toks[start - 1]
        if start - 1 in blocked or not token.cap or token.possessive or (start < end and token.trail):
            break
        if token.low in _NOT_NAMES:  # "MP Jo Bloggs": the name starts after the title
            break
        start -= 1
    name = " ".join([t.word for t in toks[start:end]])
    return (name, start) if end - start >= 2 and is_name(name) else None


def name_after(toks: Sequence[Token], begin: int, blocked: Container[int] = ()) -> tuple[str, int] | None:
    """The capitalised run (2-4 words) that starts at token ``begin``: (name, end index)."""
    end = begin
    while end < len(toks) and end - begin < 4 and toks[end].cap and end not in blocked:
        end += 1
        if toks[end - 1].stops:
            break
    name = " ".join([t.word for t in toks[begin:end]])
    return (name, end) if end - begin >= 2 and is_name(name) else None


# ------------------------------------------------------------------------------------------------ numbers

# A seat's name in running prose: up to six capitalised words, joined by "and", "of" or "upon".
SEAT_WORDS: Final = r"[A-Z][\w'-]{0,40}(?: (?:and |of |upon )?[A-Z][\w'-]{0,40}){0,5}"
# The same, longer and with commas and "and the" ("Oldham West, Chadderton and Royton", "Doncaster East
# and the Isle of Axholme"): what a gazetteer is asked, cut at commas until it knows a name.
SEAT_NAME: Final = r"[A-Z][\w'-]{0,40}(?:,? (?:(?:and|of|upon|an)(?: the)? )?(?:[A-Z]|h-)[\w'-]{0,40}){0,7}"

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
