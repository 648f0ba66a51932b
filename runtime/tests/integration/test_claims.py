"""Claims and turns on the real FerretDB, raced by two clients as two replicas would race.

FerretDB on SQLite runs an update as a read and a write, so two
``find_one_and_update`` claims of one document can both succeed
(``scripts/probe_claims.py``); an insert against the unique ``_id`` cannot.
Each test runs two clients (two connection pools, as two processes have) with
several tasks each, all after the same work at the same moment.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from inson_runtime.claims import Claims, Turns, turn_of
from inson_runtime.mongo import Document, connect
from pymongo import AsyncMongoClient

pytestmark = pytest.mark.integration

ITEMS = 40
TASKS_PER_REPLICA = 4


@pytest.fixture
async def replicas(
    mongodb_url: str, scratch_db: str
) -> AsyncIterator[list[AsyncMongoClient[Document]]]:
    clients = [connect(mongodb_url), connect(mongodb_url)]
    try:
        yield clients
    finally:
        for client in clients:
            await client.close()


async def test_two_replicas_never_hold_one_attempt_both(
    replicas: list[AsyncMongoClient[Document]], scratch_db: str
) -> None:
    """Every replica claims every item's next attempt, works, finishes, three rounds over:
    each (item, attempt) is held by one task only, and every attempt is made."""
    made: Counter[tuple[str, int]] = Counter()
    holding: set[str] = set()
    overlaps: list[str] = []

    async def worker(claims: Claims, seed: int) -> None:
        order = [f"item-{n}" for n in range(ITEMS)]
        rnd = random.Random(seed)
        for _ in range(3):
            rnd.shuffle(order)
            for item in order:
                done = sum(n for (i, _), n in made.items() if i == item)
                claim = await claims.next(item, done, datetime.now(UTC), lease_s=30)
                if claim is None:
                    continue
                if item in holding:
                    overlaps.append(item)
                holding.add(item)
                made[(item, claim.number)] += 1
                await asyncio.sleep(0)  # the work, during which the other replica tries
                holding.discard(item)
                await claims.finish(item, claim.number, datetime.now(UTC))

    await Claims(replicas[0][scratch_db]["claims"]).ensure_indexes()
    await asyncio.gather(
        *(
            worker(Claims(client[scratch_db]["claims"]), seed=10 * r + t)
            for r, client in enumerate(replicas)
            for t in range(TASKS_PER_REPLICA)
        )
    )
    assert overlaps == []
    assert [key for key, n in made.items() if n > 1] == []
    assert len(made) >= ITEMS  # every item claimed at least once


async def test_a_claim_is_given_up_when_its_document_was_done_meanwhile(
    replicas: list[AsyncMongoClient[Document]], scratch_db: str
) -> None:
    db = replicas[0][scratch_db]
    claims = Claims(db["claims"])
    await db["work"].insert_one({"_id": "w-1", "status": "sent"})
    now = datetime.now(UTC)
    still = (db["work"], {"_id": "w-1", "status": "due"})
    assert await claims.claim("w-1", 1, now, 30, still=still) is None
    # Given back, so the attempt is free again when the document is due.
    await db["work"].update_one({"_id": "w-1"}, {"$set": {"status": "due"}})
    claim = await claims.claim("w-1", 1, now, 30, still=still)
    assert claim is not None and claim.number == 2


async def test_a_holder_that_died_leaves_its_number_behind(
    replicas: list[AsyncMongoClient[Document]], scratch_db: str
) -> None:
    claims = Claims(replicas[0][scratch_db]["claims"])
    await claims.ensure_indexes()
    now = datetime.now(UTC)
    died = await claims.next("m-1", 1, now, lease_s=0.01)
    assert died is not None and died.number == 2
    assert await claims.next("m-1", 1, now, lease_s=30) is None  # still within its lease
    await asyncio.sleep(0.05)
    taken = await claims.next("m-1", 1, datetime.now(UTC), lease_s=30)
    assert taken is not None and taken.number == 3


async def test_two_replicas_take_each_turn_of_a_job_once(
    replicas: list[AsyncMongoClient[Document]], scratch_db: str
) -> None:
    won: list[list[int]] = [[], []]
    interval_s = 0.2

    async def replica(index: int) -> None:
        at = [datetime.now(UTC)]
        turns = Turns(replicas[index][scratch_db]["job_turns"], clock=lambda: at[0])
        for _ in range(30):
            at[0] = datetime.now(UTC)
            if await turns.take("deadlines", interval_s):
                won[index].append(turn_of(at[0], interval_s))
            await asyncio.sleep(interval_s / 4)

    await asyncio.gather(*(replica(i) for i in (0, 1) for _ in range(TASKS_PER_REPLICA)))
    every = won[0] + won[1]
    assert len(every) == len(set(every)), "a turn was taken twice"
    assert len(every) >= 5


async def test_old_turns_are_dropped_at_the_first_turn_and_then_every_hundred(
    replicas: list[AsyncMongoClient[Document]], scratch_db: str
) -> None:
    turns_of_job = replicas[0][scratch_db]["job_turns"]
    interval_s = 60.0
    at = [datetime(2026, 12, 6, 9, 0, tzinfo=UTC)]
    first = turn_of(at[0], interval_s)
    older = range(first - 300, first)
    await turns_of_job.insert_many(
        [{"_id": f"deadlines@{n}", "job": "deadlines", "turn": n} for n in older]
    )
    turns = Turns(turns_of_job, clock=lambda: at[0])
    assert await turns.take("deadlines", interval_s)
    assert await turns_of_job.count_documents({}) == 101  # the last hundred, and this one
    for _ in range(99):
        at[0] += timedelta(seconds=interval_s)
        assert await turns.take("deadlines", interval_s)
    assert await turns_of_job.count_documents({}) == 200
    at[0] += timedelta(seconds=interval_s)
    assert await turns.take("deadlines", interval_s)
    assert await turns_of_job.count_documents({}) == 101
