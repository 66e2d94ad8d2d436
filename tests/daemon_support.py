"""Helpers for the daemon's tests: configs on the test server, pages of posts, what Redis holds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import redis
import trio

from ingester import differ, sources
from ingester.config import Config, parse_config
from ingester.daemon import Daemon, redis_factory
from ingester.events import decode
from ingester.types import AdapterContext
from tests.httpserver import Server

ELECTION = "parl.2024-07-04"


def page(source: str, count: int) -> bytes:
    """A text page of ``count`` headlined posts, newest first, as a live blog lists them."""
    posts = [f"Update {n} from {source}\n\nCounting goes on in hall {n} of the {source} count.\n" for n in range(count)]
    return "\n".join(reversed(posts)).encode()


def post_ids(body: bytes) -> set[str]:
    """What the text adapter and the differ make of a page: the ids its posts are published under."""
    extraction = sources.extract("text", body, AdapterContext(url="http://x/", election=ELECTION))
    return set(differ.identify(extraction.posts))


def config_text(
    redis_url: str | None,
    urls: dict[str, str],
    *,
    prefix: str = "live",
    grace: str = "10s",
    total_timeout: str = "5s",
    extra: str = "",
) -> str:
    lines = ["[redis]"]
    if redis_url is not None:
        lines.append(f'url = "{redis_url}"')
    lines += [
        f'prefix = "{prefix}"',
        "",
        "[metrics]",
        'listen = "127.0.0.1:0"',
        "",
        "[limits]",
        'min_gap = "0s"',
        'connect_timeout = "2s"',
        'read_timeout = "5s"',
        f'total_timeout = "{total_timeout}"',
        "",
        "[daemon]",
        f'grace = "{grace}"',
        "jitter = 0.0",
        "",
        "[http]",
        'user_agent_contact = "https://newsroom.example/ingester"',
        extra,
    ]
    for name, url in urls.items():
        lines += [
            "",
            "[[sources]]",
            f'name = "{name}"',
            f'url = "{url}"',
            'kind = "text"',
            'interval = "1s"',
            'min_interval = "1s"',
            'max_interval = "1s"',
            f'election = "{ELECTION}"',
        ]
    return "\n".join(lines) + "\n"


def daemon_config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "ingester.toml"
    path.write_text(text)
    return parse_config(text, name=str(path), base_dir=tmp_path)


def make_daemon(config: Config, redis_url: str, **options: object) -> Daemon:
    return Daemon(config, redis_factory(redis_url, config.redis), handle_signals=False, **options)  # type: ignore[arg-type]


async def start(nursery: trio.Nursery, daemon: Daemon, codes: list[int]) -> None:
    """Starts ``daemon.run`` in ``nursery``; its exit code lands in ``codes``."""

    async def run(*, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        codes.append(await daemon.run(task_status=task_status))

    await nursery.start(run)


async def wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    with trio.fail_after(timeout):
        while not condition():
            await trio.sleep(0.02)


def answered_with(server: Server, path: str, body: bytes) -> bool:
    return any(seen.route is not None and seen.route.body == body for seen in server.answered(path))


class StreamEvent(msgspec.Struct, frozen=True):
    event_id: str
    kind: str
    source: str
    post_id: str
    action: str | None


def stream_events(client: redis.Redis, stream: str) -> list[StreamEvent]:
    found = []
    entries: Any = client.xrange(stream)
    for _, fields in entries:
        event = decode(fields[b"data"])
        action = getattr(event, "action", None)
        found.append(StreamEvent(event.event_id, fields[b"type"].decode(), event.source, event.post_id, action))
    return found
