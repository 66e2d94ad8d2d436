"""Reach plc live blogs (Derbyshire Live, the Nottingham Post, the Mirror, ...): selectors only.

Each post is an ``li.live-event__post`` named by ``data-post-id`` (its anchor ``id`` is ``post-<id>``).
Reach shows only the wall-clock time of a post (``04:53``), with no date or ``datetime``: the ``html``
adapter places it on the election night and marks it inferred. Share buttons and in-feed adverts are
furniture.
"""

from __future__ import annotations

from typing import Final

from ingester.sources.html_blog import BlogSelectors

REACH: Final = BlogSelectors(
    family="reach",
    post="li.live-event__post",
    headline=".live-event__post-title",
    time=".live-event__post-time",
    author=".live-event__post-author",
    body=".live-event__post-body",
    drop=".live-event__post-share, .live-event__ad",
    id_attributes=("data-post-id", "id"),
    hosts=(
        "derbytelegraph.co.uk",
        "nottinghampost.com",
        "leicestermercury.co.uk",
        "stokesentinel.co.uk",
        "mirror.co.uk",
        "manchestereveningnews.co.uk",
        "liverpoolecho.co.uk",
        "birminghammail.co.uk",
        "chroniclelive.co.uk",
        "walesonline.co.uk",
    ),
    marker=b'class="live-event__post"',
)
