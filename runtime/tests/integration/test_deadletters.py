"""A dead letter replayed after the fix is applied once, however often it is replayed."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import pytest
from inson_contracts.envelope import Envelope, to_kafka
from inson_contracts.events import Event, EventRegistry
from inson_runtime.consumer import EventConsumer
from inson_runtime.deadletters import dead_letters, replay
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.projections import apply_at_version
from inson_runtime.testing import create_test_topic, sample_event_class, wait_for

pytestmark = pytest.mark.integration


@contextlib.asynccontextmanager
async def consuming(bootstrap: str, consumer: EventConsumer) -> AsyncIterator[None]:
    broker = make_broker(bootstrap, client_id=f"test-{consumer.group_id}")
    consumer.publisher = EventPublisher(broker, service="test")
    consumer.subscribe(broker)
    await broker.start()
    try:
        yield
    finally:
        await broker.stop()


async def test_a_future_version_is_dead_lettered_then_replayed_once_after_the_upgrade(
    kafka_bootstrap: str, mongo_client: Any, scratch_db: str
) -> None:
    topic = await create_test_topic(kafka_bootstrap, partitions=1)
    v1 = sample_event_class(topic)

    class SampleRecordedV2(Event):
        TYPE: ClassVar[str] = "uz.inson.test.sample.recorded.v2"
        TOPIC: ClassVar[str] = topic
        amount: int
        unit: str

    tally = mongo_client[scratch_db]["tally"]
    group = f"g-{uuid.uuid4().hex}"

    def consumer(*classes: type[Event]) -> EventConsumer:
        registry = EventRegistry()
        registry.register(*classes)
        made = EventConsumer(
            service="test",
            group_id=group,
            topics=(topic,),
            publisher=None,  # type: ignore[arg-type]
            registry=registry,
        )
        for cls in classes:

            @made.on(cls)
            async def count(event: Any, envelope: Envelope) -> None:
                await apply_at_version(
                    tally, envelope.subject, envelope, {"$inc": {"total": event.amount}}
                )

        return made

    newer = SampleRecordedV2(amount=5, unit="kg")
    record = Envelope(
        id=str(uuid.uuid4()),
        source="inson/test",
        type=newer.TYPE,
        time=newer_time(),
        subject="case-1",
        streamversion=1,
        data=newer.model_dump(mode="json"),
    )
    marker = v1(amount=1)
    after = Envelope(
        id=str(uuid.uuid4()),
        source="inson/test",
        type=marker.TYPE,
        time=newer_time(),
        subject="case-2",
        streamversion=1,
        data=marker.model_dump(mode="json"),
    )
    broker = make_broker(kafka_bootstrap, client_id="test-dl")
    await broker.connect()
    try:
        for envelope in (record, after):
            key, headers, value = to_kafka(envelope)
            await broker.publish(value, topic, key=key, headers=headers)
    finally:
        await broker.stop()

    async with consuming(kafka_bootstrap, consumer(v1)):
        await wait_for(lambda: _has(tally, "case-2"), what="the record after the poison one")
    letters = [letter for _, letter in await dead_letters(kafka_bootstrap, group=group)]
    assert len(letters) == 1 and letters[0].reason.startswith("unknown event type")
    assert await tally.find_one({"_id": "case-1"}) is None

    # The upgrade: the consumer now knows v2. Replay, twice over.
    async with consuming(kafka_bootstrap, consumer(v1, SampleRecordedV2)):
        assert await replay(kafka_bootstrap, letters) == 1
        assert await replay(kafka_bootstrap, letters) == 1
        await wait_for(lambda: _has(tally, "case-1"), what="the replayed record")
        # A third marker, after both replays, tells us both were consumed.
        broker = make_broker(kafka_bootstrap, client_id="test-dl-2")
        await broker.connect()
        try:
            last = Envelope(
                id=str(uuid.uuid4()),
                source="inson/test",
                type=marker.TYPE,
                time=newer_time(),
                subject="case-3",
                streamversion=1,
                data=marker.model_dump(mode="json"),
            )
            key, headers, value = to_kafka(last)
            await broker.publish(value, topic, key=key, headers=headers)
        finally:
            await broker.stop()
        await wait_for(lambda: _has(tally, "case-3"), what="the marker after the replays")
    assert (await tally.find_one({"_id": "case-1"}))["total"] == 5


def newer_time() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def _has(collection: Any, doc_id: str) -> bool:
    return await collection.find_one({"_id": doc_id}) is not None
