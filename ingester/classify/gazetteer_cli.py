"""``ingester gazetteer``: store a constituency list in the data directory, show it, look a name up.

    ingester gazetteer import constituencies-2024.csv [--boundaries 2024|2010]
    ingester gazetteer show
    ingester gazetteer lookup "NE Derbyshire" [--election 2024-07-04]

The stored list is the one the ingester uses when the config names no ``gazetteer`` path
(:func:`ingester.classify.gazetteer.default_gazetteer`).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from ingester.classify.gazetteer import (
    BOUNDARY_SETS,
    Gazetteer,
    default_gazetteer,
    import_gazetteer,
    load_gazetteer,
    stored_dir,
)
from ingester.errors import ConfigError
from ingester.redis_embedded import default_data_dir


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    gazetteer = commands.add_parser("gazetteer", help="the constituency list: import, show, look a name up")
    actions = gazetteer.add_subparsers(dest="gazetteer_action", required=True, metavar="ACTION")

    stored = actions.add_parser("import", help="check a constituency CSV and store it in the data directory")
    stored.add_argument("file", type=Path)
    stored.add_argument("--boundaries", choices=BOUNDARY_SETS, help="its boundary set (default: from the file)")
    stored.set_defaults(handler=_import)

    show = actions.add_parser("show", help="what the data directory holds")
    show.set_defaults(handler=_show)

    lookup = actions.add_parser("lookup", help="the official entry a name matches")
    lookup.add_argument("name")
    lookup.add_argument("--election", type=_day, help="the election day, e.g. 2024-07-04 (default: newest list)")
    lookup.add_argument("--file", type=Path, help="a CSV (or a folder of them) instead of the stored list")
    lookup.set_defaults(handler=_lookup)


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if getattr(args, "data_dir", None) else default_data_dir()


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.removeprefix("parl."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date such as 2024-07-04, got {text!r}") from None


def _import(args: argparse.Namespace) -> int:
    boundaries, count = import_gazetteer(args.file, _data_dir(args), args.boundaries)
    print(f"stored {count} constituencies on the {boundaries} boundaries in {stored_dir(_data_dir(args))}")
    return 0


def _stored(args: argparse.Namespace) -> Gazetteer:
    found = default_gazetteer(_data_dir(args))
    if found is None:
        raise ConfigError(f"no gazetteer stored in {stored_dir(_data_dir(args))}: run `ingester gazetteer import FILE`")
    return found


def _show(args: argparse.Namespace) -> int:
    found = _stored(args)
    sets = {boundaries: found.count(boundaries) for boundaries in found.boundary_sets}
    print(json.dumps({"directory": str(stored_dir(_data_dir(args))), "constituencies": sets}, indent=2))
    return 0


def _lookup(args: argparse.Namespace) -> int:
    found = load_gazetteer(args.file) if args.file else _stored(args)
    seat = found.lookup(args.name, args.election)
    if seat is None:
        print(f"not found: {args.name}")
        return 3
    print(json.dumps({"name": seat.name, "code": seat.code, "ballot": seat.ballot}))
    return 0
