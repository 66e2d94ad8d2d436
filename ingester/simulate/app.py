"""Running a simulation: the server, the site at the virtual time, the ground truth and the daemon config.

    run_simulation ─┬─ HttpServer (127.0.0.1, any free port) ── site.respond(target, headers, n)
                    ├─ ground-truth writer (paced by the virtual clock)
                    └─ until the night's end + ``linger`` (None: until cancelled)

``GET /_sim/status`` answers the virtual time, the speed and request counts as JSON. The ingester
config written next to it (:func:`daemon_config`) points one source at every page, at a fixed interval
unless ``adaptive``, with limits fit for a single local host (no per-host gap, a wide gate).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path

import msgspec
import trio

from ingester.simulate.clock import VirtualClock
from ingester.simulate.faults import Fault
from ingester.simulate.server import HttpServer
from ingester.simulate.site import Reply, ServedSource, Site
from ingester.simulate.truth import TruthHeader, TruthLine, write_truth

STATUS_PATH = "/_sim/status"


class RunOptions(msgspec.Struct, frozen=True, kw_only=True):
    host: str = "127.0.0.1"
    port: int = 0
    linger: float | None = 5.0  # wall seconds to serve after the night's end; None: until cancelled
    truth: Path | None = None
    config_out: Path | None = None
    interval: float = 10.0
    adaptive: bool = False
    prefix: str = "ingester"
    redis_url: str | None = None
    access_log: Path | None = None  # one JSON line per request: wall time, source, status, delivery


class Ready(msgspec.Struct, frozen=True, kw_only=True):
    """Printed (one JSON line) once the simulator serves."""

    url: str
    start: datetime
    end: datetime
    speed: float
    wall_start: float
    wall_end: float
    config: str | None
    truth: str | None


SiteFactory = Callable[[str], tuple[Site, Iterable[TruthLine], datetime]]


async def run_simulation(
    make_site: SiteFactory,
    options: RunOptions,
    *,
    faults: tuple[Fault, ...] = (),
    on_ready: Callable[[Ready], None] | None = None,
    task_status: trio.TaskStatus[Ready] = trio.TASK_STATUS_IGNORED,
) -> HttpServer:
    """Serves until the night is over (plus ``linger``); ``make_site(base_url)`` builds the site."""
    simulation = _Simulation(make_site, options, faults)
    with simulation.log:
        async with trio.open_nursery() as nursery:
            ready = await simulation.start(nursery)
            if on_ready is not None:
                on_ready(ready)
            task_status.started(ready)
            if options.linger is None:
                await trio.sleep_forever()
            await simulation.site.clock.sleep_until(ready.end)
            await trio.sleep(options.linger)
            nursery.cancel_scope.cancel()
    return simulation.server


class _Simulation:
    def __init__(self, make_site: SiteFactory, options: RunOptions, faults: tuple[Fault, ...]) -> None:
        self._make_site = make_site
        self.options = options
        self.faults = faults
        self.log = AccessLog(options.access_log)
        self.server = HttpServer(self._respond)
        self._site: Site | None = None

    @property
    def site(self) -> Site:
        assert self._site is not None
        return self._site

    async def start(self, nursery: trio.Nursery) -> Ready:
        """Listens, builds the site on the bound URL, writes the config and starts the ground truth."""
        options = self.options
        port = await nursery.start(self.server.serve, options.host, options.port)
        base_url = f"http://{options.host}:{port}"
        site, truth_lines, end = self._make_site(base_url)
        self._site = site
        clock = site.clock
        if options.config_out is not None:
            options.config_out.write_text(daemon_config(site.served_sources(), base_url, options))
        if options.truth is not None:
            header = TruthHeader(
                start=clock.start,
                end=end,
                speed=clock.speed,
                wall_start=clock.wall_start,
                base_url=base_url,
                sources=tuple(site.served_sources()),
                faults=self.faults,
            )
            nursery.start_soon(_write_truth, options.truth, header, truth_lines, clock)
        return Ready(
            url=base_url,
            start=clock.start,
            end=end,
            speed=clock.speed,
            wall_start=clock.wall_start,
            wall_end=clock.wall_of(end),
            config=str(options.config_out) if options.config_out else None,
            truth=str(options.truth) if options.truth else None,
        )

    def _respond(self, target: str, headers: Mapping[str, str], number: int) -> Reply:
        site = self._site
        if site is None:
            return Reply(status=503, headers={"retry-after": "1"})
        if target == STATUS_PATH:
            server = self.server
            status = {
                "now": site.clock.now().isoformat(),
                "speed": site.clock.speed,
                "requests": server.requests,
                "by_status": {str(k): v for k, v in server.by_status.items()},
                "by_source": dict(server.by_source),
            }
            body = json.dumps(status).encode()
            return Reply(status=200, headers={"content-type": "application/json"}, body=body)
        return self.log.logged(site.respond(target, headers, number))


async def _write_truth(path: Path, header: TruthHeader, lines: Iterable[TruthLine], clock: VirtualClock) -> None:
    with path.open("wb") as out:
        await write_truth(out, header, lines, clock)


class AccessLog:
    """Request lines (JSON) to a file, if one is given; flushed every ``FLUSH_EVERY`` lines and at exit."""

    FLUSH_EVERY = 200

    def __init__(self, path: Path | None) -> None:
        self._out = path.open("wb") if path is not None else None
        self._pending = 0

    def logged(self, reply: Reply) -> Reply:
        if self._out is not None:
            line = {"wall": time.time(), "source": reply.source, "status": reply.status, "delivery": reply.delivery}
            self._out.write(json.dumps(line).encode() + b"\n")
            self._pending += 1
            if self._pending >= self.FLUSH_EVERY:
                self._out.flush()
                self._pending = 0
        return reply

    def __enter__(self) -> AccessLog:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._out is not None:
            self._out.close()


def daemon_config(sources: Iterable[ServedSource], base_url: str, options: RunOptions) -> str:
    """An ``ingester run`` config polling every served source (TOML)."""
    interval = f"{options.interval:g}s"
    lines = ["# Written by `ingester simulate`: every simulated source, on this machine only.", "", "[redis]"]
    if options.redis_url:
        lines.append(f"url = {json.dumps(options.redis_url)}")
    lines += [
        f"prefix = {json.dumps(options.prefix)}",
        "",
        "[metrics]",
        'listen = ""',
        "",
        "[limits]",
        'min_gap = "0s"',
        "per_host_concurrency = 64",
        'connect_timeout = "2s"',
        'read_timeout = "4s"',
        'total_timeout = "6s"',
        'backoff_max = "30s"',
        'retry_after_max = "60s"',
        "",
        "[daemon]",
        'grace = "15s"',
        "jitter = 0.0",
        "",
        "[http]",
        'user_agent_contact = "https://example.invalid/ingester-simulate"',
    ]
    for source in sources:
        lines += [
            "",
            "[[sources]]",
            f"name = {json.dumps(source.name)}",
            f"url = {json.dumps(base_url + source.path)}",
            f"kind = {json.dumps(source.kind)}",
            f'interval = "{interval}"',
        ]
        if not options.adaptive:
            lines += [f'min_interval = "{interval}"', f'max_interval = "{interval}"']
        if source.election:
            lines.append(f"election = {json.dumps(source.election)}")
        lines.append("test = true")
    return "\n".join(lines) + "\n"
