"""Shared fixtures: a real, throwaway redis-server per test (no Redis mocks anywhere).

``redis_server`` yields a :class:`RedisServer` on a unix socket with the AOF on (``appendfsync always``,
so that a SIGKILL loses nothing acknowledged); ``redis_url`` is its URL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from ingester.redis_embedded import (
    MAX_SOCKET_PATH,
    find_redis_server,
    log_tail,
    redis_config,
    wait_until_answering,
)
from ingester.store import make_client

START_TIMEOUT_S = 10.0


class RedisServer:
    """One redis-server child process; ``stop``/``kill`` then ``start`` reloads the same AOF."""

    def __init__(self, directory: Path, *, extra_config: str = "") -> None:
        self.directory = directory
        self._socket_dir: Path | None = None
        socket = directory / "redis.sock"
        if len(os.fsencode(socket)) > MAX_SOCKET_PATH:
            self._socket_dir = Path(tempfile.mkdtemp(prefix="rs-", dir="/tmp"))
            socket = self._socket_dir / "redis.sock"
        self.socket = socket
        self.config = directory / "redis.conf"
        self.config.write_text(redis_config(directory, socket, daemonize=False, appendfsync="always") + extra_config)
        self._process: subprocess.Popen[bytes] | None = None
        self._clients: list[redis.Redis] = []

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def client(self) -> redis.Redis:
        client = make_client(self.url)
        self._clients.append(client)
        return client

    def start(self) -> None:
        assert self._process is None, "already running"
        self._process = subprocess.Popen(
            [find_redis_server(), str(self.config)],
            cwd=self.directory,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_answering(
                self.socket,
                self.directory / "redis.log",
                timeout=START_TIMEOUT_S,
                load_timeout=START_TIMEOUT_S,
            )
        except Exception:
            self.kill()
            raise

    def stop(self) -> None:
        """A graceful SHUTDOWN (the AOF is flushed), waiting for the process to exit."""
        process = self._require_process()
        client = make_client(self.url)
        try:
            client.shutdown()  # returns once the connection drops, as it does on success
        finally:
            client.close()
        try:
            process.wait(START_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail(f"redis-server ignored SHUTDOWN; {log_tail(self.directory / 'redis.log')}")
        self._process = None

    def kill(self) -> None:
        """SIGKILL: the crash case; the socket file stays behind, as it would."""
        process = self._require_process()
        process.kill()
        process.wait()
        self._process = None

    def close(self) -> None:
        for client in self._clients:
            client.close()
        if self._process is not None:
            self.kill()
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)

    def _require_process(self) -> subprocess.Popen[bytes]:
        assert self._process is not None, "not running"
        return self._process


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory)
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    return redis_server.url
