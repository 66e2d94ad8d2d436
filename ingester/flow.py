"""Wires the stages with bounded trio memory channels: fetches → processor → publisher.

    producer ──Fetched──► [fetch channel] ──► processor ──PublishUnit──► [unit channel] ──► publisher

Both channels are bounded, so a slow publisher (Redis down, retrying) fills the unit channel, stalls
the processor, fills the fetch channel and finally blocks the producer: backpressure, never an
unbounded queue. When the producer returns, each stage drains what it holds and closes the next
channel, so everything in flight is published before :func:`run_flow` returns.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import trio

from ingester.pipeline import Processor
from ingester.types import Fetched, Publisher, PublishUnit

FetchProducer = Callable[[trio.MemorySendChannel[Fetched]], Awaitable[None]]


async def run_flow(
    produce: FetchProducer,
    processor: Processor,
    publisher: Publisher,
    *,
    buffer: int = 64,
) -> None:
    send_fetch, receive_fetch = trio.open_memory_channel[Fetched](buffer)
    send_unit, receive_unit = trio.open_memory_channel[PublishUnit](buffer)
    async with trio.open_nursery() as nursery:
        await nursery.start(publisher.run, receive_unit)
        nursery.start_soon(_process, receive_fetch, send_unit, processor)
        async with send_fetch:
            await produce(send_fetch)


async def _process(
    receive: trio.MemoryReceiveChannel[Fetched],
    send: trio.MemorySendChannel[PublishUnit],
    processor: Processor,
) -> None:
    async with receive, send:
        async for fetched in receive:
            unit = processor.process(fetched)
            if unit is not None:
                await send.send(unit)
            else:
                await trio.lowlevel.checkpoint()


class CollectingPublisher:
    """The in-memory twin of the publisher: keeps every unit, for tests and ``extract``."""

    def __init__(self) -> None:
        self.units: list[PublishUnit] = []

    async def run(
        self,
        receive: trio.MemoryReceiveChannel[PublishUnit],
        *,
        task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
    ) -> None:
        task_status.started()
        async with receive:
            async for unit in receive:
                self.units.append(unit)
