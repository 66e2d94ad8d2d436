"""Local-paper live blogs in HTML for simulated sources.

Layout 0 is a National World page (``ingester.samples.derbyshire_times.render_blog_page``: post blocks
``div.live-blog-post`` with ``data-post-id``, plus the same blog as JSON-LD). Layout 1, the "redesign",
is Reach's markup: ``li.live-event__post`` blocks that show only the wall-clock time (BST) of each post.
The redesign keeps the CMS's post ids as anchors (a real Reach page writes ``post-<id>``), so that the
fault tests a new layout, not new identities.
"""

from __future__ import annotations

import html
from typing import Final

from ingester.samples.derbyshire_times import SamplePost, render_blog_page
from ingester.simulate.model import ShownPost
from ingester.simulate.page import OnePageShape, PageView
from ingester.simulate.results import LONDON

_PAGE: Final = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title></head><body>'
    '<main><h1 class="article-title">{title}</h1><ul class="live-event__posts">{posts}</ul></main></body></html>'
)


class HtmlShape(OnePageShape):
    name: str = "html"
    kind: str = "html"

    def render(self, view: PageView) -> bytes:
        if view.layout == 0:
            return render_blog_page([sample_post(s) for s in view.shown], url=view.url, title=view.blog.title)
        posts = "".join(_reach_post(s) for s in view.shown)
        return _PAGE.format(title=html.escape(view.blog.title), posts=posts).encode()


def sample_post(shown: ShownPost) -> SamplePost:
    version = shown.version
    return SamplePost(
        id=shown.post.id,
        headline=version.headline,
        paragraphs=version.paragraphs,
        published=shown.post.published.isoformat(),
        modified=version.at.isoformat() if shown.revision else None,
        author=shown.post.author,
    )


def _reach_post(shown: ShownPost) -> str:
    post, version = shown.post, shown.version
    body = "".join(f"<p>{html.escape(p)}</p>" for p in version.paragraphs)
    local = post.published.astimezone(LONDON).strftime("%H:%M")
    return (
        f'<li class="live-event__post" data-post-id="{post.id}" id="{post.id}">'
        f'<span class="live-event__post-time">{local}</span>'
        f'<h3 class="live-event__post-title">{html.escape(version.headline)}</h3>'
        f'<span class="live-event__post-author">By {html.escape(post.author)}</span>'
        f'<div class="live-event__post-body">{body}</div></li>'
    )
