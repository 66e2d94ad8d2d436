"""RSS 2.0 for a simulated source: one ``item`` per post, newest first, as a newsroom's CMS writes it.

``guid`` (not a permalink) is the post's permalink, ``pubDate`` the first publication in RFC 822, the
body HTML-escaped in ``description``. An edited post keeps its guid and publication date and changes
its text, as most feeds do. Layout 1 (a CMS migration) serves the same items as Atom 1.0.
"""

from __future__ import annotations

from email.utils import format_datetime
from typing import Final
from xml.sax.saxutils import escape

from ingester.simulate.model import ShownPost
from ingester.simulate.page import OnePageShape, PageView, iso

RSS_TYPE: Final = "application/rss+xml; charset=utf-8"


class FeedShape(OnePageShape):
    name: str = "feed"
    kind: str = "feed"
    content_type: str = RSS_TYPE

    def render(self, view: PageView) -> bytes:
        if view.layout == 1:
            return _atom(view)
        items = "\n".join(_rss_item(view.url, shown) for shown in view.shown)
        newest = max(
            (s.version.at for s in view.shown), default=view.blog.posts[0].published if view.blog.posts else None
        )
        built = f"<lastBuildDate>{format_datetime(newest, usegmt=True)}</lastBuildDate>" if newest else ""
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
            f"<title>{escape(view.blog.title)}</title>\n<link>{escape(view.url)}</link>\n"
            f"<description>{escape(view.blog.title)}</description>\n<language>en-gb</language>\n{built}\n"
            f"{items}\n</channel>\n</rss>\n"
        ).encode()


def _body_html(shown: ShownPost) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in shown.version.paragraphs)


def _rss_item(url: str, shown: ShownPost) -> str:
    link = f"{url}#{shown.post.id}"
    return (
        f"<item><title>{escape(shown.version.headline)}</title><link>{escape(link)}</link>"
        f'<guid isPermaLink="false">{escape(link)}</guid>'
        f"<pubDate>{format_datetime(shown.post.published, usegmt=True)}</pubDate>"
        f"<author>newsdesk@example.com ({escape(shown.post.author)})</author>"
        f"<description>{escape(_body_html(shown))}</description></item>"
    )


def _atom(view: PageView) -> bytes:
    entries = "\n".join(
        f"<entry><id>{escape(view.url)}#{s.post.id}</id><title>{escape(s.version.headline)}</title>"
        f'<link href="{escape(view.url)}#{s.post.id}"/><published>{iso(s.post.published)}</published>'
        f"<updated>{iso(s.version.at)}</updated><author><name>{escape(s.post.author)}</name></author>"
        f'<content type="html">{escape(_body_html(s))}</content></entry>'
        for s in view.shown
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"<title>{escape(view.blog.title)}</title><id>{escape(view.url)}</id>\n{entries}\n</feed>\n"
    ).encode()
