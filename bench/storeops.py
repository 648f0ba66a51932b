"""Store operations per application, by service, collection and command shape.

    python -m bench.storeops [--apps 30] [--rate 1] [--json out.json]

Starts intake, assessment and referral as P2 does (``bench.endtoend``), with
``INSON_STORE_PROFILE`` set, so each process counts every MongoDB command it
sends by shape (``inson_runtime.observability.store_profile``). After a
warm-up it drives ``--apps`` applications end to end (intake -> a worker
completes the assessment, a supervisor approves -> every referral visible),
waits until the platform is quiet, then idles as long again to measure what
the periodic jobs (outbox sweeps, deadlines) cost per second. The figure per
application is the run's count minus that background, divided by the number
of applications. Counts, not timings: they do not depend on the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench import processes
from bench.endtoend import Driver, Watcher, at_rate
from bench.processes import platform

# Our own ports, off those of `make bench` (processes.PORTS is read when spawning).
PORTS = {"intake": 8401, "assessment": 8402, "referral": 8403}
# The profile is rewritten at most every 5 s, and only when a command ends.
SETTLE_S = 12.0

Counts = dict[str, int]


def snapshot(profile_dir: Path, names: dict[str, str]) -> dict[str, Counts]:
    """Per service, the command count by shape so far (all its processes)."""
    out: dict[str, Counts] = {svc: defaultdict(int) for svc in names}
    for svc, name in names.items():
        for path in profile_dir.glob(f"{name}-*.json"):
            if path.stem.endswith(f"-{os.getpid()}"):
                continue  # this process composed the services once (groups at the end)
            for shape, row in json.loads(path.read_text()).items():
                out[svc][_generic(shape, names)] += int(row["n"])
    return out


def _generic(shape: str, names: dict[str, str]) -> str:
    """The shape with the run's database names made readable: inson_<svc>."""
    for svc, name in names.items():
        shape = shape.replace(f"inson_{name}.", f"inson_{svc}.")
    return shape


def difference(after: dict[str, Counts], before: dict[str, Counts]) -> dict[str, Counts]:
    return {
        svc: {k: n - before[svc].get(k, 0) for k, n in counts.items() if n - before[svc].get(k, 0)}
        for svc, counts in after.items()
    }


async def quiet_snapshot(
    profile_dir: Path, names: dict[str, str]
) -> tuple[dict[str, Counts], float]:
    await asyncio.sleep(SETTLE_S)
    return snapshot(profile_dir, names), time.monotonic()


async def measure(bootstrap: str, mongo_url: str, apps: int, rate: float) -> dict[str, Any]:
    profile_dir = Path(tempfile.mkdtemp(prefix="inson-storeops-"))
    os.environ["INSON_STORE_PROFILE"] = str(profile_dir)
    # The services composed here once log like the spawned ones: warnings only.
    os.environ.setdefault("INSON_LOG_LEVEL", "WARNING")
    processes.PORTS.clear()
    processes.PORTS.update(PORTS)
    async with platform(bootstrap, mongo_url) as services:
        names = services.names
        watcher = Watcher(bootstrap)
        await watcher.start()
        driver = Driver(watcher, services, timeout_s=120.0)
        try:
            await at_rate(driver, 1, 3)  # warm-up: indexes, connections, caches
            before, t0 = await quiet_snapshot(profile_dir, names)
            run = await at_rate(driver, rate, apps / rate)
            after, t1 = await quiet_snapshot(profile_dir, names)
            # The same length again with no traffic: what the periodic jobs cost.
            await asyncio.sleep(t1 - t0 - SETTLE_S)
            idle, t2 = await quiet_snapshot(profile_dir, names)
        finally:
            await driver.http.aclose()
            await watcher.stop()
    if run["failed"]:
        raise RuntimeError(f"{run['failed']} journeys failed: {run['failures']}")
    during = difference(after, before)
    background = difference(idle, after)
    scale = (t1 - t0) / (t2 - t1)
    per_app: dict[str, dict[str, float]] = {}
    for svc in during:
        shapes = set(during[svc]) | set(background[svc])
        rows = {
            k: (during[svc].get(k, 0) - scale * background[svc].get(k, 0)) / apps for k in shapes
        }
        per_app[svc] = {k: round(v, 2) for k, v in sorted(rows.items()) if abs(v) >= 0.005}
    return {
        "apps": apps,
        "rate_per_s": rate,
        "window_s": round(t1 - t0, 1),
        "per_application": per_app,
        "background_per_s": {
            svc: {k: round(n / (t2 - t1), 3) for k, n in sorted(rows.items())}
            for svc, rows in background.items()
        },
    }


def by_collection(shapes: dict[str, float]) -> dict[str, float]:
    """``db.collection:command(keys)`` summed per ``db.collection``."""
    out: dict[str, float] = defaultdict(float)
    for shape, n in shapes.items():
        out[shape.split(":", 1)[0]] += n
    return dict(out)


def report(result: dict[str, Any]) -> str:
    lines = [
        f"{result['apps']} applications at {result['rate_per_s']}/s "
        f"(window {result['window_s']} s); store operations per application, "
        "background subtracted",
    ]
    total = store_total = 0.0
    for svc, shapes in result["per_application"].items():
        subtotal = sum(shapes.values())
        store = sum(n for shape, n in shapes.items() if ".event_commits" in shape)
        total += subtotal
        store_total += store
        lines.append(f"\n{svc}: {subtotal:.1f} (event store {store:.1f})")
        for coll, n in sorted(by_collection(shapes).items(), key=lambda kv: -kv[1]):
            lines.append(f"  {coll:<48} {n:7.2f}")
        for shape, n in sorted(shapes.items(), key=lambda kv: -kv[1]):
            lines.append(f"      {shape:<70} {n:7.2f}")
    lines.append(f"\nall services: {total:.1f} per application (event store {store_total:.1f})")
    lines.append("\nbackground (periodic jobs), operations per second:")
    for svc, shapes in result["background_per_s"].items():
        lines.append(f"  {svc}: {sum(shapes.values()):.2f}/s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=30)
    parser.add_argument("--rate", type=float, default=1.0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:29092")
    mongo_url = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:47017")
    result = asyncio.run(measure(bootstrap, mongo_url, args.apps, args.rate))
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, sort_keys=True))
    sys.exit(0)


if __name__ == "__main__":
    main()
