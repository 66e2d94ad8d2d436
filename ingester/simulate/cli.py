"""``ingester simulate``: serve a simulated election night on 127.0.0.1.

    ingester simulate --results CANDIDATES.csv --times TIMES.csv --speed 120 \\
        --truth truth.jsonl --config-out sim.toml [--fault 503@wire:1h-1h20m] [--faults faults.toml]
    ingester simulate --night samples/derbyshire-2024.warc.gz --speed 60 --truth truth.jsonl

Prints one JSON line on stdout once it serves (the URL, the night's virtual start and end, and the
wall times they map to), then serves until the night is over plus ``--linger`` seconds (``--forever``:
until SIGINT/SIGTERM). Point the daemon at it with ``ingester run --config sim.toml``.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingester.config import parse_duration
from ingester.errors import ConfigError, NightError

if TYPE_CHECKING:
    from ingester.simulate.app import Ready, SiteFactory
    from ingester.simulate.faults import Fault
    from ingester.simulate.site import Site
    from ingester.simulate.truth import TruthLine

# The command's modules are imported when it runs, so that other commands do not pay for them.
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    from ingester.cli import _positive_float as positive  # loaded already: it is calling us

    sim = commands.add_parser("simulate", help="serve a simulated election night on 127.0.0.1")
    what = sim.add_mutually_exclusive_group(required=True)
    what.add_argument("--results", type=Path, help="candidates CSV (ge2024-candidates.csv format)")
    what.add_argument("--night", type=Path, help="a saved night (WARC) to serve as recorded")
    sim.add_argument("--times", type=Path, help="declaration times CSV (with --results)")
    sim.add_argument("--speed", type=positive, default=60.0, help="virtual seconds per wall second")
    sim.add_argument("--host", default="127.0.0.1", help="loopback address to listen on")
    sim.add_argument("--port", type=int, default=0, help="port (0: any free one)")
    sim.add_argument("--truth", type=Path, help="write the ground truth (JSON lines) here")
    sim.add_argument("--config-out", type=Path, help="write an `ingester run` config for the served sources")
    sim.add_argument("--access-log", type=Path, help="write one JSON line per request served")
    sim.add_argument("--interval", type=_duration, default=10.0, help="poll interval in that config")
    sim.add_argument("--adaptive", action="store_true", help="let the daemon adapt its cadence (default: fixed)")
    sim.add_argument("--faults", type=Path, help="TOML file of [[faults]]")
    sim.add_argument("--fault", action="append", default=[], metavar="KIND[@SRC,...][:FROM[-UNTIL]]")
    sim.add_argument("--lead-in", type=float, default=2.0, help="wall seconds before the clock starts")
    sim.add_argument("--linger", type=float, default=5.0, help="wall seconds to serve after the night")
    sim.add_argument("--forever", action="store_true", help="serve until SIGINT/SIGTERM")
    plan = sim.add_argument_group("planned night (with --results)")
    plan.add_argument("--seed", type=int, default=20240704)
    plan.add_argument("--seats", type=int, help="a sample of N seats spread over the night")
    plan.add_argument("--hours", type=positive, help="squeeze the declarations into H hours")
    plan.add_argument("--blogs", type=int, default=30, help="live blogs (wire and national included)")
    plan.add_argument("--no-constituency-pages", action="store_true")
    plan.add_argument("--sisters", type=int, default=1, help="sister sites")
    plan.add_argument("--min-gap", type=_duration, default=0.0, help="virtual time between two changes of a post")
    plan.add_argument("--shapes", help="comma-separated shapes for the live blogs (default: all available)")
    sim.set_defaults(handler=simulate_command)


def simulate_command(args: argparse.Namespace) -> int:
    import msgspec
    import trio

    from ingester.simulate.app import RunOptions, run_simulation

    if args.host not in _LOOPBACK:
        raise ConfigError(f"--host {args.host!r}: the simulator only listens on loopback (127.0.0.1 or ::1)")
    faults = _faults(args)
    options = RunOptions(
        host="127.0.0.1" if args.host == "localhost" else args.host,
        port=args.port,
        linger=None if args.forever else max(0.0, args.linger),
        truth=args.truth,
        config_out=args.config_out,
        interval=args.interval,
        adaptive=args.adaptive,
        prefix=args.prefix,
        redis_url=args.redis,
        access_log=args.access_log,
    )
    make_site = _recorded_factory(args, faults) if args.night else _planned_factory(args, faults)

    def announce(ready: Ready) -> None:
        sys.stdout.buffer.write(msgspec.json.encode(ready) + b"\n")
        sys.stdout.flush()

    async def main() -> None:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(_stop_on_signal, nursery.cancel_scope)
            await run_simulation(make_site, options, faults=tuple(faults), on_ready=announce)
            nursery.cancel_scope.cancel()

    trio.run(main)
    return 0


async def _stop_on_signal(scope: Any) -> None:
    import trio

    with trio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
        async for _ in signals:
            scope.cancel()
            return


def _faults(args: argparse.Namespace) -> list[Fault]:
    from ingester.simulate.faults import load_faults, parse_fault

    faults = load_faults(args.faults) if args.faults else []
    return faults + [parse_fault(spec) for spec in args.fault]


def _planned_factory(args: argparse.Namespace, faults: list[Fault]) -> SiteFactory:
    from ingester.simulate.clock import VirtualClock
    from ingester.simulate.faults import FaultPlan
    from ingester.simulate.plan import PlanOptions, plan_night
    from ingester.simulate.results import load_seats
    from ingester.simulate.site import GeneratedSite
    from ingester.simulate.truth import generated_truth

    if args.times is None:
        raise ConfigError("--results needs --times (the declaration times CSV)")
    seats = load_seats(args.results, args.times)
    options = PlanOptions(
        seed=args.seed,
        seats=args.seats,
        hours=args.hours,
        blogs=max(1, args.blogs),
        constituency_pages=not args.no_constituency_pages,
        sisters=max(0, args.sisters),
        min_gap=args.min_gap,
        blog_shapes=tuple(s.strip() for s in args.shapes.split(",") if s.strip()) if args.shapes else (),
    )
    night = plan_night(seats, options)

    def make(base_url: str) -> tuple[Site, Iterable[TruthLine], datetime]:
        clock = VirtualClock(night.start, args.speed, lead_in=args.lead_in)
        site = GeneratedSite(night, clock, FaultPlan(faults, night.start, seed=args.seed), base_url)
        return site, generated_truth(site), night.end

    return make


def _recorded_factory(args: argparse.Namespace, faults: list[Fault]) -> SiteFactory:
    from ingester.night import read_night
    from ingester.simulate.clock import VirtualClock
    from ingester.simulate.faults import FaultPlan
    from ingester.simulate.recorded import RecordedSite, recorded_truth

    recorded = read_night(args.night)
    if not recorded.fetches:
        raise NightError(f"{args.night}: no fetches to serve")
    start, end = recorded.fetches[0].fetched_at, recorded.fetches[-1].fetched_at

    def make(base_url: str) -> tuple[Site, Iterable[TruthLine], datetime]:
        clock = VirtualClock(start, args.speed, lead_in=args.lead_in)
        site = RecordedSite(recorded, clock, FaultPlan(faults, start), base_url)
        return site, recorded_truth(recorded, clock, base_url), end

    return make


def _duration(text: str) -> float:
    try:
        return float(parse_duration(text))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
