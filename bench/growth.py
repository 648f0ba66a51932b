"""P4: intake and window-queue p99 as the stores grow.

The platform runs as real processes (see :mod:`bench.processes`). A few real
journeys give every collection of the intake and referral databases real
documents. The stores are then grown, step by step, with *filler*: copies of
those documents in which every string is made unique, so each copy is shaped
and sized like a real case's documents, satisfies every unique index, and
matches none of the queries measured; its times lie a century ahead, so no
deadline or expiry job acts on it. Outbox markers, job turns and claims are
bookkeeping, not stored cases, and are not copied. The requests measured
therefore touch the same documents at every size; only the store around them
grows. The filler goes in with unordered bulk inserts of 1,000, two in flight
(30,000 cases are some hundreds of thousands of documents).

At each size: POST /v1/applications (a new, distinct applicant each time) and
GET /v1/queue for the window that holds the real referrals, one request at a
time, p50/p99.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import datetime, timedelta
from typing import Any

from inson_runtime.mongo import connect

from bench.endtoend import DISTRICT, Driver, Watcher
from bench.processes import platform
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


# Bookkeeping, not stored cases: pending work (outbox markers), the periodic
# jobs' turns and the claims of retries are never copied.
_NOT_CASES = ("_outbox", "job_turns", "_claims")
# Filler documents per insert, and inserts in flight at once: while the store
# writes one batch the next is being made.
_BATCH = 1000
_IN_FLIGHT = 2


async def templates_of(mongo_url: str, databases: list[str]) -> dict[str, dict[str, list[Any]]]:
    """The real documents of every collection that holds cases, read once."""
    client = connect(mongo_url)
    found: dict[str, dict[str, list[Any]]] = {}
    try:
        for name in databases:
            db = client[name]
            found[name] = {}
            for collection in await db.list_collection_names():
                if collection.endswith(_NOT_CASES):
                    continue
                templates = await db[collection].find({}).to_list()
                if templates:
                    found[name][collection] = templates
    finally:
        await client.close()
    return found


async def grow(
    mongo_url: str,
    templates: dict[str, dict[str, list[Any]]],
    cases_now: int,
    cases_to: int,
    seeds: int,
) -> int:
    """Add filler so each database holds about ``cases_to`` cases' worth of documents;
    the number of documents written. Unordered bulk inserts, two in flight."""
    client = connect(mongo_url)
    written = 0
    in_flight: set[asyncio.Future[Any]] = set()
    try:
        for name, collections in templates.items():
            db = client[name]
            for collection, docs in collections.items():
                want = int((cases_to - cases_now) * len(docs) / seeds)
                for first in range(0, want, _BATCH):
                    batch = []
                    for i in range(first, min(first + _BATCH, want)):
                        doc = _unique(docs[i % len(docs)], f"~{cases_now}-{i}")
                        doc["_filler"] = True
                        # A commit copied while its outbox marker was on would be
                        # swept onto Kafka: filler is never published.
                        doc.pop("pending", None)
                        batch.append(doc)
                    if len(in_flight) >= _IN_FLIGHT:
                        done, in_flight = await asyncio.wait(
                            in_flight, return_when=asyncio.FIRST_COMPLETED
                        )
                        for task in done:
                            task.result()
                    in_flight.add(
                        asyncio.create_task(db[collection].insert_many(batch, ordered=False))
                    )
                    written += len(batch)
        for task in asyncio.as_completed(in_flight):
            await task
    finally:
        for task in in_flight:
            task.cancel()
        await client.close()
    return written


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
    async with platform(bootstrap, mongo_url) as services:
        watcher = Watcher(bootstrap)
        await watcher.start()
        driver = Driver(watcher, services, timeout_s=120)
        try:
            for _ in range(seeds):
                journey = await driver.journey()
                if journey.error:
                    raise RuntimeError(f"a seeding journey failed: {journey.error}")
            operator = driver.bearer(
                "window_operator", "op-bench", service_center=f"psc-{DISTRICT}", district=DISTRICT
            )
            queue_url = services.url("referral", "/v1/queue")
            first = await driver.http.get(queue_url, headers=operator)
            if first.status_code != 200 or not first.json()["items"]:
                raise RuntimeError(f"the window queue is empty ({first.status_code})")
            databases = [f"inson_{services.names[svc]}" for svc in ("intake", "referral")]
            templates = await templates_of(mongo_url, databases)
            points: list[dict[str, Any]] = []
            cases = seeds
            for size in sizes:
                print(f"  P4 growing the stores to {size:,} cases ...", file=sys.stderr)
                started = time.perf_counter()
                written = await grow(mongo_url, templates, cases, size, seeds)
                grown_s = time.perf_counter() - started
                cases = size
                print(
                    f"  P4 measuring at {size:,} cases ({written:,} documents added "
                    f"in {grown_s:.0f} s) ...",
                    file=sys.stderr,
                )
                intake = await timed(samples, driver.submit)
                queue = await timed(samples, lambda: driver.http.get(queue_url, headers=operator))
                points.append(
                    {
                        "cases": size,
                        "grow_s": grown_s,
                        "documents_added": written,
                        "intake_post": intake,
                        "window_queue": queue,
                    }
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
