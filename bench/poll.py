"""Benchmark: the daemon's polling stack at N sources against a local HTTP server, 5-second cadence.

    .venv/bin/python bench/poll.py [--quick] [--sizes 100,1000,5000] [--interval 5] [--window 30]

What runs in this process is the daemon's own stack, minus Redis: one ``Poller`` per source (cadence
with jitter), the ``Fetcher`` (host gates, conditional GET, one httpx client per 32 sources of a host),
the ``ReportingProcessor`` (a 304 costs no parsing) and the metrics observer, wired by ``run_flow``.
Unchanged sources publish nothing, so the publisher is a sink here.

The HTTP server is a separate process (asyncio, keep-alive) listening on 127.0.0.1 .. 127.0.0.H, one
address per "host" with 50 sources each, so the per-host gates and clients are exercised as in a real
night. Every page carries an ETag; after the first poll every answer is a 304 (unchanged sources).

Reported per N, after a warm-up (every page fetched and parsed once, then half an interval; quick: no more), over
``--window`` seconds: the CPU of this process as % of one core, fetches/s against the cadence's
``scheduled_per_s``, the p50/p99 drift of polls from their schedule (a poll is late when the cycle
before it overran), and fetch latency. ``shared`` rows repeat a size with one client for every host
(the choice the issue asks to show: httpcore scans its pool per request, quadratic in requests in
flight). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime

import msgspec
import trio

from ingester import log
from ingester.cadence import Cadence
from ingester.feedback import ReportBoard, ReportingProcessor
from ingester.fetch import ClientScope, Fetcher, FetchLimits
from ingester.flow import CollectingPublisher, run_flow
from ingester.metrics import Metrics
from ingester.poller import Poller, Stopper
from ingester.settings import SourceSettings
from ingester.types import Fetched, SourceConfig

SOURCES_PER_HOST = 50
# One short post: the warm-up parses every page once, and that is not what is measured.
PAGE = b"Counting under way\n\nVerification has started in the sports hall; turnout looks higher than in 2019.\n"


# --- the server process ------------------------------------------------------------------------------


class _Page(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._buffer = b""

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while b"\r\n\r\n" in self._buffer:
            head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
            if b'if-none-match: "v1"' in head.lower():
                self._transport.write(b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\nContent-Length: 0\r\n\r\n')
            else:
                self._transport.write(
                    b'HTTP/1.1 200 OK\r\nETag: "v1"\r\nContent-Type: text/plain; charset=utf-8\r\n'
                    b"Content-Length: %d\r\n\r\n%s" % (len(PAGE), PAGE)
                )


async def _serve(hosts: int) -> None:
    loop = asyncio.get_running_loop()
    first = await loop.create_server(_Page, "127.0.0.1", 0, backlog=4096)
    port = first.sockets[0].getsockname()[1]
    for index in range(2, hosts + 1):
        await loop.create_server(_Page, f"127.0.0.{index}", port, backlog=4096)
    print(port, flush=True)
    await asyncio.sleep(3600)


def _start_server(hosts: int) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen([sys.executable, __file__, "--serve", str(hosts)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, int(process.stdout.readline())


# --- the daemon side ---------------------------------------------------------------------------------


class Observer(Metrics):
    """The daemon's metrics, plus the raw numbers the bench reports."""

    def __init__(self) -> None:
        super().__init__()
        self.fetch_count = 0
        self.errors = 0
        self.drifts: list[float] = []
        self.latencies: list[float] = []

    def fetched(self, source: str, fetched: Fetched, seconds: float) -> None:
        super().fetched(source, fetched, seconds)
        self.fetch_count += 1
        self.latencies.append(seconds)
        self.errors += fetched.status is None

    def polled(self, source: str, drift: float) -> None:
        super().polled(source, drift)
        self.drifts.append(drift)


def _sources(count: int, port: int, interval: float) -> list[SourceSettings]:
    return [
        SourceSettings(
            name=f"s{index}",
            url=f"http://127.0.0.{index // SOURCES_PER_HOST + 1}:{port}/page/{index}",
            kind="text",
            interval=interval,
            min_interval=interval,
            max_interval=interval,
            election="parl.2024-07-04",
            test=True,
            max_pages=1,
        )
        for index in range(count)
    ]


class Run(msgspec.Struct, frozen=True, kw_only=True):
    sources: int
    clients: ClientScope
    port: int
    interval: float
    window: float
    per_host: int
    settle: float  # after the warm-up, before measuring


async def _measure(run: Run) -> dict[str, object]:
    sources = _sources(run.sources, run.port, run.interval)
    board, stopper, observer = ReportBoard(), Stopper(), Observer()
    configs = {s.name: SourceConfig(name=s.name, url=s.url, kind=s.kind, test=True) for s in sources}
    processor = ReportingProcessor(configs, {}, board)
    fetcher = Fetcher(FetchLimits(min_gap=0, per_host_concurrency=run.per_host), client_per=run.clients)
    result: dict[str, object] = {}

    async def produce(send: trio.MemorySendChannel[Fetched]) -> None:
        async with trio.open_nursery() as pollers:
            for source in sources:
                poller = Poller(
                    source,
                    fetch=fetcher.fetch,
                    emit=send.send,
                    board=board,
                    stopper=stopper,
                    cadence=Cadence(source, jitter=0.1),
                    observer=observer,
                )
                pollers.start_soon(poller.run)
            # Warm-up: every source fetched and parsed once (a 200), then ``settle`` more seconds so
            # that the run is on 304s only.
            with trio.move_on_after(6 * run.interval):  # bounded: a collapsing setup never gets there
                while processor.fetches < run.sources:
                    await trio.sleep(0.1)
            await trio.sleep(run.settle)
            start = (observer.fetch_count, len(observer.drifts), len(observer.latencies))
            cpu, wall = time.process_time(), time.monotonic()
            await trio.sleep(run.window)
            cpu, wall = time.process_time() - cpu, time.monotonic() - wall
            drifts = sorted(observer.drifts[start[1] :])
            latencies = sorted(observer.latencies[start[2] :])
            result.update(
                sources=run.sources,
                clients=run.clients,
                per_host=run.per_host,
                cpu_percent=round(100 * cpu / wall, 1),
                fetches_per_s=round((observer.fetch_count - start[0]) / wall, 1),
                scheduled_per_s=round(run.sources / run.interval, 1),  # what the cadence asks for
                drift_p50_ms=_percentile_ms(drifts, 0.5),
                drift_p99_ms=_percentile_ms(drifts, 0.99),
                fetch_p50_ms=_percentile_ms(latencies, 0.5),
                fetch_p99_ms=_percentile_ms(latencies, 0.99),
                errors=observer.errors,
                http_clients=fetcher.client_count(),
            )
            stopper.stop()

    try:
        await run_flow(produce, processor, CollectingPublisher(), buffer=256)  # only warm-up units
    finally:
        await fetcher.aclose()
    return result


def _percentile_ms(ordered: list[float], fraction: float) -> float | None:
    return round(1000 * ordered[int(fraction * (len(ordered) - 1))], 1) if ordered else None


def main() -> int:
    parser = argparse.ArgumentParser(description="poll N sources against a local server")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="short windows; the whole run under 60 s")
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--window", type=float, help="seconds measured per run (default 30, quick 3)")
    parser.add_argument("--per-host", type=int, default=4, help="requests in flight per host")
    parser.add_argument("--shared-at", default="1000", help="sizes also run with one shared client ('' for none)")
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.serve))
        return 0
    log.configure(json=True, level=logging.WARNING)  # as the daemon filters, quieter: this is a bench
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    sizes = [int(size) for size in args.sizes.split(",")]
    window = args.window or (3.0 if args.quick else 30.0)
    runs: list[tuple[int, ClientScope]] = [(size, "host") for size in sizes]
    runs += [(int(size), "shared") for size in args.shared_at.split(",") if size]
    server, port = _start_server(max(1, -(-max(sizes) // SOURCES_PER_HOST)))
    results = []
    try:
        for size, clients in runs:
            result = trio.run(
                _measure,
                Run(
                    sources=size,
                    clients=clients,
                    port=port,
                    interval=args.interval,
                    window=window,
                    per_host=args.per_host,
                    settle=0.0 if args.quick else args.interval / 2,
                ),
            )
            results.append(result)
            print(
                f"{size:>5} sources  {clients:<6}  cpu {result['cpu_percent']:>5}% of a core  "
                f"{result['fetches_per_s']:>7} fetches/s (of {result['scheduled_per_s']})  "
                f"drift p50/p99 {result['drift_p50_ms']}/{result['drift_p99_ms']} ms  "
                f"fetch p50/p99 {result['fetch_p50_ms']}/{result['fetch_p99_ms']} ms  errors {result['errors']}",
                file=sys.stderr,
                flush=True,
            )
    finally:
        server.kill()
        server.wait()
    summary = {
        "bench": "poll",
        "interval_s": args.interval,
        "window_s": window,
        "cores": os.cpu_count(),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "results": results,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
