"""BBC constituency result pages: the result table, the UK banner and the "Latest updates" stream.

The page is read by what it shows (headings, visible text, aria labels, element names), never by its
generated class names:

- the constituency is the page's ``h1``;
- the result table, in the 2017/2019 or the 2024 layout (see ``bbc_result``), becomes ONE post whose
  ``native_id`` is ``<page url>#result-<election>`` (the election from the context, else the page's
  ``general-election-YYYY``), headlined with the constituency and with the table as canonical text as its
  body, so that a corrected figure is an edit of the same post;
- the UK banner (the section under a ``UK results`` heading) becomes a post
  ``<page url>#uk-results-<election>`` with one line per table row, which the tally rule reads;
- the section under the ``Latest updates`` heading is a live stream read by the generic ``html_blog``
  extractor: ``article`` posts with an ``id``, an ``h3`` headline, a ``time``, the contributor's name and
  role in the header, and the body after it.

A page with none of these is a layout this adapter does not know: a warning, no posts. A page before the
declaration has no table, and says nothing about one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from ingester.sources._html import node_text, parse_page
from ingester.sources._text import MAX_BODY_BYTES, finish_warnings, normalise_inline
from ingester.sources.bbc_result import ResultTable, read_table, render
from ingester.sources.html_blog import BlogSelectors, read_blog
from ingester.types import AdapterContext, Extraction, Post

KIND: Final = "bbc-constituency"
UPDATES_HEADING: Final = "latest updates"
BANNER_HEADING: Final = "uk results"

UPDATES: Final = BlogSelectors(
    family="bbc-constituency",
    post="article",
    headline="h3",
    time="time",
    author="header p",
    body="header ~ div",
    drop="figure, aside",
    id_attributes=("data-post-id", "id"),
)
_HEADINGS: Final = "h1, h2, h3"
_LABEL: Final = re.compile(rb">\s*Parliamentary constituency\s*<")


class BbcConstituencyAdapter:
    """The ``bbc-constituency`` adapter; see the module docstring."""

    kind: str = KIND

    def __init__(self, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.max_bytes = max_bytes

    def extract(self, body: bytes, context: AdapterContext) -> Extraction:
        warnings: list[str] = []
        tree = parse_page(body, context.headers, KIND, self.max_bytes, warnings)
        if tree is None:
            return Extraction(warnings=finish_warnings(warnings))
        root = tree.body
        if root is None:
            warnings.append(f"{KIND}: page layout not recognised (no page body)")
            return Extraction(warnings=finish_warnings(warnings))
        sections = _sections(root, (UPDATES_HEADING, BANNER_HEADING))
        stream, banner = sections[UPDATES_HEADING], sections[BANNER_HEADING]
        updates = read_blog(stream, UPDATES, context, KIND, warnings) if stream is not None else []
        banner_lines = _lines(banner) if banner is not None else []
        for section in sections.values():
            if section is not None:  # taken out whole (its nodes left as they are); a page body emptied
                section.decompose(recursive=section.mem_id == root.mem_id)
        lines = _lines(root)
        constituency = _constituency(root)
        table, unknown = read_table(root, lines)
        page = _page_url(context.url)
        election = context.election or (f"general-election-{table.year}" if table and table.year else None)
        posts: list[Post] = []
        if banner_lines:
            posts.append(_banner_post(page, election, banner_lines))
        if table is not None:
            posts.append(_result_post(page, election, constituency, table, warnings))
            warnings.extend(f"{KIND}: {label} shown but its value could not be read" for label in table.unread)
        elif unknown is not None:
            warnings.append(f"{KIND}: {unknown}")
        posts.extend(updates)
        if not posts and sections[UPDATES_HEADING] is None:
            warnings.append(f"{KIND}: page layout not recognised (no result table, UK results or Latest updates)")
        return Extraction(posts=tuple(posts), warnings=finish_warnings(warnings))


def looks_like_bbc_constituency(url: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """For ``--kind auto``: a BBC constituency page, by its address or its "Parliamentary constituency" label."""
    del headers
    try:
        path = urlsplit(url).path
    except ValueError:
        path = ""
    if body.lstrip()[:1] != b"<":
        return False
    # The label standing alone in an element, as under the page's heading; not the words in an article.
    return "/constituencies/" in path or _LABEL.search(body, 0, MAX_BODY_BYTES) is not None


def _sections(root: LexborNode, headings: tuple[str, ...]) -> dict[str, LexborNode | None]:
    """For each heading text (lower case), the element holding the first heading with that text (case
    aside); ``None`` when there is none. One pass over the headings, which stops once all are found."""
    found: dict[str, LexborNode | None] = dict.fromkeys(headings)
    missing = set(headings)
    for heading in root.css(_HEADINGS):
        key = " ".join(heading.text().split()).lower()
        if key in missing:
            missing.discard(key)
            found[key] = heading.parent
            if not missing:
                break
    return found


def _lines(node: LexborNode) -> list[str]:
    return [line for line in node_text(node).split("\n") if line]


def _constituency(root: LexborNode) -> str | None:
    heading = root.css_first("h1")
    name = normalise_inline(heading.text(separator=" ")) if heading is not None else ""
    return name or None


def _page_url(url: str) -> str:
    return url.split("#", 1)[0]


def _result_post(
    page: str, election: str | None, constituency: str | None, table: ResultTable, warnings: list[str]
) -> Post:
    if constituency is None:
        warnings.append(f"{KIND}: result table without a constituency name (no h1)")
    return Post(
        native_id=f"{page}#result-{election or 'unknown'}",
        url=page,
        headline=constituency,
        body=render(constituency or "", table),
    )


def _banner_post(page: str, election: str | None, lines: list[str]) -> Post:
    body = [line for line in lines if line.lower() not in (BANNER_HEADING,)]
    return Post(
        native_id=f"{page}#uk-results-{election or 'unknown'}", url=page, headline="UK results", body="\n".join(body)
    )
