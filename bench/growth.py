"""P4: intake and window-queue p99 as the stores grow.

The platform runs as real processes (see :mod:`bench.endtoend`). A few real
journeys give every collection of the intake and referral databases real
documents. The stores are then grown, step by step, with *filler*: copies of
those documents in which every string is made unique, so each copy is shaped
and sized like a real case's documents, satisfies every unique index, and
matches none of the queries measured; its times lie a century ahead, so no
deadline or expiry job acts on it. Outbox markers are pending work, not
stored cases, and are not copied. The requests measured therefore touch the
same documents at every size; only the store around them grows.

At each size: POST /v1/applications (a new, distinct applicant each time) and
GET /v1/queue for the window that holds the real referrals, one request at a
time, p50/p99.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta
from typing import Any

from inson_runtime.mongo import connect

from bench.endtoend import DISTRICT, PORTS, Driver, Watcher, platform
from bench.raw import percentiles


def _unique(value: Any, suffix: str) -> Any:
    if isinstance(value, str):
        return value + suffix
    if isinstance(value, datetime):
        # A century on: no deadline or expiry job ever picks filler up.
        return value + timedelta(days=36_500)
    if isinstance(value, dict):
        return {k: _unique(v, suffix) for k, v in value.items()}
    if isinstance(value, list):
        return [_unique(v, suffix) for v in value]
    return value


async def grow(
    mongo_url: str, databases: list[str], cases_now: int, cases_to: int, seeds: int
) -> None:
    """Add filler so each database holds about ``cases_to`` cases' worth of documents."""
    client = connect(mongo_url)
    try:
        for name in databases:
            db = client[name]
            for collection in await db.list_collection_names():
                if collection.endswith("_outbox"):
                    continue  # pending work, not stored cases
                templates = await db[collection].find({"_filler": {"$exists": False}}).to_list()
                if not templates:
                    continue
                per_case = len(templates) / seeds
                want = int((cases_to - cases_now) * per_case)
                batch: list[dict[str, Any]] = []
                for i in range(want):
                    template = templates[i % len(templates)]
                    doc = _unique(template, f"~{cases_now}-{i}")
                    doc["_filler"] = True
                    # A commit copied while its outbox marker was on would be
                    # swept onto Kafka: filler is never published.
                    doc.pop("pending", None)
                    batch.append(doc)
                    if len(batch) == 1000:
                        await db[collection].insert_many(batch, ordered=False)
                        batch = []
                if batch:
                    await db[collection].insert_many(batch, ordered=False)
    finally:
        await client.close()


async def timed(samples: int, call: Any) -> dict[str, float]:
    seconds = []
    for _ in range(samples):
        started = time.perf_counter()
        response = await call()
        seconds.append(time.perf_counter() - started)
        if response.status_code >= 400:
            raise RuntimeError(f"{response.request.url} answered {response.status_code}")
    return percentiles(seconds)


async def growth(
    bootstrap: str, mongo_url: str, sizes: list[int], samples: int, seeds: int
) -> dict[str, Any]:
    async with platform(bootstrap, mongo_url) as (names, key_dir):
        watcher = Watcher(bootstrap)
        await watcher.start()
        driver = Driver(watcher, key_dir, timeout_s=120)
        try:
            for _ in range(seeds):
                journey = await driver.journey()
                if journey.error:
                    raise RuntimeError(f"a seeding journey failed: {journey.error}")
            operator = driver.bearer(
                "window_operator", "op-bench", service_center=f"psc-{DISTRICT}", district=DISTRICT
            )
            queue_url = f"http://127.0.0.1:{PORTS['referral']}/v1/queue"
            first = await driver.http.get(queue_url, headers=operator)
            if first.status_code != 200 or not first.json()["items"]:
                raise RuntimeError(f"the window queue is empty ({first.status_code})")
            databases = [f"inson_{names['intake']}", f"inson_{names['referral']}"]
            points = []
            cases = seeds
            for size in sizes:
                print(f"  P4 growing the stores to {size:,} cases ...", file=sys.stderr)
                started = time.perf_counter()
                await grow(mongo_url, databases, cases, size, seeds)
                grown_s = time.perf_counter() - started
                cases = size
                print(f"  P4 measuring at {size:,} cases ...", file=sys.stderr)
                intake = await timed(samples, driver.submit)
                queue = await timed(samples, lambda: driver.http.get(queue_url, headers=operator))
                points.append(
                    {"cases": size, "grow_s": grown_s, "intake_post": intake, "window_queue": queue}
                )
        finally:
            await driver.http.aclose()
            await watcher.stop()
    base, top = points[0], points[-1]
    return {
        "points": points,
        "intake_p99_ratio": top["intake_post"]["p99_ms"] / base["intake_post"]["p99_ms"],
        "queue_p99_ratio": top["window_queue"]["p99_ms"] / base["window_queue"]["p99_ms"],
    }
