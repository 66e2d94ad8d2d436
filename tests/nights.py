"""Running the console script in tests, and reading back what it appended."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import cast

import redis

Entry = tuple[bytes, dict[bytes, bytes]]


def entries(client: redis.Redis, stream: str | bytes) -> list[Entry]:
    """XRANGE of a whole stream (the test clients do not decode replies)."""
    return cast(list[Entry], client.xrange(stream))


def ingester_command(redis_url: str, *args: str, prefix: str = "ingester") -> list[str]:
    return [
        sys.executable,
        "-m",
        "ingester",
        "--log-format",
        "json",
        "--redis",
        redis_url,
        "--prefix",
        prefix,
        *args,
    ]


def run_ingester(redis_url: str, *args: str, prefix: str = "ingester", timeout: float = 120) -> None:
    subprocess.run(
        ingester_command(redis_url, *args, prefix=prefix),
        check=True,
        timeout=timeout,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ,
    )


def stream_ids(client: redis.Redis, prefix: str) -> dict[str, list[bytes]]:
    """Every stream of a prefix, as the list of event ids in the order appended."""
    streams: dict[str, list[bytes]] = {}
    for key in sorted(client.scan_iter(match=f"{prefix}:events*")) + sorted(client.scan_iter(match=f"{prefix}:posts")):
        if client.type(key) != b"stream":
            continue
        name = key.decode().removeprefix(prefix)
        streams[name] = [fields[b"event_id"] for _, fields in entries(client, key)]
    return streams


def stream_data(client: redis.Redis, prefix: str, stream: str) -> list[bytes]:
    return [fields[b"data"] for _, fields in entries(client, f"{prefix}{stream}")]
