"""Which id the ingester publishes a simulated post under, learnt from the adapter itself.

Each shape's adapter names posts its own way (a JSON-LD ``@id``, a ``data-post-id``, a BBC ``urn``, a
feed ``guid``, a results page's ``#result-<election>``). Rather than restate those rules, a probe page of
one post is rendered once per shape and read back with the real adapter and the differ's identity; the
id found, with the probe's URL, blog name, post id and election replaced by markers, is the pattern for
every other post of that shape. ``tests/simulate/test_shapes.py`` checks the pattern on whole pages.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Final

from ingester import differ, sources
from ingester.errors import ConfigError
from ingester.simulate.model import Blog, Fact, SimPost, Version, visible_posts
from ingester.simulate.page import PageView
from ingester.simulate.results import Candidate, Seat
from ingester.simulate.shapes import ALL_SHAPES
from ingester.types import AdapterContext

_URL: Final = "http://probe.invalid/probe-path"
_BLOG: Final = "probeblog"
_POST: Final = "probepost"
_ELECTION: Final = "parl.2024-07-04"
_MARKS: Final = (("\x00url", _URL), ("\x00blog", _BLOG), ("\x00post", _POST), ("\x00election", _ELECTION))
_AT: Final = datetime(2024, 7, 5, 1, 0, tzinfo=UTC)


def post_id(shape_name: str, blog: Blog, url: str, sim_id: str) -> str:
    """The ``post_id`` of the ingester's events for post ``sim_id`` of ``blog`` served at ``url``."""
    text = id_pattern(shape_name)
    for mark, value in (("\x00url", url), ("\x00blog", blog.name), ("\x00post", sim_id)):
        text = text.replace(mark, value)
    return text.replace("\x00election", blog.election or "unknown")


@cache
def id_pattern(shape_name: str) -> str:
    shape = ALL_SHAPES[shape_name]
    blog = _probe_blog(shape_name)
    page = shape.render(PageView(blog=blog, url=_URL, shown=tuple(visible_posts(blog, _AT)), total=1))
    context = AdapterContext(url=_URL, headers={"content-type": shape.content_type}, election=_ELECTION)
    ids = list(differ.identify(sources.extract(shape.kind, page, context).posts))
    if len(ids) != 1:
        raise ConfigError(f"shape {shape_name}: its adapter read {len(ids)} posts from a one-post probe page")
    pattern = ids[0]
    for mark, value in _MARKS:
        pattern = pattern.replace(value, mark)
    return pattern


def _probe_blog(shape_name: str) -> Blog:
    seat = Seat(
        name="Probe Town",
        code="E14999999",
        region="Probe",
        country="England",
        candidates=(
            Candidate(name="Ann Probe", party="LAB", party_name="Labour", votes=200),
            Candidate(name="Bob Probe", party="CON", party_name="Conservative", votes=100),
        ),
        declared_at=_AT,
        previous="CON",
    )
    result = Fact(kind="result", subject=seat.name, winner="LAB", votes=(("LAB", 200), ("CON", 100)))
    version = Version(at=_AT, headline="Probe headline", paragraphs=("A probe paragraph.",), facts=(result,))
    post = SimPost(id=_POST, author="Probe Author", versions=(version,))
    return Blog(
        name=_BLOG, shape=shape_name, path="/probe-path", title="Probe", posts=(post,), seat=seat, election=_ELECTION
    )
