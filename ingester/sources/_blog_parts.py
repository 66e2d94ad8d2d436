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
    """The posts in page order, and for each field its nodes in page order with the index of their post.

    ``scope`` is a node that holds every post (their common ancestor when one was found cheaply, else the
    root): a query for what lies inside posts need not look further."""

    __slots__ = ("fields", "nested", "posts", "scope")

    def __init__(
        self,
        posts: list[LexborNode],
        fields: dict[str, tuple[list[LexborNode], list[int]]],
        *,
        nested: bool = False,
        scope: LexborNode | None = None,
    ) -> None:
        self.posts = posts
        self.fields = fields
        self.nested = nested  # found in page order (posts inside posts)
        self.scope = scope

    def first(self, name: str) -> dict[int, LexborNode]:
        """Post index to the first node of the field in that post."""
        nodes, owners = self.fields.get(name, ((), ()))
        # Reversed, so that the first node of each post is the one left in the dict; all of it in C.
        return dict(zip(reversed(owners), reversed(nodes), strict=True))

    def each(self, name: str) -> tuple[list[LexborNode | None], bool]:
        """The first node of the field in each post, in post order (None where a post has none), and
        whether every post has one. One node per post in post order (the usual page) is the list itself."""
        nodes, owners = self.fields.get(name, ([], []))
        count = len(self.posts)
        if len(nodes) == count and owners == list(range(count)):
            return list(nodes), True
        first = self.first(name)
        return list(map(first.get, range(count))), len(first) == count

    def per_post(self, name: str) -> int:
        """How many nodes of the field every post has, when every post has the same number; else 0."""
        nodes, owners = self.fields.get(name, ([], []))
        count = len(self.posts)
        each = len(nodes) // count if count else 0
        # Owners never decrease (parts are in page order, each given to its post or the post before it):
        # each post's first and last node at every ``each``-th place means exactly ``each`` per post.
        every = list(range(count))
        fits = each and len(nodes) == each * count and owners[::each] == every and owners[each - 1 :: each] == every
        return each if fits else 0

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
        return PostParts(self.posts[:limit], fields, nested=self.nested, scope=self.scope)


def within(post: str, parts: str) -> str:
    """``parts`` (a selector list) restricted to descendants of ``post``."""
    return ", ".join(f"{post} {part.strip()}" for part in parts.split(",") if part.strip())


def find_parts(root: LexborNode, selectors: PostSelectors) -> PostParts:
    """The posts under ``root`` and their parts, furniture removed first."""
    posts = root.css(selectors.post)
    if not posts:  # furniture is only ever inside a post: none to remove either
        return PostParts([], {}, scope=root)
    # The posts' common ancestor holds everything inside them; not when the root is a post itself (it is
    # then the ancestor that would hold more than the root).
    scope = _common_ancestor(posts) if posts[0].mem_id != root.mem_id else None
    if scope is None:
        if root.css_first(f"{selectors.post} {selectors.post}") is not None:
            return _parts_in_page_order(root, selectors)
        scope = root
    index = dict(zip(map(_MEM_ID, posts), range(len(posts)), strict=True))
    if selectors.drop:
        for node in scope.css(within(selectors.post, selectors.drop)):
            node.decompose(recursive=False)
    fields: dict[str, tuple[list[LexborNode], list[int]]] = {}
    claimed: set[int] = set()
    for name in FIELDS:
        selector: str | None = getattr(selectors, name)
        if not selector:
            continue
        nodes = scope.css(within(selectors.post, selector))
        ids = list(map(_MEM_ID, nodes))
        if claimed and not claimed.isdisjoint(ids):  # an earlier field has them
            nodes = [n for n, i in zip(nodes, ids, strict=True) if i not in claimed]
        claimed.update(ids)
        owners = _owners(nodes, index)
        if owners is None:  # a part more than MAX_CLIMB below its post: the walk takes any depth in its stride
            return _parts_in_page_order(root, selectors)
        fields[name] = (nodes, owners)
    return PostParts(posts, fields, scope=scope)


def _common_ancestor(posts: list[LexborNode]) -> LexborNode | None:
    """An ancestor that the posts share at one distance (a few C-level maps), which shows that no post
    holds another (they are all at one depth) and holds everything inside them; None if there is none
    within a few levels (one query then says whether posts nest)."""
    for depth in range(1, 4):
        path = "parent." * (depth - 1) + "parent"
        try:
            if len(set(map(attrgetter(path + ".mem_id"), posts))) == 1:
                ancestor: LexborNode | None = attrgetter(path)(posts[0])
                return ancestor
        except AttributeError:  # the root is nearer than that
            break
    return None


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
        if None in owners:
            return None
    return owners  # type: ignore[return-value]  # None is not in it


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
            node.decompose(recursive=False)
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
    return PostParts(posts, fields, nested=True, scope=root)
