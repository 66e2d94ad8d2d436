"""The shared helpers of ``ingester.sources._text``: decoding, normalisation, HTML to text, times."""

from __future__ import annotations

import codecs
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingester.sources._html import html_to_text, rich_text
from ingester.sources._text import decode_body as decode
from ingester.sources._text import (
    election_date,
    finish_warnings,
    normalise_inline,
    normalise_lines,
    normalise_text,
    parse_display_time,
    parse_iso,
    resolve_display_time,
    size_refusal,
)

GE2024 = date(2024, 7, 4)
GE2019 = date(2019, 12, 12)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- decode_body ---------------------------------------------------------------------------------


def test_header_charset_is_used() -> None:
    text, warnings = decode(
        "£500 – Throup’s seat".encode("cp1252"), {"content-type": "text/html; charset=windows-1252"}
    )
    assert (text, warnings) == ("£500 – Throup’s seat", [])


def test_latin1_label_reads_as_windows_1252_like_browsers() -> None:
    text, _ = decode(b"Throup\x92s seat", {"Content-Type": 'text/plain; charset="ISO-8859-1"'})
    assert text == "Throup’s seat"


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_byte_order_mark_wins_over_the_header(bom: bytes, encoding: str) -> None:
    text, warnings = decode(
        bom + "Labour gain Erewash".encode(encoding), {"content-type": "text/html; charset=iso-8859-1"}
    )
    assert (text, warnings) == ("Labour gain Erewash", [])


@pytest.mark.parametrize(
    "meta",
    [
        b'<meta charset="windows-1252">',
        b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=iso-8859-1'>",
    ],
)
def test_meta_charset_in_the_first_4kb(meta: bytes) -> None:
    body = b"<html><head>" + meta + b"</head><body>\xa3500 deposit</body></html>"
    text, warnings = decode(body, {"content-type": "text/html"})
    assert "£500 deposit" in text
    assert warnings == []


def test_meta_charset_after_4kb_is_not_read() -> None:
    body = b"<html><head>" + b" " * 5000 + b'<meta charset="windows-1252"></head>\xa3'
    text, warnings = decode(body, {})
    assert text.endswith("\ufffd")
    assert warnings == ["decode: bytes invalid in utf-8 were replaced"]


@pytest.mark.parametrize("label", ["klingon-8", "rot13", "unicode_escape", "idna", "hex"])
def test_unknown_or_unsafe_charset_falls_back_with_a_warning(label: str) -> None:
    text, warnings = decode("Erewash \\u00e9 £".encode(), {"content-type": f"text/plain; charset={label}"})
    assert text == "Erewash \\u00e9 £"
    assert warnings == [f"decode: unknown charset '{label}'; trying the next source"]


def test_unknown_header_charset_then_meta() -> None:
    body = b'<meta charset="windows-1252">\xa3'
    text, warnings = decode(body, {"content-type": "text/html; charset=bogus"})
    assert text.endswith("£")
    assert len(warnings) == 1


def test_invalid_utf8_is_replaced_with_a_warning() -> None:
    text, warnings = decode(b"Labour \xff\xfe gain", {})
    assert text == "Labour \ufffd\ufffd gain"
    assert warnings == ["decode: bytes invalid in utf-8 were replaced"]


def test_a_real_replacement_character_raises_no_warning() -> None:
    assert decode("a \ufffd b".encode(), {}) == ("a \ufffd b", [])


@given(st.binary(max_size=512), st.sampled_from(["", "text/html; charset=utf-16", "charset=shift_jis", "x"]))
def test_decode_never_raises(body: bytes, content_type: str) -> None:
    text, warnings = decode(body, {"content-type": content_type})
    assert isinstance(text, str)
    assert all("\n" not in w for w in warnings)


# --- normalisation -------------------------------------------------------------------------------


def test_normalise_text_follows_the_body_convention() -> None:
    raw = "  Labour&nbsp;gain\u00a0Erewash \r\n\r\n\r\n\u200bAdam  Thompson\twins&amp;more\r\r\n  "
    assert normalise_text(raw) == "Labour gain Erewash\nAdam Thompson wins&more"


def test_normalise_lines_keeps_one_blank_between_paragraphs() -> None:
    assert normalise_lines("\n\na\n \n\u3000\nb\n\n") == ["a", "", "b"]


def test_unescape_can_be_left_off_for_plain_text() -> None:
    assert normalise_text("R&D &not; AT&amp;T", unescape=False) == "R&D &not; AT&amp;T"


def test_normalise_inline_joins_lines() -> None:
    assert normalise_inline(" Labour gain\n\nMid Derbyshire ") == "Labour gain Mid Derbyshire"


@given(st.text(max_size=200))
def test_normalised_text_has_no_blank_or_padded_lines(raw: str) -> None:
    for line in normalise_text(raw).split("\n"):
        assert line == line.strip()
    assert "\n\n" not in normalise_text(raw)


# --- HTML ----------------------------------------------------------------------------------------


def test_html_to_text_breaks_at_blocks_and_drops_scripts() -> None:
    fragment = (
        "<p>Full results for <b>Chesterfield</b> &amp; more:</p><ul><li>Toby Perkins, Labour - 19,316</li>"
        "<li>Ben Flook, Conservative - 8,496</li></ul>"
        "Turnout<br>tbc<script>track()</script><style>p{}</style>"
    )
    assert html_to_text(fragment) == (
        "Full results for Chesterfield & more:\nToby Perkins, Labour - 19,316\n"
        "Ben Flook, Conservative - 8,496\nTurnout\ntbc"
    )


def test_deeply_nested_html_uses_the_linear_fallback() -> None:
    fragment = "<div>" * 50_000 + "Labour gain <i>Erewash</i>" + "</div>" * 50_000
    assert html_to_text(fragment) == "Labour gain Erewash"


def test_rich_text_reads_plain_text_as_text() -> None:
    assert rich_text("Lib Dems < 5% & falling") == "Lib Dems < 5% & falling"
    assert rich_text("<p>a</p><p>b</p>") == "a\nb"


# --- times ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-07-05T01:03:00+01:00", "2024-07-05T00:03:00"),
        ("2024-07-05T00:03:00Z", "2024-07-05T00:03:00"),
        ("2024-07-05T01:03:00.250+0100", "2024-07-05T00:03:00.250"),
        (" 2024-07-04T23:39:00-04:00 ", "2024-07-05T03:39:00"),
    ],
)
def test_parse_iso_reads_offsets_into_utc(text: str, expected: str) -> None:
    warnings: list[str] = []
    assert parse_iso(text, warnings) == utc(expected)
    assert warnings == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2024-07-05T01:03:00", "has no UTC offset"),
        ("2024-07-05", "has no UTC offset"),
        ("5 July 2024, 1.03am", "is not an ISO 8601 timestamp"),
        ("9999-12-31T23:59:59-23:59", "is out of range"),
        ("2" * 500, "is not an ISO 8601 timestamp"),
    ],
)
def test_parse_iso_never_guesses(text: str, problem: str) -> None:
    warnings: list[str] = []
    assert parse_iso(text, warnings) is None
    assert len(warnings) == 1
    assert problem in warnings[0]
    assert len(warnings[0]) < 120


@pytest.mark.parametrize(
    ("election", "expected"),
    [
        ("parl.2024-07-04", GE2024),
        ("parl.north-east-derbyshire.2024-07-04", GE2024),
        ("2019-12-12", GE2019),
        ("parl.2024-02-30", None),
        ("parl.derby", None),
        (None, None),
    ],
)
def test_election_date(election: str | None, expected: date | None) -> None:
    assert election_date(election) == expected


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (20, 0, "2024-07-04T19:00"),  # the blog opens on polling day (BST = UTC+1)
        (23, 39, "2024-07-04T22:39"),
        (0, 3, "2024-07-04T23:03"),  # after midnight: the next day
        (6, 51, "2024-07-05T05:51"),
        (19, 59, "2024-07-05T18:59"),  # still the night's next day
    ],
)
def test_resolve_display_time_rolls_over_at_midnight(hour: int, minute: int, expected: str) -> None:
    assert resolve_display_time(hour, minute, None, GE2024) == utc(expected)


def test_resolve_display_time_in_winter_is_gmt() -> None:
    assert resolve_display_time(3, 9, None, GE2019) == utc("2019-12-13T03:09")


def test_resolve_display_time_with_a_day_takes_the_nearest_year() -> None:
    assert resolve_display_time(1, 3, (5, 7), GE2024) == utc("2024-07-05T00:03")
    assert resolve_display_time(0, 10, (1, 1), GE2019) == utc("2020-01-01T00:10")


@pytest.mark.parametrize(("hour", "minute", "day"), [(24, 0, None), (12, 60, None), (1, 0, (31, 6))])
def test_resolve_display_time_rejects_impossible_values(hour: int, minute: int, day: tuple[int, int] | None) -> None:
    assert resolve_display_time(hour, minute, day, GE2024) is None


def test_resolve_display_time_needs_an_election() -> None:
    assert resolve_display_time(1, 3, (5, 7), None) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01:03 British Summer Time 5 July", "2024-07-05T00:03"),
        ("23:39 BST 4 July", "2024-07-04T22:39"),
        ("03:09 GMT", "2024-07-05T03:09"),
        ("11.45pm", "2024-07-04T22:45"),
        ("12:30am", "2024-07-04T23:30"),
        ("published at 6:51am on July 5th", "2024-07-05T05:51"),
    ],
)
def test_parse_display_time(text: str, expected: str) -> None:
    assert parse_display_time(text, GE2024) == utc(expected)


def test_parse_display_time_on_a_stated_page_date() -> None:
    assert parse_display_time("23:55", date(2024, 7, 5), rollover_hour=0) == utc("2024-07-05T22:55")


@pytest.mark.parametrize("text", ["no time here", "13:00pm", "99:99"])
def test_parse_display_time_without_a_time(text: str) -> None:
    assert parse_display_time(text, GE2024) is None


@given(st.text(max_size=80), st.one_of(st.none(), st.dates()))
def test_display_times_are_utc_or_none(text: str, polling_day: date | None) -> None:
    found = parse_display_time(text, polling_day)
    assert found is None or found.tzinfo is UTC


# --- warnings and size ---------------------------------------------------------------------------


def test_finish_warnings_dedupes_and_caps() -> None:
    warnings = ["a", "b", "a", *(f"w{i}" for i in range(30))]
    finished = finish_warnings(warnings, limit=5)
    assert finished == ("a", "b", "w0", "w1", "w2", "... and 27 more warnings")


def test_size_refusal() -> None:
    assert size_refusal(b"x" * 10, "text", limit=10) is None
    assert size_refusal(b"x" * 11, "text", limit=10) == "text: body of 11 bytes is over the 10-byte cap; not read"
