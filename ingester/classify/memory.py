"""What a source's earlier posts called, so that a later post's full result names the call's outcome.

The classifier stays pure: it is handed the calls (``RuleInput.called``). They are read back from what
the pipeline already keeps and persists for every post, its facts (``types.Fact``): a flash's fact
digest starts with the call, ``"LAB>gain>CON>"`` and the digest proper, so that after a restart the
memory is rebuilt from the state in Redis and a replay gives the same events as a run that never
stopped. A deleted post's calls are forgotten.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from ingester.classify.base import Called
from ingester.events import Flash
from ingester.types import Fact, SourceState

_SEPARATOR: Final = ">"


def flash_digest(event: Flash, digest: str) -> str:
    """The fact digest of a flash, with the call in front."""
    gained_from = event.gained_from.code if event.gained_from else ""
    return _SEPARATOR.join((event.winner.code, event.outcome, gained_from, digest))


def called_in(facts: Iterable[Fact]) -> dict[str, Called]:
    """The calls among a post's facts, by seat (case-folded, as in the fact's slot)."""
    out: dict[str, Called] = {}
    for fact in facts:
        if not fact.slot.startswith("flash:"):
            continue
        parts = fact.digest.split(_SEPARATOR)
        if len(parts) != 4 or parts[1] not in ("gain", "hold") or not parts[0]:
            continue  # a fact from before calls were kept, or not a call
        seat = fact.slot.removeprefix("flash:").split("#", 1)[0]
        out[seat] = Called(parts[0], "gain" if parts[1] == "gain" else "hold", parts[2] or None)
    return out


class CallMemory:
    """The calls of one source's posts so far. The pipeline makes one per fetch from the source's
    state; :func:`ingester.classify.classify` reads it and adds each post's calls as it goes, so a
    flash and a full result that arrive in the same fetch (oldest first) meet too."""

    __slots__ = ("called",)

    def __init__(self, state: SourceState | None = None) -> None:
        self.called: dict[str, Called] = {}
        if state is not None:
            for post in state.posts.values():
                if not post.deleted:
                    self.called.update(called_in(post.facts))

    def learn(self, facts: Iterable[Fact]) -> None:
        self.called.update(called_in(facts))
