"""Probe: do two processes claiming the same documents ever both win?

Two client processes (separate connections, as two replicas would have) take
the next due document of the same N, over and over until none is left, as two
retry jobs would:

- ``update``: the claim the jobs used to make, ``find_one_and_update`` of the
  first due document to ``sending``; a double claim is a document both
  processes got back.
- ``update_one``: the webhook queue's claim: read the first due documents,
  ``update_one`` the first with the filter ``status: due`` repeated; a double
  claim is a document both updates modified.
- ``insert``: the claim that replaced it: read the first due documents, insert
  a claim document whose ``_id`` names the document (and its attempt) for the
  first one whose claim is free; a double claim is a document both processes
  inserted a claim for.

On MongoDB neither may ever double. FerretDB 1.24 on SQLite runs an update as
a read and then a write by ``_id``, so two updates that read the same
document both "match" and both win; an insert is checked by SQLite's unique
index and cannot.

    .venv/bin/python scripts/probe_claims.py [--url mongodb://...] [--pairs 200]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import sys
import time
import uuid
from typing import Any

from pymongo import AsyncMongoClient, ReturnDocument
from pymongo.errors import DuplicateKeyError


async def _claim_all(url: str, db_name: str, method: str, count: int, me: str) -> list[str]:
    """Take the next due document until none is left, as a retry job does."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
    db = client[db_name]
    won: list[str] = []
    try:
        while len(won) < count:
            if method == "update":
                doc = await db.items.find_one_and_update(
                    {"status": "due"},
                    {"$set": {"status": "sending", "by": me}},
                    sort=[("_id", 1)],
                    return_document=ReturnDocument.AFTER,
                )
                if doc is None:
                    break
                won.append(doc["_id"])
                continue
            if method == "update_one":
                taken = await _claim_by_conditional_update(db, me)
            else:
                taken = await _claim_by_insert(db, me)
            if taken is None:
                break
            won.append(taken)
    finally:
        await client.close()
    return won


async def _claim_by_conditional_update(db: Any, me: str) -> str | None:
    async for doc in db.items.find({"status": "due"}, sort=[("_id", 1)], limit=20):
        result = await db.items.update_one(
            {"_id": doc["_id"], "status": "due"}, {"$set": {"status": "sending", "by": me}}
        )
        if result.modified_count == 1:
            return str(doc["_id"])
    return None


async def _claim_by_insert(db: Any, me: str) -> str | None:
    async for doc in db.items.find({"status": "due"}, sort=[("_id", 1)], limit=20):
        try:
            await db.claims.insert_one({"_id": f"{doc['_id']}#1", "by": me})
        except DuplicateKeyError:
            continue
        # Only the claim's holder writes the document now.
        await db.items.update_one({"_id": doc["_id"]}, {"$set": {"status": "sending"}})
        return str(doc["_id"])
    return None


def _racer(args: tuple[str, str, str, int, str, float]) -> list[str]:
    url, db_name, method, count, me, start_at = args
    # Both processes start together, so their claims overlap.
    time.sleep(max(0.0, start_at - time.time()))
    return asyncio.run(_claim_all(url, db_name, method, count, me))


async def _prepare(url: str, db_name: str, ids: list[str]) -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
    db = client[db_name]
    await db.items.insert_many([{"_id": i, "status": "due"} for i in ids])
    await db.claims.insert_one({"_id": "warm-up"})
    await client.close()


async def _drop(url: str, db_name: str) -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
    await client.drop_database(db_name)
    await client.close()


def probe(url: str, pairs: int, method: str) -> tuple[int, int]:
    """(documents claimed twice, documents claimed at all) over ``pairs`` races."""
    db_name = f"probe_claims_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    ids = [f"doc-{n}" for n in range(pairs)]
    asyncio.run(_prepare(url, db_name, ids))
    try:
        start_at = time.time() + 1.0
        jobs = [(url, db_name, method, pairs, me, start_at) for me in ("a", "b")]
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            a, b = pool.map(_racer, jobs)
    finally:
        asyncio.run(_drop(url, db_name))
    claimed = set(a) | set(b)
    return len(a) + len(b) - len(claimed), len(claimed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017"))
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    doubled_by_insert = 0
    for method in ("update", "update_one", "insert"):
        for round_no in range(1, args.rounds + 1):
            doubled, claimed = probe(args.url, args.pairs, method)
            print(
                f"{method:6} round {round_no}: {doubled} of {args.pairs} documents claimed "
                f"twice ({claimed} claimed)"
            )
            if method == "insert":
                doubled_by_insert += doubled
    return 1 if doubled_by_insert else 0


if __name__ == "__main__":
    sys.exit(main())
