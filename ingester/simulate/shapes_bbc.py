"""BBC shapes for simulated sources: the live stream JSON (and live page) and constituency result pages.

``bbc-live``: the source polls the stream JSON ``/wc-data/container/stream?liveTextStreamId=ID&
pageNumber=N`` (``{"page": {"index", "total"}, "results": [post…]}``, ``page_size`` posts a page, newest
first); each post has a ``urn`` (its id), header blocks (headline, contributor), content blocks (one
paragraph each) and ISO ``dates``. Layout 1 is the live page itself: the first stream page inside
``window.__INITIAL_DATA__``, JSON in a JavaScript string.

``bbc-constituency``: the seat's page, ``h1`` the seat; once declared, the 2024 scorecards (an
``aria-label`` per candidate: "Labour, Louise Jones, 17,591 votes, 38.4% share", the party code in an
``abbr``), the verdict line ("LAB GAIN FROM CON") and the majority; an empty "Latest updates" section.
Layout 1 is the 2017/2019 table ("Name Votes 17,591 header_vote_share 38.4" lines).
"""

from __future__ import annotations

import html
from typing import Any, Final

import msgspec

from ingester.simulate.model import Fact, ShownPost
from ingester.simulate.page import OnePageShape, PageView, iso
from ingester.simulate.results import Seat

STREAM_PATH: Final = "/wc-data/container/stream"
JSON_TYPE: Final = "application/json; charset=utf-8"


def stream_id(name: str) -> str:
    return "SIM" + "".join(c for c in name.upper() if c.isalnum())[:40]


class BbcLiveShape:
    name: str = "bbc-live"
    kind: str = "bbc-live"
    content_type: str = JSON_TYPE
    page_size: int = 20
    page_param: str = "pageNumber"

    def path_for(self, name: str, default: str) -> str:
        return f"{STREAM_PATH}?liveTextStreamId={stream_id(name)}"

    def render(self, view: PageView) -> bytes:
        stream = {
            "page": {"index": view.page, "total": view.pages if view.total else 0},
            "results": [_post(view.blog.name, s) for s in view.shown],
        }
        if view.layout == 0:
            return msgspec.json.encode(stream)
        key = f"stream-data?liveTextStreamId={stream_id(view.blog.name)}&pageNumber=1&pageSize={self.page_size}"
        data = {"data": {key: {"name": "stream-data", "data": stream}}}
        literal = msgspec.json.encode(msgspec.json.encode(data).decode()).decode().replace("</", "<\\/")
        title = html.escape(view.blog.title)
        return (
            f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title} - BBC News</title></head>'
            f"<body><main><h1>{title}</h1></main><script>window.__INITIAL_DATA__={literal};</script></body></html>"
        ).encode()


def urn(blog_name: str, sim_id: str) -> str:
    return f"urn:asset:sim-{blog_name}-{sim_id}"


def _text(text: str) -> dict[str, Any]:
    fragment = {"type": "fragment", "model": {"text": text, "attributes": []}}
    paragraph = {"type": "paragraph", "model": {"text": text, "blocks": [fragment]}}
    return {"type": "text", "model": {"blocks": [paragraph]}}


def _post(blog_name: str, shown: ShownPost) -> dict[str, Any]:
    version = shown.version
    contributor = {
        "type": "contributor",
        "model": {"blocks": [{"type": "name", "model": {"blocks": [_text(shown.post.author)]}}]},
    }
    header = [{"type": "headline", "model": {"blocks": [_text(version.headline)]}}, contributor]
    return {
        "header": {"model": {"blocks": header}},
        "content": {"model": {"blocks": [_text(p) for p in version.paragraphs]}},
        "urn": urn(blog_name, shown.post.id),
        "type": "POST",
        "options": {"isBreakingNews": False, "isPinnedPost": shown.post.pinned},
        "dates": {"firstPublished": iso(shown.post.published), "lastPublished": iso(version.at)},
    }


class BbcConstituencyShape(OnePageShape):
    name: str = "bbc-constituency"
    kind: str = "bbc-constituency"

    def render(self, view: PageView) -> bytes:
        seat = view.blog.seat
        title = html.escape(view.blog.title)
        table = ""
        if seat is not None and view.shown:
            result = next((f for f in view.shown[0].version.facts if f.kind == "result"), None)
            if result is not None:
                rows = _rows(seat, result)
                table = _table_2024(seat, rows) if view.layout == 0 else _table_2017(seat, rows)
        return (
            f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title} - BBC News</title></head>'
            f"<body><main><h1>{title}</h1><p>Parliamentary constituency</p>{table}"
            "<section><h2>Latest updates</h2></section></main></body></html>"
        ).encode()


_Row = tuple[str, str, str, int, float]  # name, code, party name, votes, share


def _rows(seat: Seat, result: Fact) -> list[_Row]:
    total = sum(v for _, v in result.votes) or 1
    rows = [
        (c.name, _abbr(c.party, c.party_name), c.party_name, votes, 100.0 * votes / total)
        for c, (_, votes) in zip(seat.candidates, result.votes, strict=True)
    ]
    return sorted(rows, key=lambda r: -r[3])


def _abbr(code: str, party: str) -> str:
    """The BBC's short name: the contract code, or the initials of a small party ("Volt UK" → "VU")."""
    if code != "OTH":
        return code
    initials = "".join(word[0] for word in party.replace("-", " ").split() if word[0].isalpha()).upper()
    return (initials or "OTH")[:4]


def _verdict(seat: Seat, rows: list[_Row]) -> str:
    winner = rows[0][1]
    gained = seat.previous if seat.previous not in {None, winner} else None
    return f"{winner} GAIN FROM {gained}" if gained else f"{winner} HOLD"


def _majority(rows: list[_Row]) -> str:
    majority = rows[0][3] - rows[1][3] if len(rows) > 1 else rows[0][3]
    return f"<p>{rows[0][1]} majority</p><p>{majority:,}</p>"


def _table_2024(seat: Seat, rows: list[_Row]) -> str:
    cards = "".join(
        f'<li aria-label="{html.escape(party)}, {html.escape(name)}, {votes:,} votes, {share:.1f}% share">'
        f'<abbr title="{html.escape(party)}">{code}</abbr><span>{html.escape(name)}</span>'
        f"<span>{votes:,}</span></li>"
        for name, code, party, votes, share in rows
    )
    return (
        # "General election 2024 results" is the 2017 layout's heading; 2024 pages name the year apart
        f"<section><h2>Results</h2><p>General election 2024</p><p>{_verdict(seat, rows)}</p>"
        f"<ol>{cards}</ol>{_majority(rows)}</section>"
    )


def _table_2017(seat: Seat, rows: list[_Row]) -> str:
    lines = "".join(
        f"<p>{code}</p><p>{html.escape(party)}</p>"
        f"<p>{html.escape(name)} Votes {votes:,} header_vote_share {share:.1f}</p>"
        for name, code, party, votes, share in rows
    )
    return (
        f"<section><p>{_verdict(seat, rows)}</p><h2>General Election 2024 results</h2>"
        f"<p>Party Votes % Net percentage change in seats</p>{lines}{_majority(rows)}</section>"
    )
