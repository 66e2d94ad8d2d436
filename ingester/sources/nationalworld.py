"""National World live blogs (the Derbyshire Times, the Yorkshire Post, ...): selectors only.

Each post is a ``div.live-blog-post`` whose ``data-post-id`` (and ``id``) names it; a ``time`` with a
``datetime``, a headline ``h2``, a "By ..." author and a body block; share links are furniture. The same
pages also carry the blog as JSON-LD, which the ``jsonld`` adapter reads when ``--kind auto`` sees it.
"""

from __future__ import annotations

from typing import Final

from ingester.sources.html_blog import BlogSelectors

NATIONALWORLD: Final = BlogSelectors(
    family="nationalworld",
    post="div.live-blog-post",
    headline=".live-blog-post__headline",
    time="time",
    author=".live-blog-post__author",
    body=".live-blog-post__body",
    drop=".live-blog-post__share, .advert",
    id_attributes=("data-post-id", "id"),
    hosts=(
        "derbyshiretimes.co.uk",
        "nationalworld.com",
        "yorkshirepost.co.uk",
        "sheffieldstar.co.uk",
        "scotsman.com",
        "lep.co.uk",
        "newsletter.co.uk",
    ),
    marker=b'class="live-blog-post"',
)
