"""Text handling shared by the classifier rules: normalising, sentences, tokens, election dates.

Bounds: a rule reads at most ``MAX_TEXT`` characters of a post (the first 20 000; a live-blog post is
far shorter, and the cap bounds what a hostile page can cost), and a sentence is cut into pieces of at
most ``MAX_SENTENCE`` characters, so every pattern runs on a bounded span. Patterns here and in the
rules use no nested unbounded quantifiers: unbounded repeats are over single character classes, all
else is bounded (``{0,3}``), which keeps matching linear in the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Final

import msgspec

from ingester.classify._case import recase
from ingester.classify.base import RuleInput

MAX_TEXT: Final = 20_000
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


_REPLACEMENTS: Final = {chr(k): chr(v) if isinstance(v, int) else v or "" for k, v in _TRANSLATE.items()}


def normalise(text: str) -> str:
    """The first ``MAX_TEXT`` characters with one spelling for spaces, quotes and dashes.

    (``str.translate`` with a table costs a lookup per character, and a pattern of the characters to
    change a test per character; most posts are ASCII, where only a tab or a backtick can need a
    change, and the rest have few characters to change, each found by a fast scan for it.)"""
    text = text[:MAX_TEXT]
    if text.isascii():
        return text.replace("\t", " ").replace("`", "'") if "\t" in text or "`" in text else text
    text = unicodedata.normalize("NFC", text)
    for special, replacement in _REPLACEMENTS.items():  # (a pass per character to change: each is fast)
        if special in text:
            text = text.replace(special, replacement)
    return text


def has_any(text: str, words: Iterable[str]) -> bool:
    """Whether one of ``words`` is in the text. (A loop, rather than ``any`` over a generator or over
    ``map(text.__contains__, words)``: each is a call per word, and Python 3.11 calls a method wrapper
    through a tuple of its arguments.)"""
    for word in words:  # noqa: SIM110
        if word in text:
            return True
    return False


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


class Sentence(msgspec.Struct, frozen=True, gc=False):
    text: str
    line: int  # index of the line (in ``text_lines``) the sentence comes from


_BULLET: Final = re.compile(r"^(?:[\u2022*\u00b7>-]+\s*|\d{1,3}[.)]\s+)")
_BULLET_STARTS: Final = "\u2022*\u00b7>-"
_SENTENCE_END: Final = re.compile(r"[.!?][\"')\]]{0,3}\s+")
_ENDING: Final = ".!?\"')]"  # what ``_SENTENCE_END`` holds before its space
_ABBREVIATIONS: Final = frozenset({"mr", "mrs", "ms", "dr", "st", "sir", "no", "rt", "hon", "cllr", "vs", "v"})


def sentences(lines: Sequence[str]) -> list[Sentence]:
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
        if "." in inner or "!" in inner or "?" in inner:
            pieces = _split_line(line)
        else:  # (one piece, nearly always: :func:`_chunks` spelt out)
            line = line.strip()
            pieces = _chunks(line) if len(line) > MAX_SENTENCE else [line] if line else []
        for piece in pieces:
            if piece.islower():
                piece = _cased(piece)
            append(Sentence(piece, index))
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


class Token(msgspec.Struct, frozen=True, gc=False):
    """One word of a sentence. (A struct rather than a named tuple: it is built and read far more
    often than anything else, and a struct's fields are read as fast as an object's attributes; it
    holds only strings and flags, so the cycle collector need not track it. Where a word stands in
    the text is asked rarely: :func:`token_starts`.)"""

    word: str  # the word without edge punctuation or possessive ending
    lead: str  # punctuation before the word: "(", '"', ...
    trail: str  # punctuation after it: ",", ":", ")", ...
    possessive: bool  # "Labour's", "Conservatives'"
    low: str  # the word in lower case
    cap: bool  # the word starts with a capital
    stops: bool  # punctuation after the word (or a possessive) ends a name or a phrase


_LEAD_CHARS: Final = "\"'([{\u2022*"
_TRAIL_CHARS: Final = "\"'.,;:!?)]}"


def token(word: str, lead: str = "", trail: str = "", possessive: bool = False) -> Token:
    """A token, its derived fields filled in."""
    return Token(word, lead, trail, possessive, word.lower(), word[:1].isupper(), bool(trail) or possessive)


def tokens(text: str) -> list[Token]:
    """The words of a text with their edge punctuation set apart; most words take the fast path."""
    out: list[Token] = []
    append = out.append
    new = Token
    for raw in text.split():
        if raw.isalnum():
            append(new(raw, "", "", False, raw.lower(), raw[0].isupper(), False))
            continue
        last = raw[-1]
        if last in ",.;:" and raw[:-1].isalnum():  # "Erewash," "Throup."
            word = raw[:-1]
            append(new(word, "", last, False, word.lower(), word[0].isupper(), True))
            continue
        found = word_token(raw)
        if found is not None:
            append(found)
    return out


def token_starts(text: str) -> list[int]:
    """Where each of the text's tokens (:func:`tokens`) starts in it, in order: a word as written
    gives a token unless it is nothing but punctuation."""
    out: list[int] = []
    end = 0
    for raw in text.split():
        start = text.find(raw, end)
        end = start + len(raw)
        if raw.isalnum() or (raw[-1] in ",.;:" and raw[:-1].isalnum()) or word_token(raw) is not None:
            out.append(start)
    return out


def word_token(raw: str) -> Token | None:
    """The token of one word as written, punctuation set apart: "(Lab)", "Labour's,", "Tories'"; None
    when nothing but punctuation is left. :func:`tokens` builds the plainest words ("Bolsover",
    "Erewash,") itself, the same way."""
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
    return token(word, lead, core[len(word) :], possessive) if word else None


_DIGIT: Final = re.compile(r"\d")
DIGIT_CHARS: Final = frozenset("0123456789")  # the digits of ASCII text
_DIGITS: Final = b"0123456789"


def has_digit(text: str) -> bool:
    """Whether the text holds a digit (``\\d``: other scripts' digits too, as the rules' patterns read them)."""
    if text.isascii():
        raw = text.encode("ascii")
        return len(raw.translate(None, _DIGITS)) != len(raw)
    return _DIGIT.search(text) is not None
