"""`make bench`: the platform against raw baselines, measured in one run.

    python -m bench [--quick]

Prints one table and writes the figures, the commit and the machine to
bench/results/<UTC time>.json. ``--quick`` is the smoke run ``make test`` does
(tiny counts: it proves the harness works, its figures mean nothing).
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
    "p4_samples": 20,
    "p4_seeds": 5,
}
# P2's named rates, then a ladder climbed while the rate holds; P4's store sizes.
FULL_RATES = {
    "b2_lookup_sizes": [1_000, 10_000],
    "p2_rates": [10, 50],
    "p2_search": [0.5, 1, 2, 5],
    "p4_sizes": [100, 1_000, 3_000],
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
}


async def measure(
    counts: dict[str, int], rates: dict[str, list[Any]], bootstrap: str, mongo: str
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    print("B1 raw Kafka produce/consume ...", file=sys.stderr)
    results["B1_kafka"] = await kafka_produce_consume(bootstrap, counts["produce"])
    print("B1 raw Kafka hop ...", file=sys.stderr)
    results["B1_hop"] = await kafka_hop(bootstrap, counts["hops"])
    print("B2 raw MongoDB upserts ...", file=sys.stderr)
    results["B2_mongo"] = await mongo_upserts(mongo, counts["singles"], counts["bulk"])
    results["B2_lookups"] = await mongo_lookups(
        mongo, rates["b2_lookup_sizes"], counts["b2_lookups"]
    )
    print("P1 one service hop ...", file=sys.stderr)
    results["P1_hop"] = await service_hop(
        bootstrap, mongo, counts["p1_latency"], counts["p1_backlog"]
    )
    print("P3 projection rebuild ...", file=sys.stderr)
    results["P3_rebuild"] = await projection_rebuild(
        bootstrap, mongo, counts["p3_events"], counts["p3_streams"]
    )
    print("P2 end to end ...", file=sys.stderr)
    results["P2_end_to_end"] = await end_to_end(
        bootstrap,
        mongo,
        rates["p2_rates"],
        counts["p2_seconds"],
        rates["p2_search"],
        counts["p2_search_seconds"],
    )
    print("P4 growth ...", file=sys.stderr)
    results["P4_growth"] = await growth(
        bootstrap, mongo, rates["p4_sizes"], counts["p4_samples"], counts["p4_seeds"]
    )
    return results


def table(r: dict[str, Any]) -> str:
    hop_ratio = r["P1_hop"]["hops_per_s"] / r["B1_hop"]["hops_per_s"]
    rebuild_ratio = r["P3_rebuild"]["events_per_s"] / r["B2_mongo"]["bulk_upserts_per_s"]
    rows = [
        (
            "B1 raw Kafka produce (1 KB, acks=all)",
            f"{r['B1_kafka']['produce_per_s']:,.0f} msg/s",
            "",
        ),
        ("B1 raw Kafka consume", f"{r['B1_kafka']['consume_per_s']:,.0f} msg/s", ""),
        (
            "B1 raw hop consume->produce->commit",
            f"{r['B1_hop']['hops_per_s']:,.0f} hop/s, p50 {r['B1_hop']['p50_ms']:.1f} ms, p99 {r['B1_hop']['p99_ms']:.1f} ms",
            "",
        ),
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
        (
            "P1 service hop (consume->load->append->publish->commit)",
            f"{r['P1_hop']['hops_per_s']:,.0f} hop/s, p50 {r['P1_hop']['p50_ms']:.1f} ms, p99 {r['P1_hop']['p99_ms']:.1f} ms",
            f"{hop_ratio:.2f}x raw hop (target >= 0.5x): {'holds' if hop_ratio >= 0.5 else 'MISSED'}",
        ),
        (
            "P3 projection rebuild",
            f"{r['P3_rebuild']['events_per_s']:,.0f} events/s over {r['P3_rebuild']['events']:,} events, peak RSS {r['P3_rebuild']['peak_rss_mb']:.0f} MB",
            f"{rebuild_ratio:.2f}x bulk ceiling (target >= 0.5x): {'holds' if rebuild_ratio >= 0.5 else 'MISSED'}",
        ),
        *p2_rows(r["P2_end_to_end"]),
        *p4_rows(r["P4_growth"]),
    ]
    width = max(len(a) for a, _, _ in rows)
    return "\n".join(
        f"{a:<{width}}  {b}" + (f"\n{'':<{width}}  -> {c}" if c else "") for a, b, c in rows
    )


def _ms(p: dict[str, float] | None) -> str:
    if not p:
        return "-"
    return f"p50 {p['p50_ms']:,.0f} / p95 {p['p95_ms']:,.0f} / p99 {p['p99_ms']:,.0f} ms"


def p2_rows(p2: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for run in p2["runs"]:
        stages = ", ".join(
            f"{stage} p99 {run[stage]['p99_ms']:,.0f}"
            for stage in ("intake_api", "assignment", "worker_api", "referrals", "visible")
            if stage in run
        )
        verdict = ""
        if run["rate_per_s"] == 50:
            whole = run.get("whole")
            ok = bool(whole) and run["failed"] == 0 and whole["p99_ms"] <= 250
            verdict = f"whole p99 <= 250 ms at 50/s: {'holds' if ok else 'MISSED'}"
        rows.append(
            (
                f"P2 end to end at {run['rate_per_s']}/s for {run['seconds']} s",
                f"{run['completed']}/{run['applications']} done ({run['failed']} failed or late); "
                f"whole {_ms(run.get('whole'))}; {stages} ms; "
                f"{'held' if run['held'] else 'not held'}",
                verdict,
            )
        )
    highest = p2["highest_held"]
    rows.append(
        (
            "P2 highest rate held (ladder)",
            f"{highest['rate_per_s']}/s, whole {_ms(highest.get('whole'))}"
            if highest
            else ("none of the ladder's rates held" if p2["ladder"] else "no ladder in this run"),
            "",
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
            f"p99 at the largest <= 1.5x the smallest: {'holds' if worst <= 1.5 else 'MISSED'}",
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
    counts = QUICK if args.quick else FULL
    rates = QUICK_RATES if args.quick else FULL_RATES
    results = asyncio.run(measure(counts, rates, bootstrap, mongo))
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
