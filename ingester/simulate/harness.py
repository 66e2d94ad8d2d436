"""Running a simulated night against the real daemon, both as child processes, every wait bounded.

Used by ``tests/simulate`` (short nights) and ``bench/night.py`` (full ones):

- :class:`NightSpec`: what ``ingester simulate`` is asked for and how fast the daemon polls it;
- :class:`Simulator` and :class:`Daemon`: the two commands in child processes (the daemon can be
  SIGKILLed and restarted at will);
- :func:`reference_for`: the streams of an uninterrupted run of the same night, computed;
- :func:`differences`: live streams against those, per stream (missing, extra, repeated).
"""

from __future__ import annotations

import json
import select
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Final

import msgspec
import redis

from ingester.simulate.app import Ready
from ingester.simulate.clock import VirtualClock
from ingester.simulate.faults import Fault, FaultPlan
from ingester.simulate.measure import Published, read_published
from ingester.simulate.plan import PlanOptions, plan_night
from ingester.simulate.reference import Pages, Streams, reference_events, reference_streams
from ingester.simulate.results import load_seats
from ingester.simulate.site import GeneratedSite
from ingester.simulate.truth import Truth, read_truth

START_TIMEOUT: Final = 30.0
STOP_TIMEOUT: Final = 60.0


class NightSpec(msgspec.Struct, frozen=True, kw_only=True):
    candidates: Path
    times: Path
    seats: int | None = 20
    hours: float | None = 0.4
    blogs: int = 5
    speed: float = 400.0
    min_gap: float = 1200.0  # virtual seconds between two changes of one post
    interval: float = 1.0  # the daemon's poll interval, wall seconds
    seed: int = 20240704
    faults: tuple[Fault, ...] = ()

    def plan(self) -> PlanOptions:
        return PlanOptions(seed=self.seed, seats=self.seats, hours=self.hours, blogs=self.blogs, min_gap=self.min_gap)

    def args(self) -> list[str]:
        args = ["--results", str(self.candidates), "--times", str(self.times), "--blogs", str(self.blogs)]
        args += ["--speed", f"{self.speed:g}", "--min-gap", f"{self.min_gap:g}s", "--interval", f"{self.interval:g}s"]
        args += ["--seed", str(self.seed)]
        args += ["--seats", str(self.seats)] if self.seats is not None else []
        return args + (["--hours", f"{self.hours:g}"] if self.hours is not None else [])


def faults_toml(faults: Sequence[Fault]) -> str:
    """A ``--faults`` file holding these faults."""
    lines = []
    for fault in faults:
        lines.append("[[faults]]")
        for name, value in msgspec.structs.asdict(fault).items():
            if value is not None:
                lines.append(f"{name} = {json.dumps(list(value) if isinstance(value, tuple) else value)}")
        lines.append("")
    return "\n".join(lines)


def ingester(*args: str, redis_url: str | None = None, prefix: str = "ingester") -> list[str]:
    command = [sys.executable, "-m", "ingester", "--log-format", "json", "--prefix", prefix]
    return command + (["--redis", redis_url] if redis_url else []) + list(args)


class Simulator:
    """``ingester simulate`` in a child process; ``ready`` is its first stdout line."""

    def __init__(self, folder: Path, spec: NightSpec, *extra: str) -> None:
        self.folder = folder
        self.truth_path = folder / "truth.jsonl"
        self.config = folder / "sim.toml"
        self.access_log = folder / "access.jsonl"
        self._stderr = (folder / "simulate.log").open("wb")
        if spec.faults:
            (folder / "faults.toml").write_text(faults_toml(spec.faults))
            extra = ("--faults", str(folder / "faults.toml"), *extra)
        args = ["simulate", *spec.args(), "--truth", str(self.truth_path), "--config-out", str(self.config)]
        args += ["--access-log", str(self.access_log), "--lead-in", "1.5", "--linger", "2", *extra]
        self.process = subprocess.Popen(ingester(*args), stdout=subprocess.PIPE, stderr=self._stderr)
        self.ready = self._read_ready()

    def _read_ready(self) -> Ready:
        assert self.process.stdout is not None
        readable, _, _ = select.select([self.process.stdout], [], [], START_TIMEOUT)
        line = self.process.stdout.readline() if readable else b""
        if not line:
            self.close()
            raise RuntimeError(f"the simulator did not start: {self.log_tail()}")
        return msgspec.json.decode(line, type=Ready)

    def wait(self, extra: float = 30.0) -> None:
        """Until the night is over (plus the linger), bounded."""
        code = self.process.wait(timeout=max(0.0, self.ready.wall_end - time.time()) + extra)
        if code != 0:
            raise RuntimeError(f"the simulator exited {code}: {self.log_tail()}")

    def truth(self) -> Truth:
        return read_truth(self.truth_path)

    def log_tail(self) -> str:
        return (self.folder / "simulate.log").read_text(errors="replace")[-2000:]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._stderr.close()


class Daemon:
    """``ingester run`` on the simulator's config, in a child process."""

    def __init__(self, folder: Path, config: Path, redis_url: str, prefix: str, *, name: str = "daemon") -> None:
        self.log_path = folder / f"{name}.log"
        self._log = self.log_path.open("ab")
        command = ingester("run", "--config", str(config), redis_url=redis_url, prefix=prefix)
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=self._log)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-2000:]

    def wait_started(self, timeout: float = START_TIMEOUT) -> None:
        """Until the daemon says it has started (its pollers are running), bounded."""
        deadline = time.monotonic() + timeout
        while b'"daemon started"' not in self.log_path.read_bytes():
            if not self.alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the daemon did not start: {self.log_tail()}")
            time.sleep(0.02)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log.close()

    def stop(self) -> int:
        """SIGTERM, then the drain; the exit code."""
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=STOP_TIMEOUT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=10)
            self._log.close()
        return code


class NightRun(msgspec.Struct, frozen=True, kw_only=True):
    """A night the daemon polled from start to end: whether it lived through it, what Redis holds."""

    simulator: Simulator
    alive: bool
    exit_code: int
    truth: Truth
    items: list[Published]


def run_night(
    folder: Path, spec: NightSpec, redis_url: str, prefix: str, *extra: str, watch: Callable[[int], None] | None = None
) -> NightRun:
    """The simulator serves the night, one daemon polls it throughout, then stops (SIGTERM)."""
    simulator = Simulator(folder, spec, *extra)
    try:
        daemon = Daemon(folder, simulator.config, redis_url, prefix)
        if watch is not None:
            watch(daemon.pid)
        simulator.wait(extra=120)
        alive = daemon.alive()
        code = daemon.stop()
    finally:
        simulator.close()
    return NightRun(
        simulator=simulator, alive=alive, exit_code=code, truth=simulator.truth(), items=published(redis_url, prefix)
    )


def published(redis_url: str, prefix: str) -> list[Published]:
    client = redis.Redis.from_url(redis_url)
    try:
        return read_published(client, prefix)
    finally:
        client.close()


def live_streams(items: Sequence[Published], sources: Collection[str] | None = None) -> Streams:
    streams: Streams = {"posts": Counter(), "events": Counter()}
    for item in items:
        if sources is None or item.event.source in sources:
            streams[item.stream][item.event.event_id] += 1
    return streams


def reference_for(
    spec: NightSpec, base_url: str, sources: Collection[str] | None = None, pages: Pages = "poller"
) -> Streams:
    """The events of an uninterrupted run of the same night, served at the same URL."""
    return reference_streams(_site(spec, base_url), sources, pages)


def missing_by_source(spec: NightSpec, base_url: str, items: Sequence[Published]) -> Counter[str]:
    """Per source, the events of the uninterrupted run that the live run lacks."""
    live = {item.event.event_id for item in items}
    return Counter(e.source for e in reference_events(_site(spec, base_url)) if e.event_id not in live)


def _site(spec: NightSpec, base_url: str) -> GeneratedSite:
    night = plan_night(load_seats(spec.candidates, spec.times), spec.plan())
    return GeneratedSite(night, VirtualClock(night.start, spec.speed), FaultPlan(spec.faults, night.start), base_url)


def differences(live: Streams, expected: Streams) -> dict[str, tuple[int, int, int]]:
    """Per stream: (missing, extra, repeated) event ids; all zero when the streams are equal."""
    out = {}
    for name in expected:
        got, want = live.get(name, Counter()), expected[name]
        missing = sum(1 for k in want if k not in got)
        extra = sum(1 for k in got if k not in want)
        repeated = sum(n - 1 for n in got.values() if n > 1)
        out[name] = (missing, extra, repeated)
    return out
