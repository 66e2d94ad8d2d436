"""Benchmark: the election-night proofs, measured against the simulator, in one table.

    .venv/bin/python bench/night.py [--quick] [--data DIR] [--keep DIR]

Runs ``ingester simulate`` and ``ingester run`` as child processes against a redis-server of its own
(AOF, ``appendfsync always``), on 127.0.0.1 only:

1. latency and 2. completeness and 4. load: a whole night (650 seats from the results file, 30 live
   blogs, 650 constituency pages) at a 10 s cadence, squeezed into 6 hours and played 120 times faster
   (about five minutes). Latency: from a post's appearance to its ``post`` event in Redis, p50 and p99
   against the interval. Completeness: facts stated by the night against typed events, per kind.
   Load: the daemon's CPU and resident memory over the night, and the event rate.
3. crash safety: a night of 100 seats with the daemon SIGKILLed at 20 random moments, and another with
   Redis restarted, then killed and kept down for 60 s of the night (never less than 5 wall seconds);
   both against the uninterrupted run of the same night (every page state read once).
5. hostile servers: every fault at once, each on its own source, for a window of the night.

``--quick`` runs small nights of each (under a minute). The data files are read from ``--data``
(default: the shared folder next to the repository), never copied. Prints the table, then one line of
JSON with every figure.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import msgspec
import redis as redis_py
from night_parts import BenchRedis, Sampler, folder

from ingester.simulate.faults import Fault
from ingester.simulate.harness import (
    Daemon,
    NightSpec,
    Simulator,
    differences,
    live_streams,
    missing_by_source,
    published,
    reference_for,
    run_night,
)
from ingester.simulate.measure import (
    completeness,
    detection_latency,
    duplicate_ids,
    healthy_sources,
    latency_split,
    post_changes,
)
from ingester.simulate.model import MEASURED_KINDS, Blog
from ingester.simulate.plan import plan_night
from ingester.simulate.results import load_seats

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
Row = tuple[str, str, str, str, str]  # proof, measure, value, target, ok


def reply_times(access_log: Path) -> dict[str, list[float]]:
    """Per source, the wall times of the simulator's replies, sorted."""
    replies: dict[str, list[float]] = {}
    for line in access_log.read_bytes().splitlines():
        request = json.loads(line)
        replies.setdefault(request["source"], []).append(request["wall"])
    for times in replies.values():
        times.sort()
    return replies


def ok(flag: bool) -> str:
    return "yes" if flag else "NO"


def night_run(spec: NightSpec, keep: Path | None) -> tuple[list[Row], dict[str, Any]]:
    """Proofs 1, 2 and 4 on one night."""
    with folder(keep, "night") as path:
        redis = BenchRedis(path)
        redis.start()
        samplers: list[Sampler] = []
        try:
            # served two intervals past the night's end, so that its last posts are polled too
            run = run_night(
                path,
                spec,
                redis.url,
                "night",
                "--linger",
                f"{2 * spec.interval:g}",
                watch=lambda pid: samplers.append(Sampler(pid)),
            )
            replies = reply_times(run.simulator.access_log)
            client = redis_py.Redis.from_url(redis.url)
            repeated = sum(duplicate_ids(client, "night").values())
            client.close()
        finally:
            for sampler in samplers:
                sampler.stop()
            redis.stop()
    sampler, truth, items, alive, code = samplers[0], run.truth, run.items, run.alive, run.exit_code
    ready = run.simulator.ready
    span = ready.wall_end - ready.wall_start
    latency = detection_latency(truth, items, interval=spec.interval, visible_for=2 * spec.interval)
    split = latency_split(truth, items, replies)
    requests = sum(len(times) for times in replies.values())
    changes = post_changes(truth, items, visible_for=2 * spec.interval)
    scores = completeness(truth, items, visible_for=2 * spec.interval)
    sources = len(truth.header.sources)
    rss = [sampler.rss_mb_at(ready.wall_start + f * span) for f in (0.25, 0.5, 0.75, 1.0)]
    cpu = sampler.cpu_percent(ready.wall_start, ready.wall_end)
    events = len(items)
    p50_target, p99_target = 0.5 * spec.interval + 0.1, spec.interval + 0.25
    p50, p99 = latency.p50 or 0.0, latency.p99 or 0.0
    missing = {k: len(v) for k, v in changes.missing.items()}
    rows: list[Row] = [
        ("1 latency", f"p50 ({latency.measured} posts, {spec.interval:g} s interval)",
         f"{p50:.2f} s = {p50 / spec.interval:.2f}x", f"<= {p50_target:.2f} s", ok(0 < p50 <= p50_target)),
        ("1 latency", "p99", f"{p99:.2f} s = {p99 / spec.interval:.2f}x", f"<= {p99_target:.2f} s",
         ok(0 < p99 <= p99_target)),
        ("1 latency", "p50 / p99 split: wait for the next poll; the daemon's share after its reply",
         f"{split.wait[0]:.2f} / {split.wait[1]:.2f} s; {split.share[0]:.3f} / {split.share[1]:.3f} s", "", ""),
        ("1 latency", "posts missed (incl. scrolled off a page)", f"{len(latency.missed)} of {latency.posts}", "0",
         ok(not latency.missed)),
        ("2 complete", "edits / removals missed", f"{missing.get('updated', 0)} / {missing.get('deleted', 0)}", "0 / 0",
         ok(not changes.missing)),
        ("2 complete", "removals published for posts still on show", str(len(changes.spurious)), "0",
         ok(not changes.spurious)),
        ("2 complete", "events repeated in a stream", str(repeated), "0", ok(repeated == 0)),
    ]  # fmt: skip
    for kind in MEASURED_KINDS:
        score = scores[kind]
        rows.append(
            (f"2 {kind}", f"precision / recall ({score.stated} stated)", f"{score.precision or 0:.3f} / "
             f"{score.recall or 0:.3f}", "1 / 1, once", ok(score.recall == 1 and score.duplicates == 0))
        )  # fmt: skip
    rows += [
        ("4 load", f"daemon CPU, {sources} sources at {spec.interval:g} s", f"{cpu:.0f}% of a core", "", ""),
        ("4 load", "daemon RSS at 25/50/75/100% of the night", " / ".join(f"{r:.0f}" for r in rss) + " MB",
         "flat", ok(rss[-1] - rss[0] < 0.25 * rss[0])),
        ("4 load", "events / fetches per second", f"{events / span:.1f} / {requests / span:.1f}", "", ""),
        ("4 load", "daemon alive, exit code on SIGTERM", f"{alive}, {code}", "True, 0", ok(alive and code == 0)),
    ]  # fmt: skip
    figures = {
        "latency_p50_s": latency.p50, "latency_p99_s": latency.p99, "latency_p50_ratio": latency.p50_ratio,
        "latency_p99_ratio": latency.p99_ratio, "latency_wait_s": split.wait, "latency_share_s": split.share,
        "posts": latency.posts, "posts_missed": len(latency.missed),
        "changes_missed": missing, "spurious_removals": len(changes.spurious), "repeated": repeated,
        "missed_by_source": dict(Counter(m.split()[0] for m in latency.missed).most_common(8)),
        "spurious_by_source": dict(Counter(m.split()[0] for m in changes.spurious).most_common(8)),
        "changes_missed_by_source": {k: dict(Counter(m.split()[0] for m in v).most_common(5))
                                     for k, v in changes.missing.items()},
        "facts_missed_by_source": {k: dict(Counter(m.split()[0] for m in scores[k].missed).most_common(5))
                                   for k in MEASURED_KINDS},
        "cpu_percent": round(cpu, 1),
        "rss_mb": [round(r, 1) for r in rss], "events_per_s": round(events / span, 1),
        "fetches_per_s": round(requests / span, 1), "sources": sources,
        "precision": {k: scores[k].precision for k in MEASURED_KINDS},
        "recall": {k: scores[k].recall for k in MEASURED_KINDS},
        "duplicates": {k: scores[k].duplicates for k in MEASURED_KINDS},
    }  # fmt: skip
    return rows, figures


def crash_run(spec: NightSpec, kills: int, keep: Path | None) -> tuple[list[Row], dict[str, Any]]:
    """Proof 3: SIGKILL the daemon ``kills`` times during one night; compare with the uninterrupted run."""
    rng = random.Random(20240705)
    with folder(keep, "crash") as path:
        redis = BenchRedis(path)
        redis.start()
        try:
            simulator = Simulator(path, spec, "--linger", "60")
            for n in range(kills):
                daemon = Daemon(path, simulator.config, redis.url, "crash", name=f"daemon-{n}")
                daemon.wait_started()
                time.sleep(rng.uniform(1.1, 2.4))  # each life polls every source at least once
                daemon.kill()
            last = Daemon(path, simulator.config, redis.url, "crash", name="daemon-last")
            time.sleep(max(0.0, simulator.ready.wall_end - time.time()) + 3)
            code = last.stop()
            items = published(redis.url, "crash")
            found = differences(live_streams(items), reference_for(spec, simulator.ready.url))
            where = missing_by_source(spec, simulator.ready.url, items)
        finally:
            simulator.close()
            redis.stop()
    bad = {name: counts for name, counts in found.items() if counts != (0, 0, 0)}
    rows: list[Row] = [
        (
            "3 crash",
            f"SIGKILL x{kills}: missing/extra/repeated",
            _counts(found, where),
            "0/0/0 each",
            ok(not bad and code == 0),
        )
    ]
    return rows, {"kills": kills, "kill_differences": found, "kill_missing_by_source": dict(where)}


def outage_run(spec: NightSpec, keep: Path | None) -> tuple[list[Row], dict[str, Any]]:
    """Proof 3 with Redis: a clean restart, then a crash and 60 s of the night without Redis."""
    down = max(5.0, 60.0 / spec.speed)
    with folder(keep, "outage") as path:
        redis = BenchRedis(path)
        redis.start()
        try:
            simulator = Simulator(path, spec)
            ready = simulator.ready
            daemon = Daemon(path, simulator.config, redis.url, "outage")
            span = ready.wall_end - ready.wall_start
            time.sleep(max(0.0, ready.wall_start + 0.3 * span - time.time()))
            redis.stop()
            redis.start()
            time.sleep(max(0.0, ready.wall_start + 0.5 * span - time.time()))
            redis.stop(kill=True)
            time.sleep(down)
            redis.start()
            simulator.wait()
            alive, code = daemon.alive(), daemon.stop()
            items = published(redis.url, "outage")
            found = differences(live_streams(items), reference_for(spec, ready.url))
            where = missing_by_source(spec, ready.url, items)
        finally:
            simulator.close()
            redis.stop()
    bad = {name: counts for name, counts in found.items() if counts != (0, 0, 0)}
    rows: list[Row] = [
        ("3 crash", f"Redis restarted, then down {down:g} s: missing/extra/repeated", _counts(found, where),
         "0/0/0 each", ok(not bad and alive and code == 0)),
    ]  # fmt: skip
    return rows, {"redis_down_s": down, "outage_differences": found, "outage_missing_by_source": dict(where)}


def _counts(found: dict[str, tuple[int, int, int]], where: Counter[str]) -> str:
    text = ", ".join(f"{name} {'/'.join(map(str, counts))}" for name, counts in found.items())
    return text + (f" (missing: {', '.join(f'{n} on {s}' for s, n in where.most_common(3))})" if where else "")


def hostile_faults(names: Sequence[str], window: tuple[str, str]) -> tuple[Fault, ...]:
    locals_ = sorted(n for n in names if n.startswith("local-"))
    seats = sorted(n for n in names if n.startswith("seat-"))
    kinds = ["503", "slow", "truncate", "stale", "layout"]
    on = dict(zip(kinds, locals_, strict=False)) | {"reset": "wire", "charset": "bbc-uk", "sister": "sister-01"}
    on |= dict(zip(["500", "429", "hang"], seats, strict=False))
    begin, end = window
    return tuple(
        Fault(kind=kind, sources=(name,), start=begin, end=end, retry_after=5, lag="30m")  # type: ignore[arg-type]
        for kind, name in on.items()
    )


def hostile_run(spec: NightSpec, keep: Path | None, *, linger: float = 20) -> tuple[list[Row], dict[str, Any]]:
    """Proof 5: every fault at once; the daemon survives, nothing is lost, healthy sources stay fast."""
    with folder(keep, "hostile") as path:
        redis = BenchRedis(path)
        redis.start()
        try:
            run = run_night(path, spec, redis.url, "hostile", "--linger", f"{linger:g}")
            requests = [json.loads(line) for line in run.simulator.access_log.read_text().splitlines()]
        finally:
            redis.stop()
    truth, items, alive, code = run.truth, run.items, run.alive, run.exit_code
    healthy = healthy_sources(truth)
    latency = detection_latency(truth, items, interval=spec.interval, visible_for=2.0, sources=healthy)
    recovery, answered_again = {}, {}
    header = truth.header
    for fault in spec.faults:
        _, end = fault.window(header.start)
        end_wall = header.wall_start + (end - header.start).total_seconds() / spec.speed if end else 0
        answered = [r["wall"] for r in requests if r["source"] == fault.sources[0] and r["wall"] >= end_wall
                    and r["status"] in (200, 304)]  # fmt: skip
        recovery[fault.kind] = round(min(answered) - end_wall, 2) if answered else None
        if answered:  # the retry the source asked for (Retry-After) or the backoff: blind until then too
            again = header.start + timedelta(seconds=(min(answered) - header.wall_start) * spec.speed)
            answered_again[fault.sources[0]] = again
    changes = post_changes(truth, items, visible_for=2.0, answered_again=answered_again)
    recovered = all(v is not None for v in recovery.values())
    p50_target, p99_target = 0.5 * spec.interval + 0.1, spec.interval + 0.25
    rows: list[Row] = [
        ("5 hostile", f"daemon alive, exit code ({len(spec.faults)} faults)", f"{alive}, {code}", "True, 0",
         ok(alive and code == 0)),
        ("5 hostile", "posts / edits / removals lost", _lost(changes.missing), "0 / 0 / 0", ok(not changes.missing)),
        ("5 hostile", "every faulty source answered again after its window; slowest (s)",
         f"{recovered}; {max((v for v in recovery.values() if v is not None), default=0):.1f}", "True", ok(recovered)),
        ("5 hostile", f"healthy sources p50 / p99 ({latency.measured} posts)", f"{latency.p50 or 0:.2f} / "
         f"{latency.p99 or 0:.2f} s", f"<= {p50_target:.2f} / {p99_target:.2f} s",
         ok(latency.p50 is not None and latency.meets_target())),
    ]  # fmt: skip
    figures = {"hostile_recovery_s": recovery, "hostile_lost": _lost(changes.missing),
               "hostile_healthy_p50_s": latency.p50, "hostile_healthy_p99_s": latency.p99}  # fmt: skip
    return rows, figures


def _lost(missing: dict[str, list[str]]) -> str:
    return " / ".join(str(len(missing.get(k, []))) for k in ("created", "updated", "deleted"))


def print_table(rows: Sequence[Row]) -> None:
    header: Row = ("proof", "measure", "value", "target", "ok")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small nights (under a minute in all)")
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the results files")
    parser.add_argument("--keep", type=Path, help="copy every run's logs, truth and config here")
    parser.add_argument("--runs", default="night,crash,outage,hostile", help="which runs (comma-separated)")
    args = parser.parse_args(argv)
    paths = {
        "candidates": args.data / "ge2024-candidates.csv",
        "times": args.data / "ge2024-declaration-times-approx.csv",
    }
    if args.quick:
        night = NightSpec(**paths, seats=30, hours=0.25, blogs=6, speed=700, min_gap=0, interval=1)
        crash = NightSpec(**paths, seats=16, hours=0.25, blogs=4, speed=700, min_gap=7000, interval=1)
        hostile = NightSpec(**paths, seats=20, hours=0.25, blogs=7, speed=700, min_gap=2100, interval=1)
        kills, window = 5, ("50m", "1h30m")
    else:
        night = NightSpec(**paths, seats=None, hours=6, blogs=30, speed=120, min_gap=0, interval=10)
        crash = NightSpec(**paths, seats=100, hours=1.5, blogs=10, speed=150, min_gap=2000, interval=1)
        hostile = NightSpec(**paths, seats=100, hours=1.5, blogs=14, speed=220, min_gap=1000, interval=1)
        kills, window = 20, ("1h", "1h40m")
    names = [s.name for s in _served(hostile)]
    hostile = msgspec.structs.replace(hostile, faults=hostile_faults(names, window))
    rows: list[Row] = []
    figures: dict[str, Any] = {"quick": args.quick}
    runs = set(args.runs.split(","))
    results = [night_run(night, args.keep)] if "night" in runs else []
    # side by side when quick; one after the other otherwise (the hostile run measures latency too)
    with ThreadPoolExecutor(max_workers=3 if args.quick else 1) as pool:
        later = [pool.submit(crash_run, crash, kills, args.keep)] if "crash" in runs else []
        later += [pool.submit(outage_run, crash, args.keep)] if "outage" in runs else []
        if args.quick and "hostile" in runs:
            later.append(pool.submit(hostile_run, hostile, args.keep, linger=8))
        results += [future.result() for future in later]
    if not args.quick and "hostile" in runs:
        results.append(hostile_run(hostile, args.keep))
    for more_rows, more in results:
        rows += more_rows
        figures |= more
    print_table(rows)
    figures["all_ok"] = all(r[4] != "NO" for r in rows)
    print(json.dumps(figures, default=str))
    return 0


def _served(spec: NightSpec) -> list[Blog]:
    return list(plan_night(load_seats(spec.candidates, spec.times), spec.plan()).blogs)


if __name__ == "__main__":
    sys.exit(main())
