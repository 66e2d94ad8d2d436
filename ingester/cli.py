"""The ``ingester`` console script.

Every expected failure is an ``IngesterError``: it is printed as one line on stderr and the command
exits 1 (argparse's usage errors exit 2). Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import trio

from ingester import commands_daemon, events, log
from ingester.classify import gazetteer_cli
from ingester.classify.base import Rule
from ingester.classify.rules import rules_for
from ingester.errors import ConfigError, IngesterError, NightError, RedisUnavailable
from ingester.redis_embedded import EmbeddedRedis, default_data_dir
from ingester.simulate import cli as simulate_cli
from ingester.sources import get_adapter
from ingester.sources._text import parse_iso

MAX_EXTRACT_BYTES = 20 * 1024 * 1024


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    log.configure(json=None if args.log_format == "auto" else args.log_format == "json")
    try:
        code: int = args.handler(args)
    except IngesterError as err:
        print(f"ingester: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ingester", description="Election-night live-blog ingester.")
    parser.add_argument("--data-dir", type=Path, help="where the embedded Redis lives (env INGESTER_DATA_DIR)")
    parser.add_argument("--redis", help="Redis URL (env INGESTER_REDIS_URL); absent: the embedded Redis")
    parser.add_argument("--prefix", default=os.environ.get("INGESTER_PREFIX", "ingester"), help="stream prefix")
    parser.add_argument("--log-format", choices=("auto", "json", "console"), default="auto")
    parser.add_argument(
        "--gazetteer",
        type=Path,
        default=os.environ.get("INGESTER_GAZETTEER") or None,
        help="constituency list CSV (env INGESTER_GAZETTEER; default: the one `gazetteer import` stored)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    schema = commands.add_parser("schema", help="print the JSON Schema of the events")
    schema.set_defaults(handler=_schema)

    extract = commands.add_parser("extract", help="run one page or text file through adapter and classifier")
    extract.add_argument("file", type=Path)
    extract.add_argument("--kind", default="auto")
    extract.add_argument("--election", help="date context for page times, e.g. parl.2024-07-04")
    extract.add_argument("--source", default="extract", help="source name for the events")
    extract.add_argument("--observed-at", help="ISO time to stamp as the fetch time (default: now)")
    extract.set_defaults(handler=_extract)

    replay = commands.add_parser("replay", help="feed a saved night through the pipeline into Redis")
    replay.add_argument("night", type=Path)
    pace = replay.add_mutually_exclusive_group()
    pace.add_argument("--speed", type=_positive_float, help="replay N times faster than recorded")
    pace.add_argument("--fast", action="store_true", help="as fast as possible (the default)")
    replay.add_argument("--show", action="store_true", help="print each event as Redis takes it")
    replay.set_defaults(handler=_replay)

    tail = commands.add_parser("tail", help="print events from the streams as they arrive")
    tail.add_argument("--type", dest="kind", choices=events.KINDS, help="one kind's stream (default: all typed)")
    tail.add_argument("--group", help="read as this consumer group (acknowledges what it printed)")
    tail.add_argument("--consumer", default=f"tail-{os.getpid()}", help="consumer name within the group")
    tail.add_argument("--from-start", action="store_true", help="begin with the oldest entry")
    tail.add_argument("--once", action="store_true", help="stop when caught up")
    tail.add_argument("--claim-idle", type=_positive_float, default=60.0, help="seconds before claiming")
    tail.add_argument("--format", choices=("auto", "json", "pretty"), default="auto")
    tail.set_defaults(handler=_tail)

    redis_cmd = commands.add_parser("redis", help="the embedded Redis: status or stop")
    redis_cmd.add_argument("action", choices=("status", "stop"))
    redis_cmd.set_defaults(handler=_redis)

    commands_daemon.register(commands)
    simulate_cli.add_parser(commands)
    gazetteer_cli.add_parser(commands)
    return parser


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
    return value


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else default_data_dir()


def _redis_url(args: argparse.Namespace) -> str:
    url = args.redis or os.environ.get("INGESTER_REDIS_URL")
    return url if url else EmbeddedRedis(_data_dir(args)).ensure_running()


def _rules(args: argparse.Namespace) -> tuple[Rule, ...]:
    return rules_for(args.gazetteer, _data_dir(args))


def _schema(_: argparse.Namespace) -> int:
    print(json.dumps(events.json_schema(), indent=2, sort_keys=True))
    return 0


def _read_input(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_EXTRACT_BYTES:
            raise ConfigError(f"{path}: {size} bytes is over the {MAX_EXTRACT_BYTES}-byte limit")
        return path.read_bytes()
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror or err}") from None


def _extract(args: argparse.Namespace) -> int:
    from ingester.pipeline import Processor
    from ingester.types import Fetched, SourceConfig

    get_adapter(args.kind)
    observed = datetime.now(UTC)
    if args.observed_at:
        observed_at = parse_iso(args.observed_at)
        if observed_at is None:
            raise ConfigError(f"--observed-at: expected an ISO time with an offset, got {args.observed_at!r}")
        observed = observed_at
    body = _read_input(args.file)
    url = args.file.resolve().as_uri()
    content_type = mimetypes.guess_type(args.file.name)[0] or "application/octet-stream"
    config = SourceConfig(name=args.source, url=url, kind=args.kind, election=args.election)
    processor = Processor({config.name: config}, {}, _rules(args))
    fetched = Fetched(
        source=config.name,
        url=url,
        fetched_at=observed,
        status=200,
        headers={"content-type": content_type},
        body=body,
    )
    unit = processor.process(fetched)
    if unit is None:
        reason = "; ".join(processor.last_warnings) or "no posts found"
        raise ConfigError(f"{args.file}: {reason}")
    out = sys.stdout.buffer
    for event in unit.events:
        out.write(events.encode(event) + b"\n")
    out.flush()
    return 0


def _replay(args: argparse.Namespace) -> int:
    from ingester.night import read_night
    from ingester.replay import progress_bar, replay_night

    night = read_night(args.night)
    rules = _rules(args)
    url = _redis_url(args)
    show: Callable[[Sequence[events.Event]], None] | None = None
    if args.show:
        from ingester.tail import summarise

        def show(new: Sequence[events.Event]) -> None:
            for event in new:
                print(summarise(events.encode(event)), flush=True)

    bar, on_fetch = progress_bar(len(night.fetches), sys.stderr.isatty() and not args.show)
    speed = None if args.fast else args.speed
    with bar:
        stats = trio.run(
            lambda: replay_night(
                night, url, prefix=args.prefix, speed=speed, on_published=show, on_fetch=on_fetch, rules=rules
            )
        )
    print(
        f"replayed {stats.fetches} fetches from {args.night}: {stats.events_new} events appended, "
        f"{stats.events_present} already present",
        file=sys.stderr,
    )
    if night.warnings:
        # What could be read was replayed; a damaged night still deserves a failing exit status.
        extra = f" (+{len(night.warnings) - 1} more)" if len(night.warnings) > 1 else ""
        raise NightError(f"{night.warnings[0]}{extra}")
    return 0


def _tail(args: argparse.Namespace) -> int:
    import redis

    from ingester.store import connect
    from ingester.tail import TailOptions, stream_for, summarise, tail

    pretty = args.format == "pretty" or (args.format == "auto" and sys.stdout.isatty())
    client = connect(_redis_url(args))
    options = TailOptions(
        stream=stream_for(args.prefix, args.kind),
        group=args.group,
        consumer=args.consumer,
        from_start=args.from_start,
        once=args.once,
        claim_idle_ms=int(args.claim_idle * 1000),
    )

    def emit(data: bytes) -> None:
        line = summarise(data).encode() if pretty else data
        sys.stdout.buffer.write(line + b"\n")
        sys.stdout.buffer.flush()

    try:
        tail(client, options, emit)
    except (redis.ConnectionError, redis.TimeoutError) as err:
        raise RedisUnavailable(f"lost the connection to Redis: {err}") from None
    return 0


def _redis(args: argparse.Namespace) -> int:
    server = EmbeddedRedis(_data_dir(args))
    if args.action == "stop":
        stopped = server.stop()
        print("stopped" if stopped else "not running")
        return 0
    status = server.status()
    print(json.dumps(status, indent=2, default=str))
    return 0 if status.get("running") else 3
