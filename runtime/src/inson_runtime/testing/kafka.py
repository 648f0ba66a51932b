"""Helpers for tests that run against the real local Kafka and MongoDB-wire server.

Test events live on throw-away topics so runs never see each other's records.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any, ClassVar

from aiokafka import AIOKafkaConsumer
from inson_contracts.envelope import Envelope, from_kafka
from inson_contracts.events import Event, EventRegistry
from inson_contracts.topics import Topic

from inson_runtime.consumer import EventConsumer
from inson_runtime.kafka import ensure_topics, partitions_of, stop_reader


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sample_event_class(topic: str) -> type[Event]:
    """A test event type bound to a throw-away topic (the class is test-only)."""

    class SampleRecorded(Event):
        TYPE: ClassVar[str] = "uz.inson.test.sample.recorded.v1"
        TOPIC: ClassVar[str] = topic
        amount: int
        note: str = ""

    return SampleRecorded


def sample_registry(event_class: type[Event]) -> EventRegistry:
    registry = EventRegistry()
    registry.register(event_class)
    return registry


async def create_test_topic(bootstrap: str, *, partitions: int = 3, prefix: str = "test") -> str:
    name = f"{prefix}.{uuid.uuid4().hex[:10]}"
    await ensure_topics(
        bootstrap, [Topic(name=name, owner="test", description="test", partitions=partitions)]
    )
    return name


async def wait_for(
    predicate: Callable[[], Awaitable[bool]], *, timeout_s: float = 30.0, what: str = "condition"
) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        if await predicate():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        await asyncio.sleep(0.1)


async def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await reader.start()
    try:
        parts = await partitions_of(reader, topic)
        ends = await reader.end_offsets(parts)
        return {tp.partition: offset for tp, offset in ends.items()}
    finally:
        await stop_reader(reader)


async def read_envelopes(
    bootstrap: str,
    topic: str,
    *,
    since: dict[int, int] | None = None,
    match: Callable[[Envelope], bool] = lambda _: True,
) -> list[tuple[Envelope, Any]]:
    """Every readable envelope on ``topic`` (from ``since``) up to its current end."""
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await reader.start()
    found: list[tuple[Envelope, Any]] = []
    try:
        parts = await partitions_of(reader, topic)
        reader.assign(parts)
        ends = await reader.end_offsets(parts)
        for tp in parts:
            reader.seek(tp, (since or {}).get(tp.partition, 0))
        remaining = {tp for tp in parts if await reader.position(tp) < ends[tp]}
        while remaining:
            batches = await reader.getmany(*remaining, timeout_ms=1000)
            for records in batches.values():
                for record in records:
                    envelope = from_kafka(record.headers, record.value)
                    if match(envelope):
                        found.append((envelope, record))
            for tp in list(remaining):
                if await reader.position(tp) >= ends[tp]:
                    remaining.discard(tp)
    finally:
        await stop_reader(reader)
    return found


async def start_groups_at_end(bootstrap: str, consumers: Iterable[EventConsumer]) -> None:
    """Commit the current end offsets for each consumer's group and topics.

    A fresh consumer group starts from the earliest offset, so a service
    started in a test would otherwise replay every event earlier test runs left
    on the shared topics, and react to them; the test's own events come after
    this point.
    """
    for consumer in consumers:
        reader = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=consumer.group_id, enable_auto_commit=False
        )
        await reader.start()
        try:
            parts = [tp for topic in consumer.topics for tp in await partitions_of(reader, topic)]
            reader.assign(parts)
            await reader.commit(dict(await reader.end_offsets(parts)))
        finally:
            await stop_reader(reader)


@contextlib.asynccontextmanager
async def running_service(
    compose: Callable[[Any], tuple[Any, Any]], settings: Any, *, drop_database: bool = True
) -> AsyncIterator[tuple[Any, Any]]:
    """A service composed in process, its groups at the topics' end: (runtime, HTTP client).

    The client speaks to the app through ASGI (no port). Its database is dropped
    afterwards unless ``drop_database`` is false.
    """
    import httpx  # a test dependency, not one of the runtime's

    from inson_runtime.mongo import connect

    runtime, app = compose(settings)
    # Only the test's own events: not the history earlier runs left on the topics.
    await start_groups_at_end(settings.kafka_bootstrap_servers, runtime.consumers)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://svc") as http:
                yield runtime, http
    finally:
        if drop_database:
            cleanup = connect(settings.mongodb_url)
            await cleanup.drop_database(settings.database_name)
            await cleanup.close()
