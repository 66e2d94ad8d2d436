"""Plain text (a saved page, a pasted blog) split into posts by the shape it has.

Three shapes are recognised, tried in this order:

``bbc-live``
    Numbered posts whose heading line runs into the time: ``1. Headline textpublished at 01:03 British
    Summer Time 5 July``. A first paragraph of exactly two short lines without a full stop is the byline
    (author, then role). The lines above the first post are page furniture, except sections under a known
    title (``Summary``, ``Results: parties by seats``, ...), which become one post each: a tally and
    summary claims are content too.
``bbc-constituency``
    A constituency page (``Parliamentary constituency`` ... ``Latest updates``). The national table above
    the constituency name is one post (``UK results``), the constituency's result another (headline: the
    constituency name). Below ``Latest updates``, a new post starts at a one-line paragraph followed by a
    byline (``Name`` then ``BBC ...``, or ``BBC ...`` alone) and at a verdict line such as ``LAB HOLD``.
``headlined`` (everything else)
    One line per paragraph; a new post starts at a line that looks like a headline: at most 16 words and
    120 characters, not starting in lower case or with a bullet, not ending with a full stop, comma,
    colon, semicolon, exclamation mark or a digit (so result lines such as ``Toby Perkins, Labour -
    19,316`` stay in the body). Text before the first headline is a post without one; an article with
    no headline-like line is one post. A line holding only a time (``02:34``, ``2.34am BST``) also starts
    a post and gives its time. The split is a heuristic: every line lands in some post, not always the
    right one.

A first line `` date 2024-07-05 ...`` (how the seeds were saved) gives the page's date: a time without a
day is then read on that date when no election is known. Times without a year are placed with the
election context (``AdapterContext.election``) and marked ``time_inferred``; without any date context
they are left empty and one warning says so.

Text posts have no native ids (the differ falls back to a content hash). ``complete`` is True: a text
file holds every post it has.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from ingester.sources._text import (
    MAX_BODY_BYTES,
    election_date,
    finish_warnings,
    normalise_lines,
    parse_display_time,
    read_body,
)
from ingester.types import AdapterContext, Extraction, Post

KIND: Final = "text"

_DATE_LINE: Final = re.compile(r"^date\s+(\d{4})-(\d{2})-(\d{2})\b\s*(.*)$")
_NUMBERED: Final = re.compile(
    r"^\d{1,4}\.\s+(?P<headline>.*?)\s*(?:published|updated) at\s+(?P<when>\d{1,2}:\d{2}\b.*)$"
)
_TIME_LINE: Final = re.compile(
    r"^\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:BST|GMT|British Summer Time)?$", re.IGNORECASE
)
_SECTION_TITLES: Final = frozenset(
    {"summary", "key points", "results: parties by seats", "exit poll", "latest results"}
)
_ORGANISATION: Final = re.compile(r"^BBC\b")
_VERDICT: Final = re.compile(r"^[A-Z]{2,5} (?:HOLD|GAIN)\b")
_BULLET: Final = re.compile(r"^[•◦▪‣·]\s*")
_CHROME: Final = frozenset(
    {
        "back to top",
        "view more on twitter",
        "view more on x",
        "view more on facebook",
        "view more on instagram",
    }
)
_NOT_HEADLINE_END: Final = ".!:;,…"
_CLOSERS: Final = "'\"’”)]*"


class TextAdapter:
    """The ``text`` adapter; see the module docstring."""

    kind: str = KIND

    def __init__(self, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.max_bytes = max_bytes

    def extract(self, body: bytes, context: AdapterContext) -> Extraction:
        text, warnings = read_body(body, context.headers, KIND, self.max_bytes)
        if text is None:
            return Extraction(warnings=tuple(warnings))  # not complete: nothing was read, nothing is deleted
        page_day, lines = _take_date_line(normalise_lines(text, unescape=False))
        clock = _Clock(election_date(context.election), page_day)
        drafts = _split(lines)
        posts = tuple(post for draft in drafts if (post := draft.to_post(clock)) is not None)
        unplaced = sum(1 for draft in drafts if draft.when and clock.read(draft.when) is None)
        if unplaced:
            warnings.append(f"{KIND}: {unplaced} post time(s) without a date; pass the election to place them")
        if not posts:
            warnings.append(f"{KIND}: no text found")
        return Extraction(posts=posts, warnings=finish_warnings(warnings), complete=True)


def looks_like_text(url: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """For ``--kind auto``: a text/plain response, or a body that is neither markup nor JSON."""
    del url
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    if content_type.lower().startswith("text/plain"):
        return True
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head[:1] in (b"<", b"{", b"["):
        return False
    return not any(marker in head for marker in (b"<html", b"<!doctype", b"<body", b"<div", b"<p>"))


@dataclass(frozen=True)
class _Clock:
    """Places displayed times: on the election night when the election is known, else on the page date."""

    polling_day: date | None
    page_day: date | None

    def read(self, when: str) -> datetime | None:
        if self.polling_day is not None:
            return parse_display_time(when, self.polling_day)
        if self.page_day is not None:
            return parse_display_time(when, self.page_day, rollover_hour=0)
        return None


@dataclass
class _Draft:
    headline: str | None = None
    lines: list[str] = field(default_factory=list)
    author: str | None = None
    when: str | None = None

    def to_post(self, clock: _Clock) -> Post | None:
        body = "\n".join(_BULLET.sub("", line) for line in self.lines if line and line.lower() not in _CHROME)
        if not body and not self.headline:
            return None
        published = clock.read(self.when) if self.when else None
        return Post(
            headline=self.headline,
            body=body,
            author=self.author,
            published_at=published,
            time_inferred=published is not None,
        )


def _take_date_line(lines: list[str]) -> tuple[date | None, list[str]]:
    match = _DATE_LINE.match(lines[0]) if lines else None
    if match is None:
        return None, lines
    try:
        page_day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        page_day = None
    rest = match.group(4).strip()
    return page_day, ([rest] if rest else []) + lines[1:]


def _split(lines: list[str]) -> list[_Draft]:
    if any(_NUMBERED.match(line) for line in lines):
        return _bbc_live(lines)
    lowered = {line.lower() for line in lines}
    if {"latest updates", "parliamentary constituency"} <= lowered:
        return _bbc_constituency(lines)
    return _headlined(lines)


# --- bbc-live ------------------------------------------------------------------------------------


def _bbc_live(lines: list[str]) -> list[_Draft]:
    starts = [i for i, line in enumerate(lines) if _NUMBERED.match(line)]
    drafts = _sections(lines[: starts[0]])
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        match = _NUMBERED.match(lines[start])
        assert match is not None  # found by the same pattern above
        author, body = _byline(lines[start + 1 : end])
        drafts.append(_Draft(headline=match["headline"] or None, lines=body, author=author, when=match["when"]))
    return drafts


def _sections(lines: list[str]) -> list[_Draft]:
    """Sections under a known title become posts; the other furniture above the posts is dropped."""
    drafts: list[_Draft] = []
    for line in lines:
        if line.lower() in _SECTION_TITLES:
            drafts.append(_Draft(headline=line))
        elif drafts:
            drafts[-1].lines.append(line)
    if not drafts and any(lines):
        drafts.append(_Draft(lines=list(lines)))
    return drafts


def _byline(lines: list[str]) -> tuple[str | None, list[str]]:
    """The author from a leading two-line paragraph (name, role), and the rest of the lines."""
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    pair, after = lines[start : start + 2], lines[start + 2 : start + 3]
    if len(pair) == 2 and not any(after) and all(_is_label(line, 60) for line in pair):
        return pair[0], lines[start + 2 :]
    return None, lines


# --- bbc-constituency ----------------------------------------------------------------------------


def _bbc_constituency(lines: list[str]) -> list[_Draft]:
    lowered = [line.lower() for line in lines]
    updates_at = lowered.index("latest updates")
    return _constituency_result(lines[:updates_at]) + _updates(_paragraphs(lines[updates_at + 1 :]))


def _constituency_result(lines: list[str]) -> list[_Draft]:
    lowered = [line.lower() for line in lines]
    if "parliamentary constituency" not in lowered:
        return _sections(lines)
    marker = lowered.index("parliamentary constituency")
    name_at = next((i for i in range(marker - 1, -1, -1) if lines[i]), None)
    if name_at is None:
        return [_Draft(lines=lines[marker:])]
    drafts = []
    national = [line for line in lines[:name_at] if line]
    if national:
        drafts.append(_Draft(headline=national[0], lines=national[1:]))
    drafts.append(_Draft(headline=lines[name_at], lines=lines[name_at + 1 :]))
    return drafts


def _updates(paragraphs: list[list[str]]) -> list[_Draft]:
    drafts: list[_Draft] = []
    i = 0
    while i < len(paragraphs):
        paragraph = paragraphs[i]
        byline = _byline_length(paragraphs, i)
        single = len(paragraph) == 1
        if single and (byline or (i == 0 and _is_label(paragraph[0], 150)) or _VERDICT.match(paragraph[0])):
            author = paragraphs[i + 1][0] if byline else None
            drafts.append(_Draft(headline=paragraph[0], author=author))
            i += 1 + byline
            continue
        if not drafts:
            drafts.append(_Draft())
        drafts[-1].lines.extend(paragraph)
        i += 1
    return drafts


def _byline_length(paragraphs: list[list[str]], i: int) -> int:
    """How many paragraphs after ``i`` form a byline: 1 (``BBC ...``), 2 (name, ``BBC ...``) or 0."""

    def is_organisation(j: int) -> bool:
        return j < len(paragraphs) and len(paragraphs[j]) == 1 and _is_organisation(paragraphs[j][0])

    if len(paragraphs[i]) != 1 or len(paragraphs[i][0]) > 150:
        return 0
    if is_organisation(i + 1):
        return 1
    name = paragraphs[i + 1] if i + 1 < len(paragraphs) else []
    if len(name) == 1 and _is_label(name[0], 40) and is_organisation(i + 2):
        return 2
    return 0


def _is_organisation(line: str) -> bool:
    return len(line) <= 60 and _ORGANISATION.match(line) is not None


# --- headlined -----------------------------------------------------------------------------------


def _headlined(lines: list[str]) -> list[_Draft]:
    drafts: list[_Draft] = []
    for line in lines:
        if not line:
            continue
        current = drafts[-1] if drafts else None
        if _TIME_LINE.match(line):
            drafts.append(_Draft(when=line))
        elif looks_like_headline(line):
            if current is not None and current.when and current.headline is None and not current.lines:
                current.headline = line
            else:
                drafts.append(_Draft(headline=line))
        elif current is None:
            drafts.append(_Draft(lines=[line]))
        else:
            current.lines.append(line)
    return drafts


def looks_like_headline(line: str) -> bool:
    """A short line that does not end like a sentence, a list lead-in or a figure."""
    core = line.rstrip(_CLOSERS)
    if not core or len(line) > 120 or len(line.split()) > 16:
        return False
    if line[0].islower() or _BULLET.match(line) or line[0] in "-–—*":
        return False
    return core[-1] not in _NOT_HEADLINE_END and not core[-1].isdigit()


# --- shared --------------------------------------------------------------------------------------


def _paragraphs(lines: Sequence[str]) -> list[list[str]]:
    """Runs of non-blank lines."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _is_label(line: str, limit: int) -> bool:
    """A short line that is not a sentence: a name, a role, a title."""
    core = line.rstrip(_CLOSERS)
    return bool(core) and len(line) <= limit and core[-1] not in _NOT_HEADLINE_END
