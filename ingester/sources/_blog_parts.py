"""The post blocks of a live-blog page and the parts of each post, found with a few whole-page queries.

A part (a headline, a time, an author, a body) belongs to the post before it in document order; a node
that two fields select goes to the earlier field. Where posts do not nest (every real blog), the post
before a part is the post that holds it, so each part's post is found by climbing from the part to its
nearest post: one query per field plus a C-level map over the parts, rather than a Python step per node
of one combined query. A page whose posts nest takes the combined query (``_parts_in_page_order``).

Furniture (``drop``) is removed before the parts are found, as if it were not on the page.
"""

from __future__ import annotations

from contextlib import suppress
from operator import attrgetter
from typing import Final, Protocol

from selectolax.lexbor import LexborNode

FIELDS: Final = ("headline", "time", "author", "body")
_MEM_ID: Final = attrgetter("mem_id")
MAX_CLIMB: Final = 64  # a part deeper than this below its post is found by the page-order walk


class PostSelectors(Protocol):
    """What ``find_parts`` reads of a ``BlogSelectors``."""

    @property
    def post(self) -> str: ...
    @property
    def drop(self) -> str | None: ...
    @property
    def headline(self) -> str | None: ...
    @property
    def time(self) -> str | None: ...
    @property
    def author(self) -> str | None: ...
    @property
    def body(self) -> str | None: ...


class PostParts:
    """The posts in page order, and for each field its nodes in page order with the index of their post."""

    __slots__ = ("fields", "nested", "posts")

    def __init__(
        self,
        posts: list[LexborNode],
        fields: dict[str, tuple[list[LexborNode], list[int]]],
        *,
        nested: bool = False,
    ) -> None:
        self.posts = posts
        self.fields = fields
        self.nested = nested  # found in page order (posts inside posts)

    def first(self, name: str) -> dict[int, LexborNode]:
        """Post index to the first node of the field in that post."""
        nodes, owners = self.fields.get(name, ((), ()))
        # Reversed, so that the first node of each post is the one left in the dict; all of it in C.
        return dict(zip(reversed(owners), reversed(nodes), strict=True))

    def grouped(self, name: str) -> dict[int, list[LexborNode]]:
        """Post index to every node of the field in that post, in page order."""
        groups: dict[int, list[LexborNode]] = {}
        for node, owner in zip(*self.fields.get(name, ((), ())), strict=True):
            groups.setdefault(owner, []).append(node)
        return groups

    def truncated(self, limit: int) -> PostParts:
        """The first ``limit`` posts and their parts."""
        fields = {
            name: ([n for n, o in zip(nodes, owners, strict=True) if o < limit], [o for o in owners if o < limit])
            for name, (nodes, owners) in self.fields.items()
        }
        return PostParts(self.posts[:limit], fields, nested=self.nested)


def within(post: str, parts: str) -> str:
    """``parts`` (a selector list) restricted to descendants of ``post``."""
    return ", ".join(f"{post} {part.strip()}" for part in parts.split(",") if part.strip())


def find_parts(root: LexborNode, selectors: PostSelectors) -> PostParts:
    """The posts under ``root`` and their parts, furniture removed first."""
    posts = root.css(selectors.post)
    if not posts:  # furniture is only ever inside a post: none to remove either
        return PostParts([], {})
    if _may_nest(root, selectors.post, posts):
        return _parts_in_page_order(root, selectors)
    index = {node_id: i for i, node_id in enumerate(map(_MEM_ID, posts))}
    if selectors.drop:
        for node in root.css(within(selectors.post, selectors.drop)):
            node.decompose()
    fields: dict[str, tuple[list[LexborNode], list[int]]] = {}
    claimed: set[int] = set()
    for name in FIELDS:
        selector: str | None = getattr(selectors, name)
        if not selector:
            continue
        nodes = root.css(within(selectors.post, selector))
        ids = list(map(_MEM_ID, nodes))
        if claimed and not claimed.isdisjoint(ids):  # an earlier field has them
            nodes = [n for n, i in zip(nodes, ids, strict=True) if i not in claimed]
        claimed.update(ids)
        owners = _owners(nodes, index)
        if owners is None:  # a part more than MAX_CLIMB below its post: the walk takes any depth in its stride
            return _parts_in_page_order(root, selectors)
        fields[name] = (nodes, owners)
    return PostParts(posts, fields)


def _may_nest(root: LexborNode, selector: str, posts: list[LexborNode]) -> bool:
    """Whether a post holds another. Posts that share an ancestor at one distance are all at one depth,
    so none holds another (a few C-level maps); else one query says."""
    for depth in range(1, 4):
        try:
            if len(set(map(attrgetter("parent." * depth + "mem_id"), posts))) == 1:
                return False
        except AttributeError:  # the root is nearer than that
            break
    return root.css_first(f"{selector} {selector}") is not None


def _owners(nodes: list[LexborNode], index: dict[int, int]) -> list[int] | None:
    """The post of each part (its nearest post ancestor); None if a part is too far below its post.

    Parts of one field usually sit at one depth below their post: the ancestor at the first part's
    depth is read for all of them by one ``attrgetter`` chain mapped in C; a part elsewhere climbs."""
    if not nodes:
        return []
    depth = _depth(nodes[0], index)
    owners: list[int | None] = [None] * len(nodes)
    if depth is not None:
        with suppress(AttributeError):  # a part nearer the root than that: every part climbs
            owners = list(map(index.get, map(attrgetter("parent." * depth + "mem_id"), nodes)))
    if None in owners:
        owners = [o if o is not None else _climb(n, index) for n, o in zip(nodes, owners, strict=True)]
    placed = [o for o in owners if o is not None]
    return placed if len(placed) == len(owners) else None


def _depth(node: LexborNode, index: dict[int, int]) -> int | None:
    parent, depth = node.parent, 1
    while parent is not None and depth <= MAX_CLIMB:
        if parent.mem_id in index:
            return depth
        parent, depth = parent.parent, depth + 1
    return None


def _climb(node: LexborNode, index: dict[int, int]) -> int | None:
    parent, depth = node.parent, 1
    while parent is not None and depth <= MAX_CLIMB:
        found = index.get(parent.mem_id)
        if found is not None:
            return found
        parent, depth = parent.parent, depth + 1
    return None


def _parts_in_page_order(root: LexborNode, selectors: PostSelectors) -> PostParts:
    """Nested posts: one query for the posts and all parts in document order, each part given to the
    post before it (a Python step per node, so only for pages that need it)."""
    if selectors.drop:
        for node in root.css(within(selectors.post, selectors.drop)):
            node.decompose()
    posts_found = root.css(selectors.post)
    post_ids = set(map(_MEM_ID, posts_found))
    queries = [selectors.post]
    found: list[tuple[str, list[LexborNode]]] = []
    for name in FIELDS:
        selector: str | None = getattr(selectors, name)
        if selector:
            queries.append(within(selectors.post, selector))
            found.append((name, root.css(queries[-1])))
    kinds: dict[int, str] = {}
    for name, nodes in reversed(found):  # a node two fields select goes to the earlier field
        kinds.update(dict.fromkeys(map(_MEM_ID, nodes), name))
    posts: list[LexborNode] = []
    fields: dict[str, tuple[list[LexborNode], list[int]]] = {name: ([], []) for name, _ in found}
    nodes = root.css(", ".join(queries))
    for node, node_id in zip(nodes, map(_MEM_ID, nodes), strict=True):
        if node_id in post_ids:
            posts.append(node)
        elif posts and (part := kinds.get(node_id)) is not None:
            fields[part][0].append(node)
            fields[part][1].append(len(posts) - 1)
    return PostParts(posts, fields, nested=True)
