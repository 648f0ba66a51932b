"""The platform's own paths, measured the way the raw baselines are."""

from __future__ import annotations

import asyncio
import resource
import time
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from inson_contracts.envelope import Envelope, to_kafka
from inson_contracts.events import Event
from inson_runtime.consumer import EventConsumer
from inson_runtime.eventstore import Causation, EventStore
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.mongo import connect
from inson_runtime.outbox import OutboxRelay
from inson_runtime.projections import Projection, rebuild
from inson_runtime.testing import sample_event_class, sample_registry
from inson_runtime.viewbatch import ViewBatch

from bench.raw import percentiles, topic


def hop_event_class(topic_name: str) -> type[Event]:
    class HopRecorded(Event):
        TYPE: ClassVar[str] = "uz.inson.bench.hop.recorded.v1"
        TOPIC: ClassVar[str] = topic_name
        amount: int

    return HopRecorded


def envelope(event: Event, stream: str, version: int) -> Envelope:
    return Envelope(
        id=str(uuid.uuid4()),
        source="inson/bench",
        type=event.TYPE,
        time=datetime.now(UTC),
        subject=stream,
        streamversion=version,
        data=event.model_dump(mode="json"),
    )


async def service_hop(bootstrap: str, mongo_url: str, count: int, backlog: int) -> dict[str, Any]:
    """P1: consume -> decide (load the stream) -> append -> publish -> commit offset."""
    source, target = await topic(bootstrap, "p1-in", 1), await topic(bootstrap, "p1-out", 1)
    incoming, outgoing = sample_event_class(source), hop_event_class(target)
    registry = sample_registry(incoming)
    registry.register(outgoing)
    client = connect(mongo_url)
    db_name = f"bench_{uuid.uuid4().hex[:8]}"
    store = EventStore(client, db_name, registry=registry)
    await store.ensure_indexes()
    broker = make_broker(bootstrap, client_id="bench-hop")
    publisher = EventPublisher(broker, service="bench")
    relay = OutboxRelay(store, publisher, service="bench")
    consumer = EventConsumer(
        service="bench",
        group_id=f"bench-{uuid.uuid4().hex[:6]}",
        topics=(source,),
        publisher=publisher,
        registry=registry,
    )

    @consumer.on(incoming)
    async def handle(event: Any, env: Envelope) -> None:
        stream = f"hop-{env.subject}"
        version = len(await store.load(stream))
        result = await store.append(
            stream,
            version,
            [outgoing(amount=event.amount)],
            Causation(source="inson/bench", causation_id=env.id),
            commit_id=f"hop:{env.id}",
        )
        await relay.publish_stream(stream, result.stored if result.created else None)

    consumer.subscribe(broker)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    reader = AIOKafkaConsumer(
        target,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        group_id=f"bench-out-{uuid.uuid4().hex[:6]}",
        enable_auto_commit=False,
    )
    await producer.start()
    await reader.start()
    await broker.start()
    try:
        latencies: list[float] = []
        for i in range(count):
            key, headers, value = to_kafka(envelope(incoming(amount=i), f"case-{i}", 1))
            sent = time.perf_counter()
            await producer.send_and_wait(
                source, value, key=key, headers=[(k, v.encode()) for k, v in headers.items()]
            )
            await reader.getone()
            latencies.append(time.perf_counter() - sent)
        # Throughput: a backlog waiting on the topic, drained as fast as it goes.
        await broker.stop()
        for i in range(backlog):
            key, headers, value = to_kafka(envelope(incoming(amount=i), f"backlog-{i}", 1))
            await producer.send(
                source, value, key=key, headers=[(k, v.encode()) for k, v in headers.items()]
            )
        await producer.flush()
        drained = make_broker(bootstrap, client_id="bench-hop-2")
        consumer.publisher = publisher = EventPublisher(drained, service="bench")
        relay.publisher = publisher
        consumer.subscribe(drained)
        started = time.perf_counter()
        await drained.start()
        while (
            await store.commits.count_documents({"stream_id": {"$regex": "^hop-backlog-"}})
            < backlog
        ):
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - started
        await drained.stop()
    finally:
        await producer.stop()
        await reader.stop()
        await relay.close()
        await client.drop_database(db_name)
        await client.close()
    return {
        "hops_per_s": backlog / elapsed,
        **percentiles(latencies),
        "latency_samples": count,
        "backlog": backlog,
    }


async def projection_rebuild(
    bootstrap: str, mongo_url: str, events: int, streams: int
) -> dict[str, Any]:
    """P3: replay ``events`` into an empty projection (versions 1..n over ``streams`` streams)."""
    name = await topic(bootstrap, "p3", 6)
    sample = sample_event_class(name)
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5
    )
    await producer.start()
    try:
        per_stream = events // streams
        for version in range(1, per_stream + 1):
            for s in range(streams):
                key, headers, value = to_kafka(envelope(sample(amount=1), f"case-{s}", version))
                await producer.send(
                    name, value, key=key, headers=[(k, v.encode()) for k, v in headers.items()]
                )
        await producer.flush()
    finally:
        await producer.stop()
    client = connect(mongo_url)
    db = client[f"bench_{uuid.uuid4().hex[:8]}"]
    projection = Projection(name="tally", version=1, topics=(name,), collections=("tally",))

    @projection.on(sample)
    async def count(event: Any, env: Envelope, batch: ViewBatch) -> None:
        batch.at_version("tally", env.subject, env, {"$inc": {"total": event.amount}})

    broker = make_broker(bootstrap, client_id="bench-rebuild")
    await broker.connect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        report = await rebuild(
            projection,
            db,
            bootstrap_servers=bootstrap,
            service="bench",
            publisher=EventPublisher(broker, service="bench"),
            registry=sample_registry(sample),
        )
        check = await db["tally"].count_documents({"total": per_stream})
    finally:
        await broker.stop()
        await client.drop_database(db.name)
        await client.close()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "events": report.events,
        "events_per_s": report.events_per_second,
        "seconds": report.seconds,
        "complete_streams": check,
        "peak_rss_mb": rss_after / 1024,
        "rss_growth_mb": (rss_after - rss_before) / 1024,
    }
