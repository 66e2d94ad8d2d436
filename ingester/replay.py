"""Replay: a saved night fed through the same flow as a live run, on the recorded clock.

Only the fetch seam (the night's records instead of HTTP) and the clock (the recorded fetch times,
optionally compressed by ``speed``) differ from ``run``. Event times come from the recording, so the
same night always gives the same events with the same ids; a second replay into the same Redis
appends nothing, and a replay killed part-way resumes where Redis says it got to (each source's cursor).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext

import msgspec
import trio

from ingester.classify.base import Rule
from ingester.classify.rules import RULES
from ingester.events import Event
from ingester.flow import FetchProducer, run_flow
from ingester.night import Night
from ingester.pipeline import Processor
from ingester.publish import RedisPublisher
from ingester.store import connect, load_state
from ingester.types import Fetched


class ReplayStats(msgspec.Struct, kw_only=True):
    fetches: int = 0
    events_new: int = 0
    events_present: int = 0


ProgressHook = Callable[[int], None]


def night_producer(night: Night, speed: float | None, on_fetch: ProgressHook | None = None) -> FetchProducer:
    """Sends the night's fetches in time order; with ``speed``, spaced as recorded, ``speed`` times faster."""

    async def produce(send: trio.MemorySendChannel[Fetched]) -> None:
        if not night.fetches:
            return
        first = night.fetches[0].fetched_at
        start = trio.current_time()
        for index, fetched in enumerate(night.fetches, 1):
            if speed:
                await trio.sleep_until(start + (fetched.fetched_at - first).total_seconds() / speed)
            await send.send(fetched)
            if on_fetch is not None:
                on_fetch(index)

    return produce


async def replay_night(
    night: Night,
    redis_url: str,
    *,
    prefix: str = "ingester",
    speed: float | None = None,
    on_published: Callable[[Sequence[Event]], None] | None = None,
    on_fetch: ProgressHook | None = None,
    rules: Sequence[Rule] = RULES,
) -> ReplayStats:
    client = connect(redis_url)
    try:
        states = {name: load_state(client, prefix, name) for name in night.configs}
    finally:
        client.close()
    processor = Processor(night.configs, states, rules)
    publisher = RedisPublisher(redis_url, prefix=prefix, on_published=on_published)
    await run_flow(night_producer(night, speed, on_fetch), processor, publisher)
    return ReplayStats(
        fetches=len(night.fetches),
        events_new=publisher.events_new,
        events_present=publisher.events_duplicate,
    )


def progress_bar(total: int, enabled: bool) -> tuple[AbstractContextManager[object], ProgressHook | None]:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""
    if not enabled:
        return nullcontext(), None
    from rich.console import Console
    from rich.progress import Progress

    progress = Progress(console=Console(stderr=True), transient=True)
    task = progress.add_task("replaying", total=total)
    return progress, lambda done: progress.update(task, completed=done)
