"""Raw baselines: what aiokafka and PyMongo do on this machine, in this run."""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from inson_contracts.topics import Topic
from inson_runtime.kafka import ensure_topics
from inson_runtime.mongo import connect
from pymongo import UpdateOne

PAYLOAD = os.urandom(512).hex().encode()  # 1 KB


async def topic(bootstrap: str, prefix: str, partitions: int = 3) -> str:
    name = f"bench.{prefix}.{uuid.uuid4().hex[:8]}"
    await ensure_topics(
        bootstrap, [Topic(name=name, owner="bench", description="bench", partitions=partitions)]
    )
    return name


def percentiles(samples_s: list[float]) -> dict[str, float]:
    ordered = sorted(samples_s)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {
        "p50_ms": pick(0.50),
        "p95_ms": pick(0.95),
        "p99_ms": pick(0.99),
        "mean_ms": statistics.fmean(ordered) * 1000,
    }


async def kafka_produce_consume(bootstrap: str, count: int) -> dict[str, Any]:
    """B1: 1 KB messages, acks=all, produced as fast as the client goes, then consumed."""
    name = await topic(bootstrap, "raw")
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=2
    )
    await producer.start()
    started = time.perf_counter()
    try:
        pending = [
            await producer.send(name, PAYLOAD, key=str(i % 64).encode()) for i in range(count)
        ]
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    produce_s = time.perf_counter() - started

    consumer = AIOKafkaConsumer(
        name,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        group_id=f"bench-{uuid.uuid4().hex[:6]}",
        enable_auto_commit=False,
    )
    await consumer.start()
    seen = 0
    started = time.perf_counter()
    try:
        while seen < count:
            batch = await consumer.getmany(timeout_ms=1000, max_records=1000)
            seen += sum(len(records) for records in batch.values())
    finally:
        consume_s = time.perf_counter() - started
        await consumer.stop()
    return {
        "produce_per_s": count / produce_s,
        "consume_per_s": count / consume_s,
        "messages": count,
    }


async def kafka_hop(bootstrap: str, count: int) -> dict[str, Any]:
    """B1 hop: consume from A, produce to B, commit; one message in flight; latency A->B."""
    source, target = await topic(bootstrap, "hop-a", 1), await topic(bootstrap, "hop-b", 1)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    hop_in = AIOKafkaConsumer(
        source,
        bootstrap_servers=bootstrap,
        group_id=f"hop-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    hop_out = AIOKafkaConsumer(
        target,
        bootstrap_servers=bootstrap,
        group_id=f"out-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    for client in (producer, hop_in, hop_out):
        await client.start()

    async def hop() -> None:
        async for record in hop_in:
            await producer.send_and_wait(target, record.value, key=record.key)
            await hop_in.commit()

    task = asyncio.create_task(hop())
    latencies: list[float] = []
    try:
        started = time.perf_counter()
        for i in range(count):
            sent = time.perf_counter()
            await producer.send_and_wait(source, PAYLOAD, key=str(i).encode())
            await hop_out.getone()
            latencies.append(time.perf_counter() - sent)
        elapsed = time.perf_counter() - started
    finally:
        task.cancel()
        for client in (hop_in, hop_out, producer):
            await client.stop()
    return {"hops_per_s": count / elapsed, **percentiles(latencies), "messages": count}


async def mongo_upserts(url: str, singles: int, bulk: int) -> dict[str, Any]:
    """B2: single upserts one after another, and unordered bulk upserts of 1,000."""
    client = connect(url)
    db = client[f"bench_{uuid.uuid4().hex[:8]}"]
    try:
        started = time.perf_counter()
        for i in range(singles):
            await db.raw.update_one(
                {"_id": f"s{i}"}, {"$set": {"n": i, "payload": "x" * 200}}, upsert=True
            )
        single_s = time.perf_counter() - started
        started = time.perf_counter()
        for chunk in range(0, bulk, 1000):
            ops = [
                UpdateOne({"_id": f"b{i}"}, {"$set": {"n": i, "payload": "x" * 200}}, upsert=True)
                for i in range(chunk, min(bulk, chunk + 1000))
            ]
            await db.raw.bulk_write(ops, ordered=False)
        bulk_s = time.perf_counter() - started
    finally:
        await client.drop_database(db.name)
        await client.close()
    return {"single_upserts_per_s": singles / single_s, "bulk_upserts_per_s": bulk / bulk_s}


async def mongo_lookups(url: str, sizes: list[int], samples: int) -> dict[str, Any]:
    """B2: how the server's point reads scale with collection size.

    A lookup by ``_id`` and one by an indexed field, both for documents at the
    far end of the collection, at each size. A server that uses its indexes
    answers in about the same time at every size; FerretDB v1 does not (see
    BENCHMARKS.md), and that bounds what P4 can show.
    """
    client = connect(url)
    db = client[f"bench_{uuid.uuid4().hex[:8]}"]
    await db.docs.create_index("key")
    points = []
    try:
        have = 0
        for size in sizes:
            for chunk in range(have, size, 1000):
                await db.docs.insert_many(
                    [
                        {"_id": f"d{i}", "key": f"k{i}", "payload": "x" * 200}
                        for i in range(chunk, min(size, chunk + 1000))
                    ]
                )
            have = size
            by_id, by_key, guarded = [], [], []
            for n in range(samples):
                target = size - 1 - n
                started = time.perf_counter()
                await db.docs.find_one({"_id": f"d{target}"})
                by_id.append(time.perf_counter() - started)
                started = time.perf_counter()
                await db.docs.find_one({"key": f"k{target}"})
                by_key.append(time.perf_counter() - started)
                # The projections' write: an upsert guarded by the stream version.
                behind = [{"_version": {"$lt": n + 1}}, {"_version": {"$exists": False}}]
                started = time.perf_counter()
                await db.docs.update_one(
                    {"_id": f"d{target}", "$or": behind}, {"$set": {"_version": n + 1}}
                )
                guarded.append(time.perf_counter() - started)
            points.append(
                {
                    "docs": size,
                    "by_id_ms": percentiles(by_id)["p50_ms"],
                    "by_indexed_field_ms": percentiles(by_key)["p50_ms"],
                    "guarded_upsert_ms": percentiles(guarded)["p50_ms"],
                }
            )
    finally:
        await client.drop_database(db.name)
        await client.close()
    return {"points": points}
