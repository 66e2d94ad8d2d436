"""The daemon's commands: ``run``, ``record`` and ``check-config`` (registered by ``cli._parser``).

Which Redis: ``--redis`` or ``INGESTER_REDIS_URL``, else ``[redis] url`` from the config, else the
embedded Redis. The config's password, username and TLS settings apply to a configured URL, not to the
embedded one. The key prefix is the config's unless ``--prefix``/``INGESTER_PREFIX`` changes it from the
default. The gazetteer is the config's ``gazetteer``, else ``--gazetteer``/``INGESTER_GAZETTEER``, else
the one ``ingester gazetteer import`` stored in the data directory.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import msgspec
import trio

from ingester.config import Config, RedisSettings, load_config
from ingester.store import DEFAULT_PREFIX, redact_url

CONFIG_ENV = "INGESTER_CONFIG"


def register(commands: argparse._SubParsersAction[Any]) -> None:
    default = Path(os.environ.get(CONFIG_ENV, "ingester.toml"))
    run = commands.add_parser("run", help="poll every configured source until SIGTERM/SIGINT")
    run.add_argument("--config", type=Path, default=default, help=f"config file (env {CONFIG_ENV})")
    run.set_defaults(handler=run_command)

    record = commands.add_parser("record", help="run, also saving every fetch into a night archive")
    record.add_argument("--config", type=Path, default=default, help=f"config file (env {CONFIG_ENV})")
    record.add_argument("--out", type=Path, required=True, help="the night archive to create")
    record.set_defaults(handler=record_command)

    check = commands.add_parser("check-config", help="validate a config file without running anything")
    check.add_argument("file", type=Path, nargs="?", help="config file (default: --config, else ingester.toml)")
    check.add_argument("--config", type=Path, default=default, help=argparse.SUPPRESS)
    check.set_defaults(handler=check_config_command)


def run_command(args: argparse.Namespace) -> int:
    return _serve(args, night_path=None)


def record_command(args: argparse.Namespace) -> int:
    return _serve(args, night_path=args.out)


def check_config_command(args: argparse.Namespace) -> int:
    path = args.file or args.config
    config = load_config(path)
    redis = config.redis
    kinds = sorted({source.kind for source in config.sources})
    where = redact_url(redis.url) if redis.url else "the embedded Redis"
    print(
        f"{path}: ok: {len(config.sources)} sources (kinds: {', '.join(kinds)}); Redis: {where}, "
        f"prefix {redis.prefix!r}; metrics: {config.metrics.listen or 'off'}"
    )
    for warning in config_warnings(config):
        print(f"{path}: warning: {warning}", file=sys.stderr)
    return 0


def config_warnings(config: Config) -> list[str]:
    """What is legal but likely a mistake on the night."""
    warnings = []
    if config.http.user_agent_contact is None:
        warnings.append("http.user_agent_contact is not set: sites cannot tell who is polling them")
    env = config.redis.password_env
    if env is not None and not os.environ.get(env):
        warnings.append(f"redis.password_env: {env} is not set in this environment")
    if config.limits.total_timeout >= config.daemon.grace:
        warnings.append("daemon.grace is not longer than limits.total_timeout: a shutdown may cut fetches short")
    return warnings


def _serve(args: argparse.Namespace, *, night_path: Path | None) -> int:
    from ingester.classify.rules import rules_for
    from ingester.cli import _data_dir
    from ingester.daemon import Daemon, redis_factory
    from ingester.night import NightWriter
    from ingester.redis_embedded import EmbeddedRedis

    config = _with_prefix(load_config(args.config), args.prefix)
    explicit = args.redis or os.environ.get("INGESTER_REDIS_URL") or config.redis.url
    if explicit:
        connect = redis_factory(explicit, config.redis)
    else:
        embedded = EmbeddedRedis(_data_dir(args)).ensure_running()
        connect = redis_factory(embedded, RedisSettings(socket_timeout=config.redis.socket_timeout))
    rules = rules_for(config.gazetteer or args.gazetteer, _data_dir(args))
    night = NightWriter(night_path) if night_path is not None else None
    daemon = Daemon(config, connect, night=night, rules=rules)
    code: int = trio.run(daemon.run)
    return code


def _with_prefix(config: Config, prefix: str) -> Config:
    if prefix in {DEFAULT_PREFIX, config.redis.prefix}:
        return config
    redis = msgspec.structs.replace(config.redis, prefix=prefix)
    return msgspec.structs.replace(config, file=msgspec.structs.replace(config.file, redis=redis))
