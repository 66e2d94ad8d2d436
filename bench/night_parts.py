"""The parts of ``bench/night.py`` that are not proofs: a Redis of its own, a CPU and memory sampler of
the daemon, and working folders that ``--keep`` copies."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ingester.redis_embedded import find_redis_server, redis_config, wait_until_answering


class BenchRedis:
    """A redis-server child on a unix socket with the AOF flushed on every write."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.socket = folder / "r.sock"
        self.config = folder / "redis.conf"
        self.config.write_text(redis_config(folder, self.socket, daemonize=False, appendfsync="always"))
        self.process: subprocess.Popen[bytes] | None = None
        self.url = f"unix://{self.socket}"

    def start(self) -> None:
        self.process = subprocess.Popen([find_redis_server(), str(self.config)], stdout=subprocess.DEVNULL)
        wait_until_answering(self.socket, self.folder / "redis.log", timeout=10, load_timeout=60)

    def stop(self, *, kill: bool = False) -> None:
        if self.process is not None:
            self.process.kill() if kill else self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


class Sampler(threading.Thread):
    """CPU seconds and resident memory of one process, every half second, from /proc; starts at once."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, float, int]] = []  # wall, cpu seconds, rss bytes
        self._done = threading.Event()
        self.start()

    def run(self) -> None:
        ticks = os.sysconf("SC_CLK_TCK")
        while not self._done.wait(0.5):
            try:
                stat = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
                rss = int(Path(f"/proc/{self.pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            except (OSError, IndexError, ValueError):
                return
            self.samples.append((time.time(), (int(stat[11]) + int(stat[12])) / ticks, rss))

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=5)

    def cpu_percent(self, since: float, until: float) -> float:
        inside = [s for s in self.samples if since <= s[0] <= until]
        if len(inside) < 2:
            return 0.0
        return 100 * (inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0])

    def rss_mb_at(self, moment: float) -> float:
        nearest = min(self.samples, key=lambda s: abs(s[0] - moment))
        return nearest[2] / 2**20


@contextmanager
def folder(keep: Path | None, name: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=f"bn-{name}-", dir="/tmp"))
    try:
        yield path
    finally:
        if keep is not None:
            shutil.copytree(path, keep / name, dirs_exist_ok=True)
        shutil.rmtree(path, ignore_errors=True)
