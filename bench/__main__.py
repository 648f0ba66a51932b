"""`make bench`: the platform against raw baselines, measured in one run.

    python -m bench [--quick] [--replicas 1 2] [--only P2 ...] [--p2-rates 1 --p2-seconds 30]

Prints one table and writes the figures, the commit and the machine to
bench/results/<UTC time>.json. ``--quick`` is the smoke run ``make test`` does
(tiny counts: it proves the harness works, its figures mean nothing).
``--replicas`` says how many processes of every service P2 runs with, one
run each (the full run: 1 and 2; the quick one: 1). ``--only`` measures the
parts named; ``--p2-rates`` and ``--p2-seconds`` replace P2's named rates.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.endtoend import end_to_end
from bench.growth import growth
from bench.platform import projection_rebuild, service_hop
from bench.raw import kafka_hop, kafka_produce_consume, mongo_lookups, mongo_upserts

# Sized for FerretDB on SQLite, whose upserts run at hundreds per second here:
# the 100k/1M-event rebuilds would take hours on it (see BENCHMARKS.md).
FULL = {
    "produce": 20_000,
    "hops": 300,
    "singles": 2_000,
    "bulk": 5_000,
    "p1_latency": 200,
    "p1_backlog": 300,
    "p3_events": 10_000,
    "p3_streams": 1_000,
    "b2_lookups": 20,
    "p2_seconds": 10,
    "p2_search_seconds": 60,
    # Requests per size: with 20 the p99 was the slowest single request, and
    # the 30,000-case ratio moved with one slow answer (x1.45 on 15 vs 22 ms).
    "p4_samples": 200,
    "p4_seeds": 5,
}
# P2's named rates, then a ladder climbed while the rate holds; P4's store sizes.
FULL_RATES = {
    "b2_lookup_sizes": [1_000, 10_000],
    "p2_rates": [10, 50],
    "p2_search": [1, 2, 5, 10, 15, 20],
    "p4_sizes": [100, 1_000, 10_000, 30_000],
    "p2_replicas": [1, 2],
}
QUICK = {
    "produce": 300,
    "hops": 10,
    "singles": 100,
    "bulk": 500,
    "p1_latency": 10,
    "p1_backlog": 50,
    "p3_events": 300,
    "p3_streams": 50,
    "b2_lookups": 3,
    "p2_seconds": 3,
    "p2_search_seconds": 3,
    "p4_samples": 3,
    "p4_seeds": 2,
}
QUICK_RATES = {
    "b2_lookup_sizes": [100, 1_000],
    "p2_rates": [1],
    "p2_search": [],
    "p4_sizes": [2, 20],
    "p2_replicas": [1],
}
PARTS = ("B1", "B2", "P1", "P3", "P2", "P4")
# The targets (issue 22).
P1_HOP_RATIO = 0.7
P3_REBUILD_RATIO = 0.6
P2_RATE, P2_WHOLE_P99_MS = 10, 1000
P4_GROWTH = 1.3


async def measure(
    counts: dict[str, int],
    rates: dict[str, list[Any]],
    bootstrap: str,
    mongo: str,
    parts: tuple[str, ...] = PARTS,
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    if "B1" in parts:
        print("B1 raw Kafka produce/consume ...", file=sys.stderr)
        results["B1_kafka"] = await kafka_produce_consume(bootstrap, counts["produce"])
        print("B1 raw Kafka hop ...", file=sys.stderr)
        results["B1_hop"] = await kafka_hop(bootstrap, counts["hops"])
    if "B2" in parts:
        print("B2 raw MongoDB upserts ...", file=sys.stderr)
        results["B2_mongo"] = await mongo_upserts(mongo, counts["singles"], counts["bulk"])
        results["B2_lookups"] = await mongo_lookups(
            mongo, rates["b2_lookup_sizes"], counts["b2_lookups"]
        )
    if "P1" in parts:
        print("P1 one service hop ...", file=sys.stderr)
        results["P1_hop"] = await service_hop(
            bootstrap, mongo, counts["p1_latency"], counts["p1_backlog"]
        )
    if "P3" in parts:
        print("P3 projection rebuild ...", file=sys.stderr)
        results["P3_rebuild"] = await projection_rebuild(
            bootstrap, mongo, counts["p3_events"], counts["p3_streams"]
        )
    if "P2" in parts:
        for replicas in rates["p2_replicas"]:
            print(f"P2 end to end, {replicas} process(es) per service ...", file=sys.stderr)
            results[p2_key(replicas)] = await end_to_end(
                bootstrap,
                mongo,
                rates["p2_rates"],
                counts["p2_seconds"],
                rates["p2_search"],
                counts["p2_search_seconds"],
                replicas,
            )
    if "P4" in parts:
        print("P4 growth ...", file=sys.stderr)
        results["P4_growth"] = await growth(
            bootstrap, mongo, rates["p4_sizes"], counts["p4_samples"], counts["p4_seeds"]
        )
    return results


def p2_key(replicas: int) -> str:
    """Where P2's figures go: one process per service as before, more beside it."""
    return "P2_end_to_end" if replicas == 1 else f"P2_end_to_end_{replicas}_replicas"


def table(r: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str]] = []
    if "B1_kafka" in r:
        rows += b1_rows(r)
    if "B2_mongo" in r:
        rows += b2_rows(r)
    if "P1_hop" in r:
        hop = r["P1_hop"]
        verdict = ""
        if "B1_hop" in r:
            ratio = hop["hops_per_s"] / r["B1_hop"]["hops_per_s"]
            verdict = (
                f"{ratio:.2f}x raw hop (target >= {P1_HOP_RATIO}x): {_holds(ratio >= P1_HOP_RATIO)}"
            )
        rows.append(
            (
                "P1 service hop (consume->load->append->publish->commit)",
                f"{hop['hops_per_s']:,.0f} hop/s, p50 {hop['p50_ms']:.1f} ms, p99 {hop['p99_ms']:.1f} ms",
                verdict,
            )
        )
    if "P3_rebuild" in r:
        p3 = r["P3_rebuild"]
        verdict = ""
        if "B2_mongo" in r:
            ratio = p3["events_per_s"] / r["B2_mongo"]["bulk_upserts_per_s"]
            verdict = f"{ratio:.2f}x bulk ceiling (target >= {P3_REBUILD_RATIO}x): {_holds(ratio >= P3_REBUILD_RATIO)}"
        rows.append(
            (
                "P3 projection rebuild",
                f"{p3['events_per_s']:,.0f} events/s over {p3['events']:,} events, peak RSS {p3['peak_rss_mb']:.0f} MB",
                verdict,
            )
        )
    for key in sorted(k for k in r if k.startswith("P2_end_to_end")):
        rows += p2_rows(r[key])
    if "P4_growth" in r:
        rows += p4_rows(r["P4_growth"])
    width = max(len(a) for a, _, _ in rows)
    return "\n".join(
        f"{a:<{width}}  {b}" + (f"\n{'':<{width}}  -> {c}" if c else "") for a, b, c in rows
    )


def _holds(ok: bool) -> str:
    return "holds" if ok else "MISSED"


def b1_rows(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    hop = r["B1_hop"]
    return [
        (
            "B1 raw Kafka produce (1 KB, acks=all)",
            f"{r['B1_kafka']['produce_per_s']:,.0f} msg/s",
            "",
        ),
        ("B1 raw Kafka consume", f"{r['B1_kafka']['consume_per_s']:,.0f} msg/s", ""),
        (
            "B1 raw hop consume->produce->commit",
            f"{hop['hops_per_s']:,.0f} hop/s, p50 {hop['p50_ms']:.1f} ms, p99 {hop['p99_ms']:.1f} ms",
            "",
        ),
    ]


def b2_rows(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        ("B2 raw MongoDB single upserts", f"{r['B2_mongo']['single_upserts_per_s']:,.0f} /s", ""),
        (
            "B2 raw MongoDB bulk upserts (unordered)",
            f"{r['B2_mongo']['bulk_upserts_per_s']:,.0f} /s",
            "",
        ),
        *(
            (
                f"B2 raw point read at {p['docs']:,} docs",
                f"find by _id {p['by_id_ms']:.1f} ms, by an indexed field "
                f"{p['by_indexed_field_ms']:.1f} ms; version-guarded update "
                f"{p['guarded_upsert_ms']:.1f} ms",
                "",
            )
            for p in r["B2_lookups"]["points"]
        ),
    ]


def _ms(p: dict[str, float] | None) -> str:
    if not p:
        return "-"
    return f"p50 {p['p50_ms']:,.0f} / p95 {p['p95_ms']:,.0f} / p99 {p['p99_ms']:,.0f} ms"


def _cpu(run: dict[str, Any]) -> str:
    """Where a run's CPU went, per application, and how many cores were busy."""
    cpu = run["cpu_ms_per_application"]
    parts = ", ".join(f"{name} {ms:,.0f}" for name, ms in cpu.items() if name != "total")
    return (
        f"CPU per application {cpu['total']:,.0f} ms ({parts}); "
        f"{run['cores_busy']:.2f} cores busy; "
        f"{run.get('published_twice', 0):,} events published twice"
    )


def p2_rows(p2: dict[str, Any]) -> list[tuple[str, str, str]]:
    replicas = p2.get("replicas", 1)
    # One process per service keeps the rows' old names; more say how many.
    label = "P2" if replicas == 1 else f"P2 ({replicas} per service)"
    rows = []
    for run in p2["runs"]:
        stages = ", ".join(
            f"{stage} p99 {run[stage]['p99_ms']:,.0f}"
            for stage in ("intake_api", "assignment", "worker_api", "referrals", "visible")
            if stage in run
        )
        rows.append(
            (
                f"{label} end to end at {run['rate_per_s']:g}/s for {run['seconds']:g} s",
                f"{run['completed']}/{run['applications']} done ({run['failed']} failed or late); "
                f"whole {_ms(run.get('whole'))}; {stages} ms; "
                f"{'held' if run['held'] else 'not held'}",
                "",
            )
        )
        if "cpu_ms_per_application" in run:
            rows.append(("", _cpu(run), ""))
    highest = p2["highest_held"]
    verdict = ""
    if p2["ladder"]:
        ok = (
            highest is not None
            and highest["rate_per_s"] >= P2_RATE
            and highest["whole"]["p99_ms"] <= P2_WHOLE_P99_MS
        )
        verdict = f"held >= {P2_RATE}/s with whole p99 <= {P2_WHOLE_P99_MS:,} ms: {_holds(ok)}"
    rows.append(
        (
            f"{label} highest rate held (ladder)",
            f"{highest['rate_per_s']:g}/s, whole {_ms(highest.get('whole'))}"
            if highest
            else ("none of the ladder's rates held" if p2["ladder"] else "no ladder in this run"),
            verdict,
        )
    )
    return rows


def p4_rows(p4: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = [
        (
            f"P4 at {point['cases']:,} cases",
            f"intake POST {_ms(point['intake_post'])}; window queue {_ms(point['window_queue'])}",
            "",
        )
        for point in p4["points"]
    ]
    first, last = p4["points"][0]["cases"], p4["points"][-1]["cases"]
    worst = max(p4["intake_p99_ratio"], p4["queue_p99_ratio"])
    rows.append(
        (
            f"P4 growth {first:,} -> {last:,} cases",
            f"p99 x{p4['intake_p99_ratio']:.2f} intake, x{p4['queue_p99_ratio']:.2f} queue",
            f"p99 at the largest <= {P4_GROWTH}x the smallest: {_holds(worst <= P4_GROWTH)}",
        )
    )
    return rows


def profile_hop(bootstrap: str, mongo: str) -> int:
    from pyinstrument import Profiler

    profiler = Profiler(async_mode="enabled")
    with profiler:
        figures = asyncio.run(service_hop(bootstrap, mongo, FULL["p1_latency"], FULL["p1_backlog"]))
    print(profiler.output_text(unicode=True, color=False))
    print({k: round(v, 1) for k, v in figures.items()})
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="a smoke run with tiny counts")
    parser.add_argument(
        "--profile-hop",
        action="store_true",
        help="only P1, under pyinstrument: print where a service hop's time goes",
    )
    parser.add_argument(
        "--replicas",
        type=int,
        nargs="+",
        metavar="N",
        help="run P2 with N processes of every service, once per N given (full: 1 2; quick: 1)",
    )
    parser.add_argument(
        "--only", nargs="+", choices=PARTS, metavar="PART", help=f"measure only these: {PARTS}"
    )
    parser.add_argument(
        "--p2-rates", type=float, nargs="+", metavar="RATE", help="P2's named rates (per second)"
    )
    parser.add_argument("--p2-seconds", type=int, help="how long each named P2 rate runs (s)")
    args = parser.parse_args()
    # The services composed here (to place their consumer groups) log like
    # services; the table is what this command prints.
    os.environ.setdefault("INSON_LOG_LEVEL", "WARNING")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # The benchmark's own servers (`make bench` starts them), never `make run`'s.
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:29092")
    mongo = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:47017")
    if args.profile_hop:
        return profile_hop(bootstrap, mongo)
    counts = dict(QUICK if args.quick else FULL)
    rates = dict(QUICK_RATES if args.quick else FULL_RATES)
    if args.replicas:
        rates["p2_replicas"] = args.replicas
    if args.p2_rates:
        rates["p2_rates"] = args.p2_rates
    if args.p2_seconds:
        counts["p2_seconds"] = args.p2_seconds
    parts = tuple(args.only or PARTS)
    results = asyncio.run(measure(counts, rates, bootstrap, mongo, parts))
    print(table(results))
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    record = {
        "commit": commit,
        "time": datetime.now(UTC).isoformat(),
        "quick": args.quick,
        "counts": counts,
        "rates": rates,
        "parts": parts,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "results": results,
    }
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    path = out / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}{'-quick' if args.quick else ''}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(f"figures written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
