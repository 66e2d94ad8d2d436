"""Text helpers: their fast paths give what the plain forms give, for any text."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from ingester.classify import _text
from ingester.classify._numbers import COUNT
from ingester.classify._post import post_text
from ingester.classify._text import MAX_TEXT, normalise, sentences, tokens

from .cases import post

# The plain forms the fast paths replace.
_PLAIN_COUNT = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:, ?\d{3}){1,2}|\d{1,7})(?![\d])(?![.,]\d)")
_SPECIALS = "".join(map(chr, _text._TRANSLATE))
_NUMBERS = st.text(alphabet=st.sampled_from("0123456789, ._a٣%-"), max_size=40)


@given(st.text(alphabet=st.sampled_from(f"aZ 1\t`'\"-{_SPECIALS}é\u0301ﬁ"), max_size=60))
def test_normalise_is_nfc_and_the_table(text: str) -> None:
    assert normalise(text) == unicodedata.normalize("NFC", text[:MAX_TEXT]).translate(_text._TRANSLATE)


def test_normalise_cuts_at_max_text() -> None:
    assert len(normalise("a" * (MAX_TEXT + 10))) == MAX_TEXT


@given(_NUMBERS)
def test_count_finds_what_the_plain_pattern_finds(text: str) -> None:
    found = [m.span() for m in re.finditer(COUNT, text)]
    assert found == [m.span() for m in _PLAIN_COUNT.finditer(text)]


def _tokens_word_by_word(text: str) -> list[_text.Token]:
    """The tokens as the general path builds them: every word through :func:`_text.word_token`."""
    return [found for raw in text.split() if (found := _text.word_token(raw)) is not None]


_WORDY = st.text(alphabet=st.sampled_from("Ab c.,;:'\"()[]{}•*-’s S\t\n\u00a0\x1fİΣσ1٣"), max_size=40)


@given(st.one_of(_WORDY, st.text(max_size=30)))
def test_tokens_are_the_word_by_word_reading(text: str) -> None:
    assert tokens(text) == _tokens_word_by_word(text)


@given(st.one_of(_WORDY, st.text(max_size=30)))
def test_token_starts_are_where_the_tokens_start(text: str) -> None:
    starts = _text.token_starts(text)
    found = tokens(text)
    assert len(starts) == len(found)
    for start, token in zip(starts, found, strict=True):
        assert text.startswith(token.lead + token.word, start)


def test_post_text_is_built_once_per_post() -> None:
    one = post("Body text", headline="Headline")
    assert post_text(one) == one.text == "Headline\nBody text"
    assert post_text(one) is post_text(one)
    other = post("Another body", headline="Headline")
    assert post_text(other) == "Headline\nAnother body"


@given(st.lists(st.text(alphabet=st.sampled_from("ab .!?-•1)"), max_size=30), max_size=4))
def test_sentences_are_stripped_and_bounded(lines: list[str]) -> None:
    found = sentences(lines)
    assert all(s.text and s.text == s.text.strip() for s in found)
    assert all(len(s.text) <= _text.MAX_SENTENCE for s in found)
